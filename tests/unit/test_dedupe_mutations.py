"""Mutations (benchmarks/dedupe_mutations.py) on records written here: each real-world
variation, applied alone to one export of an article, must not split it from the other;
different reports built from the same records must stay apart."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from prismake.dedupe import find_studies

_SPEC = importlib.util.spec_from_file_location(
    "dedupe_mutations", Path(__file__).resolve().parents[2] / "benchmarks" / "dedupe_mutations.py"
)
mutations = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(mutations)

ARTICLES = [
    {
        "title": "Aortic valve replacement in octogenarians: early and late results",
        "authors": "Kolh, Philippe; Kerzmann, Arnaud; Lahaye, Laurence; Gerard, Paul",
        "year": "2001",
        "journal": "Annals of Thoracic Surgery",
        "volume": "71",
        "issue": "5",
        "pages": "1520-1525",
        "doi": "10.1016/S0003-4975(00)02148-2",
        "abstract": "Background: the number of octogenarians referred for aortic valve "
        "replacement rises. Methods: 155 consecutive patients aged 80 or more were "
        "operated on between 1990 and 1999. Results: hospital mortality was 11 per cent; "
        "actuarial survival at five years was 68 per cent.",
    },
    {
        "title": "Home-based cardiac rehabilitation and health-related quality of life",
        "authors": "Dalal, Hasnain M.; Taylor, Rod S.; Jolly, Kate; Doherty, Patrick",
        "year": "2019",
        "journal": "Journal of the American Heart Association",
        "volume": "8",
        "issue": "12",
        "pages": "e012186",
        "doi": "10.1161/JAHA.119.012186",
        "abstract": "We compared home-based and centre-based rehabilitation after myocardial "
        "infarction in 1,505 patients followed for 24 months. Quality of life improved "
        "alike in both arms; home-based programmes cost less and kept more patients to "
        "the end of the programme.",
    },
    {
        "title": "Cognitive behavioural therapy for insomnia in older adults & their carers",
        "authors": "Wang, Guo-Ying; Wu, Sheng; Pei, Jian-Min",
        "year": "2015",
        "journal": "Sleep Medicine Reviews",
        "volume": "23",
        "issue": "",
        "pages": "271-279",
        "doi": "10.1016/j.smrv.2015.02.003",
        "abstract": "",
    },
]


def merged(pairs: list[tuple[dict, dict]]) -> list[bool]:
    rows = []
    for k, (a, b) in enumerate(pairs):
        rows.append({**a, "record_id": f"a-{k}", "search": "a"})
        rows.append({**b, "record_id": f"b-{k}", "search": "b"})
    ids = find_studies(pd.DataFrame(rows).fillna(""), {"a": 0, "b": 1}).study_ids
    return [ids[2 * k] == ids[2 * k + 1] for k in range(len(pairs))]


@pytest.mark.parametrize("name", sorted(mutations.MERGE_MUTATIONS))
def test_each_variation_alone_keeps_the_two_exports_together(name):
    applies, mutate = mutations.MERGE_MUTATIONS[name]
    pairs = [(a, mutate(a)) for a in ARTICLES if applies(a, a)]
    assert pairs, f"no record here carries what '{name}' changes"
    assert all(merged(pairs)), name


def test_the_variations_change_the_records_as_exports_do():
    a = ARTICLES[0]
    assert mutations.short_pages("1520-1525") == "1520-5"
    assert mutations.abbreviate_journal("Annals of Thoracic Surgery") == "Annals Thora Surge"
    assert mutations.glue_authors(ARTICLES[2]["authors"]) == "Wang G. Y.Wu S.Pei J. M."
    doi_url = mutations.MERGE_MUTATIONS["doi as percent-encoded URL"][1](a)["doi"]
    assert doi_url == "http://dx.doi.org/10.1016/S0003-4975%2800%2902148-2"


@pytest.mark.parametrize(
    "case",
    [
        "two articles, one container DOI",
        "abstract vs its article",
        "one abstract at two meetings",
        "two meetings, one journal volume",
        "sequel: same title and team, next year, other text",
    ],
)
def test_different_reports_built_from_the_same_records_stay_apart(case):
    first, second, third = ARTICLES
    pairs = [
        mutations.apart_cases(first, second)[case],
        mutations.apart_cases(second, third)[case],
        mutations.apart_cases(third, first)[case],
    ]
    assert not any(merged(pairs)), case
