"""Records read + records skipped = records in the file, as a checked fact.

Each import is checked against a count of the records the file holds, made apart from
the parser (record-start markers, rows, entries). A reader that joins two records makes
the import fail with both numbers and the lines; a file cut mid-record is reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.cli import main
from prismake.errors import ImportFileError
from prismake.importers import import_search, medline, parse_text, read_file, ris
from prismake.importers.count import count_records
from prismake.importers.detect import detect
from prismake.importers.report import render_report, summary_line

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
_REFUSED = {"empty.ris", "unknown.txt", "entities.xml"}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.name not in _REFUSED))
def test_every_fixture_reads_exactly_the_records_its_count_finds(name):
    columns = {"title": "Paper"} if name == "generic.csv" else None
    result = read_file(DATA / name, columns=columns)
    assert result.count is not None
    assert len(result.records) + len(result.skipped_records) == result.count.n


def _merge_first_two(parse):
    """A reader with a bug: it joins the second record to the first."""

    def buggy(text, file, **kwargs):
        result = parse(text, file, **kwargs)
        del result.records[1]
        return result

    return buggy


def test_a_ris_reader_that_joins_two_records_fails_the_import_with_both_numbers(monkeypatch):
    monkeypatch.setattr(ris, "parse", _merge_first_two(ris.parse))
    with pytest.raises(ImportFileError) as caught:
        read_file(DATA / "scopus_basic.ris")
    message = str(caught.value)
    assert "scopus_basic.ris" in message
    assert "holds 2 records" in message and "found only 1" in message
    assert "starting at line 20 were joined" in message  # the second TY line


def test_a_wos_file_whose_first_record_lost_its_lines_up_to_er_counts_no_record_there():
    # a slice cut out of the file left its FN line, a stray field and an ER: the reader
    # reads no record there, and the count (a record without PT before an ER) must not
    # count the file's own FN line as one (found by the round-trip property test)
    text = "FN PM 10000000\nER\n\nPT J\nTI 0\nDT Article\nPY 1900\nPM 10000000\nER\n\nEF\n"
    assert count_records(text, "wos").n == 1
    assert len(parse_text(text, "cut.txt", "wos").records) == 1


def test_a_medline_reader_that_joins_two_records_fails_too(monkeypatch):
    monkeypatch.setattr(medline, "parse", _merge_first_two(medline.parse))
    with pytest.raises(ImportFileError, match=r"holds 2 records \(lines starting 'PMID- '"):
        read_file(DATA / "pubmed.nbib")


def test_a_quote_never_closed_in_a_csv_fails_instead_of_swallowing_the_rows_after_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        'Title,Authors,Year\nFirst,"Smith, J.",2019\n"Unclosed title,Lee,2020\n'
        "Third,Hall,2021\nFourth,King,2022\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    message = str(caught.value)
    assert "holds 4 records (rows after the header)" in message
    assert "lines 4, 5 were joined" in message


def test_the_report_states_the_count_check_and_why_the_format_was_chosen(tmp_path):
    search = {"name": "scopus", "database": "Scopus", "file": str(DATA / "scopus_basic.ris")}
    report = tmp_path / "scopus.md"
    import_search(search=search, records_out=str(tmp_path / "s.csv"), report_out=str(report))
    text = report.read_text(encoding="utf-8")
    assert (
        "| Count check | 2 records in the file by lines starting 'TY  - ' (and 'ER  -' lines "
        "ending a record without one); 2 read, 0 skipped: every record accounted for |"
    ) in text
    assert "| Why this format | " in text and "RIS tag lines" in text


# -- a file cut mid-record, for every tagged format ------------------------------------

_SO_RECORDS = (
    "PMID- 31000001\nTI  - Co-production in practice.\nAU  - Lee H\n"
    "AB  - Service users and staff co-produced a service over two years and\n"
    "      reported what they learnt.\nSO  - Health Expect. 2019;22(4):601-615.\n\n"
    "PMID- 31000002\nTI  - Watching language.\nAU  - Hall P\nSO  - BMJ Open. 2020;10:e1.\n\n"
    "PMID- 31000003\nTI  - Proper resourcing.\nAU  - King M\n"
    "AB  - Budgets rarely covered the time it took.\nSO  - BMJ Open. 2021;11:e2.\n"
)


def _cut_in_last_record(text: str, start_of_last: str) -> str:
    """``text`` cut in the middle of a line of its last record."""
    at = text.rindex(start_of_last)
    middle = at + (len(text) - at) // 2
    while text[middle] in "\n ":
        middle += 1
    return text[:middle]


@pytest.mark.parametrize(
    ("name", "start_of_last", "fmt"),
    [
        ("scopus_basic.ris", "TY  - CHAP", "ris"),
        ("missing_er.ris", "TY  - JOUR\nTI  - Third", "ris"),
        ("wos_er_in_abstract.txt", "PT J\nAU Hall", "wos"),
        ("endnote.enw", "%T Table of contents", "endnote_tagged"),
        ("ovid_citavi.ovd", "<3004. >", "ovid"),
        ("proquest.txt", "Document 3 of 3", "proquest_text"),
        ("wos_bibtex.bib", "@article{", "bibtex"),
        (None, "PMID- 31000003", "medline"),
    ],
)
def test_a_file_cut_mid_record_names_the_record_cut_short(name, start_of_last, fmt):
    if name is None:
        text = _SO_RECORDS
    else:
        raw = (DATA / name).read_bytes().decode("utf-8").replace("\r\n", "\n")
        text = raw.lstrip("\ufeff")
    if start_of_last not in text:
        start_of_last = start_of_last.split("\n")[0]
    cut = _cut_in_last_record(text, start_of_last)
    result = parse_text(cut, "cut.txt", fmt)
    last_line = text[: text.rindex(start_of_last)].count("\n") + 1
    assert result.cut_short is not None, "the cut record was not reported"
    assert result.cut_short.line == last_line
    report = render_report(result)
    assert "looks cut short" in report
    assert "every record in the file was read" not in report
    assert f"the record at line {last_line} looks cut short" in summary_line(result)


def test_a_medline_file_cut_at_a_line_break_lacks_the_so_line_of_the_records_before():
    cut = _SO_RECORDS[: _SO_RECORDS.rindex("AB  - Budgets")]
    result = parse_text(cut, "cut.nbib", "medline")
    assert result.cut_short is not None and result.cut_short.line == 13
    assert "no SO line" in result.cut_short.reason


def test_whole_files_are_not_reported_as_cut():
    assert parse_text(_SO_RECORDS, "whole.nbib", "medline").cut_short is None
    for name in ("scopus_basic.ris", "ovid_citavi.ovd", "proquest.txt", "endnote.enw"):
        assert read_file(DATA / name).cut_short is None, name


# -- detection from the structure of the whole head -----------------------------------


def test_a_line_that_looks_like_another_format_does_not_decide_the_format():
    text = (DATA / "csv_at_titles.csv").read_text(encoding="utf-8")
    found = detect(text)
    assert found.format == "csv"
    assert found.also == ()  # one '@SUM(' line explains too little to be plausible


def test_when_two_formats_are_plausible_the_report_says_so(tmp_path):
    path = tmp_path / "endnote.ris"
    path.write_text(
        "TY  - JOUR\nTI  - Co-production in practice\nAU  - Lee, H.\nPY  - 2019\n"
        "N1  - Imported from PubMed:\nPMID- 31000001\nER  - \n\n"
        "TY  - JOUR\nTI  - Watching language\nAU  - Hall, P.\nPY  - 2020\nER  - \n",
        encoding="utf-8",
    )
    result = read_file(path)
    assert result.format == "ris" and len(result.records) == 2
    assert [fmt for fmt, _ in result.also_plausible] == ["medline"]
    assert "| Also plausible | medline (" in render_report(result)


def test_counting_is_apart_from_reading_and_agrees_on_generated_exports():
    from prismake.importers.writers import WRITERS

    records = [{"title": f"Study {i}", "authors": "Lee, H.", "year": "2020"} for i in range(7)]
    for fmt, write in WRITERS.items():
        assert count_records(write(records), fmt).n == 7, fmt


# -- hostile content in exports --------------------------------------------------------


def test_markup_written_as_entities_is_removed_and_formulas_stay_text(tmp_path):
    path = tmp_path / "hostile.ris"
    path.write_text(
        "TY  - JOUR\nTI  - &lt;img src=x onerror=alert(1)&gt;Co-production\nER  - \n\n"
        "TY  - JOUR\nTI  - <script>alert(2)</script>Watching language\nER  - \n\n"
        'TY  - JOUR\nTI  - =HYPERLINK("http://x.example","click")\n'
        "T2  - Evidence &amp;lt;b&amp;gt; Policy\nER  - \n",
        encoding="utf-8",
    )
    titles = [r["title"] for r in read_file(path).records]
    assert titles == [
        "Co-production",
        "alert(2)Watching language",
        '=HYPERLINK("http://x.example","click")',  # neutralised where people open CSVs
    ]
    journal = read_file(path).records[2]["journal"]
    assert "<" not in journal and ">" not in journal


def test_the_command_line_names_the_file_not_a_search(tmp_path, capsys):
    code = main(["import", str(tmp_path / "missing.ris"), "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert "missing.ris" in err and "not found" in err
    assert "search" not in err.lower()


def test_a_configured_search_with_a_missing_file_names_the_setting(tmp_path):
    search = {"name": "scopus", "file": str(tmp_path / "nope.ris")}
    with pytest.raises(ImportFileError) as caught:
        import_search(search=search, records_out=str(tmp_path / "o.csv"), report_out="r.md")
    assert "`file:` of the search 'scopus' in config/config.yaml" in str(caught.value)


_LINES = st.sampled_from(
    ["TY  - JOUR", "ER  - ", "ER  -", "TI  - A title", "AU  - Lee, H.", "", "an untagged line"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=14))
def test_the_quick_count_of_marks_agrees_with_walking_them_one_by_one(lines):
    from prismake.importers.count import _RIS_MARK, _RIS_TAG, _walk

    text = "\n".join(lines)
    count = count_records(text, "ris")
    starts, _, _ = _walk(text, _RIS_MARK, _RIS_TAG, _RIS_MARK.match("\n" + text[:200]))
    assert count.n == len(starts)
    assert count.start_offsets(text) == starts


def test_the_import_report_quotes_imported_text_as_inert_markdown(tmp_path):
    """A BibTeX key is quoted in the report: markup from the export must not come alive."""
    key = "x<b>y"
    entry = "@article{%s,\n  title = {A study of care %d},\n  year = {2020}\n}\n"
    path = tmp_path / "hostile.bib"
    path.write_text(entry % (key, 1) + entry % (key, 2), encoding="utf-8")
    report = render_report(read_file(path))
    assert "used twice" in report
    assert "<b>" not in report and "x&lt;b&gt;y" in report


def test_stray_lines_after_every_record_are_counted_not_listed_one_by_one(tmp_path):
    # Ovid's RIS puts a journal line and a link line after each ER: 3,000 records would
    # list 6,000 ignored lines. The report lists the first 20 per reason and counts the
    # rest; every record is still read and the lines ignored are all counted.
    records = "".join(
        f"TY  - JOUR\nTI  - Study {i}\nPY  - 2020\nER  - \nNL  - J Stud\n\n"
        f"Link to the Ovid Full Text or citation: https://ovid.example/{i}\n\n"
        for i in range(300)
    )
    path = tmp_path / "ovid.ris"
    path.write_text(records, encoding="utf-8")
    result = read_file(path)
    report = render_report(result)
    assert len(result.records) == 300
    listed = [line for line in report.splitlines() if line.startswith(f"- `{path}:")]
    ignored = sum(s.n_lines for s in result.skipped_lines)
    assert ignored >= 600 and f"| Lines ignored | {ignored:,} |" in report
    by_reason = {s.reason for s in result.skipped_lines}
    assert len(listed) == 20 * len(by_reason)
    summaries = [line for line in report.splitlines() if line.startswith("- and ")]
    assert len(summaries) == len(by_reason)
    in_summaries = sum(int(line.split()[2].replace(",", "")) for line in summaries)
    assert all(s.n_lines == 1 for s in result.skipped_lines)  # blank lines between them
    assert in_summaries + len(listed) == ignored
    assert f"(the last at `{path}:{result.skipped_lines[-1].line}`)" in "\n".join(summaries)
