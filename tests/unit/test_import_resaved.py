"""A real export saved again keeps every record: the ways files get re-saved.

Each real export of ../shared/corpus/exports is varied as a download, an editor or a
spreadsheet program varies it (line ends, byte-order marks, UTF-16, blank lines before
the first row, Excel's "sep=" line, the file pasted twice) and must give the same
records, with the same titles, as the file itself.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from prismake.importers import read_file

TABLES = ("csv", "tabdelimited")  # folders of the corpus holding delimited tables


def _text(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def resaved(raw: bytes, folder: str) -> Iterator[tuple[str, bytes, int]]:
    """(how, bytes, how many times the records are in it) for each way of saving again."""
    lf = _text(raw).replace("\r\n", "\n").replace("\r", "\n")
    yield "LF", lf.encode(), 1
    yield "CRLF", lf.replace("\n", "\r\n").encode(), 1
    yield "CR only", lf.replace("\n", "\r").encode(), 1
    yield "BOM", b"\xef\xbb\xbf" + lf.encode(), 1
    yield "UTF-16", lf.replace("\n", "\r\n").encode("utf-16"), 1
    yield "blank lines before", ("\n\n" + lf).encode(), 1
    yield "blank lines after", (lf.rstrip("\n") + "\n\n\n").encode(), 1
    yield "no last line end", lf.rstrip("\n").encode(), 1
    yield "trailing spaces", "\n".join(line + "  " for line in lf.split("\n")).encode(), 1
    if any(folder.endswith(t) for t in TABLES):
        sep = "\t" if folder.endswith("tabdelimited") else ","
        yield "Excel sep= line", (f"sep={sep}\r\n" + lf).encode(), 1
        yield "empty rows before", (sep * 5 + "\n" + sep * 5 + "\n" + lf).encode(), 1
    if not folder.endswith(("xml", "json")):  # one document each: twice is not well formed
        yield "pasted twice", (lf.rstrip("\n") + "\n\n" + lf).encode(), 2


def _corpus(shared_dir: Path) -> list[Path]:
    base = shared_dir / "corpus" / "exports"
    with open(base / "MANIFEST.csv", encoding="utf-8") as handle:
        return [base / row["file"] for row in csv.DictReader(handle)]


@pytest.mark.shared
def test_every_real_export_saved_again_keeps_its_records(shared_dir, tmp_path):
    lost = []
    for path in _corpus(shared_dir):
        titles = sorted(r["title"] for r in read_file(path).records)
        for how, data, times in resaved(path.read_bytes(), path.parent.name):
            copy = tmp_path / how.replace(" ", "_") / path.name
            copy.parent.mkdir(exist_ok=True)
            copy.write_bytes(data)
            try:
                got = sorted(r["title"] for r in read_file(copy).records)
            except Exception as error:  # every failure is a finding
                lost.append(f"{path.name} ({how}): {type(error).__name__}: {error}")
                continue
            if got != sorted(titles * times):
                lost.append(f"{path.name} ({how}): {len(got)} records, not {len(titles) * times}")
    assert lost == []


TABLE_CSV = (
    "Authors,Title,Year,Source title,DOI,Abstract\n"
    'Ames A.; Bo B.,"Co-production, first study",2020,Journal A,10.1000/a,"One."\n'
    "Cole C.,Co-production second study,2021,Journal B,10.1000/b,Two.\n"
)


@pytest.mark.parametrize(
    "before",
    ["\n\n", ",,,,,\r\n,,,,,\r\n", "sep=,\r\n", "\ufeffsep=,\n\n"],
    ids=["blank lines", "empty rows", "Excel sep line", "BOM, sep line, blank"],
)
def test_a_csv_with_rows_above_its_header_gives_its_records(tmp_path, before):
    path = tmp_path / "export.csv"
    path.write_text(before + TABLE_CSV, encoding="utf-8")
    result = read_file(path)
    assert result.format == "csv"
    assert [r["title"] for r in result.records] == [
        "Co-production, first study",
        "Co-production second study",
    ]
    assert result.skipped == [] and result.notes == []


def test_a_semicolon_csv_named_by_its_sep_line_splits_at_semicolons(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "sep=;\nTitle;Authors;Year;DOI\nA study, with a comma;Ames A.;2020;10.1000/a\n",
        encoding="utf-8",
    )
    (record,) = read_file(path).records
    assert (record["title"], record["year"], record["doi"]) == (
        "A study, with a comma",
        "2020",
        "10.1000/a",
    )


def test_blank_lines_before_an_xml_declaration_do_not_refuse_the_file(tmp_path):
    path = tmp_path / "pubmed.xml"
    path.write_text(
        '\n\n<?xml version="1.0" ?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation>'
        "<PMID>1</PMID><Article><ArticleTitle>Co-production in practice.</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n",
        encoding="utf-8",
    )
    (record,) = read_file(path).records
    assert record["title"] == "Co-production in practice."
