"""Long steps tell the person watching how far they are, and end with a summary."""

from __future__ import annotations

import logging

import pytest

from prismake.errors import ImportFileError, Problem, SheetError
from prismake.progress import Progress
from prismake.runner import run_step


def test_progress_logs_plain_lines_and_a_final_summary_under_snakemake(caplog):
    caplog.set_level(logging.INFO, logger="prismake")
    logging.getLogger("prismake").propagate = True
    with Progress("importing big.ris", total=1000, interval=0.0) as progress:
        for _ in range(10):
            progress.update(100)
    lines = [r.getMessage() for r in caplog.records]
    assert any("importing big.ris: 500/1,000 records (50%)" in line for line in lines)
    assert lines[-1].startswith("importing big.ris: 1,000/1,000 records (100%)")
    assert lines[-1].endswith("- done")


def test_every_problem_of_a_sheet_is_listed_with_file_row_and_column():
    error = SheetError(
        "data/screening/title_abstract/alice.csv has mistakes",
        [
            Problem("alice.csv", "unknown decision", row=3, column="decision", value="yess"),
            Problem("alice.csv", "study id does not exist", row=7, column="study_id"),
        ],
    )
    text = str(error)
    assert "2 problems found" in text
    assert "alice.csv, row 3, column 'decision': unknown decision (found 'yess')" in text
    assert "alice.csv, row 7, column 'study_id'" in text


class _FakeJob:
    def __init__(self, log_path):
        self.log = [str(log_path)]


def test_a_step_that_fails_on_bad_input_exits_with_the_message_not_a_traceback(tmp_path):
    def broken(**_):
        raise ImportFileError("data/raw/x.ris", "no records found", line=1, hint="Is it RIS?")

    with pytest.raises(SystemExit) as info:
        run_step(_FakeJob(tmp_path / "job.log"), broken)
    assert info.value.code == 1
    log = (tmp_path / "job.log").read_text()
    assert "Cannot import data/raw/x.ris:1: no records found. Is it RIS?" in log
    assert "Traceback" not in log
