"""Every PRISMA 2020 box counted from the pipeline's tables, and the arithmetic checked.

The counting model (what each box means here):

- Columns. A study belongs to the *databases and registers* column when at least one of
  its records comes from a search with source ``database`` or ``register``; it belongs to
  the *other methods* column when all its records come from searches with source
  ``other`` (such studies skip title/abstract screening, as in the PRISMA 2020 template).
- Rounds. Identification counts only the records of the latest search round R (round 1
  for a review that was never updated). A study is *new* when its earliest record is from
  round R; studies first found in an earlier round belong to the previous version.
- Records identified: records of round R, per database and per register (the template's
  footnote asks for each one), and per method in the other column.
- Duplicate records removed: database/register records of round R minus the new studies
  of that column. Records that join a study found in an earlier round count as duplicates
  (they were screened in the previous version). Records from other methods that join a
  database study, or another method's record, are not a box of the template; they are
  the ``other_duplicates`` row of counts.csv and a footnote of the diagram.
- Removed before screening: title/abstract decisions ``removed_automation`` and
  ``removed_other``. Records screened: the other title/abstract decisions. Records
  excluded: ``exclude`` (by a human) plus ``excluded_automation`` (never screened because
  the team stopped prioritised screening: the template's ``**`` split). Reports sought:
  full-text decisions of the column. Not retrieved: ``not_retrieved``. Reports excluded:
  full-text ``exclude``, per reason. Included: full-text ``include``.
- Awaiting decision. ``pending`` and ``conflict`` (unresolved disagreement) are shown, not
  hidden: "Records awaiting a decision" and "Reports awaiting a decision", so a review in
  progress still gets a diagram whose numbers add up.
- Reports. prismake counts one report per study (it does not link several reports to one
  study), so every "reports of ... studies" box equals its "studies" box.
- Previous version: ``prisma.previous_review`` from the config when given (reports default
  to studies), else the studies first found before round R that were included at full text.

Checks (per column): identified - duplicates - removed = screened; screened - excluded -
awaiting = sought; sought - not retrieved = assessed; assessed - excluded - awaiting =
included; and the tables agree with each other (every record's study exists, every study
has a decision where it should, dedupe counts match the records). A failure raises
``CountMismatchError`` naming the records or studies involved.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.csvio import read_table, write_table
from prismake.errors import CountMismatchError, Problem
from prismake.prisma.boxes import COUNT_COLUMNS, Box, read_counts  # noqa: F401 (also imported from here)

log = logging.getLogger("prismake")

TITLE_ABSTRACT = "title_abstract"
FULL_TEXT = "full_text"
DBR_SOURCES = ("database", "register")
AWAITING = ("pending", "conflict")
REMOVED = ("removed_automation", "removed_other")
# never screened because the team stopped prioritised screening: excluded by automation
EXCLUDED_AUTOMATION = "excluded_automation"
ALLOWED_DECISIONS = {
    TITLE_ABSTRACT: {"include", "exclude", "maybe", EXCLUDED_AUTOMATION, *AWAITING, *REMOVED},
    FULL_TEXT: {"include", "exclude", "not_retrieved", *AWAITING},
}
NO_REASON = "Reason not given"
_SHOWN_IDS = 20


def _ids(values: Iterable[str]) -> str:
    """A short, sorted list of ids for an error message."""
    ordered = sorted(set(values))
    shown = ", ".join(ordered[:_SHOWN_IDS])
    if len(ordered) > _SHOWN_IDS:
        shown += f" ... and {len(ordered) - _SHOWN_IDS} more"
    return shown


def _require(frame: pd.DataFrame, columns: Sequence[str], path: str, problems: list) -> bool:
    missing = [c for c in columns if c not in frame.columns]
    for name in missing:
        problems.append(
            Problem(
                path,
                f"column '{name}' is missing",
                column=name,
                hint="Re-run the step that writes this file (snakemake re-creates it)",
            )
        )
    return not missing


def _stage_of(path: str | Path) -> str:
    """results/screening/{stage}/decisions.csv -> stage."""
    return Path(path).parent.name


def _clean_decisions(frame: pd.DataFrame, stage: str, path: str, problems: list) -> pd.DataFrame:
    """Normalised decisions of one stage; unknown values and repeated studies are problems."""
    if not _require(frame, ["study_id", "decision"], path, problems):
        return pd.DataFrame(columns=["study_id", "decision", "reason"])
    frame = frame.copy()
    if "reason" not in frame.columns:
        frame["reason"] = ""
    frame["study_id"] = frame["study_id"].str.strip()
    frame["decision"] = frame["decision"].str.strip().str.lower()
    allowed = ALLOWED_DECISIONS.get(stage, set().union(*ALLOWED_DECISIONS.values()))
    bad = frame[~frame["decision"].isin(allowed)]
    for decision, rows in bad.groupby("decision", sort=True):
        problems.append(
            Problem(
                path,
                f"decision '{decision}' cannot be counted at stage {stage}; "
                f"studies: {_ids(rows['study_id'])}",
                column="decision",
                hint=f"Expected one of: {', '.join(sorted(allowed))}",
            )
        )
    repeated = frame[frame["study_id"].duplicated(keep=False)]
    if len(repeated):
        problems.append(
            Problem(
                path,
                f"studies with more than one decision row: {_ids(repeated['study_id'])}",
                column="study_id",
                hint="Each study has one final decision per stage",
            )
        )
    return frame.drop_duplicates("study_id", keep="first")


def _reason_counts(reasons: pd.Series, configured: Sequence[str]) -> list[tuple[str, int]]:
    """Reasons with their counts: the config's reasons first, in its order, then others."""
    spelling = {r.strip().casefold(): r for r in configured}
    counts: Counter[str] = Counter()
    for raw in reasons:
        text = " ".join(str(raw).split())
        counts[spelling.get(text.casefold(), text) if text else NO_REASON] += 1
    ordered = [r for r in configured if counts.get(r)]
    ordered += sorted(r for r in counts if r not in set(configured) and r != NO_REASON)
    ordered += [NO_REASON] if counts.get(NO_REASON) and NO_REASON not in configured else []
    return [(r, counts[r]) for r in ordered]


@dataclass
class _Column:
    """Screening flow of one column (databases/registers or other methods)."""

    prefix: str
    sought: int = 0
    not_retrieved: int = 0
    assessed: int = 0
    excluded: int = 0
    awaiting: int = 0
    included: int = 0
    reasons: list[tuple[str, int]] | None = None


def derive_counts(
    *,
    records: pd.DataFrame,
    studies: pd.DataFrame,
    dedupe_counts: pd.DataFrame,
    decisions: Mapping[str, pd.DataFrame],
    searches: Sequence[Mapping[str, Any]],
    screening: Mapping[str, Any] | None = None,
    previous_review: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Box]:
    """Count every box (see the module docstring) and check the arithmetic.

    ``decisions`` maps a stage (title_abstract, full_text) to its decisions table;
    ``files`` maps records, studies, dedupe_counts and each stage to its path, for messages.
    """
    files = dict(files or {})
    f_records = files.get("records", "data/processed/records.csv")
    f_studies = files.get("studies", "data/processed/studies.csv")
    f_dedupe = files.get("dedupe_counts", "results/dedupe/counts.csv")
    problems: list[Problem] = []
    reasons_configured = list((screening or {}).get("full_text_exclusion_reasons", []) or [])

    info = {s["name"]: s for s in searches}
    round_of = {name: int(s.get("round", 1) or 1) for name, s in info.items()}
    source_of = {name: s.get("source", "database") or "database" for name, s in info.items()}
    latest = max(round_of.values(), default=1)

    ok = _require(records, ["record_id", "search", "study_id"], f_records, problems)
    ok &= _require(studies, ["study_id"], f_studies, problems)
    if not ok:
        raise CountMismatchError("PRISMA counts cannot be derived", problems)

    records = records[["record_id", "search", "study_id"]].copy()
    unknown = records[~records["search"].isin(list(info))]
    if len(unknown):
        problems.append(
            Problem(
                f_records,
                f"records from searches not in the config ({_ids(unknown['search'])}): "
                f"{_ids(unknown['record_id'])}",
                column="search",
                hint="Re-run import and dedupe after changing the searches in config/config.yaml",
            )
        )
    study_ids = set(studies["study_id"])
    orphans = records[~records["study_id"].isin(study_ids)]
    if len(orphans):
        problems.append(
            Problem(
                f_records,
                f"records whose study is not in {f_studies}: {_ids(orphans['record_id'])}",
                column="study_id",
                hint="Re-run dedupe: records.csv and studies.csv must come from the same run",
            )
        )
    empty = sorted(study_ids - set(records["study_id"]))
    if empty:
        problems.append(
            Problem(
                f_studies,
                f"studies without any record in {f_records}: {_ids(empty)}",
                column="study_id",
                hint="Re-run dedupe: records.csv and studies.csv must come from the same run",
            )
        )
    _check_dedupe_counts(dedupe_counts, records, len(study_ids), f_dedupe, problems)
    if problems:
        raise CountMismatchError("PRISMA counts do not add up", problems)

    records["round"] = records["search"].map(round_of)
    records["source"] = records["search"].map(source_of)
    records["dbr"] = records["source"].isin(DBR_SOURCES)
    per_study = records.groupby("study_id").agg(first_round=("round", "min"), dbr=("dbr", "any"))
    new = per_study[per_study["first_round"] == latest]
    dbr_new = set(new.index[new["dbr"]])
    other_new = set(new.index[~new["dbr"]])
    current = records[records["round"] == latest]

    rows: list[Box] = []
    dbr_records = current[current["dbr"]]
    other_records = current[~current["dbr"]]
    for source, key, label in (
        ("database", "database_results", "Databases"),
        ("register", "register_results", "Registers"),
    ):
        chosen = dbr_records[dbr_records["source"] == source]
        rows.append(Box(key, label, len(chosen)))
        specific = key.replace("_results", "_specific")
        for name, n in _per_database(chosen, searches, latest, source):
            rows.append(Box(f"{specific}:{name}", name, n))
    rows.append(Box("other_results", "Other methods", len(other_records)))
    for name, n in _per_database(other_records, searches, latest, "other"):
        rows.append(Box(f"other_specific:{name}", name, n))

    f_ta = files.get(TITLE_ABSTRACT, f"results/screening/{TITLE_ABSTRACT}/decisions.csv")
    f_ft = files.get(FULL_TEXT, f"results/screening/{FULL_TEXT}/decisions.csv")
    ta = decisions.get(TITLE_ABSTRACT, pd.DataFrame(columns=["study_id", "decision", "reason"]))
    ft = decisions.get(FULL_TEXT, pd.DataFrame(columns=["study_id", "decision", "reason"]))
    ta = _clean_decisions(ta, TITLE_ABSTRACT, f_ta, problems)
    ft = _clean_decisions(ft, FULL_TEXT, f_ft, problems)
    for frame, path in ((ta, f_ta), (ft, f_ft)):
        stray = sorted(set(frame["study_id"]) - study_ids)
        if stray:
            problems.append(
                Problem(
                    path,
                    f"decisions for studies not in {f_studies}: {_ids(stray)}",
                    column="study_id",
                    hint="Re-run screening after dedupe so decisions follow the current studies",
                )
            )
    if problems:
        raise CountMismatchError("PRISMA counts do not add up", problems)
    _check_earlier_rounds_finished(per_study, latest, ta, ft, f_ta, f_ft, problems)
    if problems:
        raise CountMismatchError("PRISMA counts do not add up", problems)

    duplicates = len(dbr_records) - len(dbr_new)
    other_duplicates = len(other_records) - len(other_new)
    ta_dbr = ta[ta["study_id"].isin(dbr_new)]
    ta_of = dict(zip(ta_dbr["study_id"], ta_dbr["decision"], strict=True))
    unscreened = sorted(dbr_new - set(ta_of))
    removed_auto = sum(d == "removed_automation" for d in ta_of.values())
    removed_other = sum(d == "removed_other" for d in ta_of.values())
    screened_ids = {s for s, d in ta_of.items() if d not in REMOVED}
    screened = len(screened_ids)
    excluded_human = sum(ta_of[s] == "exclude" for s in screened_ids)
    excluded_automation = sum(ta_of[s] == EXCLUDED_AUTOMATION for s in screened_ids)
    records_excluded = excluded_human + excluded_automation
    records_awaiting_ids = sorted(s for s in screened_ids if ta_of[s] in AWAITING)
    passed = {s for s in screened_ids if ta_of[s] in ("include", "maybe")}
    identified = len(dbr_records)
    if identified - duplicates - removed_auto - removed_other != screened:
        problems.append(
            Problem(
                f_ta,
                f"records identified ({identified}) - duplicates ({duplicates}) - removed "
                f"before screening ({removed_auto + removed_other}) != records screened "
                f"({screened}); studies from databases/registers without a title/abstract "
                f"decision row: {_ids(unscreened)}",
                column="study_id",
                hint="Re-run the screening step so every new study has a decision row",
            )
        )

    ignored = sorted(set(ta["study_id"]) & other_new)
    if ignored:
        log.warning(
            "title/abstract decisions ignored for studies found only by other methods "
            "(they go straight to full text): %s",
            _ids(ignored),
        )

    ft_of = dict(zip(ft["study_id"], ft["decision"], strict=True))
    reason_of = dict(zip(ft["study_id"], ft["reason"], strict=True))
    dbr = _flow("dbr", passed, dbr_new, ft_of, reason_of, reasons_configured, f_ft, problems)
    sought_expected = screened - records_excluded - len(records_awaiting_ids)
    if sought_expected != dbr.sought:
        problems.append(
            Problem(
                f_ft,
                f"records screened ({screened}) - excluded ({records_excluded}) - awaiting "
                f"({len(records_awaiting_ids)}) != reports sought ({dbr.sought})",
                column="study_id",
            )
        )
    other = _flow(
        "other", other_new, other_new, ft_of, reason_of, reasons_configured, f_ft, problems
    )
    if problems:
        raise CountMismatchError("PRISMA counts do not add up", problems)
    if records_awaiting_ids:  # work in progress, shown in the diagram: not a problem
        log.info(
            "%d records await a title/abstract decision (pending or conflict): %s",
            len(records_awaiting_ids),
            _ids(records_awaiting_ids),
        )

    rows += [
        Box("duplicates", "Duplicate records removed", duplicates),
        Box("excluded_automatic", "Records marked as ineligible by automation tools", removed_auto),
        Box("excluded_other", "Records removed for other reasons", removed_other),
        Box("records_screened", "Records screened", screened),
        Box("records_excluded", "Records excluded", records_excluded),
        Box("records_excluded_human", "Records excluded by a human", excluded_human),
        Box(
            "records_excluded_automation",
            "Records excluded by automation tools (prioritised screening stopped)",
            excluded_automation,
        ),
        Box("records_awaiting", "Records awaiting a decision", len(records_awaiting_ids)),
    ]
    rows += _flow_rows(dbr)
    rows.append(
        Box("other_duplicates", "Records from other methods already found", other_duplicates)
    )
    rows += _flow_rows(other)

    new_studies = dbr.included + other.included
    if previous_review:
        previous_studies = int(previous_review.get("studies", 0) or 0)
        reports = previous_review.get("reports")
        previous_reports = previous_studies if reports is None else int(reports)
    else:
        earlier = set(per_study.index[per_study["first_round"] < latest])
        previous_studies = sum(ft_of.get(s) == "include" for s in earlier)
        previous_reports = previous_studies
        if latest > 1:
            log.info(
                "Previous version of the review: %s included at full text in search "
                "rounds before %d, counted from the sheets as they are now (a decision "
                "changed since that version was published changes it: to show the "
                "published figure, set prisma: previous_review: {studies: N} in config)",
                _studies(previous_studies),
                latest,
            )
    rows += [
        Box("new_studies", "Studies included in review", new_studies),
        Box("new_reports", "Reports of included studies", new_studies),
        Box("previous_studies", "Studies included in previous version of review", previous_studies),
        Box(
            "previous_reports",
            "Reports of studies included in previous version of review",
            previous_reports,
        ),
        Box("total_studies", "Total studies included in review", previous_studies + new_studies),
        Box("total_reports", "Reports of total included studies", previous_reports + new_studies),
        Box("latest_round", "Latest search round", latest),
    ]
    return rows


def _check_earlier_rounds_finished(
    per_study: pd.DataFrame,
    latest: int,
    ta: pd.DataFrame,
    ft: pd.DataFrame,
    f_ta: str,
    f_ft: str,
    problems: list[Problem],
) -> None:
    """Studies of an earlier search round still awaiting a decision are a problem.

    An updated review's diagram counts the latest round's records and takes the earlier
    rounds as a finished previous version (only their included studies appear), so such
    studies would be in no box. It is usually a search that tops up a review in progress
    given a new ``round``.
    """
    if latest == 1:
        return
    earlier = set(per_study.index[per_study["first_round"] < latest])
    for frame, path, stage in ((ta, f_ta, "title/abstract"), (ft, f_ft, "full-text")):
        waiting = frame[frame["study_id"].isin(earlier) & frame["decision"].isin(AWAITING)]
        if len(waiting):
            problems.append(
                Problem(
                    path,
                    f"{_studies(len(waiting))} of an earlier search round "
                    f"{'awaits' if len(waiting) == 1 else 'await'} a {stage} decision "
                    f"(pending or conflict): {_ids(waiting['study_id'])}. The diagram "
                    f"of an updated review counts only the records of round {latest} and "
                    "takes earlier rounds as a finished previous version, so these would be "
                    "in no box",
                    column="study_id",
                    hint="If the newer searches top up this review before it is finished, "
                    "give them the same round as the others (delete their 'round:' in "
                    "config/config.yaml); if they update a finished review, finish the "
                    "earlier round's screening first",
                )
            )


def _studies(n: int) -> str:
    return f"{n} study" if n == 1 else f"{n} studies"


def _per_database(
    chosen: pd.DataFrame, searches: Sequence[Mapping[str, Any]], latest: int, source: str
) -> list[tuple[str, int]]:
    """Records per database name (two exports of one database add up), in config order."""
    per_search = chosen["search"].value_counts()
    totals: dict[str, int] = {}
    for search in searches:
        if int(search.get("round", 1) or 1) != latest:
            continue
        if (search.get("source", "database") or "database") != source:
            continue
        name = str(search["database"])
        totals[name] = totals.get(name, 0) + int(per_search.get(search["name"], 0))
    return list(totals.items())


def _flow(
    prefix: str,
    candidates: set[str],
    column_studies: set[str],
    ft_of: Mapping[str, str],
    reason_of: Mapping[str, str],
    reasons_configured: Sequence[str],
    path: str,
    problems: list[Problem],
) -> _Column:
    """Full-text flow of one column: candidates must be exactly its full-text rows."""
    rows = {s for s in ft_of if s in column_studies}
    missing = sorted(candidates - rows)
    extra = sorted(rows - candidates)
    where = "databases/registers" if prefix == "dbr" else "other methods"
    if missing:
        problems.append(
            Problem(
                path,
                f"studies ({where}) that should be sought for retrieval have no full-text "
                f"decision row: {_ids(missing)}",
                column="study_id",
                hint="Re-run the screening step so the full-text candidates are up to date",
            )
        )
    if extra:
        problems.append(
            Problem(
                path,
                f"studies ({where}) with a full-text decision that did not pass "
                f"title/abstract screening: {_ids(extra)}",
                column="study_id",
                hint="Re-run the screening step so the full-text candidates are up to date",
            )
        )
    decided = {s: ft_of[s] for s in rows & candidates}
    column = _Column(prefix)
    column.sought = len(decided)
    column.not_retrieved = sum(d == "not_retrieved" for d in decided.values())
    column.assessed = sum(d != "not_retrieved" for d in decided.values())
    excluded = [s for s, d in decided.items() if d == "exclude"]
    column.excluded = len(excluded)
    awaiting = sorted(s for s, d in decided.items() if d in AWAITING)
    column.awaiting = len(awaiting)
    column.included = sum(d == "include" for d in decided.values())
    column.reasons = _reason_counts(
        pd.Series([reason_of[s] for s in sorted(excluded)]), reasons_configured
    )
    if column.sought - column.not_retrieved != column.assessed:
        problems.append(
            Problem(path, f"{where}: reports sought - not retrieved != reports assessed")
        )
    if column.assessed - column.excluded - column.awaiting != column.included:
        problems.append(
            Problem(path, f"{where}: reports assessed - excluded - awaiting != studies included")
        )
    if awaiting:  # work in progress, shown in the diagram: not a problem
        log.info(
            "%d reports (%s) await a full-text decision: %s", len(awaiting), where, _ids(awaiting)
        )
    return column


def _flow_rows(column: _Column) -> list[Box]:
    p = column.prefix
    rows = [
        Box(f"{p}_sought_reports", "Reports sought for retrieval", column.sought),
        Box(f"{p}_notretrieved_reports", "Reports not retrieved", column.not_retrieved),
        Box(f"{p}_assessed", "Reports assessed for eligibility", column.assessed),
        Box(f"{p}_excluded", "Reports excluded", column.excluded),
    ]
    rows += [Box(f"{p}_excluded_reason:{r}", r, n) for r, n in column.reasons or []]
    rows += [
        Box(f"{p}_awaiting", "Reports awaiting a decision", column.awaiting),
        Box(f"{p}_included", "Studies included", column.included),
    ]
    return rows


def _check_dedupe_counts(
    dedupe_counts: pd.DataFrame, records: pd.DataFrame, n_studies: int, path: str, problems: list
) -> None:
    """results/dedupe/counts.csv must agree with records.csv and studies.csv."""
    if not _require(
        dedupe_counts, ["search", "records_identified", "duplicates_removed"], path, problems
    ):
        return
    per_search = records["search"].value_counts()
    for row_number, row in enumerate(dedupe_counts.itertuples(index=False), start=2):
        expected = int(per_search.get(row.search, 0))
        try:
            stated = int(row.records_identified)
        except ValueError:
            stated = -1
        if stated != expected:
            problems.append(
                Problem(
                    path,
                    f"search '{row.search}' has {stated} records here "
                    f"but {expected} in records.csv",
                    row=row_number,
                    column="records_identified",
                    hint="Re-run dedupe: its tables must come from the same run",
                )
            )
    try:
        removed = sum(int(v) for v in dedupe_counts["duplicates_removed"])
        total = sum(int(v) for v in dedupe_counts["records_identified"])
    except ValueError:
        problems.append(Problem(path, "counts are not whole numbers", column="duplicates_removed"))
        return
    if total - removed != n_studies:
        problems.append(
            Problem(
                path,
                f"records ({total}) - duplicates removed ({removed}) = {total - removed}, "
                f"but studies.csv has {n_studies} studies",
                column="duplicates_removed",
                hint="Re-run dedupe: its tables must come from the same run",
            )
        )


def read_decisions(paths: Sequence[str]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Decisions tables keyed by stage (the folder name), and their paths."""
    decisions = {}
    files = {}
    for path in paths:
        stage = _stage_of(path)
        decisions[stage] = read_table(path)
        files[stage] = str(path)
    return decisions, files


def counts_frame(rows: Sequence[Box]) -> pd.DataFrame:
    return pd.DataFrame([(b.key, b.label, b.n) for b in rows], columns=COUNT_COLUMNS)


def write_prisma_counts(
    *,
    records_path: str,
    studies_path: str,
    dedupe_counts_path: str,
    decisions_paths: Sequence[str],
    searches: Sequence[Mapping[str, Any]],
    screening: Mapping[str, Any],
    prisma: Mapping[str, Any],
    counts_out: str,
    prisma_csv_out: str,
    prisma_csv_v111_out: str | None = None,
) -> None:
    """Derive and check every PRISMA count; write counts.csv and the PRISMA2020 PRISMA.csv."""
    from prismake.prisma.prisma_csv import write_prisma_csv

    decisions, files = read_decisions(decisions_paths)
    files.update(records=records_path, studies=studies_path, dedupe_counts=dedupe_counts_path)
    rows = derive_counts(
        records=read_table(records_path),
        studies=read_table(studies_path),
        dedupe_counts=read_table(dedupe_counts_path),
        decisions=decisions,
        searches=searches,
        screening=screening,
        previous_review=(prisma or {}).get("previous_review"),
        files=files,
    )
    write_table(counts_frame(rows), counts_out, COUNT_COLUMNS)
    write_prisma_csv(rows, prisma_csv_out, prisma_csv_v111_out)
    log.info("PRISMA counts: %d rows (boxes and their detail lines) in %s", len(rows), counts_out)
