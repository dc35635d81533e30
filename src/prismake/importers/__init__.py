"""Import: database exports in, one normalised record table and one report per search out.

``read_file`` reads one export in any supported format (detected from the content);
``import_search`` is what the Snakemake rule calls for one search in config.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.errors import ImportFileError
from prismake.ids import record_ids
from prismake.importers.count import RecordCount, count_records
from prismake.importers.detect import FORMATS, detect, detect_format
from prismake.importers.fastcsv import write_records
from prismake.importers.report import CHECKED_COLUMNS, render_report, summary_line
from prismake.importers.result import ImportResult, Record, Skipped, current_progress
from prismake.importers.textio import MISSING_FILE_HINT, read_text
from prismake.progress import Progress
from prismake.records import RECORD_COLUMNS

__all__ = [
    "FORMATS",
    "ImportResult",
    "Skipped",
    "assign_ids",
    "check_count",
    "detect_format",
    "import_search",
    "parse_text",
    "read_file",
    "records_frame",
    "write_records_csv",
]

log = logging.getLogger("prismake")

# format -> (module in prismake.importers, function)
_PARSERS: dict[str, tuple[str, str]] = {
    "ris": ("ris", "parse"),
    "medline": ("medline", "parse"),
    "wos": ("wos", "parse"),
    "bibtex": ("bibtex", "parse"),
    "pubmed_csv": ("csvformats", "parse_pubmed"),
    "scopus_csv": ("csvformats", "parse_scopus"),
    "embase_csv": ("csvformats", "parse_embase"),
    "wos_tab": ("csvformats", "parse_wos_tab"),
    "csv": ("csvformats", "parse_generic"),
    "endnote_xml": ("endnote_xml", "parse"),
    "endnote_tagged": ("endnote_tagged", "parse"),
    "pop_json": ("pop_json", "parse"),
    "csl_json": ("csl_json", "parse"),
    "pubmed_xml": ("pubmed_xml", "parse"),
    "ovid": ("ovid", "parse"),
    "proquest_text": ("proquest", "parse"),
    "covidence_csv": ("csvformats", "parse_covidence"),
    "rayyan_csv": ("csvformats", "parse_rayyan"),
}


def _parser(fmt: str) -> Callable[..., ImportResult]:
    module_name, function = _PARSERS[fmt]
    module = importlib.import_module(f"prismake.importers.{module_name}")
    return getattr(module, function)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a parser builds millions of small lists and
    dicts (none of them cyclic): at 100,000 records its repeated passes cost ~10%."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_text(
    text: str,
    file: str,
    fmt: str = "auto",
    encoding: str = "utf-8",
    columns: dict[str, str] | None = None,
) -> ImportResult:
    """Parse already-decoded text; ``fmt='auto'`` detects the format from the content.

    Every result is checked against an independent count of the records the text holds
    (``check_count``): fewer records than the count is an error, never a warning.
    """
    detection = None
    if fmt in (None, "", "auto"):
        detection = detect(text)
        found = detection.format
        if found is None and columns:
            found = "csv"  # a column mapping in config says it is a CSV of some kind
        if found is None:
            if not text.strip():
                raise ImportFileError(file, "the file is empty", hint=_EMPTY_HINT)
            raise ImportFileError(
                file,
                "its format is not one prismake recognises",
                line=1,
                hint=f"Export it again as RIS, MEDLINE, BibTeX or CSV, or name its format "
                f"(`format:` in config, --format on the command line): {', '.join(FORMATS)}.",
            )
        fmt = found
    if fmt not in _PARSERS:
        raise ImportFileError(
            file, f"unknown format {fmt!r}", hint=f"Use one of: auto, {', '.join(FORMATS)}."
        )
    extra = {"columns": columns} if fmt == "csv" else {}
    with _collector_paused():
        result = _parser(fmt)(text, file, **extra)
    result.encoding = encoding
    if detection is not None and detection.format == fmt:
        result.detected_because = detection.evidence
        result.also_plausible = detection.also
    if not result.records and not result.skipped_records:
        raise ImportFileError(
            file,
            f"no {fmt} records were found in it",
            line=1,
            hint=_EMPTY_HINT
            if not text.strip()
            else f"Check that it is a {fmt} export, or name the format it is in "
            "(`format:` of the search in config/config.yaml, --format on the command line).",
        )
    check_count(result, count_records(text, fmt), text)
    return result


def check_count(result: ImportResult, count: RecordCount, text: str) -> None:
    """Records read + records skipped must be the records the file holds.

    Fewer than the independent count means the reader joined records: the import fails
    with both numbers and the lines where the missed records start. More is noted (the
    count's markers are missing from some records). A record the file ends inside is
    named (``result.cut_short``): the download may have been cut.
    """
    result.count = count
    found = result.records_in_file
    if found < count.n:
        read_at = {s.line for s in result.skipped_records}
        read_at.update(_start_line(r) for r in result.records)
        joined = [line for line in count.start_lines(text) if line not in read_at]
        shown = ", ".join(map(str, joined[:20])) + (" ..." if len(joined) > 20 else "")
        where = (
            f" The records starting at line{'s' if len(joined) != 1 else ''} {shown} were "
            "joined to the records before them."
            if joined
            else ""
        )
        raise ImportFileError(
            result.file,
            f"it holds {count.n:,} records ({count.how}) but the {result.format} reader "
            f"found only {found:,} ({len(result.records):,} read, "
            f"{len(result.skipped_records):,} skipped).{where} Records would be lost",
            hint="This is a fault in prismake's reader: please report it with the file. "
            "Meanwhile, export the records in another format (RIS, MEDLINE, CSV) and "
            "import that file.",
        )
    if found > count.n:
        result.notes.insert(
            0,
            Skipped(
                1,
                f"the reader found {found:,} records where a count of {count.how} finds "
                f"{count.n:,}: some records lack that marker; check the first and last ones",
            ),
        )
    if count.cut_at is not None:
        line = count.cut_line(text) or 1
        result.cut_short = Skipped(
            line,
            f"the record starting here looks cut short: {count.cut_reason}. It was read as "
            "far as it goes; the download may have been cut off, so export the records "
            "again and check the last ones",
        )


def _start_line(record: Record) -> int:
    line = str(record.get("source_line", "")).rpartition(":")[2]
    return int(line) if line.isdigit() else 0


_EMPTY_HINT = "Export the search results again; the download may have failed."


def read_file(
    path: str | Path,
    fmt: str = "auto",
    *,
    display: str | None = None,
    columns: dict[str, str] | None = None,
) -> ImportResult:
    """Read one export file: its records, what was skipped, its encoding and format."""
    shown = display or str(path)
    text, encoding = read_text(str(path), shown)
    return parse_text(text, shown, fmt, encoding, columns)


def assign_ids(search: str, database: str, records: list[Record]) -> list[Record]:
    """Give each record its ``record_id``, ``search``, ``database`` and ``former_ids``
    (its id under the previous id rule, where different), in place."""
    ids, former = record_ids(search, records)
    for record, record_id, former_id in zip(records, ids, former, strict=True):
        record["record_id"] = record_id
        record["search"] = search
        record["database"] = database
        record["former_ids"] = former_id
    return records


def records_frame(search: str, database: str, records: list[Record]) -> pd.DataFrame:
    """The records of one search as a table in ``RECORD_COLUMNS`` order, ids assigned."""
    assign_ids(search, database, records)
    return pd.DataFrame.from_records(records, columns=list(RECORD_COLUMNS))


def write_records_csv(
    records: list[Record], path: str | Path, empty: dict[str, int] | None = None
) -> None:
    """The records CSV: ``RECORD_COLUMNS``, bytes as ``csvio.write_table`` writes them;
    ``empty`` (column -> 0) counts the records whose cell is empty, as they are written."""
    write_records(records, path, RECORD_COLUMNS, empty)


def import_search(*, search: dict[str, Any], records_out: str, report_out: str) -> ImportResult:
    """Import the export of one configured search: records CSV plus Markdown report."""
    name = search["name"]
    # ids and the records CSV make no reference cycles either: no collector passes
    with _collector_paused(), Progress(f"reading {search['file']}", unit="records") as progress:
        token = current_progress.set(progress)
        try:
            result = read_file(
                search["file"], search.get("format") or "auto", columns=search.get("columns")
            )
        except ImportFileError as error:
            if error.hint == MISSING_FILE_HINT:  # name the setting that gave the path
                error.hint = f"Check `file:` of the search '{name}' in config/config.yaml."
            raise
        finally:
            current_progress.reset(token)
        assign_ids(name, search.get("database", name), result.records)
        # the report's missing-field counts are taken on the way: no second pass
        result.missing = dict.fromkeys(CHECKED_COLUMNS, 0)
        write_records_csv(result.records, records_out, result.missing)
        progress.update(len(result.records) - progress.done)
    Path(report_out).parent.mkdir(parents=True, exist_ok=True)
    Path(report_out).write_text(render_report(result, search), encoding="utf-8", newline="\n")
    log.info(summary_line(result, name))
    return result
