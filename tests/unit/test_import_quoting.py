"""WoS tab-delimited as WoS writes it (no quoting, stray quotes inside cells) and as a
spreadsheet program saves it again (cells holding a quote are quoted, quotes doubled)."""

from __future__ import annotations

import pytest

from prismake.importers import read_file

_HEADER = "PT\tAU\tTI\tSO\tPY\tDI\tAB\tUT\n"


def _row(title: str, abstract: str, n: int) -> str:
    return f"J\tSmith, A\t{title}\tJournal A\t2020\t10.1000/{n}\t{abstract}\tWOS:{n}\n"


def test_wos_tab_saved_again_by_excel_has_its_quoting_undone(tmp_path):
    saved = tmp_path / "savedrecs.txt"
    rows = [
        _row('"""Smart"" homes"', '"Background: a ""smart"" kit for\nolder people."', 1),
        _row("Plain title", "No quotes at all.", 2),
    ]
    saved.write_text(_HEADER + "".join(rows), encoding="utf-16")  # Excel's "Unicode Text"
    result = read_file(saved)
    assert result.format == "wos_tab"
    assert [(r["title"], r["abstract"]) for r in result.records] == [
        ('"Smart" homes', 'Background: a "smart" kit for older people.'),
        ("Plain title", "No quotes at all."),
    ]
    assert result.count.n == 2


@pytest.mark.parametrize(
    "title",
    ['"Smart" homes for older people', 'Homes for "smart" older people', '"Smart homes"'],
)
def test_wos_tab_as_wos_writes_it_keeps_stray_quotes_as_they_are(tmp_path, title):
    export = tmp_path / "savedrecs.txt"
    export.write_text(
        _HEADER + _row(title, 'a "smart kit', 1) + _row("Second", "b", 2), encoding="utf-8"
    )
    result = read_file(export)
    assert [(r["title"], r["abstract"]) for r in result.records] == [
        (title, 'a "smart kit'),
        ("Second", "b"),
    ]


@pytest.mark.shared
def test_the_real_wos_tab_export_keeps_its_quotes(shared_dir):
    path = shared_dir / "corpus" / "exports" / "wos-tabdelimited" / "wos_2026_04_02_4071.txt"
    result = read_file(path)
    assert len(result.records) == 71
    assert sum('"' in r["abstract"] for r in result.records) == 4
    assert not any('""' in r["abstract"] for r in result.records)
