"""Veto-aware grouping: a chain of look-alikes never joins two different reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from prismake.dedupe import find_studies
from prismake.dedupe.clusters import group_records


def no_veto(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.full(len(a), "", dtype=object)


def test_pairs_chain_into_one_group_when_nothing_vetoes():
    grouping = group_records(4, [(0, 1), (1, 2)], no_veto)
    assert grouping.labels[0] == grouping.labels[1] == grouping.labels[2] != grouping.labels[3]


def test_a_chain_cannot_join_two_records_that_veto_each_other():
    def veto_0_and_2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        bad = ((a == 0) & (b == 2)) | ((a == 2) & (b == 0))
        return np.where(bad, "doi", "").astype(object)

    grouping = group_records(3, [(0, 1), (1, 2)], veto_0_and_2)
    labels = grouping.labels
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]
    assert grouping.refused == [(1, 2, "chain: doi")]


def test_the_strongest_pair_wins_the_record_in_the_middle():
    def veto_0_and_2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        bad = ((a == 0) & (b == 2)) | ((a == 2) & (b == 0))
        return np.where(bad, "doi", "").astype(object)

    grouping = group_records(3, [(1, 2), (0, 1)], veto_0_and_2)
    assert grouping.labels[1] == grouping.labels[2] != grouping.labels[0]


def test_real_records_chained_by_a_doi_less_copy_stay_two_studies():
    base = {
        "title": "Home care for older people after hip fracture: a cohort study",
        "authors": "Nguyen, T.; Olsen, P.",
        "year": "2018",
        "journal": "Age and Ageing",
        "volume": "47",
        "pages": "",
        "type": "Journal Article",
    }
    frame = pd.DataFrame(
        [
            {**base, "record_id": "a-1", "search": "a", "doi": "10.1093/ageing/afy001"},
            {**base, "record_id": "b-1", "search": "b", "doi": ""},
            {**base, "record_id": "c-1", "search": "c", "doi": "10.1093/ageing/afy137"},
        ]
    )
    studies = find_studies(frame, {"a": 0, "b": 1, "c": 2}).study_ids
    assert studies[0] != studies[2]
    assert studies[1] in (studies[0], studies[2])


def test_a_summary_line_says_how_many_duplicates_were_removed(caplog):
    frame = pd.DataFrame(
        [
            {"record_id": "a-1", "search": "a", "title": "Exercise for low back pain: a trial"},
            {"record_id": "b-1", "search": "b", "title": "Exercise for low back pain: a trial"},
        ]
    )
    frame["authors"], frame["year"], frame["journal"] = "Kim, J", "2020", "Spine"
    with caplog.at_level("INFO", logger="prismake"):
        find_studies(frame, {"a": 0, "b": 1})
    assert "2 records -> 1 study (1 duplicate removed)" in caplog.text
