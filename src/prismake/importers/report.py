"""The per-search import report (Markdown) and the one-line summary for the run log.

A reviewer reads this to check nothing was lost: how many records the file holds, how many
came through, which fields are missing how often, and every skipped record or line with
``file:line`` and the reason.
"""

from __future__ import annotations

import html
from operator import itemgetter, not_

from prismake.importers.result import ImportResult, Skipped

_CHECKED = (("title", "title"), ("authors", "authors"), ("year", "year"), ("doi", "DOI"))
CHECKED_COLUMNS = tuple(column for column, _ in _CHECKED)  # what missing_counts counts


def missing_counts(result: ImportResult) -> dict[str, int]:
    """How many imported records lack each of title, authors, year and DOI."""
    if result.missing is not None:  # counted as the records CSV was written
        return {label: result.missing[column] for column, label in _CHECKED}
    try:  # one pass over the records, counted in C: a Python loop costs ~0.1 s at 100,000
        rows = list(map(itemgetter(*(column for column, _ in _CHECKED)), result.records))
        columns = list(zip(*rows, strict=True)) or [()] * len(_CHECKED)
    except KeyError:  # a record without one of the columns (not from make_record)
        columns = [[r.get(column) for r in result.records] for column, _ in _CHECKED]
    labels = [label for _, label in _CHECKED]
    return {label: sum(map(not_, cells)) for label, cells in zip(labels, columns, strict=True)}


def summary_line(result: ImportResult, search: str | None = None) -> str:
    """``import scopus: 172 records read from data/raw/scopus.ris (ris, utf-8), 1 skipped``."""
    name = f" {search}" if search else ""
    n_skip = len(result.skipped_records)
    lines = sum(s.n_lines for s in result.skipped_lines)
    text = (
        f"import{name}: {len(result.records):,} records read from {result.file} "
        f"({result.format}, {result.encoding}); {n_skip} record{'s' if n_skip != 1 else ''} "
        f"skipped"
    )
    if lines:
        text += f", {lines} line{'s' if lines != 1 else ''} ignored"
    if result.cut_short is not None:
        text += (
            f"; the record at line {result.cut_short.line} looks cut short "
            "(was the download cut off?)"
        )
    return text


def count_check(result: ImportResult) -> str:
    """ "6 records in the file by lines starting 'TY  - '; 6 read, 0 skipped"."""
    read, skipped = len(result.records), len(result.skipped_records)
    if result.count is None:
        return f"{read + skipped:,} records in the file; {read:,} read, {skipped:,} skipped"
    n = result.count.n
    text = (
        f"{n:,} record{'s' if n != 1 else ''} in the file by {result.count.how}; "
        f"{read:,} read, {skipped:,} skipped"
    )
    if read + skipped == n:
        return text + ": every record accounted for"
    return text + f": {read + skipped - n:,} more than counted (see below)"


def render_report(result: ImportResult, search: dict | None = None) -> str:
    """The Markdown import report for one file (byte-stable: no timestamps)."""
    search = search or {}
    name = search.get("name") or result.file
    out = [f"# Import report: {_cell(str(name))}", ""]
    rows = [
        ("File", f"`{result.file}`"),
        ("Database", str(search.get("database", ""))),
        ("Format detected", result.format),
        ("Why this format", result.detected_because),
        (
            "Also plausible",
            "; ".join(f"{fmt} ({why})" for fmt, why in result.also_plausible),
        ),
        ("Encoding detected", result.encoding),
        ("Records in file", f"{result.records_in_file:,}"),
        ("Records read", f"{len(result.records):,}"),
        ("Records skipped", f"{len(result.skipped_records):,}"),
        ("Lines ignored", f"{sum(s.n_lines for s in result.skipped_lines):,}"),
        ("Count check", count_check(result)),
    ]
    if result.cut_short is not None:
        rows.append(("Cut short?", f"line {result.cut_short.line}: {result.cut_short.reason}"))
    if search.get("date_searched"):
        rows.insert(2, ("Date searched", str(search["date_searched"])))
    out += ["| Item | Value |", "|---|---|"]
    out += [f"| {k} | {v if k == 'File' else _cell(v)} |" for k, v in rows if v != ""]
    out += ["", "## Missing fields", "", "| Field | Records missing it |", "|---|---|"]
    out += [f"| {label} | {n:,} |" for label, n in missing_counts(result).items()]
    out += ["", "## Skipped records and ignored lines", ""]
    if result.skipped:
        out += _skipped_list(result)
    elif result.cut_short is not None:
        out.append(
            f"None skipped, but the record at `{result.file}:{result.cut_short.line}` looks "
            "cut short (see above)."
        )
    else:
        out.append("None: every record in the file was read.")
    if result.notes:
        out += ["", "## Read, but worth a look", ""]
        out += [f"- `{result.file}:{s.line}`: {_cell(s.reason)}" for s in result.notes]
    out.append("")
    return "\n".join(out)


# Ignored lines listed one by one per reason; the rest are counted. Some exports repeat
# the same stray lines after every record (Ovid's journal and link lines after each ER):
# listed in full, a 5,000-record file would give a 15,000-line report. Skipped records
# are always listed in full: each one is a record lost.
LISTED_PER_REASON = 20


def _skipped_list(result: ImportResult) -> list[str]:
    out: list[str] = []
    more: dict[str, list[Skipped]] = {}
    shown: dict[str, int] = {}
    for s in result.skipped:
        if s.kind == "line":
            shown[s.reason] = shown.get(s.reason, 0) + 1
            if shown[s.reason] > LISTED_PER_REASON:
                more.setdefault(s.reason, []).append(s)
                continue
        where = f"{result.file}:{s.line}"
        if s.kind == "line" and s.n_lines > 1:
            where += f"-{s.line + s.n_lines - 1}"
        out.append(f"- `{where}`: {_cell(s.reason)}")
    for reason, rest in more.items():
        lines = sum(s.n_lines for s in rest)
        last = rest[-1].line + rest[-1].n_lines - 1
        out.append(
            f"- and {lines:,} more line{'s' if lines != 1 else ''} for the same reason, not "
            f"listed (the last at `{result.file}:{last}`): {_cell(reason)}"
        )
    return out


def _cell(text: str) -> str:
    """Reasons and values may quote imported text: one line, no live HTML, no stray pipe.

    Spacing is kept (``'TY  - '`` means two spaces), so this is lighter than
    ``markdown_escape``.
    """
    return html.escape(" ".join(text.splitlines()), quote=False).replace("|", "\\|")
