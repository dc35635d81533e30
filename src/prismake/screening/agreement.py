"""Agreement between two reviewers: percent agreement, Cohen's kappa with its 95% CI, PABAK, AC1.

Computed from the k x k table of the decisions both reviewers typed for the same studies,
over the categories of the stage (include/exclude, plus maybe at title/abstract).

- Cohen's kappa (Cohen 1960): (po - pe) / (1 - pe), pe = sum of row x column marginals.
- Its standard error is the large-sample (non-null) one of Fleiss, Cohen & Everitt (1969),
  Psychol Bull 72:323-327, as given in Fleiss, Levin & Paik (2003) eq. 18.15:
  var = [A + B - C] / (n (1 - pe)^2), with
  A = sum_i p_ii [1 - (p_i. + p_.i)(1 - kappa)]^2,
  B = (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2,
  C = [kappa - pe (1 - kappa)]^2;
  95% CI = kappa +/- 1.96 SE, clipped to [-1, 1]; none where SE is 0 (perfect
  agreement), where "1.00 to 1.00" would claim a certainty no sample gives.
- PABAK (Byrt, Bishop & Carlin 1993): (k po - 1) / (k - 1); 2 po - 1 for two categories.
- Gwet's AC1 (Gwet 2008, Br J Math Stat Psychol 61:29-48): pe = sum_q pi_q (1 - pi_q) / (k - 1),
  pi_q = the mean of the two reviewers' proportions in category q.
k is the number of categories of the stage, whether or not both reviewers used them all.

Only decisions in those categories are compared: at full text, "not retrieved" says a
report could not be found, not whether it is eligible, so a report one or both reviewers
recorded as not retrieved is not in n. ``left_out`` counts those reports per pair, so that
the methods paragraph can say how many and why. Only studies screened at the stage are
compared (``on_screened_studies``): not one removed before screening, though reviewers
typed decisions for it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prismake.screening.decisions import NOT_SCREENED_BASES

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Agreement:
    """Agreement statistics for one pair of reviewers (nan where undefined)."""

    n: int
    percent_agreement: float
    kappa: float
    kappa_ci_low: float
    kappa_ci_high: float
    pabak: float
    ac1: float


def contingency(
    first: Sequence[str], second: Sequence[str], categories: Sequence[str]
) -> np.ndarray:
    """Counts of (first reviewer's category, second reviewer's category)."""
    position = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)), dtype=float)
    for a, b in zip(first, second, strict=True):
        table[position[a], position[b]] += 1
    return table


def kappa_with_ci(table: np.ndarray) -> tuple[float, float, float]:
    """Cohen's kappa and its 95% CI (Fleiss, Cohen & Everitt 1969 standard error).

    The standard error is asymptotic: below 2 k^2 studies for k categories (Cicchetti &
    Fleiss 1977) it is not to be trusted (9 studies in full agreement gave "1.00 to
    1.00"), so the interval is left out (NaN) there. At perfect agreement the standard
    error is 0 whatever the number of studies: no interval either."""
    n = table.sum()
    p = table / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    po, pe = float(np.trace(p)), float(rows @ cols)
    if math.isclose(pe, 1.0):
        return math.nan, math.nan, math.nan
    kappa = (po - pe) / (1 - pe)
    diagonal = np.diag(p)
    a = float(np.sum(diagonal * (1 - (rows + cols) * (1 - kappa)) ** 2))
    off = p.copy()
    np.fill_diagonal(off, 0.0)
    # p_ij (p_.i + p_j.)^2: column marginal of the row category, row marginal of the column one
    b = (1 - kappa) ** 2 * float(np.sum(off * (cols[:, None] + rows[None, :]) ** 2))
    c = (kappa - pe * (1 - kappa)) ** 2
    variance = max(a + b - c, 0.0) / (n * (1 - pe) ** 2)
    se = math.sqrt(variance)
    if n < 2 * table.shape[0] ** 2 or math.isclose(se, 0.0, abs_tol=1e-12):
        return kappa, math.nan, math.nan
    return kappa, max(-1.0, kappa - Z95 * se), min(1.0, kappa + Z95 * se)


def agreement(table: np.ndarray) -> Agreement:
    """All statistics of a k x k table of two reviewers' decisions (k >= 2)."""
    k = table.shape[0]
    n = int(table.sum())
    if n == 0:
        return Agreement(0, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
    p = table / n
    po = float(np.trace(p))
    kappa, low, high = kappa_with_ci(table)
    pabak = (k * po - 1) / (k - 1)
    pi = (p.sum(axis=1) + p.sum(axis=0)) / 2
    pe_gwet = float(np.sum(pi * (1 - pi))) / (k - 1)
    ac1 = (po - pe_gwet) / (1 - pe_gwet) if not math.isclose(pe_gwet, 1.0) else math.nan
    return Agreement(n, 100 * po, kappa, low, high, pabak, ac1)


def pair_agreement(
    first: Sequence[str], second: Sequence[str], categories: Sequence[str]
) -> Agreement:
    """Agreement of two reviewers' decisions on the same studies, in the same order."""
    return agreement(contingency(first, second, categories))


@dataclass(frozen=True)
class LeftOut:
    """Studies two reviewers both decided that their agreement leaves out: one of them
    (``by_one``) or both (``by_both``) typed a decision outside the stage's categories."""

    by_one: int = 0
    by_both: int = 0

    @property
    def total(self) -> int:
        return self.by_one + self.by_both


def left_out(
    typed: Iterable[tuple[str, str, str]], categories: Sequence[str]
) -> dict[frozenset[str], LeftOut]:
    """Per reviewer pair (as a set of two ids), the studies both decided that agreement
    leaves out because a decision is not in ``categories``; pairs with none are absent.

    ``typed``: (study id, reviewer, decision) for every decision typed at the stage."""
    by_study: dict[str, dict[str, str]] = defaultdict(dict)
    for study_id, reviewer, decision in typed:
        if decision:
            by_study[study_id][reviewer] = decision
    counts: dict[frozenset[str], list[int]] = defaultdict(lambda: [0, 0])
    for decided in by_study.values():
        for a, b in itertools.combinations(sorted(decided), 2):
            outside = (decided[a] not in categories) + (decided[b] not in categories)
            if outside:
                counts[frozenset((a, b))][outside - 1] += 1
    return {pair: LeftOut(one, both) for pair, (one, both) in counts.items()}


def on_screened_studies(decisions: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``typed`` (reviewer_decisions.csv) for studies the stage screened: not a
    study removed before screening, nor one never screened (NOT_SCREENED_BASES), though a
    reviewer typed a decision for it. Agreement is computed from these alone, as the
    methods paragraph counts the records screened and screened by two, so that its
    "screened each of the N records" and the agreement's n come from one rule."""
    if "basis" not in decisions.columns or not len(typed):
        return typed
    basis = decisions["basis"].astype(str).str.strip()
    unscreened = set(decisions.loc[basis.isin(NOT_SCREENED_BASES), "study_id"].astype(str))
    return typed[~typed["study_id"].astype(str).str.strip().isin(unscreened)]
