"""The labelled sets in ../shared/bench/dedup: no false merge, the hard cases found."""

from __future__ import annotations

from itertools import combinations

import pytest

from prismake.csvio import read_table
from prismake.dedupe.blocking import candidate_pairs
from prismake.dedupe.cli import load_records
from prismake.dedupe.engine import find_studies

SETS = [
    "special_cases",
    "cytology_screening",
    "haematology",
    "respiratory",
    "stroke",
    "digital_work",
]


def pairs(labels: list[str]) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = {}
    for k, label in enumerate(labels):
        groups.setdefault(label, []).append(k)
    return {p for members in groups.values() for p in combinations(members, 2)}


@pytest.mark.shared
@pytest.mark.parametrize("name", SETS)
def test_no_false_merge_and_every_true_pair_is_a_candidate(shared_dir, name):
    path = shared_dir / "bench" / "dedup" / f"{name}.csv"
    truth = pairs(list(read_table(path)["dup_group"]))
    result = find_studies(load_records([str(path)]), {})
    found = pairs(list(result.study_ids))
    assert found - truth == set()
    blocked = {(int(a), int(b)) for a, b in candidate_pairs(result.table)}
    assert truth <= blocked


@pytest.mark.shared
def test_all_three_special_cases_are_found(shared_dir):
    path = shared_dir / "bench" / "dedup" / "special_cases.csv"
    truth = pairs(list(read_table(path)["dup_group"]))
    found = pairs(list(find_studies(load_records([str(path)]), {}).study_ids))
    assert len(truth) == 3
    assert truth == found
