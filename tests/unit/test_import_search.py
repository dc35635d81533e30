"""import_search (the Snakemake entry point), the report, the CLI and the records CSV."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.cli import main
from prismake.csvio import read_table, write_table
from prismake.importers import import_search
from prismake.importers.cli import search_name
from prismake.importers.fastcsv import write_records
from prismake.records import RECORD_COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def _search(tmp_path: Path, name: str = "scopus", fixture: str = "scopus_basic.ris") -> dict:
    raw = tmp_path / "data" / "raw" / fixture
    raw.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / fixture, raw)
    return {
        "name": name,
        "database": "Scopus",
        "source": "database",
        "file": str(raw),
        "format": "auto",
        "date_searched": "2025-02-03",
    }


def test_import_search_writes_the_record_columns_with_ids(tmp_path):
    out = tmp_path / "records.csv"
    import_search(search=_search(tmp_path), records_out=str(out), report_out=str(tmp_path / "r.md"))
    table = read_table(out)
    assert tuple(table.columns) == RECORD_COLUMNS
    assert list(table["search"]) == ["scopus", "scopus"]
    assert list(table["database"]) == ["Scopus", "Scopus"]
    assert all(rid.startswith("scopus-") for rid in table["record_id"])
    assert table["source_line"][0].endswith("scopus_basic.ris:1")


def test_importing_the_same_file_twice_gives_identical_bytes(tmp_path):
    search = _search(tmp_path)
    paths = []
    for run in (1, 2):
        out, report = tmp_path / f"records{run}.csv", tmp_path / f"report{run}.md"
        import_search(search=search, records_out=str(out), report_out=str(report))
        paths.append((out.read_bytes(), report.read_bytes()))
    assert paths[0] == paths[1]


def test_the_report_lists_counts_missing_fields_and_every_skipped_line(tmp_path):
    search = _search(tmp_path, "ovid", "preamble.ris")
    report = tmp_path / "ovid.md"
    import_search(search=search, records_out=str(tmp_path / "o.csv"), report_out=str(report))
    text = report.read_text(encoding="utf-8")
    assert "| Records in file | 2 |" in text
    assert "| Records read | 2 |" in text
    assert "| Format detected | ris |" in text
    assert "| Encoding detected | utf-8 |" in text
    assert "| DOI | 2 |" in text
    assert "preamble.ris:1-4`" in text and "preamble.ris:11-12`" in text


def test_missing_fields_counted_while_writing_match_a_count_of_the_records(tmp_path):
    from prismake.importers import read_file
    from prismake.importers.report import missing_counts

    for fixture in ("preamble.ris", "no_ty.ris", "html_title.ris", "pubmed.nbib", "wos_tab.txt"):
        search = _search(tmp_path, "s", fixture)
        out = tmp_path / "o.csv"
        result = import_search(search=search, records_out=str(out), report_out=str(out) + ".md")
        assert result.missing is not None  # taken while the records CSV was written
        expected = missing_counts(read_file(search["file"]))  # counted from the records
        assert missing_counts(result) == expected
        assert sum(expected.values()) > 0 or fixture != "preamble.ris"


def test_a_skipped_record_is_named_in_the_report_with_file_and_line(tmp_path):
    search = _search(tmp_path, "bib", "broken.bib")
    report = tmp_path / "bib.md"
    import_search(search=search, records_out=str(tmp_path / "b.csv"), report_out=str(report))
    text = report.read_text(encoding="utf-8")
    assert "| Records skipped | 1 |" in text
    assert "broken.bib:7`: entry skipped: BibTeX syntax error" in text


def test_import_logs_a_one_line_summary(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="prismake"):
        import_search(
            search=_search(tmp_path),
            records_out=str(tmp_path / "s.csv"),
            report_out=str(tmp_path / "s.md"),
        )
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("import scopus:")]
    assert lines == [lines[0]]
    assert "2 records read" in lines[0] and "0 records skipped" in lines[0]


def test_cli_imports_several_files_into_one_table(tmp_path, capsys):
    out = tmp_path / "all.csv"
    code = main(
        ["import", str(DATA / "scopus_basic.ris"), str(DATA / "pubmed.nbib"), "-o", str(out)]
    )
    assert code == 0
    table = read_table(out)
    assert sorted(set(table["search"])) == ["pubmed", "scopus_basic"]
    assert len(table) == 4
    assert "# Import report: pubmed" in capsys.readouterr().out


def test_cli_refuses_an_unreadable_file_with_one_paragraph_and_no_traceback(tmp_path, capsys):
    code = main(["import", str(DATA / "unknown.txt"), "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown.txt" in err and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_cli_search_names_are_safe_and_unique():
    taken: set[str] = set()
    assert search_name("exports/Scopus export (2).ris", taken) == "Scopus_export_2"
    assert search_name("other/Scopus export (2).ris", taken) == "Scopus_export_2_2"
    assert search_name("_-.ris", taken) == "search"


_CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=5))
def test_fast_records_csv_has_the_same_bytes_as_write_table(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("csv")
    columns = ["a", "b", "c"]
    dicts = [dict(zip(columns, row, strict=True)) for row in rows]
    write_records(dicts, tmp / "fast.csv", columns)
    write_table(pd.DataFrame(dicts, columns=columns), tmp / "pandas.csv", columns=columns)
    assert (tmp / "fast.csv").read_bytes() == (tmp / "pandas.csv").read_bytes()


def test_progress_moves_while_a_large_file_is_being_read(tmp_path):
    from prismake.importers import read_file
    from prismake.importers.result import current_progress
    from prismake.importers.writers import write_ris
    from prismake.progress import Progress

    path = tmp_path / "large.ris"
    path.write_text(write_ris({"title": f"Record {i}"} for i in range(12_000)), encoding="utf-8")
    with Progress("reading", interval=3600) as progress:
        token = current_progress.set(progress)
        try:
            result = read_file(path)
        finally:
            current_progress.reset(token)
        assert progress.done == 10_000  # moved in steps while reading, before the end
    assert len(result.records) == 12_000


def test_cli_reads_a_generic_csv_with_column_options(tmp_path):
    out = tmp_path / "generic.csv"
    args = ["import", str(DATA / "generic.csv"), "-o", str(out), "--format", "csv"]
    args += ["--column", "title=Paper", "--column", "authors=Writers", "--column", "year=Published"]
    assert main(args) == 0
    table = read_table(out)
    assert list(table["title"]) == ["Co-production and its limits", "Proper resourcing"]
    assert list(table["year"]) == ["2020", "2019"]


def test_bibtex_group_authors_stay_whole_in_the_normalised_authors():
    from prismake.importers import read_file

    record = read_file(DATA / "wos_bibtex.bib").records[0]
    assert record["authors_norm"] == "Müller A; van der Berg J; Co-production Collective"
