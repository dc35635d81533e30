"""BibTeX from Web of Science, Scopus and reference managers, read with bibtexparser 2.

bibtexparser splits the file into blocks; a block it cannot parse becomes a failed block,
which we list in the report with its line instead of losing the whole file. Field names
are matched case-blind (WoS writes ``Title``), LaTeX is decoded by ``latex.py``, and an
entry whose key repeats an earlier one is still a record (two exports merged by hand).
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import model

from prismake.importers.latex import latex_to_text
from prismake.importers.normalise import (
    first_doi,
    issn_isbn,
    join_pages,
    make_record,
    missing_reason,
    record_type,
)
from prismake.importers.result import ImportResult, LineSkips, Record, Skipped


def parse(text: str, file: str) -> ImportResult:
    """Read BibTeX text; failed blocks are listed as skipped records with their line."""
    result = ImportResult(file=file, format="bibtex", encoding="")
    splitter_log = logging.getLogger("bibtexparser")
    level = splitter_log.level
    splitter_log.setLevel(logging.CRITICAL)  # its errors are listed in our report instead
    try:
        # Without @string macros only the splitter is needed; the enclosing braces are
        # removed in to_record, which saves a full pass over every field.
        has_macros = "@string" in text.lower()
        library = bibtexparser.parse_string(text, parse_stack=None if has_macros else [])
    finally:
        splitter_log.setLevel(level)
    outside = LineSkips()
    blocks = library.blocks
    for i, block in enumerate(blocks):
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            entry = block.ignore_error_block
            if isinstance(entry, model.Entry):
                result.notes.append(Skipped(line, f"entry key '{block.key}' used twice"))
                block = entry
        if (
            isinstance(block, model.ImplicitComment)
            and i
            and isinstance(blocks[i - 1], model.Entry | model.DuplicateBlockKeyBlock)
            and _FIELDS_LEFT.match(block.comment)
        ):
            continue  # the rest of an entry a stray '}' closed early: read with it
        if isinstance(block, model.Entry):
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(after, model.ImplicitComment) and _FIELDS_LEFT.match(after.comment):
                block = _rejoined(block, after, line, result)
            record = to_record(block, f"{file}:{line}")
            reason = missing_reason(record)
            if reason:
                result.skipped.append(Skipped(line, f"record skipped: {reason}"))
            else:
                result.records.append(record)
        elif isinstance(block, model.ParsingFailedBlock):
            result.skipped.append(Skipped(line, f"entry skipped: {_why(block)}"))
        elif isinstance(block, model.ImplicitComment) and block.comment.strip():
            outside.add(line, "text outside any entry, ignored")
    outside.merge_into(result)
    return result


# what follows an entry a stray '}' closed early: ", Year = {2017}, ..."
_FIELDS_LEFT = re.compile(r"\s*,\s*[A-Za-z][\w-]*\s*=")


def _rejoined(
    entry: model.Entry, rest: model.ImplicitComment, line: int, result: ImportResult
) -> model.Entry:
    """An entry whose field holds one '}' too many (``Title = { a broken} Title},``):
    bibtexparser ends the entry there and reads the fields after it as text outside any
    entry, so the record lost its year, DOI, journal. Those fields are read again and
    given back to it, and the note names the brace's line."""
    brace = line + entry.raw.count("\n")
    recovered = bibtexparser.parse_string(f"@misc{{rest{rest.comment}", parse_stack=[])
    found = [f for e in recovered.entries for f in e.fields]
    have = {f.key.lower() for f in entry.fields}
    added = [f for f in found if f.key.lower() not in have]
    names = ", ".join(f.key for f in added[:8]) + (", ..." if len(added) > 8 else "")
    what = (
        f"the fields after it were read again ({names})"
        if added
        else "the fields after it could not be read and are missing"
    )
    result.notes.append(
        Skipped(
            line,
            f"entry '{entry.key}': a '}}' too many at line {brace} ends the entry early; "
            f"{what}. Check the field at line {brace} and remove the stray '}}' in the file",
        )
    )
    return model.Entry(entry.entry_type, entry.key, list(entry.fields) + added, entry.start_line)


def _why(block: model.ParsingFailedBlock) -> str:
    error = block.error
    message = str(getattr(error, "abort_reason", "") or getattr(error, "message", "") or error)
    tail = message.split("bibtex:", 1)[-1]
    tail = re.sub(r"\s+", " ", tail).strip().rstrip(".")
    return f"BibTeX syntax error ({tail})" if tail else "BibTeX syntax error"


def split_names(value: str) -> list[str]:
    """Authors joined by " and " outside braces ("{Barnes and Noble}" stays one name)."""
    if " and " not in value and "\nand" not in value:
        return [value] if value.strip() else []
    # each " and " found, kept where the braces before it balance: the string searches
    # and counts run in C (a loop over every character cost ~30 us an entry)
    lowered = value.replace("\n", " ")
    names, start = [], 0
    at = lowered.find(" and ")
    while at >= 0:
        if lowered.count("{", 0, at) == lowered.count("}", 0, at):
            names.append(value[start:at])
            start = at + 5
            at = lowered.find(" and ", start)
        else:
            at = lowered.find(" and ", at + 1)
    names.append(value[start:])
    return [n.strip() for n in names if n.strip()]


def _one_group(name: str) -> bool:
    """True if the outer braces of ``name`` enclose all of it ("{A} and {B}" does not)."""
    depth = 0
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


_SEMICOLON, _COMMA, _SPACES = re.compile(r"\s*;\s*"), re.compile(r"\s*,\s*"), re.compile(r"\s+")
_EID = re.compile(r"eid=(2-s2\.0-\d+)")
# the fields read as text: each is decoded from LaTeX once, as it is met (the others,
# cited references or file paths, never are)
_TEXT_FIELDS = frozenset(
    (
        "title",
        "booktitle",
        "year",
        "date",
        "journal",
        "journaltitle",
        "series",
        "publisher",
        "volume",
        "number",
        "issue",
        "pages",
        "art_number",
        "article-number",
        "eid",
        "issn",
        "eissn",
        "isbn",
        "keywords",
        "author_keywords",
        "keyword",
        "url",
        "unique-id",
        "unique_id",
        "doi",
        "abstract",
        "language",
        "langid",
        "pmid",
        "institution",
        "school",
        "organization",
        "address",
        "location",
    )
)


def _first(text: dict[str, str], names: tuple[str, ...]) -> str:
    """The decoded value of the first of ``names`` the entry has (non-empty as written)."""
    for name in names:
        value = text.get(name)
        if value is not None:
            return value
    return ""


def to_record(entry: model.Entry, source: str) -> Record:
    """Map BibTeX fields (any case) to record columns."""
    fields: dict[str, str] = {}  # as written, enclosing braces or quotes removed
    text: dict[str, str] = {}  # the fields read as text, non-empty as written, decoded
    for f in entry.fields:
        key = f.key.lower()
        if key not in fields:
            value = f.value
            if not isinstance(value, str):
                value = str(value)
            if (value[:1] == "{" and value[-1:] == "}") or (value[:1] == '"' and value[-1:] == '"'):
                value = value[1:-1]
            fields[key] = value
            if value and key in _TEXT_FIELDS:
                text[key] = latex_to_text(value)
    get = text.get

    names = split_names(fields.get("author", ""))
    if not names and entry.entry_type.lower() in ("book", "proceedings"):
        names = split_names(fields.get("editor", ""))
    authors = [latex_to_text(a) for a in names]
    # a name wholly in braces is a group ("{Co-production Collective}"), not a person
    corporate = [
        latex_to_text(a) for a in names if a.startswith("{") and a.endswith("}") and _one_group(a)
    ]
    article_number = _first(text, ("art_number", "article-number", "eid"))
    pages = get("pages", "").replace("\u2013", "-") or article_number
    issn, isbn = issn_isbn([get("issn", ""), get("eissn", "")])
    if not isbn and "isbn" in text:
        isbn = issn_isbn([text["isbn"]])[1]
    keyword_text = _first(text, ("keywords", "author_keywords", "keyword"))
    keywords = (_SEMICOLON if ";" in keyword_text else _COMMA).split(keyword_text)
    urls = _SPACES.split(text["url"]) if "url" in text else []
    ids: dict[str, str] = {}
    unique_id = _first(text, ("unique-id", "unique_id"))
    if unique_id.upper().startswith("WOS:"):
        ids["wos_id"] = unique_id
    elif unique_id:
        ids["database_id"] = unique_id
    for url in urls:
        match = _EID.search(url) if "eid=" in url else None
        if match:
            ids["scopus_eid"] = match.group(1)
    return make_record(
        source=source,
        title=_first(text, ("title", "booktitle")),
        authors=authors,
        year=_first(text, ("year", "date")),
        journal=_first(text, ("journal", "journaltitle", "booktitle", "series", "publisher")),
        volume=get("volume", ""),
        issue=_first(text, ("number", "issue")),
        pages=join_pages(pages),
        doi=first_doi([get("doi", ""), fields.get("url", "")]),
        abstract=get("abstract", ""),
        keywords=keywords,
        urls=urls,
        issn=issn,
        isbn=isbn,
        language=_first(text, ("language", "langid")),
        type=record_type(entry.entry_type),
        pmid=get("pmid", ""),
        corporate=corporate,
        publisher=_first(text, ("publisher", "institution", "school", "organization")),
        address=_first(text, ("address", "location")),
        article_number=article_number,
        **ids,
    )
