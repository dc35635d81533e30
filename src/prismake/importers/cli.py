"""``prismake import FILE [FILE ...] --output records.csv [--format FMT]``.

Reads each file as one search named after the file (``Scopus export.ris`` -> search
``Scopus_export``), writes all records to one CSV and prints each file's report. A file
that cannot be read raises ``ImportFileError``; prismake.cli prints it as one paragraph.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from prismake.errors import ImportFileError
from prismake.importers import assign_ids, read_file, write_records_csv
from prismake.importers.detect import FORMATS
from prismake.importers.report import render_report, summary_line
from prismake.importers.result import current_progress
from prismake.progress import Progress


def search_name(path: str, taken: set[str]) -> str:
    """A search name from a file stem: letters, digits and _, unique among ``taken``."""
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", Path(path).stem).strip("_") or "search"
    if not stem[0].isalnum() or stem[0] == "_":
        stem = f"s{stem}"
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}_{n}", n + 1
    taken.add(name)
    return name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="database export files")
    parser.add_argument(
        "--output", "-o", required=True, help="the records CSV to write (UTF-8, one row a record)"
    )
    parser.add_argument(
        "--format",
        "-f",
        default="auto",
        choices=("auto", *FORMATS),
        help="the format of every FILE (default: detected from each file's content)",
    )
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="generic CSV: the column holding a record field, e.g. --column 'title=Article "
        "Title' (repeat for each field)",
    )


def column_mapping(pairs: list[str]) -> dict[str, str]:
    """``{"title": "Article Title"}`` from ``["title=Article Title"]``."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ImportFileError(
                "--column", f"{pair!r} is not FIELD=COLUMN", hint="Write e.g. title=Paper."
            )
        mapping[field.strip()] = column.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    taken: set[str] = set()
    records = []
    columns = column_mapping(args.column) or None
    with Progress("import", unit="records") as progress:
        for path in args.files:
            name = search_name(path, taken)
            before = progress.done
            token = current_progress.set(progress)
            try:
                result = read_file(path, args.format, columns=columns)
            finally:
                current_progress.reset(token)
            records += assign_ids(name, name, result.records)
            progress.update(len(result.records) - (progress.done - before))
            sys.stdout.write(render_report(result, {"name": name}) + "\n")
            print(summary_line(result, name), file=sys.stderr)
    write_records_csv(records, args.output)
    print(f"Wrote {len(records):,} records to {args.output}", file=sys.stderr)
    return 0
