"""The traps real exports set, each in a fixture of its own: nothing is lost silently."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.doi import normalise_doi
from prismake.importers import read_file
from prismake.importers.latex import latex_to_text
from prismake.importers.normalise import (
    clean,
    first_doi,
    issn_isbn,
    join_pages,
    make_record,
    strip_html,
    year_of,
)
from prismake.records import normalise_author

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def read(name: str):
    return read_file(DATA / name)


def test_a_byte_order_mark_glued_to_the_first_tag_is_not_part_of_it():
    result = read("bom_glued.ris")
    assert result.encoding == "utf-8 (with BOM)"
    assert result.records[0]["type"] == "article"


def test_windows_line_ends_leave_no_carriage_returns_in_values():
    (record,) = read("crlf.ris").records
    assert record["title"] == "Watching language in co-produced research"
    assert all("\r" not in str(v) for v in record.values())


def test_cp1252_files_keep_their_accents():
    result = read("cp1252.ris")
    assert result.encoding == "cp1252"
    assert result.records[0]["title"] == "Café culture and co-production – a naïve view"
    assert result.records[0]["authors"] == "Müller, Anna"


def test_a_line_starting_with_er_inside_a_wos_abstract_does_not_end_the_record():
    result = read("wos_er_in_abstract.txt")
    first, second = result.records
    assert first["abstract"].endswith("a metaphor for institutional strain.")
    assert second["title"] == "Second record after an ER-like line"


def test_repeated_doi_and_url_tags_give_one_doi_and_distinct_urls():
    (record,) = read("repeated_tags.ris").records
    assert record["doi"] == "10.1000/coprod.2017.1"
    assert record["url"] == "https://example.org/a; https://example.org/b"


def test_untagged_lines_continue_the_abstract_and_add_keywords():
    (record,) = read("continuation.ris").records
    assert record["abstract"] == (
        "The first line of an abstract that continues on an untagged line and ends here."
    )
    assert record["keywords"] == "Co-production; Policy making; Service users"


def test_a_record_without_ty_is_still_a_record():
    result = read("no_ty.ris")
    (record,) = result.records
    assert record["title"] == "A record that has no TY line"
    assert record["doi"] == "10.1023/a:1017379030770"
    assert record["source_line"].endswith(":2")


def test_preambles_and_numbering_lines_are_listed_not_read_as_records():
    result = read("preamble.ris")
    assert [r["title"] for r in result.records] == [
        "Creating a co-productive culture",
        "Limits of co-production",
    ]
    assert [(s.line, s.n_lines) for s in result.skipped_lines] == [(1, 4), (11, 2)]


def test_html_tags_and_entities_leave_titles():
    (record,) = read("html_title.ris").records
    assert record["title"] == "In vivo co-production & the 2nd wave"
    assert strip_html("a < b and c > d") == "a < b and c > d"


def test_author_forms_all_normalise_and_et_al_is_dropped():
    (record,) = read("authors_forms.ris").records
    assert record["authors_norm"] == "Surname I; Other IB; Third AB"


def test_a_missing_er_line_is_noted_and_no_record_lost():
    result = read("missing_er.ris")
    assert len(result.records) == 3
    assert [n.line for n in result.notes] == [1, 10]
    assert "file ends" in result.notes[1].reason


def test_a_record_with_nothing_to_identify_it_is_skipped_with_its_line():
    result = read("empty_record.ris")
    assert len(result.records) == 1
    (skipped,) = result.skipped_records
    assert skipped.line == 5 and "nothing identifies it" in skipped.reason
    assert result.records_in_file == 2


def test_latex_escapes_and_braces_become_plain_text():
    assert latex_to_text(r"M{\"u}ller and G\'{e}rard \& {Co}") == "Müller and Gérard & Co"
    assert latex_to_text(r"{\ss}tra{\ss}e \c{c}a \v{s} \textit{in vivo}") == "ßtraße ça š in vivo"
    assert latex_to_text("pages 10--20 and 50\\% \\$5") == "pages 10–20 and 50% $5"


def test_page_ranges_and_standard_numbers_are_put_in_one_shape():
    assert join_pages("201", "219") == "201-219"
    assert join_pages("No", "Specified") == ""
    assert join_pages("e0815") == "e0815"
    assert issn_isbn(["03064530 (ISSN)", "978-1-78643-496-8"]) == ("0306-4530", "9781786434968")


def test_a_mostly_utf8_file_with_a_stray_byte_keeps_its_accents_and_says_so():
    result = read("mixed_utf8.ris")
    assert result.encoding == "utf-8 (1 invalid byte replaced by \ufffd)"
    assert result.records[0]["title"] == "Müller and the café culture"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="10./abcXYZ%2f;:)-_ <>doi:httpsÉé\u00a0", max_size=30).map(
        lambda s: "10.1234/" + s
    )
    | st.text(max_size=30)
)
def test_the_doi_a_record_gets_is_normalise_doi_of_the_value_first_doi_picks(value):
    picked = first_doi([value])
    assert normalise_doi(picked) == normalise_doi(value)
    assert (picked == "") == (normalise_doi(value) == "")


def _reference_record(**fields) -> dict:
    """What make_record returns, written the plain way: ``clean`` every text."""

    def texts(values):
        return [v for v in map(clean, values) if v]

    names = texts(fields["authors"])
    return {
        "title": strip_html(fields["title"]),
        "authors": "; ".join(names),
        "authors_norm": "; ".join(n for n in map(normalise_author, names) if n),
        "year": year_of(fields["year"]),
        "journal": strip_html(fields["journal"]),
        "volume": clean(fields["volume"]),
        "pages": clean(fields["pages"]),
        "abstract": strip_html(fields["abstract"]),
        "keywords": "; ".join(dict.fromkeys(texts(fields["keywords"]))),
        "url": "; ".join(dict.fromkeys(texts(fields["urls"]))),
        "language": clean(fields["language"]),
    }


_BITS = st.sampled_from(
    ["Co-production", "risks", " ", "  ", "\t", "\n", "\u00a0", "<i>", "</i>", "&amp;", "&", "é"]
)
_TEXT = st.lists(_BITS, max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    title=_TEXT,
    journal=_TEXT,
    volume=_TEXT,
    pages=_TEXT,
    language=_TEXT,
    abstract=st.one_of(_TEXT, _TEXT.map(lambda s: "Service users " * 20 + s)),
    authors=st.lists(st.sampled_from(["Smith, Anna B.", " Lee, K", "", "  ", "Müller,\tE."])),
    keywords=st.lists(_TEXT, max_size=4),
    urls=st.lists(st.sampled_from(["https://a.org/1", " https://a.org/1 ", ""]), max_size=3),
    year=st.sampled_from(["2019", "2019 Jan", "", "1499", "c2020"]),
    record_type=st.sampled_from(["article", ""]),
)
def test_make_record_cleans_every_text_however_it_arrives(record_type, **fields):
    record = make_record(source="f.ris:1", type=record_type, **fields)
    assert {k: record[k] for k in _reference_record(**fields)} == _reference_record(**fields)
