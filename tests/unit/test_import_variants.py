"""The exports no one tuned for: Ovid's numbered records, ProQuest text, PubMed XML,
CSL-JSON, Covidence and Rayyan re-exports, and a CSV whose titles start with "@".

Every fixture was written for prismake; each test states the exact record count and the
field values a reviewer would check against the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prismake.errors import ImportFileError
from prismake.importers import read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def read(name: str):
    return read_file(DATA / name)


def fields(record: dict, *names: str) -> tuple:
    return tuple(record[name] for name in names)


def test_ovid_numbered_records_with_a_dot_are_four_records_not_one():
    result = read("ovid_citavi.ovd")
    assert result.format == "ovid"
    assert len(result.records) == 4 and result.skipped == [] and result.notes == []
    first, second, third, fourth = result.records
    assert first["title"] == "Co-producing a dementia care pathway with carers: risks and lessons."
    assert first["authors"] == "Achterberg P.; Nwosu C."
    assert first["abstract"] == (
        "Carers and service managers co-produced a dementia care pathway over eighteen "
        "months. Managing expectations and proper resourcing were the main lessons."
    )
    assert fields(first, "year", "journal", "issn", "doi", "type") == (
        "2019",
        "Health Expectations",
        "1369-6513",
        "10.5555/hex.conf.2019",
        "abstract",
    )
    assert first["keywords"] == "dementia; caregiver; conference abstract"
    assert first["accession_number"] == "2005123401"  # Embase's UI is no PMID
    assert first["pmid"] == ""
    assert second["title"].startswith("Watching language")
    assert fields(third, "volume", "issue", "pages", "type") == ("45", "3", "301-320", "article")
    assert fourth["doi"] == "" and fourth["journal"] == "Journal of Mental Health"
    lines = [r["source_line"].rsplit(":", 1)[1] for r in result.records]
    assert lines == ["1", "23", "40", "58"]  # the "<3001. >" ... lines


def test_ovid_lines_indented_by_one_space_with_six_space_continuations():
    result = read("ovid_indented.txt")
    assert result.format == "ovid"
    assert [r["title"] for r in result.records] == [
        "Co-producing a dementia care pathway with carers: risks and lessons.",
        "Watching language: jargon as a barrier to co-production in stroke services.",
    ]
    first = result.records[0]
    assert first["abstract"].endswith("proper resourcing were the main lessons.")
    assert first["authors"] == "Achterberg P.; Nwosu C."
    assert result.skipped == []


def test_ovid_medline_ui_is_the_pmid():
    first, second = read("ovid_tagged.txt").records
    assert first["pmid"] == "31000003"
    assert second["accession_number"] == "2005000001"  # Embase


def test_proquest_plain_text_report_with_mixed_line_ends():
    result = read("proquest.txt")
    assert result.format == "proquest_text"
    assert len(result.records) == 3 and result.skipped_records == []
    first, second, thesis = result.records
    assert first["title"] == "Co-production in adult social care: managing expectations"
    assert first["authors"] == "Okonkwo, Adaeze; Lindahl, Per"
    assert fields(first, "journal", "volume", "issue", "pages", "year") == (
        "Journal of Social Policy",
        "48",
        "2",
        "245-263",
        "2019",
    )
    assert first["doi"] == "10.5555/jsp.2019.245"
    assert first["abstract"] == (
        "Managing expectations was the lesson participants named most often. "
        "Practitioners and service users disagreed about what co-production would change."
    )
    assert first["keywords"] == "Co-production; Social care; Service users"
    assert first["accession_number"] == "2201234567"
    assert first["url"] == "https://www.proquest.com/docview/2201234567"
    # pages from "Publication info" when the document gives only its first page
    assert second["pages"] == "601-618" and second["journal"] == "Policy & Politics"
    assert "Full text" not in second["abstract"]
    assert fields(thesis, "type", "isbn", "year") == ("thesis", "9798691234567", "2020")
    assert all("\r" not in str(v) for r in result.records for v in r.values())
    # the header (report date, table of contents) and the footer are listed, not read
    assert [s.line for s in result.skipped_lines] == [3, 7, 9, 132]


@pytest.mark.shared
def test_proquest_ris_imports_exactly(shared_dir):
    base = shared_dir / "corpus" / "exports" / "proquest-ris"
    ptsd = read_file(base / "proquest.ris")
    assert len(ptsd.records) == 6 and ptsd.skipped == []
    assert all(r["doi"].startswith("10.") for r in ptsd.records)  # URLs made bare
    abi = read_file(base / "abi_inform_proquest_ris.ris")
    assert [r["type"] for r in abi.records] == ["thesis", "article"]


def test_a_csv_whose_titles_start_with_an_at_sign_is_a_csv_of_three_records():
    result = read("csv_at_titles.csv")
    assert result.format == "csv"
    assert [r["title"] for r in result.records] == [
        "@SUM(1+1) and other spreadsheet formulas in research data",
        "@Risk: a tool for modelling the costs of co-production",
        "Co-production and its limits",
    ]
    assert result.records[1]["authors"] == "Nakamura, Y."
    assert result.records[0]["doi"] == "10.5555/ep.2021.1"


def test_pubmed_xml_articles_and_a_book():
    result = read("pubmed.xml")
    assert result.format == "pubmed_xml"
    review, letter, book = result.records
    assert review["title"] == (
        "Co-producing mental health services: a realist review of risks, limits and lessons."
    )
    assert review["authors"] == "Okafor, Chidi; van der Berg, Anna B; Co-production Collective"
    assert review["authors_norm"] == "Okafor C; van der Berg AB; Co-production Collective"
    assert fields(review, "year", "volume", "issue", "pages", "issn", "pmid", "type") == (
        "2020",
        "23",
        "2",
        "301-315",
        "1369-7625",
        "32000001",
        "review",
    )
    # the article's own DOI, never one of the references it cites
    assert review["doi"] == "10.5555/hex.2020.301"
    assert review["abstract"] == (
        "BACKGROUND: Co-production is promoted in mental health policy. "
        "METHODS: We reviewed 41 studies. CONCLUSIONS: Proper resourcing matters most."
    )
    assert review["keywords"] == "co-production; service users; Humans; Mental Health Services"
    assert review["journal"].startswith("Health expectations")
    assert letter["title"] == (
        'Watching language: what "co-production" means to service users & officers.'
    )
    assert fields(letter, "year", "pages", "doi", "authors") == ("2019", "601-18", "", "Haddad, S")
    assert fields(book, "type", "isbn", "pmid", "year") == (
        "book",
        "9781234567897",
        "32000003",
        "2021",
    )
    assert fields(book, "publisher", "address") == (
        "National Institute for Health and Care Research",
        "Southampton (UK)",
    )
    assert [r["source_line"].rsplit(":", 1)[1] for r in result.records] == ["4", "84", "125"]


def test_pubmed_xml_with_an_entity_declaration_is_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaaaaaaaa">]>\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&a;&a;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError, match="refused for safety"):
        read_file(path)


def test_csl_json_from_zotero_and_friends():
    result = read("csl.json")
    assert result.format == "csl_json"
    article, paper, chapter = result.records
    assert article["authors"] == "Castellanos, Rosa; van der Berg, Jan; Co-production Collective"
    assert article["authors_norm"] == "Castellanos R; van der Berg J; Co-production Collective"
    assert fields(article, "year", "journal", "volume", "issue", "pages", "doi", "type") == (
        "2019",
        "Local Government Studies",
        "45",
        "3",
        "301-320",
        "10.5555/lgs.2019.301",
        "article",
    )
    assert paper["title"] == "Avoiding one-size-fits-all: co-production across three councils"
    assert fields(paper, "year", "pages", "doi", "pmid", "type") == (
        "2021",
        "88",
        "10.5555/ppc.2021.88",
        "33000004",
        "conference",
    )
    assert paper["keywords"] == "co-production; local government"
    assert fields(chapter, "authors", "year", "isbn", "type") == (
        "Nakamura, Yuki",
        "2018",
        "9781786434968",
        "chapter",
    )
    assert [r["source_line"].rsplit(":", 1)[1] for r in result.records] == ["2", "21", "33"]


def test_publish_or_perish_json_is_still_told_apart_from_csl_json():
    assert read("pop.json").format == "pop_json"


def test_covidence_csv_reads_published_year_and_accession_number():
    result = read("covidence.csv")
    assert result.format == "covidence_csv"
    first, second = result.records
    assert fields(first, "title", "authors", "year", "pages", "doi", "pmid") == (
        "Co-production with service users: risks and lessons",
        "Okafor, C.; Lindqvist, A.",
        "2021",
        "201-219",
        "10.5555/ep.2021.201",
        "33000011",
    )
    assert first["database_id"] == "covidence #1021"
    assert first["keywords"] == "co-production; policy"
    assert fields(second, "year", "journal", "volume", "pmid") == (
        "2019",
        "Research Involvement and Engagement",
        "5",
        "",
    )


def test_rayyan_csv_splits_authors_joined_by_and_and_ignores_its_decisions():
    result = read("rayyan.csv")
    assert result.format == "rayyan_csv"
    first, second = result.records
    assert first["authors"] == "Nakamura, Y.; Castellanos, R."
    assert fields(first, "pmid", "doi", "issn", "pages", "year") == (
        "33000021",
        "10.5555/hex.2020.301",
        "1369-6513",
        "301-315",
        "2020",
    )
    assert "RAYYAN" not in " ".join(str(v) for v in first.values())
    assert first["publisher"] == "Wiley"
    assert second["accession_number"] == "PMC6000031"
    assert second["database_id"] == "rayyan r-4402"


@pytest.mark.parametrize("name", ["rayyan.ris", "covidence.ris"])
def test_covidence_and_rayyan_ris_read_as_ris(name):
    result = read(name)
    assert result.format == "ris"
    assert len(result.records) == 2 and result.skipped == [] and result.notes == []
    first = result.records[0]
    assert first["title"] in (
        "Watching language in co-produced research",
        "Co-production with service users: risks and lessons",
    )
    assert first["doi"].startswith("10.5555/")
    assert first["pages"] in ("301-315", "201-219")
