"""The PRISMA 2020 flow diagram drawn with matplotlib, in the four official templates.

Templates (Page et al., BMJ 2021;372:n71): databases and registers only; with other
methods; updated review; updated review with other methods. ``prisma.template: auto``
picks one from the counts: a search with source ``other`` in the latest round adds the
other-methods column; a search round above 1 or ``prisma.previous_review`` makes it an
updated review. An explicit template that would hide counted records is a ConfigError.

Layout works in points. Every box's text is measured with the Agg renderer and wrapped
to its column; a word wider than its column (a long database name, a six-digit count)
widens the column; rows grow to their tallest box and to the side label they carry. So
nothing clips or overlaps, whatever the counts or the length of the reason lists.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from prismake.errors import ConfigError, Problem
from prismake.plotting import FONT_FAMILY, save_figure, style
from prismake.prisma.boxes import Box, read_counts

log = logging.getLogger("prismake")

FONT = FONT_FAMILY  # DejaVu Sans, with a sans-serif fallback in the SVG
FONT_SIZE = 9.0
NOTE_SIZE = 7.5
LINE = FONT_SIZE * 1.32
NOTE_LINE = NOTE_SIZE * 1.3
PAD_X, PAD_Y = 7.0, 6.0
INDENT = 10.0
HANG = 8.0  # extra indent of a wrapped continuation line
MARGIN = 10.0
LABEL_W = 24.0
LABEL_GAP = 10.0
ARROW_GAP = 30.0  # between a main box and its side box
GROUP_GAP = 22.0  # between the columns of the template
ROW_GAP = 24.0
WIDTH = {"prev": 190.0, "main": 220.0, "side": 205.0}

YELLOW, GREY, BLUE = "#FFC000", "#D9D9D9", "#A9C4EB"
TEMPLATES = ("databases", "databases_other", "updated", "updated_other")

ROWS = ("identification", "screened", "sought", "assessed", "included", "total")
PHASES = (
    ("Identification", ("identification",)),
    ("Screening", ("screened", "sought", "assessed")),
    ("Included", ("included", "total")),
)

FOOTNOTE_DATABASES = (
    "*Consider, if feasible to do so, reporting the number of records identified from each "
    "database or register searched (rather than the total number across all "
    "databases/registers)."
)
FOOTNOTE_AUTOMATION = (
    "**If automation tools were used, indicate how many records were excluded by a human and "
    "how many were excluded by automation tools."
)
FOOTNOTE_AWAITING = (
    "\u2020Pending, or an unresolved disagreement between reviewers: not yet excluded or included."
)
FOOTNOTE_SOURCE = (
    "From: Page MJ, McKenzie JE, Bossuyt PM, Boutron I, Hoffmann TC, Mulrow CD, et al. The "
    "PRISMA 2020 statement: an updated guideline for reporting systematic reviews. BMJ "
    "2021;372:n71. doi: 10.1136/bmj.n71. For more information, visit: "
    "http://www.prisma-statement.org/"
)


def n_text(n: int) -> str:
    """How a count reads in a box: ``(n = 12,345)``."""
    return f"(n = {n:,})"


@dataclass(frozen=True)
class Line:
    """One logical line of a box, before wrapping."""

    text: str
    indent: float = 0.0


@dataclass
class BoxSpec:
    """A box of the template: where it sits and what it says."""

    key: str
    column: str  # prev, dbr, dbr_side, other, other_side
    row: str  # header, identification, screened, ...
    lines: list[Line]
    fill: str = "white"
    bold: bool = False
    centred: bool = False
    # filled in by the layout
    wrapped: list[tuple[str, float]] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


@dataclass(frozen=True)
class Template:
    other: bool
    updated: bool

    @property
    def name(self) -> str:
        return ("updated" if self.updated else "databases") + ("_other" if self.other else "")


class Counts:
    """counts.csv rows by key, with the detail lines (per database, per reason) in order."""

    def __init__(self, rows: Sequence[Box]) -> None:
        self.rows = list(rows)
        self.n = {b.key: b.n for b in rows}

    def __getitem__(self, key: str) -> int:
        return self.n.get(key, 0)

    def detail(self, prefix: str) -> list[tuple[str, int]]:
        return [(b.label, b.n) for b in self.rows if b.key.startswith(prefix + ":")]


def choose_template(prisma: Mapping[str, Any], counts: Counts) -> Template:
    """The template named in the config, or the one the counts need (``auto``)."""
    has_other = bool(counts.detail("other_specific")) or counts["other_results"] > 0
    updated = counts["latest_round"] > 1 or bool(prisma.get("previous_review"))
    wanted = prisma.get("template", "auto") or "auto"
    if wanted == "auto":
        return Template(other=has_other, updated=updated)
    if wanted not in TEMPLATES:
        raise ConfigError(
            "config/config.yaml is not valid",
            [
                Problem(
                    "config/config.yaml",
                    f"unknown PRISMA template '{wanted}'",
                    column="prisma.template",
                    hint=f"Use auto or one of: {', '.join(TEMPLATES)}",
                )
            ],
        )
    chosen = Template(other=wanted.endswith("_other"), updated=wanted.startswith("updated"))
    problems = []
    if has_other and not chosen.other:
        problems.append(
            Problem(
                "config/config.yaml",
                f"template '{wanted}' has no column for the searches with source 'other' "
                f"({counts['other_results']:,} records)",
                column="prisma.template",
                hint=f"Use auto or {wanted}_other",
            )
        )
    if counts["latest_round"] > 1 and not chosen.updated:
        problems.append(
            Problem(
                "config/config.yaml",
                f"template '{wanted}' is not for an updated review, but searches of round "
                f"{counts['latest_round']} exist",
                column="prisma.template",
                hint="Use auto, updated or updated_other",
            )
        )
    if problems:
        raise ConfigError("The PRISMA template does not fit the searches", problems)
    return chosen


def _removed_lines(counts: Counts) -> list[Line]:
    return [
        Line("Records removed before screening:"),
        Line(f"Duplicate records removed {n_text(counts['duplicates'])}", INDENT),
        Line(
            "Records marked as ineligible by automation tools "
            f"{n_text(counts['excluded_automatic'])}",
            INDENT,
        ),
        Line(f"Records removed for other reasons {n_text(counts['excluded_other'])}", INDENT),
    ]


def _excluded_lines(counts: Counts, prefix: str) -> list[Line]:
    reasons = counts.detail(prefix + "_excluded_reason")
    colon = ":" if reasons else ""
    lines = [Line(f"Reports excluded {n_text(counts[prefix + '_excluded'])}{colon}")]
    lines += [Line(f"{r} {n_text(n)}", INDENT) for r, n in reasons]
    if counts[prefix + "_awaiting"]:
        lines.append(
            Line(f"Reports awaiting a decision\u2020 {n_text(counts[prefix + '_awaiting'])}")
        )
    return lines


def build_boxes(counts: Counts, template: Template) -> list[BoxSpec]:
    """Every box of the chosen template, with the template's wording and the counts."""
    new = "new " if template.updated else ""
    boxes: list[BoxSpec] = []
    add = boxes.append
    add(
        BoxSpec(
            "header_dbr",
            "dbr",
            "header",
            [Line(f"Identification of {new}studies via databases and registers")],
            fill=YELLOW,
            bold=True,
            centred=True,
        )
    )
    identified = [
        Line("Records identified from*:"),
        Line(f"Databases {n_text(counts['database_results'])}"),
    ]
    identified += [Line(f"{d} {n_text(n)}", INDENT) for d, n in counts.detail("database_specific")]
    identified.append(Line(f"Registers {n_text(counts['register_results'])}"))
    identified += [Line(f"{d} {n_text(n)}", INDENT) for d, n in counts.detail("register_specific")]
    add(BoxSpec("identified", "dbr", "identification", identified))
    add(BoxSpec("removed", "dbr_side", "identification", _removed_lines(counts)))
    add(
        BoxSpec(
            "screened",
            "dbr",
            "screened",
            [Line(f"Records screened {n_text(counts['records_screened'])}")],
        )
    )
    excluded = [Line(f"Records excluded** {n_text(counts['records_excluded'])}")]
    if counts["records_excluded_automation"]:
        excluded += [
            Line(f"by a human {n_text(counts['records_excluded_human'])}", INDENT),
            Line(f"by automation tools {n_text(counts['records_excluded_automation'])}", INDENT),
        ]
    if counts["records_awaiting"]:
        excluded.append(
            Line(f"Records awaiting a decision\u2020 {n_text(counts['records_awaiting'])}")
        )
    add(BoxSpec("records_excluded", "dbr_side", "screened", excluded))
    for prefix, main, side in (("dbr", "dbr", "dbr_side"), ("other", "other", "other_side")):
        if prefix == "other" and not template.other:
            continue
        add(
            BoxSpec(
                f"{prefix}_sought",
                main,
                "sought",
                [
                    Line(
                        f"Reports sought for retrieval {n_text(counts[prefix + '_sought_reports'])}"
                    )
                ],
            )
        )
        add(
            BoxSpec(
                f"{prefix}_notretrieved",
                side,
                "sought",
                [Line(f"Reports not retrieved {n_text(counts[prefix + '_notretrieved_reports'])}")],
            )
        )
        add(
            BoxSpec(
                f"{prefix}_assessed",
                main,
                "assessed",
                [Line(f"Reports assessed for eligibility {n_text(counts[prefix + '_assessed'])}")],
            )
        )
        add(BoxSpec(f"{prefix}_excluded", side, "assessed", _excluded_lines(counts, prefix)))
    add(
        BoxSpec(
            "included",
            "dbr",
            "included",
            [
                Line(
                    f"{'New s' if template.updated else 'S'}tudies included in review "
                    f"{n_text(counts['new_studies'])}"
                ),
                Line(f"Reports of {new}included studies {n_text(counts['new_reports'])}"),
            ],
        )
    )
    if template.other:
        add(
            BoxSpec(
                "header_other",
                "other",
                "header",
                [Line(f"Identification of {new}studies via other methods")],
                fill=GREY,
                bold=True,
                centred=True,
            )
        )
        mark = "\u2021" if counts["other_duplicates"] else ""
        other = [Line(f"Records identified from{mark}:")]
        other += [Line(f"{d} {n_text(n)}", INDENT) for d, n in counts.detail("other_specific")]
        add(BoxSpec("other_identified", "other", "identification", other))
    if template.updated:
        add(
            BoxSpec(
                "header_prev",
                "prev",
                "header",
                [Line("Previous studies")],
                fill=GREY,
                bold=True,
                centred=True,
            )
        )
        add(
            BoxSpec(
                "previous",
                "prev",
                "identification",
                [
                    Line(
                        "Studies included in previous version of review "
                        f"{n_text(counts['previous_studies'])}"
                    ),
                    Line(
                        "Reports of studies included in previous version of review "
                        f"{n_text(counts['previous_reports'])}"
                    ),
                ],
            )
        )
        add(
            BoxSpec(
                "total",
                "dbr",
                "total",
                [
                    Line(f"Total studies included in review {n_text(counts['total_studies'])}"),
                    Line(f"Reports of total included studies {n_text(counts['total_reports'])}"),
                ],
            )
        )
    return boxes


def footnotes(counts: Counts, template: Template) -> list[str]:
    notes = [FOOTNOTE_DATABASES, FOOTNOTE_AUTOMATION]
    awaiting = counts["records_awaiting"] + counts["dbr_awaiting"]
    awaiting += counts["other_awaiting"] if template.other else 0
    if awaiting:
        notes.append(FOOTNOTE_AWAITING)
    if template.other and counts["other_duplicates"]:
        notes.append(
            "\u2021Records from other methods already found by databases, registers or "
            "another method are not sought again "
            f"{n_text(counts['other_duplicates'])}."
        )
    notes.append(FOOTNOTE_SOURCE)
    return notes


class Measure:
    """Text extents in points, from the same Agg renderer matplotlib draws with."""

    def __init__(self) -> None:
        self._renderer = RendererAgg(10, 10, 72)

    def line_height(self, size: float = FONT_SIZE) -> float:
        """Height of one line of text as matplotlib lays it out (ascent + descent of 'lp')."""
        prop = FontProperties(family=FONT, size=size)
        _w, h, d = self._renderer.get_text_width_height_descent("lp", prop, ismath=False)
        return float(max(h, d))

    @lru_cache(maxsize=4096)  # noqa: B019 - one Measure per diagram, freed with it
    def width(self, text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
        prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
        w, _h, _d = self._renderer.get_text_width_height_descent(text, prop, ismath=False)
        return float(w)


_WORD = re.compile(r"\(n = [^)]*\)[:.]?|\S+")


def wrap(
    text: str,
    width: float,
    measure: Measure,
    size: float = FONT_SIZE,
    bold: bool = False,
    hang: float = 0.0,
) -> tuple[list[str], float]:
    """Greedy wrap to ``width`` points (``width - hang`` after the first line).

    Also returns the widest single word: a count such as ``(n = 123,456)`` never breaks,
    so the caller widens the column when a word does not fit.
    """
    words = _WORD.findall(text)
    widest = max((measure.width(w, size, bold) for w in words), default=0.0)
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        limit = width - (hang if lines else 0.0)
        if current and measure.width(candidate, size, bold) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines, widest


def _wrap_box(box: BoxSpec, width: float, measure: Measure) -> float:
    """Wrap a box's lines to ``width``; return the width its widest word needs."""
    box.wrapped = []
    need = 0.0
    for line in box.lines:
        avail = width - 2 * PAD_X - line.indent
        parts, widest = wrap(line.text, avail, measure, bold=box.bold, hang=HANG)
        box.wrapped += [(part, line.indent + (HANG if i else 0.0)) for i, part in enumerate(parts)]
        need = max(need, widest + 2 * PAD_X + line.indent + HANG)
    return need


@dataclass
class Layout:
    boxes: list[BoxSpec]
    width: float
    height: float
    rows: dict[str, tuple[float, float]]  # row -> (top, height)
    phases: list[tuple[str, float, float]]  # label, top, bottom
    notes: list[str]
    note_top: float
    template: Template


def layout(counts: Counts, template: Template, measure: Measure | None = None) -> Layout:
    """Place every box: widths from the text, rows from the tallest box, no overlaps."""
    measure = measure or Measure()
    boxes = build_boxes(counts, template)
    kinds = {
        "prev": "prev",
        "dbr": "main",
        "dbr_side": "side",
        "other": "main",
        "other_side": "side",
    }
    widths = {col: WIDTH[kind] for col, kind in kinds.items()}
    for _ in range(5):  # widen a column until its widest word fits (converges in one pass)
        grown = False
        for box in boxes:
            if box.row == "header":
                continue
            need = _wrap_box(box, widths[box.column], measure)
            if need > widths[box.column] + 0.01:
                widths[box.column] = need
                grown = True
        if not grown:
            break

    columns = ["prev"] if template.updated else []
    columns += ["dbr", "dbr_side"] + (["other", "other_side"] if template.other else [])
    x = MARGIN + LABEL_W + LABEL_GAP
    left: dict[str, float] = {}
    for col in columns:
        if col.endswith("_side"):
            x += ARROW_GAP
        elif left:
            x += GROUP_GAP
        left[col] = x
        x += widths[col]
    total_width = x + MARGIN

    text_height = measure.line_height()
    for box in boxes:
        box.x = left[box.column]
        box.w = widths[box.column]
        if box.row == "header":  # a header spans its group: main box + side box
            side = box.column + "_side"
            if side in left:
                box.w = left[side] + widths[side] - box.x
            _wrap_box(box, box.w, measure)
        box.h = 2 * PAD_Y + (len(box.wrapped) - 1) * LINE + text_height

    row_names = ["header", *(r for r in ROWS if r != "total" or template.updated)]
    heights = {r: max((b.h for b in boxes if b.row == r), default=0.0) for r in row_names}
    for label, rows in PHASES:  # the side label must fit along its rows
        rows = [r for r in rows if r in heights]
        span = sum(heights[r] for r in rows) + ROW_GAP * (len(rows) - 1)
        need = measure.width(label, FONT_SIZE, bold=True) + 2 * PAD_Y
        if span < need:
            heights[rows[-1]] += need - span

    rows_at: dict[str, tuple[float, float]] = {}
    y = MARGIN
    for r in row_names:
        rows_at[r] = (y, heights[r])
        y += heights[r] + ROW_GAP
    for box in boxes:
        top, h = rows_at[box.row]
        box.y = top + (h - box.h) / 2
    phases = []
    for label, rows in PHASES:
        rows = [r for r in rows if r in rows_at]
        phases.append((label, rows_at[rows[0]][0], rows_at[rows[-1]][0] + rows_at[rows[-1]][1]))

    notes_width = total_width - 2 * MARGIN
    notes: list[str] = []
    for note in footnotes(counts, template):
        notes += wrap(note, notes_width, measure, size=NOTE_SIZE)[0]
    note_top = y - ROW_GAP + 14.0
    height = note_top + len(notes) * NOTE_LINE + MARGIN
    return Layout(boxes, total_width, height, rows_at, phases, notes, note_top, template)


def _arrow(ax: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=9,
            linewidth=0.9,
            color="black",
            shrinkA=0,
            shrinkB=0,
        )
    )


def _elbow(ax: Any, points: Sequence[tuple[float, float]]) -> None:
    """A line through ``points`` with an arrow head on its last segment."""
    xs, ys = zip(*points[:-1], strict=True)
    ax.add_line(Line2D(xs, ys, linewidth=0.9, color="black", solid_capstyle="butt"))
    _arrow(ax, points[-2], points[-1])


def draw(plan: Layout) -> Figure:
    """A matplotlib figure of the laid-out diagram (1 data unit = 1 point, y downwards)."""
    fig = Figure(figsize=(plan.width / 72, plan.height / 72), dpi=72)
    FigureCanvasAgg(fig)  # the canvas the layout was measured with
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, plan.width)
    ax.set_ylim(plan.height, 0)
    ax.set_axis_off()
    text_style = {"fontfamily": FONT, "parse_math": False, "color": "black"}

    for label, top, bottom in plan.phases:
        ax.add_patch(
            FancyBboxPatch(
                (MARGIN, top),
                LABEL_W,
                bottom - top,
                boxstyle="round,pad=0,rounding_size=5",
                facecolor=BLUE,
                edgecolor=BLUE,
                linewidth=0.8,
                gid=f"phase-{label.lower()}",
            )
        )
        ax.text(
            MARGIN + LABEL_W / 2,
            (top + bottom) / 2,
            label,
            rotation=90,
            ha="center",
            va="center",
            rotation_mode="anchor",
            fontsize=FONT_SIZE,
            fontweight="bold",
            gid=f"text-phase-{label.lower()}-0",
            **text_style,
        )

    for box in plan.boxes:
        patch = Rectangle(
            (box.x, box.y),
            box.w,
            box.h,
            facecolor=box.fill,
            edgecolor="black" if box.fill == "white" else box.fill,
            linewidth=0.8,
            gid=f"box-{box.key}",
        )
        ax.add_patch(patch)
        for i, (line, indent) in enumerate(box.wrapped):
            ax.text(
                box.x + box.w / 2 if box.centred else box.x + PAD_X + indent,
                box.y + PAD_Y + i * LINE,
                line,
                ha="center" if box.centred else "left",
                va="top",
                fontsize=FONT_SIZE,
                fontweight="bold" if box.bold else "normal",
                gid=f"text-{box.key}-{i}",
                **text_style,
            )

    at = {b.key: b for b in plan.boxes}

    def below(a: str, b: str) -> None:
        upper, lower = at[a], at[b]
        cx = upper.x + upper.w / 2
        _arrow(ax, (cx, upper.y + upper.h), (cx, lower.y))

    def right(a: str, b: str) -> None:
        main, side = at[a], at[b]
        cy = main.y + main.h / 2
        _arrow(ax, (main.x + main.w, cy), (side.x, cy))

    for pair in (
        ("identified", "screened"),
        ("screened", "dbr_sought"),
        ("dbr_sought", "dbr_assessed"),
    ):
        below(*pair)
    below("dbr_assessed", "included")
    for pair in (
        ("identified", "removed"),
        ("screened", "records_excluded"),
        ("dbr_sought", "dbr_notretrieved"),
        ("dbr_assessed", "dbr_excluded"),
    ):
        right(*pair)
    if plan.template.other:
        below("other_identified", "other_sought")
        below("other_sought", "other_assessed")
        right("other_sought", "other_notretrieved")
        right("other_assessed", "other_excluded")
        source, target = at["other_assessed"], at["included"]
        cx, cy = source.x + source.w / 2, target.y + target.h / 2
        _elbow(ax, [(cx, source.y + source.h), (cx, cy), (target.x + target.w, cy)])
    if plan.template.updated:
        below("included", "total")
        source, target = at["previous"], at["total"]
        cx, cy = source.x + source.w / 2, target.y + target.h / 2
        _elbow(ax, [(cx, source.y + source.h), (cx, cy), (target.x, cy)])

    for i, note in enumerate(plan.notes):
        ax.text(
            MARGIN,
            plan.note_top + i * NOTE_LINE,
            note,
            ha="left",
            va="top",
            fontsize=NOTE_SIZE,
            gid=f"text-note-{i}",
            **text_style,
        )
    return fig


def render_diagram(rows: Sequence[Box], prisma: Mapping[str, Any]) -> Figure:
    """The diagram for counts.csv rows, in the template the config asks for."""
    counts = Counts(rows)
    template = choose_template(prisma, counts)
    log.info("PRISMA 2020 template: %s", template.name)
    with style():
        return draw(layout(counts, template))


def write_prisma_diagram(
    *, counts_path: str, prisma: Mapping[str, Any], svg_out: str, pdf_out: str, png_out: str
) -> None:
    """Draw results/prisma/counts.csv as the PRISMA 2020 flow diagram (SVG, PDF, PNG)."""
    prisma = prisma or {}
    fig = render_diagram(read_counts(counts_path), prisma)
    save_figure(fig, [svg_out, pdf_out, png_out], dpi=int(prisma.get("dpi", 300) or 300))
