"""Which export format a file is, told from its content (never from its name).

WoS plain text is often saved as ``.ris`` and RIS as ``.txt``. Each format is judged on
the structure of the whole head of the file (its first 20,000 characters): the format's
own markers must be there (``TY``/``ER`` lines for RIS, a header row naming a title
column for CSV ...), and the share of lines that the format's grammar accounts for
decides between the formats that have them. One line that looks like another format
(a CSV title "@SUM(1+1)" that reads like a BibTeX entry) explains too little of the
head to win. When a second format is also plausible, the import report says so.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from prismake.importers.csvformats import SEP_LINE, header_line

FORMATS: tuple[str, ...] = (
    "ris",
    "medline",
    "pubmed_csv",
    "pubmed_xml",
    "wos",
    "wos_tab",
    "bibtex",
    "scopus_csv",
    "embase_csv",
    "covidence_csv",
    "rayyan_csv",
    "csv",
    "endnote_xml",
    "endnote_tagged",
    "pop_json",
    "csl_json",
    "ovid",
    "proquest_text",
)

_HEAD = 20_000
_PLAUSIBLE = 0.5  # share of the head's lines a second format must explain to be named


@dataclass(frozen=True)
class Detection:
    """The format of a file, why, and any other format its head could also be."""

    format: str | None
    evidence: str = ""
    also: tuple[tuple[str, str], ...] = ()  # (format, evidence) of other plausible ones


@dataclass(frozen=True)
class _Fit:
    format: str
    share: float  # of the head's non-blank lines, the share the format accounts for
    evidence: str


def detect_format(text: str) -> str | None:
    """The format name for ``text`` (see ``FORMATS``), or ``None`` if none fits."""
    return detect(text).format


def detect(text: str) -> Detection:
    """The best-fitting format of ``text`` and the other plausible ones."""
    head = text[:_HEAD]
    lines = head.split("\n")
    if len(text) > _HEAD and len(lines) > 1:
        lines = lines[:-1]  # the last line of the head may be cut
    lines = [line.rstrip("\r") for line in lines]
    fits = [fit for judge in _JUDGES if (fit := judge(head, lines)) is not None]
    if not fits:
        return Detection(None)
    order = {name: k for k, name in enumerate(_PRIORITY)}
    fits.sort(key=lambda f: (-round(f.share, 3), order.get(f.format, len(order))))
    best, others = fits[0], fits[1:]
    also = tuple(
        (f.format, f.evidence)
        for f in others
        if f.share >= _PLAUSIBLE and f.format not in _SAME_READER.get(best.format, ())
    )
    return Detection(best.format, best.evidence, also)


# formats whose files another format's reader also reads as they are: not worth naming
_SAME_READER = {"ovid": ("ris",), "ris": ("ovid",)}
# ties: the more specific format first
_PRIORITY = (
    "pubmed_xml",
    "endnote_xml",
    "csl_json",
    "pop_json",
    "proquest_text",
    "ovid",
    "medline",
    "wos",
    "ris",
    "bibtex",
    "endnote_tagged",
    "wos_tab",
    "scopus_csv",
    "pubmed_csv",
    "embase_csv",
    "covidence_csv",
    "rayyan_csv",
    "csv",
)


def _share(explained: int, lines: list[str]) -> float:
    total = sum(1 for line in lines if line.strip())
    return explained / total if total else 0.0


def _evidence(explained: int, lines: list[str], what: str) -> str:
    total = sum(1 for line in lines if line.strip())
    return f"{explained} of the first {total} non-blank lines are {what}"


# -- tagged formats -------------------------------------------------------------------

_RIS_TAG = re.compile(r"^(?:[A-Z][A-Z0-9] {1,3}-(?: |$)|PMID {1,2}-)")
_RIS_BOUNDARY = re.compile(r"^(?:TY {1,3}- |ER {1,3}-\s*$)")


def _ris(head: str, lines: list[str]) -> _Fit | None:
    """Tag lines, and untagged lines inside a record (wrapped abstracts, references)."""
    if not any(_RIS_BOUNDARY.match(line) for line in lines):
        return None
    explained, inside = 0, False
    for line in lines:
        if _RIS_TAG.match(line):
            explained += 1
            inside = not line.startswith("ER ")
        elif line.strip() and inside:
            explained += 1
    if explained < 2:
        return None
    return _Fit(
        "ris",
        _share(explained, lines),
        _evidence(explained, lines, "RIS tag lines or their continuations"),
    )


_MEDLINE_TAG = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
_MEDLINE_START = re.compile(r"^(?:PMID- ?\d|PMC - ?PMC)")


def _medline(head: str, lines: list[str]) -> _Fit | None:
    if not any(_MEDLINE_START.match(line) for line in lines):
        return None
    # RIS record boundaries have the shape of MEDLINE tag lines but are none
    explained = sum(
        1
        for line in lines
        if (_MEDLINE_TAG.match(line) and not _RIS_BOUNDARY.match(line)) or line.startswith("      ")
    )
    return _Fit(
        "medline",
        _share(explained, lines),
        _evidence(explained, lines, "MEDLINE tag lines or 6-space continuations"),
    )


_WOS_TAG = re.compile(r"^[A-Z][A-Z0-9](?: |$)")
_WOS_MARK = re.compile(r"^(?:FN |VR |PT [A-Z]\s*$|ER\s*$)")


def _wos(head: str, lines: list[str]) -> _Fit | None:
    if not any(_WOS_MARK.match(line) for line in lines):
        return None
    explained = sum(
        1
        for line in lines
        if (_WOS_TAG.match(line) and not _RIS_TAG.match(line)) or line.startswith("   ")
    )
    return _Fit(
        "wos",
        _share(explained, lines),
        _evidence(explained, lines, "Web of Science tag lines or their continuations"),
    )


_ENDNOTE_TAG = re.compile(r"^%[0-9A-Z@!#$&()*+^>~\]|](?: |$)")


def _endnote_tagged(head: str, lines: list[str]) -> _Fit | None:
    tags = [bool(_ENDNOTE_TAG.match(line)) for line in lines]
    if sum(tags) < 2:
        return None
    explained, inside = 0, False
    for line, tag in zip(lines, tags, strict=True):
        if tag:
            explained, inside = explained + 1, True
        elif not line.strip():
            inside = False
        elif inside:
            explained += 1
    return _Fit(
        "endnote_tagged",
        _share(explained, lines),
        _evidence(explained, lines, "EndNote '%X' tag lines or their continuations"),
    )


_OVID_NUMBER = re.compile(r"^ ?<\d+(?:\. ?)?>\s*$")
_OVID_TAG = re.compile(r"^ ?[A-Z][A-Z0-9]{1,3} {1,3}- ")


def _ovid(head: str, lines: list[str]) -> _Fit | None:
    numbers = sum(1 for line in lines if _OVID_NUMBER.match(line))
    if not numbers:
        return None
    explained = sum(
        1
        for line in lines
        if _OVID_NUMBER.match(line) or _OVID_TAG.match(line) or line.startswith("      ")
    )
    return _Fit(
        "ovid",
        _share(explained, lines),
        _evidence(explained, lines, "Ovid record numbers, tag lines or continuations"),
    )


_PROQUEST_MARK = re.compile(
    r"^(?:Document \d+ of \d+|Report Information from ProQuest|ProQuest document ID: )"
)
_RULE = re.compile(r"^_{20,}\s*$")
_LABEL = re.compile(r"^[A-Z][A-Za-z /()-]{1,40}: \S")


def _proquest(head: str, lines: list[str]) -> _Fit | None:
    if not any(_RULE.match(line) for line in lines):
        return None
    if not any(_PROQUEST_MARK.match(line) for line in lines):
        return None
    # everything between the rules belongs to a document (full texts run for pages)
    explained = sum(1 for line in lines if line.strip())
    labels = sum(1 for line in lines if _LABEL.match(line))
    return _Fit(
        "proquest_text",
        _share(explained, lines),
        f"rules of underscores around 'Document N of M' blocks with {labels} 'Label: value' lines",
    )


# -- BibTeX ---------------------------------------------------------------------------

_BIB_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")
_BIB_FIELD = re.compile(r"^\s*[A-Za-z][\w:.+-]*\s*=")


def _bibtex(head: str, lines: list[str]) -> _Fit | None:
    """Lines inside entries: from '@type{' to the brace that closes it."""
    if not any(_BIB_ENTRY.match(line) for line in lines):
        return None
    explained, depth, fields = 0, 0, 0
    for line in lines:
        if depth <= 0 and _BIB_ENTRY.match(line):
            depth = 0
        elif depth <= 0:
            continue
        explained += 1
        fields += bool(_BIB_FIELD.match(line))
        depth += line.count("{") + line.count("(") - line.count("}") - line.count(")")
    if not fields and explained < 2:
        # a lone line that opens and closes at once is no entry ("@SUM(1+1)" in a CSV)
        return _Fit(
            "bibtex",
            _share(explained, lines) / 2,
            _evidence(explained, lines, "BibTeX entry lines"),
        )
    return _Fit(
        "bibtex", _share(explained, lines), _evidence(explained, lines, "lines of BibTeX entries")
    )


# -- XML and JSON ---------------------------------------------------------------------


def _xml(head: str, lines: list[str]) -> _Fit | None:
    start = head.lstrip()
    if not start.startswith("<"):
        return None
    if re.search(r"<PubmedArticleSet\b|<PubmedArticle\b|<PubmedBookArticle\b", head):
        return _Fit("pubmed_xml", 1.0, "its root element is <PubmedArticleSet>")
    if re.search(r"<records?\b", head[:5000]):
        return _Fit("endnote_xml", 1.0, "it is XML with <records>/<record> elements (EndNote)")
    return None


_CSL_KEYS = re.compile(
    r'"(?:issued|container-title|family|given|date-parts|citation-key|page|DOI|URL)"\s*:'
)
_POP_KEYS = re.compile(
    r'"(?:cites|authors|source|article_url|uid|GSRank|startpage|endpage|citation_url|ecc)"\s*:'
)


def _json(head: str, lines: list[str]) -> _Fit | None:
    start = head.lstrip()
    if not (start.startswith(("[", "{")) and '"' in start[:200]):
        return None
    csl, pop = len(_CSL_KEYS.findall(head)), len(_POP_KEYS.findall(head))
    if csl > pop:
        return _Fit(
            "csl_json",
            1.0,
            f"a JSON array with {csl} CSL-JSON keys (issued, container-title, family ...)",
        )
    return _Fit(
        "pop_json",
        1.0,
        f"a JSON array with {pop} Publish or Perish keys (cites, authors, source ...)",
    )


# -- delimited tables -----------------------------------------------------------------


def _delimiter(first: str) -> str:
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def _table(head: str, lines: list[str]) -> _Fit | None:
    """A header row naming known columns, then rows with as many cells as it has."""
    first, said = header_line(lines)
    if not any(d in first for d in (",", ";", "\t")):
        return None
    delimiter = said or _delimiter(first)
    text = "\n".join(line for line in lines if not SEP_LINE.fullmatch(line.strip("\ufeff \r")))
    quoting = csv.QUOTE_NONE if delimiter == "\t" and _looks_wos_tab(first) else csv.QUOTE_MINIMAL
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting))
    except csv.Error:
        return None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return None
    header = [cell.strip().lstrip("\ufeff").lower() for cell in rows[0]]
    kind = _csv_kind(header, first)
    if kind is None:
        return None
    width = len(header)
    # a ragged row (Scopus adds a cell the header lacks) is still a row of the table
    fitting = [row for row in rows[1:] if abs(len(row) - width) <= max(2, width // 10)]
    explained_rows = 1 + len(fitting)
    share = explained_rows / len(rows)
    what = {"\t": "tab", ",": "comma", ";": "semicolon"}[delimiter]
    evidence = (
        f"a {what}-delimited header with {width} columns, and {len(fitting)} of the "
        f"{len(rows) - 1} rows after it in the first {_HEAD:,} characters have as many cells"
    )
    return _Fit(kind, share, evidence)


def _looks_wos_tab(first: str) -> bool:
    codes = first.lstrip("\ufeff").split("\t")
    two_letter = sum(1 for c in codes if re.fullmatch(r"[A-Z][A-Z0-9]", c.strip()))
    return two_letter >= 5 and "TI" in [c.strip() for c in codes]


def _csv_kind(cols_list: list[str], first: str) -> str | None:
    if "\t" in first and _looks_wos_tab(first):
        return "wos_tab"
    cols = set(cols_list)
    if {"eid", "source title"} <= cols or {"eid", "title", "link"} <= cols:
        return "scopus_csv"
    if {"pmid", "citation", "title"} <= cols:
        return "pubmed_csv"
    if "author names" in cols or any(c.startswith("emtree") for c in cols):
        return "embase_csv"
    if "covidence #" in cols and "title" in cols:
        return "covidence_csv"
    if {"key", "title", "authors"} <= cols and ({"pubmed_id", "pmc_id", "notes"} & cols):
        return "rayyan_csv"
    if "title" in cols or "article title" in cols:
        return "csv"
    return None


_JUDGES: tuple[Callable[[str, list[str]], _Fit | None], ...] = (
    _xml,
    _json,
    _ris,
    _medline,
    _wos,
    _bibtex,
    _endnote_tagged,
    _ovid,
    _proquest,
    _table,
)
