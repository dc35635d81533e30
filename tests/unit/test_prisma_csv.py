"""PRISMA.csv: the PRISMA2020 R package / Shiny app template, filled with our counts.

The package's format, as its own code reads it (PRISMA2020 1.1.4, R/PRISMA_data.R, and
1.1.1, R/utils.R): ``read.csv`` with defaults; each value found by ``grep(pattern,
data[, 1])`` on the ``data`` column (title boxes by ``grep`` on ``box``); numbers through
``as.numeric`` after dropping commas (1.1.4) or directly (1.1.1); lists split at ``"; "``
into ``name, n``. The patterns below are the package's, copied from that code.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from prisma_review import SCREENING, Study, search, write_review
from test_prisma_counts import PRISMA, run

from prismake.prisma import write_prisma_counts
from prismake.prisma.counts import Box
from prismake.prisma.prisma_csv import (
    PLACEHOLDERS,
    PRISMA_CSV_COLUMNS,
    other_method_slot,
    prisma_csv_frame,
)

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
META_ANALYSIS_KEYS = ["total_studies_ma", "total_reports_ma"]
# PRISMA_data() in 1.1.4: the grep pattern of each value it reads as a number / as a list
NUMBER_PATTERNS_114 = [
    "previous_studies", "previous_reports", "register_results", "database_results",
    "website_results", "organisation_results", "citations_results", "duplicates",
    "excluded_automatic", "excluded_other", "records_screened", "records_excluded",
    "dbr_sought_reports", "dbr_notretrieved_reports", "other_sought_reports",
    "other_notretrieved_reports", "dbr_assessed", "other_assessed", "new_studies",
    "new_reports", "total_studies$", "total_reports$", "total_studies_ma", "total_reports_ma",
]  # fmt: skip
LIST_PATTERNS = [
    "database_specific_results",
    "register_specific_results",
    "dbr_excluded",
    "other_excluded",
]
# 1.1.1 greps the same names without the $ anchors and has no meta-analysis rows
NUMBER_PATTERNS_111 = [p.rstrip("$") for p in NUMBER_PATTERNS_114[:-2]]
INTEGER = re.compile(r"\d+")
NAME_COUNT_LIST = re.compile(r"[^,;]+, \d+(; [^,;]+, \d+)*")


def read_prisma_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_both(tmp_path: Path, searches, studies, prisma=None) -> tuple[Path, Path]:
    """PRISMA.csv (1.1.4 and the app) and PRISMA-1.1.1.csv for a small review."""
    paths = write_review(tmp_path, searches, studies)
    write_prisma_counts(
        records_path=paths["records"],
        studies_path=paths["studies"],
        dedupe_counts_path=paths["dedupe_counts"],
        decisions_paths=[paths["title_abstract"], paths["full_text"]],
        searches=searches,
        screening=SCREENING,
        prisma={**PRISMA, **(prisma or {})},
        counts_out=str(tmp_path / "counts.csv"),
        prisma_csv_out=str(tmp_path / "PRISMA.csv"),
        prisma_csv_v111_out=str(tmp_path / "PRISMA-1.1.1.csv"),
    )
    return tmp_path / "PRISMA.csv", tmp_path / "PRISMA-1.1.1.csv"


def package_lookup(rows: list[dict[str, str]], pattern: str) -> list[str]:
    """What ``data[grep(pattern, data[, 1]), ]$n`` gives the package."""
    return [r["n"] for r in rows if re.search(pattern, r["data"])]


SMALL_REVIEW = (
    [search("scopus", "Scopus"), search("cites", "Citation searching", "other")],
    [
        Study("A", ["scopus"], ta="include", ft="include"),
        Study("B", ["scopus"], ta="exclude"),
        Study("C", ["cites"], ft="include"),
    ],
)


def test_prisma_csv_has_the_package_columns_and_every_data_key_in_template_order(tmp_path):
    searches = [search("scopus", "Scopus")]
    run(tmp_path, searches, [Study("A", ["scopus"], ta="include", ft="include")])
    rows = read_prisma_csv(tmp_path / "PRISMA.csv")
    assert list(rows[0]) == PRISMA_CSV_COLUMNS
    assert [r["data"] for r in rows if r["data"] != "NA"] == PACKAGE_KEYS + META_ANALYSIS_KEYS
    assert len(rows) == 34
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


@pytest.mark.parametrize(
    ("version", "patterns"), [("1.1.4", NUMBER_PATTERNS_114), ("1.1.1", NUMBER_PATTERNS_111)]
)
def test_each_release_finds_exactly_one_whole_number_for_every_count_it_reads(
    tmp_path, version, patterns
):
    """No missing row (1.1.4 stops), no second match (1.1.1 fails), no empty placeholder."""
    current, older = write_both(tmp_path, *SMALL_REVIEW)
    rows = read_prisma_csv(current if version == "1.1.4" else older)
    assert len(rows) == (34 if version == "1.1.4" else 32)
    for pattern in patterns:
        found = package_lookup(rows, pattern)
        assert len(found) == 1, (pattern, found)
        assert INTEGER.fullmatch(found[0]), (pattern, found)
    for pattern in LIST_PATTERNS:
        (value,) = package_lookup(rows, pattern)
        assert (
            value in PLACEHOLDERS.values()
            or NAME_COUNT_LIST.fullmatch(value)
            or (INTEGER.fullmatch(value))
        ), (pattern, value)
    for box in ("prevstud", "newstud", "othstud"):
        assert [r["boxtext"] for r in rows if box in r["box"]] != [""]


def test_the_package_reads_the_same_numbers_as_counts_csv(tmp_path):
    current, older = write_both(tmp_path, *SMALL_REVIEW)
    counts = {r["key"]: r["n"] for r in read_prisma_csv(tmp_path / "counts.csv")}
    for path, patterns in ((current, NUMBER_PATTERNS_114), (older, NUMBER_PATTERNS_111)):
        rows = read_prisma_csv(path)
        for pattern in patterns:
            key = pattern.rstrip("$")
            if key in counts:
                assert package_lookup(rows, pattern) == [counts[key]], (path.name, key)
        other = sum(
            int(package_lookup(rows, p)[0]) for p in ("website", "organisation", "citations")
        )
        assert other == int(counts["other_results"])


def test_a_review_without_registers_keeps_the_register_details_off(tmp_path):
    """The 1.1.4 app shows register details for any value but its placeholder."""
    current, _ = write_both(tmp_path, *SMALL_REVIEW)
    rows = read_prisma_csv(current)
    assert package_lookup(rows, "register_specific_results") == [
        PLACEHOLDERS["register_specific_results"]
    ]
    assert package_lookup(rows, "register_results") == ["0"]
    # meta-analysis rows (not counted by prismake) are 0: the app leaves that box off
    assert package_lookup(rows, "total_studies_ma") == ["0"]


def test_a_register_search_is_listed_by_name_for_the_register_details(tmp_path):
    searches = [search("scopus", "Scopus"), search("ctgov", "ClinicalTrials.gov", "register")]
    studies = [
        Study("A", ["scopus"], ta="include", ft="include"),
        Study("B", ["ctgov"], ta="include", ft="include"),
    ]
    current, older = write_both(tmp_path, searches, studies)
    for path in (current, older):
        rows = read_prisma_csv(path)
        assert package_lookup(rows, "register_specific_results") == ["ClinicalTrials.gov, 1"]


def test_no_exclusion_reasons_give_the_box_count_not_an_empty_cell(tmp_path):
    searches = [search("scopus", "Scopus")]
    current, _ = write_both(
        tmp_path, searches, [Study("A", ["scopus"], ta="include", ft="include")]
    )
    rows = read_prisma_csv(current)
    assert package_lookup(rows, "dbr_excluded") == ["0"]
    assert package_lookup(rows, "other_excluded") == ["0"]


def test_the_files_have_no_byte_order_mark_so_r_finds_the_data_column(tmp_path):
    for path in write_both(tmp_path, *SMALL_REVIEW):
        assert path.read_bytes().startswith(b"data,node,box,")
