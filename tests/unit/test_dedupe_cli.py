"""``prismake dedupe``: any CSV of records in, one study id per record out."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

from prismake.csvio import read_table
from prismake.dedupe import cli
from prismake.errors import ProblemsError


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(list(argv)))


def test_benchmark_style_csv_gets_one_row_per_record_and_ignores_truth_columns(tmp_path: Path):
    rows = [
        ("id_1", "g0", "Trust in platform work: a survey of drivers", "Deng, C", "2017"),
        ("id_2", "g0", "Trust in platform work - a survey of drivers", "Deng, Chaoqun", "2017"),
        ("id_3", "s_id_3", "Wages in the gig economy", "Lei, Y", "2019"),
    ]
    frame = pd.DataFrame(rows, columns=["record_id", "dup_group", "title", "authors", "year"])
    frame["journal"] = "Journal of Platform Studies"
    source = tmp_path / "records.csv"
    frame.to_csv(source, index=False)
    out = tmp_path / "studies.csv"
    assert run_cli(str(source), "--output", str(out)) == 0
    result = read_table(out)
    assert list(result["record_id"]) == ["id_1", "id_2", "id_3"]
    assert {"record_id", "study_id"} <= set(result.columns)
    ids = list(result["study_id"])
    assert ids[0] == ids[1] != ids[2]


def test_search_comes_from_the_record_id_prefix(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "record_id": ["medline-1", "embase-1"],
            "title": ["A trial of exercise for back pain in adults"] * 2,
            "year": ["2010", "2010"],
        }
    )
    source = tmp_path / "r.csv"
    frame.to_csv(source, index=False)
    out = tmp_path / "o.csv"
    run_cli(str(source), "--output", str(out))
    assert list(read_table(out)["search"]) == ["medline", "embase"]


def test_a_file_without_record_ids_is_explained(tmp_path: Path):
    source = tmp_path / "r.csv"
    source.write_text("title\nA study\n", encoding="utf-8")
    with pytest.raises(ProblemsError, match="record_id"):
        run_cli(str(source), "--output", str(tmp_path / "o.csv"))
