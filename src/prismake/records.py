"""The normalised record table shared by every stage (DESIGN.md, "Record columns").

Importers produce these columns; dedupe, screening and reporting read them. Helpers here
are the single place where a DOI or an author name is put into canonical form.
"""

from __future__ import annotations

import re
import unicodedata

from prismake.doi import normalise_doi as normalise_doi  # re-exported: DOIs live in prismake.doi

RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "search",
    "database",
    "title",
    "authors",  # as written in the export, "; "-joined
    "authors_norm",  # "Surname AB; Surname C", one per author
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "abstract",
    "keywords",  # "; "-joined
    "url",
    "issn",
    "isbn",
    "language",
    "type",
    "publisher",  # publisher, or the institution of a report or thesis
    "address",  # the publisher's place
    "article_number",  # journals without page numbers (e123, 104567)
    "pmid",
    "source_line",  # file:line where the record starts, for error messages
    "former_ids",  # its id under prismake's previous id rule, where different (ids.py)
)

MULTI_SEPARATOR = "; "


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos"}
_PARTICLES |= {"ó", "ní", "nic", "mac"}  # Irish: "Áine Ó Briain" is Ó Briain


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


_ET_AL = re.compile(r"(?i)et\.?\s*al\.?|others|and others")


def _short_initials(token: str) -> bool:
    """One to three capitals, accented ones too: "AB", "ÉM", "Ö" (not only ASCII's A-Z)."""
    return 0 < len(token) <= 3 and token.isalpha() and all(map(str.isupper, token))


def normalise_author(name: str) -> str:
    """``Surname AB`` from "Surname, Anna B.", "A. B. Surname", "Surname AB" or "Surname, A".

    Returns ``""`` for "et al." and empty names. Accents are kept in the surname (people
    read this column); matching code strips them itself. Called once per author of every
    record, so it avoids regular expressions where plain string methods do the same.
    """
    if not name:
        return ""
    # " ".join(split()) is re.sub(r"\s+", " ", ...).strip(): both use Unicode whitespace.
    # A printable name (no tab, line break or NBSP) with no two spaces in a row only has
    # its ends to strip: the common case, three times quicker.
    if name.isprintable() and "  " not in name:
        name = name.strip(" ").strip(",;")
    else:
        name = " ".join(name.split()).strip(",;")
    if not name or (name[0] in "eEoOaA" and _ET_AL.fullmatch(name)):
        return ""
    if "," in name:
        surname, _, given = name.partition(",")
    else:
        parts = name.split(" ")
        # "Surname AB" (MEDLINE/Embase): last token is all capitals, at most 3 letters
        if len(parts) > 1 and _short_initials(parts[-1].replace(".", "")):
            cut = len(parts) - 1  # "Surname A. B." (Embase): every trailing initial
            while cut > 1:  # (a surname is nearly always too long to be initials)
                before = parts[cut - 1].replace(".", "")
                if not _short_initials(before):
                    break
                cut -= 1
            surname, given = " ".join(parts[:cut]), "".join(parts[cut:])
            initials = "".join([c for c in given if c.isupper()])
            return f"{surname.strip()} {initials}".strip()
        # "Anna B. Surname" / "A. B. van Surname"
        idx = len(parts) - 1
        while idx > 0 and parts[idx - 1].lower() in _PARTICLES:
            idx -= 1
        surname, given = " ".join(parts[idx:]), " ".join(parts[:idx])
    # the parts of re.split(r"[\s.\-]+", given) that are not empty, without a regex
    parts = given.replace(".", " ").replace("-", " ").split()
    if len(parts) == 2:  # "Anna B.": the common case, without a comprehension
        firsts = parts[0][0] + parts[1][0]
    elif len(parts) == 1:
        firsts = parts[0][0]
    else:
        firsts = "".join([part[0] for part in parts])
    if firsts.isalpha():
        initials = firsts.upper()
    else:
        initials = "".join([c for c in firsts if c.isalpha()]).upper()
    surname = surname.strip()
    return f"{surname} {initials}".strip() if surname else ""


_AUTHOR_SEPARATOR = re.compile(r"\s*;\s*|\s+and\s+|\n")
# "Wang G. Y.Wu S.Pei J. M.": some exports join authors with nothing; an initial's full
# stop followed at once by a capitalised word is the start of the next author
_GLUED_AUTHOR = re.compile(r"(?<=\b[A-Z]\.)(?=[A-Z\u00c0-\u00de][^\sA-Z.,;])")


_GLUE_HINT = re.compile(r"\.[A-Z\u00c0-\u00de]")  # quick test before the costly pattern


def split_authors(text: str) -> list[str]:
    """Authors joined by "; " (prismake), " and " (BibTeX), newlines, or nothing at all
    after an initial's full stop (some EndNote exports), as a list."""
    if not text:
        return []
    text = str(text)
    parts = [p.strip() for p in _AUTHOR_SEPARATOR.split(text)]
    if not _GLUE_HINT.search(text):  # the common case: separators only
        return [p for p in parts if p]
    return [q.strip() for p in parts if p for q in _GLUED_AUTHOR.split(p) if q.strip()]


def normalise_authors(text: str) -> str:
    """The ``authors_norm`` column: each author as ``Surname AB``, "; "-joined."""
    names = (normalise_author(a) for a in split_authors(text))
    return MULTI_SEPARATOR.join(n for n in names if n)


_PAGES = re.compile(r"^([A-Za-z]*)(\d+)\s*[-\u2010-\u2015]+\s*([A-Za-z]*)(\d+)$")


def page_range(pages: str) -> tuple[str, str]:
    """(first, last) page, the last written out: "705-14" -> ("705", "714")."""
    text = " ".join(str(pages).split())
    match = _PAGES.match(text)
    if not match:
        start, _, end = re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", text).partition("-")
        return start, end
    prefix, start, end_prefix, end = match.groups()
    if len(end) < len(start) and int(start[-len(end) :]) <= int(end):
        end = start[: len(start) - len(end)] + end
    return prefix + start, (end_prefix or prefix) + end


def expand_pages(pages: str) -> str:
    """A page range written out in full ("705-14" -> "705-714"); anything else as it is."""
    start, end = page_range(pages)
    return f"{start}-{end}" if end else start
