"""Property tests: written records read back unchanged; damaged files never crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prismake.errors import ImportFileError
from prismake.importers import parse_text
from prismake.importers.writers import WRITERS
from prismake.records import normalise_authors

COMPARED = (
    "title",
    "authors",
    "authors_norm",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "abstract",
    "keywords",
    "pmid",
)

# Words may carry the characters exports escape or trip over (LaTeX specials, quotes,
# accents, dashes); "&" only stands alone, as HTML entities are decoded on purpose.
_LETTERS = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Nd"),
    exclude_characters="\u0130\u0131",
)
_PUNCT = st.sampled_from([*"'\"()[]:.!?%$#_{}~^\\/+=*-", "--", "–"])
_WORD = st.one_of(
    st.text(_LETTERS, min_size=1, max_size=10),
    st.builds(
        lambda a, p, b: a + p + b,
        st.text(_LETTERS, max_size=5),
        _PUNCT,
        st.text(_LETTERS, max_size=5),
    ),
    st.just("&"),
)
_TEXT = st.lists(_WORD, min_size=1, max_size=25).map(" ".join)
_NAME = st.text(st.characters(codec="utf-8", categories=("Lu", "Ll")), min_size=1, max_size=10)
_AUTHOR = st.one_of(
    st.builds(lambda s, g: f"{s}, {g}", _NAME, _NAME),
    st.builds(lambda s, i: f"{s}, {i}.", _NAME, st.sampled_from("ABCDEFGHJK")),
)
_KEYWORD = st.lists(st.text(_LETTERS, min_size=1, max_size=8), min_size=1, max_size=3).map(" ".join)


@st.composite
def records(draw):
    start = draw(st.integers(1, 999))
    authors = draw(st.lists(_AUTHOR, max_size=5, unique=True))
    return {
        "title": draw(_TEXT),
        "authors": "; ".join(authors),
        "authors_norm": normalise_authors("; ".join(authors)),
        "year": str(draw(st.integers(1900, 2030))),
        "journal": draw(st.one_of(st.just(""), _TEXT)),
        "volume": draw(st.one_of(st.just(""), st.integers(1, 300).map(str))),
        "issue": draw(st.one_of(st.just(""), st.integers(1, 12).map(str))),
        "pages": draw(st.sampled_from(["", f"{start}", f"{start}-{start + 9}"])),
        "doi": draw(
            st.one_of(
                st.just(""),
                st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9.]{0,11}[a-z0-9]", fullmatch=True),
            )
        ),
        "abstract": draw(st.one_of(st.just(""), _TEXT)),
        "keywords": "; ".join(draw(st.lists(_KEYWORD, max_size=4, unique=True))),
        "pmid": str(draw(st.integers(10_000_000, 39_999_999))),
        "type": "article",
    }


def _roundtrip(fmt: str, written: list[dict]) -> None:
    result = parse_text(WRITERS[fmt](written), "roundtrip", fmt)
    assert result.skipped == []
    assert len(result.records) == len(written)
    for original, read in zip(written, result.records, strict=True):
        assert {k: read[k] for k in COMPARED} == {k: original[k] for k in COMPARED}


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.lists(records(), min_size=1, max_size=4))
def test_ris_written_records_read_back_unchanged(written):
    _roundtrip("ris", written)


@_SETTINGS
@given(st.lists(records(), min_size=1, max_size=4))
def test_medline_written_records_read_back_unchanged(written):
    _roundtrip("medline", written)


@_SETTINGS
@given(st.lists(records(), min_size=1, max_size=4))
def test_wos_written_records_read_back_unchanged(written):
    _roundtrip("wos", written)


@_SETTINGS
@given(st.lists(records(), min_size=1, max_size=4))
def test_bibtex_written_records_read_back_unchanged(written):
    _roundtrip("bibtex", written)


# --- damaged files ------------------------------------------------------------------


@st.composite
def damaged(draw, fmt: str):
    """A file of N records with one slice of it cut out, and the records left whole."""
    written = draw(st.lists(records(), min_size=2, max_size=6))
    blocks = [WRITERS[fmt]([r]) for r in written]
    if fmt == "wos":  # one header and one EF for the whole file
        blocks = [b.split("VR 1.0\n", 1)[1].rsplit("EF\n", 1)[0] for b in blocks]
        head, tail = "FN Clarivate Web of Science\nVR 1.0\n", "EF\n"
    else:
        head, tail = "", ""
    if fmt == "bibtex":
        blocks = [b.replace("{rec1,", f"{{rec{i},", 1) for i, b in enumerate(blocks)]
    text = head + "".join(blocks) + tail
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, min(len(text), a + draw(st.integers(0, 400)))))
    spans, at = [], len(head)
    for block in blocks:
        spans.append((at, at + len(block)))
        at += len(block)
    # whole: the record's text and the line break before it survive the cut
    whole = [
        r["title"]
        for r, (s, e) in zip(written, spans, strict=True)
        if a == b or e <= a or s > b or (s == 0 and b == 0)
    ]
    return text[:a] + text[b:], whole, len(written)


def _check_damaged(fmt: str, case) -> None:
    text, whole_titles, n_written = case
    try:
        result = parse_text(text, "damaged", fmt)
    except ImportFileError as error:
        assert "damaged" in str(error)
        assert not whole_titles or fmt == "bibtex"
        return
    assert result.records_in_file == len(result.records) + len(result.skipped_records)
    assert result.records_in_file <= n_written
    n_lines = text.count("\n") + 1
    for record in result.records:
        assert 1 <= int(record["source_line"].rsplit(":", 1)[1]) <= n_lines
    titles = [r["title"] for r in result.records]
    missing = [t for t in whole_titles if t not in titles]
    assert missing == []


@_SETTINGS
@given(damaged("ris"))
def test_ris_with_a_slice_cut_out_keeps_every_whole_record(case):
    _check_damaged("ris", case)


@_SETTINGS
@given(damaged("medline"))
def test_medline_with_a_slice_cut_out_keeps_every_whole_record(case):
    _check_damaged("medline", case)


@_SETTINGS
@given(damaged("wos"))
def test_wos_with_a_slice_cut_out_keeps_every_whole_record(case):
    _check_damaged("wos", case)


@_SETTINGS
@given(damaged("bibtex"))
def test_bibtex_with_a_slice_cut_out_keeps_every_whole_record(case):
    _check_damaged("bibtex", case)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["auto", *WRITERS]))
def test_random_bytes_give_a_clear_error_or_a_reconciled_import(data, fmt):
    from prismake.importers.textio import decode

    try:
        text, encoding = decode(data, "noise")
        result = parse_text(text, "noise", fmt, encoding)
    except ImportFileError as error:
        assert str(error).startswith("Cannot import noise")
        return
    assert result.records_in_file == len(result.records) + len(result.skipped_records)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n", max_size=60), st.integers(1, 8))
def test_reading_a_large_text_in_blocks_gives_exactly_its_lines(text, size):
    from prismake.importers.textio import blocks

    assert [line for block in blocks(text, size) for line in block.split("\n")] == text.split("\n")
