"""A small made-up review for the screening tests: studies, config, and sheet editing helpers.

Not a test module: the screening tests import it to build studies.csv the way dedupe
writes it (study ids anchored on the earliest search, every member's alias kept).
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from prismake.config import DEFAULT_SYNONYMS
from prismake.csvio import write_table
from prismake.ids import assign_record_ids, choose_anchor, search_of, study_alias

SEARCHES = [
    {"name": "scopus", "database": "Scopus", "source": "database"},
    {"name": "pubmed", "database": "PubMed", "source": "database"},
    {"name": "citations", "database": "Citation searching", "source": "other"},
    {"name": "update2026", "database": "Scopus", "source": "database", "round": 2},
]
REASONS = ["Not co-production", "Wrong participants", "Not a primary study"]
STUDY_COLUMNS = (
    "study_id", "title", "authors", "authors_norm", "year", "journal", "volume", "issue",
    "pages", "doi", "abstract", "keywords", "url", "type", "language", "n_records",
    "record_ids", "searches", "databases", "sources", "round",
)  # fmt: skip


def screening_config(mode: str = "dual", reviewers: Sequence[str] = ("alice", "ben"),
                     double_fraction: float = 0.2) -> dict:  # fmt: skip
    """config["screening"] as check_config fills it."""
    stage = {"mode": mode, "reviewers": list(reviewers), "double_fraction": double_fraction}
    return {
        "stages": {"title_abstract": dict(stage), "full_text": dict(stage)},
        "decision_synonyms": copy.deepcopy(DEFAULT_SYNONYMS),
        "full_text_exclusion_reasons": list(REASONS),
    }


def record(search: str, title: str) -> str:
    """The record id import gives a record with this title in this search."""
    return assign_record_ids(search, [{"title": title}])[0]


def study(record_ids: Sequence[str], title: str, **fields: str) -> dict:
    """One studies.csv row for a cluster of records, as dedupe writes it."""
    order = {s["name"]: i for i, s in enumerate(SEARCHES)}
    source_of = {s["name"]: s["source"] for s in SEARCHES}
    anchor = choose_anchor(record_ids, order)
    searches = sorted({search_of(r) for r in record_ids}, key=order.get)
    row = {name: "" for name in STUDY_COLUMNS}
    row.update(
        study_id=study_alias(anchor),
        title=title,
        authors="Example, Ann; Sample, Bo",
        year="2021",
        journal="Journal of Examples",
        abstract=f"An abstract about {title.lower()}.",
        n_records=str(len(record_ids)),
        record_ids="; ".join(sorted(record_ids)),
        searches="; ".join(searches),
        sources="; ".join(sorted({source_of[s] for s in searches})),
        round="1",
    )
    row.update(fields)
    return row


def write_studies(path: Path, studies: Sequence[Mapping[str, str]]) -> Path:
    frame = pd.DataFrame(list(studies), columns=list(STUDY_COLUMNS)).sort_values("study_id")
    write_table(frame, path, STUDY_COLUMNS)
    return path


def base_studies(n: int = 8) -> list[dict]:
    """n studies found by scopus (and pubmed for every other one) plus one from citations."""
    rows = []
    for i in range(n):
        title = f"Co-production study number {i}"
        ids = [record("scopus", title)] + ([record("pubmed", title)] if i % 2 else [])
        rows.append(study(ids, title, doi=f"10.1000/demo.{i}"))
    rows.append(
        study([record("citations", "A study found by citation")], "A study found by citation")
    )
    return rows


def rows_of(path: Path) -> list[dict]:
    """A sheet's rows as dicts (any dialect prismake reads)."""
    from prismake.screening.sheets import read_sheet

    sheet = read_sheet(path)
    names = {i: k for k, i in sheet.columns.items()}
    return [{names[i]: c for i, c in enumerate(cells) if i in names} for _, cells in sheet.rows]


def _load(path: Path) -> tuple[list[str], list[list[str]], dict]:
    """A sheet's header, rows and how it was saved (any dialect prismake reads)."""
    from prismake.screening.sheets import read_sheet

    sheet = read_sheet(path)
    bom = "-sig" if sheet.encoding == "utf-8-sig" else ""
    dialect = {"delimiter": sheet.delimiter, "newline": sheet.newline,
               "encoding": sheet.encoding.replace("-sig", "") + bom}  # fmt: skip
    return list(sheet.header), [cells for _, cells in sheet.rows], dialect


def _dump(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, delimiter: str,
          newline: str, encoding: str, blank_rows: int = 0) -> None:  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    for _ in range(blank_rows):
        writer.writerow([""] * len(header))
    path.write_bytes(buffer.getvalue().encode(encoding))


def type_decisions(path: Path, decisions: Mapping[str, tuple[str, ...] | str]) -> None:
    """Fill decision (and reason) cells as a reviewer would, saved in the sheet's dialect."""
    header, rows, dialect = _load(path)
    where = {name.strip().lower(): i for i, name in enumerate(header)}
    for row in rows:
        value = decisions.get(row[where["study_id"]])
        if value is None:
            continue
        decision, reason = (value, "") if isinstance(value, str) else (*value, "")[:2]
        row[where["decision"]] = decision
        if "reason" in where:
            row[where["reason"]] = reason
    _dump(path, header, rows, **dialect)


def save_as(path: Path, *, delimiter: str = ",", newline: str = "\n", encoding: str = "utf-8-sig",
            columns: Sequence[str] | None = None, blank_rows: int = 0) -> None:  # fmt: skip
    """Re-save a sheet as a spreadsheet program does: separator, line ends, encoding, column
    order, and some blank rows at the end (as Excel leaves after deleting rows)."""
    header, rows, _ = _load(path)
    order = list(range(len(header)))
    if columns is not None:
        first = [header.index(c) for c in columns]
        order = first + [i for i in order if i not in first]
    rows = [[r[i] for i in order] for r in rows]
    dialect = {"delimiter": delimiter, "newline": newline, "encoding": encoding}
    _dump(path, [header[i] for i in order], rows, **dialect, blank_rows=blank_rows)
