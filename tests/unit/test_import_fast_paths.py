"""The fast readers of regular files give exactly what the careful readers give.

RIS, MEDLINE and Web of Science files as the databases write them are read by a quick path;
anything unusual goes to the line-by-line state machine. Both must agree on every record,
skipped record and note, and the quick path must really be taken on regular files (else
the import speed quietly drops back).
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prismake.ids import _digest, _squash, assign_record_ids
from prismake.importers import medline, ris, wos
from prismake.importers.bibtex import split_names
from prismake.importers.normalise import clean, join_pages
from prismake.importers.textio import blocks
from prismake.importers.writers import WRITERS

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_RECORD = {
    "title": "Co-production of policy: risks and limits in local government practice",
    "authors": "Smith, Anna B.; van der Berg, Jon; Müller, Eva",
    "year": "2019",
    "journal": "Evidence & Policy",
    "volume": "15",
    "issue": "3",
    "pages": "301-320",
    "doi": "10.1332/174426419x15468578679853",
    "abstract": " ".join(["Service users and practitioners shared the design work."] * 12),
    "keywords": "co-production; policy; trust",
    "url": "https://example.org/a",
    "issn": "1744-2648",
    "language": "English",
    "type": "article",
    "pmid": "31234567",
}


def _same(a, b) -> None:
    assert a.records == b.records
    assert a.skipped == b.skipped
    assert a.notes == b.notes


def _lines(fmt: str, n: int = 3) -> list[str]:
    records = [
        dict(_RECORD, pmid=str(31234567 + i), title=f"{_RECORD['title']} {i}") for i in range(n)
    ]
    return WRITERS[fmt](records).split("\n")


def test_a_medline_file_as_pubmed_writes_it_takes_the_fast_path():
    text = "\n".join(_lines("medline"))
    fast = medline._read_regular(text, "f.nbib")
    assert fast is not None and len(fast.records) == 3
    _same(fast, medline._Reader(text, "f.nbib").read())


def test_a_ris_file_as_databases_write_it_takes_the_fast_path():
    text = "\n".join(_lines("ris"))
    fast = ris._read_regular(text, "f.ris")
    assert fast is not None and len(fast.records) == 3
    _same(fast, ris._Reader(text, "f.ris").read())


def test_a_wos_file_as_web_of_science_writes_it_takes_the_fast_path():
    text = "\n".join(_lines("wos"))
    fast = wos._read_regular(text, "f.txt")
    assert fast is not None and len(fast.records) == 3
    _same(fast, wos._read_any(text, "f.txt"))


# Lines that make a file irregular in the ways real exports are, or merely look odd.
_MEDLINE_ODD = [
    "",
    "   ",
    "      wrapped with six spaces",
    "       seven spaces",
    "    four spaces",
    "PMID- 99999999",
    "PMC - PMC1234567",
    "SO invalid line",
    "TI  -",
    "TI  - ",
    "AB -short dash",
    "AU  - Solo A",
    "FAU - Solo, Anna",
    "CN  - The Co-production Group",
    "LID - 10.1000/ODD [doi]",
    "xx  - lower case tag",
    "\t tabbed",
]
_RIS_ODD = [
    "",
    "   ",
    "ER  -",
    "ER  - ",
    "ER  - not the end",
    "ER  -   ",
    "TY  - JOUR",
    "TY  - BOOK",
    "AU  - Solo, A.",
    "AB  -",
    "DO  - 10.1000/ODD",
    "PMID- 12345678",
    "AB - one space",
    "  wrapped line of text",
    "Record #1 of 2",
    "<1>",
    "1.",
    "ab  - lower case",
]
_WOS_ODD = [
    "",
    "   ",
    "   continued",
    " one space",
    "  two spaces",
    "ER",
    "ER ",
    "ER stress is real",
    "EF",
    "PT J",
    "PT",
    "FN Clarivate Web of Science",
    "VR 1.0",
    "AU Solo, A",
    "AB",
    "TI Odd title",
    "no tag here",
    "DI 10.1000/ODD",
    "    four spaces",
    "   continued with trailing spaces   ",
    "AB trailing spaces   ",
    "   \u00a0continued after an NBSP",
    "\t tabbed",
    "CR Smith A, 2001, J ODD, V1, P1",
    "   Lee K, 2002, J ODD, V2, P2",
]


@st.composite
def _edited(draw, fmt: str, odd: list[str]) -> str:
    """A regular file with a few lines inserted, deleted or replaced."""
    lines = _lines(fmt, draw(st.integers(1, 3)))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert" or not lines:
            lines.insert(at, draw(st.sampled_from(odd)))
        elif action == "delete":
            del lines[min(at, len(lines) - 1)]
        else:
            lines[min(at, len(lines) - 1)] = draw(st.sampled_from(odd))
    return "\n".join(lines)


@_SETTINGS
@given(_edited("medline", _MEDLINE_ODD))
def test_medline_fast_and_careful_readers_agree_on_edited_files(text):
    _same(medline.parse(text, "f.nbib"), medline._Reader(text, "f.nbib").read())


@_SETTINGS
@given(_edited("ris", _RIS_ODD))
def test_ris_fast_and_careful_readers_agree_on_edited_files(text):
    _same(ris.parse(text, "f.ris"), ris._Reader(text, "f.ris").read())


@_SETTINGS
@given(_edited("wos", _WOS_ODD))
def test_wos_fast_and_careful_readers_agree_on_edited_files(text):
    _same(wos.parse(text, "f.txt"), wos._read_any(text, "f.txt"))


# --- record ids ------------------------------------------------------------------------


def _reference_squash(text: object) -> str:
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", s)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_record_id_digest_is_the_sha1_base32_prefix_it_always_was(text):
    expected = base64.b32encode(hashlib.sha1(text.encode("utf-8")).digest()).decode()
    assert _digest(text, 10) == expected.lower()[:10]
    assert _squash(text) == _reference_squash(text)


def test_a_record_keeps_the_id_earlier_versions_gave_it():
    # ids written into reviewers' sheets must never change
    assert assign_record_ids("pubmed", [{"pmid": "31234567"}]) == ["pubmed-kliv7j2hgb"]
    assert assign_record_ids("scopus", [{"title": "Café au lait", "year": "2020"}]) == [
        "scopus-supkz5ey5p"
    ]


# --- BibTeX author lists -----------------------------------------------------------------


def _reference_split_names(value: str) -> list[str]:
    """Character by character, as prismake split BibTeX names before (depth of braces)."""
    if " and " not in value and "\nand" not in value:
        return [value] if value.strip() else []
    names, depth, start, i = [], 0, 0, 0
    lowered = value.replace("\n", " ")
    while i < len(lowered):
        if lowered[i] == "{":
            depth += 1
        elif lowered[i] == "}":
            depth -= 1
        elif depth == 0 and lowered.startswith(" and ", i):
            names.append(value[start:i])
            i += 5
            start = i
            continue
        i += 1
    names.append(value[start:])
    return [n.strip() for n in names if n.strip()]


def test_bibtex_names_split_only_at_an_and_outside_braces():
    assert split_names('M{\\"u}ller, Anna and {Barnes and Noble} and\nLee, K') == [
        'M{\\"u}ller, Anna',
        "{Barnes and Noble}",
        "Lee, K",
    ]
    assert split_names("Smith, A\nand Lee, K and Ng, B") == ["Smith, A", "Lee, K", "Ng, B"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([" and ", "\nand ", "and", " ", "{", "}", "\n", "Ng, B"]), max_size=12
    ).map("".join)
)
def test_bibtex_names_split_as_the_brace_by_brace_reading_did(value):
    assert split_names(value) == _reference_split_names(value)


# --- pages -----------------------------------------------------------------------------

_NO_PAGES = re.compile(r"(?i)^\s*no\s*-?\s*(pagination)?(\s*-?\s*specified)?\s*$")


def _reference_join_pages(start: str, end: str = "") -> str:
    start, end = clean(start), clean(end)
    if _NO_PAGES.match(f"{start} {end}") or _NO_PAGES.match(start):
        return ""
    if start and end and end != start and "-" not in start:
        return f"{start}-{end}"
    return start or end


_PAGE_PIECES = st.sampled_from(
    ["", " ", "no", "No", "NO", "n", "pagination", "Pagination", "specified", "-", "12", "\t"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.lists(_PAGE_PIECES, max_size=5).map("".join), st.text(max_size=12)),
    st.one_of(st.lists(_PAGE_PIECES, max_size=5).map("".join), st.text(max_size=12)),
)
def test_pages_no_pagination_is_found_in_every_spelling_as_before(start, end):
    assert join_pages(start, end) == _reference_join_pages(start, end)


def test_an_ordinary_record_is_normalised_without_the_slow_clean(monkeypatch):
    # the record-type argument is called ``type``: once it hid the builtin, and every
    # record went the slow way without anyone noticing
    from prismake.importers import normalise

    def slow(text):
        raise AssertionError(f"clean() called on {text!r}")

    monkeypatch.setattr(normalise, "clean", slow)
    record = normalise.make_record(
        source="f.ris:1",
        title="Co-production of policy",
        authors=["Smith, Anna B.", "Lee, K"],
        journal="Public Administration Review",
        abstract=_RECORD["abstract"],
        keywords=["policy", "trust"],
        urls=["https://example.org/a"],
        type="article",
    )
    assert record["authors_norm"] == "Smith AB; Lee K"


def test_a_large_wos_file_is_read_in_blocks_with_every_line_number_right():
    # more than one 1 MB block: records cut between two blocks are read whole, and line
    # numbers run on across blocks
    lines = _lines("wos", 2000)
    lines.insert(len(lines) // 2, "")  # a stray blank line in the middle
    text = "\n".join(lines)
    assert len(text) > 2 * (1 << 20)
    fast = wos._read_regular(text, "f.txt")
    assert fast is not None and len(fast.records) == 2000
    _same(fast, wos._read_any(text, "f.txt"))
    pt_lines = [n for n, line in enumerate(lines, 1) if line.startswith("PT ")]
    assert [r["source_line"] for r in fast.records] == [f"f.txt:{n}" for n in pt_lines]


def test_medline_records_keep_their_line_numbers_across_extra_blank_lines():
    lines = _lines("medline", 4)
    starts = [n for n, line in enumerate(lines) if line.startswith("PMID-")]
    for at in reversed(starts[1:]):  # two more blank lines before records 2-4
        lines[at:at] = ["", ""]
    text = "\n\n\n" + "\n".join(lines)
    fast = medline._read_regular(text, "f.nbib")
    assert fast is not None
    pmid_lines = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("PMID-")]
    assert [r["source_line"] for r in fast.records] == [f"f.nbib:{n}" for n in pmid_lines]


def test_a_large_medline_file_is_read_in_blocks_with_every_line_number_right():
    # blocks are cut only at a blank line; runs of blank lines may straddle a cut
    lines = _lines("medline", 2500)
    starts = [n for n, line in enumerate(lines) if line.startswith("PMID-")]
    for at in reversed(starts[1::7]):
        lines[at:at] = [""] * (1 + at % 3)
    text = "\n".join(lines)
    assert len(text) > 2 * (1 << 20)
    fast = medline._read_regular(text, "f.nbib")
    assert fast is not None and len(fast.records) == 2500
    _same(fast, medline._Reader(text, "f.nbib").read())
    pmid_lines = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("PMID-")]
    assert [r["source_line"] for r in fast.records] == [f"f.nbib:{n}" for n in pmid_lines]


@pytest.mark.parametrize("end", ["\n", "\n\n"])
def test_blocks_give_back_the_text_cut_only_where_asked(end):
    text = "".join(f"PMID- {n}\nTI  - {'x' * (n % 50)}\n" + "\n" * (n % 3) for n in range(400))
    pieces = list(blocks(text, size=100, end=end))
    assert len(pieces) > 10
    assert end.join(pieces) == text
