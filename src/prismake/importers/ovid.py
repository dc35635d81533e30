"""Ovid's numbered-record exports (MEDLINE, Embase, PsycINFO, BIOSIS on Ovid).

Ovid's "Ovid tagged", "Citavi" and "Reference Manager" style downloads number each
record on a line of its own (``<1>``, or ``<3001. >`` in the newer form), then give
``XX  - value`` lines with no end tag. Every line may be indented by one space;
continuation lines are indented six spaces (seven with that extra space). The number
line is where a record starts, so two records can never run together.
"""

from __future__ import annotations

import re

from prismake.importers.count import OVID_NUMBER
from prismake.importers.normalise import (
    first_doi,
    first_value,
    issn_isbn,
    join_pages,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, LineSkips, Record, Skipped

_TAG = re.compile(r"^ ?([A-Z][A-Z0-9]{1,3}) {1,3}-(?: (.*)|\s*)$")
_NUMBER = re.compile(OVID_NUMBER.pattern)  # the same rule as the count, line by line


def parse(text: str, file: str) -> ImportResult:
    """Read an Ovid numbered-record export; lines outside any record are listed."""
    result = ImportResult(file=file, format="ovid", encoding="")
    outside = LineSkips()
    fields: dict[str, list[str]] | None = None
    last: list[str] | None = None
    start = 0

    def close() -> None:
        assert fields is not None
        record = to_record(fields, f"{file}:{start}")
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(start, f"record skipped: {reason}"))
        else:
            result.records.append(record)

    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if _NUMBER.match(line):
            if fields is not None:
                close()
            fields, last, start = {}, None, number
            continue
        if fields is None:
            outside.add(number, "text before the first numbered record, ignored")
            continue
        body = line[1:] if line[:1] == " " and line[1:2] != " " else line
        match = _TAG.match(body) if body[:1] != " " else None
        if match:
            last = fields.setdefault(match.group(1), [])
            last.append((match.group(2) or "").strip())
        elif body.startswith("     ") and last is not None:
            stripped = body.strip()
            last[-1] = f"{last[-1]} {stripped}" if last[-1] else stripped
        else:
            outside.add(number, "not an Ovid tag line or continuation, ignored")
    if fields is not None:
        close()
    return outside.merge_into(result)


_T_TITLE = ("TI", "BT", "T1")
_T_YEAR = ("YR", "PY", "DP", "YE", "EP")
_T_JOURNAL = ("JN", "JT", "JA", "TA", "JO")
_T_VOLUME, _T_ISSUE, _T_PAGES = ("VO", "VI", "VL"), ("IP", "NO", "IS_"), ("PG", "SP")
_T_ABSTRACT, _T_LANGUAGE, _T_PMID = ("AB",), ("LG", "LA"), ("PM", "PMID")
_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]$")


def to_record(fields: dict[str, list[str]], source: str) -> Record:
    """Map Ovid's field codes to record columns.

    ``UI`` is the PubMed id in Ovid MEDLINE and the database's own accession number
    elsewhere (Embase, PsycINFO); ``SO`` ("Journal. 22(4):601-615, 2019") gives the
    journal when no ``JN`` does. ``MH`` headings lose Ovid's ``*`` (major topic) mark.
    """
    database = first_value(fields, ("DB",)).lower()
    ui = first_value(fields, ("UI",))
    pmid = first_value(fields, _T_PMID)
    ids: dict[str, str] = {}
    if ui and "medline" in database and ui.isdigit() and not pmid:
        pmid = ui
    elif ui:
        ids["accession_number"] = ui
    if not ui and (accession := first_value(fields, ("AN",))):
        ids["accession_number"] = accession
    numbers = [v for v in fields.get("IS", []) if _ISSN.match(v.strip())]
    issue = first_value(fields, _T_ISSUE)
    if not issue and "IS" in fields and not numbers:
        issue = first_value(fields, ("IS",))  # RIS-like use of IS for the issue
    issn, _ = issn_isbn(numbers) if numbers else ("", "")
    _, isbn = issn_isbn(fields.get("IB", []) + fields.get("BN", []))
    source_text = first_value(fields, ("SO",))
    keywords = [k.lstrip("*").strip() for k in fields.get("MH", []) + fields.get("KW", [])]
    urls = fields.get("UR", []) + fields.get("LK", [])
    dois = fields.get("DO", []) + fields.get("DI", [])
    return make_record(
        source=source,
        title=first_value(fields, _T_TITLE),
        authors=fields.get("AU") or fields.get("A1") or fields.get("FA") or (),
        year=first_value(fields, _T_YEAR) or source_text,
        journal=first_value(fields, _T_JOURNAL) or source_text.split(". ")[0],
        volume=first_value(fields, _T_VOLUME),
        issue=issue,
        pages=join_pages(first_value(fields, _T_PAGES)),
        doi=first_doi(dois or [u for u in urls if "10." in u]),
        abstract=first_value(fields, _T_ABSTRACT),
        keywords=keywords,
        urls=urls,
        issn=issn,
        isbn=isbn,
        language=first_value(fields, _T_LANGUAGE),
        type=record_type(*fields.get("PT", []), *fields.get("ST", [])),
        pmid=pmid,
        publisher=first_value(fields, ("PB",)),
        address=first_value(fields, ("PL", "CY")),
        **ids,
    )
