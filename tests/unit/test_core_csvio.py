"""Tables the pipeline writes are reproducible, and sheets for people cannot run formulas."""

from __future__ import annotations

import pandas as pd

from prismake.csvio import atomic_write_bytes, backup, read_table, write_sheet, write_table
from prismake.doi import normalise_doi
from prismake.records import normalise_author, normalise_authors


def test_cells_that_excel_would_run_as_formulas_are_neutralised(tmp_path):
    frame = pd.DataFrame({"title": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "ok"]})
    path = tmp_path / "sheet.csv"
    write_sheet(frame, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read accents"
    back = read_table(path)["title"].tolist()
    assert back == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "ok"]


def test_pipeline_tables_are_byte_identical_when_written_twice(tmp_path):
    frame = pd.DataFrame({"a": ["x", None, "z"], "b": [1, 2, None]})
    write_table(frame, tmp_path / "one.csv")
    write_table(frame, tmp_path / "two.csv")
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert b"\r\n" not in (tmp_path / "one.csv").read_bytes()


def test_atomic_write_replaces_the_file_and_backup_keeps_the_old_bytes(tmp_path):
    sheet = tmp_path / "alice.csv"
    sheet.write_bytes(b"old")
    saved = backup(sheet, tmp_path / "backups", "20250101T000000")
    atomic_write_bytes(sheet, b"new")
    assert sheet.read_bytes() == b"new"
    assert saved is not None and saved.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_dois_are_bare_and_lower_case_whatever_form_the_export_used():
    assert normalise_doi("https://doi.org/10.1000/ABC.123") == "10.1000/abc.123"
    assert normalise_doi("http://dx.doi.org/10.1000/xyz") == "10.1000/xyz"
    assert normalise_doi("doi: 10.1000/xyz.") == "10.1000/xyz"
    assert normalise_doi("10.1000/a [doi]") == "10.1000/a"
    assert normalise_doi("not a doi") == ""


def test_author_names_in_every_export_style_become_surname_and_initials():
    assert normalise_author("Smith, John A.") == "Smith JA"
    assert normalise_author("J. A. Smith") == "Smith JA"
    assert normalise_author("Smith JA") == "Smith JA"
    assert normalise_author("van der Berg, Anna") == "van der Berg A"
    assert normalise_author("et al.") == ""
    assert normalise_authors("Smith, J.; Jones, K. and Lee, M.") == "Smith J; Jones K; Lee M"


def test_a_carriage_return_inside_imported_text_does_not_split_the_row(tmp_path):
    frame = pd.DataFrame({"abstract": ["line one\rline two", "a\r\nb"], "n": ["1", "2"]})
    write_table(frame, tmp_path / "t.csv")
    back = read_table(tmp_path / "t.csv")
    assert back["n"].tolist() == ["1", "2"]
    assert back["abstract"].tolist() == ["line one\nline two", "a\nb"]
