"""What each database yielded, and a methods paragraph with the review's numbers filled in.

The database yield table (results/tables/database_yield.*) has one row per database,
register or other method as named in the config (two exports of one database add up):
its records, the studies they became after deduplication, the studies no other search
found, and the included studies among them (full-text ``include``, every round). The
methods paragraph (results/report/methods.md) is a draft for the paper: searches and
dates, deduplication, screening mode, reviewers and agreement, and the PRISMA counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from prismake import __version__
from prismake.csvio import read_table
from prismake.prisma.counts import FULL_TEXT, Box, read_counts, read_decisions
from prismake.tableformats import write_formats

log = logging.getLogger("prismake")

YIELD_COLUMNS = [
    "Database",
    "Source",
    "Records",
    "Studies",
    "Studies found only here",
    "Included studies",
    "Included studies found only here",
]
STAGE_WORDS = {"title_abstract": "title and abstract", "full_text": "full-text"}


def database_yield(
    records: pd.DataFrame, included: set[str], searches: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """One row per database (config order) and a total row; see the module docstring."""
    database_of = {s["name"]: str(s["database"]) for s in searches}
    source_of = {str(s["database"]): s.get("source", "database") or "database" for s in searches}
    frame = records[["record_id", "search", "study_id"]].copy()
    frame["database"] = frame["search"].map(database_of)
    databases_per_study = frame.groupby("study_id")["database"].nunique()
    only_here = set(databases_per_study.index[databases_per_study == 1])
    rows = []
    for database in dict.fromkeys(database_of.values()):
        mine = frame[frame["database"] == database]
        studies = set(mine["study_id"])
        rows.append(
            (
                database,
                source_of[database],
                len(mine),
                len(studies),
                len(studies & only_here),
                len(studies & included),
                len(studies & included & only_here),
            )
        )
    all_studies = set(frame["study_id"])
    rows.append(
        (
            "Total (after deduplication)",
            "",
            len(frame),
            len(all_studies),
            len(all_studies & only_here),
            len(all_studies & included),
            len(all_studies & included & only_here),
        )
    )
    table = pd.DataFrame(rows, columns=YIELD_COLUMNS)
    for column in YIELD_COLUMNS[2:]:
        table[column] = table[column].astype("int64")
    return table


def _date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return f"{day.day} {day:%B %Y}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _searched(search: Mapping[str, Any]) -> str:
    return f"{search['database']} ({_date(search['date_searched'])})"


def _code(text: str) -> str:
    """Markdown inline code that survives backticks inside the query."""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _searches_text(searches: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    rounds = sorted({int(s.get("round", 1) or 1) for s in searches})
    for number in rounds:
        chosen = [s for s in searches if int(s.get("round", 1) or 1) == number]
        dbr = [_searched(s) for s in chosen if s.get("source", "database") != "other"]
        other = [_searched(s) for s in chosen if s.get("source") == "other"]
        dbr, other = list(dict.fromkeys(dbr)), list(dict.fromkeys(other))
        lead = "We searched" if number == 1 else f"Update searches (round {number}) covered"
        parts = []
        if dbr:
            parts.append(f"{lead} {_join(dbr)}.")
        if other:
            parts.append(f"{'We also used' if dbr else lead} {_join(other)}.")
        lines.append(" ".join(parts))
    return lines


def _screening_text(stage: str, settings: Mapping[str, Any]) -> str:
    what = "records" if stage == "title_abstract" else "full-text reports"
    reviewers = [str(r) for r in settings.get("reviewers", [])]
    mode = settings.get("mode", "single")
    words = STAGE_WORDS.get(stage, stage)
    if mode == "dual":
        who = _join(reviewers) if len(reviewers) == 2 else f"two of {_join(reviewers)}"
        return (
            f"At {words} screening, {who} independently screened all {what}; disagreements "
            f"were resolved and recorded in data/screening/{stage}/resolutions.csv."
        )
    if mode == "split":
        share = float(settings.get("double_fraction", 0.2))
        return (
            f"At {words} screening, the {what} were shared between {_join(reviewers)}; "
            f"{share:.0%} of them were screened independently by two reviewers to measure "
            "agreement."
        )
    return f"At {words} screening, {_join(reviewers)} screened each of the {what} alone."


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN


def _agreement_text(agreement: pd.DataFrame) -> list[str]:
    lines = []
    for row in agreement.itertuples(index=False):
        kappa = _number(getattr(row, "kappa", ""))
        percent = _number(getattr(row, "percent_agreement", ""))
        if kappa is None and percent is None:
            continue
        words = STAGE_WORDS.get(row.stage, row.stage)
        text = f"Agreement between {row.reviewer_a} and {row.reviewer_b} at {words} screening"
        text += f" (n = {row.n})" if str(getattr(row, "n", "")).strip() else ""
        facts = []
        if percent is not None:
            facts.append(f"{percent:.1f}% agreement")
        if kappa is not None:
            low = _number(getattr(row, "kappa_ci_low", ""))
            high = _number(getattr(row, "kappa_ci_high", ""))
            ci = (
                f" (95% CI {low:.2f} to {high:.2f})" if low is not None and high is not None else ""
            )
            facts.append(f"Cohen's kappa {kappa:.2f}{ci}")
        lines.append(f"{text}: {', '.join(facts)}.")
    return lines


def _flow_text(counts: Mapping[str, int], reasons: list[tuple[str, int]]) -> str:
    c = counts.get
    other = f" and {c('other_results', 0):,} from other methods" if c("other_results") else ""
    parts = [
        f"The searches identified {c('database_results', 0):,} records from databases, "
        f"{c('register_results', 0):,} from registers{other}."
    ]
    removed = c("excluded_automatic", 0) + c("excluded_other", 0)
    parts.append(
        f"After removing {c('duplicates', 0):,} duplicate records"
        + (f" and {removed:,} records marked before screening" if removed else "")
        + f", we screened {c('records_screened', 0):,} records by title and abstract and "
        f"excluded {c('records_excluded', 0):,}."
    )
    if c("records_awaiting"):
        parts.append(
            f"Records still awaiting a title/abstract decision: {c('records_awaiting'):,}."
        )
    why = f" ({'; '.join(f'{r}: {n:,}' for r, n in reasons)})" if reasons else ""
    parts.append(
        f"We sought {c('dbr_sought_reports', 0):,} reports for retrieval, could not retrieve "
        f"{c('dbr_notretrieved_reports', 0):,}, assessed {c('dbr_assessed', 0):,} for "
        f"eligibility and excluded {c('dbr_excluded', 0):,}{why}."
    )
    if c("other_sought_reports"):
        parts.append(
            f"Other methods added {c('other_sought_reports'):,} reports to seek; we assessed "
            f"{c('other_assessed', 0):,} of them and excluded {c('other_excluded', 0):,}."
        )
    awaiting = c("dbr_awaiting", 0) + c("other_awaiting", 0)
    if awaiting:
        parts.append(f"Reports still awaiting a full-text decision: {awaiting:,}.")
    parts.append(
        f"In total, the review includes {c('new_studies', 0):,} new studies (prismake counts "
        "one report per study)."
        if c("previous_studies")
        else f"In total, the review includes {c('new_studies', 0):,} studies (prismake counts "
        "one report per study)."
    )
    if c("previous_studies"):
        parts.append(
            f"With the {c('previous_studies'):,} studies of the previous version, it includes "
            f"{c('total_studies', 0):,} studies."
        )
    return " ".join(parts)


def methods_markdown(
    *,
    rows: Sequence[Box],
    agreement: pd.DataFrame,
    review: Mapping[str, Any],
    searches: Sequence[Mapping[str, Any]],
    screening: Mapping[str, Any],
    dedupe: Mapping[str, Any],
) -> str:
    """The methods paragraph as Markdown, numbers taken from counts.csv."""
    counts = {b.key: b.n for b in rows}
    reasons = [(b.label, b.n) for b in rows if b.key.startswith("dbr_excluded_reason:")]
    lines = [f"# Methods: {review.get('title', 'systematic review')}", ""]
    if review.get("fictional"):
        lines += ["> The review and its numbers are fictional (prismake's demo review).", ""]
    lines += ["_A draft generated by prismake from the review's data; adapt it for the paper._", ""]
    lines += ["## Searches", "", *_searches_text(searches), ""]
    lines += ["Search strings:", ""]
    for search in searches:
        query = str(search.get("query", "") or "").strip() or "(not recorded)"
        lines.append(f"- {_searched(search)}: {_code(query)}")
    maybe = float(dedupe.get("maybe_threshold", 0.8))
    duplicate = float(dedupe.get("duplicate_threshold", 0.93))
    lines += [
        "",
        "## Deduplication",
        "",
        f"Records were deduplicated with prismake {__version__}: pairs of records with a "
        f"similarity of at least {duplicate:.2f} were merged, and pairs between {maybe:.2f} "
        f"and {duplicate:.2f} were checked by a reviewer (data/screening/duplicates.csv).",
        "",
        "## Screening",
        "",
    ]
    stages = screening.get("stages", {}) or {}
    lines += [_screening_text(stage, settings) for stage, settings in stages.items()]
    agreement_lines = _agreement_text(agreement)
    if agreement_lines:
        lines += ["", *agreement_lines]
    lines += ["", "## Results of the search", "", _flow_text(counts, reasons), ""]
    return "\n".join(lines)


def write_database_yield(
    *,
    counts_path: str,
    records_path: str,
    studies_path: str,
    decisions_paths: Sequence[str],
    agreement_path: str,
    review: Mapping[str, Any],
    searches: Sequence[Mapping[str, Any]],
    screening: Mapping[str, Any],
    dedupe: Mapping[str, Any],
    table_outputs: list[str],
    methods_out: str,
    reviewers: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Write the database yield table (csv/md/tex/html) and the methods paragraph.

    ``reviewers`` (config entries with id and name) lets the paragraph name people as
    the paper would, not by the ids their sheets are called.
    """
    records = read_table(records_path, ["record_id", "search", "study_id"])
    decisions, _files = read_decisions(decisions_paths)
    full_text = decisions.get(FULL_TEXT, pd.DataFrame(columns=["study_id", "decision"]))
    included = set(
        full_text.loc[full_text["decision"].str.strip().str.lower() == "include", "study_id"]
    )
    known = set(read_table(studies_path, ["study_id"])["study_id"])
    table = database_yield(records, included & known, searches)
    write_formats(
        table,
        table_outputs,
        caption="Records, studies and included studies per database",
    )
    agreement = read_table(agreement_path) if Path(agreement_path).exists() else pd.DataFrame()
    text = methods_markdown(
        rows=read_counts(counts_path),
        agreement=agreement,
        review=review,
        searches=searches,
        screening=_named_reviewers(screening, reviewers),
        dedupe=dedupe,
    )
    Path(methods_out).parent.mkdir(parents=True, exist_ok=True)
    Path(methods_out).write_text(text, encoding="utf-8", newline="\n")
    log.info("database yield: %d databases; methods paragraph in %s", len(table) - 1, methods_out)


def _named_reviewers(
    screening: Mapping[str, Any], reviewers: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any]:
    """``screening`` with each stage's reviewer ids replaced by their names, where given."""
    names = {str(r["id"]): str(r.get("name") or r["id"]) for r in reviewers}
    stages = {
        stage: {**settings, "reviewers": [names.get(str(r), str(r)) for r in settings["reviewers"]]}
        for stage, settings in screening.get("stages", {}).items()
    }
    return {**screening, "stages": stages}
