"""Hard vetoes: records that look alike but are different reports never share a study."""

from __future__ import annotations

import pandas as pd
import pytest

from prismake.dedupe import find_studies

BASE = {
    "title": "Effect of early mobilisation on recovery after stroke: a randomised trial",
    "authors": "Smith, John A.; Garcia, Maria; Lee, Kim",
    "year": "2019",
    "journal": "Journal of Stroke Rehabilitation",
    "volume": "12",
    "issue": "3",
    "pages": "101-110",
    "doi": "10.1000/jsr.2019.101",
    "abstract": "Background: early mobilisation after stroke is debated. Methods: we randomised "
    "200 patients to early or usual mobilisation and measured recovery at 90 days.",
    "type": "Journal Article",
}


def studies_of(*records: dict[str, str]) -> list[str]:
    rows = []
    for k, changes in enumerate(records):
        search = changes.pop("search", f"db{k}")
        rows.append({**BASE, "record_id": f"{search}-r{k}", "search": search, **changes})
    frame = pd.DataFrame(rows)
    order = {s: k for k, s in enumerate(dict.fromkeys(frame["search"]))}
    return list(find_studies(frame, order).study_ids)


def test_two_exports_of_one_article_are_one_study():
    a, b = studies_of({}, {"authors": "Smith JA; Garcia M; Lee K", "journal": "J Stroke Rehabil"})
    assert a == b


def test_different_dois_keep_two_articles_of_one_issue_apart():
    a, b = studies_of({}, {"doi": "10.1000/jsr.2019.111", "pages": "111-119"})
    assert a != b


def test_different_dois_keep_an_anonymous_column_of_two_issues_apart():
    column = {"title": "Editorial introduction", "authors": "", "pages": "1-3", "abstract": ""}
    a, b = studies_of(
        {**column, "issue": "2", "doi": "10.1080/07421222.2015.1063266"},
        {**column, "issue": "4", "doi": "10.1080/07421222.2015.1138361"},
    )
    assert a != b


@pytest.mark.parametrize(
    "wrong_doi",
    [
        "10.1000/jsr.e000101",  # the volume part dropped by the export
        "10.1097/spc.0000000000000365",  # another article's DOI pasted in
        "10.1000/jsr",  # cut short: not a DOI at all
    ],
)
def test_a_wrong_doi_on_one_record_of_an_otherwise_identical_pair_does_not_split_it(wrong_doi):
    a, b = studies_of({}, {"doi": wrong_doi, "authors": "Smith JA; Garcia M; Lee K"})
    assert a == b


def test_part_1_and_part_2_of_a_series_stay_apart():
    a, b = studies_of(
        {"title": BASE["title"] + ". Part 1", "doi": ""},
        {"title": BASE["title"] + ". Part 2", "doi": ""},
    )
    assert a != b


@pytest.mark.parametrize(
    "notice_title",
    [
        "Erratum: " + BASE["title"],
        "Correction to: " + BASE["title"],
        "Retraction: " + BASE["title"],
        "Comment on: " + BASE["title"],
        "Reply to: " + BASE["title"],
    ],
)
def test_a_notice_never_joins_the_article_it_is_about(notice_title):
    a, b = studies_of({"doi": ""}, {"title": notice_title, "doi": ""})
    assert a != b


def test_different_page_ranges_in_one_journal_issue_are_different_articles():
    a, b = studies_of({"doi": ""}, {"doi": "", "pages": "201-209"})
    assert a != b


def test_overlapping_page_ranges_are_not_a_veto():
    a, b = studies_of({"doi": ""}, {"doi": "", "pages": "101-11"})
    assert a == b


def test_a_conference_abstract_and_the_journal_article_stay_apart():
    a, b = studies_of(
        {"doi": ""},
        {
            "doi": "",
            "type": "Conference Abstract",
            "journal": "Proceedings of the European Stroke Conference",
            "volume": "",
            "issue": "",
            "pages": "",
        },
    )
    assert a != b


def test_two_records_of_one_search_merge_only_when_near_identical():
    same_search_exact = studies_of({"search": "medline"}, {"search": "medline"})
    assert same_search_exact[0] == same_search_exact[1]
    typo = BASE["title"].replace("randomised", "randomized").replace("recovery", "recovry")
    different = studies_of({"search": "medline"}, {"search": "medline", "title": typo})
    across = studies_of({"search": "medline"}, {"search": "embase", "title": typo})
    assert different[0] != different[1]
    assert across[0] == across[1]


def test_generic_titles_need_authors_and_pages_to_match():
    a, b = studies_of(
        {"title": "Editorial", "authors": "", "doi": "", "pages": "", "abstract": ""},
        {
            "title": "Editorial",
            "authors": "",
            "doi": "",
            "pages": "",
            "abstract": "",
            "volume": "12",
        },
    )
    assert a != b


def test_different_pubmed_ids_keep_records_apart_and_equal_ones_join():
    a, b = studies_of({"doi": "", "pmid": "123456"}, {"doi": "", "pmid": "654321"})
    assert a != b
    c, d = studies_of({"doi": "", "pmid": "123456"}, {"doi": "", "pmid": "123456", "pages": "1-9"})
    assert c == d  # one PubMed id: the page difference is a typo


def test_two_trial_registrations_with_near_identical_titles_stay_apart():
    title = "Open label trial of eculizumab in adult patients with plasma therapy-sensitive aHUS"
    registry = {"doi": "", "journal": "", "volume": "", "issue": "", "pages": "", "title": title}
    a, b = studies_of(
        {**registry, "url": "http://clinicaltrials.gov/ct2/show/NCT00838513"},
        {**registry, "url": "http://clinicaltrials.gov/ct2/show/NCT00844545"},
    )
    assert a != b
