"""Venues: where a record appeared, and whether it is a meeting abstract rather than an article.

A conference abstract and the journal article that follows it are two reports, and so are
one abstract presented at two meetings. Exports rarely say so in the type field (Embase
and Web of Science call abstracts "Article" or "Journal Article"); the signals they do
carry are a supplement volume or issue ("36 (SUPPL.2)", "Suppl. 1"), page numbers with an
S or A ("S354", "A111", "56A"), a volume cut in two by the export ("1)"), and a venue that
names a meeting or abstracts. Journal names are compared word by word, so
"Ann Thorac Surg" is "Annals of Thoracic Surgery" (each short word starts its long word).
"""

from __future__ import annotations

import re

__all__ = ["abbreviates", "is_meeting_abstract", "same_journal", "volume_parts"]

_SUPPLEMENT = re.compile(r"supp|\bs\s?\d+\b", re.I)
_LETTER_PAGE = re.compile(r"^\s*(?:[SA]\s?\d+|\d+\s?A)\b")  # S354, A111, 56A (not e0192222)
_MEETING_TYPE = re.compile(r"abstract|meeting|congress|poster|conference", re.I)
_MEETING_VENUE = re.compile(
    r"\b(?:abstracts?|meeting|congress|conference|symposium|colloquium|supplement)\b", re.I
)
_VOLUME = re.compile(r"^\s*(?:vol(?:ume)?\.?\s*)?(\d+)\s*(?:\(\s*([^()]*?)\s*\))?")


def volume_parts(volume: str) -> tuple[str, str, bool]:
    """(volume number, issue written inside it, junk) of an exported volume field.

    "13 (2) (no pagination)" is volume 13, issue 2; "36 (SUPPL.2)" is volume 36, issue
    "SUPPL.2"; "1)" is what is left of "(Suppl 1)" when an export cut the field: junk.
    """
    text = str(volume or "").strip()
    if not text:
        return "", "", False
    if text.count(")") > text.count("("):
        return "", "", True
    match = _VOLUME.match(text)
    if not match:
        return "", "", False
    return match.group(1).lstrip("0"), (match.group(2) or ""), False


def is_meeting_abstract(record_type: str, venue: str, volume: str, issue: str, pages: str) -> bool:
    """True when a record carries the signals of a meeting abstract (see the module doc)."""
    if record_type and _MEETING_TYPE.search(record_type):
        return True
    if venue and _MEETING_VENUE.search(venue):
        return True
    number, inner, junk = volume_parts(volume)
    if junk or (volume and not number and "supp" in volume.lower()):
        return True
    if _SUPPLEMENT.search(inner) or (issue and _SUPPLEMENT.search(issue)):
        return True
    return bool(pages and _LETTER_PAGE.match(pages))


def same_journal(words_a: str, words_b: str) -> bool:
    """Two journal names (prismake.dedupe.normalise.journal_words) name one journal."""
    if not words_a or not words_b:
        return False
    return words_a == words_b or abbreviates(words_a, words_b) or abbreviates(words_b, words_a)


def abbreviates(short: str, full: str) -> bool:
    """True when the words of ``short`` abbreviate those of ``full`` in order.

    "dtsch med wochenschr" abbreviates "deutsche medizinische wochenschrift": each short
    word starts like a full word and its letters appear in that word in order.
    """
    a, b = short.split(), full.split()
    if not a or not b or len(a) > len(b):
        return False
    k = 0
    for word in a:
        while k < len(b) and not _is_abbreviation(word, b[k]):
            k += 1
        if k == len(b):
            return False
        k += 1
    return True


def _is_abbreviation(word: str, full: str) -> bool:
    if word[0] != full[0]:
        return False
    pos = 0
    for ch in word:
        pos = full.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True
