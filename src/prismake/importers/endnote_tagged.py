"""EndNote tagged / refer format (``.enw``: ``%0 Journal Article``, ``%T``, ``%A`` ...).

Records are separated by blank lines; ``%0`` (type) is usually first but not always
(AIS eLibrary puts ``%T`` first and table-of-contents records have no ``%0`` at all).
Untagged lines continue the previous field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, LineSkips, Skipped


def parse(text: str, file: str) -> ImportResult:
    """Read EndNote tagged text; unreadable lines are listed."""
    result = ImportResult(file=file, format="endnote_tagged", encoding="")
    noise = LineSkips()
    fields: dict[str, list[str]] | None = None
    start = 0
    last: list[str] | None = None

    def close() -> None:
        nonlocal fields
        assert fields is not None
        record = _record(fields, f"{file}:{start}")
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(start, f"record skipped: {reason}"))
        else:
            result.records.append(record)
        fields = None

    for number, line, glued in _lines(text):
        if glued:  # "...last value%T Next title": a new record, whatever came before
            result.notes.append(Skipped(number, GLUED_NOTE))
            if fields is not None:
                close()
                last = None
        if not line.strip():
            if fields is not None:
                close()
                last = None
            continue
        if len(line) >= 2 and line[0] == "%" and (len(line) == 2 or line[2] == " "):
            tag, value = line[1], line[3:].strip()
            if fields is None:
                fields, start = {}, number
            elif tag == "0" and "0" in fields:
                close()
                fields, start = {}, number
            values = fields.setdefault(tag, [])
            values.append(value)
            last = values
        elif last is not None:
            last[-1] = f"{last[-1]} {line.strip()}"
        else:
            noise.add(number, "not an EndNote tagged line ('%X value'), ignored")
    if fields is not None:
        close()
    noise.merge_into(result)
    return result


# "...last value%T Next title": a tag glued to the end of a tag line is a record's first
# line glued to the last line of the record before, as ``cat`` joins two exports when the
# first lacks a final line break (count.py counts these starts the same way)
GLUED_TAG = re.compile(r"(?<=\S)%[0-9A-Z@] (?=\S)")
GLUED_NOTE = (
    "a record's first line is glued to the end of the line before it (files joined "
    "without a line break between them?): read as the start of a new record"
)


def _lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """``(line number, line, glued)``; a tag line with a tag glued on is given as two."""
    for number, line in enumerate(text.split("\n"), 1):
        glued = GLUED_TAG.search(line, 3) if line[:1] == "%" and "%" in line[3:] else None
        if glued is None:
            yield number, line, False
        else:
            yield number, line[: glued.start()], False
            yield number, line[glued.start() :], True


def _record(fields: dict[str, list[str]], source: str):
    def get(*tags: str) -> str:
        for tag in tags:
            for value in fields.get(tag, ()):
                if value:
                    return value
        return ""

    issn, isbn = issn_isbn(fields.get("@", []))
    return make_record(
        source=source,
        title=get("T"),
        authors=fields.get("A", []) or fields.get("E", []),
        year=get("D", "8"),
        journal=get("J", "B"),
        volume=get("V"),
        issue=get("N"),
        pages=get("P"),
        doi=first_doi(fields.get("R", [])),
        abstract=get("X"),
        keywords=[k for v in fields.get("K", []) for k in v.split(";")],
        urls=fields.get("U", []),
        issn=issn,
        isbn=isbn,
        language=get("G"),
        type=record_type(get("0")),
        accession_number=get("M"),
    )
