"""EndNote XML (``<xml><records><record>...``), parsed with defusedxml.

defusedxml refuses entity expansion and external entities, so an export cannot make the
pipeline read local files or blow up memory. Field text is spread over ``<style>`` runs
(bold, italic); we join the runs. A DOI field may hold two DOIs separated by a carriage
return: the first is used.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from prismake.importers.normalise import (
    clean,
    first_doi,
    issn_isbn,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, Skipped
from prismake.importers.xmlio import xml_root


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _all(record: ET.Element, path: str) -> list[str]:
    return [t for t in (_text(e) for e in record.iterfind(path)) if t.strip()]


def parse(text: str, file: str) -> ImportResult:
    """Read EndNote XML; a file that is not well-formed XML cannot be imported."""
    result = ImportResult(file=file, format="endnote_xml", encoding="")
    root = xml_root(
        text,
        file,
        "Export the library again from EndNote (File > Export > XML).",
    )
    # ElementTree keeps no line numbers: find where each <record> starts in the text.
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<record[\s>]", text)]
    for number, record in enumerate(root.iter("record"), 1):
        line = starts[number - 1] if number <= len(starts) else 1
        ref_type = record.find("ref-type")
        type_name = ref_type.get("name", "") if ref_type is not None else ""
        urls = _all(record, "urls/related-urls/url") + _all(record, "urls/web-urls/url")
        issn, isbn = issn_isbn(_all(record, "isbn"))
        dois = [p for v in _all(record, "electronic-resource-num") for p in v.split("\r")]
        rec = make_record(
            source=f"{file}:{line}",
            title=_text(record.find("titles/title")),
            authors=_all(record, "contributors/authors/author"),
            year=_text(record.find("dates/year")) or _text(record.find("dates/pub-dates/date")),
            journal=_text(record.find("titles/secondary-title"))
            or _text(record.find("periodical/full-title")),
            volume=_text(record.find("volume")),
            issue=_text(record.find("number")),
            pages=_text(record.find("pages")),
            doi=first_doi(dois),
            abstract=_text(record.find("abstract")),
            keywords=_all(record, "keywords/keyword"),
            urls=urls,
            issn=issn,
            isbn=isbn,
            language=_text(record.find("language")),
            type=record_type(type_name),
            pmid="",
            accession_number=clean(_text(record.find("accession-num"))),
            database_id=clean(_text(record.find("rec-number"))),
        )
        reason = missing_reason(rec)
        if reason:
            result.skipped.append(Skipped(line, f"record {number} skipped: {reason}"))
        else:
            result.records.append(rec)
    return result
