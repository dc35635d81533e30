"""One table, four formats for the paper: CSV, Markdown, LaTeX (booktabs) and HTML.

Every cell may hold imported text, so each format makes it inert where it is read:

- CSV: formula neutralising (people open it in Excel), through ``csvio.write_sheet``.
- Markdown: HTML escaped (``<img onerror>`` stays text), Markdown syntax and pipes
  escaped, one line per row.
- HTML: a standalone UTF-8 page (doctype, charset, style, numbers right-aligned, a
  content security policy that runs no script); the ``<table>`` between two comments can
  be cut out and embedded, or made with ``html_table``.
- LaTeX: every special character escaped, straight quotes turned into opening and
  closing quotes, characters pdflatex cannot print replaced. The layout fits the text
  block: widths are fractions of ``\\linewidth`` planned from Computer Modern metrics,
  long text wraps ragged-right, short columns with long headings get rotated headings,
  the font steps down to ``\\small``/``\\footnotesize`` only when the words cannot fit
  otherwise, and a table taller than a page is a ``longtable`` with repeated headings.
  Labels are ``tab:<file name>``; captions end with a period.
"""

from __future__ import annotations

import html
import logging
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from prismake.csvio import write_sheet

log = logging.getLogger("prismake.tables")

# --- LaTeX text ---------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "`": r"\textasciigrave{}",
    "[": "{[}",  # a cell starting with [ would be read as the optional argument of \\
    "]": "{]}",
    "\u00a0": "~",
    "\u00ad": r"\-",
}
# Characters pdflatex prints with \usepackage[T1]{fontenc} and its default UTF-8 input.
_PRINTABLE_RANGES = (
    (0x20, 0x7E), (0xA1, 0xAC), (0xAE, 0x125), (0x128, 0x137), (0x139, 0x13E),
    (0x141, 0x148), (0x14A, 0x165), (0x168, 0x17E), (0x192, 0x192), (0x1C4, 0x1D4),
    (0x1E2, 0x1E3), (0x1E6, 0x1EB), (0x1F0, 0x1F0), (0x1F4, 0x1F5), (0x218, 0x21B),
    (0x232, 0x233), (0x2010, 0x2016), (0x2018, 0x201A), (0x201C, 0x201E),
    (0x2020, 0x2022), (0x2026, 0x2026), (0x2030, 0x2031), (0x2039, 0x203B),
    (0x2190, 0x2193),
)  # fmt: skip
_GREEK = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "o", "pi", "rho", "varsigma", "sigma", "tau", "upsilon",
    "phi", "chi", "psi", "omega",
]  # fmt: skip
_MATH = {
    "\u2264": r"\leq", "\u2265": r"\geq", "\u2260": r"\neq", "\u2248": r"\approx",
    "\u223c": r"\sim", "\u00b1": r"\pm", "\u00d7": r"\times", "\u00f7": r"\div",
    "\u2212": "-", "\u221e": r"\infty", "\u221a": r"\surd", "\u2192": r"\rightarrow",
    "\u2190": r"\leftarrow", "\u2194": r"\leftrightarrow", "\u2032": r"\prime",
    "\u00b5": r"\mu", "\u2211": r"\sum", "\u2206": r"\Delta", "\u2208": r"\in",
}  # fmt: skip
for _i, _name in enumerate(_GREEK):
    if _name != "o":
        _MATH.setdefault(chr(0x3B1 + _i), "\\" + _name)
for _upper in ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"):
    _MATH.setdefault(
        unicodedata.lookup(f"GREEK CAPITAL LETTER {_upper.upper().replace('LAMBDA', 'LAMDA')}"),
        "\\" + _upper,
    )


def _printable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _PRINTABLE_RANGES)


def _latex_char(char: str) -> str:
    if char in _LATEX_SPECIAL:
        return _LATEX_SPECIAL[char]
    if char in _MATH:
        return f"\\ensuremath{{{_MATH[char]}}}"
    if _printable(char):
        return char
    if unicodedata.category(char)[0] in "CZ":  # control characters, odd spaces
        return " "
    # the nearest printable form: "ǻ" -> "a", else a visible "?" (never a compile error)
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if _printable(c))
    return "".join(_LATEX_SPECIAL.get(c, c) for c in base) or "?"


LONG_TOKEN = 20  # characters: a token this long (URL, DOI, formula) may break anywhere


def breakable_pieces(token: str, limit: int = LONG_TOKEN) -> list[str]:
    """A long token cut where a table cell may break it: after punctuation, every 10 letters.

    Short tokens stay whole (TeX hyphenates words); the LaTeX of a table cell puts
    ``\\allowbreak`` between the pieces, and the layout measures the same pieces.
    """
    if len(token) <= limit:
        return [token]
    size = min(10, max(limit, 4))
    pieces = []
    for part in re.findall(r"[^\W_]*[\W_]?", token):
        pieces += [part[i : i + size] for i in range(0, len(part), size)]
    return [p for p in pieces if p]


def latex_escape(text: str, break_after: int | None = None) -> str:
    """Imported text as LaTeX that prints it: specials escaped, quotes typeset.

    A straight ``"`` opens after a space or bracket, closes before a space or punctuation,
    and between other characters opens or closes the quote left open (`` ``...'' ``);
    ``'`` opens a single quote there and is an apostrophe elsewhere. ``break_after`` (table
    cells): tokens longer may break between the pieces of ``breakable_pieces``.
    """
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", str(text)))
    breaks: set[int] = set()
    if break_after is not None:
        for match in re.finditer(rf"\S{{{break_after + 1},}}", text):
            at = match.start()
            for piece in breakable_pieces(match.group(), break_after)[:-1]:
                at += len(piece)
                breaks.add(at)
    out: list[str] = []
    previous = " "
    quoted = False  # a double quote is open
    for i, char in enumerate(text):
        if i in breaks:
            out.append("\\allowbreak{}")
        opening = previous.isspace() or previous in "([{\u2014\u2013/-"
        if char == '"':
            following = text[i + 1] if i + 1 < len(text) else " "
            if not opening and (following.isspace() or following in ".,;:!?)]}"):
                quoted = False  # '..." he said', '"Hello," he'
            else:  # after a space or bracket, or between words: '"a","b"' opens the second
                quoted = opening or not quoted
            out.append("``" if quoted else "''")
        elif char == "'" and opening and i + 1 < len(text) and not text[i + 1].isspace():
            out.append("`")
        else:
            out.append(_latex_char(char))
        previous = char
    return "".join(out)


# --- Planning a LaTeX table ---------------------------------------------------------

# Advance widths (pt) of Computer Modern Roman 10 pt, LaTeX's default text font, from
# matplotlib's cmr10.ttf; other characters count as an "n" after dropping accents.
_CMR10 = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        (
            3.3, 2.8, 5.0, 8.3, 5.0, 8.3, 7.8, 2.8, 3.9, 3.9, 5.0, 7.8, 2.8, 3.3, 2.8, 5.0,
            5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 2.8, 2.8, 7.8, 7.8, 7.8, 4.7,
            7.8, 7.5, 7.1, 7.2, 7.6, 6.8, 6.5, 7.8, 7.5, 3.6, 5.1, 7.8, 6.2, 9.2, 7.5, 7.8,
            6.8, 7.8, 7.4, 5.6, 7.2, 7.5, 7.5, 10.3, 7.5, 7.5, 6.1, 2.8, 5.0, 2.8, 5.0, 5.0,
            2.8, 5.0, 5.6, 4.4, 5.6, 4.4, 3.1, 5.0, 5.6, 2.8, 3.1, 5.3, 2.8, 8.3, 5.6, 5.0,
            5.6, 5.3, 3.9, 3.9, 3.9, 5.6, 5.3, 7.2, 5.3, 5.3, 4.4, 5.0, 2.8, 5.0, 5.0,
        ),
        strict=True,
    )
)  # fmt: skip
SAFETY = 1.08  # fonts wider than Computer Modern (Latin Modern, Times are narrower)
TEXT_WIDTH = 345.0  # pt: the text block of an A4 article at 10 pt, widths scale with it
PAGE_HEIGHT = 470.0  # pt of rows above which a table float would not fit on a page
TABCOLSEP = 6.0
BASELINE = 12.0
ROTATED_HEADER = 90.0  # pt: the width of a rotated heading's box before it wraps
# Settings tried in turn until the words fit: font size, its scale, \tabcolsep (pt), and
# whether long words may be hyphenated (TeX does it only where a word would stick out).
# The last resort lets any token longer than 6 characters break: ugly, never off the page.
Setting = tuple[str, float, float, bool, int]
SETTINGS: tuple[Setting, ...] = (
    ("", 1.0, 6.0, False, LONG_TOKEN),
    ("\\small", 0.9, 6.0, False, LONG_TOKEN),
    ("\\footnotesize", 0.8, 6.0, False, LONG_TOKEN),
    ("\\small", 0.9, 4.0, False, LONG_TOKEN),
    ("\\footnotesize", 0.8, 4.0, False, LONG_TOKEN),
    ("\\footnotesize", 0.8, 4.0, True, LONG_TOKEN),
    ("\\footnotesize", 0.8, 4.0, True, 6),
)
PREAMBLE = r"\usepackage[T1]{fontenc}, \usepackage{array,booktabs,longtable,graphicx}"


def text_width(text: str) -> float:
    """Width in pt of ``text`` set in Computer Modern at 10 pt (a slight overestimate)."""
    plain = unicodedata.normalize("NFKD", text)
    return SAFETY * sum(_CMR10.get(c, 5.6) for c in plain if not unicodedata.combining(c))


def _words(text: str, limit: int = LONG_TOKEN) -> list[str]:
    """Pieces TeX cannot break: split at spaces, after hyphens and dashes, long tokens."""
    words = [w for w in re.split(r"\s+|(?<=[-\u2013\u2014])", text) if w]
    return [piece for word in words for piece in breakable_pieces(word, limit)]


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped ragged-right in ``width`` pt."""
    width = max(width, 1.0)
    lines, used = 0, -1.0
    for word in text.split():
        w = text_width(word)
        if used < 0 or used + _CMR10[" "] + w > width:
            lines += max(1, math.ceil(w / width))
            used = w
        else:
            used += _CMR10[" "] + w
    return max(lines, 1)


@dataclass
class _Column:
    header: str
    cells: list[str]
    numeric: bool
    rotate: bool = False

    def _header_min(self, limit: int = LONG_TOKEN) -> float:
        if self.rotate:
            return _lines(self.header, ROTATED_HEADER) * BASELINE
        return max((text_width(w) for w in _words(self.header, limit)), default=0.0)

    def narrowest(self, hyphenate: bool = False, limit: int = LONG_TOKEN) -> float:
        """The width below which a word of a cell or of the heading would stick out.

        ``hyphenate``: a long word may be split once (about 60% of it on one line). TeX
        hyphenates only a word that follows a space: not after a hyphen or a break.
        """

        def widest(text: str) -> float:
            widths = []
            for word in text.split():
                letters = word.strip(",.;:()\"'")
                if hyphenate and 8 <= len(letters) <= limit and letters.isalpha():
                    widths.append(0.6 * text_width(word) + _CMR10["-"])
                else:
                    widths += [text_width(w) for w in _words(word, limit)]
            return max(widths, default=0.0)

        if self.rotate:  # marks under a rotated heading stay on one line
            return self.natural()
        header = self._header_min(limit)
        return max(header, max((widest(c) for c in self.cells), default=0.0))

    def natural(self) -> float:
        """The width that sets every cell, and the heading, on one line."""
        header = self._header_min() if self.rotate else text_width(self.header)
        return max(header, max((text_width(c) for c in self.cells), default=0.0))

    def text_amount(self) -> float:
        """All the text of the column, in pt: how much room it deserves."""
        return sum(text_width(c) for c in self.cells) + 1.0

    def short_content(self) -> bool:
        """Marks or numbers under a long heading: the heading is better rotated."""
        widest = max((text_width(c) for c in self.cells), default=0.0)
        return widest < 30.0 and text_width(self.header) > 2 * max(widest, 10.0)


@dataclass
class LatexPlan:
    """How a table is set: font size, column widths (fractions of \\linewidth), float."""

    size: str
    tabcolsep: float
    fractions: list[float] | None  # None: natural l/r columns, nothing wraps
    rotate: list[bool]
    long: bool
    fits: bool
    break_after: int = LONG_TOKEN  # tokens longer than this may break anywhere


def plan_latex(frame: pd.DataFrame) -> LatexPlan:
    """The layout that fits ``frame`` into the text block, or the closest one.

    The first of SETTINGS in which every word fits; a table taller than a page (set as a
    longtable) is set at least in \\small with narrower gaps, as journals set long tables.
    """
    columns = [
        _Column(str(name), [_cell(v) for v in frame[name]], is_number_column(frame[name]))
        for name in frame.columns
    ]

    def fits(setting: Setting) -> bool:
        _, scale, sep, hyphenate, limit = setting
        widths = (c.narrowest(hyphenate, limit) * scale + 2 * sep for c in columns)
        return sum(widths) <= TEXT_WIDTH

    if not fits(SETTINGS[0]):
        for column in columns:
            column.rotate = column.short_content()
    setting = next((s for s in SETTINGS if fits(s)), SETTINGS[-1])
    plan = _layout(columns, setting, fits(setting))
    if plan.long and setting[1] == 1.0:
        setting = next((s for s in SETTINGS[3:] if fits(s)), setting)
        plan = _layout(columns, setting, fits(setting))
    if not plan.fits:
        log.warning(
            "a table is wider than the text block even in \\footnotesize: its columns: %s",
            ", ".join(c.header for c in columns),
        )
    return plan


def _layout(columns: list[_Column], setting: Setting, fits: bool) -> LatexPlan:
    """Column widths for one setting, and whether the result is taller than a page."""
    size, scale, sep, hyphenate, limit = setting
    pad = 2 * sep
    natural = [c.natural() * scale for c in columns]
    narrowest = [c.narrowest(hyphenate, limit) * scale for c in columns]
    fractions: list[float] | None = None
    if sum(natural) + pad * len(columns) <= TEXT_WIDTH:
        widths = natural
    else:
        spare = max(TEXT_WIDTH - sum(narrowest) - pad * len(columns), 0.0)
        widths = _share(spare, narrowest, natural, [c.text_amount() for c in columns])
        # fractions rounded down: the columns never add up to more than the text block
        fractions = [math.floor((w + pad) / TEXT_WIDTH * 1000) / 1000 for w in widths]
    unscaled = [w / scale for w in widths]
    cells = zip(*(c.cells for c in columns), strict=True)
    rows = [[c.header for c in columns]] + [list(r) for r in cells]
    lines = sum(max(_lines(t, w) for t, w in zip(r, unscaled, strict=True)) for r in rows)
    long = BASELINE * scale * lines > PAGE_HEIGHT
    return LatexPlan(size, sep, fractions, [c.rotate for c in columns], long, fits, limit)


def _share(
    spare: float, narrowest: list[float], natural: list[float], text: list[float]
) -> list[float]:
    """Spread ``spare`` pt over columns by how much text they hold, none beyond natural.

    The column with the most text (excerpts, titles) gets the most room, which keeps
    the table short; a column that needs less than its share is set on one line.
    """
    widths = list(narrowest)
    open_ = {i for i in range(len(widths)) if natural[i] > widths[i]}
    while spare > 0.01 and open_:
        total = sum(text[i] for i in open_) or float(len(open_))
        given = 0.0
        for i in sorted(open_):
            share = spare * ((text[i] / total) if total else 1 / len(open_))
            grant = min(share, natural[i] - widths[i])
            widths[i] += grant
            given += grant
            if widths[i] >= natural[i] - 0.01:
                open_.discard(i)
        spare -= given
        if given < 0.01:
            break
    return widths


def _column_spec(numeric: bool, fraction: float | None) -> str:
    if fraction is None:
        return "r" if numeric else "l"
    # \hspace{0pt}: TeX may hyphenate a cell's first word too, should it not fit
    align = "\\raggedleft" if numeric else "\\raggedright\\hspace{0pt}"
    return (
        f">{{{align}\\arraybackslash}}p{{\\dimexpr {fraction:.3f}\\linewidth-2\\tabcolsep\\relax}}"
    )


def _header_cell(name: str, rotate: bool, break_after: int = LONG_TOKEN) -> str:
    text = latex_escape(name, break_after)
    if not rotate:
        return text
    return f"\\rotatebox{{90}}{{\\parbox{{{ROTATED_HEADER:g}pt}}{{\\raggedright {text}}}}}"


def full_stop(caption: str) -> str:
    """A caption ends with a period (or its own ? or !)."""
    caption = caption.strip()
    return caption if not caption or caption[-1] in ".?!" else caption + "."


def to_latex(frame: pd.DataFrame, caption: str | None = None, label: str | None = None) -> str:
    """A booktabs table planned to fit the text block (see the module notes)."""
    plan = plan_latex(frame)
    numeric = [is_number_column(frame[c]) for c in frame.columns]
    fractions = plan.fractions or [None] * len(numeric)
    align = "".join(_column_spec(n, f) for n, f in zip(numeric, fractions, strict=True))
    head = " & ".join(
        _header_cell(str(c), r, plan.break_after)
        for c, r in zip(frame.columns, plan.rotate, strict=True)
    )
    cells = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    if plan.long and plan.fractions:
        cells = [_fit_page(row, plan, caption) for row in cells]
    rows = [" & ".join(latex_escape(v, plan.break_after) for v in row) + " \\\\" for row in cells]
    title = ""
    if caption:
        title += f"\\caption{{{latex_escape(full_stop(caption))}}}"
    if label:
        title += f"\\label{{{label}}}"
    lines = [f"% prismake table. Preamble: {PREAMBLE}."]
    setup = [plan.size] if plan.size else []
    if plan.tabcolsep != TABCOLSEP:
        setup.append(f"\\setlength{{\\tabcolsep}}{{{plan.tabcolsep:g}pt}}")
    if plan.long:
        n = len(frame.columns)
        if setup:
            lines += ["\\begingroup", *setup]
        lines += [f"\\begin{{longtable}}{{{align}}}"]
        if title:
            lines.append(title + "\\\\")
        lines += ["\\toprule", head + " \\\\", "\\midrule", "\\endfirsthead"]
        lines += [
            f"\\multicolumn{{{n}}}{{@{{}}l}}{{\\tablename~\\thetable{{}} (continued)}}\\\\",
            "\\toprule",
            head + " \\\\",
            "\\midrule",
            "\\endhead",
            "\\midrule",
            f"\\multicolumn{{{n}}}{{r@{{}}}}{{(continued on the next page)}}\\\\",
            "\\endfoot",
            "\\bottomrule",
            "\\endlastfoot",
            *rows,
            "\\end{longtable}",
        ]
        if setup:
            lines.append("\\endgroup")
    else:
        lines += ["\\begin{table}", "\\centering", *setup]
        if title:
            lines.append(title)
        lines += [f"\\begin{{tabular}}{{{align}}}", "\\toprule", head + " \\\\", "\\midrule"]
        lines += [*rows, "\\bottomrule", "\\end{tabular}", "\\end{table}"]
    return "\n".join(lines) + "\n"


ROW_HEIGHT = 0.85 * PAGE_HEIGHT  # a longtable row cannot break: with headings, a page
# the .md and .html never cut a cell; the .csv cuts one longer than an Excel cell holds
CUT_MARK = " [...; in full in the table's .md and .html]"
_SCALE = {size: scale for size, scale, *_ in SETTINGS}


def _fit_page(row: list[str], plan: LatexPlan, caption: str | None) -> list[str]:
    """A row's cells cut so the row fits on a page: TeX cannot break a longtable row, and
    a taller one runs off the page (a long coded excerpt). The cut is marked and said."""
    scale = _SCALE.get(plan.size, 1.0)
    fractions = plan.fractions or []
    widths = [max(f * TEXT_WIDTH - 2 * plan.tabcolsep, 1.0) / scale for f in fractions]
    most = int(ROW_HEIGHT / (BASELINE * scale))
    out = []
    for text, width in zip(row, widths, strict=True):
        lines = _lines(text, width)
        if lines > most:
            keep = text[: int(len(text) * (most - 2) / lines)].rsplit(" ", 1)[0]
            log.warning(
                "%s: a cell of %d characters is taller than a page in the LaTeX table; it "
                "is cut there (marked); the .md and .html keep it whole (the .csv too, up "
                "to the 32,767 characters of an Excel cell)",
                # the caption as a name: "Excerpts per theme.: a cell" read oddly
                re.sub(r"(?<!\.)\.$", "", (caption or "").strip()) or "a table",
                len(text),
            )
            text = keep + CUT_MARK
        out.append(text)
    return out


# --- Markdown -----------------------------------------------------------------------

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|#])")


def markdown_escape(text: str) -> str:
    """Imported text as inert Markdown on one line: HTML escaped, syntax characters too."""
    text = " ".join(str(text).split())
    text = html.escape(text, quote=False)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?(?: \([-+]?\d[\d,.]*%?\))?")


def is_number_column(column: pd.Series) -> bool:
    """Numbers (or "n (m)" pairs) in every filled cell: such a column is right-aligned."""
    if pd.api.types.is_numeric_dtype(column):
        return True
    cells = [_cell(v).strip() for v in column]
    filled = [c for c in cells if c]
    return bool(filled) and all(_NUMBER.fullmatch(c) for c in filled)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def to_markdown(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(markdown_escape(str(c)) for c in frame.columns) + " |"
    rule = (
        "|" + "|".join("---:" if is_number_column(frame[c]) else "---" for c in frame.columns) + "|"
    )
    rows = [
        "| " + " | ".join(markdown_escape(_cell(v)) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows]) + "\n"


# --- HTML ---------------------------------------------------------------------------

_STYLE = """\
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; margin: 2rem; color: #1a1a1a; line-height: 1.4; }
table.prismake { border-collapse: collapse; font-size: 0.95rem; }
table.prismake caption { caption-side: top; text-align: left; font-weight: 600;
  margin-bottom: 0.5rem; }
table.prismake th, table.prismake td { padding: 0.3rem 0.6rem; vertical-align: top;
  text-align: left; border-bottom: 1px solid #d0d0d0; }
table.prismake thead th { border-bottom: 2px solid #333; }
table.prismake .num { text-align: right; font-variant-numeric: tabular-nums; }
table.prismake tbody tr:nth-child(even) { background: #f5f5f5; }"""


def html_table(frame: pd.DataFrame, caption: str | None = None) -> str:
    """The ``<table>`` alone, to embed in a page that declares UTF-8."""
    numeric = [is_number_column(frame[c]) for c in frame.columns]

    def cls(is_number: bool) -> str:
        return ' class="num"' if is_number else ""

    lines = ['<table class="prismake">']
    if caption:
        lines.append(f"<caption>{html.escape(full_stop(caption))}</caption>")
    lines.append(
        "<thead><tr>"
        + "".join(
            f'<th scope="col"{cls(n)}>{html.escape(str(c))}</th>'
            for c, n in zip(frame.columns, numeric, strict=True)
        )
        + "</tr></thead>"
    )
    lines.append("<tbody>")
    for row in frame.itertuples(index=False):
        cells = "".join(
            f"<td{cls(n)}>{html.escape(' '.join(_cell(v).split()))}</td>"
            for v, n in zip(row, numeric, strict=True)
        )
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines) + "\n"


def to_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    """A standalone page: opens the same in every browser, runs no script."""
    title = html.escape(full_stop(caption)) if caption else "Table"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        "<!-- table: start (copy from here to the end comment to embed it) -->\n"
        + html_table(frame, caption)
        + "<!-- table: end -->\n</body>\n</html>\n"
    )


# --- Writing ------------------------------------------------------------------------


def write_formats(
    frame: pd.DataFrame,
    outputs: Iterable[str | os.PathLike],
    caption: str | None = None,
    *,
    latex: tuple[pd.DataFrame, str] | None = None,
) -> None:
    """Write ``frame`` to each path in ``outputs``, the format chosen by its extension.

    ``latex``: a (table, caption) set for print instead, where the screen layout would not
    fit a page (e.g. two numbers in one cell). The LaTeX label is ``tab:<file name>``.
    """
    for out in outputs:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            write_sheet(frame, path)
        elif suffix == ".md":
            title = f"**{markdown_escape(full_stop(caption))}**\n\n" if caption else ""
            path.write_text(title + to_markdown(frame), encoding="utf-8", newline="\n")
        elif suffix == ".tex":
            table, text = latex if latex is not None else (frame, caption)
            tex = to_latex(table, text, label=f"tab:{path.stem}")
            path.write_text(tex, encoding="utf-8", newline="\n")
        elif suffix in {".html", ".htm"}:
            path.write_text(to_html(frame, caption), encoding="utf-8", newline="\n")
        else:
            raise ValueError(f"unknown table format: {path}")


__all__: Sequence[str] = (
    "html_table",
    "latex_escape",
    "markdown_escape",
    "plan_latex",
    "to_html",
    "to_latex",
    "to_markdown",
    "write_formats",
)
