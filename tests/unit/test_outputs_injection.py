"""Hostile imported text reaches every person-facing output inert (issue 17, injection).

One review whose studies and sheets carry formulas, markup, LaTeX and Markdown payloads
is rendered to every output in-process; each file is then read as the program a person
opens it with would read it, and searched for a payload that is still live.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
import rispy
from defusedxml import ElementTree
from hypothesis import given
from hypothesis import strategies as st
from outputs_review import PAYLOADS, csv_cells, hostile_review, render_all

from prismake.csvio import neutralise_formula, read_table, restore_formula
from prismake.tableformats import latex_escape, markdown_escape

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("hostile")
    return render_all(tmp_path, hostile_review(tmp_path))


def person_facing(results: Path, suffix: str) -> list[Path]:
    files = sorted(results.rglob(f"*{suffix}"))
    assert files, f"no {suffix} output"
    return files


def test_the_payloads_reach_the_outputs_so_the_scan_means_something(hostile_outputs):
    quotes = (hostile_outputs / "tables" / "quotes.csv").read_text(encoding="utf-8-sig")
    assert "HYPERLINK" in quotes and "script" in quotes
    assert "passwd" in (hostile_outputs / "included.bib").read_text(encoding="utf-8")


def test_no_csv_cell_a_person_opens_can_start_a_formula(hostile_outputs):
    for path in person_facing(hostile_outputs, ".csv"):
        for cell in csv_cells(path):
            if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
                pytest.fail(f"{path.name}: a formula would run from {cell!r}")


def test_markdown_outputs_carry_no_html_and_keep_one_table_row_per_line(hostile_outputs):
    for path in person_facing(hostile_outputs, ".md"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[A-Za-z/!?]", text), path.name
        rows = [line for line in text.splitlines() if line.startswith("|")]
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, f"{path.name}: a cell's pipe or newline broke a row"
        assert not re.search(r"(?<!\\)\]\(javascript:", text), "a live Markdown link"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


SAFE_TAGS = {"html", "head", "meta", "title", "style", "body", "table", "caption"}
SAFE_TAGS |= {"thead", "tbody", "tr", "th", "td"}


def test_html_pages_hold_only_table_markup_and_no_script_or_handler(hostile_outputs):
    for path in person_facing(hostile_outputs, ".html"):
        parser = _Tags()
        parser.feed(path.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert tag in SAFE_TAGS, f"{path.name}: live <{tag}>"
            assert not [a for a, _ in attrs if a.startswith("on") or a == "href"], path.name


LATEX_COMMANDS = {
    "textbackslash", "textasciitilde", "textasciicircum", "textless", "textgreater",
    "textbar", "textasciigrave", "ensuremath", "caption", "label", "begin", "end",
    "centering", "toprule", "midrule", "bottomrule", "endfirsthead", "endhead", "endfoot",
    "endlastfoot", "multicolumn", "tablename", "thetable", "raggedright", "raggedleft",
    "arraybackslash", "hspace", "dimexpr", "linewidth", "tabcolsep", "relax", "small",
    "footnotesize", "allowbreak", "begingroup", "endgroup", "setlength", "rotatebox", "parbox",
    "usepackage",
}  # fmt: skip


def test_latex_outputs_run_no_command_from_imported_text(hostile_outputs):
    files = [*person_facing(hostile_outputs, ".tex"), hostile_outputs / "included.bib"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        body = text.split("\n", 1)[1] if path.suffix == ".tex" else text
        commands = set(re.findall(r"\\([A-Za-z]+)", body))
        assert commands <= LATEX_COMMANDS, f"{path.name}: {commands - LATEX_COMMANDS}"
        unescaped = re.findall(r"(?<!\\)[%#]", body)
        assert not unescaped, f"{path.name}: {unescaped}"


def test_the_bibtex_and_ris_of_hostile_references_read_back_whole(hostile_outputs):
    library = bibtexparser.parse_string(
        (hostile_outputs / "included.bib").read_text(encoding="utf-8")
    )
    assert not library.failed_blocks
    assert len(library.entries) == 7
    references = rispy.loads((hostile_outputs / "included.ris").read_text(encoding="utf-8"))
    assert len(references) == 7
    for line in (hostile_outputs / "included.ris").read_text(encoding="utf-8").splitlines():
        assert not line or re.match(r"[A-Z][A-Z0-9]  - ", line), f"a bogus RIS line: {line!r}"


def test_svg_figures_hold_no_script_or_event_handler(hostile_outputs):
    for path in person_facing(hostile_outputs, ".svg"):
        root = ElementTree.parse(path).getroot()
        for element in root.iter():
            assert not element.tag.endswith("script"), path.name
            assert not [a for a in element.attrib if a.lower().startswith("on")], path.name


@given(st.text())
def test_reading_a_neutralised_cell_back_gives_the_value_unchanged(value):
    assert restore_formula(neutralise_formula(value)) == value


def test_extraction_tables_people_open_are_neutralised_and_read_back_exactly(tmp_path):
    paths = hostile_review(tmp_path)
    render_all(tmp_path, paths)
    coded_file = tmp_path / "results" / "extraction" / "coded.csv"
    assert "'=HYPERLINK" in coded_file.read_text(encoding="utf-8-sig")
    coded = read_table(coded_file, neutralised=True)
    typed = {p for p in PAYLOADS if p.startswith(("=", "+", "@"))}
    assert typed & {e.split(" ", 1)[0] for e in coded["excerpt"]} or any(
        e.startswith(tuple(typed)) for e in coded["excerpt"]
    )


def test_latex_escape_and_markdown_escape_leave_no_live_syntax():
    assert latex_escape("\\input{x} 50% #1 & $ _ ^ ~ < > |") == (
        "\\textbackslash{}input\\{x\\} 50\\% \\#1 \\& \\$ \\_ \\textasciicircum{} "
        "\\textasciitilde{} \\textless{} \\textgreater{} \\textbar{}"
    )
    assert latex_escape('She said "yes" and \'no\' (it\'s "fine")') == (
        "She said ``yes'' and `no' (it's ``fine'')"
    )
    # quotes after a comma: a list of quoted items, and a comma inside the quote
    assert latex_escape('"http://x","click"') == "``http://x'',``click''"
    assert latex_escape('"Hello," he said') == "``Hello,'' he said"
    assert markdown_escape("<b>x</b> | [a](b)\nc") == "&lt;b&gt;x&lt;/b&gt; \\| \\[a\\](b) c"
