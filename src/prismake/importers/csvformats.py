"""Spreadsheet-style exports: Scopus CSV, Embase CSV, PubMed CSV, WoS tab-delimited,
re-exports from Covidence and Rayyan, and any other CSV through a column mapping.

Rows are read with the csv module (quoted cells may hold newlines, so every record keeps
the line it starts on). A ragged row is still read: with fewer cells than the header the
missing cells are empty; with more (Scopus adds a "Funding Text 2" cell the header lacks)
the first half of the columns is read from the left and the second half from the right,
which keeps both the title block and the trailing ids (EID, PubMed ID) in place. Every
ragged row is named in the report.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import unquote

from prismake.errors import ImportFileError
from prismake.importers import wos
from prismake.importers.count import SEP_LINE
from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    join_pages,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, Record, Skipped

Row = dict[str, str]

csv.field_size_limit(1 << 30)


def _first_lines(text: str, n: int = 100) -> Iterator[str]:
    """The first ``n`` lines of ``text``, without splitting all of a large file."""
    start = 0
    for _ in range(n):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def header_line(lines: Iterable[str]) -> tuple[str, str | None]:
    """A table's header line, and the separator an Excel "sep=;" line above it names."""
    said = None
    for line in lines:
        text = line.strip("\ufeff \r")
        sep = SEP_LINE.fullmatch(text)
        if sep and said is None:
            said = sep.group(1)
        elif text.strip(",;\t "):
            return line, said
    return "", said


def _before_header(cells: list[str], delimiter: str) -> bool:
    """An empty row, or Excel's "sep=;" line: what a spreadsheet may put above the header."""
    text = delimiter.join(cells).strip("\ufeff \r")
    return not text.strip(delimiter + " ") or bool(SEP_LINE.fullmatch(text))


def _rows(
    text: str, file: str, result: ImportResult, delimiter: str | None = None, quoting: int = 0
) -> Iterator[tuple[int, Row]]:
    """``(line, row)`` per data row, keyed by lower-cased header; ragged rows noted.

    The header is the first row with text in it: a file saved from a spreadsheet may
    start with empty rows, and Excel's "sep=;" line names the separator."""
    first, said = header_line(_first_lines(text))
    if delimiter is None:
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = said or max(counts, key=lambda d: counts[d])
    reader = csv.reader(
        io.StringIO(text), delimiter=delimiter, quoting=quoting or csv.QUOTE_MINIMAL
    )
    try:
        header = next(reader)
        while _before_header(header, delimiter):
            header = next(reader)
    except StopIteration:
        raise ImportFileError(file, "the file is empty") from None
    header = [h.strip().lstrip("\ufeff").lower() for h in header]
    width = len(header)
    names = _names(header)
    start = reader.line_num + 1
    ragged: list[Skipped] = []
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) >= len(names) and _names(cells) == names:
                # the header again (two exports pasted into one file): it names the
                # columns of the rows after it, in its own order
                header = [h.strip().lstrip("\ufeff").lower() for h in cells]
                width = len(header)
                result.notes.append(Skipped(line, REPEATED_HEADER))
                continue
            n = len(cells)
            if n != width:
                extra = cells[width:] if n > width else []
                if n > width and not any(c.strip() for c in extra):
                    cells = cells[:width]
                elif n > width:
                    cells, k = _realign(cells, header)
                    ragged.append(
                        Skipped(
                            line,
                            f"row has {n} cells but the header has {width}: the first {k} "
                            f"columns were read from the left, the other {width - k} from "
                            "the right (where the ids and years fit their columns)",
                        )
                    )
                else:
                    ragged.append(
                        Skipped(
                            line,
                            f"row has {n} cells but the header has {width}: the "
                            f"last {width - n} columns were read as empty",
                        )
                    )
                    cells = cells + [""] * (width - n)
            yield line, dict(zip(header, cells, strict=True))
        _note_ragged(result, ragged)
    except csv.Error as error:
        raise ImportFileError(
            file,
            f"the CSV cannot be read ({error})",
            line=reader.line_num,
            hint="Open it in a spreadsheet program and save it again as CSV (UTF-8).",
        ) from None


_RAGGED_SHOWN = 20


def _note_ragged(result: ImportResult, ragged: list[Skipped]) -> None:
    """The first 20 ragged rows, each with its line; the others in one note with their
    count (one line per row made a report of 115 lines for one Scopus file)."""
    result.notes.extend(ragged[:_RAGGED_SHOWN])
    rest = ragged[_RAGGED_SHOWN:]
    if rest:
        lines = ", ".join(str(s.line) for s in rest[:10]) + (" ..." if len(rest) > 10 else "")
        result.notes.append(
            Skipped(
                rest[0].line,
                f"{len(rest)} more rows have more or fewer cells than the header (lines "
                f"{lines}), read the same way",
            )
        )
    result.notes.sort(key=lambda s: s.line)


REPEATED_HEADER = (
    "row repeats the header (two exports pasted into one file?): not a record; the rows "
    "after it are read in its column order"
)


def _names(cells: list[str]) -> frozenset[str]:
    """A header's column names, case and order aside: a row with the same names is the
    header again (count.py's row count leaves such rows out the same way)."""
    return frozenset(n for c in cells if (n := c.strip().lstrip("\ufeff").lower()))


# What a cell of a known column looks like: used to place the cells of a ragged row.
_SHAPES: dict[str, re.Pattern[str]] = {
    "year": re.compile(r"\d{4}$"),
    "publication year": re.compile(r"\d{4}$"),
    "py": re.compile(r"\d{4}$"),
    "doi": re.compile(r"10\.\d{4,9}/"),
    "di": re.compile(r"10\.\d{4,9}/"),
    "link": re.compile(r"https?://"),
    "url": re.compile(r"https?://"),
    "eid": re.compile(r"2-s2\.0-\d+$"),
    "ut": re.compile(r"WOS:"),
    "pubmed id": re.compile(r"\d+$"),
    "pmid": re.compile(r"\d+$"),
    "pm": re.compile(r"\d+$"),
    "issn": re.compile(r"[\dXx-]{8,9}$"),
    "page start": re.compile(r"\w{0,3}\d+$"),
    "page end": re.compile(r"\w{0,3}\d+$"),
    "language of original document": re.compile(r"[A-Z][a-z]+(; [A-Z][a-z]+)*$"),
    "source": re.compile(r"[A-Z][A-Za-z ]+$"),
}


def _realign(cells: list[str], header: list[str]) -> tuple[list[str], int]:
    """Drop the surplus cells of a ragged row where the known columns fit best.

    Tries every place the surplus could sit: the first ``k`` columns read from the left,
    the rest from the right; the ``k`` whose ids, years and links look right wins (the
    middle one of a tie).
    """
    width, n = len(header), len(cells)
    checks = [(i, _SHAPES[name]) for i, name in enumerate(header) if name in _SHAPES]
    scores = []
    for k in range(width + 1):
        row = cells[:k] + cells[n - (width - k) :]
        score = 0
        for i, shape in checks:
            value = row[i].strip()
            if value:
                score += 1 if shape.match(value) else -1
        scores.append(score)
    best = max(scores)
    ties = [k for k, score in enumerate(scores) if score == best]
    k = ties[len(ties) // 2]
    return cells[:k] + cells[n - (width - k) :], k


def _parse(
    text: str,
    file: str,
    fmt: str,
    to_record: Callable[[Row, str], Record],
    delimiter: str | None = None,
    quoting: int = 0,
) -> ImportResult:
    result = ImportResult(file=file, format=fmt, encoding="")
    for line, row in _rows(text, file, result, delimiter, quoting):
        record = to_record(row, f"{file}:{line}")
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(line, f"row skipped: {reason}"))
        else:
            result.records.append(record)
    return result


def _get(row: Row, *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value and value.strip():
            return value.strip()
    return ""


def split_author_list(text: str) -> list[str]:
    """Authors from one cell: "A; B", "Surname I.J., Other K." or "Lim SM, Xu L"."""
    text = text.strip().rstrip(";")
    if not text:
        return []
    if ";" in text:
        return [p.strip() for p in text.split(";") if p.strip()]
    if re.search(r"\.,\s", text):
        return [p.strip() for p in re.split(r"(?<=\.),\s*", text) if p.strip()]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts and all(re.fullmatch(r"[^,]+ [A-Z]{1,4}\.?", p) for p in parts):
        return [p.rstrip(".") if p.endswith(".") and p == parts[-1] else p for p in parts]
    return [text]


def _keywords(*cells: str) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if cell:
            # commas inside brackets belong to the term: "cyst (diagnosis, surgery)"
            sep = r"\s*;\s*" if ";" in cell else r"\s*,\s*(?![^()]*\))"
            out += re.split(sep, cell)
    return out


def scopus_record(row: Row, source: str) -> Record:
    """Scopus CSV columns to record columns."""
    link = _get(row, "link")
    eid = _get(row, "eid")
    issn, isbn = issn_isbn([_get(row, "issn"), _get(row, "isbn")])
    pages = join_pages(_get(row, "page start"), _get(row, "page end")) or _get(row, "art. no.")
    return make_record(
        source=source,
        title=_get(row, "title"),
        authors=split_author_list(_get(row, "authors", "author full names")),
        year=_get(row, "year"),
        journal=_get(row, "source title"),
        volume=_get(row, "volume"),
        issue=_get(row, "issue"),
        pages=pages,
        doi=first_doi([_get(row, "doi")]),
        abstract=_get(row, "abstract"),
        keywords=_keywords(_get(row, "author keywords"), _get(row, "index keywords")),
        urls=[link] if link else [],
        issn=issn,
        isbn=isbn,
        language=_get(row, "language of original document"),
        type=record_type(_get(row, "document type")),
        pmid=_get(row, "pubmed id"),
        publisher=_get(row, "publisher"),
        article_number=_get(row, "art. no."),
        scopus_eid=eid if eid.startswith("2-s2.0-") else "",
    )


_CITATION = re.compile(r";\s*([^(:;]+?)?\s*(?:\(([^)]*)\))?\s*:\s*([^.\s]+)")


def pubmed_record(row: Row, source: str) -> Record:
    """PubMed "Save > CSV" columns; volume, issue and pages come from the Citation."""
    citation = _get(row, "citation")
    volume = issue = pages = ""
    match = _CITATION.search(citation)
    if match:
        volume, issue, pages = (g or "" for g in match.groups())
    pmid = _get(row, "pmid")
    return make_record(
        source=source,
        title=_get(row, "title"),
        authors=split_author_list(_get(row, "authors")),
        year=_get(row, "publication year", "create date"),
        journal=_get(row, "journal/book"),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=first_doi([_get(row, "doi"), citation]),
        urls=[f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"] if pmid.isdigit() else [],
        type="article",
        pmid=pmid,
    )


_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.*?)\s*\((?P<year>\d{4})\)\s*(?P<volume>[^:\s(]*)(?::(?P<issue>[^\s(]*))?"
    r"\s*(?:\((?P<pages>[^)]*)\))?"
)


def embase_record(row: Row, source: str) -> Record:
    """embase.com CSV; journal, year, volume, issue and pages come from "Source"."""
    cited = _get(row, "source")  # "Journal 2019 22:4 (601-615)"
    parts = {"journal": cited, "year": "", "volume": "", "issue": "", "pages": ""}
    match = _EMBASE_SOURCE.match(cited)
    if match:
        parts = {k: v or "" for k, v in match.groupdict().items()}
    link = _get(row, "open url link", "full text link", "embase link")
    doi_cell = _get(row, "doi")
    in_link = re.search(r"doi[:=]([^&\s]+)", unquote(link))
    doi = first_doi([doi_cell, in_link.group(1) if in_link else ""])
    return make_record(
        source=source,
        title=_get(row, "title", "original title"),
        authors=split_author_list(_get(row, "author names")),
        year=parts["year"] or _get(row, "publication year"),
        journal=parts["journal"],
        volume=parts["volume"],
        issue=parts["issue"],
        pages=parts["pages"],
        doi=doi,
        abstract=_get(row, "abstract", "original abstract"),
        keywords=_keywords(_get(row, "keywords")),
        urls=[link] if link else [],
        issn=issn_isbn([_get(row, "issn")])[0],
        language=_get(row, "article language", "language"),
        type=record_type(_get(row, "publication type") or "article"),
        pmid=_get(row, "medline pmid", "pubmed id", "pmid"),
        accession_number=_get(row, "embase accession id", "accession number"),
    )


_WOS_LISTS = {"au", "af", "ca", "ba", "bf", "ed", "gp"}


def wos_tab_record(row: Row, source: str) -> Record:
    """WoS tab-delimited: the same two-letter codes as WoS plain text, one per column."""
    fields: dict[str, list[str]] = {}
    for code, value in row.items():
        value = value.strip()
        if not value:
            continue
        if code in _WOS_LISTS:
            fields[code.upper()] = [v.strip() for v in value.split(";") if v.strip()]
        else:
            fields[code.upper()] = [value]
    return wos.to_record(fields, source)


# Generic CSV: record field -> column names tried (lower case) when config gives none.
GENERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "primary title"),
    "authors": ("authors", "author", "author names", "author(s)"),
    "year": ("year", "publication year", "published year", "py", "date", "publication date"),
    "journal": ("journal", "source title", "source", "publication title", "journal/book"),
    "volume": ("volume", "vol"),
    "issue": ("issue", "number", "no"),
    "pages": ("pages", "page", "page range"),
    "doi": ("doi",),
    "abstract": ("abstract",),
    "keywords": ("keywords", "author keywords", "subject"),
    "url": ("url", "link"),
    "issn": ("issn",),
    "isbn": ("isbn",),
    "language": ("language",),
    "type": ("type", "document type", "item type"),
    "pmid": ("pmid", "pubmed id", "pubmed_id"),
}


def parse_generic(text: str, file: str, columns: dict[str, str] | None = None) -> ImportResult:
    """Any CSV: ``columns`` (from config) says which column holds which field."""
    result = ImportResult(file=file, format="csv", encoding="")
    mapping = {k: v.strip() for k, v in (columns or {}).items()}
    rows = _rows(text, file, result)
    resolved: dict[str, str] | None = None
    for line, row in rows:
        if resolved is None:
            resolved = _resolve(mapping, list(row), file)
        record = make_record(
            source=f"{file}:{line}",
            title=row.get(resolved.get("title", ""), ""),
            authors=split_author_list(row.get(resolved.get("authors", ""), "")),
            year=row.get(resolved.get("year", ""), ""),
            journal=row.get(resolved.get("journal", ""), ""),
            volume=row.get(resolved.get("volume", ""), ""),
            issue=row.get(resolved.get("issue", ""), ""),
            pages=row.get(resolved.get("pages", ""), ""),
            doi=first_doi([row.get(resolved.get("doi", ""), "")]),
            abstract=row.get(resolved.get("abstract", ""), ""),
            keywords=_keywords(row.get(resolved.get("keywords", ""), "")),
            urls=[u for u in [row.get(resolved.get("url", ""), "")] if u],
            issn=row.get(resolved.get("issn", ""), ""),
            isbn=row.get(resolved.get("isbn", ""), ""),
            language=row.get(resolved.get("language", ""), ""),
            type=record_type(row.get(resolved.get("type", ""), "")),
            pmid=row.get(resolved.get("pmid", ""), ""),
        )
        reason = missing_reason(record)
        if reason:
            result.skipped.append(Skipped(line, f"row skipped: {reason}"))
        else:
            result.records.append(record)
    return result


def _resolve(mapping: dict[str, str], header: list[str], file: str) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for name, column in mapping.items():
        if column.lower() not in header:
            raise ImportFileError(
                file,
                f"the column mapping says {name} is in column {column!r}, which the file lacks",
                line=1,
                hint=f"The header has: {', '.join(header)}. Fix the column mapping "
                "(`columns:` of the search in config/config.yaml, or --column).",
            )
        resolved[name] = column.lower()
    for name, candidates in GENERIC_COLUMNS.items():
        if name not in resolved:
            for candidate in candidates:
                if candidate in header:
                    resolved[name] = candidate
                    break
    if "title" not in resolved:
        raise ImportFileError(
            file,
            "no column holds the titles",
            line=1,
            hint="Say which column holds which field: `columns: {title: <column name>, "
            "authors: ..., year: ...}` for the search in config/config.yaml, or "
            "--column 'title=<column name>' on the command line.",
        )
    return resolved


def parse_scopus(text: str, file: str) -> ImportResult:
    return _parse(text, file, "scopus_csv", scopus_record)


def parse_pubmed(text: str, file: str) -> ImportResult:
    return _parse(text, file, "pubmed_csv", pubmed_record)


def parse_embase(text: str, file: str) -> ImportResult:
    return _parse(text, file, "embase_csv", embase_record)


def parse_wos_tab(text: str, file: str) -> ImportResult:
    quoting = wos_tab_quoting(text)
    return _parse(text, file, "wos_tab", wos_tab_record, delimiter="\t", quoting=quoting)


def wos_tab_quoting(text: str) -> int:
    """``QUOTE_NONE`` for WoS's own tab-delimited export, which never quotes a cell (and
    has stray quotes inside cells: 'a "smart" kit'); ``QUOTE_MINIMAL`` for one a
    spreadsheet program saved again, which quotes every cell holding a quote, doubling
    it ('"a ""smart"" kit"'). Quoted when the cells read strictly as CSV cells, with no
    more ragged rows than unquoted, and some cell carries what only quoting can: a
    doubled quote, a tab or a line break."""
    if '"' not in text:
        return csv.QUOTE_NONE
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter="\t", strict=True))
    except csv.Error:
        return csv.QUOTE_NONE
    carried = '""' in text or any("\n" in c or "\t" in c for row in rows for c in row)
    if not carried:
        return csv.QUOTE_NONE
    plain = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if _ragged(rows) > _ragged(plain):
        return csv.QUOTE_NONE
    return csv.QUOTE_MINIMAL


def _ragged(rows: list[list[str]]) -> int:
    """Rows with cells whose number differs from the header's (blank rows aside)."""
    rows = [row for row in rows if any(c.strip() for c in row)]
    return sum(len(row) != len(rows[0]) for row in rows)


def covidence_record(row: Row, source: str) -> Record:
    """Covidence's reference export (CSV): "Published Year", "Accession Number" (the
    PMID for PubMed records) and "Covidence #", the review's own record number."""
    accession = _get(row, "accession number")
    number = _get(row, "covidence #")
    return make_record(
        source=source,
        title=_get(row, "title"),
        authors=split_author_list(_get(row, "authors")),
        year=_get(row, "published year", "year"),
        journal=_get(row, "journal"),
        volume=_get(row, "volume"),
        issue=_get(row, "issue"),
        pages=join_pages(_get(row, "pages")),
        doi=first_doi([_get(row, "doi")]),
        abstract=_get(row, "abstract"),
        keywords=_keywords(_get(row, "keywords", "tags")),
        type="article",
        pmid=accession if accession.isdigit() and len(accession) <= 9 else "",
        accession_number=accession if not accession.isdigit() else "",
        database_id=f"covidence {number}" if number else "",
    )


def _rayyan_authors(cell: str) -> list[str]:
    """Rayyan joins authors with " and " ("Smith, J. and Doe, K.")."""
    if " and " in cell:
        return [name.strip() for name in cell.split(" and ") if name.strip()]
    return split_author_list(cell)


def rayyan_record(row: Row, source: str) -> Record:
    """Rayyan's articles.csv: "key" (its record number), authors joined by " and ",
    "pubmed_id"/"pmc_id"; "notes" holds Rayyan's decisions, which are not citation
    fields and are not read."""
    url = _get(row, "url")
    key = _get(row, "key")
    pmc = _get(row, "pmc_id")
    return make_record(
        source=source,
        title=_get(row, "title"),
        authors=_rayyan_authors(_get(row, "authors")),
        year=_get(row, "year"),
        journal=_get(row, "journal"),
        volume=_get(row, "volume"),
        issue=_get(row, "issue"),
        pages=join_pages(_get(row, "pages")),
        doi=first_doi([_get(row, "doi"), url]),
        abstract=_get(row, "abstract"),
        keywords=_keywords(_get(row, "keywords")),
        urls=[u.strip() for u in re.split(r"\s*;\s*|\s+", url) if u.strip()] if url else [],
        issn=issn_isbn([_get(row, "issn")])[0],
        language=_get(row, "language"),
        type=record_type(_get(row, "type") or "article"),
        pmid=_get(row, "pubmed_id"),
        publisher=_get(row, "publisher"),
        accession_number=pmc if not _get(row, "pubmed_id") else "",
        database_id=f"rayyan {key}" if key else "",
    )


def parse_covidence(text: str, file: str) -> ImportResult:
    return _parse(text, file, "covidence_csv", covidence_record)


def parse_rayyan(text: str, file: str) -> ImportResult:
    return _parse(text, file, "rayyan_csv", rayyan_record)
