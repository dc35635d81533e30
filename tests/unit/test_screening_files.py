"""The files behind the sheets: modes, read-only sheets, missing sheets, left-over temps, cells.

On a shared server every reviewer must be able to open the sheets the umask allows; a
sheet someone made read-only is never rewritten; a sheet that went missing is written
anew and the run says where its last backup is; a killed run's temporary files go away.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import stat
from pathlib import Path

import pytest
from screening_demo import (
    SEARCHES,
    base_studies,
    record,
    screening_config,
    study,
    type_decisions,
    write_studies,
)

from prismake.csvio import CELL_LIMIT
from prismake.errors import SheetError
from prismake.screening import sync_sheets
from prismake.screening.sheets import read_sheet


def _sync(root: Path, screening: dict | None = None) -> None:
    sync_sheets(
        stage="title_abstract",
        studies_path=root / "studies.csv",
        previous_decisions_path=None,
        removed_path=None,
        sheet_dir=root / "screening/title_abstract",
        backup_dir=root / "backups/title_abstract",
        screening=screening or screening_config(),
        searches=SEARCHES,
        added_out=root / "added.csv",
    )


def _sheet(root: Path, reviewer: str = "alice") -> Path:
    return root / "screening/title_abstract" / f"{reviewer}.csv"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    def set_mask(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    os.umask(old)
    yield set_mask
    os.umask(old)


def _update_search(root: Path) -> None:
    """studies.csv gains one study, as after an update search."""
    new = study([record("update2026", "A later study")], "A later study")
    write_studies(root / "studies.csv", [*base_studies(), new])


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_sheets_get_the_mode_the_umask_gives(tmp_path, umask, mask, expected):
    umask(mask)
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    for reviewer in ("alice", "ben", "resolutions"):
        assert _mode(_sheet(tmp_path, reviewer)) == expected


def test_a_rewritten_sheet_and_its_backup_keep_the_sheet_s_mode(tmp_path, umask):
    umask(0o022)
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    os.chmod(_sheet(tmp_path), 0o640)
    type_decisions(_sheet(tmp_path), {base_studies()[0]["study_id"]: "include"})
    _update_search(tmp_path)
    _sync(tmp_path)
    assert _mode(_sheet(tmp_path)) == 0o640
    edited = [
        p
        for p in (tmp_path / "backups/title_abstract").glob("alice.csv.*.bak")
        if b"include" in p.read_bytes()
    ]
    # kept as read and as written (with the new rows): both keep the sheet's mode
    assert len(edited) == 2 and all(_mode(p) == 0o640 for p in edited)


def test_a_read_only_sheet_is_refused_and_no_sheet_changes(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    os.chmod(_sheet(tmp_path), 0o444)
    before = {r: _sheet(tmp_path, r).read_bytes() for r in ("alice", "ben")}
    _update_search(tmp_path)
    with pytest.raises(SheetError) as error:
        _sync(tmp_path)
    message = str(error.value)
    assert "alice.csv" in message and "read-only" in message and "ben.csv" not in message
    assert {r: _sheet(tmp_path, r).read_bytes() for r in ("alice", "ben")} == before
    assert _mode(_sheet(tmp_path)) == 0o444


def test_a_read_only_sheet_that_needs_nothing_is_only_read(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    os.chmod(_sheet(tmp_path), 0o444)
    _sync(tmp_path)  # nothing to add: no error


def test_a_deleted_sheet_is_written_again_and_its_last_backup_is_named(tmp_path, caplog):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    _sync(tmp_path)
    type_decisions(_sheet(tmp_path), {studies[0]["study_id"]: "include",
                                       studies[1]["study_id"]: "exclude"})  # fmt: skip
    _update_search(tmp_path)
    _sync(tmp_path)  # the backup taken before this append holds the two decisions
    before = {cells[0] for _, cells in read_sheet(_sheet(tmp_path)).rows}
    _sheet(tmp_path).unlink()
    with caplog.at_level(logging.INFO, logger="prismake"):
        _sync(tmp_path)
    rows = read_sheet(_sheet(tmp_path)).rows
    assert {cells[0] for _, cells in rows} == before  # every study of the stage again
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "alice.csv was missing" in warnings[0] and "holds 2 decisions" in warnings[0]
    with_decisions = [
        p
        for p in (tmp_path / "backups/title_abstract").glob("alice.csv.*.bak")
        if b"include" in p.read_bytes()
    ]
    assert len(with_decisions) == 2  # as read, and as written with the new rows
    assert any(str(p) in warnings[0] for p in with_decisions)


def test_a_sheet_never_written_before_is_new_without_a_warning(tmp_path, caplog):
    write_studies(tmp_path / "studies.csv", base_studies())
    with caplog.at_level(logging.INFO, logger="prismake"):
        _sync(tmp_path)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_temporary_files_of_a_killed_run_are_removed(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    left = tmp_path / "screening/title_abstract/.alice.csv.k3j2h1.tmp"
    left.write_bytes(b"half a sheet")
    _sync(tmp_path)
    assert not left.exists()
    assert sorted(p.name for p in left.parent.iterdir()) == [
        "alice.csv",
        "ben.csv",
        "resolutions.csv",
    ]


def _killed_at_rename(root: Path) -> None:
    os.replace = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
    _sync(root)


def test_a_run_killed_while_writing_a_sheet_leaves_nothing_in_the_reviewers_folder(tmp_path):
    """SIGKILL between writing the new bytes and the rename: the half-done file is in a
    pipeline folder, the sheet keeps its old bytes, and the next run tidies up."""
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    before = _sheet(tmp_path).read_bytes()
    studies = base_studies()
    studies.append({**studies[0], "study_id": "S9", "title": "An update search finds this"})
    write_studies(tmp_path / "studies.csv", studies)
    child = multiprocessing.get_context("fork").Process(target=_killed_at_rename, args=(tmp_path,))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    folder = _sheet(tmp_path).parent
    assert sorted(p.name for p in folder.iterdir()) == ["alice.csv", "ben.csv", "resolutions.csv"]
    assert _sheet(tmp_path).read_bytes() == before
    left = list((tmp_path / "backups/title_abstract/tmp").iterdir())
    assert [p.name.startswith(".alice.csv.") for p in left] == [True]
    _sync(tmp_path)
    assert not list((tmp_path / "backups/title_abstract/tmp").iterdir())
    assert b"An update search finds this" in _sheet(tmp_path).read_bytes()


def test_a_huge_abstract_is_cut_to_fit_a_spreadsheet_cell_with_a_visible_mark(tmp_path):
    huge = "word " * 40_000  # 200,000 characters
    studies = base_studies()
    studies[0]["abstract"] = huge
    write_studies(tmp_path / "studies.csv", studies)
    _sync(tmp_path)
    _sync(tmp_path)  # read back without a traceback, nothing added twice
    sheet = read_sheet(_sheet(tmp_path))
    abstracts = [sheet.cell(cells, "abstract") for _, cells in sheet.rows]
    longest = max(abstracts, key=len)
    assert len(longest) <= CELL_LIMIT
    assert longest.startswith("word word") and "cut by prismake" in longest


def test_decisions_gone_since_the_last_run_are_named_with_the_backup_that_holds_them(
    tmp_path, caplog
):
    # ben saves an older copy of alice's sheet over hers: her two decisions vanish
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    _sync(tmp_path)
    older = _sheet(tmp_path).read_bytes()
    first, second = studies[0]["study_id"], studies[1]["study_id"]
    type_decisions(_sheet(tmp_path), {first: "include", second: "exclude"})
    _sync(tmp_path)  # the run reads (and backs up) her decisions
    with caplog.at_level(logging.INFO, logger="prismake"):
        _sync(tmp_path)  # nothing changed: nothing to say
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    _sheet(tmp_path).write_bytes(older)
    with caplog.at_level(logging.INFO, logger="prismake"):
        _sync(tmp_path)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "alice.csv: 2 decisions typed before are gone since the last run" in warnings[0]
    assert f"{first} include" in warnings[0] and f"{second} exclude" in warnings[0]
    named = Path(warnings[0].split("last backup, ")[1].split(", and run")[0])
    assert b"include" in named.read_bytes()  # the backup named holds them
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        _sync(tmp_path)  # said once: the next run compares with the sheet as it is now
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # a decision changed (not cleared) is the reviewer's right: no warning
    type_decisions(_sheet(tmp_path), {first: "include"})
    _sync(tmp_path)
    type_decisions(_sheet(tmp_path), {first: "exclude"})
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        _sync(tmp_path)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_sheet_saved_as_a_workbook_beside_the_csv_is_named_not_ignored(tmp_path, caplog):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    workbook = _sheet(tmp_path).with_suffix(".xlsx")
    workbook.write_bytes(b"PK\x03\x04 a workbook")
    with caplog.at_level(logging.WARNING, logger="prismake"):
        _sync(tmp_path)
    assert f"{workbook} is not read: prismake reads the CSV sheets only" in caplog.text
    assert "save it as CSV (CSV UTF-8) over alice.csv" in caplog.text
    # the reviewer went on in the CSV: saving the older workbook over it would lose that
    sheet = _sheet(tmp_path)
    os.utime(workbook, (1_700_000_000, 1_700_000_000))
    sheet.write_bytes(sheet.read_bytes())
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        _sync(tmp_path)
    assert "alice.csv was saved after it, so keep screening in alice.csv" in caplog.text
    assert "over alice.csv" not in caplog.text
    # Excel's "Alice (1).xlsx" is alice's too: the advice names her sheet, not a stray copy
    workbook.rename(workbook.with_name("Alice (1).xlsx"))
    os.utime(workbook.with_name("Alice (1).xlsx"), (1_900_000_000, 1_900_000_000))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        _sync(tmp_path)
    assert "save it as CSV (CSV UTF-8) over alice.csv" in caplog.text
    assert "Alice (1).csv" not in caplog.text
    # the resolver's workbook is resolutions.csv's, not a reviewer's sheet to save over
    workbook.with_name("Alice (1).xlsx").rename(workbook.with_name("resolutions.ods"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        _sync(tmp_path)
    assert "over resolutions.csv" in caplog.text and "over alice.csv" not in caplog.text


def test_a_renamed_sheet_is_named_as_probably_the_missing_one(tmp_path, caplog):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path)
    sheet = _sheet(tmp_path)
    sheet.rename(sheet.with_name("alice_final.csv"))
    with caplog.at_level(logging.WARNING, logger="prismake"):
        _sync(tmp_path)
    assert "alice.csv was missing" in caplog.text
    assert "alice_final.csv, beside it, lists most of its studies" in caplog.text
    assert "give it back its name (alice.csv)" in caplog.text
    assert "ben.csv, beside it" not in caplog.text  # dual: ben's sheet lists them too


def test_a_sheet_saved_while_the_run_adds_studies_keeps_the_save(tmp_path, monkeypatch):
    """A reviewer saves their sheet in the second between the run reading it and writing
    it back with the new studies: the run stops, and their save stays as they made it."""
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies[:4])
    _sync(tmp_path)
    sheet = _sheet(tmp_path)
    write_studies(tmp_path / "studies.csv", studies)  # an update search: studies to add
    type_decisions(sheet, {studies[0]["study_id"]: "include"})
    saved_meanwhile = sheet.read_bytes().replace(b"include", b"exclude")
    import prismake.screening.sync as sync

    def append_then_save(found, records):
        data = real_append(found, records)
        if Path(found.path).name == "alice.csv":
            sheet.write_bytes(saved_meanwhile)  # alice's Ctrl+S lands here
        return data

    real_append = sync.append_rows
    monkeypatch.setattr(sync, "append_rows", append_then_save)
    with pytest.raises(SheetError) as raised:
        _sync(tmp_path)
    assert "saved (or created) by someone while this run was writing it" in str(raised.value)
    assert sheet.read_bytes() == saved_meanwhile
    monkeypatch.undo()
    _sync(tmp_path)  # the next run adds the studies after her save
    assert sheet.read_bytes().startswith(saved_meanwhile)
    fresh = tmp_path / "fresh"
    write_studies(fresh / "studies.csv", studies)
    _sync(fresh)
    assert len(read_sheet(sheet).rows) == len(read_sheet(_sheet(fresh)).rows) > 4


def test_the_newest_backup_is_the_newest_run_s_even_after_the_folder_was_copied(tmp_path):
    """cp -r, a zip or a sync tool may give every copy the same (or a shuffled) file time;
    the warnings that name 'the last backup' must still name the last run's."""
    from prismake.csvio import backups_of

    folder = tmp_path / "backups"
    folder.mkdir()
    names = [
        "alice.csv.20261201T090000Z-aaaa1111.bak",  # an early run, as read
        "alice.csv.20261205T090000Z-bbbb2222.bak",  # a later run, as read
        "alice.csv.20261205T090000Zw-cccc3333.bak",  # the same run, as written
    ]
    for i, name in enumerate(names):
        (folder / name).write_text("x")
        when = 1_800_000_000 - 1000 * i  # copied: the oldest got the newest time
        os.utime(folder / name, (when, when))
    assert [p.name for p in backups_of(tmp_path / "alice.csv", folder)] == names
