"""PubMed XML (``efetch`` with ``retmode=xml``, or PubMed's "Save > XML"), with defusedxml.

A ``<PubmedArticleSet>`` of ``<PubmedArticle>`` (journal articles) and
``<PubmedBookArticle>`` (books and chapters). defusedxml refuses entity declarations
and external entities; PubMed's ``<!DOCTYPE ...>`` line is only a name, never fetched.
Titles and abstracts may hold inline markup (``<i>``, ``<sup>``): their text is joined.
Structured abstracts keep their section labels ("BACKGROUND: ... METHODS: ...").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    join_pages,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, Record, Skipped
from prismake.importers.xmlio import xml_root

_ARTICLE = re.compile(r"<(PubmedArticle|PubmedBookArticle)[\s>]")


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def parse(text: str, file: str) -> ImportResult:
    """Read PubMed XML; a file that is not well-formed XML cannot be imported."""
    result = ImportResult(file=file, format="pubmed_xml", encoding="")
    root = xml_root(
        text,
        file,
        "Download the records from PubMed again (Save > Format: XML); the file "
        "may have been cut short.",
    )
    # ElementTree keeps no line numbers: find where each article starts in the text
    starts = [text.count("\n", 0, m.start()) + 1 for m in _ARTICLE.finditer(text)]
    articles = [e for e in root.iter() if e.tag in ("PubmedArticle", "PubmedBookArticle")]
    for number, article in enumerate(articles, 1):
        line = starts[number - 1] if number <= len(starts) else 1
        if article.tag == "PubmedArticle":
            record = article_record(article, f"{file}:{line}")
        else:
            record = book_record(article, f"{file}:{line}")
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(line, f"article {number} skipped: {reason}"))
        else:
            result.records.append(record)
    return result


def _authors(author_list: ET.Element | None) -> tuple[list[str], list[str]]:
    """Authors as "Surname, Given" (groups by their name), and the group names."""
    names, groups = [], []
    for author in author_list.iter("Author") if author_list is not None else ():
        group = _text(author.find("CollectiveName"))
        if group:
            names.append(group)
            groups.append(group)
            continue
        surname = _text(author.find("LastName"))
        given = _text(author.find("ForeName")) or _text(author.find("Initials"))
        if surname:
            names.append(f"{surname}, {given}" if given else surname)
    return names, groups


def _abstract(abstract: ET.Element | None) -> str:
    """The abstract's sections, each with its label ("METHODS: ...")."""
    if abstract is None:
        return ""
    parts = []
    for section in abstract.iter("AbstractText"):
        body = _text(section)
        label = section.get("Label")
        parts.append(f"{label}: {body}" if label and body else body)
    return " ".join(p for p in parts if p)


def _year(date: ET.Element | None) -> str:
    """Year of a PubDate: <Year>, else the first year in <MedlineDate> ("2019 Nov-Dec")."""
    if date is None:
        return ""
    return _text(date.find("Year")) or _text(date.find("MedlineDate"))


def _ids(places: list[ET.Element | None], kind: str) -> list[str]:
    """The article's own ids of ``kind`` ("doi", "pmc"): ELocationID and ArticleIdList
    children only, never the ids of the references it cites (ReferenceList)."""
    found = []
    for place in places:
        if place is None:
            continue
        found += [_text(e) for e in place.findall("ELocationID") if e.get("EIdType") == kind]
        found += [
            _text(e) for e in place.findall("ArticleIdList/ArticleId") if e.get("IdType") == kind
        ]
    return [v for v in found if v]


def _pages(pagination: ET.Element | None) -> str:
    if pagination is None:
        return ""
    return _text(pagination.find("MedlinePgn")) or join_pages(
        _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
    )


def _keywords(element: ET.Element) -> list[str]:
    keywords = [_text(k) for k in element.findall("KeywordList/Keyword")]
    keywords += [_text(d) for d in element.findall("MeshHeadingList/MeshHeading/DescriptorName")]
    return [k for k in keywords if k]


def article_record(article: ET.Element, source: str) -> Record:
    """One <PubmedArticle> as a record."""
    citation = article.find("MedlineCitation")
    citation = citation if citation is not None else article
    body = citation.find("Article")
    body = body if body is not None else citation
    journal = body.find("Journal")
    journal = journal if journal is not None else ET.Element("Journal")
    issue = journal.find("JournalIssue")
    issue = issue if issue is not None else ET.Element("JournalIssue")
    pmid = _text(citation.find("PMID"))
    authors, groups = _authors(body.find("AuthorList"))
    issn, _ = issn_isbn([_text(e) for e in journal.iter("ISSN")])
    types = [_text(t) for t in body.iter("PublicationType")]
    places = [body, article.find("PubmedData")]
    pmc = _ids(places, "pmc")
    return make_record(
        source=source,
        title=_text(body.find("ArticleTitle")) or _text(body.find("VernacularTitle")),
        authors=authors,
        corporate=groups,
        year=_year(issue.find("PubDate")) or _year(body.find("ArticleDate")),
        journal=_text(journal.find("Title")) or _text(journal.find("ISOAbbreviation")),
        volume=_text(issue.find("Volume")),
        issue=_text(issue.find("Issue")),
        pages=_pages(body.find("Pagination")),
        doi=first_doi(_ids(places, "doi")),
        abstract=_abstract(body.find("Abstract")),
        keywords=_keywords(citation),
        urls=[f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"] if pmid.isdigit() else [],
        issn=issn,
        language=_text(body.find("Language")),
        type=_type(types),
        pmid=pmid,
        accession_number=pmc[0] if pmc and not pmid else "",
    )


def _type(types: list[str]) -> str:
    """The record type: a review is a review even when also a journal article."""
    if any(t.lower() in ("review", "systematic review", "meta-analysis") for t in types):
        return "review"
    return record_type(*types) if types else "article"


def book_record(article: ET.Element, source: str) -> Record:
    """One <PubmedBookArticle> (a book or a chapter of one) as a record."""
    document = article.find("BookDocument")
    document = document if document is not None else article
    book = document.find("Book")
    book = book if book is not None else ET.Element("Book")
    pmid = _text(document.find("PMID"))
    chapter = _text(document.find("ArticleTitle"))
    authors, groups = _authors(document.find("AuthorList"))
    if not authors:
        authors, groups = _authors(book.find("AuthorList"))
    _, isbn = issn_isbn([_text(e) for e in book.iter("Isbn")])
    return make_record(
        source=source,
        title=chapter or _text(book.find("BookTitle")),
        authors=authors,
        corporate=groups,
        year=_year(book.find("PubDate")),
        journal=_text(book.find("BookTitle"))
        if chapter
        else _text(book.find("Publisher/PublisherName")),
        pages=_pages(document.find("Pagination")),
        doi=first_doi(_ids([document, article.find("PubmedBookData")], "doi")),
        abstract=_abstract(document.find("Abstract")),
        keywords=_keywords(document),
        urls=[f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"] if pmid.isdigit() else [],
        isbn=isbn,
        language=_text(document.find("Language")),
        type="chapter" if chapter else "book",
        pmid=pmid,
        publisher=_text(book.find("Publisher/PublisherName")),
        address=_text(book.find("Publisher/PublisherLocation")),
    )
