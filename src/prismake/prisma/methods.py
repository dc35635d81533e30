"""What each database yielded, and a methods paragraph with the review's numbers filled in.

The database yield table (results/tables/database_yield.*) has one row per database,
register or other method as named in the config (two exports of one database add up):
the records it gave (before deduplication), the studies those records belong to after
deduplication, the studies no other source found, and the included studies among them
(full-text ``include``, every round). Its total row counts every record once and every
study once.

The methods paragraph (results/report/methods.md) is a draft an author can paste into the
paper: what was searched and when, how duplicates were found, who screened and how, the
agreement, and the PRISMA counts. Every sentence is true of the review as it stands: a
review still being screened says so and how far it has got, instead of claiming work
that is not done; reviewers are named as the config names them; no file paths.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from prismake import __version__
from prismake.csvio import read_table
from prismake.prisma.counts import FULL_TEXT, TITLE_ABSTRACT, Box, read_counts, read_decisions
from prismake.screening.agreement import LeftOut, left_out, on_screened_studies
from prismake.screening.decisions import AGREEMENT_CATEGORIES, NOT_SCREENED_BASES
from prismake.screening.priority import PriorityModel
from prismake.tableformats import markdown_escape, write_formats

log = logging.getLogger("prismake")

YIELD_COLUMNS = [
    "Database",
    "Source",
    "Records identified",
    "Studies (after deduplication)",
    "Studies found only here",
    "Included studies",
    "Included studies found only here",
]
TOTAL_ROW = "Total (each study counted once)"
YIELD_CAPTION = (
    "Records identified per database (before deduplication), the studies they belong to "
    "after deduplication, and the included studies among them"
)
STAGE_WORDS = {TITLE_ABSTRACT: "title and abstract", FULL_TEXT: "full-text"}
UNIT = {TITLE_ABSTRACT: ("record", "records"), FULL_TEXT: ("report", "reports")}
DECIDED = ("include", "exclude", "maybe", "not_retrieved")
# not retrieved judges no eligibility: agreement leaves it out (prismake.screening.agreement)
ELIGIBILITY_ONLY = "The statistics compare eligibility decisions (include or exclude) only"


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
            TOTAL_ROW,
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


# ---------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``1 record``, ``2 records``, ``1 study``, ``3 studies`` (plural given when irregular)."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _none(n: int) -> str:
    """A number in running text: ``none`` for zero."""
    return f"{n:,}" if n else "none"


def _awaits(n: int) -> str:
    return "awaits" if n == 1 else "await"


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
    return (
        f"{markdown_escape(search['database'])} ({markdown_escape(_date(search['date_searched']))})"
    )


def _code(text: str) -> str:
    """Markdown inline code that survives backticks inside the query."""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _round(search: Mapping[str, Any]) -> int:
    return int(search.get("round", 1) or 1)


def _source(search: Mapping[str, Any]) -> str:
    return str(search.get("source", "database") or "database")


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN


# ---------------------------------------------------------------------------------------
# Searches and deduplication
# ---------------------------------------------------------------------------------------


def _searches_text(searches: Sequence[Mapping[str, Any]]) -> list[str]:
    """One sentence or two per search round: databases and registers, then other methods."""
    lines = []
    for number in sorted({_round(s) for s in searches}):
        chosen = [s for s in searches if _round(s) == number]
        by_source = {
            source: list(dict.fromkeys(_searched(s) for s in chosen if _source(s) == source))
            for source in ("database", "register", "other")
        }
        databases, registers, other = (
            by_source["database"],
            by_source["register"],
            by_source["other"],
        )
        searched = []
        if databases:
            searched.append(_join(databases))
        if registers:
            kind = "register" if len(registers) == 1 else "registers"
            searched.append(f"the {kind} {_join(registers)}")
        update = f"For the update (search round {number}), we" if number > 1 else "We"
        parts = [f"{update} searched {' and '.join(searched)}."] if searched else []
        if other:
            lead = "We also" if searched else update
            parts.append(f"{lead} identified studies through other methods: {_join(other)}.")
        lines.append(" ".join(parts))
    return lines


def _dedupe_text(dedupe: Mapping[str, Any], pairs_to_check: int | None) -> str:
    maybe = float(dedupe.get("maybe_threshold", 0.8))
    duplicate = float(dedupe.get("duplicate_threshold", 0.93))
    text = (
        f"Duplicate records were found with prismake {__version__}: records with a similarity "
        f"of at least {duplicate:.2f} were merged into one study, and pairs scoring between "
        f"{maybe:.2f} and {duplicate:.2f} "
    )
    if pairs_to_check:
        return (
            text + f"are checked by a reviewer; {counted(pairs_to_check, 'pair')} still "
            f"{_awaits(pairs_to_check)} that check."
        )
    return text + "were checked by a reviewer."


# ---------------------------------------------------------------------------------------
# Screening
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageProgress:
    """How far one screening stage has got, from its decisions table."""

    total: int  # studies at this stage (those removed before screening not counted)
    decided: int  # with a final decision
    unresolved: int  # reviewers disagree and nobody has resolved it yet
    pending: int  # still waiting for a reviewer's decision
    double: int  # decided by two reviewers (the agreement sample)
    resolved: int  # disagreements settled by a resolution
    resolvers: tuple[str, ...]  # who settled them
    resolved_on_reason: int = 0  # of them, on the exclusion reason only (same decision)
    automation: int = 0  # never screened: the team stopped prioritised screening
    automation_reason: str = ""  # the stopping rule's verdict when the team stopped
    screened_by_people: int = 0  # beside them: screened by reviewers (same search round)
    decided_by: tuple[str, ...] = ()  # ids of everyone who typed a decision at the stage
    # per reviewer pair: studies both decided that agreement leaves out (not retrieved)
    left_out: Mapping[frozenset[str], LeftOut] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.unresolved == 0 and self.pending == 0


def stage_progress(
    decisions: pd.DataFrame,
    agreement: pd.DataFrame,
    conflicts: pd.DataFrame | None,
    stage: str,
    names: Mapping[str, str],
    latest_round: set[str] | None = None,
) -> StageProgress:
    """Counts for one stage: decisions.csv, agreement.csv rows and conflicts.csv.

    ``latest_round``: the studies of an update's search round; where the team stopped
    prioritised screening is told of them alone, as the diagram counts them."""
    decision = decisions.get("decision", pd.Series(dtype=str)).astype(str).str.strip().str.lower()
    basis = decisions.get("basis", pd.Series([""] * len(decisions), dtype=str)).astype(str)
    screened = ~basis.str.strip().isin(NOT_SCREENED_BASES).values
    in_round = np.ones(len(decisions), dtype=bool)
    if latest_round is not None:
        in_round = decisions.get("study_id", pd.Series(dtype=str)).isin(latest_round).values
    automated = (basis.values == "automation") & in_round
    reasons = decisions.get("reason", pd.Series([""] * len(decisions), dtype=str)).astype(str)
    double = 0
    if len(agreement) and "stage" in agreement.columns:
        for value in agreement.loc[agreement["stage"] == stage, "n"]:
            double += int(_number(value) or 0)
    resolved, resolvers, on_reason = 0, (), 0
    if conflicts is not None and "status" in conflicts.columns:
        settled = conflicts[conflicts["status"].astype(str).str.strip() == "resolved"]
        resolved = len(settled)
        if {"decision_a", "decision_b"} <= set(settled.columns):
            same = settled["decision_a"].astype(str).str.strip().str.lower() == (
                settled["decision_b"].astype(str).str.strip().str.lower()
            )
            on_reason = int(same.sum())
        by = settled.get("resolved_by", pd.Series(dtype=str)).astype(str).str.strip()
        resolvers = tuple(dict.fromkeys(names.get(r, r) for r in by if r))
        unknown = sorted({r for r in by if r and r not in names})
        if names and unknown:
            log.warning(
                "%s conflicts: resolved_by %s is not a reviewer in config/config.yaml, so the "
                "methods paragraph names them so; add them to reviewers (id and name) to "
                "name them as the paper should",
                stage,
                ", ".join(repr(r) for r in unknown),
            )
    return StageProgress(
        total=int(screened.sum()),
        decided=int((decision[screened].isin(DECIDED)).sum()),
        unresolved=int((decision[screened] == "conflict").sum()),
        pending=int((decision[screened] == "pending").sum()),
        double=double,
        resolved=resolved,
        resolvers=resolvers,
        resolved_on_reason=on_reason,
        automation=int(automated.sum()),
        automation_reason=next(iter(reasons[automated]), ""),
        # a study still waiting in a sheet has not been screened yet
        screened_by_people=int(
            (screened & in_round & decision.isin([*DECIDED, "conflict"]).values).sum()
        ),
    )


def _prioritised_text(settings: Mapping[str, Any], progress: StageProgress | None) -> str:
    """How prioritised screening worked, and where the team stopped (when it did)."""
    chosen = settings.get("prioritise")
    if chosen is None:
        return ""
    chosen = chosen or {}
    batch = int(chosen.get("batch", 50))
    seeds = len(chosen.get("seed") or [])
    target = float(chosen.get("target_recall", 0.95))
    confidence = float(chosen.get("confidence", 0.95))
    text = (
        "Records were screened in order of predicted relevance (prioritised screening with "
        f"prismake {__version__}: {PriorityModel().describe()}; batches of up to "
        f"{batch:,} records, smaller at the start while few decisions were known"
    )
    if seeds:
        # when the seeds were given is not known: the sentence does not say "from the start"
        text += (
            f", with {counted(seeds, 'study', 'studies')} known to be relevant given to the "
            "model as seeds"
        )
    text += (
        "). The stopping rule was the hypergeometric test of Callaghan and Müller-Hansen "
        f"(2020), with a target recall of {target:.0%} and {confidence:.0%} confidence."
    )
    if progress is not None and progress.automation:
        verdict = f" ({progress.automation_reason})" if progress.automation_reason else ""
        text += (
            f" We stopped screening after {counted(progress.screened_by_people, 'record')}"
            f"{verdict}; the "
            f"{counted(progress.automation, 'record')} not screened {_were(progress.automation)} "
            "counted as excluded by automation tools."
        )
    return text


def _who(mode: str, reviewers: list[str], n: int, unit: tuple[str, str], *, done: bool) -> str:
    """Who screens what, in the past tense for a finished stage, present otherwise."""
    one, many = unit
    every = f"each of the {n:,} {many}" if done and n > 1 else f"each {one}"
    if mode == "dual" and len(reviewers) == 2:
        verb = "independently screened" if done else "independently screen"
        return f"{_join(reviewers)} {verb} {every}"
    if mode == "dual":
        verb = "was screened" if done else "is screened"
        return f"{every} {verb} independently by two of {_join(reviewers)}"
    if len(reviewers) == 1:
        return f"{reviewers[0]} {'screened' if done else 'screens'} {every}"
    what = f"the {n:,} {many} were shared" if done else f"the {many} are shared"
    return f"{what} between {_join(reviewers)}, one reviewer per {one}"


def _screening_text(
    stage: str,
    settings: Mapping[str, Any],
    progress: StageProgress | None,
    earlier_open: str | None = None,
) -> str:
    """What happened at one stage; ``progress`` None when the stage's tables are absent.

    ``earlier_open`` names an earlier stage still in progress: more studies will come,
    so this stage is not finished either, whatever its own numbers say.
    """
    words = STAGE_WORDS.get(stage, stage.replace("_", " "))
    unit = UNIT.get(stage, ("study", "studies"))
    reviewers = [str(r) for r in settings.get("reviewers", [])]
    mode = str(settings.get("mode", "single"))
    share = float(settings.get("double_fraction", 0.2))
    if progress is None:
        return f"At {words} screening, {_who(mode, reviewers, 0, unit, done=False)}."
    if progress.total == 0:
        return f"No {unit[1]} have reached {words} screening yet."
    if progress.complete and not earlier_open:
        text = f"At {words} screening, {_who(mode, reviewers, progress.total, unit, done=True)}"
        if mode == "split":
            part = progress.double / progress.total
            text += (
                f"; {counted(progress.double, unit[0])} ({part:.0%}) {_were(progress.double)} "
                "screened independently by two reviewers to measure agreement"
            )
        text += "."
        if progress.resolved:
            resolvers = [markdown_escape(r) for r in progress.resolvers]
            by = f" by {_join(resolvers)}" if resolvers else ""
            # agreement statistics compare decisions only: say which were on the reason
            reason = (
                f" ({progress.resolved_on_reason:,} on the exclusion reason only)"
                if progress.resolved_on_reason
                else ""
            )
            text += (
                f" {counted(progress.resolved, 'disagreement')} between reviewers{reason} "
                f"{_were(progress.resolved)} resolved{by}."
            )
        return text
    who = _who(mode, reviewers, progress.total, unit, done=False)
    if mode == "split":
        who += f", and {share:.0%} of them are screened independently by two to measure agreement"
    waiting = []
    if progress.unresolved:
        waiting.append(
            f"{counted(progress.unresolved, 'disagreement')} between reviewers "
            f"{_awaits(progress.unresolved)} resolution"
        )
    if progress.pending:
        waiting.append(
            f"{counted(progress.pending, unit[0])} still {_awaits(progress.pending)} "
            "a reviewer's decision"
        )
    how_many = f"{progress.decided:,} of the {counted(progress.total, unit[0])}"
    if progress.decided == progress.total:
        how_many = (
            f"all {progress.total:,} {unit[1]}" if progress.total > 1 else f"the one {unit[0]}"
        )
    if not waiting:
        waiting.append(f"more {unit[1]} will come as {earlier_open} screening goes on")
    return (
        f"{words[0].upper()}{words[1:]} screening is in progress: {who}. So far, {how_many} "
        f"{'has' if progress.decided == 1 else 'have'} a final decision; {_join(waiting)}."
    )


def _not_retrieved_by(left: LeftOut) -> str:
    """Who recorded the studies a pair shares as not retrieved: one of them, both, or either."""
    if left.by_one and left.by_both:
        return f"one of them ({left.by_one:,}) or both ({left.by_both:,})"
    return "one of them" if left.by_one else "both"


def _agreement_text(
    agreement: pd.DataFrame,
    names: Mapping[str, str],
    progress: Mapping[str, StageProgress] | None = None,
) -> list[str]:
    """One sentence per reviewer pair; where the statistics leave out studies both
    screened (not retrieved at full text), how many and why."""
    progress = progress or {}
    lines = []
    reported: set[tuple[str, frozenset[str]]] = set()
    for row in agreement.itertuples(index=False):
        kappa = _number(getattr(row, "kappa", ""))
        percent = _number(getattr(row, "percent_agreement", ""))
        pair = frozenset((str(row.reviewer_a), str(row.reviewer_b)))
        if kappa is None and percent is None:  # n = 0: said below, when left out
            continue
        reported.add((str(row.stage), pair))
        words = STAGE_WORDS.get(row.stage, row.stage)
        a = markdown_escape(names.get(str(row.reviewer_a), str(row.reviewer_a)))
        b = markdown_escape(names.get(str(row.reviewer_b), str(row.reviewer_b)))
        text = f"Agreement between {a} and {b} at {words} screening"
        text += f" (n = {row.n})" if str(getattr(row, "n", "")).strip() else ""
        facts = []
        if percent is not None:
            facts.append(f"{percent:.1f}% agreement")
        if kappa is not None:
            low = _number(getattr(row, "kappa_ci_low", ""))
            high = _number(getattr(row, "kappa_ci_high", ""))
            if low is not None and high is not None:
                ci = f" (95% CI {low:.2f} to {high:.2f})"
            elif kappa >= 1.0:  # agreement.py leaves out the CI: its standard error is 0
                ci = " (perfect agreement, for which no confidence interval can be computed)"
            else:
                ci = " (too few studies screened by both for a confidence interval)"
            facts.append(f"Cohen's kappa {kappa:.2f}{ci}")
        text = f"{text}: {', '.join(facts)}."
        done = progress.get(str(row.stage))
        left = done.left_out.get(pair) if done else None
        if left is not None:
            one, many = UNIT.get(str(row.stage), ("study", "studies"))
            text += (
                f" {ELIGIBILITY_ONLY}: n leaves out {counted(left.total, one, many)} that both "
                f"screened and {_not_retrieved_by(left)} recorded as not retrieved."
            )
        lines.append(text)
    for stage, done in progress.items():
        one, many = UNIT.get(stage, ("study", "studies"))
        for pair, left in sorted(done.left_out.items(), key=lambda item: sorted(item[0])):
            if (stage, pair) in reported:
                continue
            a, b = (markdown_escape(names.get(r, r)) for r in sorted(pair))
            lines.append(
                f"No agreement between {a} and {b} at {STAGE_WORDS.get(stage, stage)} "
                f"screening is reported: the {counted(left.total, one, many)} both screened "
                f"{_were(left.total)} recorded as not retrieved by {_not_retrieved_by(left)}. "
                f"{ELIGIBILITY_ONLY}."
            )
    return lines


# ---------------------------------------------------------------------------------------
# Results of the search (the PRISMA counts in words)
# ---------------------------------------------------------------------------------------


def _identified_text(counts: Mapping[str, int], searches: Sequence[Mapping[str, Any]]) -> str:
    latest = counts.get("latest_round", 1) or 1
    sources = {_source(s) for s in searches if _round(s) == latest}
    found = []
    if "database" in sources or counts.get("database_results"):
        found.append(f"{counted(counts.get('database_results', 0), 'record')} from databases")
    if "register" in sources or counts.get("register_results"):
        found.append(f"{_none(counts.get('register_results', 0))} from registers")
    if "other" in sources or counts.get("other_results"):
        found.append(f"{_none(counts.get('other_results', 0))} through other methods")
    lead = "The searches" if latest == 1 else f"The update searches (search round {latest})"
    return f"{lead} identified {_join(found)}."


def _title_abstract_text(counts: Mapping[str, int]) -> str:
    c = counts.get
    removed = c("excluded_automatic", 0) + c("excluded_other", 0)
    screened, excluded, awaiting = (
        c("records_screened", 0),
        c("records_excluded", 0),
        c("records_awaiting", 0),
    )
    duplicates = c("duplicates", 0)
    marked = f"{counted(removed, 'record')} marked as ineligible before screening"
    if duplicates:
        before = f"After removing {counted(duplicates, 'duplicate record')}"
        before += f" and {marked}" if removed else ""
    elif removed:
        before = f"No duplicate records were found. After removing {marked}"
    else:
        before = "No duplicate records were found, and"
    before += "" if before.endswith("and") else ","
    if screened == 0:
        return f"{before} no records were left to screen."
    if awaiting == screened:
        return (
            f"{before} {counted(screened, 'record')} {_awaits(screened)} "
            "title and abstract screening; none has a final decision yet."
        )
    if awaiting:
        return (
            f"{before} {counted(screened, 'record')} entered title and abstract screening: "
            f"{_none(excluded)} {_were(excluded)} excluded and {awaiting:,} still "
            f"{_awaits(awaiting)} a decision."
        )
    automated = c("records_excluded_automation", 0)
    if automated:
        by_people = screened - automated
        return (
            f"{before} we screened {counted(by_people, 'record')} of {screened:,} by title and "
            f"abstract and excluded {_none(excluded - automated)}; the other {automated:,} "
            f"{_were(automated)} not screened (prioritised screening stopped) and "
            f"{_were(automated)} counted as excluded by automation tools."
        )
    return (
        f"{before} we screened {counted(screened, 'record')} by title and abstract and "
        f"excluded {_none(excluded)}."
    )


def _full_text_text(
    counts: Mapping[str, int], column: str, reasons: list[tuple[str, int]], lead: str
) -> str:
    """Retrieval and eligibility of one PRISMA column (``dbr`` or ``other``)."""
    c = counts.get
    sought = c(f"{column}_sought_reports", 0)
    not_retrieved = c(f"{column}_notretrieved_reports", 0)
    assessed = c(f"{column}_assessed", 0)
    excluded = c(f"{column}_excluded", 0)
    awaiting = c(f"{column}_awaiting", 0)
    if sought == 0:
        return ""
    steps = [f"could not retrieve {not_retrieved:,}"] if not_retrieved else []
    why = "; ".join(f"{markdown_escape(r)}: {n:,}" for r, n in reasons)
    why = f" ({why})" if why else ""
    steps += [f"assessed {assessed:,} for eligibility", f"excluded {_none(excluded)}{why}"]
    text = lead.format(reports=counted(sought, "report"), steps=_join(steps))
    if awaiting:
        text += f"; {counted(awaiting, 'report')} still {_awaits(awaiting)} a full-text decision"
    return text + "."


def _included_text(counts: Mapping[str, int], in_progress: bool) -> str:
    c = counts.get
    new = c("new_studies", 0)
    studies = f"{counted(new, 'study', 'studies')} ({counted(c('new_reports', 0), 'report')})"
    if c("previous_studies"):
        total = counted(c("total_studies", 0), "study", "studies")
        total_reports = counted(c("total_reports", 0), "report")
        previous = counted(c("previous_studies", 0), "study", "studies")
        added = (
            f"So far, the update has added {studies}"
            if in_progress
            else (f"The update added {studies}")
        )
        return (
            f"{added}; with the {previous} of the previous version, the review includes "
            f"{total} ({total_reports})."
        )
    if in_progress:
        return f"So far, {studies} {'has' if new == 1 else 'have'} been included."
    return f"In total, {studies} {_were(new)} included in the review."


def _flow_text(
    counts: Mapping[str, int],
    reasons: Mapping[str, list[tuple[str, int]]],
    searches: Sequence[Mapping[str, Any]],
) -> str:
    c = counts.get
    in_progress = any(c(k, 0) for k in ("records_awaiting", "dbr_awaiting", "other_awaiting"))
    parts = [
        _identified_text(counts, searches),
        _title_abstract_text(counts),
        _full_text_text(
            counts, "dbr", reasons["dbr"], "We sought {reports} for retrieval, {steps}"
        ),
        _full_text_text(
            counts, "other", reasons["other"], "Other methods added {reports} to seek; we {steps}"
        ),
        _included_text(counts, in_progress),
    ]
    return " ".join(p for p in parts if p)


def methods_markdown(
    *,
    rows: Sequence[Box],
    agreement: pd.DataFrame,
    review: Mapping[str, Any],
    searches: Sequence[Mapping[str, Any]],
    screening: Mapping[str, Any],
    dedupe: Mapping[str, Any],
    progress: Mapping[str, StageProgress] | None = None,
    names: Mapping[str, str] | None = None,
    pairs_to_check: int | None = None,
) -> str:
    """The methods paragraph as Markdown, numbers taken from counts.csv.

    ``screening`` names reviewers by id; ``names`` maps ids to the names the paper uses.
    ``progress`` (per stage) lets the text say how far screening has got.
    """
    names = names or {}
    progress = progress or {}
    counts = {b.key: b.n for b in rows}
    reasons = {
        column: [(b.label, b.n) for b in rows if b.key.startswith(f"{column}_excluded_reason:")]
        for column in ("dbr", "other")
    }
    # text from the config and the sheets is escaped, as in the tables' .md: "R&D <Index>"
    # stays text when the Markdown is rendered; prismake's own words and numbers are as is
    lines = [f"# Methods: {markdown_escape(review.get('title', 'systematic review'))}", ""]
    if review.get("fictional"):
        lines += ["> The review and its numbers are fictional (prismake's demo review).", ""]
    lines += ["_A draft generated by prismake from the review's data; adapt it for the paper._", ""]
    lines += ["## Searches", "", *_searches_text(searches), ""]
    lines += ["Search strings:", ""]
    for search in searches:
        query = str(search.get("query", "") or "").strip() or "(not recorded)"
        lines.append(f"- {_searched(search)}: {_code(query)}")
    lines += ["", "## Deduplication", "", _dedupe_text(dedupe, pairs_to_check), ""]
    lines += ["## Screening", ""]
    open_stage = None
    for stage, settings in (screening.get("stages", {}) or {}).items():
        done = progress.get(stage)
        ids = [str(r) for r in settings["reviewers"]]
        typed = done.decided_by if done else ()
        if typed and done and done.complete and open_stage is None:
            # a finished stage: who typed its decisions, not who config lists now (one
            # added after it ended decided nothing there; one who left did)
            ids = [r for r in ids if r in typed] + [r for r in typed if r not in ids]
        else:
            # a stage going on: who screens it now, and any who left with decisions typed
            ids += [r for r in typed if r not in ids]
        named = {**settings, "reviewers": [markdown_escape(names.get(r, r)) for r in ids]}
        lines.append(_screening_text(stage, named, done, open_stage))
        prioritised = _prioritised_text(settings, done)
        if prioritised:
            lines[-1] += " " + prioritised
        if open_stage is None and not (done and done.complete):
            open_stage = STAGE_WORDS.get(stage, stage.replace("_", " "))
    agreement_lines = _agreement_text(agreement, names, progress)
    if agreement_lines:
        lines += ["", *agreement_lines]
    lines += ["", "## Results of the search", "", _flow_text(counts, reasons, searches), ""]
    return "\n".join(lines)


def _as_typed(
    progress: StageProgress, typed: pd.DataFrame | None, stage: str, order: Sequence[str]
) -> StageProgress:
    """What reviewer_decisions.csv (the decisions typed at the stage: study_id, reviewer,
    decision) tells beside decisions.csv: who typed decisions (config order first), how
    many studies two reviewers screened, and which of those agreement leaves out."""
    if typed is None:
        return progress
    position = {r: i for i, r in enumerate(order)}
    people = sorted(set(typed["reviewer"]), key=lambda r: (position.get(r, len(position)), r))
    categories = AGREEMENT_CATEGORIES.get(stage)
    return replace(
        progress,
        decided_by=tuple(people),
        # the studies two screened, not retrieved ones too (agreement's n leaves those out)
        double=int((typed.groupby("study_id")["reviewer"].nunique() > 1).sum()),
        left_out=left_out(typed[["study_id", "reviewer", "decision"]].values, categories)
        if categories
        else {},
    )


def _latest_round_studies(
    records: pd.DataFrame, searches: Sequence[Mapping[str, Any]]
) -> set[str] | None:
    """Studies first found in the latest search round; None for a review of one round."""
    round_of = {str(s["name"]): _round(s) for s in searches}
    first = records["search"].map(round_of).fillna(1).groupby(records["study_id"]).min()
    latest = int(first.max()) if len(first) else 1
    return set(first.index[first == latest]) if latest > 1 else None


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
    conflicts_paths: Sequence[str] = (),
    to_check_path: str | None = None,
    reviewer_decisions_paths: Sequence[str] = (),
) -> None:
    """Write the database yield table (csv/md/tex/html) and the methods paragraph.

    ``reviewers`` (config entries with id and name) lets the paragraph name people as
    the paper would, not by the ids their sheets are called. ``conflicts_paths``
    (results/screening/<stage>/conflicts.csv) and ``to_check_path``
    (results/dedupe/to_check.csv) let it say how many disagreements were resolved, and
    by whom, and how many duplicate pairs still wait for a person.
    ``reviewer_decisions_paths`` (results/screening/<stage>/reviewer_decisions.csv) let it
    name a reviewer who left a stage, with decisions typed, among those who screened, and
    say how many studies two reviewers screened that the agreement statistics leave out.
    """
    records = read_table(records_path, ["record_id", "search", "study_id"])
    decisions, _files = read_decisions(decisions_paths)
    full_text = decisions.get(FULL_TEXT, pd.DataFrame(columns=["study_id", "decision"]))
    included = set(
        full_text.loc[full_text["decision"].str.strip().str.lower() == "include", "study_id"]
    )
    known = set(read_table(studies_path, ["study_id"])["study_id"])
    table = database_yield(records, included & known, searches)
    write_formats(table, table_outputs, caption=YIELD_CAPTION)
    agreement = read_table(agreement_path) if Path(agreement_path).exists() else pd.DataFrame()
    names = {str(r["id"]): str(r.get("name") or r["id"]) for r in reviewers}
    conflicts = {Path(p).parent.name: read_table(p) for p in conflicts_paths if Path(p).exists()}
    latest_round = _latest_round_studies(records, searches)
    typed_at = {}
    for path in reviewer_decisions_paths:
        if Path(path).exists():
            typed = read_table(path, ["study_id", "reviewer", "decision"])
            typed = typed.apply(lambda column: column.str.strip())
            typed = typed[(typed["decision"] != "") & (typed["reviewer"] != "")]
            stage = Path(path).parent.name
            if stage in decisions:  # as agreement.csv counts them (summarise_screening)
                typed = on_screened_studies(decisions[stage], typed)
            typed_at[stage] = typed
    for stage, typed in typed_at.items():
        unnamed = sorted(set(typed["reviewer"]) - set(names))
        if names and unnamed:
            log.warning(
                "%s: %s typed decisions but %s not among the reviewers in "
                "config/config.yaml, so the methods paragraph names them by id; add them "
                "to reviewers (id and name) to name them as the paper should",
                stage,
                ", ".join(repr(r) for r in unnamed),
                "is" if len(unnamed) == 1 else "are",
            )
    progress = {
        stage: _as_typed(
            stage_progress(frame, agreement, conflicts.get(stage), stage, names, latest_round),
            typed_at.get(stage),
            stage,
            list(names),
        )
        for stage, frame in decisions.items()
    }
    pairs_to_check = None
    if to_check_path and Path(to_check_path).exists():
        pairs_to_check = len(read_table(to_check_path))
    text = methods_markdown(
        rows=read_counts(counts_path),
        agreement=agreement,
        review=review,
        searches=searches,
        screening=screening,
        dedupe=dedupe,
        progress=progress,
        names=names,
        pairs_to_check=pairs_to_check,
    )
    Path(methods_out).parent.mkdir(parents=True, exist_ok=True)
    Path(methods_out).write_text(text, encoding="utf-8", newline="\n")
    log.info("database yield: %d databases; methods paragraph in %s", len(table) - 1, methods_out)
