"""Veto-aware grouping: a chain of look-alikes never joins two different reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from prismake.dedupe import find_studies
from prismake.dedupe.clusters import group_records
from prismake.dedupe.verdicts import Verdicts


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


STROKE = {
    "title": "Balloon guide catheters improve first pass recanalisation in stroke thrombectomy",
    "authors": "Smith, John; Jones, Mary",
    "abstract": "We studied balloon guide catheters in 400 patients undergoing thrombectomy.",
    "type": "Journal Article",
}
ARTICLE = {
    **STROKE,
    "year": "2020",
    "journal": "Stroke",
    "volume": "51",
    "issue": "4",
    "pages": "1100-1107",
    "doi": "10.1161/STROKEAHA.119.028000",
}
PREPRINT = {**STROKE, "year": "2019", "journal": "medRxiv", "doi": "10.1101/2019.12.01.19013456"}


def stroke_records(*extra: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {**ARTICLE, "record_id": "pubmed-article", "search": "pubmed"},
            {**PREPRINT, "record_id": "pubmed-preprint", "search": "pubmed"},
            {**ARTICLE, "record_id": "embase-article", "search": "embase"},
            *extra,
        ]
    )


def test_a_same_verdict_keeps_the_copies_an_identifier_proves():
    """The article and its preprint declared the same: the article's Embase copy (same
    DOI) stays with the article, though its DOI differs from the preprint's."""
    frame = stroke_records()
    order = {"pubmed": 0, "embase": 1}
    before = find_studies(frame, order).study_ids
    assert before[0] == before[2] != before[1]
    verdicts = Verdicts(same=[("pubmed-article", "pubmed-preprint", 2)])
    result = find_studies(frame, order, verdicts=verdicts)
    assert len(set(result.study_ids)) == 1
    assert result.grouping.refused == []


def test_a_same_verdict_joins_two_groups_each_with_its_copies():
    """Article + its copy, preprint + its copy: one 'same' verdict makes one study of four."""
    preprint_copy = {**PREPRINT, "record_id": "europepmc-preprint", "search": "europepmc"}
    frame = stroke_records(preprint_copy)
    order = {"pubmed": 0, "embase": 1, "europepmc": 2}
    assert len(set(find_studies(frame, order).study_ids)) == 2
    verdicts = Verdicts(same=[("pubmed-article", "pubmed-preprint", 2)])
    assert len(set(find_studies(frame, order, verdicts=verdicts).study_ids)) == 1


def test_a_same_verdict_carries_no_look_alike_of_its_records_across_a_veto():
    """0 (an article) = 1 (its preprint, exported without DOI or place) by a person; 2,
    another article with its own DOI, only looks like the bare preprint (a similarity
    pair, not proven) and its DOI differs from 0's: it must not join (a walker's case,
    merged when any link into a verdict's group excused the vetoes across it)."""

    def veto(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        bad = [frozenset((int(x), int(y))) == {0, 2} for x, y in zip(a, b, strict=True)]
        return np.where(bad, "doi", "").astype(object)

    grouping = group_records(3, [(1, 2)], veto, same=[(0, 1)], proven=frozenset())
    labels = grouping.labels
    assert labels[0] == labels[1] != labels[2]
    assert grouping.refused == [(1, 2, "chain: doi")]


def test_a_different_verdict_still_splits_next_to_a_same_verdict():
    frame = stroke_records()
    verdicts = Verdicts(
        same=[("pubmed-article", "pubmed-preprint", 2)],
        different=[("pubmed-preprint", "embase-article", 3)],
    )
    studies = find_studies(frame, {"pubmed": 0, "embase": 1}, verdicts=verdicts).study_ids
    assert studies[0] == studies[1] != studies[2]


def test_a_verdict_excuses_no_veto_within_a_chain_it_does_not_bridge():
    """0 = 1 by a person; 2 ~ 0 proven; 3 ~ 2 proven but 3 vetoes 0 (through identifiers
    alone): still refused. The veto 1-2 is bridged by the verdict: excused."""

    def veto(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        pairs = {frozenset((1, 2)), frozenset((0, 3)), frozenset((1, 3))}
        bad = [frozenset((int(x), int(y))) in pairs for x, y in zip(a, b, strict=True)]
        return np.where(bad, "doi", "").astype(object)

    proven = frozenset({(0, 2), (2, 3)})
    grouping = group_records(4, [(0, 2), (2, 3)], veto, same=[(0, 1)], proven=proven)
    labels = grouping.labels
    assert labels[0] == labels[1] == labels[2] != labels[3]
    assert grouping.refused == [(2, 3, "chain: doi")]
    # without the verdict the 1-2 veto is a chain veto as before
    grouping = group_records(4, [(0, 1), (0, 2)], veto, proven=frozenset({(0, 2)}))
    assert grouping.labels[0] == grouping.labels[1] != grouping.labels[2]
