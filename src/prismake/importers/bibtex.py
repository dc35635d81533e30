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
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            entry = block.ignore_error_block
            if isinstance(entry, model.Entry):
                result.notes.append(Skipped(line, f"entry key '{block.key}' used twice"))
                block = entry
        if isinstance(block, model.Entry):
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
    names, depth, start, i = [], 0, 0, 0
    lowered = value.replace("\n", " ")
    while i < len(lowered):
        ch = lowered[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and lowered.startswith(" and ", i):
            names.append(value[start:i])
            i += 5
            start = i
            continue
        i += 1
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


def to_record(entry: model.Entry, source: str) -> Record:
    """Map BibTeX fields (any case) to record columns."""
    fields: dict[str, str] = {}
    for f in entry.fields:
        key = f.key.lower()
        if key not in fields:
            value = f.value if isinstance(f.value, str) else str(f.value)
            if (value[:1] == "{" and value[-1:] == "}") or (value[:1] == '"' and value[-1:] == '"'):
                value = value[1:-1]
            fields[key] = value

    def get(*names: str) -> str:
        for name in names:
            value = fields.get(name)
            if value:
                return latex_to_text(value)
        return ""

    names = split_names(fields.get("author", ""))
    if not names and entry.entry_type.lower() in ("book", "proceedings"):
        names = split_names(fields.get("editor", ""))
    authors = [latex_to_text(a) for a in names]
    # a name wholly in braces is a group ("{Co-production Collective}"), not a person
    corporate = [
        latex_to_text(a) for a in names if a.startswith("{") and a.endswith("}") and _one_group(a)
    ]
    pages = get("pages").replace("\u2013", "-")
    if not pages:
        pages = get("art_number", "article-number", "eid")
    issn, isbn = issn_isbn([get("issn"), get("eissn")])
    _, isbn2 = issn_isbn([get("isbn")])
    keyword_text = get("keywords", "author_keywords", "keyword")
    keywords = re.split(r"\s*;\s*" if ";" in keyword_text else r"\s*,\s*", keyword_text)
    urls = re.split(r"\s+", get("url")) if fields.get("url") else []
    ids: dict[str, str] = {}
    unique_id = get("unique-id", "unique_id")
    if unique_id.upper().startswith("WOS:"):
        ids["wos_id"] = unique_id
    elif unique_id:
        ids["database_id"] = unique_id
    for url in urls:
        match = re.search(r"eid=(2-s2\.0-\d+)", url)
        if match:
            ids["scopus_eid"] = match.group(1)
    return make_record(
        source=source,
        title=get("title", "booktitle"),
        authors=authors,
        year=get("year", "date"),
        journal=get("journal", "journaltitle", "booktitle", "series", "publisher"),
        volume=get("volume"),
        issue=get("number", "issue"),
        pages=join_pages(pages),
        doi=first_doi([get("doi"), fields.get("url", "")]),
        abstract=get("abstract"),
        keywords=keywords,
        urls=urls,
        issn=issn,
        isbn=isbn or isbn2,
        language=get("language", "langid"),
        type=record_type(entry.entry_type),
        pmid=get("pmid"),
        corporate=corporate,
        publisher=get("publisher", "institution", "school", "organization"),
        address=get("address", "location"),
        article_number=get("art_number", "article-number", "eid"),
        **ids,
    )
