"""Prioritised screening: the model's order, the stopping rule and ``prismake simulate``."""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb

import pandas as pd
import pytest

from prismake.cli import main
from prismake.screening.priority import ScreeningPool, simulate
from prismake.screening.stopping import (
    check_stopping,
    most_relevant_left,
    p_recall_below_target,
    p_relevant_left,
)

RELEVANT_WORDS = [
    "co-production",
    "policymakers",
    "practitioners",
    "service",
    "users",
    "partnership",
    "trust",
    "participation",
    "community",
    "engagement",
    "power",
    "sharing",
]
OTHER_WORDS = [
    "randomised",
    "trial",
    "placebo",
    "dosage",
    "pharmacokinetics",
    "tumour",
    "mice",
    "receptor",
    "antibody",
    "cohort",
    "mortality",
    "surgery",
    "imaging",
]
FILLER = ["the", "of", "and", "in", "a", "study", "we", "this", "results", "methods", "was", "were"]


def labelled_records(n: int = 120, n_relevant: int = 15, seed: int = 7) -> pd.DataFrame:
    """Records whose text is about co-production (relevant) or clinical work (not)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        relevant = i < n_relevant
        topic = RELEVANT_WORDS if relevant else OTHER_WORDS
        # a little of the other topic everywhere, so ranking is not trivial
        words = rng.choices(topic, k=14) + rng.choices(RELEVANT_WORDS + OTHER_WORDS, k=6)
        words += rng.choices(FILLER, k=10)
        rng.shuffle(words)
        rows.append(
            {
                "record_id": f"R{rng.randrange(10**6):06d}-{i}",
                "title": " ".join(words[:6]),
                "abstract": " ".join(words[6:]),
                "label_included": int(relevant),
            }
        )
    rng.shuffle(rows)
    return pd.DataFrame(rows)


def pool_of(frame: pd.DataFrame) -> ScreeningPool:
    return ScreeningPool(frame.record_id, frame.title, frame.abstract)


def priors_of(frame: pd.DataFrame) -> list[str]:
    first_relevant = frame[frame.label_included == 1].record_id.iloc[0]
    first_other = frame[frame.label_included == 0].record_id.iloc[0]
    return [first_relevant, first_other]


# --- the model's order -------------------------------------------------------------------


def test_the_same_decisions_give_the_same_order_on_every_run():
    frame = labelled_records()
    labels = {
        rid: int(v) for rid, v in zip(frame.record_id[:30], frame.label_included[:30], strict=True)
    }
    first = pool_of(frame).rank(labels, seed=3)
    again = pool_of(frame).rank(dict(reversed(list(labels.items()))), seed=3)
    assert first == again


def test_the_order_does_not_depend_on_the_row_order_of_the_input():
    frame = labelled_records()
    shuffled = frame.sample(frac=1, random_state=1).reset_index(drop=True)
    truth = dict(zip(frame.record_id, frame.label_included, strict=True))
    priors = priors_of(frame)
    assert simulate(pool_of(frame), truth, priors, batch=5, seed=2) == simulate(
        pool_of(shuffled), truth, priors, batch=5, seed=2
    )


def test_relevant_records_come_first_once_the_model_has_decisions():
    frame = labelled_records()
    truth = dict(zip(frame.record_id, frame.label_included, strict=True))
    order = simulate(pool_of(frame), truth, priors_of(frame), batch=1, seed=0)
    relevant_ranks = [i for i, rid in enumerate(order) if truth[rid]]
    # 15 relevant among 120: all of them in the first 30 screened, far ahead of chance
    assert max(relevant_ranks) < 30


def test_ranking_leaves_out_screened_records_and_keeps_every_other_once():
    frame = labelled_records()
    labels = dict.fromkeys(frame.record_id[:10], 0)
    ranking = pool_of(frame).rank(labels, seed=0)
    assert sorted(ranking) == sorted(frame.record_id[10:])


def test_without_any_relevant_decision_the_order_is_a_seeded_shuffle():
    frame = labelled_records()
    pool = pool_of(frame)
    labels = dict.fromkeys(frame[frame.label_included == 0].record_id[:5], 0)
    assert pool.rank(labels, seed=1) == pool.rank(labels, seed=1)
    assert pool.rank(labels, seed=1) != pool.rank(labels, seed=2)


def test_a_decision_on_an_unknown_record_is_refused():
    frame = labelled_records()
    with pytest.raises(KeyError, match="not in the pool"):
        pool_of(frame).rank({"no-such-record": 1}, seed=0)


@pytest.mark.parametrize("batch", [1, 7, 500])
def test_simulation_screens_priors_first_then_every_record_once(batch):
    frame = labelled_records()
    truth = dict(zip(frame.record_id, frame.label_included, strict=True))
    priors = priors_of(frame)
    order = simulate(pool_of(frame), truth, priors, batch=batch, seed=0)
    assert order[:2] == priors
    assert sorted(order) == sorted(frame.record_id)


# --- the stopping rule --------------------------------------------------------------------


def test_stopping_p_value_matches_the_hypergeometric_by_hand():
    # 19 relevant found, then 100 irrelevant in a row; 200 records in all.
    # Recall < 95 % means at least floor(19 / 0.95) + 1 = 21 relevant, so at least 2 in
    # the last 100 screened plus the 81 unscreened (181 records). The chance that a sample
    # of 100 of those 181 holds neither: C(179, 100) / C(181, 100) = 81 * 80 / (181 * 180).
    labels = [1] * 19 + [0] * 100
    by_hand = Fraction(comb(179, 100), comb(181, 100))
    assert by_hand == Fraction(81 * 80, 181 * 180)
    assert p_recall_below_target(labels, 200) == pytest.approx(float(by_hand), rel=1e-9)
    check = check_stopping(labels, 200)
    assert not check.met  # 0.199 is not below 0.05


def test_stopping_rule_is_met_after_enough_irrelevant_records_and_not_one_earlier():
    labels = [1] * 19 + [0] * 100
    check = check_stopping(labels, 200)
    more = check.more_to_screen
    assert 0 < more <= 81
    assert check_stopping(labels + [0] * more, 200).met
    assert not check_stopping(labels + [0] * (more - 1), 200).met


def test_a_relevant_record_found_late_makes_the_rule_harder_to_meet():
    quiet_tail = [1] * 10 + [0] * 150
    late_find = [1] * 9 + [0] * 149 + [1] + [0]
    assert p_recall_below_target(late_find, 400) > p_recall_below_target(quiet_tail, 400)


def test_everything_screened_meets_the_rule_and_nothing_screened_does_not():
    assert check_stopping([1, 0, 0, 1, 0], 5).met
    assert check_stopping([], 100).p_value == 1.0
    assert not check_stopping([], 100).met


def test_the_target_is_compared_exactly_not_in_floating_point():
    # 19 / 0.95 is 20 exactly: recall below 95 % needs 21 relevant, not 20.
    # With 20 records in all and 19 relevant among the 19 screened, recall < 95 % would
    # need 21 relevant in 20 records: impossible, so the rule is met (p = 0).
    assert p_recall_below_target([1] * 19, 20) == 0.0


# --- prismake simulate ---------------------------------------------------------------------


def test_simulate_command_writes_every_record_with_rank_and_prior_flag(tmp_path):
    frame = labelled_records()
    labelled = tmp_path / "labelled.csv"
    frame.to_csv(labelled, index=False)
    priors = priors_of(frame)
    output = tmp_path / "order.csv"
    args = ["simulate", str(labelled), "--priors", ",".join(priors), "--output", str(output)]
    assert main([*args, "--batch", "10", "--seed", "4"]) == 0
    order = pd.read_csv(output, dtype={"record_id": str})
    assert list(order.columns) == ["record_id", "rank", "is_prior"]
    assert list(order["rank"]) == list(range(1, len(frame) + 1))
    assert sorted(order.record_id) == sorted(frame.record_id)
    assert list(order.record_id[:2]) == priors
    assert list(order.is_prior) == [1, 1] + [0] * (len(frame) - 2)
    first_bytes = output.read_bytes()
    assert main([*args, "--batch", "10", "--seed", "4"]) == 0
    assert output.read_bytes() == first_bytes


def test_simulate_command_reports_every_problem_in_the_labelled_file_at_once(tmp_path, capsys):
    frame = labelled_records(n=20, n_relevant=3).astype(str)
    frame.loc[4, "label_included"] = "yes"
    frame.loc[7, "record_id"] = frame.loc[6, "record_id"]
    labelled = tmp_path / "labelled.csv"
    frame.to_csv(labelled, index=False)
    code = main(
        ["simulate", str(labelled), "--priors", "missing-id", "--output", str(tmp_path / "o.csv")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "3 problems" in err
    assert "row 6, column 'label_included'" in err and "'yes'" in err
    assert "row 9, column 'record_id'" in err and "also on row 8" in err
    assert "'missing-id'" in err and "not in the file" in err
    assert not (tmp_path / "o.csv").exists()


def every_tail_p(labels: list[int], n_records: int, target: float = 0.95, since: int = 0) -> float:
    """The test as buscar writes it: every tail of the order (that starts at or after
    position ``since``), smallest p."""
    from scipy.stats import hypergeom

    found = sum(labels)
    least_total = int(Fraction(found) / Fraction(str(target))) + 1
    ps = []
    for n in range(1, len(labels) - since + 1):
        k = sum(labels[-n:])
        least = least_total - (found - k)
        population = n_records - len(labels) + n
        ps.append(0.0 if least > population else hypergeom.cdf(k, population, least, n))
    return min(ps)


def test_testing_only_the_tails_after_relevant_records_gives_buscars_p_value():
    rng = random.Random(11)
    for _ in range(60):
        n_records = rng.randrange(5, 300)
        n_seen = rng.randrange(1, n_records + 1)
        rate = rng.choice([0.02, 0.1, 0.5])
        labels = [int(rng.random() < rate) for _ in range(n_seen)]
        target = rng.choice([0.8, 0.9, 0.95, 0.99])
        assert p_recall_below_target(labels, n_records, target) == pytest.approx(
            every_tail_p(labels, n_records, target), abs=1e-12
        )


def test_batches_grow_with_the_decisions_once_a_relevant_record_is_known():
    from prismake.screening.priority import next_batch_size

    assert next_batch_size(25, {}) == 25  # nothing known: a random batch, full size
    assert next_batch_size(25, {"a": 0, "b": 0}) == 25
    assert next_batch_size(25, {"a": 1, "b": 0}) == 2
    assert next_batch_size(25, dict.fromkeys("abcdefgh", 0) | {"z": 1}) == 9
    assert next_batch_size(25, {str(i): i % 2 for i in range(100)}) == 25


def test_the_rule_keeps_its_promise_in_at_least_95_percent_of_simulated_reviews():
    # Orders as a fair model gives them: a relevant record's score is one that is 2 higher
    # on average (normal noise). Stopping at the first batch end where the rule is met
    # must reach 95 % recall in >= 95 % of runs, and must stop early in some.
    rng = random.Random(5)
    n_records, n_relevant, batch, runs = 400, 20, 20, 300
    met_target, stops = 0, []
    for _ in range(runs):
        labels = [1] * n_relevant + [0] * (n_records - n_relevant)
        labels.sort(key=lambda v: -(rng.gauss(0, 1) + 2 * v))
        stop = n_records
        for screened in range(batch, n_records + 1, batch):
            if p_recall_below_target(labels[:screened], n_records) < 0.05:
                stop = screened
                break
        stops.append(stop)
        met_target += sum(labels[:stop]) >= 0.95 * n_relevant
    assert met_target / runs >= 0.95
    assert sum(stops) / runs < 0.95 * n_records  # it does let a team stop early


# --- how many relevant records may be left --------------------------------------------------


def test_the_bound_on_relevant_left_is_the_stopping_test_turned_round():
    # The rule is met exactly when the bound leaves recall at or above the target: "at
    # least k left" is rejected for every k that would put recall below it.
    rng = random.Random(3)
    for _ in range(40):
        n_records = rng.randrange(80, 400)
        labels = [int(rng.random() < 0.3) for _ in range(rng.randrange(1, 60))]
        labels += [int(rng.random() < 0.02) for _ in range(rng.randrange(0, n_records - 60))]
        most = most_relevant_left(labels, n_records, 0.95)
        assert 0 <= most <= n_records - len(labels)
        assert p_relevant_left(labels, n_records, most) >= 0.05
        if most < n_records - len(labels):
            assert p_relevant_left(labels, n_records, most + 1) < 0.05
        found = sum(labels)
        least_left_below_target = int(found / 0.95) + 1 - found  # 19/0.95 exact cases aside
        if found % 19:
            assert check_stopping(labels, n_records).met == (most < least_left_below_target)
        assert most_relevant_left(labels, n_records, 0.5) <= most


def test_the_bound_narrows_as_irrelevant_records_are_screened_and_is_zero_at_the_end():
    labels = [1] * 10 + [0] * 40
    bounds = [most_relevant_left(labels + [0] * extra, 500, 0.95) for extra in (0, 100, 300)]
    assert bounds[0] > bounds[1] > bounds[2] > 0
    assert most_relevant_left([1] * 10 + [0] * 490, 500, 0.95) == 0
    assert most_relevant_left([], 100, 0.95) == 100  # nothing known: anything is possible


def test_the_bound_holds_with_its_confidence_in_simulated_reviews():
    # Ranked orders as in the rule's own test: the true number left must be within the
    # 95 % bound in at least 95 % of checks, and within the even-odds one in about half
    # or more (the test is conservative for a ranked order).
    rng = random.Random(8)
    n_records, n_relevant = 400, 20
    within_95, within_50, checks = 0, 0, 0
    for _ in range(100):
        labels = [1] * n_relevant + [0] * (n_records - n_relevant)
        labels.sort(key=lambda v: -(rng.gauss(0, 1) + 2 * v))
        for screened in (40, 100, 200):
            left = n_relevant - sum(labels[:screened])
            within_95 += left <= most_relevant_left(labels[:screened], n_records, 0.95)
            within_50 += left <= most_relevant_left(labels[:screened], n_records, 0.5)
            checks += 1
    assert within_95 / checks >= 0.95
    assert within_50 / checks >= 0.5


def test_the_searches_over_a_few_tails_give_the_exact_answers_of_the_whole_test():
    # status's figures bisect on a few tails of the order and check on all of them; the
    # answers must be those of the test on every tail: the fewest further irrelevant
    # records that meet the rule (one fewer does not), and the largest number of relevant
    # left that the test cannot reject (one more it does)
    rng = random.Random(21)
    for _ in range(30):
        n_records = rng.randrange(100, 2000)
        n_seen = rng.randrange(10, n_records // 2)
        labels = [int(rng.random() < rng.choice([0.5, 0.2, 0.05])) for _ in range(n_seen)]
        labels.sort(key=lambda v: -(rng.gauss(0, 1) + 2 * v))
        more = check_stopping(labels, n_records).more_to_screen
        if more < n_records - n_seen:
            assert p_recall_below_target(labels + [0] * more, n_records) < 0.05
        if more > 0:
            assert p_recall_below_target(labels + [0] * (more - 1), n_records) >= 0.05
        for confidence in (0.5, 0.95):
            most = most_relevant_left(labels, n_records, confidence)
            assert p_relevant_left(labels, n_records, most) >= 1 - confidence
            assert p_relevant_left(labels, n_records, most + 1) < 1 - confidence


def test_at_the_scale_of_a_big_review_the_figures_are_those_of_every_tail_computed_exactly():
    # With thousands of relevant records found, only the tails whose p can matter are
    # computed exactly (the rest are bounded); the p, and the bound on relevant left, must
    # still be the exact test's.
    import numpy as np
    from scipy.stats import hypergeom

    from prismake.screening.stopping import _p_left, _tails

    rng = np.random.default_rng(4)
    for n_records, n_seen, start, end in [(30_000, 6_000, 0.5, 0.01), (8_000, 3_000, 0.3, 0.05)]:
        labels = (rng.random(n_seen) < np.linspace(start, end, n_seen)).astype(int).tolist()
        tails = _tails(labels, n_records)
        for at_least in (1, 40, 400):
            relevant = tails.found + at_least
            exact = hypergeom.cdf(tails.found, tails.population, relevant, tails.size)
            exact = np.where(relevant > tails.population, 0.0, exact)
            assert _p_left(tails, at_least).min() == exact.min()
            p = _p_left(tails, at_least, below=0.05)
            assert np.array_equal(p < 0.05, exact < 0.05)
            assert (p[exact < 0.05] >= exact[exact < 0.05]).all()  # bounds on the right side
        most = most_relevant_left(labels, n_records, 0.95)
        assert p_relevant_left(labels, n_records, most) >= 0.05
        assert p_relevant_left(labels, n_records, most + 1) < 0.05


def test_the_bounds_that_spare_the_exact_hypergeometric_hold_everywhere():
    import numpy as np
    from scipy.stats import hypergeom

    from prismake.screening.stopping import _cdf_bounds

    rng = np.random.default_rng(9)
    total = rng.integers(2, 200_000, 20_000)
    drawn = np.minimum((rng.random(total.size) * total).astype(int) + 1, total)
    marked = np.minimum((rng.random(total.size) ** 3 * total).astype(int) + 1, total)
    k = rng.integers(0, np.minimum(drawn, marked) + 1)
    exact = hypergeom.cdf(k, total, marked, drawn)
    low, high = _cdf_bounds(k, total, marked, drawn)
    assert (low <= exact).all() and (exact <= high).all()
    assert ((high - low) < 1e-6).mean() > 0.9  # tight enough to spare most exact ones


def test_a_p_value_just_under_the_level_is_not_printed_as_the_level():
    """'met (p = 0.050)' reads as a contradiction: the p-value gets the decimals it needs."""
    from prismake.screening.stopping import StoppingCheck, p_text

    assert p_text(0.04996, 0.05) == "0.04996"
    assert p_text(0.0500, 0.05) == "0.050" and p_text(0.0123, 0.05) == "0.012"
    assert p_text(0.05004, 0.05, 4) == "0.0500"  # not met, and reads so
    check = StoppingCheck(100, 10, 1000, 0.95, 0.95, 0.04996, 0)
    assert check.met and "met (p = 0.04996)" in check.sentence()
    # p = 0.05 is not below 0.05, though 1 - 0.95 is 0.05000000000000004 in floating point
    assert not StoppingCheck(100, 10, 1000, 0.95, 0.95, 0.05, 0).met
