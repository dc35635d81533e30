"""Writing records back out as RIS, MEDLINE, Web of Science plain text and BibTeX.

Used by the round-trip property tests and by the benchmark's generator, and handy for
handing a record set to a reference manager. Each writer takes records in the record
columns and returns text that the matching reader turns back into the same records.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping

from prismake.records import MULTI_SEPARATOR, normalise_author

_RIS_TYPE = {
    "article": "JOUR",
    "review": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "conference": "CPAPER",
    "thesis": "THES",
    "report": "RPRT",
    "dataset": "DATA",
    "web page": "ELEC",
    "abstract": "ABST",
}
_MEDLINE_TYPE = {
    "article": "Journal Article",
    "review": "Review",
    "letter": "Letter",
    "editorial": "Editorial",
    "book": "Book",
}
_WOS_TYPE = {
    "article": "Article",
    "review": "Review",
    "conference": "Proceedings Paper",
    "editorial": "Editorial Material",
    "letter": "Letter",
    "book": "Book",
}
_BIBTEX_TYPE = {
    "article": "article",
    "book": "book",
    "chapter": "incollection",
    "conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
}

Rec = Mapping[str, object]


def _s(record: Rec, name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _multi(record: Rec, name: str) -> list[str]:
    text = _s(record, name)
    return [p.strip() for p in text.split(";") if p.strip()] if text else []


def _pages(record: Rec) -> tuple[str, str]:
    pages = _s(record, "pages")
    if "-" in pages:
        start, _, end = pages.partition("-")
        return start.strip(), end.strip()
    return pages, ""


def write_ris(records: Iterable[Rec]) -> str:
    """RIS text: one ``TY`` ... ``ER`` block per record, CRLF-free, repeated tags."""
    out: list[str] = []
    add = out.append
    for r in records:
        add(f"TY  - {_RIS_TYPE.get(_s(r, 'type'), 'JOUR')}")
        for tag, name in (("TI", "title"), ("PY", "year"), ("T2", "journal")):
            if value := _s(r, name):
                add(f"{tag}  - {value}")
        for author in _multi(r, "authors"):
            add(f"AU  - {author}")
        for tag, name in (("VL", "volume"), ("IS", "issue")):
            if value := _s(r, name):
                add(f"{tag}  - {value}")
        start, end = _pages(r)
        if start:
            add(f"SP  - {start}")
        if end:
            add(f"EP  - {end}")
        for tag, name in (("DO", "doi"), ("AB", "abstract"), ("LA", "language")):
            if value := _s(r, name):
                add(f"{tag}  - {value}")
        for keyword in _multi(r, "keywords"):
            add(f"KW  - {keyword}")
        for url in _multi(r, "url"):
            add(f"UR  - {url}")
        for number in _multi(r, "issn") + _multi(r, "isbn"):
            add(f"SN  - {number}")
        if value := _s(r, "pmid"):
            add(f"AN  - {value}")
            add("DB  - PubMed")
        add("ER  - ")
        add("")
    return "\n".join(out) + ("\n" if out else "")


def _wrap(tag: str, value: str, indent: int, width: int = 88) -> list[str]:
    """A long value over several lines, continuation lines indented (MEDLINE, WoS)."""
    pad = " " * indent
    lines = textwrap.wrap(
        value, width - indent, break_long_words=False, break_on_hyphens=False
    ) or [""]
    return [f"{tag}{lines[0]}"] + [f"{pad}{line}" for line in lines[1:]]


def write_medline(records: Iterable[Rec]) -> str:
    """PubMed MEDLINE text: ``PMID-`` first, 6-space continuation lines, blank separators."""
    out: list[str] = []
    for number, r in enumerate(records, 1):
        pmid = _s(r, "pmid") or str(90_000_000 + number)
        out.append(f"PMID- {pmid}")
        for tag, name in (("IS  - ", "issn"), ("IS  - ", "isbn")):
            out += [f"{tag}{v}" for v in _multi(r, name)]
        for tag, name in (("VI  - ", "volume"), ("IP  - ", "issue"), ("DP  - ", "year")):
            if value := _s(r, name):
                out.append(f"{tag}{value}")
        if value := _s(r, "title"):
            out += _wrap("TI  - ", value, 6)
        if value := _s(r, "pages"):
            out.append(f"PG  - {value}")
        if value := _s(r, "doi"):
            out.append(f"LID - {value} [doi]")
        if value := _s(r, "abstract"):
            out += _wrap("AB  - ", value, 6)
        for author in _multi(r, "authors"):
            out.append(f"FAU - {author}")
            out.append(f"AU  - {normalise_author(author) or author}")
        if value := _s(r, "language"):
            out.append(f"LA  - {value}")
        out.append(f"PT  - {_MEDLINE_TYPE.get(_s(r, 'type'), 'Journal Article')}")
        if value := _s(r, "journal"):
            out.append(f"JT  - {value}")
        out += [f"OT  - {k}" for k in _multi(r, "keywords")]
        if value := _s(r, "doi"):
            out.append(f"AID - {value} [doi]")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def write_wos(records: Iterable[Rec]) -> str:
    """Web of Science plain text: ``FN``/``VR`` header, ``PT`` ... ``ER`` blocks, ``EF``."""
    out = ["FN Clarivate Web of Science", "VR 1.0"]
    for r in records:
        out.append("PT J")
        authors = _multi(r, "authors")
        if authors:
            short = [normalise_author(a) or a for a in authors]
            out += [f"AU {short[0]}"] + [f"   {a}" for a in short[1:]]
            out += [f"AF {authors[0]}"] + [f"   {a}" for a in authors[1:]]
        if value := _s(r, "title"):
            out += _wrap("TI ", value, 3)
        if value := _s(r, "journal"):
            out += _wrap("SO ", value, 3)
        if value := _s(r, "language"):
            out.append(f"LA {value}")
        out.append(f"DT {_WOS_TYPE.get(_s(r, 'type'), 'Article')}")
        if keywords := _multi(r, "keywords"):
            out += _wrap("DE ", "; ".join(keywords), 3)
        if value := _s(r, "abstract"):
            out += _wrap("AB ", value, 3)
        for tag, name in (("SN ", "issn"), ("BN ", "isbn")):
            if value := _s(r, name):
                out.append(f"{tag}{value}")
        for tag, name in (("PY ", "year"), ("VL ", "volume"), ("IS ", "issue")):
            if value := _s(r, name):
                out.append(f"{tag}{value}")
        start, end = _pages(r)
        if start:
            out.append(f"BP {start}")
        if end:
            out.append(f"EP {end}")
        if value := _s(r, "doi"):
            out.append(f"DI {value}")
        if value := _s(r, "pmid"):
            out.append(f"PM {value}")
        if value := _s(r, "wos_id"):
            out.append(f"UT {value}")
        out.append("ER")
        out.append("")
    out.append("EF")
    return "\n".join(out) + "\n"


_BIB_SPECIAL = re.compile(r"([&%$#_{}\\~^])")
_BIB_ESCAPE = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "\\": r"\textbackslash{}",
    "~": r"\~{}",
    "^": r"\^{}",
}


def _bib(value: str) -> str:
    value = _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPE[m.group(1)], value)
    return value.replace("--", "-{}-")


def write_bibtex(records: Iterable[Rec]) -> str:
    """BibTeX entries with LaTeX-escaped values; keys ``rec1``, ``rec2`` ... in order."""
    out: list[str] = []
    for number, r in enumerate(records, 1):
        kind = _BIBTEX_TYPE.get(_s(r, "type"), "article")
        out.append(f"@{kind}{{rec{number},")
        names = []
        for author in _multi(r, "authors"):
            escaped = _bib(author)
            names.append(f"{{{escaped}}}" if " and " in author.lower() else escaped)
        fields = [
            ("title", _bib(_s(r, "title"))),
            ("author", " and ".join(names)),
            ("year", _bib(_s(r, "year"))),
            ("journal", _bib(_s(r, "journal"))),
            ("volume", _bib(_s(r, "volume"))),
            ("number", _bib(_s(r, "issue"))),
            ("pages", _bib(_s(r, "pages"))),
            ("doi", _bib(_s(r, "doi"))),
            ("abstract", _bib(_s(r, "abstract"))),
            ("keywords", _bib(MULTI_SEPARATOR.join(_multi(r, "keywords")))),
            ("url", _bib(" ".join(_multi(r, "url")))),
            ("issn", _bib(_s(r, "issn"))),
            ("isbn", _bib(_s(r, "isbn"))),
            ("language", _bib(_s(r, "language"))),
            ("pmid", _bib(_s(r, "pmid"))),
        ]
        out += [f"  {name} = {{{value}}}," for name, value in fields if value]
        out.append("}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


WRITERS = {"ris": write_ris, "medline": write_medline, "wos": write_wos, "bibtex": write_bibtex}
