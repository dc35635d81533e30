"""One table, four formats for the paper: CSV, Markdown, LaTeX (booktabs) and HTML.

Every cell may hold imported text, so each format escapes it: HTML entities, LaTeX
special characters, Markdown pipes, and CSV-injection neutralising (people open the CSV
in Excel).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from prismake.csvio import write_sheet

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
}


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def to_markdown(frame: pd.DataFrame) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(esc(str(c)) for c in frame.columns) + " |"
    rule = (
        "|"
        + "|".join(
            "---:" if pd.api.types.is_numeric_dtype(frame[c]) else "---" for c in frame.columns
        )
        + "|"
    )
    rows = [
        "| " + " | ".join(esc(_cell(v)) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows]) + "\n"


def to_latex(
    frame: pd.DataFrame,
    caption: str | None = None,
    label: str | None = None,
    widths: Mapping[str, str] | None = None,
) -> str:
    """A booktabs table; ``widths`` gives long-text columns a wrapping ``p{width}`` column."""
    widths = widths or {}

    def column_spec(c: object) -> str:
        if c in widths:
            return f"p{{{widths[str(c)]}}}"
        return "r" if pd.api.types.is_numeric_dtype(frame[c]) else "l"

    align = "".join(column_spec(c) for c in frame.columns)
    lines = []
    if caption or label:
        lines += ["\\begin{table}", "\\centering"]
        if caption:
            lines.append(f"\\caption{{{latex_escape(caption)}}}")
        if label:
            lines.append(f"\\label{{{label}}}")
    lines += [f"\\begin{{tabular}}{{{align}}}", "\\toprule"]
    lines.append(" & ".join(latex_escape(str(c)) for c in frame.columns) + " \\\\")
    lines.append("\\midrule")
    for row in frame.itertuples(index=False):
        lines.append(" & ".join(latex_escape(_cell(v).replace("\n", " ")) for v in row) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    if caption or label:
        lines.append("\\end{table}")
    return "\n".join(lines) + "\n"


def to_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    lines = ['<table class="prismake">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append(
        "<thead><tr>"
        + "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
        + "</tr></thead>"
    )
    lines.append("<tbody>")
    for row in frame.itertuples(index=False):
        cells = "".join(f"<td>{html.escape(_cell(v)).replace(chr(10), '<br>')}</td>" for v in row)
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines) + "\n"


def write_formats(
    frame: pd.DataFrame,
    outputs: Iterable[str | os.PathLike],
    caption: str | None = None,
    label: str | None = None,
    widths: Mapping[str, str] | None = None,
) -> None:
    """Write ``frame`` to each path in ``outputs``, the format chosen by its extension.

    ``widths`` (LaTeX only): column name -> width of a wrapping column, e.g. ``"7cm"``.
    """
    for out in outputs:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            write_sheet(frame, path)
        elif suffix == ".md":
            text = (f"**{caption}**\n\n" if caption else "") + to_markdown(frame)
            path.write_text(text, encoding="utf-8", newline="\n")
        elif suffix == ".tex":
            path.write_text(to_latex(frame, caption, label, widths), encoding="utf-8", newline="\n")
        elif suffix in {".html", ".htm"}:
            path.write_text(to_html(frame, caption), encoding="utf-8", newline="\n")
        else:
            raise ValueError(f"unknown table format: {path}")
