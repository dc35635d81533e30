"""Extraction: the coded risks, limits and lessons and the characteristics of included studies.

``extract`` checks the coding and characteristics sheets against the codebook and the
full-text decisions, labels the included studies ("Smith et al. (2019)"), and writes the
tables the report stage reads, the list of studies still to code and the agreement of
coders who coded the same study.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from prismake.csvio import neutralise_formula, read_table, write_sheet, write_table
from prismake.errors import Problem, SheetError
from prismake.extraction.agreement import (
    AGREEMENT_COLUMNS,
    DISAGREEMENT_COLUMNS,
    coder_agreement,
    coder_disagreements,
)
from prismake.extraction.citations import citation_labels, sort_key
from prismake.extraction.codebook import Codebook, load_codebook
from prismake.extraction.coding import (
    CodedExcerpt,
    StudyIndex,
    coding_sheet_paths,
    counted_coding_sheets,
    gone_sheets,
    keep_sheet_copies,
    mistyped_coders,
    read_characteristics,
    read_coding,
)
from prismake.ids import study_alias
from prismake.records import MULTI_SEPARATOR, expand_pages

__all__ = ["CODED_COLUMNS", "check_sheets", "extract", "included_studies", "study_index"]

log = logging.getLogger("prismake.extraction")

CODED_COLUMNS: tuple[str, ...] = (
    "study_id",
    "citation_label",
    "theme",
    "kind",
    "excerpt",
    "location",
    "coder",
    "note",
)
STUDY_COLUMNS_USED = (
    "study_id",
    "record_ids",
    "former_record_ids",
    "title",
    "authors",
    "authors_norm",
    "year",
)
TO_CODE_COLUMNS: tuple[str, ...] = (
    "study_id",
    "citation_label",
    "title",
    "authors",
    "year",
    "journal",
    "doi",
)


def study_index(
    studies: pd.DataFrame,
    decisions: pd.DataFrame,
    typed_ids: pd.DataFrame | None = None,
) -> StudyIndex:
    """Every id a sheet may use for a study (its id and its members' aliases), and its fate.

    ``typed_ids`` (full-text reviewer_decisions.csv: study_id, typed_id): an id a screening
    sheet still has for a study that got a new one (a search renamed or taken out) is an
    alias of it here too, so coded rows typed with it keep counting."""
    study_of: dict[str, str] = {}
    # ids its records had under the previous id rule (prismake.ids) lead to it too
    former = studies["former_record_ids"] if "former_record_ids" in studies else [""] * len(studies)
    for study_id, record_ids, former_ids in zip(
        studies["study_id"], studies["record_ids"], former, strict=True
    ):
        typed = f"{record_ids}{MULTI_SEPARATOR}{former_ids}"
        for record_id in (r.strip() for r in typed.split(MULTI_SEPARATOR.strip())):
            if record_id:
                study_of.setdefault(study_alias(record_id).casefold(), study_id)
    if typed_ids is not None:
        pairs = zip(typed_ids["study_id"], typed_ids["typed_id"], strict=True)
        for study_id, typed_id in pairs:
            if typed_id:
                study_of.setdefault(typed_id.casefold(), study_id)
    for study_id in studies["study_id"]:
        study_of[study_id.casefold()] = study_id  # a study's own id wins over any alias
    decided = dict(zip(decisions["study_id"], decisions["decision"], strict=True))
    included = frozenset(s for s, d in decided.items() if d == "include")
    return StudyIndex(study_of=study_of, full_text_decision=decided, included=included)


def included_studies(
    studies: pd.DataFrame, decisions: pd.DataFrame, decisions_path: str
) -> pd.DataFrame:
    """The studies included at full text, labelled, in label order (the reference list)."""
    include_rows = decisions.index[decisions["decision"] == "include"]
    known = set(studies["study_id"])
    problems = [
        Problem(
            decisions_path,
            "an included study is not in data/processed/studies.csv",
            row=int(i) + 2,
            column="study_id",
            value=decisions.at[i, "study_id"],
            hint="Re-run screening after deduplication (snakemake re-runs both)",
        )
        for i in include_rows
        if decisions.at[i, "study_id"] not in known
    ]
    if problems:
        raise SheetError("Full-text decisions name unknown studies", problems)
    wanted = set(decisions.loc[include_rows, "study_id"])
    included = studies[studies["study_id"].isin(wanted)].copy()
    if "pages" in included.columns:  # PubMed's "705-14" written out, as in the references
        included["pages"] = included["pages"].map(expand_pages)
    labels = citation_labels(included.to_dict("records"))
    included.insert(1, "citation_label", included["study_id"].map(labels))
    order = included["citation_label"].map(sort_key) + "\t" + included["study_id"]
    return included.loc[order.sort_values().index].reset_index(drop=True)


def _coded_frame(
    excerpts: Sequence[CodedExcerpt], codebook: Codebook, labels: Mapping[str, str]
) -> pd.DataFrame:
    theme_rank = {t: i for i, t in enumerate(codebook.theme_ids)}
    kind_rank = {k: i for i, k in enumerate(codebook.kind_ids)}
    ordered = sorted(
        excerpts,
        key=lambda e: (
            e.study_id,
            theme_rank[e.theme],
            kind_rank[e.kind],
            e.coder,
            e.excerpt,
            e.location,
            e.note,
        ),
    )
    rows = [
        {
            "study_id": e.study_id,
            "citation_label": labels[e.study_id],
            "theme": e.theme,
            "kind": e.kind,
            "excerpt": e.excerpt,
            "location": e.location,
            "coder": e.coder,
            "note": e.note,
        }
        for e in ordered
    ]
    return pd.DataFrame(rows, columns=list(CODED_COLUMNS))


def sheets_that_count(
    coding_paths: Sequence[str],
    characteristics_path: str | None,
    index: StudyIndex | None,
    *,
    sheet_dir: str | os.PathLike | None = None,
    backup_dir: str | os.PathLike | None = None,
    reviewers: Sequence[Mapping[str, object]] = (),
) -> list[str]:
    """The coding sheets that count; a warning names each stray copy that does not
    (counted_coding_sheets), each coder name in them one or two characters off a
    reviewer's (mistyped_coders) and, given where the sheets and their copies are, each
    sheet gone since a run read it whose rows no sheet has now (gone_sheets). Reads, never
    writes: ``extract`` and ``prismake status`` both call it, so a coder who missed the
    one run that reran extract still hears of it. ``reviewers``: config's, whose sheets
    are never taken for copies."""
    counted = counted_coding_sheets(coding_paths, reviewers)
    mistyped_coders(counted, reviewers)
    if backup_dir is not None and sheet_dir is not None:
        read_now = [*counted, characteristics_path]
        gone_sheets(sheet_dir, backup_dir, [p for p in read_now if p], index, reviewers)
    return counted


def check_sheets(
    sheet_dir: str | os.PathLike,
    backup_dir: str | os.PathLike,
    studies_path: str | os.PathLike,
    reviewers: Sequence[Mapping[str, object]] = (),
) -> None:
    """What ``extract`` warns about the extraction sheets in ``sheet_dir`` (stray copies,
    coder names mistyped, sheets gone), from the files as they are now: for ``prismake
    status``, since Snakemake reruns extract (and says it) only when a sheet changes."""
    studies = read_table(studies_path, columns=STUDY_COLUMNS_USED)
    index = study_index(studies, pd.DataFrame({"study_id": [], "decision": []}))
    characteristics = Path(sheet_dir) / "characteristics.csv"
    sheets_that_count(
        coding_sheet_paths(sheet_dir),
        str(characteristics) if characteristics.exists() else None,
        index,
        sheet_dir=sheet_dir,
        backup_dir=backup_dir,
        reviewers=reviewers,
    )


def extract(
    *,
    codebook_path: str,
    decisions_path: str,
    studies_path: str,
    coding_paths: list[str],
    characteristics_path: str | None,
    extraction: dict,
    outputs: dict,
    backup_dir: str | None = None,
    sheet_dir: str | None = None,
    reviewers: Sequence[Mapping[str, object]] = (),
    typed_ids_path: str | None = None,
) -> None:
    """Check the coding and characteristics sheets and write the extraction tables.

    outputs: coded, characteristics, included, to_code, coder_agreement, coder_disagreements,
    and optionally coded_full (coded.csv with no excerpt cut to fit Excel, for the tables).
    Raises SheetError listing every problem in every sheet (nothing is written then).
    ``backup_dir``: where a copy of each sheet as read is kept (keep_sheet_copies), once
    the sheets have no mistake. ``sheet_dir`` (data/extraction): a sheet read before (it
    has a copy in ``backup_dir``) that is gone from there now is named in a warning.
    ``reviewers`` (config's, id and name): a sheet named by one is never a stray copy,
    and a coder config lists is shown by their id (read_coding). ``typed_ids_path``
    (full-text reviewer_decisions.csv): the ids screening sheets typed (study_index).
    """
    codebook = load_codebook(codebook_path)
    studies = read_table(studies_path, columns=STUDY_COLUMNS_USED)
    decisions = read_table(decisions_path, columns=["study_id", "decision"])
    included = included_studies(studies, decisions, decisions_path)
    labels = dict(zip(included["study_id"], included["citation_label"], strict=True))
    typed = None
    if typed_ids_path and Path(typed_ids_path).exists():
        typed = read_table(typed_ids_path)
        typed = typed[["study_id", "typed_id"]] if "typed_id" in typed.columns else None
    index = study_index(studies, decisions, typed)

    coding_paths = sheets_that_count(
        coding_paths,
        characteristics_path,
        index,
        sheet_dir=sheet_dir,
        backup_dir=backup_dir,
        reviewers=reviewers,
    )
    problems: list[Problem] = []
    excerpts: list[CodedExcerpt] = []
    try:
        excerpts = read_coding(coding_paths, codebook, index, reviewers)
    except SheetError as error:
        problems += error.problems
    names = list(extraction.get("characteristics", []))
    characteristics: dict[str, dict[str, str]] = {}
    if characteristics_path and os.path.exists(characteristics_path):
        try:
            characteristics = read_characteristics(characteristics_path, names, index)
        except SheetError as error:
            problems += error.problems
    if problems:
        raise SheetError("The extraction sheets have mistakes", problems)
    if backup_dir is not None:
        # only sheets a run could use: a copy of a sheet with a mistake the coder then
        # fixed would make the fix look like lost rows on the next run
        sheets = [*coding_paths, characteristics_path]
        keep_sheet_copies([p for p in sheets if p and os.path.exists(p)], backup_dir, index)

    # people open these three, later steps read them back (read_table(neutralised=True))
    coded = _coded_frame(excerpts, codebook, labels)
    write_sheet(coded, outputs["coded"])
    if "coded_full" in outputs:
        # what the tables and figures read: every excerpt whole (coded.csv cuts one longer
        # than an Excel cell, and its mark sends people to data/processed/ for the rest),
        # neutralised as coded.csv is, so both read back the same way
        write_table(coded.map(neutralise_formula), outputs["coded_full"], CODED_COLUMNS)
    write_sheet(included, outputs["included"])

    chars = included[["study_id", "citation_label"]].copy()
    for name in names:
        chars[name] = [characteristics.get(s, {}).get(name, "") for s in chars["study_id"]]
    write_sheet(chars, outputs["characteristics"], columns=["study_id", "citation_label", *names])
    missing_chars = sorted(set(included["study_id"]) - set(characteristics))
    if names and missing_chars:
        log.warning(
            "%d included studies have no row in the characteristics sheet: %s",
            len(missing_chars),
            ", ".join(missing_chars),
        )

    coded_studies = {e.study_id for e in excerpts}
    to_code = included[~included["study_id"].isin(coded_studies)]
    write_sheet(to_code, outputs["to_code"], columns=TO_CODE_COLUMNS)
    write_table(coder_agreement(excerpts, codebook), outputs["coder_agreement"], AGREEMENT_COLUMNS)
    write_sheet(
        coder_disagreements(excerpts, codebook, labels),
        outputs["coder_disagreements"],
        DISAGREEMENT_COLUMNS,
    )
    log.info(
        "%d included studies, %d coded (%d coded rows; in the tables a passage two coders "
        "coded counts once), %d still to code",
        len(included),
        len(coded_studies),
        len(excerpts),
        len(to_code),
    )
