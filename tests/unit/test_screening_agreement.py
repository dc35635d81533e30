"""Kappa, its confidence interval, PABAK and AC1 against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from prismake.screening.agreement import (
    LeftOut,
    agreement,
    kappa_with_ci,
    left_out,
    pair_agreement,
)
from prismake.screening.status import agreement_table


def test_kappa_matches_scikit_learn_on_random_screening_decisions():
    rng = np.random.default_rng(7)
    categories = ["include", "exclude", "maybe"]
    for _ in range(50):
        n = int(rng.integers(5, 200))
        a = rng.choice(categories, n, p=[0.2, 0.7, 0.1])
        b = np.where(rng.random(n) < 0.8, a, rng.choice(categories, n))
        if len(set(a)) == 1 and len(set(b)) == 1:
            continue
        ours = pair_agreement(list(a), list(b), categories).kappa
        assert ours == pytest.approx(cohen_kappa_score(a, b, labels=categories))


@pytest.mark.filterwarnings("ignore:.*only one label in common")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("IE"), st.sampled_from("IE")), min_size=2, max_size=60))
def test_kappa_matches_scikit_learn_for_any_two_category_decisions(pairs):
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    ours = pair_agreement(a, b, ["I", "E"]).kappa
    theirs = cohen_kappa_score(a, b, labels=["I", "E"])
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(theirs)


def test_textbook_example_gives_kappa_of_0_4():
    # Wikipedia "Cohen's kappa", worked example: 50 proposals, yes/yes 20, yes/no 5,
    # no/yes 10, no/no 15 -> po = 0.7, pe = 0.5, kappa = 0.4.
    stats = agreement(np.array([[20, 5], [10, 15]], dtype=float))
    assert stats.percent_agreement == pytest.approx(70.0)
    assert stats.kappa == pytest.approx(0.4)
    assert stats.pabak == pytest.approx(0.4)  # 2 po - 1 (Byrt, Bishop & Carlin 1993)


def test_gwet_handbook_abstractors_table_gives_published_kappa_ac1_and_pabak():
    # Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., and its R package irrCAC
    # (dataset cont3x3abstractors): 100 pregnancies classified Ectopic/AIU/NIU by two
    # abstractors. Published: Cohen's kappa 0.796, Gwet's AC1 0.8493305, Brennan-Prediger
    # 0.835 (which equals PABAK for k categories), percent agreement 0.89.
    table = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]], dtype=float)
    stats = agreement(table)
    assert stats.percent_agreement == pytest.approx(89.0)
    assert round(stats.kappa, 3) == 0.796
    assert stats.ac1 == pytest.approx(0.8493305, abs=1e-7)
    assert stats.pabak == pytest.approx(0.835)


def test_high_agreement_with_low_kappa_paradox_is_worked_by_hand():
    # The paradox example of Gwet (2008), Br J Math Stat Psychol 61:29-48, worked by hand:
    # 125 subjects, +/+ 118, +/- 5, -/+ 2, -/- 0. po = 118/125 = 0.944.
    # kappa: pe = 0.984 * 0.96 + 0.016 * 0.04 = 0.94528 -> (0.944 - 0.94528) / 0.05472
    # AC1: pi+ = (0.984 + 0.96) / 2 = 0.972, pe = 2 * 0.972 * 0.028 = 0.054432
    #      -> (0.944 - 0.054432) / 0.945568 = 0.94078
    # PABAK = 2 * 0.944 - 1 = 0.888
    stats = agreement(np.array([[118, 5], [2, 0]], dtype=float))
    assert stats.kappa == pytest.approx((0.944 - 0.94528) / 0.05472)
    assert stats.ac1 == pytest.approx((0.944 - 0.054432) / 0.945568)
    assert stats.pabak == pytest.approx(0.888)


def test_kappa_confidence_interval_covers_the_spread_of_kappa_in_repeated_samples():
    # The Fleiss-Cohen-Everitt (1969) standard error is the large-sample SD of kappa under
    # multinomial sampling; check it against a seeded simulation of that sampling.
    p = np.array([[0.45, 0.05, 0.03], [0.07, 0.25, 0.02], [0.02, 0.03, 0.08]])
    n = 400
    kappa, low, high = kappa_with_ci(p * n)
    se = (high - low) / (2 * 1.959963984540054)
    rng = np.random.default_rng(11)
    draws = rng.multinomial(n, p.ravel(), size=20000).reshape(-1, 3, 3) / n
    po = np.trace(draws, axis1=1, axis2=2)
    pe = np.einsum("ki,ki->k", draws.sum(axis=2), draws.sum(axis=1))
    simulated = (po - pe) / (1 - pe)
    assert simulated.mean() == pytest.approx(kappa, abs=0.005)
    assert se == pytest.approx(simulated.std(), rel=0.05)


def test_kappa_is_blank_when_both_reviewers_used_one_category_only():
    stats = agreement(np.array([[10, 0], [0, 0]], dtype=float))
    assert np.isnan(stats.kappa)
    assert stats.percent_agreement == 100.0
    assert stats.ac1 == pytest.approx(1.0)


def test_agreement_table_has_one_row_per_pair_that_shared_a_study():
    typed = pd.DataFrame(
        [
            ("S-1", "alice", "include"),
            ("S-1", "ben", "include"),
            ("S-2", "alice", "exclude"),
            ("S-2", "ben", "include"),
            ("S-3", "alice", "exclude"),
            ("S-3", "ben", "exclude"),
            ("S-4", "chidi", "exclude"),  # shares nothing with anyone
        ],
        columns=["study_id", "reviewer", "decision"],
    )
    table = agreement_table("title_abstract", typed, ["alice", "ben", "chidi"])
    assert table[["reviewer_a", "reviewer_b", "n"]].values.tolist() == [["alice", "ben", 3]]
    assert table.loc[0, "percent_agreement"] == pytest.approx(66.67)
    assert table.loc[0, "pabak"] == pytest.approx(0.5)  # k = 3 at title/abstract


def test_not_retrieved_is_left_out_of_full_text_agreement():
    typed = pd.DataFrame(
        [
            ("S-1", "alice", "include"),
            ("S-1", "ben", "include"),
            ("S-2", "alice", "not_retrieved"),
            ("S-2", "ben", "exclude"),
        ],
        columns=["study_id", "reviewer", "decision"],
    )
    table = agreement_table("full_text", typed, ["alice", "ben"])
    assert table.loc[0, "n"] == 1
    assert table.loc[0, "n_left_out"] == 1  # agreement.csv says what n leaves out


def test_a_pair_that_shares_only_not_retrieved_reports_has_a_row_saying_so():
    typed = pd.DataFrame(
        [
            ("S-1", "alice", "not_retrieved"),
            ("S-1", "ben", "exclude"),
            ("S-2", "alice", "not_retrieved"),
            ("S-2", "ben", "not_retrieved"),
        ],
        columns=["study_id", "reviewer", "decision"],
    )
    table = agreement_table("full_text", typed, ["alice", "ben"])
    assert table[["reviewer_a", "reviewer_b", "n", "n_left_out"]].values.tolist() == [
        ["alice", "ben", 0, 2]
    ]
    assert table.loc[0, "kappa"] == ""


def test_left_out_counts_per_pair_the_studies_both_decided_outside_the_categories():
    """What the methods paragraph says n leaves out: not retrieved by one or by both."""
    typed = [
        ("S-1", "alice", "include"),
        ("S-1", "ben", "not_retrieved"),
        ("S-2", "alice", "not_retrieved"),
        ("S-2", "ben", "not_retrieved"),
        ("S-2", "chidi", "exclude"),
        ("S-3", "alice", "not_retrieved"),  # nobody else decided it
        ("S-3", "ben", ""),
        ("S-4", "alice", "exclude"),
        ("S-4", "ben", "include"),
    ]
    left = left_out(typed, ["include", "exclude"])
    assert left == {
        frozenset({"alice", "ben"}): LeftOut(by_one=1, by_both=1),
        frozenset({"alice", "chidi"}): LeftOut(by_one=1),
        frozenset({"ben", "chidi"}): LeftOut(by_one=1),
    }
    assert left[frozenset({"alice", "ben"})].total == 2


def test_too_few_shared_studies_give_kappa_without_a_confidence_interval():
    # 9 studies in full agreement gave "95% CI 1.00 to 1.00": the asymptotic standard
    # error needs about 2 k^2 studies for k categories (Cicchetti & Fleiss 1977)
    kappa, low, high = kappa_with_ci(np.array([[4, 0, 0], [0, 4, 0], [0, 0, 1]], dtype=float))
    assert kappa == pytest.approx(1.0) and math.isnan(low) and math.isnan(high)
    kappa, low, high = kappa_with_ci(np.array([[9, 1], [0, 8]], dtype=float))  # 18 >= 8
    assert low < kappa < high


def test_perfect_agreement_gives_kappa_without_a_collapsed_confidence_interval():
    # 60 studies all agreed on: enough for the asymptotic CI, whose standard error is 0,
    # so it was "1.00 to 1.00"; agreement.csv leaves the CI cells empty instead
    typed = pd.DataFrame(
        [(f"S-{i}", who, "include" if i % 3 else "exclude") for i in range(60)
         for who in ("alice", "ben")],
        columns=["study_id", "reviewer", "decision"],
    )  # fmt: skip
    table = agreement_table("full_text", typed, ["alice", "ben"])
    row = table.loc[0]
    assert row["n"] == 60 and row["kappa"] == pytest.approx(1.0)
    assert row["kappa_ci_low"] == "" and row["kappa_ci_high"] == ""
