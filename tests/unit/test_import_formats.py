"""Each supported format, from the project's own small fixtures in tests/data/import."""

from __future__ import annotations

from pathlib import Path

import pytest

from prismake.errors import ImportFileError
from prismake.importers import detect_format, read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def read(name: str, **kwargs):
    return read_file(DATA / name, **kwargs)


def test_ris_fields_land_in_the_record_columns():
    first, chapter = read("scopus_basic.ris").records
    assert first["title"] == "Co-production with service users: risks and lessons"
    assert first["authors"] == "Okafor, Chidi; Lindqvist, A."
    assert first["authors_norm"] == "Okafor C; Lindqvist A"
    assert (first["year"], first["journal"], first["volume"], first["issue"]) == (
        "2021",
        "Evidence & Policy",
        "17",
        "2",
    )
    assert first["pages"] == "201-219"
    assert first["doi"] == "10.1332/174426421x16141144187491"
    assert first["keywords"] == "co-production; policy"
    assert first["issn"] == "1744-2648"
    assert first["scopus_eid"] == "2-s2.0-85100000001"
    assert first["type"] == "article"
    assert chapter["type"] == "chapter"
    assert chapter["isbn"] == "9781786434968" and chapter["issn"] == ""


def test_records_remember_the_line_they_start_on():
    records = read("scopus_basic.ris").records
    assert [r["source_line"].rsplit(":", 1)[1] for r in records] == ["1", "20"]


def test_medline_reads_full_author_names_wrapped_titles_and_the_doi():
    first, second = read("pubmed.nbib").records
    assert first["title"] == (
        "Co-production of health policy with service users: a systematic review of risks "
        "and lessons."
    )
    assert first["authors"] == "Walker, Jon; de la Cruz, Maria Ines"
    assert first["authors_norm"] == "Walker J; de la Cruz MI"
    assert first["doi"] == "10.1000/hp.2019.001"
    assert first["pmid"] == "31000001"
    assert first["journal"] == "Health policy (Amsterdam, Netherlands)"
    assert first["abstract"].endswith("Proper resourcing matters.")
    assert second["doi"] == "" and second["journal"] == "BMJ Open"


def test_medline_lists_a_malformed_line_and_keeps_its_record():
    result = read("pubmed.nbib")
    assert len(result.records) == 2
    (bad,) = result.skipped_lines
    assert bad.line == 33 and "not a MEDLINE line" in bad.reason


def test_pubmed_central_records_start_at_pmc_lines():
    result = read("pmc.txt")
    assert result.format == "medline"
    assert [r["pmid"] for r in result.records] == ["29000001", ""]
    assert result.records[1]["accession_number"] == "PMC6000002"


def test_wos_plain_text_in_utf16_with_bom():
    result = read("wos_utf16.txt")
    assert result.format == "wos" and result.encoding.startswith("utf-16")
    (record,) = result.records
    assert record["title"] == "Avoiding one-size-fits-all approaches to co-production"
    assert record["authors"] == "Smith, Jane; Jones, Kofi"
    assert record["wos_id"] == "WOS:000123456700001"
    assert record["doi"] == "10.1332/174426420x15820917154547"


def test_wos_tab_delimited_uses_the_same_codes():
    (record,) = read("wos_tab.txt").records
    assert record["title"] == 'Avoiding "one-size-fits-all" co-production'
    assert record["authors"] == "Smith, Jane; Jones, Kofi"
    assert record["pages"] == "1-20"
    assert record["wos_id"] == "WOS:000123456700003"


def test_bibtex_decodes_latex_and_reads_field_names_in_any_case():
    wos, scopus = read("wos_bibtex.bib").records
    assert wos["title"] == "Risks and limits of co-production & co-design: a review"
    assert wos["authors"].startswith("Müller, Anna; van der Berg, Jan")
    assert "Co-production Collective" in wos["authors"]
    assert wos["pages"] == "385-402"
    assert wos["wos_id"] == "WOS:000123456700002"
    assert wos["keywords"] == "co-production; service users"
    assert scopus["title"] == "Café conversations: co-production in practice"
    assert scopus["authors"] == "García, Luis"
    assert scopus["doi"] == "10.1111/puar.13000"
    assert scopus["scopus_eid"] == "2-s2.0-85111111111"


def test_bibtex_entry_that_never_closes_is_listed_and_the_rest_imported():
    result = read("broken.bib")
    assert [r["title"] for r in result.records] == ["A good entry"]
    (bad,) = result.skipped_records
    assert bad.line == 7 and "syntax error" in bad.reason
    assert result.records_in_file == 2


def test_scopus_csv_splits_authors_and_reads_a_ragged_row():
    first, ragged = read("scopus.csv").records
    assert first["authors"] == "Okafor C.; Lindqvist A."
    assert first["abstract"] == "An abstract, with a comma."
    assert first["issn"] == "1744-2648"
    assert ragged["title"] == "A ragged row with one cell too many"
    assert ragged["scopus_eid"] == "2-s2.0-85100000002"
    (note,) = read("scopus.csv").notes
    assert note.line == 3 and "20 cells" in note.reason


def test_generic_csv_needs_a_column_mapping_and_uses_it():
    columns = {"title": "Paper", "authors": "Writers", "year": "Published", "journal": "Where"}
    result = read("generic.csv", columns=columns)
    assert result.format == "csv"
    assert [r["title"] for r in result.records] == [
        "Co-production and its limits",
        "Proper resourcing",
    ]
    assert result.records[0]["authors"] == "Smith, J.; Jones, K."
    with pytest.raises(ImportFileError, match="no column holds the titles"):
        read("generic.csv", fmt="csv")


def test_generic_csv_mapping_naming_a_missing_column_says_which():
    with pytest.raises(ImportFileError, match="'Headline'"):
        read("generic.csv", fmt="csv", columns={"title": "Headline"})


def test_endnote_xml_joins_style_runs_and_takes_the_first_doi():
    (record,) = read("endnote.xml").records
    assert record["title"] == "Co-production in telehealth"
    assert record["doi"] == "10.1089/tmj.2009.0030"
    assert record["authors_norm"] == "Agha Z; Roter DL"


def test_endnote_xml_with_entity_expansion_is_refused():
    with pytest.raises(ImportFileError, match="refused for safety"):
        read("entities.xml")


def test_endnote_tagged_reads_records_without_a_type_line():
    result = read("endnote.enw")
    assert result.format == "endnote_tagged"
    assert [r["title"] for r in result.records] == [
        "Lessons from co-production",
        "Table of contents, no type and no authors",
    ]
    assert result.records[0]["doi"] == "10.25300/misq/2021/15000"


def test_publish_or_perish_json_takes_authors_as_list_or_string():
    first, second = read("pop.json").records
    assert first["authors"] == "W Guo; D Straub"
    assert first["volume"] == ""  # PoP writes 0 for unknown
    assert second["authors"] == "A Smith; B Jones"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("scopus_basic.ris", "ris"),
        ("no_ty.ris", "ris"),
        ("pubmed.nbib", "medline"),
        ("wos_er_in_abstract.txt", "wos"),
        ("wos_bibtex.bib", "bibtex"),
        ("scopus.csv", "scopus_csv"),
        ("wos_tab.txt", "wos_tab"),
        ("endnote.xml", "endnote_xml"),
        ("endnote.enw", "endnote_tagged"),
        ("pop.json", "pop_json"),
        ("unknown.txt", None),
    ],
)
def test_formats_are_detected_from_content(name, expected):
    text = (DATA / name).read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    assert detect_format(text) == expected


def test_a_file_in_no_known_format_is_refused_with_the_formats_to_choose_from():
    with pytest.raises(ImportFileError) as caught:
        read("unknown.txt")
    message = str(caught.value)
    assert "unknown.txt" in message and "ris, medline" in message


def test_an_empty_file_is_refused_plainly():
    with pytest.raises(ImportFileError, match="empty"):
        read("empty.ris")


def test_a_missing_file_is_refused_plainly(tmp_path):
    with pytest.raises(ImportFileError, match="does not exist"):
        read_file(tmp_path / "nope.ris")


def test_a_binary_file_is_refused_plainly(tmp_path):
    path = tmp_path / "export.ris"
    path.write_bytes(b"PK\x03\x04\x00\x00binary\x00zip")
    with pytest.raises(ImportFileError, match="binary"):
        read_file(path)


def test_forcing_the_wrong_format_says_no_records_were_found():
    with pytest.raises(ImportFileError, match="no medline records"):
        read("wos_bibtex.bib", fmt="medline")


def test_ovid_tagged_records_numbered_without_er_lines():
    result = read("ovid_tagged.txt")
    first, second = result.records
    assert result.skipped == [] and result.notes == []
    assert first["title"] == "Co-production in mental health services: a realist review."
    assert (first["year"], first["journal"], first["volume"], first["issue"]) == (
        "2019",
        "Health Expectations",
        "22",
        "4",
    )
    assert first["issn"] == "1369-6513" and first["pages"] == "601-615"
    assert first["pmid"] == "31000003" and first["doi"] == "10.1111/hex.12888"
    assert first["abstract"].endswith("how it works in practice.")
    assert second["journal"] == "Journal of Participatory Research"
    assert second["source_line"].endswith(":19")  # the "<2>" line starts it


def test_embase_csv_takes_the_citation_apart_and_finds_the_doi_in_the_link():
    first, second = read("embase.csv").records
    assert first["title"] == "Co-producing mental health services: risks, limits and lessons"
    assert first["authors_norm"] == "Okafor C; Lindqvist AB"
    assert (first["journal"], first["year"], first["volume"], first["issue"]) == (
        "Health Expectations",
        "2019",
        "22",
        "4",
    )
    assert first["pages"] == "601-615" and first["doi"] == "10.1111/hex.12888"
    assert first["pmid"] == "31000003" and first["issn"] == "1369-6513"
    assert second["title"] == "A second study, with a line break in its title"
    assert [r["source_line"] for r in (first, second)] == [
        f"{DATA / 'embase.csv'}:2",
        f"{DATA / 'embase.csv'}:3",
    ]


_UNREADABLE = {"empty.ris", "unknown.txt", "entities.xml"}  # refused, tested above


@pytest.mark.parametrize(
    "name", sorted(p.name for p in DATA.iterdir() if p.name not in _UNREADABLE)
)
def test_every_record_says_which_file_and_line_it_came_from(name):
    columns = {"title": "Paper"} if name == "generic.csv" else None
    records = read(name, columns=columns).records
    assert records
    for record in records:
        file, _, line = record["source_line"].rpartition(":")
        assert file == str(DATA / name) and line.isdigit() and int(line) >= 1


def test_config_accepts_every_format_prismake_reads():
    import yaml

    from prismake.importers import FORMATS

    schema = yaml.safe_load(
        (DATA.parents[2] / "workflow" / "schemas" / "config.schema.yaml").read_text()
    )
    formats = [e for e in _enums(schema) if "ris" in e]
    assert formats and set(formats[0]) == {"auto", *FORMATS}


def _enums(node):
    if isinstance(node, dict):
        if "enum" in node:
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)
