"""Adding studies new to a stage at the bottom of the reviewers' sheets, append-only.

The sheets belong to people (DESIGN.md invariant 1): a sheet is created when missing;
otherwise rows are only ever appended, in the sheet's own dialect, after a backup, by an
atomic rename, and only when every sheet of the stage passes validation. A study already
listed under an older id (now an alias of it) counts as present and is never added twice.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.csvio import atomic_write_bytes, backup, write_table
from prismake.errors import Problem, SheetError
from prismake.screening.assign import assign
from prismake.screening.decisions import STAGE_LABEL, TYPED_DECISIONS
from prismake.screening.prioritise import next_candidates
from prismake.screening.sheets import append_rows, new_sheet_bytes
from prismake.screening.stage import (
    RESOLUTION_COLUMNS,
    RESOLUTION_FILE,
    SHEET_COLUMNS,
    Reading,
    StudyIndex,
    read_stage,
    stage_candidates,
    stage_reviewers,
)

log = logging.getLogger("prismake")

ADDED_COLUMNS = ("sheet", "study_id")


@dataclass
class SheetPlan:
    """What the next sync would add to each reviewer's sheet of a stage."""

    stage: str
    additions: dict[str, list[str]] = field(default_factory=dict)  # reviewer -> study ids
    reading: Reading = field(default_factory=Reading)


def fill_sources(index: StudyIndex, searches: Sequence[Mapping[str, Any]]) -> StudyIndex:
    """Fill an empty ``sources`` from the searches a study was found by (older studies.csv)."""
    source_of = {s["name"]: s.get("source", "database") for s in searches}
    studies = index.studies
    if "searches" not in studies.columns or studies["sources"].astype(bool).all():
        return index
    filled = studies.copy()
    for study_id in filled.index[~filled["sources"].astype(bool)]:
        names = [n.strip() for n in str(filled.at[study_id, "searches"]).split(";") if n.strip()]
        found = sorted({source_of.get(n, "database") for n in names})
        filled.at[study_id, "sources"] = "; ".join(found)
    return StudyIndex(studies=filled, lookup=index.lookup)


def plan_sheets(
    *,
    stage: str,
    index: StudyIndex,
    candidates: Sequence[str],
    sheet_dir: str | Path,
    screening: Mapping[str, Any],
    removed_path: str | Path | None = None,
) -> SheetPlan:
    """Read the stage's sheets and decide which candidates each reviewer still needs."""
    reading = read_stage(stage, sheet_dir, screening, index, removed_path)
    candidates = next_candidates(stage, index, candidates, reading, screening)
    plan = SheetPlan(stage=stage, reading=reading)
    stage_config = screening["stages"][stage]
    listed = reading.listed()
    reviewers = stage_reviewers(screening, stage)
    plan.additions = {r: [] for r in reviewers}
    for study_id in candidates:
        if study_id in reading.removed:
            continue
        for reviewer in assign(study_id, stage_config, listed.get(study_id, set())):
            plan.additions[reviewer].append(study_id)
    return plan


def _replace(path: Path, data: bytes) -> None:
    """Write a sheet atomically; a sheet open in Excel on Windows cannot be replaced."""
    for lock in (path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            log.warning(
                "%s looks open in a spreadsheet (%s exists): close it without saving, or the "
                "rows added now are lost from it (they are added again on the next run)",
                path,
                lock.name,
            )
    try:
        atomic_write_bytes(path, data)
    except PermissionError:
        raise SheetError(
            "A screening sheet cannot be updated",
            [
                Problem(
                    str(path),
                    "the file cannot be written: it is probably open in a spreadsheet",
                    hint="Save and close it, then run snakemake again",
                )
            ],
        ) from None


def _sheet_record(index: StudyIndex, study_id: str) -> dict[str, str]:
    study = index.rows[study_id]
    record = {name: str(study.get(name, "") or "") for name in ("title", "authors", "year")}
    record.update(
        study_id=study_id,
        journal=str(study.get("journal", "") or ""),
        abstract=str(study.get("abstract", "") or ""),
        doi_link=index.doi_link(study_id),
    )
    return record


def sync_sheets(
    *,
    stage: str,
    studies_path: str | Path,
    previous_decisions_path: str | Path | None,
    removed_path: str | Path | None,
    sheet_dir: str | Path,
    backup_dir: str | Path,
    screening: Mapping[str, Any],
    searches: Sequence[Mapping[str, Any]],
    added_out: str | Path,
) -> None:
    """Make every reviewer's sheet of ``stage`` list the studies they must screen.

    Creates missing sheets; appends missing studies at the bottom of existing ones (never
    changing a byte already there); refuses, with a SheetError listing every problem, when
    any sheet of the stage has mistakes. ``added_out`` lists (sheet, study_id) added now.
    """
    if stage not in TYPED_DECISIONS:
        raise ValueError(f"unknown screening stage {stage!r}")
    sheet_dir = Path(sheet_dir)
    index = fill_sources(StudyIndex.from_path(studies_path), searches)
    candidates = stage_candidates(stage, index, previous_decisions_path)
    plan = plan_sheets(
        stage=stage,
        index=index,
        candidates=candidates,
        sheet_dir=sheet_dir,
        screening=screening,
        removed_path=removed_path,
    )
    plan.reading.raise_problems(
        f"The {STAGE_LABEL[stage]} screening sheets have mistakes; no sheet was changed. "
        "Fix them and run again"
    )
    columns = SHEET_COLUMNS[stage]
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    added = []
    for reviewer, study_ids in plan.additions.items():
        path = sheet_dir / f"{reviewer}.csv"
        records = [_sheet_record(index, s) for s in study_ids]
        sheet = plan.reading.sheets.get(reviewer)
        if sheet is None:
            _replace(path, new_sheet_bytes(columns, records))
            log.info("%s: new sheet with %d studies", path, len(records))
        elif records:
            data, lost = append_rows(sheet, records)
            digest = hashlib.sha1(sheet.raw).hexdigest()[:8]
            backup(path, backup_dir, f"{stamp}-{digest}")
            _replace(path, data)
            log.info(
                "%s: %d studies added at the bottom (backup in %s)", path, len(records), backup_dir
            )
            if lost:
                log.warning(
                    "%s is saved as %s: %d characters of the added titles/abstracts could not "
                    "be written and show as '?'. Save the sheet as 'CSV UTF-8' to avoid this",
                    path,
                    sheet.encoding,
                    lost,
                )
        added += [{"sheet": str(path), "study_id": s} for s in study_ids]
    resolutions = sheet_dir / RESOLUTION_FILE
    if screening["stages"][stage]["mode"] != "single" and not resolutions.exists():
        _replace(resolutions, new_sheet_bytes(RESOLUTION_COLUMNS, []))
        log.info("%s: new, empty sheet for resolving conflicts", resolutions)
    frame = pd.DataFrame(added, columns=list(ADDED_COLUMNS))
    frame = frame.sort_values(list(ADDED_COLUMNS), kind="stable")
    write_table(frame, added_out, ADDED_COLUMNS)
