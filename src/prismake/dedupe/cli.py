"""``prismake dedupe RECORDS.csv [...] --output studies.csv``: group any record CSVs into studies.

The input is any CSV with record columns (missing columns are allowed, extra ones such as
a benchmark's ``dup_group`` are ignored). The search of a record is its ``search``
column, else the prefix of its record id (``<search>-...``); searches rank in order of
first appearance. The output has one row per input record: record_id, search, study_id.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd

from prismake.csvio import read_table, write_sheet, write_table
from prismake.dedupe.engine import find_studies
from prismake.dedupe.outputs import MERGE_COLUMNS, TO_CHECK_COLUMNS, merges_table, to_check_table
from prismake.dedupe.verdicts import read_verdicts
from prismake.errors import ImportFileError, Problem, ProblemsError

MATCH_COLUMNS = (
    "record_id",
    "search",
    "database",
    "title",
    "authors",
    "year",
    "journal",
    "booktitle",
    "volume",
    "issue",
    "pages",
    "article_number",
    "doi",
    "pmid",
    "url",
    "abstract",
    "type",
    "entrytype",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("records", nargs="+", help="CSV files with one record per row")
    parser.add_argument("--output", "-o", required=True, help="CSV to write: record_id, study_id")
    parser.add_argument("--merges", help="also write the merged pairs with their evidence")
    parser.add_argument(
        "--to-check", dest="to_check", help="also write the pairs to check (opens in Excel)"
    )
    parser.add_argument("--verdicts", help="a duplicates sheet (record_id_a, record_id_b, verdict)")
    parser.add_argument(
        "--maybe-threshold",
        type=float,
        default=0.8,
        help="pairs scoring at least this are listed to check (default 0.8)",
    )
    parser.add_argument(
        "--duplicate-threshold",
        type=float,
        default=0.93,
        help="pairs scoring at least this are merged (default 0.93)",
    )


def load_records(paths: list[str]) -> pd.DataFrame:
    """Read record CSVs, keep the columns matching uses, fill search from the record ids."""
    frames = []
    for path in paths:
        if not Path(path).is_file():
            raise ImportFileError(path, "the file does not exist")
        try:
            frame = read_table(path)
        except Exception as error:
            raise ImportFileError(path, f"not a readable CSV file ({error})") from None
        if "record_id" not in frame.columns:
            raise ProblemsError(
                f"{path} has no record_id column",
                [
                    Problem(
                        path, "column 'record_id' is missing", row=1, hint="Add a unique id per row"
                    )
                ],
            )
        frames.append(frame.reindex(columns=list(MATCH_COLUMNS), fill_value=""))
    records = pd.concat(frames, ignore_index=True)
    no_search = records["search"] == ""
    ids = records["record_id"]
    records.loc[no_search, "search"] = [
        rid.split("-", 1)[0] if "-" in rid else "" for rid in ids[no_search]
    ]
    repeated = sorted(set(ids[ids.duplicated()]))
    if repeated:
        raise ProblemsError(
            "record ids must be unique",
            [
                Problem(", ".join(paths), "record id appears more than once", value=r)
                for r in repeated[:20]
            ],
        )
    return records


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    records = load_records(list(args.records))
    order = {s: k for k, s in enumerate(dict.fromkeys(s for s in records["search"] if s))}
    verdicts = read_verdicts(args.verdicts, set(records["record_id"]))
    settings = {
        "maybe_threshold": args.maybe_threshold,
        "duplicate_threshold": args.duplicate_threshold,
    }
    result = find_studies(records, order, settings, verdicts)
    out = pd.DataFrame(
        {
            "record_id": records["record_id"],
            "search": records["search"],
            "study_id": result.study_ids,
        }
    )
    write_table(out, args.output)
    if args.merges:
        write_table(merges_table(result, verdicts.same), args.merges, MERGE_COLUMNS)
    if args.to_check:
        table = to_check_table(records, result, verdicts.decided())
        write_sheet(table, args.to_check, TO_CHECK_COLUMNS)
    n_studies = out["study_id"].nunique()
    studies = "study" if n_studies == 1 else "studies"
    records = "record" if len(out) == 1 else "records"
    summary = f"{len(out):,} {records} -> {n_studies:,} {studies}; wrote {args.output}"
    print(summary, file=sys.stderr)
    return 0
