"""Stable identifiers for records and studies (DESIGN.md invariant 2).

A record id depends only on the search name and the record's own content, so the same
export gives the same ids on every run, and adding a search never renames anything.
A study id is derived from one member record (its *anchor*); every member's derived id
is an *alias* of the study, so a decision typed against an older study id still finds
its study after new records join or two studies merge.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

_SEARCH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*$")
_NATIVE_ID_FIELDS = ("pmid", "wos_id", "scopus_eid", "accession_number", "database_id")
_CONTENT_FIELDS = ("doi", "title", "year", "authors", "journal", "volume", "issue", "pages")


def is_valid_search_name(name: str) -> bool:
    """Search names become parts of file names and ids: letters, digits, underscores."""
    return bool(_SEARCH_NAME.match(name or ""))


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _squash(text: object) -> str:
    """Lower-case ASCII letters and digits only: robust to re-exports that reformat."""
    if text is None:
        return ""
    s = text if type(text) is str else str(text)
    if s.isascii():  # NFKD leaves ASCII as it is and it has no combining marks
        s = s.lower()
        return s if s.isalnum() else _NOT_ALNUM.sub("", s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return _NOT_ALNUM.sub("", s)


def record_key(record: Mapping[str, object]) -> str:
    """The content a record id is derived from: a native database id, else its citation."""
    for name in _NATIVE_ID_FIELDS:
        value = _squash(record.get(name))
        if value:
            return f"{name}:{value}"
    return "|".join(_squash(record.get(name)) for name in _CONTENT_FIELDS)


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lower case
_BASE32_PAIRS = tuple(a + b for a in _BASE32 for b in _BASE32)  # 10 bits -> 2 characters


def _digest(text: str, n: int) -> str:
    """The first ``n`` base32 characters of the SHA-1 of ``text``.

    Ten characters (every id) are the digest's first 50 bits, spelled from a table: the
    same characters as ``base64.b32encode``, without its pure-Python cost per call.
    """
    raw = hashlib.sha1(text.encode("utf-8")).digest()
    if n == 10:
        bits = int.from_bytes(raw[:7], "big") >> 6
        pairs = _BASE32_PAIRS
        return (
            pairs[bits >> 40]
            + pairs[(bits >> 30) & 1023]
            + pairs[(bits >> 20) & 1023]
            + pairs[(bits >> 10) & 1023]
            + pairs[bits & 1023]
        )
    return base64.b32encode(raw).decode("ascii").lower()[:n]


def assign_record_ids(search: str, records: Iterable[Mapping[str, object]]) -> list[str]:
    """Record ids ``<search>-<10 chars>`` for the records of one search, in file order.

    Identical records in one file (same key) get ``-2``, ``-3`` ... in file order, so ids
    stay unique and the same file always gives the same ids.
    """
    if not is_valid_search_name(search):
        raise ValueError(f"search name {search!r} must use only letters, digits and _")
    seen: dict[str, int] = {}
    ids = []
    for record in records:
        base = f"{search}-{_digest(record_key(record), 10)}"
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}-{n}")
    return ids


def study_alias(record_id: str) -> str:
    """The study id a study gets when ``record_id`` is its anchor: ``S-<10 chars>``."""
    return f"S-{_digest(record_id, 10)}"


def choose_anchor(record_ids: Iterable[str], search_order: Mapping[str, int]) -> str:
    """The member whose alias names the study: earliest search in config order, then id.

    New searches are listed after old ones, so a record from an update search never
    becomes the anchor of a study that already had an id.
    """

    def rank(rid: str) -> tuple[int, str]:
        search = search_of(rid)
        return (search_order.get(search, len(search_order)), rid)

    return min(record_ids, key=rank)


def search_of(record_id: str) -> str:
    """The search a record id belongs to (search names contain no hyphen)."""
    return record_id.split("-", 1)[0]
