"""What a user reads when something is wrong: prismake's words, last, with what to do."""

from __future__ import annotations

import errno

import pytest

from prismake import cli
from prismake.runner import error_lines, failure_summary, run_step

SHEET_ERROR = (
    "INFO reading 2 sheets\n"
    "ERROR The title/abstract screening sheets have mistakes: 2 problems found.\n"
    "  1. data/screening/title_abstract/ben.csv, row 4, column 'decision': not a decision\n"
    "  2. data/screening/title_abstract/ben.csv, row 6, column 'decision': not a decision\n"
    "INFO nothing written\n"
)


def test_a_failed_run_ends_with_each_failed_jobs_prismake_message_and_what_to_do(tmp_path):
    log = tmp_path / "screen.log"
    log.write_text(SHEET_ERROR, encoding="utf-8")

    summary = failure_summary([("screen (stage=title_abstract)", [str(log)])]).splitlines()

    assert summary[1] == "prismake: the run stopped before the end."
    assert summary[2].startswith("screen (stage=title_abstract): The title/abstract screening")
    assert summary[3].startswith("  1. data/screening/title_abstract/ben.csv, row 4")
    assert summary[4].startswith("  2. ")
    assert "INFO" not in "\n".join(summary)
    assert summary[-1].startswith("Fix what is listed above") and "snakemake" in summary[-1]


def test_a_job_that_failed_without_a_prismake_message_is_called_a_bug_with_its_log(tmp_path):
    log = tmp_path / "figures.log"
    log.write_text("INFO drawing 2 figures\n", encoding="utf-8")

    summary = failure_summary([("thematic_figures", [str(log)])])

    assert "thematic_figures failed without a prismake message" in summary
    assert str(log) in summary and "bug in prismake" in summary
    assert "Fix what is listed" not in summary


def test_a_missing_or_unreadable_log_gives_no_error_lines(tmp_path):
    assert error_lines(tmp_path / "never-written.log") == []


def test_prismake_import_names_missing_files_in_command_line_words(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)

    code = cli.main(["import", "scopus.ris", "pubmed.nbib", "--output", "records.csv"])

    err = capsys.readouterr().err
    assert code == 2
    assert "2 files not found: scopus.ris, pubmed.nbib" in err
    assert str(tmp_path) in err
    assert "search" not in err, "the command line has files, not searches"


class _Job:
    """What run_step reads of Snakemake's `snakemake` object."""

    def __init__(self, log: str) -> None:
        self.log = [log]
        self.rule = "dedupe"
        self.wildcards: dict[str, str] = {}
        self.input: list[str] = []
        self.output: list[str] = []
        self.params: dict[str, str] = {}


@pytest.mark.parametrize(
    "error, said",
    [
        (OSError(errno.ENOSPC, "No space left on device", "results/x.csv"), "the disk is full"),
        (PermissionError(errno.EACCES, "Permission denied", "data/processed/records.csv"),
         "you may not write"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "results/x/y.csv"),
         "a file stands where a folder is expected"),
        (OSError(errno.EROFS, "Read-only file system", "results/x.csv"), "read-only"),
    ],
    ids=["full disk", "permission", "file in the way", "read-only file system"],
)  # fmt: skip
def test_a_step_that_cannot_write_its_files_ends_with_a_message_not_a_traceback(
    tmp_path, monkeypatch, error, said
):
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "step.log"

    def step() -> None:
        raise error

    with pytest.raises(SystemExit) as stop:
        run_step(_Job(str(log)), step)
    assert stop.value.code == 1
    text = log.read_text()
    assert text.startswith("ERROR ") and said in text and error.filename in text
    assert "Traceback" not in text
    assert error_lines(log), "the run's closing summary finds the message"


def test_an_os_error_prismake_cannot_explain_keeps_its_traceback(tmp_path):
    def step() -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    with pytest.raises(OSError):
        run_step(_Job(str(tmp_path / "step.log")), step)
