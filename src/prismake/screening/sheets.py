"""Reading screening sheets as people save them, and adding rows without touching theirs.

A sheet comes back from Excel or LibreOffice in UTF-8 with or without a BOM, in cp1252 or
UTF-16, separated by commas, semicolons or tabs, with CRLF line ends, columns moved or
added, blank rows. ``read_sheet`` copes with all of these and remembers how the file was
written, so ``append_rows`` can add rows at the bottom in the sheet's own dialect while
every existing byte stays as it was (DESIGN.md invariant 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from prismake.csvio import fit_cell, neutralise_formula
from prismake.errors import Problem

_DELIMITERS = (",", ";", "\t")
FIELD_LIMIT = 1 << 30  # a cell pasted from anywhere is read (the csv module stops at 131,072)


def column_key(name: object) -> str:
    """A header cell as prismake names columns: "Study ID " -> ``study_id``."""
    text = str(name or "").replace("\ufeff", "").replace("\u00a0", " ").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def is_sheet_file(path: Path) -> bool:
    """False for spreadsheet lock files (``~$x.csv``, ``.~lock.x.csv#``) and backups."""
    name = path.name
    return (
        path.suffix.lower() == ".csv"
        and not name.startswith(("~$", ".~lock", "."))
        and ".bak" not in name
    )


@dataclass
class Sheet:
    """One human sheet as read: its rows, and the dialect it was saved in."""

    path: Path
    raw: bytes = b""
    text: str = ""
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    newline: str = "\n"
    header: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # column_key -> index
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (sheet row, cells)
    problems: list[Problem] = field(default_factory=list)

    def cell(self, cells: Sequence[str], column: str) -> str:
        """The cell of ``column`` in a row, stripped; ``""`` when the column is absent."""
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def problem(self, message: str, row: int | None = None, **kwargs: str | None) -> None:
        self.problems.append(Problem(file=str(self.path), message=message, row=row, **kwargs))


def _utf16_without_bom(raw: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NUL bytes sit at every other place (ASCII text in UTF-16)."""
    sample = raw[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was saved in: BOM first, then UTF-16 by its NUL bytes,
    UTF-8, then cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
        return raw[2:].decode(encoding, errors="replace"), encoding
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


_WORKBOOKS = {
    b"PK\x03\x04": "an Excel or LibreOffice workbook (.xlsx/.ods)",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF",
}


def _not_text(raw: bytes, text: str) -> str | None:
    """What a file is when it is not a CSV text file at all (None when it looks like text)."""
    for magic, kind in _WORKBOOKS.items():
        if raw.startswith(magic):
            return kind
    if "\x00" in text[:65536]:  # no text format but UTF-16 (decoded by now) has NUL bytes
        return "a binary file"
    return None


def _newline(text: str) -> str:
    if "\r\n" in text:
        return "\r\n"
    if "\r" in text:
        return "\r"
    return "\n"


def _records(text: str, delimiter: str) -> tuple[list[list[str]], int | None]:
    """The rows of a CSV text, and the row where an unclosed quote opens (or None)."""
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    while True:
        try:
            records.append(next(reader))
        except StopIteration:
            return records, None
        except csv.Error as error:
            if "end of data" in str(error):  # the row being read is where the quote opened
                return records, len(records) + 1
            break  # text after a closing quote ("a"b): read as a spreadsheet would
    lenient = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    while True:
        try:
            records.append(next(lenient))
        except StopIteration:
            return records, None
        except csv.Error:
            return records, len(records) + 1


def _sniff_delimiter(first_line: str, required: str) -> str | None:
    """The separator that makes the header contain ``required`` (and the most columns)."""
    best: tuple[int, str] | None = None
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        keys = {column_key(c) for c in cells}
        if required in keys and (best is None or len(cells) > best[0]):
            best = (len(cells), delimiter)
    return best[1] if best else None


_MERGE_MARKER = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: |$)")


def merge_conflict_lines(text: str) -> list[int]:
    """Line numbers (1 = first) of git's merge conflict markers in a file's text."""
    return [
        number
        for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1)
        if _MERGE_MARKER.match(line)
    ]


def read_sheet(
    path: str | Path,
    required: Iterable[str] = ("study_id", "decision"),
    known: Iterable[str] = (),
) -> Sheet:
    """Read a human sheet, collecting (never raising) every problem found in its layout.

    ``required`` columns must be present; a ``known`` or required column given twice is a
    problem (which one would count?). Blank rows are skipped; row numbers are those a
    spreadsheet shows (header = row 1).
    """
    sheet = Sheet(path=Path(path))
    required = tuple(required)
    sheet.raw = sheet.path.read_bytes()
    sheet.text, sheet.encoding = _decode(sheet.raw)
    sheet.newline = _newline(sheet.text)
    kind = _not_text(sheet.raw, sheet.text)
    if kind:
        sheet.problem(
            f"this is not a CSV file: it looks like {kind}",
            hint="Open it in Excel or LibreOffice and use 'Save as' with the type "
            "'CSV UTF-8 (comma delimited)' (or 'Text CSV'), under this file name",
        )
        return sheet
    if not sheet.text.strip():
        sheet.problem(
            "the sheet is empty (no header row)",
            hint="Delete the file and run snakemake again: prismake writes a new sheet",
        )
        return sheet
    markers = merge_conflict_lines(sheet.text)
    if markers:
        shown = ", ".join(str(n) for n in markers[:9]) + (", ..." if len(markers) > 9 else "")
        own = (
            "keep the rows of both sides (one row per study: where both sides resolved "
            "the same study, keep one), delete the marker lines, then git add"
            if sheet.path.name == "resolutions.csv"
            else "keep that reviewer's version whole (e.g. git checkout --theirs or --ours, "
            "then git add); rows prismake had added that it lacks are added back on the "
            "next run"
        )
        sheet.problem(
            f"git merge conflict markers (<<<<<<<, =======, >>>>>>>) on lines {shown}: the "
            "merge of this file is not finished",
            hint=f"Finish it in git before running: {own}",
        )
        return sheet
    first_line = re.split(r"\r\n|\r|\n", sheet.text, maxsplit=1)[0]
    delimiter = _sniff_delimiter(first_line, required[0] if required else "study_id")
    if delimiter is None:
        sheet.problem(
            f"the first row has no '{required[0]}' column",
            row=1,
            value=first_line[:60],
            hint="Keep the header row prismake wrote; columns may be moved but not renamed",
        )
        return sheet
    sheet.delimiter = delimiter
    records, opened = _records(sheet.text, delimiter)
    if opened is not None:
        sheet.problem(
            'a quote (") opened in this row is never closed: the rest of the file would be '
            "one cell",
            row=opened,
            hint='Close the quote (or delete the stray ") in a text editor, or re-type the '
            "cell in a spreadsheet and save again",
        )
        return sheet
    sheet.header = records[0]
    keys = [column_key(c) for c in sheet.header]
    watched = set(required) | set(known)
    for index, key in enumerate(keys):
        if key in sheet.columns:
            if key in watched:
                sheet.problem(
                    f"the column '{key}' appears twice in the header",
                    row=1,
                    column=key,
                    hint="Delete or rename one of them so it is clear which one counts",
                )
            continue
        if key:
            sheet.columns[key] = index
    for name in required:
        if name not in sheet.columns:
            sheet.problem(
                f"the column '{name}' is missing",
                row=1,
                column=name,
                hint="Keep the header row prismake wrote; columns may be moved but not renamed",
            )
    width = len(sheet.header)
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            sheet.problem(
                f"this row has {len(cells)} cells but the header has {width}",
                row=number,
                hint=(
                    f"A cell probably contains the separator {delimiter!r} without quotes: "
                    "re-type it in a spreadsheet, which adds the quotes"
                ),
            )
            continue
        sheet.rows.append((number, cells + [""] * (width - len(cells))))
    return sheet


# Columns prismake fills when it writes a sheet: what a person types is everything else.
WRITTEN_COLUMNS = frozenset(
    {"study_id", "title", "authors", "year", "journal", "doi_link", "abstract", "rank"}
)


def typed_digest(paths: Iterable[str | Path]) -> str:
    """A digest of what people typed in these sheets (with each typed row's number).

    Rows prismake appends hold nothing typed, so its own appends leave this unchanged;
    any typed change does change it, even one whose file keeps an old time (a backup
    copied back with ``cp -p``). The `screen` rule has it as a parameter.
    """
    digest = hashlib.sha1()
    for path in paths:
        digest.update(f"\0{Path(path).name}\0".encode())
        try:
            sheet = read_sheet(path, required=("study_id",))
        except OSError:
            digest.update(b"unreadable")
            continue
        if sheet.problems:  # not read as a sheet: any change of its bytes counts
            digest.update(hashlib.sha1(sheet.raw).digest())
            continue
        typed = sorted(key for key in sheet.columns if key not in WRITTEN_COLUMNS)
        for row, cells in sheet.rows:
            values = [sheet.cell(cells, key) for key in typed]
            if any(values):
                text = "\t".join([str(row), sheet.cell(cells, "study_id"), *typed, *values])
                digest.update(text.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()[:16]


def _field(value: str, delimiter: str) -> str:
    """A cell as CSV text: quoted when it holds the separator, a quote or any line break.

    (The csv module quotes only the characters of its own line terminator, so a lone CR in
    an imported abstract would split the row when the sheet ends lines with LF.)
    """
    if any(c in value for c in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_text(rows: Iterable[Sequence[str]], delimiter: str, newline: str) -> str:
    lines = []
    for row in rows:
        cells = [_field(v, delimiter) for v in row]
        lines.append(delimiter.join(cells) if cells != [""] else '""')
    return "".join(line + newline for line in lines)


def _cells(record: Mapping[str, object], columns: Sequence[str], safe: bool) -> list[str]:
    values = []
    for name in columns:
        value = record.get(name, "")
        # NUL marks a binary file to the reader (and no spreadsheet shows one): dropped
        value = fit_cell(("" if value is None else str(value)).replace("\x00", ""))
        values.append(str(neutralise_formula(value)) if safe else value)
    return values


def new_sheet_bytes(columns: Sequence[str], records: Iterable[Mapping[str, object]]) -> bytes:
    """A new sheet as ``csvio.write_sheet`` writes one: UTF-8 BOM, commas, LF, no formulas."""
    rows = [list(columns)] + [_cells(r, columns, safe=True) for r in records]
    return ("\ufeff" + _csv_text(rows, ",", "\n")).encode("utf-8")


def append_rows(sheet: Sheet, records: Iterable[Mapping[str, object]]) -> tuple[bytes, int]:
    """The sheet's bytes with ``records`` added at the bottom, in the sheet's own dialect.

    The existing bytes are kept as they are (the result starts with ``sheet.raw``); new
    rows follow the sheet's column order, separator, line ends and encoding. Characters
    the sheet's encoding cannot hold (cp1252) become ``?``; the count is returned so the
    caller can say so.
    """
    order = [""] * len(sheet.header)
    for key, index in sheet.columns.items():
        order[index] = key
    text = _csv_text((_cells(r, order, safe=True) for r in records), sheet.delimiter, sheet.newline)
    if sheet.text and not sheet.text.endswith(("\n", "\r")):
        text = sheet.newline + text
    encoding = "utf-8" if sheet.encoding == "utf-8-sig" else sheet.encoding
    data = text.encode(encoding, errors="replace")
    lost = 0
    if encoding not in {"utf-8", "utf-16-le", "utf-16-be"}:
        lost = sum(1 for ch in text if ch.encode(encoding, errors="ignore") == b"")
    return sheet.raw + data, lost


def sheet_files(folder: str | Path) -> list[str]:
    """Every sheet in a stage's folder now (reviewers', resolutions, stray copies), sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        str(folder / p.name) for p in folder.iterdir() if is_sheet_file(p) and p.is_file()
    )


# a sheet saved as a workbook beside the CSV by mistake: its decisions would be lost unseen
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")


def workbooks_digest(folder: str | Path) -> str:
    """ "" when the folder holds no workbook; else a digest of the workbooks' names, sizes
    and times, so that saving one reruns the `screen` rule, which names it (a rerun with
    nothing else changed would otherwise say nothing about it)."""
    folder = Path(folder)
    if not folder.is_dir():
        return ""
    books = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith("~$") and p.is_file()
    )
    if not books:
        return ""
    digest = hashlib.sha1()
    for book in books:
        status = book.stat()
        digest.update(f"{book.name}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return "+" + digest.hexdigest()[:8]


def kept_digest(folder: str | Path) -> str:
    """ "" when the stage keeps no record of its own yet; else a digest of the records
    prismake keeps beside the decisions that no run can rebuild (whose sheets it wrote, the
    prioritised order ...), so that a git merge or a restore that changes only those reruns
    the `screen` rule, which checks them."""
    from prismake.screening.prioritise import POOL_FILE, RANKS_FILE, SAMPLE_FILE
    from prismake.screening.stage import SHEETS_RECORD

    digest, found = hashlib.sha1(), False
    for name in (SHEETS_RECORD, POOL_FILE, RANKS_FILE, SAMPLE_FILE):
        try:
            data = (Path(folder) / name).read_bytes()
        except OSError:
            continue
        found = True
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return "~" + digest.hexdigest()[:8] if found else ""


def _digest_now(folder: str | Path, sheets: Sequence[str], settled: str | Path) -> str:
    return typed_digest(sheets) + workbooks_digest(folder) + kept_digest(Path(settled).parent)


def sheets_as_seen(folder: str | Path, settled: str | Path) -> tuple[list[str], str]:
    """The sheets of a stage and their typed digest, as the `screen` rule should see them.

    ``settled`` (written by the last `screen` job) holds what that job saw when it started
    and what it left when it ended. When the folder is exactly as the job left it, what
    it saw is returned: the sheets prismake itself wrote (a new review's first sheets, a
    sheet written again) are not a change to rerun for. Anything else, the sheets now.
    """
    sheets = sheet_files(folder)
    typed = _digest_now(folder, sheets, settled)
    try:
        state = json.loads(Path(settled).read_text(encoding="utf-8"))
        before, after = state["before"], state["after"]
    except (OSError, ValueError, KeyError, TypeError):
        return sheets, typed
    if after == {"sheets": sheets, "typed": typed} and set(before["sheets"]) <= set(sheets):
        return list(before["sheets"]), str(before["typed"])
    return sheets, typed


def write_settled(
    settled: str | Path, folder: str | Path, sheets: Sequence[str], typed: str
) -> None:
    """Record what a `screen` job saw (``sheets``, ``typed``) and the sheets it left."""
    now = sheet_files(folder)
    state = {
        "before": {"sheets": sorted(sheets), "typed": typed},
        "after": {"sheets": now, "typed": _digest_now(folder, now, settled)},
    }
    Path(settled).parent.mkdir(parents=True, exist_ok=True)
    Path(settled).write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")
