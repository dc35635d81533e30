"""The thematic figures of the paper: studies per theme and kind, and the evidence matrix.

Both are drawn with prismake.plotting (fixed font, text kept as text, no volatile
metadata), so the same coded.csv gives the same bytes. Kinds differ in colour (Okabe-Ito)
and in hatching, so the bar chart still reads in grey or for colour-blind readers; the
matrix shades cells by how many kinds a study reports, from light to dark.
"""

from __future__ import annotations

import itertools
import logging
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text

from prismake.csvio import read_table
from prismake.extraction.codebook import Codebook, load_codebook
from prismake.plotting import OKABE_ITO, save_figure, style

log = logging.getLogger("prismake.figures")

FIGURE_NAMES: tuple[str, ...] = ("themes_by_kind", "evidence_matrix")
# Okabe-Ito colours in order of lightness steps, so kinds also differ when printed in grey
# (dark blue, mid orange, light yellow, ...); hatching tells them apart a second way.
KIND_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#F0E442",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
)
HATCHES: tuple[str, ...] = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
MATRIX_COLOUR = OKABE_ITO[0]  # Okabe-Ito blue, mixed with white for lighter shades
MAX_PIXELS = 60_000  # matplotlib cannot write an image taller than 2**16 pixels
WIDTH_IN = 6.5  # a full text width in most journals


def studies_per_theme_and_kind(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Distinct studies per theme (rows, codebook order) and kind (columns)."""
    counts = coded.groupby(["theme", "kind"])["study_id"].nunique()
    return pd.DataFrame(
        [[int(counts.get((t, k), 0)) for k in codebook.kind_ids] for t in codebook.theme_ids],
        index=codebook.theme_ids,
        columns=codebook.kind_ids,
    )


def _wrap(text: str, width: int) -> str:
    return (
        "\n".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False))
        or text
    )


def themes_by_kind_figure(coded: pd.DataFrame, codebook: Codebook) -> Figure:
    """Horizontal grouped bars: for each theme, the number of studies reporting each kind."""
    counts = studies_per_theme_and_kind(coded, codebook)
    n_themes, n_kinds = len(codebook.themes), len(codebook.kinds)
    fig = Figure(figsize=(WIDTH_IN, 0.9 + 0.26 * n_kinds * n_themes))
    ax = fig.add_subplot()
    bar = 0.8 / n_kinds
    top = max(int(counts.to_numpy().max()) if counts.size else 0, 1)
    for j, kind in enumerate(codebook.kinds):
        ys = [i + (j - (n_kinds - 1) / 2) * bar for i in range(n_themes)]
        values = [int(v) for v in counts[kind.id]]
        ax.barh(
            ys,
            values,
            height=bar * 0.92,
            color=KIND_COLOURS[j % len(KIND_COLOURS)],
            hatch=HATCHES[j % len(HATCHES)],
            edgecolor="black",
            linewidth=0.6,
            label=kind.label,
        )
        for y, value in zip(ys, values, strict=True):
            ax.text(value + top * 0.01, y, str(value), va="center", ha="left", fontsize=8)
    ax.set_yticks(range(n_themes), [_wrap(t.label, 22) for t in codebook.themes])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.12 + 0.5)
    ax.set_xlabel("Included studies")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=n_kinds,
        frameon=False,
        handleheight=1.4,
        handlelength=2.6,
    )
    if coded.empty:
        ax.text(0.5, 0.5, "No coded excerpts yet", transform=ax.transAxes, ha="center")
    fig.tight_layout()
    return fig


def _shade(level: int, levels: int) -> tuple[float, float, float]:
    """White for 0, then lighter to darker blue: readable in grey, one hue throughout."""
    if level <= 0:
        return (1.0, 1.0, 1.0)
    strength = 0.25 + 0.75 * (level / max(levels, 1))
    r, g, b = to_rgb(MATRIX_COLOUR)
    return (1 - strength * (1 - r), 1 - strength * (1 - g), 1 - strength * (1 - b))


def evidence_matrix_figure(
    coded: pd.DataFrame, included: pd.DataFrame, codebook: Codebook
) -> Figure:
    """Studies (rows, label order) by themes: shade = kinds reported, text = their marks."""
    present = set(zip(coded["study_id"], coded["theme"], coded["kind"], strict=True))
    labels = list(included["citation_label"])
    studies = list(included["study_id"])
    n_rows, n_cols, n_kinds = len(studies), len(codebook.themes), len(codebook.kinds)
    fig = Figure(figsize=(WIDTH_IN, 1.9 + 0.24 * max(n_rows, 1)))
    ax = fig.add_subplot()
    cells = []
    for i, study in enumerate(studies):
        for j, theme in enumerate(codebook.themes):
            kinds = [k for k in codebook.kinds if (study, theme.id, k.id) in present]
            cells.append(Rectangle((j, i), 1, 1, facecolor=_shade(len(kinds), n_kinds)))
            if kinds:
                dark = len(kinds) == n_kinds  # white only on the darkest shade
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    " ".join(k.mark for k in kinds),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    # one collection, not a patch per cell: hundreds of studies draw in seconds
    grid = PatchCollection(cells, match_original=True, edgecolor="#808080", linewidth=0.5)
    grid.set_clip_on(False)
    ax.add_collection(grid)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(max(n_rows, 1), 0)
    ax.set_xticks([j + 0.5 for j in range(n_cols)], [_wrap(t.label, 14) for t in codebook.themes])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, labelsize=8)
    ax.set_yticks([i + 0.5 for i in range(n_rows)], labels)
    ax.tick_params(axis="y", length=0, labelsize=7)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Patch(facecolor=_shade(n, n_kinds), edgecolor="#808080", label=_count_label(n))
        for n in range(1, n_kinds + 1)
    ]
    marks = ", ".join(f"{k.mark} = {k.label.lower()}" for k in codebook.kinds)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncols=n_kinds,
        frameon=False,
        title=f"Kinds reported ({marks})",
        fontsize=7,
        title_fontsize=7,
    )
    if not studies:
        ax.text(0.5, 0.5, "No included studies yet", transform=ax.transAxes, ha="center")
    fig.tight_layout()
    if _crowded(fig, ax.get_xticklabels()):
        # many themes: headings side by side would run into each other; slanted, each
        # has the room of its whole line
        slanted = [_wrap(t.label, 30) for t in codebook.themes]
        ax.set_xticks([j + 0.5 for j in range(n_cols)], slanted)
        for label in ax.get_xticklabels():
            label.set(rotation=45, ha="left", va="bottom", rotation_mode="anchor")
        longest = max(len(line) for text in slanted for line in text.split("\n"))
        width, height = fig.get_size_inches()
        fig.set_size_inches(width, height + longest * 8 * 0.55 * 0.71 / 72)
        fig.tight_layout()
    return fig


def _crowded(fig: Figure, labels: Sequence[Text]) -> bool:
    """Whether two neighbouring labels overlap, as drawn."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels if label.get_text()]
    return any(a.x1 > b.x0 for a, b in itertools.pairwise(boxes))


def _count_label(n: int) -> str:
    return f"{n} kind" + ("s" if n != 1 else "")


def write_thematic_figures(
    *,
    codebook_path: str,
    coded_path: str,
    included_path: str,
    dpi: int,
    outputs: list[str],
) -> None:
    """Draw each figure named by an output's file stem, saved in its extension's format."""
    codebook = load_codebook(codebook_path)
    coded = read_table(coded_path, columns=["study_id", "theme", "kind"], neutralised=True)
    included = read_table(included_path, columns=["study_id", "citation_label"], neutralised=True)
    grouped: dict[str, list[str]] = {}
    for out in outputs:
        stem = Path(out).stem
        if stem not in FIGURE_NAMES:
            raise ValueError(f"not a thematic figure: {out}")
        grouped.setdefault(stem, []).append(out)
    for name, paths in grouped.items():
        _draw(name, paths, coded, included, codebook, dpi)


def _draw(
    name: str,
    paths: Sequence[str],
    coded: pd.DataFrame,
    included: pd.DataFrame,
    codebook: Codebook,
    dpi: int,
) -> None:
    with style():
        if name == "themes_by_kind":
            fig = themes_by_kind_figure(coded, codebook)
        else:
            fig = evidence_matrix_figure(coded, included, codebook)
        tallest = max(fig.get_size_inches())
        if tallest * dpi > MAX_PIXELS:  # a matrix of many hundred studies: PNG limit
            log.warning(
                "%s is %.0f inches tall: PNG drawn at %d dpi instead of %d (SVG/PDF unaffected)",
                name,
                tallest,
                int(MAX_PIXELS / tallest),
                dpi,
            )
            dpi = int(MAX_PIXELS / tallest)
        save_figure(fig, paths, dpi=dpi)
