"""The thematic figures: same inputs, same bytes; text editable; counts drawn as coded."""

from __future__ import annotations

import html
import itertools
import math
import re
import subprocess
import sys

import pandas as pd
from extraction_review import CODEBOOK, make_review, run_extract
from matplotlib.backends.backend_agg import FigureCanvasAgg

from prismake.csvio import read_table, write_sheet
from prismake.extraction.codebook import Code, Codebook, load_codebook
from prismake.figures import (
    FIGURE_NAMES,
    evidence_matrix_figure,
    studies_per_theme_and_kind,
    themes_by_kind_figure,
    write_thematic_figures,
)
from prismake.plotting import style

EXTENSIONS = ("svg", "pdf", "png")


def draw(folder, outputs, dpi=100):
    paths = [str(folder / f"{name}.{ext}") for name in FIGURE_NAMES for ext in EXTENSIONS]
    write_thematic_figures(
        codebook_path=str(CODEBOOK),
        coded_path=outputs["coded"],
        included_path=outputs["included"],
        dpi=dpi,
        outputs=paths,
    )
    return folder


def test_figures_are_byte_identical_across_two_runs(tmp_path):
    outputs = run_extract(tmp_path)
    one, two = draw(tmp_path / "one", outputs), draw(tmp_path / "two", outputs)
    for name in FIGURE_NAMES:
        for ext in EXTENSIONS:
            first = (one / f"{name}.{ext}").read_bytes()
            assert first == (two / f"{name}.{ext}").read_bytes(), f"{name}.{ext}"
            assert len(first) > 1000


def test_figures_are_byte_identical_when_drawn_by_a_fresh_python(tmp_path):
    outputs = run_extract(tmp_path)
    draw(tmp_path / "here", outputs)
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from test_figures_thematic import draw;"
        "draw(Path(sys.argv[2]), {'coded': sys.argv[3], 'included': sys.argv[4]})"
    )
    folder = str(tmp_path / "there")
    here = str(__import__("pathlib").Path(__file__).parent)
    subprocess.run(
        [sys.executable, "-c", script, here, folder, outputs["coded"], outputs["included"]],
        check=True,
    )
    for name in FIGURE_NAMES:
        for ext in EXTENSIONS:
            here_bytes = (tmp_path / "here" / f"{name}.{ext}").read_bytes()
            assert here_bytes == (tmp_path / "there" / f"{name}.{ext}").read_bytes()


def test_svg_keeps_labels_as_text_and_no_date(tmp_path):
    folder = draw(tmp_path / "fig", run_extract(tmp_path))
    svg = (folder / "evidence_matrix.svg").read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Smith et al. (2019b)" in texts
    assert "R Le" in texts  # the kinds Smith et al. (2019b) reports under culture
    assert "<dc:date>" not in svg
    bars = (folder / "themes_by_kind.svg").read_text(encoding="utf-8")
    assert "Managing expectations" in re.findall(r"<text[^>]*>([^<]*)</text>", bars)


def test_pdf_has_no_creation_date_and_embeds_text(tmp_path):
    pdf = (draw(tmp_path / "fig", run_extract(tmp_path)) / "themes_by_kind.pdf").read_bytes()
    assert b"CreationDate" not in pdf
    assert b"/FontFile2" in pdf  # TrueType font: text stays text


def test_bars_show_the_number_of_distinct_studies_per_theme_and_kind(tmp_path):
    coded = pd.read_csv(run_extract(tmp_path)["coded"], dtype=str, keep_default_na=False)
    codebook = load_codebook(CODEBOOK)
    counts = studies_per_theme_and_kind(coded, codebook)
    assert counts.loc["culture", "risk"] == 2  # S-aaa (coded by two coders) and S-bbb
    assert counts.loc["resourcing", "lesson"] == 1  # S-ccc, with two lesson excerpts
    figure = themes_by_kind_figure(coded, codebook)
    bars = [p for p in figure.axes[0].patches if p.get_height() > 0]
    widths = [round(p.get_width()) for p in bars]  # kind by kind, themes in codebook order
    assert widths == [int(counts.loc[t, k]) for k in codebook.kind_ids for t in codebook.theme_ids]


def test_figures_are_drawn_even_before_anything_is_coded(tmp_path):
    paths = make_review(tmp_path)
    paths["coding"].write_text("study_id,theme,kind,excerpt,location,coder,note\n")
    folder = draw(tmp_path / "fig", run_extract(tmp_path, paths))
    assert "No coded excerpts yet" in (folder / "themes_by_kind.svg").read_text(encoding="utf-8")


def test_dollars_and_backslashes_in_labels_are_drawn_as_typed_not_as_math(tmp_path):
    # "$US and $AU" was set as italic mathtext, its spaces lost; "\alpha" became a Greek letter
    outputs = run_extract(tmp_path)
    theme = r"Costs in $US and $AU saved, $x$ and \alpha"
    codebook = CODEBOOK.read_text(encoding="utf-8")
    codebook = codebook.replace("label: Managing expectations", f"label: '{theme}'")
    codebook = codebook.replace("label: Risk", "label: Risk $1 $2")
    (tmp_path / "codebook.yaml").write_text(codebook, encoding="utf-8")
    included = read_table(outputs["included"], neutralised=True)
    included.loc[0, "citation_label"] = r"$mith $\beta$ (2019)"
    write_sheet(included, outputs["included"])
    folder = tmp_path / "fig"
    paths = [str(folder / f"{name}.svg") for name in FIGURE_NAMES]
    write_thematic_figures(
        codebook_path=str(tmp_path / "codebook.yaml"),
        coded_path=outputs["coded"],
        included_path=outputs["included"],
        dpi=100,
        outputs=paths,
    )

    def texts(name):
        svg = (folder / f"{name}.svg").read_text(encoding="utf-8")
        lines = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        return " ".join(html.unescape(t) for t in lines)  # a wrapped label: one line each

    bars, matrix = texts("themes_by_kind"), texts("evidence_matrix")
    for text in (bars, matrix):  # tick labels (wrapped) and legends
        assert " ".join(theme.split()) in " ".join(text.split())
        assert "Risk $1 $2" in text or "risk $1 $2" in text
    assert r"$mith $\beta$ (2019)" in matrix


def headings_overlap(figure) -> bool:
    """Whether two neighbouring column headings of the matrix overlap as drawn: side by
    side, their boxes; slanted (parallel lines of text), the gap across the slant."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    labels = figure.axes[0].get_xticklabels()
    for a, b in itertools.pairwise(labels):
        box_a, box_b = a.get_window_extent(renderer), b.get_window_extent(renderer)
        angle = a.get_rotation()
        if angle == 0:
            if box_a.x1 > box_b.x0:
                return True
            continue
        # each line of the heading is about 1.2 font sizes high (in pixels, at the dpi)
        line = 1.2 * a.get_fontsize() * figure.dpi / 72
        lines = a.get_text().count("\n") + 1
        across = box_b.x0 - box_a.x0  # the distance between neighbouring anchors
        if across * math.sin(math.radians(angle)) < line * lines:
            return True
    return False


def matrix_with_themes(labels):
    themes = tuple(Code(f"t{i}", label) for i, label in enumerate(labels))
    codebook = Codebook(themes=themes, kinds=(Code("risk", "Risk", "", "R"),))
    included = pd.DataFrame({"study_id": ["S1", "S2"], "citation_label": ["A (2001)", "B (2002)"]})
    coded = pd.DataFrame({"study_id": ["S1"], "theme": ["t0"], "kind": ["risk"]})
    with style():
        return evidence_matrix_figure(coded, included, codebook)


def test_the_matrix_headings_of_many_themes_do_not_run_into_each_other():
    """With 10+ themes the headings, wrapped at a fixed width, ran into each other (found
    by a walker); the demo's five stay side by side."""
    many = [
        "Creating a co-productive culture", "Managing expectations", "Avoiding one-size-fits-all",
        "Watching language", "Proper resourcing", "Power and hierarchy", "Time and timing",
        "Evaluation and evidence", "Leadership support", "Trust between partners",
        "Training and skills", "Payment of service users",
    ]  # fmt: skip
    figure = matrix_with_themes(many)
    assert not headings_overlap(figure)
    width, height = figure.get_size_inches() * figure.dpi
    renderer = FigureCanvasAgg(figure).get_renderer()
    for label in figure.axes[0].get_xticklabels():  # and none is cut off at the edge
        box = label.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width and box.y1 <= height, label.get_text()
    five = matrix_with_themes([t.label for t in load_codebook(CODEBOOK).themes])
    assert not headings_overlap(five)
    assert {label.get_rotation() for label in five.axes[0].get_xticklabels()} == {0}
