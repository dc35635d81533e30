"""Final decisions per study: agreement, conflicts, resolutions, aliases, orphans, mistakes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from screening_demo import base_studies, record, screening_config, study, write_studies

from prismake.csvio import read_table
from prismake.errors import SheetError
from prismake.screening import screen_stage

OUTPUTS = ("decisions", "reviewer_decisions", "conflicts", "orphans")


def _sheet(tmp_path: Path, reviewer: str, rows: list[tuple], stage: str = "title_abstract",
           header: str = "study_id,decision,reason,note") -> Path:  # fmt: skip
    path = tmp_path / "screening" / stage / f"{reviewer}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [header] + [",".join(str(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _screen(tmp_path: Path, stage: str = "title_abstract", screening: dict | None = None,
            previous: Path | None = None, removed: Path | None = None) -> dict:  # fmt: skip
    outputs = {name: tmp_path / "results" / stage / f"{name}.csv" for name in OUTPUTS}
    screen_stage(
        stage=stage,
        studies_path=tmp_path / "studies.csv",
        previous_decisions_path=previous,
        removed_path=removed,
        sheet_dir=tmp_path / "screening" / stage,
        screening=screening or screening_config(),
        outputs=outputs,
    )
    return {name: read_table(path) for name, path in outputs.items()}


def _final(result: dict) -> dict[str, tuple[str, str]]:
    frame = result["decisions"]
    return dict(
        zip(frame["study_id"], zip(frame["decision"], frame["basis"], strict=True), strict=True)
    )


@pytest.fixture
def ids(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    return [s["study_id"] for s in studies]


def test_agreement_conflict_and_pending_are_told_apart(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[0], "include"), (ids[1], "exclude"), (ids[2], "include")])
    _sheet(tmp_path, "ben", [(ids[0], " YES "), (ids[1], "i"), (ids[2], "")])
    final = _final(_screen(tmp_path))
    assert final[ids[0]] == ("include", "agreement")  # "YES" is a configured synonym
    assert final[ids[1]] == ("conflict", "none")
    assert final[ids[2]] == ("pending", "none")  # dual: ben has not decided yet
    assert final[ids[3]] == ("pending", "none")
    assert ids[-1] not in final  # found by citation searching only: no title/abstract stage


def test_conflicts_show_both_decisions_side_by_side_and_a_resolution_settles_them(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[1], "exclude")])
    _sheet(tmp_path, "ben", [(ids[1], "include")])
    result = _screen(tmp_path)
    conflict = result["conflicts"].iloc[0]
    assert (conflict["reviewer_a"], conflict["decision_a"]) == ("alice", "exclude")
    assert (conflict["reviewer_b"], conflict["decision_b"]) == ("ben", "include")
    assert conflict["status"] == "unresolved"
    _sheet(tmp_path, "resolutions", [(ids[1], "Include", "", "chidi", "discussed")],
           header="study_id,decision,reason,resolved_by,note")  # fmt: skip
    result = _screen(tmp_path)
    assert _final(result)[ids[1]] == ("include", "resolution")
    assert result["conflicts"].iloc[0]["status"] == "resolved"


def test_single_screening_decides_on_one_reviewers_word(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[0], "maybe")])
    final = _final(_screen(tmp_path, screening=screening_config("single", ["alice", "ben"])))
    assert final[ids[0]] == ("maybe", "single")


def test_decision_typed_against_an_older_id_counts_for_the_merged_study(tmp_path):
    a = study([record("scopus", "Paper A")], "Paper A")
    b = study([record("pubmed", "Paper A bis")], "Paper A bis")
    merged = study(a["record_ids"].split("; ") + b["record_ids"].split("; "), "Paper A")
    write_studies(tmp_path / "studies.csv", [merged])
    _sheet(tmp_path, "alice", [(b["study_id"], "include")])  # typed before the merge
    _sheet(tmp_path, "ben", [(a["study_id"].upper().replace("S-", "s-"), "include")])
    result = _screen(tmp_path)
    assert _final(result)[merged["study_id"]] == ("include", "agreement")
    assert set(result["reviewer_decisions"]["study_id"]) == {merged["study_id"]}


def test_decision_for_a_study_that_no_longer_exists_is_kept_in_orphans(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[0], "include"), ("S-zzzzzzzzzz", "exclude", "", "gone?")])
    result = _screen(tmp_path)
    orphan = result["orphans"].iloc[0]
    assert (orphan["study_id"], orphan["decision"], orphan["row"]) == (
        "S-zzzzzzzzzz",
        "exclude",
        "3",
    )
    assert orphan["note"] == "gone?"


def test_an_id_one_or_two_characters_off_a_study_s_id_is_a_typo_named_with_the_study(tmp_path, ids):
    """A resolver types (or mistypes) study ids by hand: S-...bizx for S-...bizj must not
    leave the conflict unresolved behind a warning, as if the study had vanished."""
    typo = ids[1][:-1] + ("x" if ids[1][-1] != "x" else "y")
    swapped = ids[0][:-2] + ids[0][-1] + ids[0][-2]
    short = ids[2][:-1]  # a character left out
    _sheet(tmp_path, "alice", [(ids[0], "include"), (ids[1], "exclude"), (short, "exclude")])
    _sheet(tmp_path, "ben", [(swapped, "include"), (ids[1], "include")])
    _sheet(tmp_path, "resolutions", [(typo, "include", "", "chidi", "")],
           header="study_id,decision,reason,resolved_by,note")  # fmt: skip
    with pytest.raises(SheetError) as error:
        _screen(tmp_path)
    found = {(Path(p.file).name, p.value, p.hint.split("?")[0]) for p in error.value.problems}
    assert found == {
        ("resolutions.csv", typo, f"Did you mean {ids[1]}"),
        ("ben.csv", swapped, f"Did you mean {ids[0]}"),
        ("alice.csv", short, f"Did you mean {ids[2]}"),
    }


def test_full_text_exclusions_need_a_reason_from_config_in_any_case(tmp_path, ids):
    previous = tmp_path / "ta.csv"
    previous.write_text("study_id,decision\n" + "".join(f"{i},include\n" for i in ids[:3]))
    _sheet(tmp_path, "alice", [(ids[0], "exclude", "wrong  PARTICIPANTS"), (ids[1], "exclude",
           "Not co-production"), (ids[2], "nr")], stage="full_text")  # fmt: skip
    _sheet(tmp_path, "ben", [(ids[0], "Excluded", "Wrong participants"), (ids[1], "exclude",
           "Not a primary study"), (ids[2], "not retrieved")], stage="full_text")  # fmt: skip
    result = _screen(tmp_path, "full_text", previous=previous)
    decisions = result["decisions"].set_index("study_id")
    assert decisions.loc[ids[0], ["decision", "reason"]].tolist() == [
        "exclude",
        "Wrong participants",
    ]
    assert decisions.loc[ids[1], "decision"] == "conflict"  # same decision, different reasons
    assert decisions.loc[ids[2], "decision"] == "not_retrieved"
    assert ids[-1] in decisions.index  # citation-only study goes straight to full text


def test_a_reason_on_a_full_text_row_that_does_not_exclude_is_a_note_and_the_run_says_where(
    tmp_path, ids, caplog
):
    """The reason column is for exclusions: one typed beside include or not retrieved
    (a slip, or a note) reached decisions.csv as the study's reason, silently."""
    previous = tmp_path / "ta.csv"
    previous.write_text("study_id,decision\n" + "".join(f"{i},include\n" for i in ids[:3]))
    _sheet(tmp_path, "alice", [(ids[0], "include", "Wrong participants", ""),
           (ids[1], "not retrieved", "Conference abstract only", "asked the authors"),
           (ids[2], "exclude", "Wrong participants", "")], stage="full_text")  # fmt: skip
    _sheet(tmp_path, "ben", [(ids[0], "include", "", ""), (ids[1], "not retrieved", "", ""),
           (ids[2], "include", "Wrong participants", "")], stage="full_text")  # fmt: skip
    _sheet(tmp_path, "resolutions", [(ids[2], "include", "fits after all", "chidi", "")],
           stage="full_text", header="study_id,decision,reason,resolved_by,note")  # fmt: skip
    with caplog.at_level("WARNING", logger="prismake"):
        result = _screen(tmp_path, "full_text", previous=previous)
    decisions = result["decisions"].set_index("study_id")
    assert decisions.loc[ids[0], ["decision", "reason"]].tolist() == ["include", ""]
    assert decisions.loc[ids[1], ["decision", "reason"]].tolist() == ["not_retrieved", ""]
    assert decisions.loc[ids[2], ["decision", "reason", "note"]].tolist() == [
        "include",
        "",
        "fits after all",
    ]
    conflict = result["conflicts"].iloc[0]
    assert (conflict["decision_b"], conflict["reason_b"]) == ("include", "")
    # nothing typed is lost: the text is the row's note
    typed = result["reviewer_decisions"].set_index(["study_id", "reviewer"])
    assert typed.loc[(ids[0], "alice"), ["reason", "note"]].tolist() == ["", "Wrong participants"]
    assert typed.loc[(ids[1], "alice"), "note"] == "asked the authors; Conference abstract only"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    said = {Path(w.split(":")[0]).name: w for w in warnings if "reason column" in w}
    assert set(said) == {"alice.csv", "ben.csv", "resolutions.csv"}
    assert (
        f"a reason is typed on 2 rows that do not exclude the study: row 2 ({ids[0]}, "
        f"include): 'Wrong participants'; row 3 ({ids[1]}, not retrieved): 'Conference "
        "abstract only'. The reason column is for exclusions" in said["alice.csv"]
    )
    assert f"a row that does not exclude the study: row 4 ({ids[2]}, include)" in said["ben.csv"]
    for warning in said.values():
        assert "never counted as an exclusion reason" in warning
        assert "type exclude in the decision column" in warning
        assert "move it to the note column" in warning


def test_a_reason_beside_a_title_abstract_include_is_a_note_too(tmp_path, ids, caplog):
    _sheet(tmp_path, "alice", [(ids[0], "include", "Wrong participants", ""),
           (ids[1], "exclude", "Wrong participants", "")])  # fmt: skip
    _sheet(tmp_path, "ben", [(ids[0], "include", "", ""), (ids[1], "exclude", "", "")])
    with caplog.at_level("WARNING", logger="prismake"):
        result = _screen(tmp_path)
    decisions = result["decisions"].set_index("study_id")
    assert decisions.loc[ids[0], ["decision", "reason"]].tolist() == ["include", ""]
    assert decisions.loc[ids[1], ["decision", "reason"]].tolist() == [
        "exclude",
        "Wrong participants",
    ]
    assert f"row 2 ({ids[0]}, include): 'Wrong participants'" in caplog.text


def test_removed_before_screening_studies_get_their_own_decision(tmp_path, ids):
    removed = tmp_path / "removed.csv"
    removed.write_text(f"study_id,removed_by,reason\n{ids[0]},automation,RobotReviewer\n"
                       f"{ids[1]},Other,retracted\n")  # fmt: skip
    final = _final(_screen(tmp_path, removed=removed))
    assert final[ids[0]] == ("removed_automation", "removed")
    assert final[ids[1]] == ("removed_other", "removed")


def test_a_sheet_with_ten_mistakes_gets_one_report_listing_all_ten(tmp_path):
    a = study([record("scopus", "Paper A")], "Paper A")
    b = study([record("pubmed", "Paper A bis")], "Paper A bis")
    merged = study(a["record_ids"].split("; ") + b["record_ids"].split("; "), "Paper A")
    others = base_studies(8)
    write_studies(tmp_path / "studies.csv", [merged, *others])
    previous = tmp_path / "ta.csv"
    previous.write_text("study_id,decision\n" + "".join(
        f"{s['study_id']},include\n" for s in [merged, *others]))  # fmt: skip
    ids = [s["study_id"] for s in others]
    header = "study_id,decision,reason,note,Decision"  # 1: the decision column twice
    rows = [
        (ids[0], "inclde", "", "", ""),  # 2: unknown decision
        (ids[1], "exclude", "", "", ""),  # 3: exclusion without a reason
        (ids[2], "exclude", "too boring", "", ""),  # 4: reason not in config
        (ids[3], "include", "", "", ""),  # 5
        (ids[3], "include", "", "", ""),  # 6: duplicated study id
        ("S12345", "include", "", "", ""),  # 7: id that does not exist
        (ids[4], "maybe", "", "", ""),  # 8: maybe is not a full-text decision
        ("", "exclude", "Wrong participants", "", ""),  # 9: decision without a study id
        (ids[5], "", "Wrong participants", "", ""),  # 10: fine: not decided yet
        (ids[6], "exclude", "Wrong participants", "", "", "b"),  # 11: a cell too many
        (a["study_id"], "include", "", "", ""),  # 12
        (b["study_id"], "exclude", "Not co-production", "", ""),  # 13: merged with 12, differs
    ]
    path = _sheet(tmp_path, "alice", rows, stage="full_text", header=header)
    _sheet(tmp_path, "ben", [(ids[0], "include")], stage="full_text")
    with pytest.raises(SheetError) as error:
        _screen(tmp_path, "full_text", previous=previous)
    problems = error.value.problems
    assert [p.row for p in problems] == [1, 2, 3, 4, 6, 7, 8, 9, 11, 13]
    assert {p.file for p in problems} == {str(path)}
    assert len({p.message for p in problems}) == 10
    text = str(error.value)
    assert "10 problems found" in text and "column 'decision'" in text and "inclde" in text
    assert not (tmp_path / "results").exists()  # nothing half-written


def test_mistakes_in_several_sheets_are_reported_together(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[0], "yess")])
    _sheet(tmp_path, "ben", [(ids[0], "not retrieved")])
    with pytest.raises(SheetError) as error:
        _screen(tmp_path)
    assert len(error.value.problems) == 2
    assert "not a decision at title/abstract" in str(error.value)


def test_a_decision_for_a_study_no_longer_at_this_stage_is_an_orphan_not_lost(
    tmp_path, ids, caplog
):
    previous = tmp_path / "ta.csv"
    previous.write_text(f"study_id,decision\n{ids[0]},include\n{ids[1]},exclude\n")
    _sheet(tmp_path, "alice", [(ids[0], "include"), (ids[1], "include")], stage="full_text")
    with caplog.at_level("WARNING", logger="prismake"):
        result = _screen(tmp_path, "full_text", previous=previous)
    assert result["orphans"]["study_id"].tolist() == [ids[1]]
    assert "not screened at full text" in result["orphans"].iloc[0]["problem"]
    # the warning names the study, and why its decision will count again
    assert f"row 3 ({ids[1]})" in caplog.text
    assert "its earlier decision changed or is missing; it counts again" in caplog.text


def test_outputs_are_byte_identical_on_a_rerun(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[0], "include"), (ids[1], "exclude")])
    _sheet(tmp_path, "ben", [(ids[0], "include"), (ids[1], "include")])
    _screen(tmp_path)
    first = {p.name: p.read_bytes() for p in (tmp_path / "results" / "title_abstract").iterdir()}
    _screen(tmp_path)
    again = {p.name: p.read_bytes() for p in (tmp_path / "results" / "title_abstract").iterdir()}
    assert first == again


def test_decisions_in_a_sheet_of_a_reviewer_not_in_config_are_kept_in_orphans(tmp_path, ids):
    _sheet(tmp_path, "alice", [(ids[0], "include")])
    _sheet(tmp_path, "alice (1)", [(ids[0], "include"), (ids[1], "no")])
    (tmp_path / "screening/title_abstract/~$alice.csv").write_bytes(b"\x00lock")
    result = _screen(tmp_path)
    assert result["orphans"]["decision"].tolist() == ["include", "exclude"]
    assert "not a title/abstract reviewer" in result["orphans"].iloc[0]["problem"]
    assert result["reviewer_decisions"]["reviewer"].tolist() == ["alice"]


def test_a_study_removed_before_screening_that_reviewers_decided_is_warned_about(
    tmp_path, ids, caplog
):
    """removed_before_screening.csv listed a study both reviewers had excluded: its
    decision became removed_other without a word. The list still counts (the team's
    word), but the run names the row, the study and what the reviewers typed, and what
    they typed stays in reviewer_decisions.csv."""
    _sheet(tmp_path, "alice", [(ids[0], "exclude", "clinical"), (ids[1], "include")])
    _sheet(tmp_path, "ben", [(ids[0], "exclude"), (ids[1], "include")])
    removed = tmp_path / "removed.csv"
    removed.write_text(
        f"study_id,removed_by,reason\n{ids[2]},automation,\n{ids[0]},other,retracted\n"
    )
    with caplog.at_level("WARNING", logger="prismake"):
        result = _screen(tmp_path, removed=removed)
    assert _final(result)[ids[0]] == ("removed_other", "removed")
    typed = result["reviewer_decisions"]
    assert typed.loc[typed["study_id"] == ids[0], "reviewer"].tolist() == ["alice", "ben"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    (warning,) = [w for w in warnings if "removed before screening" in w]
    assert warning.startswith(f"{removed}: 1 study listed as removed before screening has ")
    assert (
        f"row 3 {ids[0]}: removed_other (retracted), reviewers alice: exclude (clinical); "
        "ben: exclude" in warning
    )
    assert "clear its row" in warning and ids[2] not in warning  # nobody had decided it
