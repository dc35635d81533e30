"""ProQuest's plain-text download ("Report Information from ProQuest", TXT format).

Documents sit between rules of underscores; each opens with ``Document N of M`` and
its title on a line of its own, then ``Label: value`` paragraphs (``Author:``,
``Publication title:``, ``DOI:`` ...). A value may run over several lines and, for
``Abstract:`` and ``Full text:``, over several paragraphs: a line that starts no known
label continues the value above. The header (report date, table of contents) and the
footer (contact, copyright) are outside any document.
"""

from __future__ import annotations

import re

from prismake.importers.count import PROQUEST_DOCUMENT
from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    join_pages,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, LineSkips, Record, Skipped

_RULE = re.compile(r"_{20,}\s*$")
_DOCUMENT = re.compile(PROQUEST_DOCUMENT.pattern)  # the same rule as the count
# the labels ProQuest writes (English interface); others are read as continuations
LABELS = frozenset(
    s.lower()
    for s in (
        "Title",
        "Author",
        "Authors",
        "Editor",
        "Advisor",
        "Publication info",
        "Abstract",
        "Links",
        "Full text",
        "Subject",
        "Subjects",
        "MeSH subject",
        "Identifier / keyword",
        "Keywords",
        "Classification",
        "Location",
        "Company / organization",
        "Publication title",
        "Volume",
        "Issue",
        "Pages",
        "First page",
        "Number of pages",
        "Publication year",
        "Publication date",
        "Year",
        "Section",
        "Publisher",
        "Place of publication",
        "Country of publication",
        "Publication subject",
        "ISSN",
        "e-ISSN",
        "eISSN",
        "ISBN",
        "Source type",
        "Language of publication",
        "Language",
        "Document type",
        "Document feature",
        "DOI",
        "PubMed ID",
        "PMID",
        "ProQuest document ID",
        "Document URL",
        "Copyright",
        "Last updated",
        "First available",
        "Database",
        "Accession number",
        "Author e-mail address",
        "Affiliation",
        "University/institution",
        "School code",
        "Degree",
        "Department",
        "Source",
        "Update",
        "Population",
        "Methodology",
        "Notes",
        "Journal subset",
        "Peer reviewed",
        "Conference title",
        "Conference date",
        "Sponsor",
        "Credit",
        "Dateline",
        "Illustration",
        "Series",
        "Edition",
        "Other title",
    )
)
_LABEL = re.compile(r"^([A-Z][A-Za-z0-9 /()&.-]{0,40}?): ?(.*)$")


def parse(text: str, file: str) -> ImportResult:
    """Read a ProQuest plain-text report; the header and footer are listed as ignored."""
    result = ImportResult(file=file, format="proquest_text", encoding="")
    outside = LineSkips()
    fields: dict[str, list[str]] | None = None
    last: list[str] | None = None
    start = 0
    need_title = False  # the line after "Document N of M" is the document's title

    def close() -> None:
        assert fields is not None
        record = to_record(fields, f"{file}:{start}")
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(start, f"document skipped: {reason}"))
        else:
            result.records.append(record)

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if _DOCUMENT.match(raw):
            if fields is not None:
                close()
            fields, last, start, need_title = {}, None, number, True
            continue
        if _RULE.match(line):
            if fields is not None:
                close()
            fields, last = None, None
            continue
        if not line:
            continue
        if fields is None:
            outside.add(number, "report header or footer (outside any document), ignored")
            continue
        match = _LABEL.match(line)
        if match and match.group(1).lower() in LABELS:
            need_title = False
            last = fields.setdefault(match.group(1).lower(), [])
            last.append(match.group(2).strip())
        elif need_title:
            fields.setdefault("heading", []).append(line)
            need_title = False
        elif last is not None:  # a value over several lines or paragraphs
            last[-1] = f"{last[-1]} {line}" if last[-1] else line
        else:
            outside.add(number, "a line before any 'Label: value' line, ignored")
    if fields is not None:
        close()
    return outside.merge_into(result)


def _first(fields: dict[str, list[str]], *labels: str) -> str:
    for label in labels:
        for value in fields.get(label, ()):
            if value:
                return value
    return ""


_INFO = re.compile(r"^(?P<journal>[^;(]+?)\s+(?P<volume>[\w-]+)?(?:\.(?P<issue>[\w-]+))?\s*\(")
_INFO_PAGES = re.compile(r"\):\s*([\w-]+(?:-[\w-]+)?)")


def _split_names(value: str) -> list[str]:
    return [name.strip() for name in value.split(";") if name.strip()]


def to_record(fields: dict[str, list[str]], source: str) -> Record:
    """Map ProQuest labels to record columns.

    ``Publication info`` ("Evidence & Policy 17.2 (2021): 201-219.") fills volume, issue
    and pages when the labelled fields are missing; the title heading is the fallback
    for a document with no ``Title:`` line.
    """
    info = _first(fields, "publication info")
    volume, issue, pages = _first(fields, "volume"), _first(fields, "issue"), ""
    match = _INFO.match(info)
    if match and not volume:
        volume, issue = match.group("volume") or "", issue or match.group("issue") or ""
    found = _INFO_PAGES.search(info)
    pages = _first(fields, "pages") or (found.group(1) if found else "")
    pages = join_pages(pages or _first(fields, "first page"))
    issn, isbn = issn_isbn(
        [v for label in ("issn", "e-issn", "eissn", "isbn") for v in fields.get(label, ())]
    )
    keywords = [
        k
        for label in ("subject", "subjects", "mesh subject", "identifier / keyword", "keywords")
        for value in fields.get(label, ())
        for k in re.split(r"\s*[;,]\s*", value)
    ]
    document_id = _first(fields, "proquest document id")
    url = _first(fields, "document url")
    pmid = _first(fields, "pubmed id", "pmid")
    return make_record(
        source=source,
        title=_first(fields, "title", "heading"),
        authors=[
            n
            for value in fields.get("author", []) + fields.get("authors", [])
            for n in _split_names(value)
        ],
        year=_first(fields, "publication year", "year", "publication date"),
        journal=_first(fields, "publication title", "source")
        or (match.group("journal") if match else ""),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=first_doi(fields.get("doi", [])),
        abstract=_first(fields, "abstract"),
        keywords=keywords,
        urls=[url] if url else [],
        issn=issn,
        isbn=isbn,
        language=_first(fields, "language of publication", "language"),
        type=record_type(_first(fields, "document type"), _first(fields, "source type")),
        pmid=pmid,
        publisher=_first(fields, "publisher", "university/institution"),
        address=_first(fields, "place of publication"),
        accession_number=document_id or _first(fields, "accession number"),
    )
