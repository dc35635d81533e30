"""Each output loaded into the program its users load it into (issue 15).

pdflatex (tables: no error, no box sticking out by more than a point, long tables break
across pages), bibtex with plain, unsrt and abbrv (no warning, initials, capitals, pages
and publisher kept; accented names with abbrv, apalike, plain and alpha), rispy (every
field back), an HTML parser (a page that declares UTF-8), font metrics (the diagram's
boxes hold their text in the fallback fonts) and LibreOffice Calc (no CSV a person
opens, sheets included, holds a formula Calc would run).
Tests needing a program that is not installed skip and say which Debian package has it.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import calc
import matplotlib
import pandas as pd
import pytest
import rispy
from defusedxml import ElementTree
from extraction_review import CHARACTERISTICS
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from outputs_review import FORMULAS, hostile_review, render_all

from prismake.csvio import write_table
from prismake.references import review_acronyms, write_included_references
from prismake.screening.sheets import append_rows, new_sheet_bytes, read_sheet
from prismake.screening.stage import SHEET_COLUMNS
from prismake.tableformats import to_html, to_latex, write_formats

PDFLATEX = shutil.which("pdflatex")
BIBTEX = shutil.which("bibtex")
needs_latex = pytest.mark.skipif(
    PDFLATEX is None,
    reason="pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended)",
)
needs_bibtex = pytest.mark.skipif(
    PDFLATEX is None or BIBTEX is None,
    reason="pdflatex/bibtex are not installed (Debian: texlive-latex-base)",
)
needs_calc = pytest.mark.skipif(not calc.available(), reason=calc.MISSING)
PREAMBLE = (
    "\\documentclass[a4paper]{article}\n\\usepackage[T1]{fontenc}\n"
    "\\usepackage{array,booktabs,longtable,graphicx}\n"
)


def run_latex(folder: Path, body: str, name: str = "doc") -> str:
    """Compile ``body`` in an A4 article; the log text (fails on a LaTeX error)."""
    (folder / f"{name}.tex").write_text(
        PREAMBLE + "\\begin{document}\n" + body + "\n\\end{document}\n", encoding="utf-8"
    )
    result = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (folder / f"{name}.log").read_text(encoding="latin-1")
    assert result.returncode == 0, "\n".join(line for line in log.splitlines() if line[:1] == "!")
    return log


def overfull(log: str) -> list[float]:
    """Boxes that stick out by more than a point."""
    found = re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too", log)
    return [float(x) for x in found if float(x) > 1.0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("readers")
    return render_all(tmp_path, hostile_review(tmp_path))


@pytest.mark.slow
@needs_latex
def test_every_table_compiles_with_pdflatex_inside_the_text_block(rendered, tmp_path):
    for tex in sorted((rendered / "tables").glob("*.tex")):
        shutil.copy(tex, tmp_path / tex.name)
        log = run_latex(tmp_path, f"\\input{{{tex.stem}}}")
        assert overfull(log) == [], f"{tex.name} sticks out of the page: {overfull(log)}"


def wide_table(rows: int) -> pd.DataFrame:
    """Many characteristics, long words and long text: the worst a review throws at it."""
    text = "Participatory action research with commissioners, practitioners and carers"
    return pd.DataFrame(
        {
            "Study": [f"García-López et al. ({2000 + i})" for i in range(rows)],
            **{name.capitalize(): [f"{text} {i}" for i in range(rows)] for name in CHARACTERISTICS},
            "Sample size": [str(10 * i) for i in range(rows)],
            "Interprofessionalisation": ["United Kingdom of Great Britain" for _ in range(rows)],
        }
    )


@pytest.mark.slow
@needs_latex
def test_a_wide_and_long_table_breaks_across_pages_with_its_headings_repeated(tmp_path):
    tex = to_latex(wide_table(60), "Characteristics", label="tab:wide")
    assert "\\begin{longtable}" in tex and "\\endhead" in tex
    (tmp_path / "wide.tex").write_text(tex, encoding="utf-8")
    log = run_latex(tmp_path, "\\input{wide}")
    assert overfull(log) == []
    pages = int(re.search(r"Output written on doc.pdf \((\d+) page", log).group(1))
    assert pages > 1


def test_table_labels_are_the_file_name_and_captions_end_with_a_period(tmp_path):
    frame = pd.DataFrame({"Database": ["Scopus"], "Records": [12]})
    write_formats(frame, [tmp_path / "database_yield.tex"], caption="Records per database")
    tex = (tmp_path / "database_yield.tex").read_text(encoding="utf-8")
    assert "\\label{tab:database_yield}" in tex
    assert "\\caption{Records per database.}" in tex


def test_long_text_columns_are_ragged_right_not_justified():
    tex = to_latex(wide_table(3))
    assert "\\raggedright" in tex and "p{\\dimexpr" in tex


def test_html_tables_are_pages_that_declare_utf8_and_right_align_numbers():
    page = to_html(pd.DataFrame({"Study": ["García-López (2020)"], "Records": [12]}), "Yield")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "García-López (2020)" in page
    assert '<td class="num">12</td>' in page
    assert "text-align: right" in page
    assert "<!-- table: start" in page and "<!-- table: end -->" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")
def test_chromium_shows_an_html_table_from_disk_with_accents_and_markup_as_text(tmp_path):
    """Opened directly from disk, with no server to send a charset (issue 15)."""
    table = pd.DataFrame(
        {"Study": ["García-López (2020)", "<img src=x onerror=alert(1)>"], "Records": [12, 3]}
    )
    page = tmp_path / "yield.html"
    page.write_text(to_html(table, "Yield"), encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = result.stdout
    assert "García-López (2020)" in dom, dom[:2000]
    assert "GarcÃ" not in dom
    assert "<img" not in dom and "&lt;img src=x onerror=alert(1)&gt;" in dom


# --- references ------------------------------------------------------------------------

STUDY = {
    "study_id": "S-aaaaaaaaaa",
    "citation_label": "Nguyen et al. (2019)",
    "title": "Co-producing carers' support in Helsinki: the NHS and COVID-19 compared",
    "authors": "Nguyen, M.W.; Karimi JG; Anderson, D.",
    "year": "2019",
    "journal": "JOURNAL OF SOCIAL POLICY",
    "volume": "36",
    "issue": "1",
    "pages": "705-14",
    "doi": "10.5555/jsp.1",
    "abstract": "We interviewed 24 people (50% carers).",
    "keywords": "co-production; carers",
    "url": "",
    "type": "JOUR",
    "language": "eng",
    "record_ids": "wos-1; pubmed-1",
}
RECORDS = [
    {**STUDY, "record_id": "wos-1", "journal": "JOURNAL OF SOCIAL POLICY", "language": "English",
     "publisher": "Cambridge University Press", "address": "Cambridge", "issn": "0047-2794",
     "article_number": ""},
    {**STUDY, "record_id": "pubmed-1", "journal": "Journal of social policy",
     "publisher": "", "address": "", "issn": "1469-7823", "article_number": "e12"},
]  # fmt: skip


def write_references(tmp_path: Path) -> tuple[Path, Path]:
    included = tmp_path / "included_studies.csv"
    write_table(pd.DataFrame([STUDY]), included)
    records = tmp_path / "records.csv"
    write_table(pd.DataFrame([{**r, "study_id": STUDY["study_id"]} for r in RECORDS]), records)
    bib, ris = tmp_path / "included.bib", tmp_path / "included.ris"
    write_included_references(
        included_path=included, bib_out=bib, ris_out=ris, records_path=records
    )
    return bib, ris


def test_ris_reads_back_with_every_field_of_the_records(tmp_path):
    _, ris = write_references(tmp_path)
    (reference,) = rispy.loads(ris.read_text(encoding="utf-8"))
    assert reference["publisher"] == "Cambridge University Press"
    assert reference["place_published"] == "Cambridge"
    assert reference["issn"] == "0047-2794"
    assert reference["custom7"] == "e12"  # article number
    assert (reference["start_page"], reference["end_page"]) == ("705", "714")
    assert reference["secondary_title"] == "Journal of Social Policy"
    assert reference["language"] == "English"
    assert reference["abstract"].startswith("We interviewed")
    assert reference["id"] == "NguyenEtAl2019" and reference["label"] == "Nguyen et al. (2019)"
    assert any("NguyenEtAl2019" in note for note in reference["notes"])  # kept by Zotero


def test_bibtex_carries_abstract_publisher_and_protected_capitals(tmp_path):
    bib, _ = write_references(tmp_path)
    text = bib.read_text(encoding="utf-8")
    for field in ("abstract", "publisher", "address", "issn", "eid", "language"):
        assert re.search(rf"^\s*{field} = ", text, re.M), field
    assert "{Helsinki:}" in text and "{NHS}" in text and "{COVID-19}" in text
    assert "Nguyen, M. W. and Karimi, J. G." in text
    assert "pages = {705--714}" in text


@pytest.mark.slow
@needs_bibtex
@pytest.mark.parametrize("style", ["plain", "unsrt", "abbrv"])
def test_bibtex_styles_print_every_reference_without_a_warning(tmp_path, style):
    bib, _ = write_references(tmp_path)
    body = f"\\nocite{{*}}\\bibliographystyle{{{style}}}\\bibliography{{{bib.stem}}}"
    run_latex(tmp_path, body)
    result = subprocess.run([BIBTEX, "doc"], cwd=tmp_path, capture_output=True, text=True)
    blg = (tmp_path / "doc.blg").read_text(encoding="latin-1")
    assert result.returncode == 0, blg
    assert "Warning--" not in blg, blg
    bbl = (tmp_path / "doc.bbl").read_text(encoding="latin-1")
    assert "{Helsinki" in bbl and "{NHS}" in bbl  # capitals survive the lower-casing styles
    assert "705--714" in bbl
    if style == "abbrv":
        assert "M.~W. Nguyen" in bbl  # the middle initial survives abbreviation
    run_latex(tmp_path, body)  # the bibliography typesets without an error


# --- the diagram's SVG in the fonts a viewer may use ------------------------------------


@functools.cache
def font_files() -> dict[tuple[str, bool], str]:
    """(family, bold) -> file, for the fonts on this machine and those matplotlib ships."""
    bundled = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    found: dict[tuple[str, bool], str] = {}
    wanted = ("dejavu", "liberation")
    paths = font_manager.findSystemFonts() + font_manager.findSystemFonts(bundled)
    for path in (p for p in paths if any(w in os.path.basename(p).lower() for w in wanted)):
        try:
            font = FT2Font(path)
        except (RuntimeError, OSError):
            continue
        if font.style_name in ("Regular", "Book", "Bold"):
            found.setdefault((font.family_name, font.style_name == "Bold"), path)
    return found


def text_width(path: str, text: str, size: float) -> float:
    font = FT2Font(path)
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64.0


@pytest.fixture(scope="module")
def diagram(tmp_path_factory) -> Path:
    return diagram_svg(tmp_path_factory.mktemp("diagram"))


def diagram_svg(tmp_path: Path) -> Path:
    from prisma_review import Study, search
    from test_prisma_counts import run

    from prismake.prisma import write_prisma_diagram

    searches = [
        search("scopus", "Scopus"),
        search("wos", "Web of Science Core Collection"),
        search("cites", "Citation searching", "other"),
    ]
    studies = [
        Study("A", ["scopus", "wos"], ta="include", ft="include"),
        Study("B", ["scopus"], ta="include", ft="exclude", reason="Wrong participants"),
        Study("C", ["wos"], ta="exclude"),
        Study("D", ["cites"], ft="exclude", reason="No risks, limits or lessons reported"),
    ]
    run(tmp_path, searches, studies)
    svg = tmp_path / "prisma.svg"
    write_prisma_diagram(
        counts_path=str(tmp_path / "counts.csv"),
        prisma={"template": "auto", "dpi": 50},
        svg_out=str(svg),
        pdf_out=str(tmp_path / "prisma.pdf"),
        png_out=str(tmp_path / "prisma.png"),
    )
    return svg


def test_svg_text_names_a_generic_sans_serif_fallback(diagram, rendered):
    for svg in [diagram, *sorted((rendered / "figures").glob("*.svg"))]:
        families = set(re.findall(r"font-family: ([^;\"]+)", svg.read_text(encoding="utf-8")))
        assert families, svg.name
        for family in families:
            assert family.startswith("'DejaVu Sans'") and family.endswith(", sans-serif"), family


@pytest.mark.parametrize("family", ["DejaVu Sans", "Liberation Sans", "DejaVu Serif"])
def test_every_box_of_the_diagram_holds_its_text_in_a_fallback_font(diagram, family):
    """Arial's metrics (Liberation Sans), and a serif as the widest plausible fallback."""
    fonts = font_files()
    if (family, False) not in fonts:
        pytest.skip(f"{family} is not installed (Debian: fonts-liberation)")
    root = ElementTree.parse(diagram).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    boxes = {}
    for group in root.iter(f"{ns}g"):
        if group.get("id", "").startswith("box-"):
            numbers = [
                float(x) for x in re.findall(r"-?\d+\.?\d*", group.find(f"{ns}path").get("d"))
            ]
            boxes[group.get("id")[4:]] = (min(numbers[0::2]), max(numbers[0::2]))
    checked = 0
    for group in root.iter(f"{ns}g"):
        match = re.fullmatch(r"text-(.+)-\d+", group.get("id", ""))
        if not match or match.group(1) not in boxes:
            continue
        text = group.find(f"{ns}text")
        style = text.get("style")
        size = float(re.search(r"font-size: ([\d.]+)px", style).group(1))
        bold = "font-weight: 700" in style
        width = text_width(fonts.get((family, bold), fonts[(family, False)]), text.text, size)
        left, right = boxes[match.group(1)]
        x = float(text.get("x"))
        if "text-anchor: middle" in style:
            assert width <= right - left, (text.text, family)
        else:
            assert x + width <= right, (text.text, family, x + width - right)
        checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    ("pages", "written_out"),
    [("705-14", "705-714"), ("1311-5", "1311-1315"), ("S12-5", "S12-S15"), ("99-101", "99-101"),
     ("e0123456", "e0123456"), ("12", "12")],
)  # fmt: skip
def test_shortened_page_ranges_are_written_out(pages, written_out):
    from prismake.records import expand_pages

    assert expand_pages(pages) == written_out


def test_the_included_studies_table_writes_page_ranges_out(tmp_path):
    from extraction_review import make_review, run_extract

    from prismake.csvio import read_table

    paths = make_review(tmp_path)
    studies = read_table(paths["studies"])
    studies.loc[0, "pages"] = "705-14"
    write_table(studies, paths["studies"])
    included = read_table(run_extract(tmp_path, paths)["included"], neutralised=True)
    assert "705-714" in set(included["pages"])


@pytest.mark.slow
@needs_calc
def test_libreoffice_calc_runs_no_formula_from_a_csv_a_person_opens(rendered, tmp_path):
    # what Calc would run, opened with "Evaluate formulas" on: the payloads as imported
    # (the control: the check can see a live formula), every CSV output of the hostile
    # review, a new screening sheet and rows appended to one saved by Excel
    raw = tmp_path / "as_imported.csv"
    raw.write_text(
        "title\n" + "".join(f'"{f.replace(chr(34), 2 * chr(34))}"\n' for f in FORMULAS),
        encoding="utf-8",
    )
    records = [
        {"study_id": f"S-{i:010d}", "title": payload, "authors": payload, "abstract": payload}
        for i, payload in enumerate(FORMULAS)
    ]
    columns = SHEET_COLUMNS["title_abstract"]
    new_sheet = tmp_path / "new_sheet.csv"
    new_sheet.write_bytes(new_sheet_bytes(columns, records))
    excel = tmp_path / "saved_by_excel.csv"
    excel.write_bytes(b"\xef\xbb\xbf" + ";".join(columns).encode() + b"\r\n")
    excel.write_bytes(append_rows(read_sheet(excel), records)[0])
    outputs = sorted(rendered.rglob("*.csv"))
    assert len(outputs) >= 5
    live = calc.run("formulas", str(raw), str(new_sheet), str(excel), *map(str, outputs))
    files = {line.split("\t")[0] for line in live.splitlines()}
    assert files == {str(raw)}, live


def test_a_journal_exported_in_capitals_keeps_the_acronyms_the_review_s_records_show(tmp_path):
    """Web of Science writes "ASME JOINT RAIL CONFERENCE"; another study's Scopus record
    writes "ASME Joint Rail Conference": title-cased, ASME stays an acronym. A word the
    records also write as a word ("Aids") is not taken for one."""
    cased = "Proceedings of the ASME/IEEE Joint Rail Conference; Hearing AIDS"
    other = {**STUDY, "study_id": "S-bbbbbbbbbb", "record_id": "scopus-9", "journal": cased}
    words = {**STUDY, "study_id": "S-cccccccccc", "record_id": "scopus-8",
             "journal": "Hearing Aids Today"}  # fmt: skip
    study = {**STUDY, "journal": "10TH PROCEEDINGS OF THE ASME/IEEE JOINT RAIL CONFERENCE (JRC), "
             "HEARING AIDS"}  # fmt: skip
    records = [{**study, "record_id": "wos-1"}, other, words]
    included = tmp_path / "included_studies.csv"
    write_table(pd.DataFrame([study]), included)
    write_table(pd.DataFrame(records), tmp_path / "records.csv")
    bib, ris = tmp_path / "included.bib", tmp_path / "included.ris"
    write_included_references(
        included_path=included, bib_out=bib, ris_out=ris, records_path=tmp_path / "records.csv"
    )
    (reference,) = rispy.loads(ris.read_text(encoding="utf-8"))
    assert reference["secondary_title"] == (
        "10th Proceedings of the ASME/IEEE Joint Rail Conference (Jrc), Hearing Aids"
    )
    # a name mostly in capitals is no evidence: its words are not taken for acronyms
    assert review_acronyms(["SENSORS IN THE AGE OF THINGS: Technologies", "IEEE Access"]) == {
        "IEEE"
    }
    # a study whose records all write it in capitals takes another study's cased spelling
    from prismake.references import best_journal, review_spellings

    spellings = review_spellings(["PLoS ONE", "JMIR mHealth and uHealth", "SCIENCE"])
    assert best_journal(["PLOS ONE"], frozenset(), spellings) == "PLoS ONE"
    assert best_journal(["JMIR MHEALTH AND UHEALTH"], frozenset(), spellings) == (
        "JMIR mHealth and uHealth"
    )
    assert best_journal(["SCIENCE"], frozenset(), spellings) == "Science"
    # nor a word the review's own titles and abstracts use as a word: "PLoS ONE", "IT Pro"
    names = ["PLoS ONE", "IT Professional", "JMIR Human Factors"]
    prose = ["One of the trials found it useful", "A JMIR protocol"]
    assert review_acronyms(names, prose) == {"JMIR"}


ACCENTED = [
    "Durand, Émile", "Öztürk, Özge", "Lindqvist, Åsa", "Nowak, Łukasz", "Ó Briain, Áine",
    "García-López, Ángel José", "Zhang, Wei", "Østergaard, Søren", "Çelik, Şule",
]  # fmt: skip


def write_accented_references(tmp_path: Path) -> Path:
    """One study per name of ACCENTED, and a title with é, ü, ø and ł."""
    rows = [
        {"study_id": f"S-{i}", "authors": name, "year": "2020", "type": "JOUR",
         "title": "Évaluation für Sørensen in Łódź" if i == 0 else f"Study {i}",
         "journal": "Journal of Social Policy", "citation_label": f"Label {i} (2020)"}
        for i, name in enumerate(ACCENTED)
    ]  # fmt: skip
    write_table(pd.DataFrame(rows), tmp_path / "included_studies.csv")
    bib = tmp_path / "included.bib"
    write_included_references(
        included_path=tmp_path / "included_studies.csv", bib_out=bib, ris_out=tmp_path / "a.ris"
    )
    return bib


@pytest.mark.slow
@needs_bibtex
@pytest.mark.parametrize("style", ["abbrv", "apalike", "plain", "alpha"])
def test_accented_names_abbreviate_sort_and_typeset_in_every_bibtex_style(tmp_path, style):
    # abbrv cut "Émile" to the first byte of its UTF-8 ("Invalid UTF-8 byte sequence" in
    # pdflatex), and "Öztürk" sorted after Zhang
    bib = write_accented_references(tmp_path)
    body = f"\\nocite{{*}}\\bibliographystyle{{{style}}}\\bibliography{{{bib.stem}}}"
    run_latex(tmp_path, body)
    result = subprocess.run([BIBTEX, "doc"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, (tmp_path / "doc.blg").read_text(encoding="latin-1")
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")  # valid UTF-8 throughout
    if style == "abbrv":
        assert "{\\'E}.~Durand" in bbl and "{\\L}.~Nowak" in bbl and "{\\'A}.~J. Garc" in bbl
    surnames = ["{\\c{C}}elik", "Durand", "Garc", "Lindqvist", "Nowak", "{\\'O}~Briain"]
    surnames += ["{\\O}stergaard", '{\\"O}zt{\\"u}rk', "Zhang"]
    at = [bbl.index(name) for name in surnames]  # all four sort by surname, accents ignored
    assert at == sorted(at), surnames
    assert "Évaluation für" in bbl
    run_latex(tmp_path, body)  # the bibliography typesets without an error


def quotes_with_one_long_excerpt() -> pd.DataFrame:
    excerpt = "Trust took years to build and weeks to lose in every meeting we held. "
    return pd.DataFrame(
        {
            "Theme": [f"Theme {i % 4}" for i in range(40)],
            "Study": [f"Smith et al. ({2000 + i})" for i in range(40)],
            "Excerpt": [excerpt * (90 if i == 3 else 1) for i in range(40)],
        }
    )


def test_a_cell_taller_than_a_page_is_cut_in_latex_with_a_mark_and_a_warning(caplog):
    # TeX cannot break a longtable row: a 6,000-character excerpt ran off the page
    tex = to_latex(quotes_with_one_long_excerpt(), "Quotes")
    assert "\\begin{longtable}" in tex
    assert tex.count("in full in the table") == 1
    assert tex.count("Trust took years") < 90 + 39
    assert "taller than a page" in caplog.text


@pytest.mark.parametrize(
    ("caption", "named"),
    [
        ("Quotes by theme and kind.", "Quotes by theme and kind: a cell"),
        ("Quotes by theme and kind", "Quotes by theme and kind: a cell"),
        ("Quotes, and so on...", "Quotes, and so on...: a cell"),
        (None, "a table: a cell"),
    ],
)
def test_the_cut_warning_names_the_table_without_its_final_full_stop(caplog, caption, named):
    with caplog.at_level(logging.WARNING, logger="prismake"):
        to_latex(quotes_with_one_long_excerpt(), caption)
    [warning] = [r.getMessage() for r in caplog.records if "taller than a page" in r.getMessage()]
    assert warning.startswith(named)


@pytest.mark.slow
@needs_latex
def test_a_long_excerpt_cut_for_latex_compiles_with_its_mark(tmp_path):
    # (pdflatex says nothing about a longtable row that runs off the page: the cut itself
    # is checked above; here, that the cut row and its mark typeset)
    (tmp_path / "quotes.tex").write_text(
        to_latex(quotes_with_one_long_excerpt(), "Quotes"), encoding="utf-8"
    )
    log = run_latex(tmp_path, "\\input{quotes}")
    assert overfull(log) == []
