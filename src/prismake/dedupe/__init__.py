"""Deduplication: records from every search -> studies, with the evidence for every merge.

``dedupe_review`` is what the Snakemake rule calls; ``find_studies`` is the engine that
the command line and the benchmark share.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.csvio import read_table, write_sheet, write_table
from prismake.dedupe.engine import DedupeResult, find_studies
from prismake.dedupe.outputs import (
    COUNT_COLUMNS,
    MERGE_COLUMNS,
    OVERLAP_COLUMNS,
    STUDY_COLUMNS,
    TO_CHECK_COLUMNS,
    counts_table,
    merges_table,
    overlap_table,
    records_with_studies,
    studies_table,
    to_check_table,
)
from prismake.dedupe.verdicts import Verdicts, read_verdicts
from prismake.errors import Problem, ProblemsError
from prismake.ids import record_id_lookup
from prismake.records import RECORD_COLUMNS

log = logging.getLogger("prismake")

__all__ = ["DedupeResult", "Verdicts", "dedupe_review", "find_studies", "read_verdicts"]


def read_records(record_files: Sequence[str]) -> pd.DataFrame:
    """All searches' record tables, one after the other; record ids must be unique."""
    frames = []
    for path in record_files:
        frame = read_table(path, columns=RECORD_COLUMNS)
        if (frame["search"] == "").any():
            frame.loc[frame["search"] == "", "search"] = Path(path).stem
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=list(RECORD_COLUMNS))
    records = pd.concat(frames, ignore_index=True)
    repeated = records["record_id"][records["record_id"].duplicated(keep=False)]
    if len(repeated):
        first = sorted(set(repeated))[:20]
        raise ProblemsError(
            "record ids are not unique across searches",
            [
                Problem(
                    ", ".join(record_files),
                    "record id appears twice",
                    value=rid,
                    hint="Re-run the import",
                )
                for rid in first
            ],
        )
    return records


def forget_removed_searches(record_files: Sequence[str], import_reports: str | None) -> None:
    """Delete the pipeline's files of searches that are no longer in config."""
    if not record_files:
        return
    kept = {Path(f).stem for f in record_files}
    folders = [(Path(record_files[0]).parent, ".csv")]
    if import_reports:
        folders.append((Path(import_reports), ".md"))
    for folder, suffix in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{suffix}")):
            if path.stem not in kept:
                path.unlink()
                log.info("%s: removed (its search is no longer in config)", path)


def dedupe_review(
    *,
    record_files: list[str],
    searches: list[dict[str, Any]],
    settings: Mapping[str, Any],
    verdicts_path: str | None,
    outputs: Mapping[str, str],
    import_reports: str | None = None,
) -> None:
    """Group every search's records into studies and write the dedupe tables (see dedupe.smk).

    ``import_reports``: the folder of the per-search import reports; the records and
    reports of searches no longer in config are removed from there and from the records
    folder, so nothing of a removed search stays behind looking current.
    """
    forget_removed_searches(record_files, import_reports)
    records = read_records(record_files)
    order = {s["name"]: k for k, s in enumerate(searches)}
    verdicts = read_verdicts(
        verdicts_path, record_id_lookup(records["record_id"], records["former_ids"])
    )
    if verdicts.same or verdicts.different:
        log.info(
            "dedupe: following %d 'same' and %d 'different' verdicts from %s",
            len(verdicts.same),
            len(verdicts.different),
            verdicts_path,
        )
    result = find_studies(
        records,
        order,
        settings,
        verdicts,
        verdicts_file=verdicts_path or "data/screening/duplicates.csv",
    )
    write_table(
        records_with_studies(records, result),
        outputs["records"],
        [*RECORD_COLUMNS, "study_id"],
    )
    write_table(studies_table(records, result, searches), outputs["studies"], STUDY_COLUMNS)
    write_table(merges_table(result, verdicts.same), outputs["merges"], MERGE_COLUMNS)
    write_sheet(
        to_check_table(records, result, verdicts.decided()), outputs["to_check"], TO_CHECK_COLUMNS
    )
    write_table(counts_table(records, result, searches), outputs["counts"], COUNT_COLUMNS)
    write_table(overlap_table(records, result, searches), outputs["overlap"], OVERLAP_COLUMNS)
