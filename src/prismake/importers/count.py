"""How many records an export holds, counted from its structure apart from the parser.

Every import is checked against this count (``prismake.importers.check_count``): a
parser that joins two records gives fewer records than the file holds, and the import
fails naming both numbers and the lines where the missed records start, instead of
losing a record with a warning. The count looks only at record-start markers (``TY  -``
lines, ``PMID-`` lines, ``@entry{``, rows, ``<record>`` ...), with a regular expression or
string search over the whole text: a few tenths of a second at 100,000 records.

The count is also where a file cut short shows: a record that starts but never ends
(no ``ER``, no closing tag, the last line broken off) is named in the report.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecordCount:
    """The records a file holds, how they were counted, and where each one starts."""

    n: int
    how: str  # "lines starting 'TY  - '", for the report and messages
    # text -> offsets where each counted record starts; takes the text as an argument so
    # the count never keeps a 200 MB export alive after the import
    start_offsets: Callable[[str], list[int]] = field(
        default=lambda _text: [], repr=False, compare=False
    )
    cut_at: int | None = None  # text offset of a record the file ends inside
    cut_reason: str = ""

    def start_lines(self, text: str) -> list[int]:
        """1-based line numbers where the counted records start (computed on demand)."""
        return _lines_of(text, self.start_offsets(text))

    def cut_line(self, text: str) -> int | None:
        return None if self.cut_at is None else _lines_of(text, [self.cut_at])[0]


def _lines_of(text: str, offsets: list[int]) -> list[int]:
    lines, line, pos = [], 1, 0
    for offset in sorted(offsets):
        line += text.count("\n", pos, offset)
        pos = offset
        lines.append(line)
    return lines


# -- tagged formats with start and end lines: RIS, Web of Science ---------------------

# marks are looked for after a line break (a literal first character keeps the regex
# engine fast over 200 MB; the group is the mark's first letter, and where it starts is
# where the record starts); a mark on the first line is checked apart. "ER  - TY  - "
# is a record start glued to an end line (two files joined by ``cat`` when the first
# lacks a final line break): the TY counts, wherever on its line it sits.
_RIS_MARK = re.compile(
    r"\n(?:ER {1,3}- ?(?=TY {1,3}-(?: |\n|$)))?"
    r"(?=([TE]))(?:TY {1,3}-(?=[ \t\n]|$)|ER {1,3}-[ \t]*(?=\n|$))"
)
_RIS_TAG = re.compile(r"\n[A-Z][A-Z0-9] {1,3}-")
_WOS_MARK = re.compile(r"\n(?=([PE]))(?:PT |ER[ \t]*(?=\n|$))")
# a field of a record: not the file's own FN (file name) and VR (version) lines, which
# a record cut from its start line leaves before an ER (the reader reads no record there)
_WOS_TAG = re.compile(r"\n(?!FN |VR )[A-Z][A-Z0-9] ")


def _marks(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """(line start, match end) of every line ``pattern`` (which starts with \\n) matches."""
    found = [(m.start() + 1, m.end()) for m in pattern.finditer(text)]
    first = pattern.match("\n" + text[:200])
    if first:
        found.insert(0, (0, first.end() - 1))
    return found


def _start_end(
    text: str, marks: re.Pattern[str], tag: re.Pattern[str], how: str, end: str
) -> RecordCount:
    """Records open at a start line (TY, PT) or, without one, close at an end line (ER,
    the only mark starting with "E") after tag lines; the last record is cut when the
    file has end lines but that record has none.

    The marks' first letters in file order ("TETE...") decide the common case in C; the
    marks are walked one by one only when an end line follows an end line (a record
    that may lack its start line).
    """
    first = _first_mark(marks, text)
    letters = (first.group(1) if first else "") + "".join(marks.findall(text))
    if "EE" not in letters and not letters.startswith("E"):
        n = letters.count(letters[0]) if letters else 0  # the start letter
        cut = bool(letters) and letters[-1] != "E" and ("E" in letters or n == 1)
        if not cut:
            return RecordCount(n, how, lambda t: _walk(t, marks, tag, _first_mark(marks, t))[0])
    starts, open_at, has_end = _walk(text, marks, tag, first)
    cut_at, reason = None, ""
    if open_at is not None and (has_end or len(starts) == 1):
        # (a file of several records and no end line at all is written that way)
        cut_at, reason = open_at, f"it has no {end} line: the file ends inside it"
    return RecordCount(len(starts), how, lambda _text: starts, cut_at, reason)


def _first_mark(marks: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The mark on the first line, which has no line break before it."""
    return marks.match("\n" + text[:200])


def _walk(
    text: str, marks: re.Pattern[str], tag: re.Pattern[str], first: re.Match[str] | None
) -> tuple[list[int], int | None, bool]:
    """(record starts, the start of a record still open at the end, any end line seen)."""
    open_at: int | None = None  # offset of the record opened by a start line
    last_end = 0
    starts: list[int] = []
    has_end = False
    found = [(first.start(1) - 1, first.end() - 1)] if first else []
    for at, stop in itertools.chain(found, ((m.start(1), m.end()) for m in marks.finditer(text))):
        if text[at] != "E":
            starts.append(at)
            open_at = at
            continue
        has_end = True
        if open_at is None:  # an end line with no start line since the last end
            if last_end == 0 and tag.match("\n" + text[:8]):
                starts.append(0)  # a record without a start line, on the first line
            elif (found_tag := tag.search(text, last_end, at)) is not None:
                starts.append(found_tag.start() + 1)  # a record without a start line
        open_at = None
        last_end = stop
    return starts, open_at, has_end


def count_ris(text: str) -> RecordCount:
    how = "lines starting 'TY  - ' (and 'ER  -' lines ending a record without one)"
    return _start_end(text, _RIS_MARK, _RIS_TAG, how, "'ER  -'")


def count_wos(text: str) -> RecordCount:
    how = "lines starting 'PT ' (and 'ER' lines ending a record without one)"
    return _start_end(text, _WOS_MARK, _WOS_TAG, how, "'ER'")


# -- MEDLINE: records start at PMID (or PMC), no end line ------------------------------

# one pass: "\nPM" is a literal prefix; the group is "I" for PMID, "C" for PMC
_PMID_OR_PMC = re.compile(r"\nPM(?=(I|C))(?:ID *-|C *- )")
_PMID_NEXT_LINE = re.compile(r"\s*PMID")
_MEDLINE_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *-", re.M)
_MEDLINE_HOW = "lines starting 'PMID- ' (and 'PMC - ' in records without a PMID)"


def count_medline(text: str) -> RecordCount:
    """One record per PMID line, plus each PMC line whose record has no PMID (PubMed
    Central); a PMC line in a record with a PMID (PubMed's own) is no record."""
    first = _PMID_OR_PMC.match("\n" + text[:12])
    letters = (text[2] if first else "") + "".join(_PMID_OR_PMC.findall(text))
    if "C" not in letters:  # PubMed's own files: a record per PMID line, counted in C
        last = _last_starts(text, 3)
        cut_at, reason = _medline_cut(text, last)
        return RecordCount(len(letters), _MEDLINE_HOW, _medline_starts, cut_at, reason)
    starts = _medline_starts(text)
    cut_at, reason = _medline_cut(text, starts[-3:])
    return RecordCount(len(starts), _MEDLINE_HOW, lambda _text: starts, cut_at, reason)


def _last_starts(text: str, k: int) -> list[int]:
    """Offsets of the last ``k`` PMID lines, in file order."""
    found: list[int] = []
    end = len(text)
    while len(found) < k:
        at = text.rfind("\nPMID", 0, end)
        if at < 0:
            if text.startswith("PMID"):
                found.append(0)
            break
        found.append(at + 1)
        end = at
    return found[::-1]


def _medline_starts(text: str) -> list[int]:
    """A record has one PMID and one PMC line, whatever blank lines fall inside it:
    PubMed writes PMID first and PMC deep inside, PubMed Central PMC with PMID on the
    next line. A PMID starts a record unless it is the line after the PMC line that
    opened one; a PMC starts a record when the last record has a PMC already, has no
    PMID, or when the next line is a PMID."""
    starts: list[int] = []
    has_pmid = has_pmc = False
    after_pmc = -1  # where the line after a record's opening PMC line starts
    for at, _ in _marks(_PMID_OR_PMC, text):
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        if text[at + 2] == "I":
            if not (has_pmc and not has_pmid and not text[after_pmc:at].strip()):
                starts.append(at)
                has_pmc = False
            has_pmid = True
        else:
            if has_pmc or not has_pmid or _PMID_NEXT_LINE.match(text, line_end):
                starts.append(at)
                has_pmid = False
                after_pmc = line_end
            has_pmc = True
    return starts


def _medline_cut(text: str, starts: list[int]) -> tuple[int | None, str]:
    """The last record is cut when the file stops mid-line, or when it lacks the SO
    (source) line that PubMed writes last in every record and the records before it
    have. ``starts``: the offsets of the last few records."""
    if not starts:
        return None, ""
    last = starts[-1]
    if text and not text.endswith("\n"):
        return last, "the file ends in the middle of a line of it"
    enders = {_last_tag(text[a:b]) for a, b in itertools.pairwise(starts)}
    if enders == {"SO"} and not re.search(r"^SO *-", text[last:], re.M):
        return last, "it has no SO line, which ends the records before it"
    return None, ""


def _last_tag(record: str) -> str:
    for line in reversed(record.rstrip("\n").split("\n")):
        match = _MEDLINE_TAG_LINE.match(line)
        if match:
            return match.group(1)
    return ""


# -- Ovid numbered records, ProQuest text, EndNote tagged -------------------------------

OVID_NUMBER = re.compile(r"^ ?<\d+(?:\. ?)?>[ \t]*$", re.M)


def count_ovid(text: str) -> RecordCount:
    starts = [m.start() for m in OVID_NUMBER.finditer(text)]
    cut_at, reason = None, ""
    if starts and text and not text.endswith("\n"):
        cut_at, reason = starts[-1], "the file ends in the middle of a line of it"
    how = "record numbers such as '<1>' or '<1. >'"
    return RecordCount(len(starts), how, lambda _text: starts, cut_at, reason)


PROQUEST_DOCUMENT = re.compile(r"^Document \d+ of \d+[ \t]*$", re.M)
_RULE = re.compile(r"^_{20,}[ \t]*$", re.M)


def count_proquest(text: str) -> RecordCount:
    starts = [m.start() for m in PROQUEST_DOCUMENT.finditer(text)]
    cut_at, reason = None, ""
    if starts and not _RULE.search(text, starts[-1]):
        cut_at, reason = starts[-1], "no rule of underscores ends it: the file ends inside it"
    return RecordCount(len(starts), "'Document N of M' lines", lambda _text: starts, cut_at, reason)


_ENW_GLUED = re.compile(r"(?<=\S)%[0-9A-Z@] (?=\S)")


def count_endnote_tagged(text: str) -> RecordCount:
    """Blocks of '%X' lines between blank lines; a second '%0' in a block opens a record,
    and so does a '%X value' glued to the end of a '%' line (files joined by ``cat``)."""
    starts: list[int] = []
    offset = 0
    in_record = has_type = False
    for line in text.split("\n"):
        glued = _ENW_GLUED.search(line, 3) if line[:1] == "%" else None
        if glued is not None:
            starts.append(offset + glued.start())
            in_record, has_type = True, line[glued.start() + 1] == "0"
        elif not line.strip():
            in_record = has_type = False
        elif len(line) >= 2 and line[0] == "%" and (len(line) == 2 or line[2] == " "):
            if not in_record or (line[1] == "0" and has_type):
                starts.append(offset)
                in_record, has_type = True, False
            has_type = has_type or line[1] == "0"
        offset += len(line) + 1
    cut_at, reason = None, ""
    if starts and text and not text.endswith("\n"):
        cut_at, reason = starts[-1], "the file ends in the middle of a line of it"
    return RecordCount(len(starts), "blocks of '%' lines", lambda _text: starts, cut_at, reason)


# -- BibTeX, XML, JSON, CSV ---------------------------------------------------------

# "@" first: the regex engine jumps from one "@" to the next instead of trying every line
_BIB_ENTRY = re.compile(r"@[ \t]*([A-Za-z]\w*)[ \t]*[{(]")
_NOT_ENTRIES = {"string", "comment", "preamble"}


def count_bibtex(text: str) -> RecordCount:
    """Entries start where a line starts with "@type{" or "@type(" (as bibtexparser's
    splitter sees them, even inside an unclosed entry); @string, @comment and
    @preamble are no records."""
    starts = []
    for match in _BIB_ENTRY.finditer(text):
        at = match.start()
        line_start = text.rfind("\n", 0, at) + 1
        if (at == line_start or not text[line_start:at].strip()) and match.group(
            1
        ).lower() not in _NOT_ENTRIES:
            starts.append(line_start)
    cut_at, reason = None, ""
    if starts and text.count("{", starts[-1]) > text.count("}", starts[-1]):
        cut_at, reason = starts[-1], "its braces never close: the file ends inside it"
    return RecordCount(len(starts), "'@type{' entries", lambda _text: starts, cut_at, reason)


def _xml(tag: str, how: str) -> Callable[[str], RecordCount]:
    pattern = re.compile(rf"<(?:{tag})[\s>]")

    def count(text: str) -> RecordCount:
        starts = [m.start() for m in pattern.finditer(text)]
        return RecordCount(len(starts), how, lambda _text: starts)

    return count


count_endnote_xml = _xml("record", "<record> elements")
count_pubmed_xml = _xml("PubmedArticle|PubmedBookArticle", "<PubmedArticle> elements")


def count_json(text: str) -> RecordCount:
    """Entries of the JSON array (an object with a list of results counts that list)."""
    try:
        data = json.loads(text)
    except ValueError:
        return RecordCount(0, "entries in the JSON array")
    if isinstance(data, dict):
        data = next(
            (data[k] for k in ("items", "results", "records") if isinstance(data.get(k), list)),
            [data],
        )
    n = len(data) if isinstance(data, list) else 0
    return RecordCount(n, "entries in the JSON array")


SEP_LINE = re.compile(r"sep=(.)", re.IGNORECASE)  # Excel's first line naming the separator


def count_csv_rows(text: str, quoted: bool = True) -> RecordCount:
    """Rows after the header: line breaks outside quotes (a quote never closed opens no
    cell, so the lines after it still count as rows); rows of empty cells do not count,
    nor rows that repeat the header's column names in any order (two exports pasted
    into one file)."""
    starts: list[int] = []
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    k, n_lines = 0, len(lines)
    header: frozenset[str] | None = None
    shortest = longest = 0
    while k < n_lines:
        first = k
        if quoted and lines[k].count('"') % 2:
            # a quoted cell runs on: find the line that closes it
            j, odd = k + 1, True
            while j < n_lines and odd:
                odd = lines[j].count('"') % 2 == 0
                j += 1
            if odd:  # never closed: this line is a row of its own
                j = k + 1
            k = j
            row = "\n".join(lines[first:k])
        else:
            row = lines[k]
            k += 1
        if header is None and SEP_LINE.fullmatch(row.strip("\ufeff \r")):
            continue  # Excel's line naming the separator, above the header
        if row.strip(' \t,;"'):
            if header is None:
                header = _header_names(row, quoted)
                # a row as long as the header's names and at most twice the header
                # (quotes, spaces) may repeat it: only such rows are split into cells
                shortest, longest = sum(map(len, header)), 2 * len(row) + 10
            elif not (shortest <= len(row) <= longest and _header_names(row, quoted) == header):
                starts.append(offsets[first])
    return RecordCount(len(starts), "rows after the header", lambda _text: starts)


def _header_names(row: str, quoted: bool) -> frozenset[str]:
    """The column names of a header row (delimiter: the commonest of , ; tab in it)."""
    delimiter = max((",", ";", "\t"), key=row.count)
    if quoted:
        cells = next(csv.reader([row.replace("\n", " ")], delimiter=delimiter), [])
    else:
        cells = row.split(delimiter)
    return frozenset(n for c in cells if (n := c.strip().lower()))


COUNTERS: dict[str, Callable[[str], RecordCount]] = {
    "ris": count_ris,
    "medline": count_medline,
    "wos": count_wos,
    "bibtex": count_bibtex,
    "endnote_xml": count_endnote_xml,
    "endnote_tagged": count_endnote_tagged,
    "pop_json": count_json,
    "csl_json": count_json,
    "pubmed_xml": count_pubmed_xml,
    "ovid": count_ovid,
    "proquest_text": count_proquest,
    # WoS writes no quoting (stray quotes inside cells); a spreadsheet program saving it
    # again quotes cells holding a quote, doubled: then a quoted cell may span lines
    "wos_tab": lambda text: count_csv_rows(text, quoted='""' in text),
}


def count_records(text: str, fmt: str) -> RecordCount:
    """The records ``text`` holds as format ``fmt`` (CSV kinds count rows)."""
    return COUNTERS.get(fmt, count_csv_rows)(text)
