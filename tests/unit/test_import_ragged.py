"""Ragged CSV rows are named in the report, the first 20 one by one, the rest counted."""

from __future__ import annotations

from prismake.importers import read_file


def test_many_ragged_rows_give_twenty_notes_and_one_that_counts_the_rest(tmp_path):
    path = tmp_path / "scopus.csv"
    rows = [f"Smith A.,Study {n},2020,Journal,10.1000/{n},2-s2.0-{n},extra" for n in range(25)]
    path.write_text("Authors,Title,Year,Source title,DOI,EID\n" + "\n".join(rows) + "\n")
    result = read_file(path)
    assert len(result.records) == 25
    assert len(result.notes) == 21
    assert [n.line for n in result.notes[:20]] == list(range(2, 22))
    last = result.notes[-1]
    assert last.line == 22 and last.reason.startswith("5 more rows")
    assert "lines 22, 23, 24, 25, 26)" in last.reason
