"""Which export format a file is, told from its content (never from its name).

WoS plain text is often saved as ``.ris`` and RIS as ``.txt``; only the first lines of
the text are looked at, so detection costs nothing on large files.
"""

from __future__ import annotations

import csv
import io
import re

FORMATS: tuple[str, ...] = (
    "ris",
    "medline",
    "pubmed_csv",
    "wos",
    "wos_tab",
    "bibtex",
    "scopus_csv",
    "embase_csv",
    "csv",
    "endnote_xml",
    "endnote_tagged",
    "pop_json",
)

_RIS = re.compile(r"^(?:TY|ER|[A-Z][A-Z0-9])  -(?: |$)", re.MULTILINE)
_RIS_TY = re.compile(r"^TY  - ", re.MULTILINE)
_MEDLINE = re.compile(r"^(?:PMID- ?\d|PMC - ?PMC|OWN - |STAT- |FAU - )", re.MULTILINE)
_WOS = re.compile(r"^(?:FN |VR |PT [A-Z]$)", re.MULTILINE)
_WOS_TAG = re.compile(r"^(?:AU|AF|TI|SO|UT|PY|ER) ", re.MULTILINE)
_BIBTEX = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_ENDNOTE_TAGGED = re.compile(r"^%[0-9A-Z@!#$&()*+^>~\]|] \S", re.MULTILINE)


def detect_format(text: str) -> str | None:
    """The format name for ``text`` (see ``FORMATS``), or ``None`` if none fits."""
    head = text[:20_000]
    start = head.lstrip()
    if start.startswith(("[", "{")) and '"' in start[:200]:
        return "pop_json"
    if start.startswith("<") and re.search(r"<records?\b", head[:5000]):
        return "endnote_xml"
    first = start.split("\n", 1)[0]
    if "\t" in first and _looks_wos_tab(first):
        return "wos_tab"
    if _RIS_TY.search(head):
        return "ris"
    if _MEDLINE.search(head):
        return "medline"
    if _WOS.search(head) or (_WOS_TAG.search(head) and re.search(r"^ER\s*$", head, re.M)):
        return "wos"
    if _BIBTEX.search(head):
        return "bibtex"
    if len(_RIS.findall(head)) >= 2:
        return "ris"
    if len(_ENDNOTE_TAGGED.findall(head)) >= 2:
        return "endnote_tagged"
    return _csv_kind(first, head)


def _looks_wos_tab(first: str) -> bool:
    codes = first.split("\t")
    two_letter = sum(1 for c in codes if re.fullmatch(r"[A-Z][A-Z0-9]", c.strip()))
    return two_letter >= 5 and "TI" in codes


def _header(first: str, head: str) -> list[str]:
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        row = next(csv.reader(io.StringIO(head), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []
    return [cell.strip().lower() for cell in row]


def _csv_kind(first: str, head: str) -> str | None:
    if "," not in first and ";" not in first and "\t" not in first:
        return None
    cols = set(_header(first, head))
    if {"eid", "source title"} <= cols or {"eid", "title", "link"} <= cols:
        return "scopus_csv"
    if {"pmid", "citation", "title"} <= cols:
        return "pubmed_csv"
    if "author names" in cols or any(c.startswith("emtree") for c in cols):
        return "embase_csv"
    if "title" in cols or "article title" in cols:
        return "csv"
    return None
