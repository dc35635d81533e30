"""Stable identifiers for records and studies (DESIGN.md invariant 2).

A record id depends only on the search name and what ties the record to itself (a
database id, else a DOI no other record of the file has, else its citation), so the same
export gives the same ids on every run, adding a search never renames anything, and a
corrected title keeps its id. Records also carry their id under the previous rule
(``former_ids``), which dedupe, screening and extraction accept wherever an id is typed.
A study id is derived from one member record (its *anchor*); every member's derived id
is an *alias* of the study, so a decision typed against an older study id still finds
its study after new records join or two studies merge.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from prismake.doi import normalise_doi

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


def record_key(
    record: Mapping[str, object], doi_ties: bool = True, read_doi: Callable = normalise_doi
) -> str:
    """The content a record id is derived from: what ties the record to itself.

    A native database id (PMID, WoS UT, Scopus EID, accession number) first, else its
    DOI, else its citation (title, year, authors, ...). So a corrected title, author or
    page keeps the id while a DOI or database id still ties the record. ``doi_ties`` is
    false for a DOI several records of one file share: that is the DOI of the book or
    proceedings that holds them (a container DOI), which names no single record.
    """
    for name in _NATIVE_ID_FIELDS:
        value = _squash(record.get(name))
        if value:
            return f"{name}:{value}"
    if doi_ties:
        doi = _squash(read_doi(record.get("doi")))
        if doi:
            return f"doi:{doi}"
    return "|".join(_squash(record.get(name)) for name in _CONTENT_FIELDS)


def previous_record_key(record: Mapping[str, object]) -> str:
    """The key of prismake's previous id rule (no DOI step): the ids that sheets typed
    before the rule changed were derived from it."""
    return record_key(record, doi_ties=False)


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
    return record_ids(search, records)[0]


def record_ids(search: str, records: Iterable[Mapping[str, object]]) -> tuple[list[str], list[str]]:
    """``(ids, former ids)`` of the records of one search, in file order.

    A record's former ids are the ids it had under earlier rules, where different
    (``"; "``-joined, ``""`` where none differs): before DOIs tied ids (the citation key),
    and before DOIs were read as they are now (``doi_before``: %-escapes and landing-page
    suffixes kept). Records carry them so that decisions and verdicts typed against them
    still find their record and study (DESIGN.md invariant 2).
    """
    if not is_valid_search_name(search):
        raise ValueError(f"search name {search!r} must use only letters, digits and _")
    records = records if isinstance(records, list) else list(records)
    keys = _keys(records)
    ids = _numbered([f"{search}-{_digest(key, 10)}" for key in keys])
    earlier: list[list[str]] = []  # each earlier rule's keys, record by record
    if any(key.startswith("doi:") for key in keys):
        earlier.append([previous_record_key(r) for r in records])
    if any(r.get("doi_before") for r in records):
        as_before = [{**r, "doi": r["doi_before"]} if r.get("doi_before") else r for r in records]
        earlier += [_keys(as_before, read_doi=str), [previous_record_key(r) for r in as_before]]
    if not earlier:  # no DOI ties a record and none reads differently: no former ids
        return ids, [""] * len(ids)
    former_lists = [_numbered([f"{search}-{_digest(k, 10)}" for k in rule]) for rule in earlier]
    former = []
    for i, record_id in enumerate(ids):
        olds = dict.fromkeys(f[i] for f in former_lists if f[i] != record_id)
        former.append("; ".join(olds))
    return ids, former


def _keys(records: list, read_doi: Callable = normalise_doi) -> list[str]:
    """Each record's key under the current rule (a DOI several records share ties none).

    ``read_doi=str`` keys on the DOI as the record holds it (an earlier reading)."""
    keys = [record_key(r, read_doi=read_doi) for r in records]
    if any(key.startswith("doi:") for key in keys):
        shared = _shared_dois(records)
        keys = [
            previous_record_key(r)
            if key.startswith("doi:") and normalise_doi(r.get("doi")) in shared
            else key
            for r, key in zip(records, keys, strict=True)
        ]
    return keys


def _shared_dois(records: list) -> set[object]:
    """DOIs that more than one record of the file carries (container DOIs)."""
    counts = Counter(doi for doi in (normalise_doi(r.get("doi")) for r in records) if doi)
    return {doi for doi, n in counts.items() if n > 1}


def _numbered(bases: list[str]) -> list[str]:
    """``base``, ``base-2``, ``base-3`` ... for repeats, in order."""
    seen: dict[str, int] = {}
    ids = []
    for base in bases:
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}-{n}")
    return ids


def record_id_lookup(record_ids: Iterable[str], former_ids: Iterable[str]) -> dict[str, str]:
    """Every id a person may have typed for a record (its id, its former ids) -> its id.

    ``former_ids`` cells are "; "-joined; a current id always means its own record.
    """
    current = [str(rid) for rid in record_ids]
    lookup: dict[str, str] = {}
    for rid, cell in zip(current, former_ids, strict=True):
        for old in str(cell or "").split(";"):
            old = old.strip()
            if old:
                lookup.setdefault(old, rid)
    lookup.update((rid, rid) for rid in current)
    return lookup


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
