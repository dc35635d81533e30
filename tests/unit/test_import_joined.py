"""Exports joined into one file (``cat a.ris b.ris``, two CSV downloads pasted together):
every record of both is imported, where they meet is named, and the count agrees."""

from __future__ import annotations

import pytest

from prismake.importers import read_file
from prismake.importers.count import count_records

_FIRST = "TY  - JOUR\nTI  - First study\nAU  - Smith, A\nPY  - 2020\nDO  - 10.1000/first\n"
_SECOND = "TY  - JOUR\nTI  - Second study\nAU  - Jones, B\nPY  - 2021\nDO  - 10.1000/second\n"


@pytest.mark.parametrize("end", ["ER  - ", "ER  -"])  # with and without ER's trailing space
def test_ris_files_joined_without_a_final_line_break_keep_both_records(tmp_path, end):
    joined = tmp_path / "ab.ris"
    joined.write_text(_FIRST + end + _SECOND + "ER  - \n", encoding="utf-8")
    result = read_file(joined)
    assert [(r["title"], r["authors"], r["doi"]) for r in result.records] == [
        ("First study", "Smith, A", "10.1000/first"),
        ("Second study", "Jones, B", "10.1000/second"),
    ]
    (note,) = result.notes
    assert note.line == 6 and "on one line" in note.reason
    assert count_records(joined.read_text(), "ris").n == 2  # the count sees the glued start


def test_joined_exports_with_byte_order_marks_keep_the_second_records_type(tmp_path):
    joined = tmp_path / "ab.ris"
    bom = "\ufeff".encode()
    joined.write_bytes(bom + (_FIRST + "ER  - \n").encode() + bom + (_SECOND + "ER  - \n").encode())
    result = read_file(joined)
    assert [r["type"] for r in result.records] == ["article", "article"]
    assert "\ufeff" not in "".join(str(v) for r in result.records for v in r.values())


def test_endnote_tagged_files_joined_without_a_final_line_break_keep_both_records(tmp_path):
    first = "%0 Journal Article\n%T First study\n%A Smith, A\n%D 2020\n%R 10.1000/first"
    second = "%0 Journal Article\n%T Second study\n%A Jones, B\n%D 2021\n%R 10.1000/second\n"
    # AIS eLibrary writes %T first: the glued tag need not be %0
    ais = "%T Second study\n%0 Journal Article\n%A Jones, B\n%D 2021\n%R 10.1000/second\n"
    for other in (second, ais):
        joined = tmp_path / "ab.enw"
        joined.write_text(first + other, encoding="utf-8")
        result = read_file(joined)
        assert [(r["title"], r["authors"], r["doi"]) for r in result.records] == [
            ("First study", "Smith, A", "10.1000/first"),
            ("Second study", "Jones, B", "10.1000/second"),
        ]
        assert [n.line for n in result.notes] == [5]
        assert count_records(joined.read_text(), "endnote_tagged").n == 2


@pytest.mark.shared
def test_two_real_ris_exports_joined_with_cat_give_all_their_records(shared_dir, tmp_path):
    base = shared_dir / "corpus" / "exports"
    parts = [
        base / "apa-psycinfo-ris" / "psycinfo_ris.ris",
        base / "zotero-ris" / "pubmed_zotero.ris",
    ]
    joined = tmp_path / "joined.ris"
    joined.write_bytes(b"".join(p.read_bytes() for p in parts))
    result = read_file(joined)
    alone = [read_file(p).records for p in parts]
    assert len(result.records) == 7
    assert [r["doi"] for r in result.records] == [r["doi"] for rs in alone for r in rs]
    assert [r["title"] for r in result.records] == [r["title"] for rs in alone for r in rs]


_SCOPUS = "Authors,Title,Year,Source title,DOI,EID\n"
_SCOPUS_REORDERED = "Title,EID,DOI,Source title,Year,Authors\n"


def test_a_csv_header_repeated_mid_file_is_no_record_and_names_the_columns_after_it(
    tmp_path,
):
    joined = tmp_path / "scopus.csv"
    joined.write_text(
        _SCOPUS
        + '"Smith A.",First study,2020,Journal A,10.1000/first,2-s2.0-1\n'
        + '"Lee K.",Second study,2021,Journal B,10.1000/second,2-s2.0-2\n'
        + _SCOPUS_REORDERED
        + 'Third study,2-s2.0-3,10.1000/third,Journal C,2022,"Jones B."\n',
        encoding="utf-8",
    )
    result = read_file(joined)
    assert result.format == "scopus_csv"
    assert [(r["title"], r["authors"], r["year"], r["journal"]) for r in result.records] == [
        ("First study", "Smith A", "2020", "Journal A"),
        ("Second study", "Lee K", "2021", "Journal B"),
        ("Third study", "Jones B", "2022", "Journal C"),
    ]
    (note,) = result.notes
    assert note.line == 4 and "repeats the header" in note.reason
    assert result.count.n == 3  # the count leaves the second header out too


def test_a_wos_tab_delimited_header_repeated_mid_file_is_no_record(tmp_path):
    header = "PT\tAU\tTI\tSO\tPY\tDI\tUT\n"
    row = "J\tSmith, A\t{t}\tJournal A\t2020\t10.1000/{t}\tWOS:{t}\n"
    joined = tmp_path / "savedrecs.txt"
    joined.write_text(header + row.format(t="one") + header + row.format(t="two"))
    result = read_file(joined)
    assert result.format == "wos_tab"
    assert [r["title"] for r in result.records] == ["one", "two"]
    assert [n.line for n in result.notes] == [3]
    assert result.count.n == 2
