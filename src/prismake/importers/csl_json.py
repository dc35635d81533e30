"""CSL-JSON, the citation format of Zotero, Mendeley, pandoc, Crossref and many tools.

A JSON array of items: ``title``, ``author`` (``family``/``given``, or ``literal`` for
a group), ``issued`` (``date-parts`` or a ``raw``/``literal`` date), ``container-title``,
``volume``, ``issue``, ``page``, ``DOI``, ``ISSN``, ``PMID``, ``type``. Values that
should be text are sometimes lists or numbers (Crossref writes ``"title": ["..."]``):
the first text is used.
"""

from __future__ import annotations

import json
import re

from prismake.errors import ImportFileError
from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    join_pages,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, Record, Skipped

# CSL item types in the reviewer's words (the rest go through record_type)
_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "conference",
    "chapter": "chapter",
    "book": "book",
    "thesis": "thesis",
    "report": "report",
    "webpage": "web page",
    "post-weblog": "web page",
    "dataset": "dataset",
    "review": "review",
    "review-book": "review",
    "entry-encyclopedia": "chapter",
}


def _str(value: object) -> str:
    """Text of a CSL value: a string, a number, or the first of a list."""
    if isinstance(value, list):
        return next((s for s in map(_str, value) if s), "")
    if value is None or isinstance(value, (dict, bool)):
        return ""
    return str(value)


def _authors(people: object) -> tuple[list[str], list[str]]:
    """Names as "Family, Given" (``literal`` names are groups), and the group names."""
    names, groups = [], []
    for person in people if isinstance(people, list) else ():
        if not isinstance(person, dict):
            continue
        literal = _str(person.get("literal"))
        family = " ".join(
            p for p in (_str(person.get("non-dropping-particle")), _str(person.get("family"))) if p
        )
        given = _str(person.get("given"))
        if family:
            names.append(f"{family}, {given}" if given else family)
        elif literal:
            names.append(literal)
            groups.append(literal)
    return names, groups


def _year(date: object) -> str:
    """Year of a CSL date: ``{"date-parts": [[2019, 5]]}``, or ``raw``/``literal`` text."""
    if isinstance(date, dict):
        parts = date.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return _str(parts[0][0])
        return _str(date.get("raw")) or _str(date.get("literal")) or _str(date.get("season"))
    return _str(date)


def parse(text: str, file: str) -> ImportResult:
    """Read a CSL-JSON array; an entry that is not an object is listed as skipped."""
    result = ImportResult(file=file, format="csl_json", encoding="")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            file,
            f"it is not valid JSON ({error.msg})",
            line=error.lineno,
            hint="Export the items again as CSL JSON.",
        ) from None
    if isinstance(data, dict):
        data = next(
            (data[k] for k in ("items", "results", "records") if isinstance(data.get(k), list)),
            [data],
        )
    if not isinstance(data, list):
        raise ImportFileError(file, "the JSON is not a list of items")
    starts = _item_lines(text)
    for index, item in enumerate(data):
        line = starts[index] if len(starts) == len(data) else 1
        if not isinstance(item, dict):
            result.skipped.append(Skipped(line, f"entry {index + 1} is not a JSON object"))
            continue
        record = to_record(item, f"{file}:{line}")
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(line, f"entry {index + 1} skipped: {reason}"))
        else:
            result.records.append(record)
    return result


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _item_lines(text: str) -> list[int]:
    """The line each top-level array element starts on (strings skipped whole)."""
    lines: list[int] = []
    depth, line, pos = 0, 1, 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token[0] == '"':
            continue
        if token in "[{":
            if depth == 1:
                line += text.count("\n", pos, match.start())
                pos = match.start()
                lines.append(line)
            depth += 1
        else:
            depth -= 1
    return lines


def to_record(item: dict, source: str) -> Record:
    """Map CSL variables to record columns."""
    authors, groups = _authors(item.get("author"))
    if not authors:
        authors, groups = _authors(item.get("editor"))
    issn, _ = issn_isbn([_str(item.get("ISSN"))])
    _, isbn = issn_isbn([_str(item.get("ISBN"))])
    page = _str(item.get("page")).replace("\u2013", "-")
    keywords = _str(item.get("keyword"))
    url = _str(item.get("URL"))
    kind = _str(item.get("type"))
    return make_record(
        source=source,
        title=_str(item.get("title")),
        authors=authors,
        corporate=groups,
        year=_year(item.get("issued")) or _year(item.get("published-print")),
        journal=_str(item.get("container-title")) or _str(item.get("container-title-short")),
        volume=_str(item.get("volume")),
        issue=_str(item.get("issue")),
        pages=join_pages(page) or _str(item.get("number")),
        doi=first_doi([_str(item.get("DOI")), url]),
        abstract=_str(item.get("abstract")),
        keywords=[k for k in (p.strip() for p in keywords.replace(";", ",").split(",")) if k],
        urls=[url] if url else [],
        issn=issn,
        isbn=isbn,
        language=_str(item.get("language")),
        type=_TYPES.get(kind.lower()) or record_type(kind),
        pmid=_str(item.get("PMID")),
        publisher=_str(item.get("publisher")),
        address=_str(item.get("publisher-place")),
        accession_number=_str(item.get("PMCID")) if not item.get("PMID") else "",
    )
