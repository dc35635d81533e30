"""XML declared and saved in another encoding than UTF-8 is decoded once, as saved: no
"PatiÃ©nt" from decoding twice, no refusal of a UTF-16 file as not well-formed."""

from __future__ import annotations

from pathlib import Path

import pytest

from prismake.errors import ImportFileError
from prismake.importers import read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
_ENDNOTE = (
    '<?xml version="1.0" encoding="{encoding}" ?><xml><records><record>'
    '<ref-type name="Journal Article">17</ref-type><contributors><authors><author>'
    "<style>{surname}, J.</style></author></authors></contributors><titles><title>"
    "<style>{title}</style></title></titles>"
    "<dates><year>2009</year></dates></record></records></xml>"
)
_PUBMED = (
    '<?xml version="1.0" encoding="{encoding}" ?><PubmedArticleSet><PubmedArticle>'
    '<MedlineCitation><PMID Version="1">32000001</PMID><Article><Journal><JournalIssue>'
    "<PubDate><Year>2020</Year></PubDate></JournalIssue><Title>Revue</Title>"
    "</Journal><ArticleTitle>{title}</ArticleTitle><AuthorList>"
    "<Author><LastName>{surname}</LastName><ForeName>J.</ForeName></Author></AuthorList>"
    "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
)


@pytest.mark.parametrize("template", [_ENDNOTE, _PUBMED], ids=["endnote", "pubmed"])
@pytest.mark.parametrize(
    ("encoding", "title", "surname"),
    [
        ("ISO-8859-1", "Patiënt satisfaction in Zürich", "Müller"),
        ("UTF-16", "Patiënt satisfaction in Zürich", "Müller"),
        ("windows-1251", "Удовлетворённость пациентов", "Иванов"),
    ],
)
def test_xml_in_the_encoding_it_declares_keeps_its_accents(
    tmp_path, template, encoding, title, surname
):
    path = tmp_path / "export.xml"
    path.write_bytes(
        template.format(encoding=encoding, title=title, surname=surname).encode(encoding)
    )
    (record,) = read_file(path).records
    assert record["title"] == title
    assert record["authors"].startswith(f"{surname}, J")


def test_xml_is_still_parsed_without_entity_expansion():
    with pytest.raises(ImportFileError, match="refused for safety"):
        read_file(DATA / "entities.xml")
