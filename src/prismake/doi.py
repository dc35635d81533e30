"""DOIs: the one place where a DOI is put into canonical form and checked for shape.

Exports write one DOI many ways: ``doi:10.1/x``, ``https://doi.org/10.1/x``,
``http://dx.doi.org/10.1016/S0003-4975%2800%2902148-2`` (percent-encoded, sometimes
twice), ``10.1002/(SICI)...&lt;297::AID-JBM2&gt;3.0.CO;2-M`` (HTML entities), with a
publisher's landing-page suffix (``.short``, ``/abstract``, ``/full``, ``/pdf``) or a
full stop glued on. Import (prismake.importers.normalise), record ids (prismake.ids) and
dedupe all call :func:`normalise_doi`, so one DOI is one string everywhere.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

__all__ = ["doi_as_before", "doi_is_wellformed", "doi_prefix", "is_canonical", "normalise_doi"]

# already canonical: bare, lower case, no %-escape, entity, space or trailing punctuation
_BARE = re.compile(r"10\.\d{4,9}/[!-$'-@\[-~]*[a-z0-9]")
_PREFIX = re.compile(
    r"^(?:https?\s*:\s*//\s*(?:(?:dx\.|www\.)?doi\.org|doi\.[a-z]+)/|doi\s*[:=]\s*|doi\s+|"
    r"info:doi/)",
    re.IGNORECASE,
)
_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
_NEXT_DOI = re.compile(r"[;,]\s*(?:doi:?\s*)?10\.\d{4,9}/")  # "10.1/a; 10.2/b": the first
# landing-page suffixes that publishers' URLs add to a DOI (HighWire ".short", Wiley "/abstract")
_SUFFIXES = (
    *(".short", ".long", ".full", ".abstract", ".pdf", ".htm", ".html"),
    *("/abstract", "/full", "/pdf", "/epdf", "/fulltext", "/summary", "/full-text"),
    *("/references", "/suppinfo", "/meta"),
)
_SUFFIX = re.compile(f"(?:{'|'.join(map(re.escape, _SUFFIXES))})$")
# canonical and alone in one test: bare (as _BARE) without "," or ";" (which may start a
# second DOI) and not ending in a landing-page suffix; a DOI failing it may still be
# canonical, which the longer test below decides
_CLEAN = re.compile(
    r"10\.\d{4,9}/[!-$'-+\--:<-@\[-~]*[a-z0-9]"
    + "".join(f"(?<!{re.escape(suffix)})" for suffix in _SUFFIXES)
)
# ``is_canonical(text)``: a match when ``normalise_doi(text)`` is ``text`` itself at a glance
# (import runs it inline on every record's DOI; ``None`` says nothing either way)
is_canonical = _CLEAN.fullmatch
_TRAILING = ".,;:'\""
_CLOSERS = {")": "(", "]": "[", ">": "<", "}": "{"}
_WELLFORMED = re.compile(r"10\.\d{4,9}/[^\s/][^\s]*")


def normalise_doi(value: object) -> str:
    """A bare, lower-case DOI (``10.1000/xyz``) from any form an export writes; else ``""``.

    Decodes %-escapes and HTML entities until the text stops changing, drops a doi:/URL
    prefix, takes the first DOI when several are given, and drops landing-page suffixes
    and trailing punctuation (a closing bracket only when it has no opening partner).
    """
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if _CLEAN.fullmatch(text):  # the common case at import: nothing to do
        return text
    # (on a bare DOI ``endswith`` is what the suffix pattern finds, and a second DOI
    # needs a "," or ";")
    if (
        _BARE.fullmatch(text)
        and not text.endswith(_SUFFIXES)
        and ((";" not in text and "," not in text) or not _NEXT_DOI.search(text))
    ):
        return text
    text = text.strip()
    if not text or text.lower() == "nan":
        return ""
    for _ in range(5):  # "%252F" is "%2F" encoded again; "&amp;lt;" likewise
        before = text
        if "%" in text:
            text = unquote(text)
        if "&" in text:
            text = html.unescape(text)
        if text == before:
            break
    text = _PREFIX.sub("", text.strip())
    match = _SHAPE.search(text)
    if not match:
        return ""
    doi = match.group(0).lower()
    after = _NEXT_DOI.search(doi)
    if after:
        doi = doi[: after.start()]
    for _ in range(5):
        before = doi
        doi = _SUFFIX.sub("", doi.rstrip(_TRAILING))
        while doi and doi[-1] in _CLOSERS and doi.count(doi[-1]) > doi.count(_CLOSERS[doi[-1]]):
            doi = doi[:-1].rstrip(_TRAILING)
        if doi == before:
            break
    return doi if _WELLFORMED.fullmatch(doi) else ""


def doi_is_wellformed(doi: str) -> bool:
    """True when a normalised DOI has a sane shape, so a difference in it means something.

    A registrant prefix of 4-9 digits, then a suffix of 4+ characters holding a digit or a
    dot-separated part after the journal code (``jaha.e000457`` lacks the volume part that
    ``jaha.113.000457`` has, but both pass: the pair's other fields weigh that). Truncated
    forms (``10.1161/jaha``, ``10.1016/s0003``) and suffixes with spaces fail.
    """
    if not doi or not _WELLFORMED.fullmatch(doi):
        return False
    suffix = doi.split("/", 1)[1]
    return len(suffix) >= 5 and any(c.isdigit() for c in suffix)


def doi_prefix(doi: str) -> str:
    """The registrant part (``10.1161``): two DOIs of one publisher share it."""
    return doi.split("/", 1)[0] if doi else ""


_BEFORE_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_BEFORE_SHAPE = re.compile(r"10\.\d{4,9}/\S+")


def doi_as_before(value: object) -> str:
    """The DOI as prismake read it before this module (no %-decoding, suffixes kept).

    Only for ids: a record whose DOI now reads differently keeps, among its former ids,
    the id derived from the DOI as it was read then (DESIGN.md invariant 2).
    """
    if value is None:
        return ""
    text = str(value).strip()
    if not text or text.lower() == "nan":
        return ""
    match = _BEFORE_SHAPE.search(_BEFORE_PREFIX.sub("", text))
    if not match:
        return ""
    return match.group(0).lower().replace("%2f", "/").rstrip(".,;)]}>\"'")
