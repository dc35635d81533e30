"""A '}' too many inside a BibTeX field: the entry's later fields are not lost silently."""

from __future__ import annotations

import pytest

from prismake.importers import read_file

_ENTRY = """@inproceedings{ WOS:1,
Author = {Writerone, Julia},
Title = { a broken} Inproceedings Title},
Booktitle = {A BOOKTITLE},
Year = {2017},
Pages = {48-98},
DOI = {10.1007/999-9},
}

@article{b,
  title = {Second},
  author = {Smith, A},
  year = {2020}
}
"""


def test_fields_after_a_stray_closing_brace_are_read_and_the_brace_is_named(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(_ENTRY, encoding="utf-8")
    result = read_file(path)
    first, second = result.records
    assert (first["year"], first["doi"], first["journal"], first["pages"]) == (
        "2017",
        "10.1007/999-9",
        "A BOOKTITLE",
        "48-98",
    )
    assert second["title"] == "Second"
    (note,) = result.notes
    assert note.line == 1
    assert "'}' too many at line 3" in note.reason and "Year" in note.reason
    assert not result.skipped  # no "text outside any entry" left to puzzle over


@pytest.mark.shared
def test_the_real_wos_bibtex_with_a_stray_brace_keeps_its_fields(shared_dir, tmp_path):
    source = shared_dir / "corpus" / "exports" / "wos-bibtex" / "web_of_science_bib.bib"
    data = source.read_bytes()
    broken = tmp_path / "broken.bib"
    broken.write_bytes(
        data.replace(
            b"Title = {Inproceedings Title}", b"Title = { a broken} Inproceedings Title}", 1
        )
    )
    fields = ("year", "doi", "journal", "volume", "pages", "issn", "isbn")
    before, after = read_file(source).records[0], read_file(broken).records[0]
    assert [after[f] for f in fields] == [before[f] for f in fields]
