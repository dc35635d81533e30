"""EndNote tagged / refer format (``.enw``: ``%0 Journal Article``, ``%T``, ``%A`` ...).

Records are separated by blank lines; ``%0`` (type) is usually first but not always
(AIS eLibrary puts ``%T`` first and table-of-contents records have no ``%0`` at all).
Untagged lines continue the previous field.
"""

from __future__ import annotations

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

    for number, line in enumerate(text.split("\n"), 1):
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
