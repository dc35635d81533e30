"""After any run that exits 0, the results reflect the sheets on disk (issue 17).

Each trigger of a stale state is driven on the demo review: a step fails (a sheet typo
with an update search, a `same` verdict that merges two differently decided rows, a
read-only sheet, a backup folder that cannot be written, a full disk), or the sheets
change behind the pipeline's back (rows removed, a sheet deleted, a stray copy, a search
removed). Then the cause is fixed and a plain `snakemake` runs. After every run that
exits 0: every decision in every sheet on disk is counted, orphaned with a reason, or
in an ignored sheet that is named; every study of a stage is in every reviewer's sheet;
no orphan or report names a file that is gone; no byte a person typed has changed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from review_copy import add_update_search, copy_review

from prismake.screening.sheets import is_sheet_file, read_sheet
from prismake.screening.stage import StudyIndex

pytestmark = pytest.mark.e2e

STAGES = ("title_abstract", "full_text")
REVIEWERS = ("alice", "ben")
TA = Path("data/screening/title_abstract")
FAULTS = Path(__file__).parent / "faults"


def plain_snakemake(review: Path, **env: str) -> subprocess.CompletedProcess:
    """`snakemake` with no arguments, as a reviewer types it (profiles/default applies)."""
    environment = {**os.environ, "PYTHONHASHSEED": "0", **env}
    return subprocess.run(
        [str(Path(sys.executable).parent / "snakemake")],
        cwd=review,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def ok(review: Path, **env: str) -> subprocess.CompletedProcess:
    result = plain_snakemake(review, **env)
    assert result.returncode == 0, result.stderr[-6000:]
    assert "Traceback" not in result.stderr
    assert_results_reflect_sheets(review)
    return result


def fails(review: Path, **env: str) -> str:
    result = plain_snakemake(review, **env)
    assert result.returncode != 0, "the run should have stopped"
    assert "Traceback" not in result.stderr, result.stderr[-6000:]
    return result.stderr


@pytest.fixture(scope="module")
def screened(tmp_path_factory) -> Path:
    """The demo review after one plain run."""
    review = copy_review(tmp_path_factory.mktemp("screened") / "review")
    ok(review)
    return review


@pytest.fixture
def review(screened, tmp_path) -> Path:
    """A copy of the screened review (times kept, so Snakemake sees it up to date)."""
    target = tmp_path / "review"
    shutil.copytree(screened, target, symlinks=True)
    return target


# --------------------------------------------------------------------------- the invariant


def _table(review: Path, path: str) -> pd.DataFrame:
    return pd.read_csv(review / path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def assert_results_reflect_sheets(review: Path) -> None:
    index = StudyIndex.from_path(review / "data/processed/studies.csv")
    for stage in STAGES:
        results = f"results/screening/{stage}"
        counted = _table(review, f"{results}/reviewer_decisions.csv")
        orphans = _table(review, f"{results}/orphans.csv")
        decisions = _table(review, f"{results}/decisions.csv")
        counted_at = set(zip(counted["sheet"], counted["row"].astype(int), strict=True))
        orphaned_at = set(zip(orphans["sheet"], orphans["row"].astype(int), strict=True))
        counted_studies = set(zip(counted["sheet"], counted["study_id"], strict=True))
        assert orphans["problem"].str.len().min() > 0 if len(orphans) else True
        for sheet in orphans["sheet"].unique():
            assert (review / sheet).exists(), f"an orphan names {sheet}, which is gone"
        resolved = set(decisions.loc[decisions["basis"] == "resolution", "study_id"])
        folder = review / "data/screening" / stage
        for path in sorted(p for p in folder.iterdir() if is_sheet_file(p)):
            name = f"data/screening/{stage}/{path.name}"
            sheet = read_sheet(path)
            assert not sheet.problems, sheet.problems
            for row, cells in sheet.rows:
                if not sheet.cell(cells, "decision"):
                    continue
                where = (name, row)
                if path.name == "resolutions.csv":
                    study, _ = index.resolve(sheet.cell(cells, "study_id"))
                    assert where in orphaned_at or study in resolved, where
                else:  # a row merged into another of the same study counts through it
                    study, _ = index.resolve(sheet.cell(cells, "study_id"))
                    merged = (name, study) in counted_studies
                    assert where in counted_at or where in orphaned_at or merged, where
        listed_for = {}
        for reviewer in REVIEWERS:
            sheet = read_sheet(folder / f"{reviewer}.csv")
            listed_for[reviewer] = {
                index.resolve(sheet.cell(cells, "study_id"))[0] for _, cells in sheet.rows
            }
        for study_id, basis in zip(decisions["study_id"], decisions["basis"], strict=True):
            if basis == "removed":
                continue
            for reviewer in REVIEWERS:
                assert study_id in listed_for[reviewer], f"{study_id} not in {reviewer}'s sheet"
    searches = yaml.safe_load((review / "config/config.yaml").read_text())["searches"]
    names = {s["name"] for s in searches}
    assert {p.stem for p in (review / "results/import").glob("*.md")} == names
    assert {p.stem for p in (review / "data/processed/records").glob("*.csv")} == names
    assert not list((review / "data/screening").rglob(".*.tmp")), "temp files left behind"


# --------------------------------------------------------------------------- helpers


def _bytes(review: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(review)): p.read_bytes()
        for p in sorted((review / "data/screening").rglob("*.csv"))
    }


def assert_typed_bytes_kept(before: dict[str, bytes], review: Path) -> None:
    """Every sheet that was there still starts with the bytes it had (append-only)."""
    after = _bytes(review)
    for name, data in before.items():
        if name in after:
            assert after[name].startswith(data), f"{name} was rewritten"


def _save(path: Path, header: list[str], rows: list[list[str]], newline: str = "\r\n") -> None:
    """Save a sheet as Excel does ('CSV UTF-8'): BOM, commas, CRLF, quotes where needed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([header, *rows])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def _set_cell(path: Path, study_id: str, column: str, value: str) -> None:
    """Type ``value`` in one cell and save the sheet as Excel does."""
    sheet = read_sheet(path)
    rows = []
    for _, cells in sheet.rows:
        cells = list(cells)
        if sheet.cell(cells, "study_id") == study_id:
            cells[sheet.columns[column]] = value
        rows.append(cells)
    _save(path, sheet.header, rows)


def _decided(review: Path, reviewer: str, stage: str = "title_abstract") -> dict[str, str]:
    sheet = read_sheet(review / "data/screening" / stage / f"{reviewer}.csv")
    return {
        sheet.cell(c, "study_id"): sheet.cell(c, "decision")
        for _, c in sheet.rows
        if sheet.cell(c, "decision")
    }


def _rows(review: Path, reviewer: str, stage: str = "title_abstract") -> int:
    return len(read_sheet(review / "data/screening" / stage / f"{reviewer}.csv").rows)


# --------------------------------------------------------------------------- triggers


def test_a_sheet_typo_with_an_update_search_fails_then_the_fix_appends_and_counts(review):
    alice = review / TA / "alice.csv"
    study_id = next(iter(_decided(review, "alice")))
    _set_cell(alice, study_id, "decision", "exlcude")
    add_update_search(review)
    before = _bytes(review)
    rows_before = _rows(review, "alice")

    message = fails(review)
    assert "alice.csv" in message and "exlcude" in message and "Did you mean 'exclude'" in message
    assert _bytes(review) == before, "no sheet changes while one has a mistake"

    _set_cell(alice, study_id, "decision", "exclude")
    before = _bytes(review)
    ok(review)
    assert _rows(review, "alice") > rows_before  # the update's studies were appended
    assert_typed_bytes_kept(before, review)
    decisions = _table(review, "results/screening/title_abstract/reviewer_decisions.csv")
    mine = decisions[(decisions["study_id"] == study_id) & (decisions["reviewer"] == "alice")]
    assert list(mine["decision"]) == ["exclude"]


def test_a_same_verdict_merging_rows_decided_differently_fails_then_the_fix_counts(review):
    alice = _decided(review, "alice")
    include = next(s for s, d in alice.items() if d == "include")
    exclude = next(s for s, d in alice.items() if d == "exclude")
    records = _table(review, "data/processed/records.csv")
    first = records.loc[records["study_id"] == include, "record_id"].iloc[0]
    second = records.loc[records["study_id"] == exclude, "record_id"].iloc[0]
    with (review / "data/screening/duplicates.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{first},{second},same,\n")

    message = fails(review)
    assert "are now one study" in message and "alice.csv" in message

    for reviewer in REVIEWERS:
        sheet = review / TA / f"{reviewer}.csv"
        for study_id in (include, exclude):
            _set_cell(sheet, study_id, "decision", "include")
    before = _bytes(review)
    ok(review)
    assert_typed_bytes_kept(before, review)


def test_a_read_only_sheet_is_refused_then_made_writable_it_gets_the_new_studies(review):
    alice = review / TA / "alice.csv"
    alice.chmod(0o444)
    add_update_search(review)
    before = _bytes(review)

    message = fails(review)
    assert "alice.csv" in message and "read-only" in message
    assert "spreadsheet" not in message.split("read-only")[0].splitlines()[-1]
    assert _bytes(review) == before

    alice.chmod(0o644)
    ok(review)
    assert_typed_bytes_kept(before, review)
    assert _rows(review, "alice") == _rows(review, "ben")


def test_a_backup_folder_that_cannot_be_written_stops_the_run_then_the_fix_reruns(review):
    backups = review / "data/processed/backups"
    shutil.rmtree(backups, ignore_errors=True)
    backups.write_text("not a folder")  # as root, permissions cannot stop a write
    add_update_search(review)
    before = _bytes(review)

    message = fails(review)
    assert "backup" in message and "data/processed/backups" in message
    assert _bytes(review) == before

    backups.unlink()
    ok(review)
    assert_typed_bytes_kept(before, review)


def test_a_full_disk_stops_the_run_with_a_message_then_the_next_run_appends(review):
    add_update_search(review)
    before = _bytes(review)
    full = {
        "PYTHONPATH": f"{FAULTS}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "PRISMAKE_TEST_FULL_DISK": str(review / "data/screening"),
    }
    message = fails(review, **full)
    assert "disk is full" in message
    assert _bytes(review) == before

    ok(review)
    assert_typed_bytes_kept(before, review)


def test_a_sheet_open_in_excel_stops_the_run_then_closing_it_appends(review):
    alice = review / TA / "alice.csv"
    lock = alice.with_name("~$alice.csv")
    lock.write_bytes(b"\x00Excel lock")
    add_update_search(review)
    before = _bytes(review)
    locked = {
        "PYTHONPATH": f"{FAULTS}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "PRISMAKE_TEST_LOCKED": str(alice),
    }
    message = fails(review, **locked)
    assert "alice.csv" in message and "spreadsheet" in message
    assert "Traceback" not in message
    assert_typed_bytes_kept(before, review)

    lock.unlink()  # Excel closed
    ok(review)
    assert_typed_bytes_kept(before, review)
    assert _rows(review, "alice") == _rows(review, "ben") > 0


def test_rows_removed_by_saving_over_an_older_copy_are_added_back(review):
    alice = review / TA / "alice.csv"
    sheet = read_sheet(alice)  # saved over with an older copy: the last five rows gone
    _save(alice, sheet.header, [cells for _, cells in sheet.rows[:-5]])
    assert _rows(review, "alice") == _rows(review, "ben") - 5

    ok(review)
    assert _rows(review, "alice") == _rows(review, "ben")


def test_a_deleted_sheet_is_written_again_and_the_run_names_its_backup(review):
    ben = review / "data/screening/full_text/ben.csv"
    typed = ben.read_bytes()
    decided = len(_decided(review, "ben", "full_text"))
    ben.unlink()

    # the sheet comes back with every full-text study; without ben's decisions the
    # studies coded in data/extraction are no longer included, which stops the run
    stderr = fails(review)
    assert ben.exists() and _rows(review, "ben", "full_text") == _rows(review, "alice", "full_text")
    said = [line for line in stderr.splitlines() if "ben.csv was missing" in line]
    assert said and f"holds {decided} decisions" in said[0]
    backup = re.search(r"last backup, (\S+), holds", said[0]).group(1)
    assert (review / backup).read_bytes() == typed

    shutil.copy2(review / backup, ben)  # as the message says; cp -p: the backup's old time
    ok(review)
    again = plain_snakemake(review)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr


def test_a_stray_copy_is_named_as_ignored_and_deleting_it_leaves_no_orphans(review):
    alice = review / TA / "alice.csv"
    stray = review / TA / "alice (1).csv"
    shutil.copy(alice, stray)
    study_id = next(iter(_decided(review, "alice")))
    _set_cell(stray, study_id, "decision", "maybe")

    result = ok(review)
    assert "alice (1).csv is not the sheet of a title/abstract reviewer" in result.stderr
    orphans = _table(review, "results/screening/title_abstract/orphans.csv")
    assert (orphans["sheet"] == str(TA / "alice (1).csv")).sum() == len(_decided(review, "alice"))

    stray.unlink()
    ok(review)
    orphans = _table(review, "results/screening/title_abstract/orphans.csv")
    assert not (orphans["sheet"] == str(TA / "alice (1).csv")).any()


def test_a_removed_search_leaves_no_records_report_or_stale_counts(review):
    add_update_search(review)
    ok(review)
    assert (review / "results/import/pubmed_update.md").exists()

    path = review / "config/config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["searches"] = [s for s in config["searches"] if s["name"] != "pubmed_update"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    ok(review)
    assert not (review / "results/import/pubmed_update.md").exists()
    assert not (review / "data/processed/records/pubmed_update.csv").exists()
    counts = _table(review, "results/dedupe/counts.csv")
    assert "pubmed_update" not in " ".join(counts.astype(str).values.ravel())


def test_a_workbook_saved_beside_a_sheet_is_named_by_the_next_plain_run(review):
    """Excel's "keep this format" saves alice.xlsx beside alice.csv: decisions typed there
    are not read, so the next `snakemake`, with nothing else changed, must say so."""
    book = review / TA / "alice.xlsx"
    book.write_bytes(b"PK\x03\x04 a workbook")
    result = ok(review)
    assert "alice.xlsx is not read" in result.stderr
    again = ok(review)  # said when it appeared or changed; then nothing to do
    assert "Nothing to be done" in again.stdout + again.stderr
    assert "alice.xlsx" not in again.stderr


def test_a_merge_that_changes_only_a_kept_record_reruns_screening_which_repairs_it(review):
    """A git merge (or a restore) can change a record prismake keeps beside the decisions
    (here whose sheets it wrote, left with conflict markers) and nothing else: the next
    plain run must check it, not say "Nothing to be done" and leave the markers."""
    record = review / "data/processed/screening/title_abstract/reviewer_sheets.csv"
    written = record.read_bytes()
    record.write_bytes(b"<<<<<<< HEAD\n" + written + b"=======\n" + written + b">>>>>>> theirs\n")
    result = ok(review)
    assert "rule screen:" in result.stdout + result.stderr
    assert record.read_bytes() == written
    again = plain_snakemake(review)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr
