"""Every real export in ../shared/corpus/exports imports with the manifest's record count."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prismake.errors import ImportFileError
from prismake.importers import read_file

pytestmark = pytest.mark.shared


def _manifest(shared_dir: Path) -> list[dict[str, str]]:
    with open(shared_dir / "corpus" / "exports" / "MANIFEST.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> list[tuple[dict[str, str], object]]:
    base = shared_dir / "corpus" / "exports"
    return [(row, read_file(base / row["file"])) for row in _manifest(shared_dir)]


def test_every_corpus_file_reads_as_many_records_as_the_manifest_says(corpus):
    wrong = {
        row["file"]: (len(result.records), int(row["n_records"]))
        for row, result in corpus
        if len(result.records) != int(row["n_records"])
    }
    assert wrong == {}


def test_record_counts_reconcile_with_what_was_skipped(corpus):
    for row, result in corpus:
        assert result.records_in_file == len(result.records) + len(result.skipped_records)
        assert result.records_in_file == int(row["n_records"]), row["file"]
        # the independent count of the file's records agrees, and no whole file looks cut
        assert result.count.n == int(row["n_records"]), row["file"]
        assert result.cut_short is None, row["file"]


def test_every_corpus_record_has_a_title(corpus):
    untitled = [
        record["source_line"]
        for _, result in corpus
        for record in result.records
        if not record["title"]
    ]
    assert untitled == []


def test_corpus_dois_are_bare_and_lower_case(corpus):
    dois = [r["doi"] for _, result in corpus for r in result.records if r["doi"]]
    assert len(dois) > 300
    assert all(d == d.lower() and d.startswith("10.") and " " not in d for d in dois)
    assert not any(d.startswith(("http", "doi:")) for d in dois)


def test_corpus_formats_are_detected_from_content_not_the_file_name(corpus):
    formats = {row["file"]: result.format for row, result in corpus}
    assert formats["wos-plaintext/example_wos.ris"] == "wos"
    assert formats["wos-ris/web_of_science.txt"] == "ris"
    assert formats["endnote-ris/pubmed_endnote.txt"] == "ris"
    assert formats["pubmed-medline/pmc_medlars.txt"] == "medline"
    assert formats["wos-tabdelimited/wos_2026_04_02_4071.txt"] == "wos_tab"
    assert formats["scopus-csv/scopus.csv"] == "scopus_csv"
    assert formats["embase-csv/embase.csv"] == "embase_csv"
    assert formats["pubmed-csv/pubmed-chatbot.csv"] == "pubmed_csv"
    assert formats["endnote-xml/bold.xml"] == "endnote_xml"


def test_nasty_files_give_their_records_not_a_traceback(corpus):
    by_file = {row["file"]: result for row, result in corpus}
    corrupted = by_file["nasty-ris/RisImporterCorrupted.ris"]
    assert corrupted.records[0]["title"].startswith("Editorial: Open Source")
    assert corrupted.records[0]["doi"] == "10.1023/a:1017379030770"
    medline = by_file["pubmed-medline/MedlinePlainImporterStringOutOfBounds.txt"]
    assert [r["title"] for r in medline.records] == [
        "This is a test title",
        "This is also a test title",
    ]
    assert any("not a MEDLINE line" in s.reason for s in medline.skipped_lines)


def test_ovid_urls_given_as_doi_become_bare_dois(corpus):
    ovid = next(result for row, result in corpus if row["file"].startswith("ovid-ris/"))
    assert ovid.records[0]["doi"] == "10.1002/cpp.2398"
    assert ovid.records[0]["pages"] == ""  # "No" / "Specified" is not a page range


def test_scopus_csv_ragged_rows_keep_their_trailing_ids(corpus):
    scopus = next(result for row, result in corpus if row["file"] == "scopus-csv/scopus.csv")
    assert all(r["scopus_eid"].startswith("2-s2.0-") for r in scopus.records)
    assert any("cells but the header has" in note.reason for note in scopus.notes)


def test_a_corpus_file_cut_short_is_still_read_or_clearly_refused(shared_dir, tmp_path):
    source = shared_dir / "corpus" / "exports" / "scopus-ris" / "scopus.ris"
    data = source.read_bytes()
    cut = tmp_path / "cut.ris"
    cut.write_bytes(data[: len(data) // 2])
    try:
        result = read_file(cut)
    except ImportFileError as error:
        assert "cut.ris" in str(error)
    else:
        assert 1 <= len(result.records) <= 6
        assert result.notes  # the last record has no ER line


@pytest.mark.parametrize(
    "name",
    [
        "pubmed-medline/cancer.nbib",
        "pubmed-medline/pubmed-balloongui-set.nbib",
        "scopus-ris/scopus.ris",
        "wos-plaintext/example_wos.ris",
        "endnote-tagged/ais_enl.txt",
        "scopus-bibtex/scopus_bib.bib",
    ],
)
def test_a_real_export_cut_mid_record_reports_the_cut_record(shared_dir, tmp_path, name):
    data = (shared_dir / "corpus" / "exports" / name).read_bytes()
    cut = tmp_path / Path(name).name
    at = int(len(data) * 0.6)
    while data[at : at + 1] in (b"\n", b"\r", b" "):
        at += 1
    cut.write_bytes(data[:at])
    result = read_file(cut)
    assert result.cut_short is not None
    assert result.records_in_file == result.count.n
