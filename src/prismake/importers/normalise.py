"""From the fields one export gives to the record columns every stage reads.

Each parser collects a format's own fields; ``make_record`` is the one place where titles
lose HTML, DOIs become bare and lower case, authors are kept as written *and* normalised,
years and pages are put in one shape, and ISSNs are told apart from ISBNs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from prismake.doi import doi_as_before, is_canonical, normalise_doi
from prismake.importers.result import Record
from prismake.records import MULTI_SEPARATOR, normalise_author

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_NO_PAGES = re.compile(r"(?i)^\s*no\s*-?\s*(pagination)?(\s*-?\s*specified)?\s*$")
_N = ("n", "N")

_NOT_DIGIT = re.compile(r"\D")
ISSN = re.compile(r"\d{4}-\d{3}[\dX]$")  # an ISSN as issn_isbn writes it


def clean(text: object) -> str:
    """Text on one line: runs of whitespace (newlines, tabs, NBSP) become one space."""
    if not text:
        return ""
    s = text if type(text) is str else str(text)
    if "  " in s or "\n" in s or "\t" in s or "\u00a0" in s:
        s = _SPACE.sub(" ", s.replace("\u00a0", " "))
    return s.strip()


_TWO_SPACES = re.compile("  ")


def _uneven(text: str) -> bool:
    """Whether ``clean`` would do more to ``text`` than strip its ends."""
    if "\n" in text or "\t" in text or "\u00a0" in text:
        return True
    # in a long text of words, the regex engine finds (or rules out) two spaces in a row
    # ~40% faster than ``in``, which stops at every single space
    return "  " in text if len(text) < 200 else _TWO_SPACES.search(text) is not None


def strip_html(text: str) -> str:
    """Titles from Zotero, PubMed and Lens carry ``<i>``, ``<sup>`` and ``&amp;``.

    Entities are decoded first and tags removed after, so markup written as entities
    (``&lt;script&gt;``) is removed too instead of becoming a real tag in the title.
    """
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub("", text)
    return clean(text)


def year_of(text: object) -> str:
    """The first plausible four-digit year in a date field ("2019//", "2019 Jan 5")."""
    if not text:
        return ""
    if type(text) is str and len(text) == 4 and text.isdigit() and text[0] in "12":
        return text if "1500" <= text <= "2099" else ""
    match = _YEAR.search(str(text))
    return match.group(1) if match else ""


def join_pages(start: str, end: str = "") -> str:
    """``start-end``, or what there is; Ovid's "No Pagination Specified" becomes empty."""
    start, end = clean(start), clean(end)
    if (start[:1] in _N or (not start and end[:1] in _N)) and (
        _NO_PAGES.match(f"{start} {end}") or _NO_PAGES.match(start)
    ):  # only text starting "no" can say "no pagination"
        return ""
    if start and end and end != start and "-" not in start:
        return f"{start}-{end}"
    return start or end


def first_doi(candidates: Iterable[object]) -> str:
    """The first candidate that holds a DOI, as written (``make_record`` normalises it
    and keeps the earlier reading where it differs, for record ids)."""
    for value in candidates:
        if value and ((type(value) is str and is_canonical(value)) or normalise_doi(value)):
            return value if isinstance(value, str) else str(value)
    return ""


def issn_isbn(values: Iterable[str]) -> tuple[str, str]:
    """Split standard numbers into ISSNs and ISBNs (RIS ``SN`` holds either)."""
    issn: list[str] = []
    isbn: list[str] = []
    for value in values:
        if not value:  # (BibTeX asks for eissn and isbn, mostly absent)
            continue
        if ISSN.match(value):  # the common case, already in shape
            if value not in issn:
                issn.append(value)
            continue
        for part in re.split(r"[;,\s]+(?=[\dXx(])|\s*[;,]\s*", value or ""):
            digits = re.sub(r"[^0-9Xx]", "", re.sub(r"\(.*?\)", "", part)).upper()
            if len(digits) == 8:
                formatted = f"{digits[:4]}-{digits[4:]}"
                if formatted not in issn:
                    issn.append(formatted)
            elif len(digits) in (10, 13) and digits not in isbn:
                isbn.append(digits)
    return MULTI_SEPARATOR.join(issn), MULTI_SEPARATOR.join(isbn)


# Record types in the reviewer's words, from the codes and names databases use.
_TYPES = {
    "article": "article",
    "jour": "article",
    "ejour": "article",
    "journal article": "article",
    "jfull": "article",
    "mgzn": "article",
    "news": "article",
    "newspaper article": "article",
    "magazine article": "article",
    "review": "review",
    "abst": "abstract",
    "meeting abstract": "abstract",
    "conference abstract": "abstract",
    "journal: conference abstract": "abstract",
    "journal: article": "article",
    "journal: review": "review",
    "journal: conference paper": "conference",
    "book": "book",
    "ebook": "book",
    "edbook": "book",
    "b": "book",
    "whole book": "book",
    "edited book": "book",
    "chap": "chapter",
    "echap": "chapter",
    "book chapter": "chapter",
    "book section": "chapter",
    "inbook": "chapter",
    "incollection": "chapter",
    "conf": "conference",
    "cpaper": "conference",
    "inproceedings": "conference",
    "proceedings": "conference",
    "proceedings paper": "conference",
    "conference paper": "conference",
    "conference proceedings": "conference",
    "conference review": "conference",
    "s": "conference",
    "c": "conference",
    "thes": "thesis",
    "thesis": "thesis",
    "dissertation/thesis": "thesis",
    "dissertation or thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "dissertation": "thesis",
    "rprt": "report",
    "report": "report",
    "techreport": "report",
    "gen": "other",
    "misc": "other",
    "elec": "web page",
    "web page": "web page",
    "online": "web page",
    "data": "dataset",
    "dataset": "dataset",
    "preprint": "preprint",
    "ser": "article",
    "j": "article",
    "p": "patent",
    "pat": "patent",
    "letter": "letter",
    "editorial": "editorial",
    "editorial material": "editorial",
    "note": "note",
    "erratum": "erratum",
    "correction": "erratum",
}


def record_type(*values: str) -> str:
    """The first value we know as a type word, else the first value as written."""
    for value in values:
        word = clean(value).lower()
        if word in _TYPES:
            return _TYPES[word]
    for value in values:
        if value and clean(value):
            return clean(value).lower()
    return ""


def _as_list(values: Iterable[object]) -> list[object] | tuple[object, ...]:
    return values if type(values) is list or type(values) is tuple else list(values)


def make_record(
    *,
    source: str,
    title: str = "",
    authors: Iterable[str] = (),
    year: str = "",
    journal: str = "",
    volume: str = "",
    issue: str = "",
    pages: str = "",
    doi: str = "",
    abstract: str = "",
    keywords: Iterable[str] = (),
    urls: Iterable[str] = (),
    issn: str = "",
    isbn: str = "",
    language: str = "",
    type: str = "",
    pmid: str = "",
    corporate: Iterable[str] = (),
    publisher: str = "",
    address: str = "",
    article_number: str = "",
    **native_ids: str,
) -> Record:
    """One record in the columns of ``RECORD_COLUMNS`` (plus native ids for record keys).

    ``source`` is ``file:line`` where the record starts, for messages and reports.
    ``doi`` may be a URL or "doi:" form (normalised here unless already bare and lower
    case); ``authors`` are names as written; ``corporate`` names among them (groups,
    consortia) go into ``authors_norm`` unchanged instead of as "Surname AB". Every text
    is ``clean``: one line, runs of whitespace as one space; title, journal and abstract
    also lose HTML tags and entities; empty names, keywords and URLs are left out.
    """
    authors, keywords, urls = _as_list(authors), _as_list(keywords), _as_list(urls)
    try:
        # one look at the short texts together decides for all of them: nearly always
        # only their ends need stripping, and ``clean`` of such a text is ``strip``.
        # The abstract is looked at apart: joining a long text to the others costs a copy.
        short = "".join(
            [title, journal, volume, issue, pages, issn, isbn, language, *authors, *keywords, *urls]
        )
        # (``type`` here is the record type argument, not the builtin)
        uneven = not isinstance(abstract, str) or _uneven(short) or _uneven(abstract)
    except TypeError:  # a value that is not text
        uneven = True
    if uneven:
        names = [v for v in map(clean, authors) if v]
        keywords = [v for v in map(clean, keywords) if v]
        urls = [v for v in map(clean, urls) if v]
        title = strip_html(title) if title else ""
        journal = strip_html(journal) if journal else ""
        abstract = strip_html(abstract) if abstract else ""
        volume, issue, pages = clean(volume), clean(issue), clean(pages)
        issn, isbn, language = clean(issn), clean(isbn), clean(language)
    else:
        strip = str.strip
        # (``filter(None, ...)`` drops the empty ones in C, unlike a comprehension)
        names = list(filter(None, map(strip, authors)))  # type: ignore[arg-type]
        keywords = list(filter(None, map(strip, keywords)))  # type: ignore[arg-type]
        urls = list(filter(None, map(strip, urls)))  # type: ignore[arg-type]
        title, journal, abstract = title.strip(), journal.strip(), abstract.strip()
        volume, issue, pages = volume.strip(), issue.strip(), pages.strip()
        issn, isbn, language = issn.strip(), isbn.strip(), language.strip()
        # markup and entities ("Evidence &amp; Policy") in the fields that may have them:
        # stripping the ends first changes nothing strip_html would return
        if "<" in title or "&" in title:
            title = strip_html(title)
        if "<" in journal or "&" in journal:
            journal = strip_html(journal)
        if "<" in abstract or "&" in abstract:
            abstract = strip_html(abstract)
    # no cache of normalised names: in one export most people appear once, and a cache
    # big enough for 100,000 records cost more in memory traffic than it saved (~0.5 s)
    if corporate:
        groups = {clean(c) for c in corporate}
        norm = [n for n in (a if a in groups else normalise_author(a) for a in names) if n]
    else:
        norm = list(filter(None, map(normalise_author, names)))
    if not (
        isinstance(year, str) and len(year) == 4 and "1500" <= year <= "2099" and year.isdigit()
    ):
        year = year_of(year)
    # nearly every DOI is canonical as written: kept without a call
    canonical = doi if isinstance(doi, str) and is_canonical(doi) else normalise_doi(doi)
    record: Record = {
        "title": title,
        "authors": MULTI_SEPARATOR.join(names),
        "authors_norm": MULTI_SEPARATOR.join(norm),
        "year": year,
        "journal": journal,
        "volume": volume,
        "issue": issue,
        "pages": pages,
        "doi": canonical,
        "abstract": abstract,
        # repeats (two identical UR lines, a keyword under DE and ID) kept once, in order
        "keywords": MULTI_SEPARATOR.join(dict.fromkeys(keywords)) if keywords else "",
        "url": MULTI_SEPARATOR.join(dict.fromkeys(urls)) if urls else "",
        "issn": issn,
        "isbn": isbn,
        "language": language,
        "type": type,
        "pmid": (pmid if pmid.isdigit() else _NOT_DIGIT.sub("", pmid)) if pmid else "",
        "source_line": source,
        # present even where a format lacks them, so the records CSV writer takes every
        # row on its fast path (a missing key sends a row down the slow one)
        "publisher": clean(publisher) if publisher else "",
        "address": clean(address) if address else "",
        "article_number": clean(article_number) if article_number else "",
    }
    if doi and record["doi"] != doi:  # read differently now: keep the earlier reading,
        before = doi_as_before(doi)  # which earlier record ids were derived from
        if before != record["doi"]:
            record["doi_before"] = before
    for name, value in native_ids.items():
        if value:
            record[name] = clean(value)
    return record


def missing_reason(record: Record) -> str | None:
    """Why a record is not worth importing (nothing to identify it), else ``None``."""
    if record["title"] or record["authors"] or record["doi"] or record.get("pmid"):
        return None
    if record["abstract"]:
        return None
    return "it has no title, authors, DOI, PMID or abstract, so nothing identifies it"


def first_value(fields: dict[str, list[str]], tags: tuple[str, ...]) -> str:
    """The first non-empty value of the first of ``tags`` present (tagged formats)."""
    for tag in tags:
        values = fields.get(tag)
        if values:
            for value in values:
                if value:
                    return value
    return ""
