"""When a team may stop screening: the hypergeometric test of Callaghan & Müller-Hansen (2020).

Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated screening in
systematic reviews. Systematic Reviews 2020;9:273. It is the test of the ``buscar``
package (``calculate_h0``), written here with scipy so prismake needs no new dependency.

Null hypothesis: recall is still below the target. For each tail of the screening order
(the last n records screened, n = 1 .. all) treat those n records as a sample drawn from
themselves plus every unscreened record. If recall were below target, at least
``floor(found / target) + 1`` relevant records would exist, so at least that many minus
those found before the tail would be in that population; the hypergeometric gives the
chance of finding as few as the tail holds. The smallest p over all tails is compared with
``1 - confidence``. Records ranked by a model are more likely relevant than a random draw,
so the test is conservative for a prioritised order.

It reports; it never stops anything. A team chooses to stop in config.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import numpy as np

__all__ = [
    "StoppingCheck",
    "check_stopping",
    "most_relevant_left",
    "p_random_sample",
    "p_recall_below_target",
    "p_relevant_left",
    "p_text",
    "sample_size",
]


def _hypergeom():  # type: ignore[no-untyped-def]
    """scipy's hypergeometric distribution, imported when a test is computed: scipy.stats
    takes about 1 s to import, and every job imports this module."""
    from scipy.stats import hypergeom

    return hypergeom


def p_recall_below_target(
    screened: Sequence[int], n_records: int, target: float = 0.95, since: int = 0
) -> float:
    """The p-value of "recall < target", given labels (1/0) in the order screened.

    ``n_records`` counts every record of the stage, screened or not. ``since``: only the
    tails after the first ``since`` records screened are tested (records that joined
    later were not in the ranking then, so what was screened before says nothing of them);
    the relevant records found before still count towards recall.
    """
    if not 0 < target < 1:
        raise ValueError("target recall must be between 0 and 1")
    tails = _tails(screened[since:], n_records - since)
    return float(_p_left(tails, _least_left(int(sum(screened)), 0, target)).min())


def p_relevant_left(screened: Sequence[int], n_records: int, at_least: int) -> float:
    """The p-value of "at least ``at_least`` relevant records are still unscreened"."""
    if at_least <= 0:
        return 1.0
    return float(_p_left(_tails(screened, n_records), at_least).min())


def most_relevant_left(screened: Sequence[int], n_records: int, confidence: float) -> int:
    """The most relevant records that can still be unscreened, at ``confidence``.

    The same test turned round: the largest number of relevant records left that it
    cannot reject at ``1 - confidence``. At 0.95 it is an upper bound that holds with 95 %
    confidence (conservative for a ranked order, as the rule is); at 0.5 it is a number
    the true count is as likely as not to stay within, the closest the test comes to an
    estimate. A ranked order gives no better estimate: the records left rank lower than
    those screened, so the last batch's share of relevant overstates them, and a
    classifier's scores are not probabilities.
    """
    tails = _tails(screened, n_records)
    left = n_records - len(screened)
    if left <= 0:
        return 0
    return _first_rejected(tails, _p_left, 1 - confidence, 1, left + 1) - 1


class _Tails(NamedTuple):
    """The tails of the screening order the test looks at, one entry each."""

    found: np.ndarray  # relevant records in the tail
    size: np.ndarray  # records in the tail
    population: np.ndarray  # the tail plus every record not screened


def _tails(screened: Sequence[int], n_records: int) -> _Tails:
    """For a fixed number of relevant records in the tail, the longest such tail gives the
    smallest p (a bigger population with the same unscreened part), so only the tails that
    end just after a relevant record, and the whole order, need testing: one test per
    relevant record found instead of one per record screened."""
    labels = np.asarray(screened, dtype=np.int64)
    n_seen = labels.size
    if n_seen > n_records:
        raise ValueError(f"{n_seen} records screened out of only {n_records}")
    from_end = n_seen - np.flatnonzero(labels)[::-1]  # 1-based position from the end
    size = np.append(from_end - 1, n_seen)
    return _Tails(np.arange(size.size), size, n_records - n_seen + size)


def _p_left(tails: _Tails, at_least: int, below: float | None = None) -> np.ndarray:
    """Per tail, the p of "at least ``at_least`` relevant records are still unscreened":
    the tail is taken as a random draw from itself plus the unscreened records, which then
    hold at least ``at_least`` more relevant records than the tail shows.

    Only the p that matter are computed exactly. A tail whose p is certainly under
    ``below``, or certainly not, gets a bound of its p on the same side instead; by default
    ``below`` is the smallest upper bound, so that the smallest p is exact. Every
    comparison with ``below`` thus comes out as the exact test's. scipy's hypergeometric
    takes about 40 µs a tail at 100,000 records, and the test has a tail per relevant
    record found: with 5,000 found, what status computes took 10 s when every tail was
    exact.
    """
    relevant = tails.found + at_least
    # More relevant records than the population holds: the null hypothesis is impossible.
    possible = relevant <= tails.population
    if possible.sum() > _BOUND_FROM:
        low, high = _cdf_bounds(tails.found, tails.population, relevant, tails.size)
    else:  # fewer tails than the bounds save time on: every one exact
        low, high = np.zeros(relevant.shape), np.ones(relevant.shape)
    if below is None:
        below = float(high[possible].min(initial=1.0))
    p = np.where(possible, np.where(high < below, high, low), 0.0)
    exact = possible & (low < below) & (high >= below)
    p[exact] = _hypergeom().cdf(
        tails.found[exact], tails.population[exact], relevant[exact], tails.size[exact]
    )
    return p


_BOUND_TERMS = 32  # terms of each tail's sum before the rest is bounded
_BOUND_FROM = 300  # tails: with fewer, computing every p exactly is as fast


def _cdf_bounds(
    k: np.ndarray, total: np.ndarray, marked: np.ndarray, drawn: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the hypergeometric P(X <= k), for many at once.

    It sums the first terms on the side of k away from the mode (below k, or above it for
    the complement), starting from the pmf at k, and bounds the rest by a geometric
    series: the pmf is log-concave, so away from the mode the ratio of one term to the
    last only falls. The bounds are widened by a margin far above the floating-point
    error; where they are loose, ``_p_left`` computes the exact cdf instead.
    """
    from scipy.special import gammaln

    k, total, marked, drawn = (np.asarray(a, dtype=np.float64) for a in (k, total, marked, drawn))
    valid = (marked <= total) & (k >= np.maximum(0.0, drawn + marked - total))
    marked = np.where(valid, marked, 0.0)
    k = np.where(valid, k, 0.0)
    others = total - marked

    def log_choose(n: np.ndarray, r: np.ndarray) -> np.ndarray:
        return gammaln(n + 1) - gammaln(r + 1) - gammaln(n - r + 1)

    term = np.exp(log_choose(marked, k) + log_choose(others, drawn - k) - log_choose(total, drawn))
    term = np.where(valid, term, 0.0)
    # k at or past the mode when the next term up is smaller: sum upwards, the complement
    upwards = (marked - k) * (drawn - k) < (k + 1) * (others - drawn + k + 1)

    def ratio(j: np.ndarray) -> np.ndarray:
        """The next term over this one, in each sum's direction; 0 past the support."""
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(
                upwards,
                (marked - j) * (drawn - j) / ((j + 1) * (others - drawn + j + 1)),
                j * (others - drawn + j) / ((marked - j + 1) * (drawn - j + 1)),
            )
        return np.clip(np.nan_to_num(r, nan=0.0, posinf=0.0), 0.0, None)

    summed = np.where(upwards, 0.0, term)
    j = k.copy()
    step = np.where(upwards, 1.0, -1.0)
    for _ in range(_BOUND_TERMS):
        term = term * ratio(j)
        summed += term
        j += step
    r = ratio(j)
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.where(term == 0, 0.0, np.where(r < 1, term * r / (1 - r), np.inf))
    low = np.where(upwards, 1 - summed - rest, summed)
    high = np.where(upwards, 1 - summed, summed + rest)
    margin = 1e-7
    low = np.clip(low * (1 - margin) - 1e-300, 0.0, 1.0)
    high = np.clip(high * (1 + margin) + 1e-300, 0.0, 1.0)
    return np.where(valid, low, 0.0), np.where(valid, high, 1e-300)


def p_text(p: float, alpha: float, digits: int = 3) -> str:
    """A p-value with enough decimals to fall on the side of ``alpha`` it is on: 0.04996
    reads "0.04996" beside "met", not "0.050" (which reads as not below 0.05)."""
    level = round(alpha, 12)  # 1 - 0.95 is 0.05000000000000004 in floating point
    for places in range(digits, 10):
        text = f"{p:.{places}f}"
        if (float(text) < level) == (p < level):
            return text
    return f"{p:.3g}"


@dataclass(frozen=True)
class StoppingCheck:
    """The stopping rule's verdict at one point of the screening."""

    screened: int
    relevant_found: int
    n_records: int
    target_recall: float
    confidence: float
    p_value: float
    more_to_screen: int  # records to screen with none relevant before the rule is met

    @property
    def met(self) -> bool:
        return self.p_value < round(1 - self.confidence, 12)  # 1 - 0.95 is 0.05000000000000004

    def sentence(self, provisional: bool = False) -> str:
        """What status and the run log print (``provisional``: decisions may still change,
        so "met" is only what they would give)."""
        head = (
            f"stopping rule (recall >= {self.target_recall:.0%} with "
            f"{self.confidence:.0%} confidence, Callaghan & Müller-Hansen 2020): "
        )
        if self.met:
            met = "would be met if the decisions so far stand" if provisional else "met"
            return head + f"{met} (p = {p_text(self.p_value, 1 - self.confidence)})"
        return head + (
            f"not met (p = {p_text(self.p_value, 1 - self.confidence)}); at least "
            f"{self.more_to_screen} more "
            + (
                "record to screen, if it is not relevant"
                if self.more_to_screen == 1
                else "records to screen, none of them relevant"
            )
        )


def check_stopping(
    screened: Sequence[int],
    n_records: int,
    target: float = 0.95,
    confidence: float = 0.95,
    since: int = 0,
) -> StoppingCheck:
    """The rule's verdict, and how many more irrelevant records would meet it (``since``:
    as for ``p_recall_below_target``)."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    labels = list(screened)
    p = p_recall_below_target(labels, n_records, target, since)
    return StoppingCheck(
        screened=len(labels),
        relevant_found=int(sum(labels)),
        n_records=n_records,
        target_recall=target,
        confidence=confidence,
        p_value=p,
        more_to_screen=_more_to_screen(labels, n_records, target, confidence, since),
    )


def _more_to_screen(
    labels: list[int], n_records: int, target: float, confidence: float, since: int = 0
) -> int:
    """Fewest further records, all irrelevant, after which the rule is met.

    Each irrelevant record screened lowers p, so the answer is monotone in the count. It
    makes every tail longer by one and leaves the populations as they are.
    """
    tails = _tails(labels[since:], n_records - since)
    least_left = _least_left(int(sum(labels)), 0, target)

    def p_after(few: _Tails, extra: int, below: float) -> np.ndarray:
        return _p_left(few._replace(size=few.size + extra), least_left, below)

    return _first_rejected(tails, p_after, 1 - confidence, 0, n_records - len(labels))


def _first_rejected(
    tails: _Tails,
    p_at: Callable[[_Tails, int, float], np.ndarray],
    level: float,
    low: int,
    high: int,
) -> int:
    """The smallest x in [low, high] at which some tail's p is below ``level``, for a p that
    only falls as x grows; ``high`` when only it is left.

    It bisects on a few tails, then checks the step before that answer on all of them. A
    subset's p is never below the whole test's, so its answer is never too early, and it is
    the answer unless some tail already rejects the step before; then the two tails with
    the smallest p there join the few and the search runs again. Bisecting on every tail
    costs a full test per step: at 100,000 records and 5,000 decisions, 2.2 s for what
    status computed (every tail exact), against 0.5 s this way.
    """
    subset = np.array([len(tails.found) - 1])  # the whole order
    while True:
        few = _Tails(*(column[subset] for column in tails))

        def rejected(x: int, few: _Tails = few) -> bool:
            return bool(p_at(few, x, level).min() < level)

        first = _smallest(rejected, low, high)
        if first == low:
            return low
        p = p_at(tails, first - 1, level)
        below = np.flatnonzero(p < level)
        if below.size == 0:
            return first
        subset = np.union1d(subset, below[np.argsort(p[below])[:2]])


# --- the random sample that makes the guarantee --------------------------------------------
# Callaghan & Müller-Hansen's rule proper: when the ranked phase ends, draw records at
# random from those still unscreened (the "frame") and screen them. A random draw is what
# the hypergeometric assumes, so here the test is exact rather than conservative.


def _least_left(found_ranked: int, found_sample: int, target: float) -> int:
    """Fewest relevant records not yet found (in the frame, for a sample) if recall were
    below target; exact arithmetic, as 19 / 0.95 is 19.999... in floating point."""
    total = math.floor(Fraction(found_ranked + found_sample) / Fraction(str(target))) + 1
    return total - found_ranked


def p_random_sample(
    found_ranked: int, sample: Sequence[int], frame: int, target: float = 0.95
) -> float:
    """p of "recall < target" after screening ``sample`` (labels, 1/0), drawn from ``frame``.

    ``found_ranked``: relevant records found before the sample was drawn.
    """
    n, found = len(sample), int(sum(sample))
    if n > frame:
        raise ValueError(f"a sample of {n} from a frame of only {frame}")
    least = _least_left(found_ranked, found, target)
    if least > frame:
        return 0.0
    return float(_hypergeom().cdf(found, frame, least, n))


def sample_size(
    found_ranked: int,
    found_sample: int,
    frame: int,
    target: float = 0.95,
    confidence: float = 0.95,
) -> int:
    """Records of the random sample to screen in all before the rule can be met.

    The smallest n such that, if no relevant record is found beyond the ``found_sample``
    already found in the sample, p < 1 - confidence. Screening the whole frame always
    meets it (recall is then known exactly), so the answer is at most ``frame``.
    """
    least = _least_left(found_ranked, found_sample, target)
    if least > frame:
        return found_sample

    def met(n: int) -> bool:
        # a hair below the level: a p that is the level exactly (e.g. 10/200) does not meet
        # it, whatever the floating point says
        return _hypergeom().cdf(found_sample, frame, least, n) < (1 - confidence) * (1 - 1e-9)

    return _smallest(met, found_sample, frame)


def _smallest(met: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest n in [low, high] with met(n), for a met that stays true once true
    (bisection); ``high`` when only it is left."""
    if met(low):
        return low
    while high - low > 1:
        middle = (low + high) // 2
        if met(middle):
            high = middle
        else:
            low = middle
    return high
