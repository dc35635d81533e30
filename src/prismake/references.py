"""The included studies as BibTeX and RIS, for the authors' reference manager.

Each reference carries the study's citation label (the label the tables and figures use):
as the BibTeX key made key-safe ("Smith et al. (2019a)" -> ``SmithEtAl2019a``) and in a
``citationlabel`` field; as the RIS ``ID`` (same key) and ``LB`` (the label itself).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field

from prismake.csvio import read_table
from prismake.extraction.citations import citation_keys
from prismake.records import split_authors
from prismake.tableformats import latex_escape

# (words in the record's type column, BibTeX entry type, RIS type); first match wins
_TYPES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("chap", "section", "incollection", "inbook"), "incollection", "CHAP"),
    (("conf", "proceed", "cpaper", "meeting"), "inproceedings", "CPAPER"),
    (("thes", "dissert"), "phdthesis", "THES"),
    (("rprt", "report", "grey", "gray"), "techreport", "RPRT"),
    (("book",), "book", "BOOK"),
    (("jour", "article", "review", "jfull", "letter", "editorial"), "article", "JOUR"),
)
# where the journal column goes for each BibTeX type
_CONTAINER = {
    "article": "journal",
    "incollection": "booktitle",
    "inproceedings": "booktitle",
    "techreport": "institution",
    "phdthesis": "school",
    "book": "publisher",
    "misc": "howpublished",
}


def reference_type(record_type: str, journal: str) -> tuple[str, str]:
    """(BibTeX type, RIS type) for a record's ``type`` ("JOUR", "Journal Article", ...)."""
    word = record_type.casefold()
    for needles, bibtex_type, ris_type in _TYPES:
        if any(n in word for n in needles):
            return bibtex_type, ris_type
    if not word and journal:
        return "article", "JOUR"
    return "misc", "GEN"


def _pages(pages: str) -> tuple[str, str]:
    start, _, end = re.sub(r"\s*[-–—]+\s*", "-", pages.strip()).partition("-")
    return start, end


def bibtex_entry(study: Mapping[str, str], key: str) -> Entry:
    """One BibTeX entry; text is LaTeX-escaped, DOI and URL are kept verbatim."""
    entry_type, _ = reference_type(study.get("type", ""), study.get("journal", ""))
    start, end = _pages(study.get("pages", ""))
    text_fields = {
        "author": " and ".join(split_authors(study.get("authors", ""))),
        "title": study.get("title", ""),
        "year": study.get("year", ""),
        _CONTAINER[entry_type]: study.get("journal", ""),
        "volume": study.get("volume", ""),
        "number": study.get("issue", ""),
        "pages": f"{start}--{end}" if end else start,
        "language": study.get("language", ""),
        "keywords": ", ".join(k.strip() for k in study.get("keywords", "").split(";") if k.strip()),
        "citationlabel": study.get("citation_label", ""),
    }
    fields = [Field(name, latex_escape(value)) for name, value in text_fields.items() if value]
    for name in ("doi", "url"):
        value = study.get(name, "")
        if value and not re.search(r"[{}\s]", value):
            fields.append(Field(name, value))
    return Entry(entry_type, key, fields)


def ris_entry(study: Mapping[str, str], key: str) -> dict[str, object]:
    """One RIS reference as rispy writes it; ID is the BibTeX key, LB the citation label."""
    _, ris_type = reference_type(study.get("type", ""), study.get("journal", ""))
    start, end = _pages(study.get("pages", ""))
    reference: dict[str, object] = {
        "type_of_reference": ris_type,
        "id": key,
        "label": study.get("citation_label", ""),
        "authors": split_authors(study.get("authors", "")),
        "title": study.get("title", ""),
        "year": study.get("year", ""),
        "secondary_title": study.get("journal", ""),
        "volume": study.get("volume", ""),
        "number": study.get("issue", ""),
        "start_page": start,
        "end_page": end,
        "doi": study.get("doi", ""),
        "urls": [study["url"]] if study.get("url") else [],
        "abstract": study.get("abstract", ""),
        "keywords": [k.strip() for k in study.get("keywords", "").split(";") if k.strip()],
        "language": study.get("language", ""),
    }
    return {name: _one_line(value) for name, value in reference.items() if value}


def _one_line(value: object) -> object:
    """RIS is line-based: a newline inside a value would start a bogus tag."""
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    return re.sub(r"\s*[\r\n]+\s*", " ", value) if isinstance(value, str) else value


class _RisWriter(rispy.RisWriter):
    """rispy's RIS writer without the "1." line it puts before each reference."""

    def set_header(self, count: int) -> str:
        return ""


def write_included_references(
    *, included_path: str | os.PathLike, bib_out: str | os.PathLike, ris_out: str | os.PathLike
) -> None:
    """Write results/included.bib and results/included.ris in citation-label order."""
    included = read_table(included_path, neutralised=True)
    studies = included.to_dict("records")
    keys = citation_keys({s["study_id"]: s.get("citation_label", "") for s in studies})
    library = bibtexparser.Library()
    for study in studies:
        library.add(bibtex_entry(study, keys[study["study_id"]]))
    bib_text = bibtexparser.write_string(library) if studies else ""
    references = [ris_entry(s, keys[s["study_id"]]) for s in studies]
    ris_text = rispy.dumps(references, implementation=_RisWriter)
    for path, text in ((bib_out, bib_text), (ris_out, ris_text)):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8", newline="\n")
