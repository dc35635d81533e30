"""PRISMA.csv: the PRISMA2020 R package / Shiny app template, filled with our counts."""

from __future__ import annotations

import csv

from prisma_review import Study, search
from test_prisma_counts import run

from prismake.prisma.counts import Box
from prismake.prisma.prisma_csv import PRISMA_CSV_COLUMNS, other_method_slot, prisma_csv_frame

PACKAGE_KEYS = [
    "previous_studies",
    "previous_reports",
    "database_results",
    "database_specific_results",
    "register_results",
    "register_specific_results",
    "website_results",
    "organisation_results",
    "citations_results",
    "duplicates",
    "excluded_automatic",
    "excluded_other",
    "records_screened",
    "records_excluded",
    "dbr_sought_reports",
    "dbr_notretrieved_reports",
    "other_sought_reports",
    "other_notretrieved_reports",
    "dbr_assessed",
    "dbr_excluded",
    "other_assessed",
    "other_excluded",
    "new_studies",
    "new_reports",
    "total_studies",
    "total_reports",
    "identification",
    "screening",
    "included",
]


def read_prisma_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_prisma_csv_has_the_package_columns_and_every_data_key_in_template_order(tmp_path):
    searches = [search("scopus", "Scopus")]
    run(tmp_path, searches, [Study("A", ["scopus"], ta="include", ft="include")])
    rows = read_prisma_csv(tmp_path / "PRISMA.csv")
    assert list(rows[0]) == PRISMA_CSV_COLUMNS
    assert [r["data"] for r in rows if r["data"] != "NA"] == PACKAGE_KEYS
    titles = {r["box"]: r["boxtext"] for r in rows if r["data"] == "NA"}
    assert titles == {
        "prevstud": "Previous studies",
        "newstud": "Identification of new studies via databases and registers",
        "othstud": "Identification of new studies via other methods",
    }


def test_prisma_csv_carries_the_counts_and_the_lists_in_the_package_form(tmp_path):
    searches = [
        search("scopus", "Scopus"),
        search("pubmed", "PubMed"),
        search("ctgov", "ClinicalTrials.gov", "register"),
        search("cites", "Backward citation searching", "other"),
        search("orgs", "Health agencies, UK; US", "other"),
    ]
    studies = [
        Study("A", ["scopus", "pubmed"], ta="include", ft="include"),
        Study("B", ["scopus"], ta="include", ft="exclude", reason="Wrong participants"),
        Study("C", ["ctgov"], ta="include", ft="exclude", reason="Not co-production"),
        Study("D", ["cites"], ft="include"),
        Study("E", ["orgs", "cites"], ft="exclude", reason="Wrong participants"),
    ]
    run(tmp_path, searches, studies)
    n = {r["data"]: r["n"] for r in read_prisma_csv(tmp_path / "PRISMA.csv")}
    assert n["database_results"] == "3"
    assert n["database_specific_results"] == "Scopus, 2; PubMed, 1"
    assert n["register_specific_results"] == "ClinicalTrials.gov, 1"
    assert n["duplicates"] == "1"
    assert n["dbr_excluded"] == "Not co-production, 1; Wrong participants, 1"
    assert (n["citations_results"], n["organisation_results"], n["website_results"]) == (
        "2",
        "1",
        "0",
    )
    assert n["other_sought_reports"] == "2"
    assert n["other_excluded"] == "Wrong participants, 1"
    assert (n["new_studies"], n["total_studies"]) == ("2", "2")
    boxtext = {r["data"]: r["boxtext"] for r in read_prisma_csv(tmp_path / "PRISMA.csv")}
    assert boxtext["organisation_results"] == "Health agencies, UK; US"
    assert boxtext["website_results"] == "Websites"


def test_names_with_commas_and_semicolons_do_not_break_the_package_lists():
    rows = [Box("database_specific:Ovid; MEDLINE, 1946-", "Ovid; MEDLINE, 1946-", 4)]
    frame = prisma_csv_frame(rows)
    value = frame.loc[frame["data"] == "database_specific_results", "n"].item()
    assert value == "Ovid MEDLINE 1946-, 4"


def test_other_methods_go_to_the_slot_their_name_suggests():
    assert other_method_slot("Citation searching") == "citations_results"
    assert other_method_slot("Reference lists of included studies") == "citations_results"
    assert other_method_slot("Google Scholar") == "website_results"
    assert other_method_slot("Contacting experts") == "organisation_results"
