"""Publish or Perish JSON (Google Scholar, Crossref ... searches run through PoP).

A JSON array of objects. Google Scholar truncates titles and sources with "…" and gives
authors as initials ("W Guo"); we keep them as written and let dedupe match loosely.
"""

from __future__ import annotations

import json

from prismake.errors import ImportFileError
from prismake.importers.normalise import first_doi, make_record, missing_reason, record_type
from prismake.importers.result import ImportResult, Skipped


def _str(value: object) -> str:
    if value is None or value == 0:
        return ""
    return str(value)


def parse(text: str, file: str) -> ImportResult:
    """Read a PoP JSON array; an entry that is not an object is listed as skipped."""
    result = ImportResult(file=file, format="pop_json", encoding="")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            file,
            f"it is not valid JSON ({error.msg})",
            line=error.lineno,
            hint="Save the results from Publish or Perish again as JSON.",
        ) from None
    if isinstance(data, dict):
        data = data.get("results") or data.get("records") or [data]
    if not isinstance(data, list):
        raise ImportFileError(file, "the JSON is not a list of records")
    starts = [i + 1 for i, line in enumerate(text.split("\n")) if line.strip() in ("{", "{,")]
    for index, item in enumerate(data):
        line = starts[index] if len(starts) == len(data) else index + 1
        if not isinstance(item, dict):
            result.skipped.append(Skipped(line, f"entry {index + 1} is not a JSON object"))
            continue
        authors = item.get("authors") or []
        if isinstance(authors, str):
            authors = [a for a in authors.split(",") if a.strip()]
        start, end = _str(item.get("startpage")), _str(item.get("endpage"))
        record = make_record(
            source=f"{file}:{line}",
            title=_str(item.get("title")),
            authors=[str(a) for a in authors],
            year=_str(item.get("year")),
            journal=_str(item.get("source")),
            volume=_str(item.get("volume")),
            issue=_str(item.get("issue")),
            pages=f"{start}-{end}" if start and end else start,
            doi=first_doi([_str(item.get("doi")), _str(item.get("article_url"))]),
            abstract=_str(item.get("abstract")),
            urls=[_str(item.get("article_url"))],
            issn=_str(item.get("issn")),
            type=record_type(_str(item.get("type"))),
            database_id=_str(item.get("uid")),
        )
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(line, f"entry skipped: {reason}"))
        else:
            result.records.append(record)
    return result
