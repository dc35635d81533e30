"""Sheets read as Excel and LibreOffice save them, and rows appended without touching theirs."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from prismake.csvio import neutralise_formula
from prismake.screening.sheets import (
    append_rows,
    is_sheet_file,
    new_sheet_bytes,
    read_sheet,
    typed_digest,
)

COLUMNS = ("study_id", "title", "decision", "reason", "note")


def _decisions(path: Path) -> dict[str, str]:
    sheet = read_sheet(path)
    assert sheet.problems == []
    return {sheet.cell(c, "study_id"): sheet.cell(c, "decision") for _, c in sheet.rows}


def test_excel_semicolon_crlf_sheet_with_moved_columns_and_blank_rows_is_read(tmp_path):
    path = tmp_path / "alice.csv"
    text = (
        "Decision;Note;Study ID;Title;My own column\r\n"
        " Include ;;S-aaaaaaaaaa;Étude; x\r\n"
        ";;;;\r\n"
        "\r\n"
        'no;too old;S-bbbbbbbbbb;"Title; with a semicolon";\r\n'
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    sheet = read_sheet(path)
    assert sheet.delimiter == ";" and sheet.newline == "\r\n" and sheet.encoding == "utf-8-sig"
    assert [row for row, _ in sheet.rows] == [2, 5]  # blank rows skipped, numbers as shown
    assert _decisions(path) == {"S-aaaaaaaaaa": "Include", "S-bbbbbbbbbb": "no"}


def test_cp1252_sheet_saved_by_older_excel_is_read_with_its_accents(tmp_path):
    path = tmp_path / "ben.csv"
    path.write_bytes(
        "study_id,title,decision\r\nS-aaaaaaaaaa,Coproducción,exclude\r\n".encode("cp1252")
    )
    sheet = read_sheet(path)
    assert sheet.encoding == "cp1252"
    assert sheet.cell(sheet.rows[0][1], "title") == "Coproducción"


def test_utf16_tab_separated_unicode_text_sheet_is_read(tmp_path):
    path = tmp_path / "ben.csv"
    path.write_bytes("study_id\tdecision\r\nS-aaaaaaaaaa\tmaybe\r\n".encode("utf-16"))
    assert _decisions(path) == {"S-aaaaaaaaaa": "maybe"}


def test_sheet_without_study_id_column_is_a_problem_naming_row_one(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_text("id,decision\nS-aaaaaaaaaa,include\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert len(sheet.problems) == 1
    assert sheet.problems[0].row == 1 and "study_id" in sheet.problems[0].message


def test_row_with_an_unquoted_separator_is_reported_not_misread(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_text("study_id,decision,note\nS-aaaaaaaaaa,exclude,old, and small\n")
    sheet = read_sheet(path)
    assert [p.row for p in sheet.problems] == [2]
    assert "4 cells" in sheet.problems[0].message


def test_appending_keeps_every_existing_byte_and_the_sheets_own_dialect(tmp_path):
    path = tmp_path / "alice.csv"
    original = "Note;Decision;Study ID;Title\r\nmine;include;S-aaaaaaaaaa;Été\r\n".encode("cp1252")
    path.write_bytes(original)
    data, lost = append_rows(
        read_sheet(path), [{"study_id": "S-cccccccccc", "title": "Ünïcode; ☃", "decision": ""}]
    )
    assert data.startswith(original)
    assert data[len(original) :] == ';;S-cccccccccc;"Ünïcode; ?"\r\n'.encode("cp1252")
    assert lost == 1  # the snowman cannot be written in cp1252


def test_appending_to_a_sheet_without_a_final_line_end_starts_a_new_line(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_bytes(b"study_id,decision\nS-aaaaaaaaaa,include")
    data, _ = append_rows(read_sheet(path), [{"study_id": "S-bbbbbbbbbb"}])
    assert data == b"study_id,decision\nS-aaaaaaaaaa,include\nS-bbbbbbbbbb,\n"


def test_text_from_imported_records_cannot_run_as_a_formula_in_new_rows(tmp_path):
    data = new_sheet_bytes(COLUMNS, [{"study_id": "S-aaaaaaaaaa", "title": "=HYPERLINK(1)"}])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK(1)" in data
    path = tmp_path / "a.csv"
    path.write_bytes(b"study_id,title\n")
    appended, _ = append_rows(read_sheet(path), [{"study_id": "S-b", "title": "@SUM(A1)"}])
    assert appended.endswith(b"S-b,'@SUM(A1)\n")


def test_spreadsheet_lock_files_and_backups_are_not_sheets():
    assert is_sheet_file(Path("alice.csv"))
    assert not is_sheet_file(Path("~$alice.csv"))
    assert not is_sheet_file(Path(".~lock.alice.csv#"))
    assert not is_sheet_file(Path("alice.csv.20260101T000000Z.bak"))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=40, deadline=None)
@given(
    existing=st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=4),
    added=st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=4),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]),
)
def test_appended_rows_read_back_exactly_in_any_dialect(
    existing, added, delimiter, newline, encoding
):
    assume(not any("\x00" in t for t in existing))  # a NUL byte makes a file binary
    existing = [t.encode("cp1252", "ignore").decode("cp1252").replace("\r", "") for t in existing]
    added = [t.encode("cp1252", "ignore").decode("cp1252") for t in added]
    if encoding == "cp1252":  # cp1252 bytes that are also valid UTF-8 are read as UTF-8
        raw = "".join(existing).encode("cp1252")
        assume(raw.isascii() or not _is_utf8(raw))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sheet.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
        writer.writerow(["note", "study_id", "decision"])
        writer.writerows([[text, f"S-{i:0>10}", "include"] for i, text in enumerate(existing)])
        path.write_bytes(buffer.getvalue().encode(encoding))
        original = path.read_bytes()
        new = [{"study_id": f"S-new{i:0>7}", "note": text} for i, text in enumerate(added)]
        data, _ = append_rows(read_sheet(path), new)
        assert data.startswith(original)
        path.write_bytes(data)
        sheet = read_sheet(path)
        notes = [sheet.cell(cells, "note") for _, cells in sheet.rows]
        ids = [sheet.cell(cells, "study_id") for _, cells in sheet.rows]
    expected = [(t, f"S-{i:0>10}") for i, t in enumerate(existing)]
    expected += [
        (str(neutralise_formula(t.replace("\x00", ""))), f"S-new{i:0>7}")
        for i, t in enumerate(added)
    ]  # prismake writes no NUL (it would make the sheet look binary)
    # blank rows are skipped by design: a row whose every cell is empty is not a row
    kept = [(n.strip(), i) for n, i in expected]
    assert list(zip(notes, ids, strict=True)) == kept


def test_the_typed_digest_ignores_appended_rows_and_sees_every_typed_change(tmp_path):
    path = tmp_path / "alice.csv"
    header = "study_id,title,decision,reason,note\n"
    path.write_text(header + "S-aaaaaaaaaa,First,include,,\nS-bbbbbbbbbb,Second,,,\n")
    before = typed_digest([path])
    data, _ = append_rows(read_sheet(path), [{"study_id": "S-cccccccccc", "title": "New"}])
    path.write_bytes(data)
    assert typed_digest([path]) == before, "prismake's own append changes nothing typed"
    path.write_text(header + "S-aaaaaaaaaa,First (edited title),include,,\n")
    assert typed_digest([path]) == before, "a title is prismake's, not a decision"
    for changed in (
        "S-aaaaaaaaaa,First,exclude,,\n",  # another decision
        "S-aaaaaaaaaa,First,include,,see p. 3\n",  # a note
        "S-bbbbbbbbbb,Second,,,\nS-aaaaaaaaaa,First,include,,\n",  # the decision moved row
    ):
        path.write_text(header + changed)
        assert typed_digest([path]) != before, changed
