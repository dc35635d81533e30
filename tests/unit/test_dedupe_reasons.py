"""A pair kept for a person (results/dedupe/to_check.csv) says first which rule kept it from
merging, the values that rule read and what would settle it; its columns stay as they
were. A few constructed pairs per rule, in the style of test_dedupe_different_studies."""

from __future__ import annotations

import pandas as pd
import pytest
from test_dedupe_vetoes import BASE

from prismake.dedupe import find_studies
from prismake.dedupe.outputs import TO_CHECK_COLUMNS, to_check_table

NO_PLACE = {"volume": "", "issue": "", "pages": "", "doi": "", "abstract": ""}
TITLE = "Early mobilisation and recovery in {} after stroke: a randomised trial"
KEPT = "kept apart for a person: "


def reasons(*records: dict[str, str]) -> list[str]:
    """The reason column of to_check.csv for these records (BASE with changes)."""
    rows = []
    for k, changes in enumerate(records):
        search = changes.pop("search", f"db{k}")
        rows.append({**BASE, "record_id": f"{search}-r{k}", "search": search, **changes})
    frame = pd.DataFrame(rows)
    order = {s: k for k, s in enumerate(dict.fromkeys(frame["search"]))}
    table = to_check_table(frame, find_studies(frame, order), set())
    assert list(table.columns) == list(TO_CHECK_COLUMNS)
    return list(table["reason"])


def lead(reason: str) -> str:
    """The reason before the signals scoring read."""
    return reason.split(". Evidence: ")[0]


def test_the_columns_of_to_check_are_the_ones_people_paste_from():
    assert TO_CHECK_COLUMNS[:4] == ("record_id_a", "record_id_b", "score", "reason")
    assert TO_CHECK_COLUMNS[-2:] == ("verdict", "note")
    assert len(TO_CHECK_COLUMNS) == 24


@pytest.mark.parametrize(
    ("one", "other", "named"),
    [
        ("children", "adults", "the titles differ by 'children' / 'adults' (word clash)"),
        ("men", "women", "the titles differ by 'men' / 'women' (word clash)"),
        (
            "paediatric patients",  # as the record writes it, not the key's "pediatric"
            "geriatric patients",
            "the titles differ by 'paediatric' / 'geriatric' (word clash)",
        ),
    ],
)
def test_a_word_clash_names_the_words(one, other, named):
    (reason,) = reasons(
        {"title": TITLE.format(one), "doi": ""}, {"title": TITLE.format(other), **NO_PLACE}
    )
    assert lead(reason).startswith(KEPT + named)
    assert "the DOI, the volume and pages or the abstract would settle it" in lead(reason)
    assert "Evidence: title similarity" in reason  # the signals follow


def test_a_word_in_one_title_only_is_named():
    (reason,) = reasons({"doi": ""}, {"title": "Pilot study: " + BASE["title"], **NO_PLACE})
    assert lead(reason).startswith(KEPT + "'pilot', 'study' in one title only (word clash)")


def test_a_part_of_a_series_against_the_title_alone_is_named():
    (reason,) = reasons({"title": BASE["title"] + ": Part 2", "doi": ""}, {**NO_PLACE})
    assert lead(reason).startswith(KEPT + "one title is part 2 of a series, the other is not")


@pytest.mark.parametrize(
    ("journal", "sister"),
    [
        ("Blood", "Blood Advances"),
        ("Psychiatry Research", "Psychiatry Research-Neuroimaging"),
        ("Neurology", "Neurology: Clinical Practice"),
    ],
)
def test_sister_journals_are_named_with_both_names(journal, sister):
    (reason,) = reasons({"journal": journal, "doi": ""}, {"journal": sister, **NO_PLACE})
    assert lead(reason) == (
        f"{KEPT}sister journals, '{journal}' / '{sister}', and no shared DOI or place says "
        "one article (sister journals); the DOI or the volume and pages would settle it"
    )


def test_years_one_apart_name_the_years_and_issues():
    (reason,) = reasons(
        {"doi": "", "year": "2019", "issue": "3"},
        {**NO_PLACE, "year": "2020", "issue": "4", "abstract": BASE["abstract"]},
    )
    assert lead(reason).startswith(KEPT + "years one apart, 2019 / 2020, issues 3 / 4")
    assert "(year apart); the DOI or the volume and pages would settle it" in lead(reason)


@pytest.mark.parametrize("other", ["Lancet Neurology", "Journal of Neurology"])
def test_two_journals_are_named(other):
    (reason,) = reasons({"doi": "", "journal": "Stroke"}, {"journal": other, **NO_PLACE})
    assert lead(reason).startswith(KEPT + f"two places, journals 'Stroke' / '{other}'")
    assert lead(reason).endswith("(different places); the DOI would settle it")
    # the pair most often settled by a verdict: its DOI never agrees, the reason says how
    assert "a preprint and its article (a 'same' verdict makes them one study)" in reason


def test_a_title_alone_says_what_is_missing():
    bare = {"authors": "", "journal": "", **NO_PLACE}
    (reason,) = reasons(
        {**bare},
        {**bare, "title": BASE["title"].replace("on recovery", "on the recovery")},
    )
    assert lead(reason).startswith(KEPT + "titles 0.9")
    assert "nothing else agrees: no authors, journal, volume, pages or abstract" in reason
    assert "(title alone)" in lead(reason)


def test_short_titles_that_differ_in_their_last_word_name_both_words():
    one = {"title": "Luciferase reporter construct pGL3-Luc", "authors": "Smith, J."}
    bare = {"journal": "", **NO_PLACE}
    (reason,) = reasons({**one, **bare}, {**one, **bare, "title": one["title"][:-3] + "Ren"})
    assert lead(reason).startswith(KEPT + "short titles that differ only in their last word")
    assert "'luc' / 'ren'" in lead(reason) and "(last word)" in lead(reason)


def test_two_records_of_one_search_say_so():
    (reason,) = reasons(
        {"search": "embase", "doi": ""},
        {"search": "embase", "doi": "", "title": BASE["title"].replace("stroke", "acute stroke")},
    )
    assert lead(reason).startswith(KEPT + "two records of one search (embase)")
    assert "(same search)" in lead(reason)


def test_a_score_below_the_threshold_names_what_lowered_it():
    (reason,) = reasons(
        {"doi": ""},
        {
            **NO_PLACE,
            "title": BASE["title"].replace("randomised trial", "randomised controlled trial"),
            "abstract": "We asked something else of other patients, with other measures.",
        },
    )
    # the word clash caps it too, but the score was below the threshold before
    assert lead(reason).startswith(KEPT + "scored 0.91, below the 0.93 a merge needs")
    assert "abstracts differ (score); the DOI would settle it" in lead(reason)


def test_a_refused_chain_names_the_veto_and_its_values():
    """A record without DOI or pages would join two articles of one volume: refused."""
    (chain,) = reasons(
        {"doi": "10.1000/jsr.2019.101"},
        {**NO_PLACE},
        {"doi": "10.1000/jsr.2019.201", "pages": "201-210"},
    )
    assert chain == (
        "not merged: it would put db0-r0 and db2-r2 in one study, which are kept apart "
        "(different DOIs: 10.1000/jsr.2019.101 / 10.1000/jsr.2019.201)"
    )


def test_a_refused_chain_names_other_pages_of_one_volume():
    (chain,) = reasons({"doi": ""}, {**NO_PLACE}, {"doi": "", "pages": "201-210"})
    assert chain.endswith(
        "which are kept apart (different page ranges in the same journal volume 12: "
        "101-110 / 201-210)"
    )


def test_a_refused_chain_of_reports_scored_apart_gives_their_reason():
    title = "Long-term treatment with eculizumab in paroxysmal nocturnal hemoglobinuria"
    common = {"title": title, "authors": "Kelly, R.; Hill, A.", "journal": "Blood", "doi": ""}
    found = reasons(
        {**common, "year": "2010", "volume": "116", "issue": "21", "pages": "280-281"},
        {**common, "year": "2011", "volume": "117", "issue": "25", "pages": "6786-6792"},
        {**common, "year": "2011", "volume": "", "issue": "", "pages": "", "abstract": ""},
    )
    chain = next(r for r in found if r.startswith("not merged"))
    assert "which are kept apart (scored 0.8" in chain
    assert "years 2010 / 2011, volumes 116 / 117, pages 280-281 / 6786-6792" in chain
