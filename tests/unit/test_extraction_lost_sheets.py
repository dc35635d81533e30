"""Coding and characteristics sheets gone, copied or edited since the last run: nothing a
coder typed stops counting without a warning that names it and the copy that holds it."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest
from extraction_review import (
    CHARACTERISTICS,
    CHARACTERISTICS_ROWS,
    CODING,
    CODING_HEADER,
    make_review,
    run_extract,
    write_csv,
)

from prismake.errors import SheetError
from prismake.ids import study_alias


def read(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def per_coder(paths: dict[str, Path]) -> tuple[Path, Path]:
    """alice.csv and ben.csv, the coder column left empty (the file name says who)."""
    folder = paths["coding"].parent / "coding"
    alice, ben = ([[*r[:5], "", r[6]] for r in CODING if r[5] == who] for who in ("alice", "ben"))
    alice = write_csv(folder / "alice.csv", CODING_HEADER, alice)
    ben = write_csv(folder / "ben.csv", CODING_HEADER, ben)
    paths["coding"].unlink()
    return alice, ben


def extract(tmp_path, paths, caplog, sheets, **changes) -> tuple[dict[str, str], list[str]]:
    """A run as the rule makes it (backups, the sheets' folder); its warnings."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        outputs = run_extract(
            tmp_path,
            paths,
            coding_paths=[str(s) for s in sheets],
            backup_dir=str(tmp_path / "data" / "processed" / "backups" / "extraction"),
            sheet_dir=str(tmp_path / "data" / "extraction"),
            **changes,
        )
    return outputs, [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_deleted_coder_sheet_is_named_with_its_excerpts_and_the_copy_to_put_back(
    tmp_path, caplog
):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    extract(tmp_path, paths, caplog, [alice, ben])
    ben.unlink()
    outputs, warnings = extract(tmp_path, paths, caplog, [alice])
    [warning] = [w for w in warnings if "ben.csv" in w]
    assert f"{ben} is gone" in warning
    assert "holds 4 coded rows that no sheet has now" in warning
    copy = Path(warning.split("Its last copy, ")[1].split(", holds")[0])
    assert "Jargon excluded people." in copy.read_text(encoding="utf-8")
    assert read(outputs["coder_agreement"]).empty  # what the coder would see: ben is gone
    # said again on the next run, until the sheet is back
    _, warnings = extract(tmp_path, paths, caplog, [alice])
    assert any(f"{ben} is gone" in w for w in warnings)
    shutil.copy(copy, ben)
    _, warnings = extract(tmp_path, paths, caplog, [alice, ben])
    assert not [w for w in warnings if "is gone" in w]


def test_a_deleted_characteristics_sheet_is_named_with_the_copy_to_put_back(tmp_path, caplog):
    paths = make_review(tmp_path)
    extract(tmp_path, paths, caplog, [paths["coding"]])
    paths["characteristics"].unlink()
    _, warnings = extract(tmp_path, paths, caplog, [paths["coding"]], characteristics_path=None)
    [warning] = [w for w in warnings if "is gone" in w]
    assert f"{paths['characteristics']} is gone" in warning
    assert "study characteristics" in warning and "holds 20 characteristics" in warning
    copy = Path(warning.split("Its last copy, ")[1].split(", holds")[0])
    assert "Netherlands" in copy.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "copy_name",
    [
        "alice (1).csv",
        "alice(2).csv",
        "Copy of alice.csv",
        "alice - Copy.csv",
        "alice copy.csv",
        "alice_copy.csv",
        "alice-kopie.csv",
    ],
)
def test_a_stray_copy_of_a_coder_sheet_is_named_and_not_counted(tmp_path, caplog, copy_name):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    expected, _ = extract(tmp_path / "before", paths, caplog, [alice, ben])
    stray = alice.parent / copy_name
    shutil.copy(alice, stray)
    sheets = sorted([alice, ben, stray])
    outputs, warnings = extract(tmp_path, paths, caplog, sheets)
    [warning] = [w for w in warnings if copy_name in w]
    assert f"{stray} is not counted" in warning
    assert "16 coded rows count for no coder" in warning
    assert read(outputs["coded"]).equals(read(expected["coded"]))
    agreement = read(outputs["coder_agreement"])
    assert set(zip(agreement["coder_a"], agreement["coder_b"], strict=True)) == {("alice", "ben")}


def test_a_coder_sheet_with_a_plain_name_counts(tmp_path, caplog):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    chidi = alice.parent / "Chidi_O-2.csv"
    write_csv(chidi, CODING_HEADER, [[*CODING[0][:5], "", ""]])
    outputs, warnings = extract(tmp_path, paths, caplog, [alice, ben, chidi])
    assert not [w for w in warnings if "not counted" in w]
    assert "Chidi_O-2" in set(read(outputs["coded"])["coder"])


def test_a_study_id_retyped_in_lower_case_or_as_an_alias_loses_nothing(tmp_path, caplog):
    paths = make_review(tmp_path)
    extract(tmp_path, paths, caplog, [paths["coding"]])
    retyped = [[r[0].lower(), *r[1:]] for r in CODING]
    retyped[0][0] = study_alias("scopus-aaaaaaaaaa")  # the id of its record on its own
    write_csv(paths["coding"], CODING_HEADER, retyped)
    chars = [[r[0].lower(), *r[1:]] for r in CHARACTERISTICS_ROWS]
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], chars)
    _, warnings = extract(tmp_path, paths, caplog, [paths["coding"]])
    assert not [w for w in warnings if "gone" in w]


def test_a_study_id_a_screening_sheet_still_types_after_the_study_got_a_new_one_counts():
    # scopus taken out of config: the study is named after its pubmed record now, and its
    # coded rows have the id screening sheets typed for it (reviewer_decisions' typed_id)
    from prismake.extraction import study_index

    old, new = study_alias("scopus-aaaaaaaaaa"), study_alias("pubmed-bbbbbbbbbb")
    studies = pd.DataFrame({"study_id": [new], "record_ids": ["pubmed-bbbbbbbbbb"]})
    decisions = pd.DataFrame({"study_id": [new], "decision": ["include"]})
    typed = pd.DataFrame({"study_id": [new, new], "typed_id": [old, old]})
    assert study_index(studies, decisions).check(old, "coding.csv", 2)[0] is None
    assert study_index(studies, decisions, typed).check(old, "coding.csv", 2) == (new, None)


def test_a_characteristic_column_emptied_is_named(tmp_path, caplog):
    paths = make_review(tmp_path)
    extract(tmp_path, paths, caplog, [paths["coding"]])
    emptied = [[r[0], r[1], "", *r[3:]] for r in CHARACTERISTICS_ROWS]  # sector
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], emptied)
    _, warnings = extract(tmp_path, paths, caplog, [paths["coding"]])
    [warning] = [w for w in warnings if "gone" in w]
    assert "4 characteristics from the last run are gone" in warning
    assert "S-aaaaaaaaaa sector" in warning
    # a value changed is an edit, not a loss
    changed = [[r[0], "United Kingdom" if r[1] == "UK" else r[1], *r[2:]] for r in emptied]
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], changed)
    _, warnings = extract(tmp_path, paths, caplog, [paths["coding"]])
    assert not [w for w in warnings if "gone" in w]


@pytest.mark.parametrize(
    "name", ["j.smith", "Müller", "Zoë", "o'brien", "Anne Marie", "_lee", "Chidi_O-2"]
)
def test_a_coder_sheet_named_as_people_are_named_counts(tmp_path, caplog, name):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    renamed = ben.rename(ben.parent / f"{name}.csv")
    outputs, warnings = extract(tmp_path, paths, caplog, [alice, renamed])
    assert not [w for w in warnings if "not counted" in w]
    coded = read(outputs["coded"])
    assert (coded["coder"] == name).sum() == 4
    agreement = read(outputs["coder_agreement"])
    pairs = zip(agreement["coder_a"], agreement["coder_b"], strict=True)
    assert {frozenset(pair) for pair in pairs} == {frozenset(("alice", name))}


def test_a_copy_whose_coder_has_no_sheet_is_told_the_name_to_take_not_its_own(tmp_path, caplog):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    stray = ben.rename(ben.parent / "ben (1).csv")
    _, warnings = extract(tmp_path, paths, caplog, [alice, stray])
    [warning] = [w for w in warnings if "not counted" in w]
    assert "there is no ben.csv" in warning and "rename it to ben.csv" in warning
    assert "rename it to ben (1).csv" not in warning and "4 coded rows" in warning


def test_two_coders_who_coded_exactly_the_same_both_count(tmp_path, caplog):
    # a pilot: both coders coded the same passages the same way, their sheets are equal
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    ben.write_bytes(alice.read_bytes())
    outputs, warnings = extract(tmp_path, paths, caplog, [alice, ben])
    assert not [w for w in warnings if "not counted" in w]
    assert set(read(outputs["coded"])["coder"]) == {"alice", "ben"}
    agreement = read(outputs["coder_agreement"])
    assert set(zip(agreement["coder_a"], agreement["coder_b"], strict=True)) == {("alice", "ben")}
    assert set(agreement["percent_agreement"].astype(float)) == {100.0}


def test_two_sheets_for_one_coder_are_one_problem_naming_both(tmp_path, caplog):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    big_ben = write_csv(ben.parent / "Ben.csv", CODING_HEADER, [r[:] for r in CODING[3:5]])
    rows = [[*r[:5], "", r[6]] for r in CODING if r[5] == "alice"]
    rows[0][2] = "riks"  # a mistake elsewhere: reported in the same run
    write_csv(alice, CODING_HEADER, rows)
    with pytest.raises(SheetError) as error:
        extract(tmp_path, paths, caplog, [big_ben, alice, ben])
    problems = error.value.problems
    assert not [p for p in problems if "duplicate" in p.message]
    [two] = [p for p in problems if "two sheets for one coder" in p.message]
    assert "Ben.csv" in two.message and "ben.csv" in two.message
    assert "compared without case and spaces" in two.message
    assert "merge them into one or rename one" in two.hint.lower()
    assert [p.column for p in problems if p is not two] == ["kind"]


def test_a_sheet_moved_into_per_coder_sheets_is_not_called_gone(tmp_path, caplog):
    paths = make_review(tmp_path)
    coding = paths["coding"]
    extract(tmp_path, paths, caplog, [coding])
    folder = coding.parent / "coding"
    sheets = [
        write_csv(folder / f"{who}.csv", CODING_HEADER, [r for r in CODING if r[5] == who])
        for who in ("alice", "ben")
    ]
    coding.unlink()
    _, warnings = extract(tmp_path, paths, caplog, sheets)
    assert not [w for w in warnings if "gone" in w]
    # ben's sheet then deleted: his rows are gone, though alice coded two of his passages
    sheets[1].unlink()
    _, warnings = extract(tmp_path, paths, caplog, sheets[:1])
    [warning] = [w for w in warnings if f"{sheets[1]} is gone" in w]
    assert "holds 4 coded rows that no sheet has now" in warning


def test_a_sheet_deleted_whose_last_copy_held_nothing_is_not_called_gone(tmp_path, caplog):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    empty = write_csv(alice.parent / "chidi.csv", CODING_HEADER, [])
    extract(tmp_path, paths, caplog, [alice, ben, empty])
    empty.unlink()
    _, warnings = extract(tmp_path, paths, caplog, [alice, ben])
    assert not [w for w in warnings if "gone" in w]


def _files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_prismake_status_names_a_stray_copy_and_a_gone_sheet_on_every_look(
    tmp_path, caplog, capsys, monkeypatch
):
    """The run that names them is the only one until a sheet changes again: a coder who
    missed it learns from `prismake status`, which reads the files as they are now and
    writes nothing."""
    import yaml

    from prismake.cli import main

    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    extract(tmp_path, paths, caplog, [alice, ben])
    ben.unlink()
    shutil.copy(alice, alice.parent / "alice (1).csv")
    stage = {"mode": "dual", "reviewers": ["alice", "ben"]}
    search = {"name": "scopus", "database": "Scopus", "file": "data/raw/x.ris"}
    config = {
        "review": {"title": "demo"},
        "searches": [dict(search, date_searched="2025-01-01")],
        "reviewers": [{"id": "alice"}, {"id": "ben"}],
        "screening": {"stages": {"title_abstract": stage}},
        "extraction": {"codebook": str(paths["codebook"])},
    }
    (tmp_path / "config").mkdir()
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/x.ris").write_text("")
    monkeypatch.chdir(tmp_path)
    before = _files(tmp_path)
    capsys.readouterr()
    assert main(["status"]) == 0
    err = capsys.readouterr().err
    assert "data/extraction/coding/alice (1).csv is not counted" in err
    assert "data/extraction/coding/ben.csv is gone" in err and "4 coded rows" in err
    assert _files(tmp_path) == before
    # said again on the next look, and no more once ben's sheet is back
    assert main(["status"]) == 0
    assert "data/extraction/coding/ben.csv is gone" in capsys.readouterr().err
    copy = err.split("Its last copy, ")[1].split(", holds")[0]
    shutil.copy(copy, "data/extraction/coding/ben.csv")
    assert main(["status"]) == 0
    assert "is gone" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sheet", "reviewer"),
    [
        ("anne_copy.csv", {"id": "anne_copy"}),
        ("Anne Copy.csv", {"id": "anne_copy"}),
        ("ANNE-KOPIE.csv", {"id": "anne-kopie"}),
        ("Jo Copy.csv", {"id": "jc", "name": "Jo Copy"}),
    ],
)
def test_a_coder_whose_id_or_name_reads_like_a_copy_is_that_coder(
    tmp_path, caplog, sheet, reviewer
):
    """Config names the coders: a sheet named by one (case, spaces, _ and - aside) is
    theirs, never a stray copy; only a name no reviewer has can be one."""
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    theirs = ben.rename(ben.parent / sheet)
    stray = alice.parent / "alice copy.csv"
    shutil.copy(alice, stray)
    reviewers = [{"id": "alice"}, reviewer, {"id": "chidi"}]  # chidi coded nothing
    outputs, warnings = extract(
        tmp_path, paths, caplog, sorted([alice, theirs, stray]), reviewers=reviewers
    )
    [warning] = [w for w in warnings if "not counted" in w]
    assert f"{stray} is not counted" in warning
    coded = read(outputs["coded"])
    assert len(coded) == 20 and (coded["coder"] != "alice").sum() == 4
    agreement = read(outputs["coder_agreement"])
    assert len(set(zip(agreement["coder_a"], agreement["coder_b"], strict=True))) == 1


def test_a_sheet_whose_coder_config_does_not_name_still_counts(tmp_path, caplog):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    zoe = ben.rename(ben.parent / "zoe.csv")
    reviewers = [{"id": "alice"}, {"id": "ben"}]
    outputs, warnings = extract(tmp_path, paths, caplog, [alice, zoe], reviewers=reviewers)
    assert not [w for w in warnings if "not counted" in w]
    assert (read(outputs["coded"])["coder"] == "zoe").sum() == 4


def test_a_reviewers_sheet_renamed_from_their_name_to_their_id_is_not_called_gone(tmp_path, caplog):
    """Both names are one coder (read_coding gives both the id): every row still counts."""
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    by_name = alice.rename(alice.parent / "Alice Adams.csv")
    reviewers = [{"id": "alice", "name": "Alice Adams"}, {"id": "ben"}]
    extract(tmp_path, paths, caplog, [by_name, ben], reviewers=reviewers)
    by_name.rename(alice)
    _, warnings = extract(tmp_path, paths, caplog, [alice, ben], reviewers=reviewers)
    assert not [w for w in warnings if "gone" in w]


def test_a_sheet_named_with_a_typo_renamed_as_its_warning_says_is_not_called_gone(tmp_path, caplog):
    """alcie.csv is warned about (did you mean alice?); renamed alice.csv, or its rows
    copied into alice.csv, its rows are alice's, and none of them is lost."""
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    typo = alice.rename(alice.parent / "alcie.csv")
    reviewers = [{"id": "alice"}, {"id": "ben"}]
    _, warnings = extract(tmp_path, paths, caplog, [typo, ben], reviewers=reviewers)
    assert [w for w in warnings if "did you mean alice?" in w]
    typo.rename(alice)
    _, warnings = extract(tmp_path, paths, caplog, [alice, ben], reviewers=reviewers)
    assert not [w for w in warnings if "gone" in w or "did you mean" in w]
    # a sheet named by a coder config does not list, and near no reviewer, stays theirs
    zoe = ben.rename(ben.parent / "zoe.csv")
    extract(tmp_path, paths, caplog, [alice, zoe], reviewers=reviewers)
    zoe.rename(ben)
    _, warnings = extract(tmp_path, paths, caplog, [alice, ben], reviewers=reviewers)
    assert [w for w in warnings if "zoe.csv is gone" in w]


def test_a_copy_of_a_sheet_whose_coders_id_reads_like_a_copy_is_a_copy_of_theirs(tmp_path, caplog):
    paths = make_review(tmp_path)
    alice, ben = per_coder(paths)
    theirs = ben.rename(ben.parent / "anne_copy.csv")
    stray = shutil.copy(theirs, theirs.parent / "anne_copy (1).csv")
    reviewers = [{"id": "alice"}, {"id": "anne_copy"}]
    _, warnings = extract(tmp_path, paths, caplog, [alice, theirs, stray], reviewers=reviewers)
    [warning] = [w for w in warnings if "not counted" in w]
    assert "a copy of anne_copy's sheet (anne_copy.csv is there too)" in warning
