"""Grouping does not depend on the order of the records (reproducible from any export order)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.dedupe import find_studies

TITLES = [
    "Co-production of housing services with tenants: a realist review",
    "Co-production of health services with patients: a realist review",
    "Managing expectations in participatory policy making",
    "Watching language: how officials talk about service users",
    "Proper resourcing of co-productive projects in local government",
]


def records() -> pd.DataFrame:
    rows = []
    for k, title in enumerate(TITLES):
        variants = [
            {
                "title": title,
                "authors": "Ortega, Ana; Mills, Jo",
                "pages": f"{10 * k + 1}-{10 * k + 9}",
            },
            {"title": title.upper() + ".", "authors": "Ortega A; Mills J", "pages": ""},
            {
                "title": title.replace("a ", "the ", 1),
                "authors": "A. Ortega and J. Mills",
                "pages": "",
            },
        ]
        for v, variant in enumerate(variants):
            search = ["scopus", "wos", "proquest"][v]
            rows.append(
                {
                    "record_id": f"{search}-{k}",
                    "search": search,
                    "year": "2021",
                    "journal": "Public Administration Review",
                    "volume": "81",
                    **variant,
                }
            )
    return pd.DataFrame(rows)


def partition(frame: pd.DataFrame) -> set[frozenset[str]]:
    order = {"scopus": 0, "wos": 1, "proquest": 2}
    study_ids = find_studies(frame.reset_index(drop=True), order).study_ids
    groups: dict[str, set[str]] = {}
    for rid, sid in zip(frame["record_id"], study_ids, strict=True):
        groups.setdefault(sid, set()).add(rid)
    return {frozenset(g) for g in groups.values()}


REFERENCE = partition(records())


@settings(max_examples=20, deadline=None)
@given(st.permutations(range(len(TITLES) * 3)))
def test_the_same_records_in_any_order_give_the_same_studies(order):
    shuffled = records().iloc[list(order)]
    assert partition(shuffled) == REFERENCE


def test_the_example_has_the_expected_studies():
    assert len(REFERENCE) == len(TITLES)
