"""PubMed MEDLINE / nbib (``PMID- ...``) and the PubMed Central variant (``PMC - ...``).

Our own line parser: nbib manages about 2,400 records/s and stops at the first malformed
line. Tags sit in a 4-character field followed by "- "; continuation lines are indented
six spaces; records are separated by blank lines. A line that is neither (e.g. "SO
invalid line") is listed in the report and the rest of its record still imported.
"""

from __future__ import annotations

import re

from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, LineSkips, Record, Skipped

_LOOSE_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
_STARTS = {"PMID", "PMC"}


def split_tag(line: str) -> tuple[str, str] | None:
    """``(tag, value)`` for a MEDLINE tag line ("TI  - ...", "PMID- ..."), else ``None``."""
    if line[4:6] == "- " or (len(line) == 5 and line[4] == "-"):
        tag = line[:4].rstrip()
        if tag and tag.isascii() and tag.isalnum() and tag[0].isupper() and " " not in tag:
            return tag, line[6:].strip()
    match = _LOOSE_TAG.match(line)
    if match:
        return match.group(1), match.group(2).strip()
    return None


def parse(text: str, file: str) -> ImportResult:
    """Read MEDLINE text; malformed lines are listed, their records still imported."""
    result = ImportResult(file=file, format="medline", encoding="")
    records, skipped, notes = result.records, result.skipped, result.notes
    noise = LineSkips()
    fields: dict[str, list[str]] | None = None
    start = 0
    last: list[str] | None = None
    gap = 0  # line of a blank line seen inside a record, until the next tag decides

    def close() -> None:
        nonlocal fields
        assert fields is not None
        record = to_record(fields, start)
        reason = missing_reason(record)
        if reason:
            skipped.append(Skipped(start, f"record skipped: {reason}"))
        else:
            records.append(record)
        fields = None

    for number, line in enumerate(text.split("\n"), 1):
        if line[:6] == "      " or line[:1] == "\t":
            stripped = line.strip()
            if stripped:
                if last is not None:
                    last[-1] = f"{last[-1]} {stripped}" if last[-1] else stripped
                else:
                    noise.add(number, "an indented line outside any record, ignored")
            continue
        tag = line[:4].rstrip()
        if line[4:6] == "- " and tag.isalpha() and tag.isupper():
            value = line[6:].strip()
            if fields is not None and not gap and tag not in _STARTS:  # the common case
                values = fields.get(tag)
                if values is None:
                    values = fields[tag] = [value]
                else:
                    values.append(value)
                last = values
                continue
            pair: tuple[str, str] | None = (tag, value)
        elif not line or line.isspace():
            if fields is not None and not gap:
                gap = number  # the record ends here unless the next line continues it
            last = None
            continue
        else:
            pair = split_tag(line)
        if pair is None:
            reason = "not a MEDLINE line (expected 'TAG - value' or a 6-space continuation)"
            noise.add(number, reason + ", ignored")
            if fields is not None:
                notes.append(Skipped(start, f"record has an unreadable line at {number}"))
            continue
        tag, value = pair
        if fields is not None and gap:
            if tag in _STARTS or not ("PMID" in fields or "PMC" in fields):
                close()
            else:  # no PMID after the blank line: the blank line split one record
                notes.append(
                    Skipped(
                        gap,
                        "a blank line inside a record (the next tag is not PMID); "
                        "read as one record",
                    )
                )
        gap = 0
        if fields is not None and tag in _STARTS and tag in fields:
            close()
        if fields is None:
            fields, start = {}, number
        values = fields.get(tag)
        if values is None:
            values = fields[tag] = [value]
        else:
            values.append(value)
        last = values
    if fields is not None:
        close()
    noise.flush()
    skipped.extend(noise.entries)
    skipped.sort(key=lambda s: s.line)
    return result


def _get(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in fields.get(tag, ()):
            if value:
                return value
    return ""


def _ids(values: list[str], kind: str) -> list[str]:
    """Values of AID/LID marked ``[kind]`` ("10.1/x [doi]"), without the mark."""
    mark = f"[{kind}]"
    return [v[: -len(mark)].strip() for v in values if v.endswith(mark)]


def to_record(fields: dict[str, list[str]], line: int) -> Record:
    """Map MEDLINE tags to record columns."""
    full = fields.get("FAU", [])
    short = fields.get("AU", [])
    authors = full if len(full) >= len(short) else short
    pmid = _get(fields, "PMID")
    pmc = _get(fields, "PMC")
    doi = first_doi(_ids(fields.get("AID", []), "doi") + _ids(fields.get("LID", []), "doi"))
    issn, isbn = issn_isbn(fields.get("IS", []) + fields.get("ISBN", []))
    if pmid:
        urls = [f"https://pubmed.ncbi.nlm.nih.gov/{re.sub(r'[^0-9]', '', pmid)}/"]
    elif pmc:
        urls = [f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmc}/"]
    else:
        urls = []
    pages = _get(fields, "PG")
    if not pages:
        pages = ", ".join(_ids(fields.get("LID", []), "pii"))
    return make_record(
        line=line,
        title=_get(fields, "TI", "BTI", "VTI", "TT"),
        authors=authors or fields.get("CN", []),
        year=_get(fields, "DP", "DEP", "DA", "EDAT"),
        journal=_get(fields, "JT", "TA", "BTI"),
        volume=_get(fields, "VI"),
        issue=_get(fields, "IP"),
        pages=pages,
        doi=doi,
        abstract=_get(fields, "AB", "OAB"),
        keywords=fields.get("OT", []) + fields.get("MH", []),
        urls=urls,
        issn=issn,
        isbn=isbn,
        language=_get(fields, "LA"),
        type=record_type(*fields.get("PT", [])),
        pmid=pmid,
        accession_number=pmc if not pmid else "",
    )
