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
    assert "holds 4 coded excerpts" in warning
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


@pytest.mark.parametrize("copy_name", ["alice (1).csv", "Copy of alice.csv", "alice_copy.csv"])
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
    assert "16 coded excerpts count for no coder" in warning
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
