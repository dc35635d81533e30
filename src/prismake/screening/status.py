"""Screening progress and agreement tables: results/screening/status.csv and agreement.csv.

Both are derived from the stage tables ``screen_stage`` writes (decisions.csv and
reviewer_decisions.csv), so ``prismake status`` can build them in memory from the same code.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.csvio import read_table, write_table
from prismake.screening.agreement import left_out, on_screened_studies, pair_agreement
from prismake.screening.decisions import (
    AGREEMENT_CATEGORIES,
    CONFLICT,
    EXCLUDE,
    INCLUDE,
    MAYBE,
    NOT_RETRIEVED,
    PENDING,
    REMOVED_AUTOMATION,
    REMOVED_OTHER,
    STAGES,
)
from prismake.screening.stage import DECISION_COLUMNS, REVIEWER_DECISION_COLUMNS

log = logging.getLogger("prismake")

AGREEMENT_COLUMNS = (
    "stage",
    "reviewer_a",
    "reviewer_b",
    "n",
    "percent_agreement",
    "kappa",
    "kappa_ci_low",
    "kappa_ci_high",
    "pabak",
    "ac1",
    "n_left_out",
)
STATUS_COLUMNS = (
    "stage",
    "reviewer",
    "assigned",
    "screened",
    "included",
    "excluded",
    "maybe",
    "not_retrieved",
    "removed",
    "conflicts",
    "pending",
    "left_to_screen",
)
ALL = "all"


def _rounded(value: float, digits: int = 4) -> float | str:
    return "" if math.isnan(value) else round(value, digits)


def agreement_table(
    stage: str, reviewer_decisions: pd.DataFrame, reviewers: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per reviewer pair with at least one study both decided: n (both decisions
    in the stage's categories), percent agreement, kappa with 95% CI, PABAK, AC1, and
    ``n_left_out``, the studies both decided that n leaves out (one or both recorded
    them as not retrieved at full text, which judges no eligibility); a pair that shares
    only such studies has n = 0 and no statistics."""
    categories = AGREEMENT_CATEGORIES[stage]
    left = left_out(
        reviewer_decisions[["study_id", "reviewer", "decision"]].itertuples(index=False),
        categories,
    )
    usable = reviewer_decisions[reviewer_decisions["decision"].isin(categories)]
    by_reviewer = {
        r: dict(zip(g["study_id"], g["decision"], strict=True))
        for r, g in usable.groupby("reviewer", sort=True)
    }
    order = {r: i for i, r in enumerate(reviewers)}
    everyone = set(by_reviewer) | {r for pair in left for r in pair}
    names = sorted(everyone, key=lambda r: (order.get(r, len(order)), r))
    rows = []
    for a, b in itertools.combinations(names, 2):
        shared = sorted(set(by_reviewer.get(a, {})) & set(by_reviewer.get(b, {})))
        n_left_out = left[frozenset((a, b))].total if frozenset((a, b)) in left else 0
        if not shared:
            if n_left_out:
                rows.append(
                    {"stage": stage, "reviewer_a": a, "reviewer_b": b, "n": 0}
                    | dict.fromkeys(AGREEMENT_COLUMNS[4:-1], "")
                    | {"n_left_out": n_left_out}
                )
            continue
        stats = pair_agreement(
            [by_reviewer[a][s] for s in shared], [by_reviewer[b][s] for s in shared], categories
        )
        rows.append(
            {
                "stage": stage,
                "reviewer_a": a,
                "reviewer_b": b,
                "n": stats.n,
                "percent_agreement": _rounded(stats.percent_agreement, 2),
                "kappa": _rounded(stats.kappa),
                "kappa_ci_low": _rounded(stats.kappa_ci_low),
                "kappa_ci_high": _rounded(stats.kappa_ci_high),
                "pabak": _rounded(stats.pabak),
                "ac1": _rounded(stats.ac1),
                "n_left_out": n_left_out,
            }
        )
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


def _count(series: pd.Series, *values: str) -> int:
    return int(series.isin(values).sum())


def status_table(
    stage: str,
    decisions: pd.DataFrame,
    reviewer_decisions: pd.DataFrame,
    reviewers: Sequence[str] = (),
) -> pd.DataFrame:
    """Progress of one stage: a row per reviewer (their own decisions) and an "all" row
    (final decisions). ``left_to_screen`` for a reviewer: studies in their sheet they have
    not decided yet that still wait for a decision; for "all": studies still pending."""
    final = decisions["decision"]
    rows = [
        {
            "stage": stage,
            "reviewer": ALL,
            "assigned": len(decisions),
            "screened": _count(final, INCLUDE, EXCLUDE, MAYBE, NOT_RETRIEVED),
            "included": _count(final, INCLUDE),
            "excluded": _count(final, EXCLUDE),
            "maybe": _count(final, MAYBE),
            "not_retrieved": _count(final, NOT_RETRIEVED),
            "removed": _count(final, REMOVED_AUTOMATION, REMOVED_OTHER),
            "conflicts": _count(final, CONFLICT),
            "pending": _count(final, PENDING),
            "left_to_screen": _count(final, PENDING),
        }
    ]
    listed: dict[str, set[str]] = {}
    removed_ids = set(decisions.loc[final.isin([REMOVED_AUTOMATION, REMOVED_OTHER]), "study_id"])
    for study_id, names in zip(decisions["study_id"], decisions["reviewers"], strict=True):
        for name in str(names).split(";"):
            if name.strip():
                listed.setdefault(name.strip(), set()).add(study_id)
    final_of = dict(zip(decisions["study_id"], final, strict=True))
    names = list(reviewers) + sorted(
        (set(listed) | set(reviewer_decisions["reviewer"])) - set(reviewers)
    )
    for reviewer in names:
        mine = reviewer_decisions[reviewer_decisions["reviewer"] == reviewer]
        typed = set(mine["study_id"])
        on_stage = reviewer in reviewers or not reviewers
        # a reviewer no longer on the stage: what their sheet still lists undecided went
        # to the others, so it is not theirs (nor pending, nor left) any more
        assigned = (listed.get(reviewer, set()) if on_stage else set()) | typed
        rows.append(
            {
                "stage": stage,
                "reviewer": reviewer,
                "assigned": len(assigned),
                "screened": len(typed),
                "included": _count(mine["decision"], INCLUDE),
                "excluded": _count(mine["decision"], EXCLUDE),
                "maybe": _count(mine["decision"], MAYBE),
                "not_retrieved": _count(mine["decision"], NOT_RETRIEVED),
                "removed": len(assigned & removed_ids),
                "conflicts": sum(final_of.get(s) == CONFLICT for s in typed),
                "pending": sum(final_of.get(s) == PENDING for s in assigned),
                # only what still needs them: not a study others decided meanwhile
                "left_to_screen": sum(final_of.get(s) == PENDING for s in assigned - typed),
            }
        )
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))


def _stage_of(path: str | Path, position: int, screening: Mapping[str, Any]) -> str:
    """results/screening/<stage>/decisions.csv -> <stage>; else the stage in that position."""
    name = Path(path).parent.name
    if name in STAGES:
        return name
    return list(screening.get("stages") or STAGES)[position]


def summarise_screening(
    *,
    decisions_paths: Sequence[str | Path],
    reviewer_decisions_paths: Sequence[str | Path],
    screening: Mapping[str, Any],
    agreement_out: str | Path,
    status_out: str | Path,
) -> None:
    """Write agreement.csv (per stage and reviewer pair) and status.csv (per stage and reviewer)."""
    agreements, statuses = [], []
    for position, (decisions_path, reviewer_path) in enumerate(
        zip(decisions_paths, reviewer_decisions_paths, strict=True)
    ):
        stage = _stage_of(decisions_path, position, screening)
        reviewers = list((screening.get("stages") or {}).get(stage, {}).get("reviewers") or [])
        decisions = read_table(decisions_path, columns=DECISION_COLUMNS)
        typed = read_table(reviewer_path, columns=REVIEWER_DECISION_COLUMNS)
        agreements.append(agreement_table(stage, on_screened_studies(decisions, typed), reviewers))
        statuses.append(status_table(stage, decisions, typed, reviewers))
    agreement = pd.concat(agreements, ignore_index=True) if agreements else pd.DataFrame()
    status = pd.concat(statuses, ignore_index=True) if statuses else pd.DataFrame()
    write_table(agreement, agreement_out, AGREEMENT_COLUMNS)
    write_table(status, status_out, STATUS_COLUMNS)
    for row in agreement.to_dict("records"):
        log.info(
            "%s %s/%s: n=%s, agreement %s%%, kappa %s, AC1 %s",
            row["stage"],
            row["reviewer_a"],
            row["reviewer_b"],
            row["n"],
            row["percent_agreement"],
            row["kappa"] if row["kappa"] != "" else "not defined (one category only)",
            row["ac1"],
        )
