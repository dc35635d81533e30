"""New studies appear once at the bottom of the right sheets; nothing people typed changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from screening_demo import (
    SEARCHES,
    base_studies,
    record,
    rows_of,
    save_as,
    screening_config,
    study,
    type_decisions,
    write_studies,
)

from prismake.csvio import read_table
from prismake.errors import PrismakeError, SheetError
from prismake.screening import sync_sheets


def _sync(tmp_path: Path, screening: dict, stage: str = "title_abstract", previous=None,
          removed=None) -> list[dict]:  # fmt: skip
    added = tmp_path / "added" / f"{stage}.csv"
    sync_sheets(
        stage=stage,
        studies_path=tmp_path / "studies.csv",
        previous_decisions_path=previous,
        removed_path=removed,
        sheet_dir=tmp_path / "screening" / stage,
        backup_dir=tmp_path / "backups" / stage,
        screening=screening,
        searches=SEARCHES,
        added_out=added,
    )
    return read_table(added).to_dict("records")


def _sheet(tmp_path: Path, reviewer: str, stage: str = "title_abstract") -> Path:
    return tmp_path / "screening" / stage / f"{reviewer}.csv"


def test_dual_screening_gives_every_database_study_to_both_reviewers(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    added = _sync(tmp_path, screening_config("dual"))
    database_ids = sorted(s["study_id"] for s in studies if s["sources"] == "database")
    for reviewer in ("alice", "ben"):
        rows = rows_of(_sheet(tmp_path, reviewer))
        assert [r["study_id"] for r in rows] == database_ids  # citation-only study skips t/a
        assert rows[0]["doi_link"].startswith("https://doi.org/10.1000/demo.")
        assert rows[0]["decision"] == "" and rows[0]["abstract"]
    assert len(added) == 2 * len(database_ids)
    assert _sheet(tmp_path, "alice").read_bytes().startswith(b"\xef\xbb\xbf")


def test_single_screening_gives_each_study_to_exactly_one_reviewer(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies(30))
    _sync(tmp_path, screening_config("single", ["alice", "ben", "chidi"]))
    seen = [
        r["study_id"] for name in ("alice", "ben", "chidi") for r in rows_of(_sheet(tmp_path, name))
    ]
    assert len(seen) == len(set(seen)) == 30
    assert all(rows_of(_sheet(tmp_path, name)) for name in ("alice", "ben", "chidi"))


def test_split_screening_doubles_about_the_configured_fraction(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies(200))
    _sync(tmp_path, screening_config("split", ["alice", "ben", "chidi"], double_fraction=0.25))
    counts: dict[str, int] = {}
    for name in ("alice", "ben", "chidi"):
        for row in rows_of(_sheet(tmp_path, name)):
            counts[row["study_id"]] = counts.get(row["study_id"], 0) + 1
    doubled = sum(1 for n in counts.values() if n == 2)
    assert len(counts) == 200 and set(counts.values()) <= {1, 2}
    assert 30 <= doubled <= 70  # 25% of 200, deterministic by study id


def test_running_again_with_nothing_new_changes_no_byte(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path, screening_config())
    before = _sheet(tmp_path, "alice").read_bytes()
    backups = sorted((tmp_path / "backups").rglob("*"))
    assert _sync(tmp_path, screening_config()) == []
    assert _sheet(tmp_path, "alice").read_bytes() == before
    assert sorted((tmp_path / "backups").rglob("*")) == backups, "no backup when nothing changes"


def test_update_search_appends_new_studies_once_at_the_bottom_after_a_backup(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    _sync(tmp_path, screening_config())
    first = studies[0]["study_id"]
    type_decisions(_sheet(tmp_path, "alice"), {first: "include"})
    save_as(
        _sheet(tmp_path, "alice"), delimiter=";", newline="\r\n", columns=["decision", "study_id"]
    )
    before = _sheet(tmp_path, "alice").read_bytes()
    # the update search finds one new study, and a new record of an existing study
    joined = study(
        [*studies[0]["record_ids"].split("; "), record("update2026", studies[0]["title"])],
        studies[0]["title"],
    )
    new = study([record("update2026", "A brand new study")], "A brand new study")
    assert joined["study_id"] == first  # the anchor stays in the earliest search
    write_studies(tmp_path / "studies.csv", [joined, new, *studies[1:]])
    added = _sync(tmp_path, screening_config())
    assert sorted(added, key=lambda r: r["sheet"]) == [
        {"sheet": str(_sheet(tmp_path, "alice")), "study_id": new["study_id"]},
        {"sheet": str(_sheet(tmp_path, "ben")), "study_id": new["study_id"]},
    ]
    after = _sheet(tmp_path, "alice").read_bytes()
    assert after.startswith(before)
    # the sheet's own column order, separator and line ends; quotes only where needed
    assert after[len(before) :].decode("utf-8") == (
        f';{new["study_id"]};A brand new study;"Example, Ann; Sample, Bo";2021;'
        "Journal of Examples;;An abstract about a brand new study.;;\r\n"
    )
    backups = list((tmp_path / "backups" / "title_abstract").glob("*.bak"))
    assert any(b.read_bytes() == before for b in backups)
    assert _sync(tmp_path, screening_config()) == []  # and only once


def test_a_study_listed_under_an_older_id_is_not_added_again(tmp_path):
    a = study([record("scopus", "Paper A")], "Paper A")
    b = study([record("pubmed", "Paper A, other version")], "Paper A, other version")
    write_studies(tmp_path / "studies.csv", [a, b])
    _sync(tmp_path, screening_config())
    # dedupe now merges the two: b's id lives on as an alias of the merged study
    merged = study(a["record_ids"].split("; ") + b["record_ids"].split("; "), "Paper A")
    assert merged["study_id"] == a["study_id"]
    write_studies(tmp_path / "studies.csv", [merged])
    assert _sync(tmp_path, screening_config()) == []


def test_a_sheet_with_mistakes_is_not_touched_and_no_sheet_changes(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    _sync(tmp_path, screening_config())
    type_decisions(_sheet(tmp_path, "alice"), {studies[0]["study_id"]: "perhaps"})
    write_studies(tmp_path / "studies.csv", [*studies, study([record("update2026", "New")], "New")])
    alice, ben = _sheet(tmp_path, "alice").read_bytes(), _sheet(tmp_path, "ben").read_bytes()
    with pytest.raises(SheetError) as error:
        _sync(tmp_path, screening_config())
    assert "perhaps" in str(error.value) and "no sheet was changed" in str(error.value)
    assert _sheet(tmp_path, "alice").read_bytes() == alice
    assert _sheet(tmp_path, "ben").read_bytes() == ben


def test_full_text_gets_included_and_maybe_studies_plus_citation_only_studies(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    ids = [s["study_id"] for s in studies]
    previous = tmp_path / "ta_decisions.csv"
    previous.write_text(
        "study_id,decision,reason,basis,reviewers,note\n"
        f"{ids[0]},include,,agreement,,\n{ids[1]},maybe,,agreement,,\n{ids[2]},exclude,,agreement,,\n"
        f"{ids[3]},conflict,,none,,\n"
    )
    _sync(tmp_path, screening_config(), stage="full_text", previous=previous)
    listed = [r["study_id"] for r in rows_of(_sheet(tmp_path, "alice", "full_text"))]
    citation_only = studies[-1]["study_id"]
    assert listed == sorted([ids[0], ids[1], citation_only])
    assert "abstract" not in rows_of(_sheet(tmp_path, "alice", "full_text"))[0]


def test_studies_removed_before_screening_are_not_added(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    removed = tmp_path / "removed.csv"
    removed.write_text(f"study_id,removed_by,reason\n{studies[0]['study_id']},Automation,tool\n")
    _sync(tmp_path, screening_config(), removed=removed)
    assert studies[0]["study_id"] not in [r["study_id"] for r in rows_of(_sheet(tmp_path, "ben"))]


def test_single_screening_makes_no_resolutions_sheet_but_dual_does(tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path, screening_config("single"))
    assert not (tmp_path / "screening/title_abstract/resolutions.csv").exists()
    _sync(tmp_path, screening_config("dual"))
    header = (tmp_path / "screening/title_abstract/resolutions.csv").read_bytes()
    assert header == b"\xef\xbb\xbfstudy_id,decision,reason,resolved_by,note\n"


def test_a_sheet_open_in_a_spreadsheet_is_named_as_the_likely_cause(tmp_path, monkeypatch):
    write_studies(tmp_path / "studies.csv", base_studies())
    folder = tmp_path / "screening/title_abstract"
    folder.mkdir(parents=True)
    (folder / "~$alice.csv").write_bytes(b"lock")

    def locked(path, data, *_, **__):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("prismake.screening.sync.atomic_write_bytes", locked)
    with pytest.raises(PrismakeError) as error:
        _sync(tmp_path, screening_config())
    assert "open in a spreadsheet" in str(error.value) and "alice.csv" in str(error.value)


def test_a_permission_error_without_a_lock_file_does_not_blame_a_spreadsheet(tmp_path, monkeypatch):
    write_studies(tmp_path / "studies.csv", base_studies())

    def denied(path, data, *_, **__):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("prismake.screening.sync.atomic_write_bytes", denied)
    with pytest.raises(PrismakeError) as error:
        _sync(tmp_path, screening_config())
    assert "spreadsheet" not in str(error.value)
    assert "alice.csv" in str(error.value) and "chmod" in str(error.value)


def test_going_from_split_to_dual_says_that_decided_studies_now_await_a_second_decision(
    tmp_path, caplog
):
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path, screening_config("split", double_fraction=0.0))
    alice = _sheet(tmp_path, "alice")
    mine = [r["study_id"] for r in rows_of(alice)]
    type_decisions(alice, dict.fromkeys(mine, "exclude"))
    with caplog.at_level("WARNING", logger="prismake"):
        _sync(tmp_path, screening_config("dual"))
    assert (
        f"{len(mine)} studies one reviewer already decided were added to a second sheet"
        in caplog.text
    )
    assert set(mine) <= {r["study_id"] for r in rows_of(_sheet(tmp_path, "ben"))}
    caplog.clear()
    with caplog.at_level("WARNING", logger="prismake"):  # said once, when it happens
        _sync(tmp_path, screening_config("dual"))
    assert "added to a second sheet" not in caplog.text


def test_rows_deleted_from_a_dual_sheet_come_back_and_the_run_says_so(tmp_path, caplog):
    # alice deletes two rows ben has decided: they come back to her sheet, and the run says
    # that, not that the mode needs a second decision
    write_studies(tmp_path / "studies.csv", base_studies())
    _sync(tmp_path, screening_config("dual"))
    alice, ben = _sheet(tmp_path, "alice"), _sheet(tmp_path, "ben")
    theirs = [r["study_id"] for r in rows_of(ben)]
    type_decisions(ben, dict.fromkeys(theirs, "exclude"))
    _sync(tmp_path, screening_config("dual"))
    lines = alice.read_bytes().splitlines(keepends=True)
    alice.write_bytes(b"".join(lines[:1] + lines[3:]))  # two rows deleted
    gone = [r["study_id"] for r in rows_of(ben)][:2]
    with caplog.at_level("WARNING", logger="prismake"):
        _sync(tmp_path, screening_config("dual"))
    assert (
        f"alice.csv: 2 studies listed in its last copy are gone from it (rows deleted, or an "
        f"older copy saved over it): added back at the bottom, undecided ({', '.join(gone)})"
        in caplog.text
    )
    assert "added to a second sheet" not in caplog.text
    assert [r["study_id"] for r in rows_of(alice)][-2:] == gone


def test_a_deleted_sheet_in_split_prioritised_screening_comes_back_with_all_its_studies(
    tmp_path,
):
    # alice's sheet goes missing: the run writes it again with every study it listed (in
    # the order handed out, ranks kept), none of them goes to ben, no new batch goes out
    write_studies(tmp_path / "studies.csv", base_studies())
    config = screening_config("split", double_fraction=0.0)
    config["stages"]["title_abstract"]["prioritise"] = {"batch": 3}
    _sync(tmp_path, config)
    for reviewer in ("alice", "ben"):
        sheet = _sheet(tmp_path, reviewer)
        if sheet.exists():
            type_decisions(sheet, {r["study_id"]: "include" for r in rows_of(sheet)})
    _sync(tmp_path, config)  # the next batch
    alice, ben = _sheet(tmp_path, "alice"), _sheet(tmp_path, "ben")
    before = [(r["study_id"], r["rank"]) for r in rows_of(alice)]
    ben_before = ben.read_bytes() if ben.exists() else None
    assert before
    alice.unlink()
    _sync(tmp_path, config)
    assert [(r["study_id"], r["rank"]) for r in rows_of(alice)] == before
    assert all(r["decision"] == "" for r in rows_of(alice))
    assert (ben.read_bytes() if ben.exists() else None) == ben_before
