"""Hostile input: what people and programs really put in sheets, config and exports.

Every case ends in one of two ways a user can live with: the input is read as meant, or
a PrismakeError names the file and the row (or the setting) and says what to do. Never
a traceback. Sheets go through the same calls the `screen` and `dedupe` rules make.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from screening_demo import SEARCHES, base_studies, screening_config, write_studies

from prismake.config import check_config, load_config
from prismake.dedupe.verdicts import read_verdicts
from prismake.errors import PrismakeError
from prismake.importers import read_file
from prismake.screening import sync_sheets
from prismake.screening.stage import SHEET_COLUMNS

STUDIES = base_studies()
IDS = [s["study_id"] for s in STUDIES[:8]]  # the database studies: screened at both stages
HEADER = {stage: list(columns) for stage, columns in SHEET_COLUMNS.items()}


def _csv(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    def cell(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(c) for c in row) + newline for row in rows)


def _sheet(stage: str, decisions: dict[int, tuple[str, str]], **dialect) -> str:
    """A reviewer's sheet with every database study; ``decisions``: index -> (decision, reason)."""
    header = HEADER[stage]
    rows = []
    for i, study_id in enumerate(IDS):
        row = dict.fromkeys(header, "")
        row.update(study_id=study_id, title=f"Study {i}")
        decision, reason, *note = decisions.get(i, ("", ""))
        row.update(decision=decision, reason=reason, note="".join(note))
        rows.append([row[c] for c in header])
    return _csv([header, *rows], **dialect)


def _screen(tmp_path: Path, files: dict[str, bytes | str], stage: str = "title_abstract") -> None:
    """Write ``files`` (paths under data/screening) and run the sync the rule runs."""
    root = tmp_path
    write_studies(root / "studies.csv", STUDIES)
    previous = None
    if stage == "full_text":  # every database study included at title/abstract
        previous = root / "previous.csv"
        previous.write_text(_csv([["study_id", "decision"], *[[s, "include"] for s in IDS]]))
    for name, data in files.items():
        path = root / "data/screening" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    sync_sheets(
        stage=stage,
        studies_path=root / "studies.csv",
        previous_decisions_path=previous,
        removed_path=root / "data/screening/removed_before_screening.csv",
        sheet_dir=root / "data/screening" / stage,
        backup_dir=root / "backups" / stage,
        screening=screening_config(),
        searches=SEARCHES,
        added_out=root / "added.csv",
    )


def _message(call: Callable[[], object]) -> str:
    """The PrismakeError a call raises (any other exception fails the test as a bug)."""
    with pytest.raises(PrismakeError) as error:
        call()
    return str(error.value)


TA, FT = "title_abstract/alice.csv", "full_text/alice.csv"
GOOD_BEN = {"title_abstract/ben.csv": _sheet("title_abstract", {})}

# (case, files, stage, what the message must contain besides the file name)
SHEET_MISTAKES = [
    ("typo in a decision", {TA: _sheet("title_abstract", {0: ("exlcude", "")})},
     "title_abstract", ["row 2", "Did you mean 'exclude'"]),
    ("a word no one configured", {TA: _sheet("title_abstract", {1: ("perhaps not", "")})},
     "title_abstract", ["row 3", "Type one of"]),
    ("a full-text word at title/abstract", {TA: _sheet("title_abstract", {0: ("nr", "")})},
     "title_abstract", ["row 2", "not a decision at title/abstract"]),
    ("maybe at full text", {FT: _sheet("full_text", {2: ("maybe", "")})},
     "full_text", ["row 4", "not a decision at full text"]),
    ("a full-text exclusion without reason", {FT: _sheet("full_text", {0: ("exclude", "")})},
     "full_text", ["row 2", "needs a reason"]),
    ("a reason spelled wrong", {FT: _sheet("full_text", {0: ("exclude", "wrong participant")})},
     "full_text", ["row 2", "Did you mean 'Wrong participants'"]),
    ("an id typed by hand", {TA: _sheet("title_abstract", {}).replace(IDS[3], "study four")},
     "title_abstract", ["row 5", "no study has this id"]),
    ("the same study twice", {TA: _sheet("title_abstract", {}).replace(IDS[4], IDS[3])},
     "title_abstract", ["row 6", "already on row 5"]),
    ("a decision on a row without id",
     {TA: _sheet("title_abstract", {5: ("include", "")}).replace(IDS[5], "")},
     "title_abstract", ["row 7", "without a study id"]),
    ("the decision column renamed",
     {TA: _sheet("title_abstract", {}).replace(",decision,", ",verdict,", 1)},
     "title_abstract", ["row 1", "'decision' is missing"]),
    ("the study_id column renamed",
     {TA: _sheet("title_abstract", {}).replace("study_id", "id", 1)},
     "title_abstract", ["row 1", "no 'study_id' column"]),
    ("the decision column twice",
     {TA: _sheet("title_abstract", {}).replace(",note", ",decision", 1)},
     "title_abstract", ["row 1", "appears twice"]),
    ("a comma inside an unquoted cell",
     {TA: _sheet("title_abstract", {2: ("include", "", "see p. 3")})
      .replace('"see p. 3"', "see p. 3, table 2", 1).replace("see p. 3\n", "see p. 3, table 2\n")},
     "title_abstract", ["row 4", "cells but the header has"]),
    ("an unclosed quote", {TA: _sheet("title_abstract", {}).replace("Study 3", '"Study 3', 1)},
     "title_abstract", ["row 5", "never closed"]),
    ("an Excel workbook saved as .csv", {TA: b"PK\x03\x04\x14\x00\x06\x00" + bytes(200)},
     "title_abstract", ["workbook", "Save as"]),
    ("a binary file", {TA: bytes(range(256)) * 8}, "title_abstract", ["binary", "Save as"]),
    ("an empty file", {TA: b""}, "title_abstract", ["empty"]),
    ("a byte order mark only", {TA: b"\xef\xbb\xbf"}, "title_abstract", ["empty"]),
    ("a typo in a UTF-16 sheet without BOM",
     {TA: _sheet("title_abstract", {0: ("inclde", "")}).encode("utf-16-le")},
     "title_abstract", ["row 2", "Did you mean 'includ"]),
    ("a typo in a UTF-16 tab-separated sheet (Excel 'Unicode text')",
     {TA: b"\xff\xfe" + _sheet("title_abstract", {1: ("exclud", "")}, delimiter="\t",
                               newline="\r\n").encode("utf-16-le")},
     "title_abstract", ["row 3", "Did you mean 'exclude'"]),
    ("a typo in a cp1252 sheet with accents",
     {TA: _sheet("title_abstract", {0: ("exlude", "")}).replace("Study 1", "Étude 1")
      .encode("cp1252")},
     "title_abstract", ["row 2", "exlude"]),
    ("a resolution with a typo",
     {**GOOD_BEN, TA: _sheet("title_abstract", {}),
      "title_abstract/resolutions.csv": _csv([["study_id", "decision", "reason", "resolved_by",
                                                "note"], [IDS[0], "inclued", "", "chidi", ""]])},
     "title_abstract", ["resolutions.csv", "row 2", "Did you mean 'includ"]),
    ("one study resolved twice",
     {TA: _sheet("title_abstract", {}),
      "title_abstract/resolutions.csv": _csv([["study_id", "decision"], [IDS[0], "include"],
                                               [IDS[0], "exclude"]])},
     "title_abstract", ["resolutions.csv", "row 3"]),
    ("removed_by not automation or other",
     {TA: _sheet("title_abstract", {}),
      "removed_before_screening.csv": _csv([["study_id", "removed_by", "reason"],
                                             [IDS[0], "robot", "filtered"]])},
     "title_abstract", ["removed_before_screening.csv", "row 2", "removed_by"]),
    ("mistakes in both stages at once",
     {TA: _sheet("title_abstract", {0: ("exlcude", "")}),
      FT: _sheet("full_text", {1: ("exclude", "")})},
     "title_abstract", ["title_abstract/alice.csv, row 2", "full_text/alice.csv, row 3"]),
]  # fmt: skip


@pytest.mark.parametrize(
    "files, stage, expected", [c[1:] for c in SHEET_MISTAKES], ids=[c[0] for c in SHEET_MISTAKES]
)
def test_a_sheet_mistake_is_named_with_its_file_and_row(tmp_path, files, stage, expected):
    message = _message(lambda: _screen(tmp_path, files, stage))
    assert any(name.split("/")[-1] in message for name in files)
    for text in expected:
        assert text in message, message
    assert "Traceback" not in message


# (case, files, stage): saved by some program, read as meant, decisions counted
SHEETS_READ_AS_MEANT = [
    ("Excel CSV UTF-8: BOM, semicolons, CRLF",
     {TA: "\ufeff" + _sheet("title_abstract", {0: ("include", "")}, delimiter=";",
                            newline="\r\n")}),
    ("tab separated", {TA: _sheet("title_abstract", {0: ("Yes", "")}, delimiter="\t")}),
    ("UTF-16 with BOM", {TA: b"\xff\xfe" + _sheet("title_abstract", {0: ("n", "")})
                         .encode("utf-16-le")}),
    ("UTF-16 big-endian without BOM",
     {TA: _sheet("title_abstract", {0: ("maybe", "")}).encode("utf-16-be")}),
    ("a note over 131,072 characters",
     {TA: _sheet("title_abstract", {0: ("include", "")}).replace("Study 0", "x" * 200_000)}),
    ("a quoted cell with line breaks and quotes",
     {TA: _sheet("title_abstract", {0: ("include", "")})
      .replace("Study 0", '"He said ""no""\nthen\r\nyes"')}),
    ("header cells in other case and spacing",
     {TA: _sheet("title_abstract", {0: ("exclude", "")}).replace("study_id", " Study ID ", 1)
      .replace(",decision,", ",Decision ,", 1)}),
]  # fmt: skip


@pytest.mark.parametrize(
    "files", [c[1] for c in SHEETS_READ_AS_MEANT], ids=[c[0] for c in SHEETS_READ_AS_MEANT]
)
def test_a_sheet_as_programs_save_it_is_read_as_meant(tmp_path, files):
    _screen(tmp_path, files)
    # the sheet was read: nothing new to add to it (every study is there already)
    assert "title_abstract/alice.csv" not in (tmp_path / "added.csv").read_text()


KNOWN = {"scopus-aaaaaaaaaa", "scopus-bbbbbbbbbb", "pubmed-cccccccccc"}
VERDICT_HEADER = ["record_id_a", "record_id_b", "verdict", "note"]

# (case, bytes of duplicates.csv, expected in the message; None: read as meant)
VERDICTS = [
    ("Excel: BOM, semicolons, CRLF",
     ("\ufeff" + _csv([VERDICT_HEADER, ["scopus-aaaaaaaaaa", "pubmed-cccccccccc", "same", ""]],
                      delimiter=";", newline="\r\n")).encode("utf-8"), None),
    ("UTF-16 tab separated",
     b"\xff\xfe" + _csv([VERDICT_HEADER, ["scopus-aaaaaaaaaa", "scopus-bbbbbbbbbb", "different",
                                          ""]], delimiter="\t").encode("utf-16-le"), None),
    ("a verdict typo",
     _csv([VERDICT_HEADER, ["scopus-aaaaaaaaaa", "pubmed-cccccccccc", "smae", ""]]).encode(),
     ["row 2", "Did you mean 'same'"]),
    ("an unknown record id",
     _csv([VERDICT_HEADER, ["scopus-zzzzzzzzzz", "pubmed-cccccccccc", "same", ""]]).encode(),
     ["row 2", "unknown record id"]),
    ("a record paired with itself",
     _csv([VERDICT_HEADER, ["scopus-aaaaaaaaaa", "scopus-aaaaaaaaaa", "same", ""]]).encode(),
     ["row 2", "paired with itself"]),
    ("the verdict column missing",
     _csv([["record_id_a", "record_id_b", "note"], ["a", "b", ""]]).encode(),
     ["row 1", "'verdict' is missing"]),
    ("a binary file", bytes(range(256)) * 4, ["binary"]),
    ("an unclosed quote",
     _csv([VERDICT_HEADER, ["scopus-aaaaaaaaaa", "pubmed-cccccccccc", "same", ""]]).encode()
     + b'scopus-bbbbbbbbbb,pubmed-cccccccccc,different,"oops\n', ["row 3", "never closed"]),
]  # fmt: skip


@pytest.mark.parametrize("data, expected", [c[1:] for c in VERDICTS], ids=[c[0] for c in VERDICTS])
def test_duplicates_csv_is_read_by_the_one_sheet_reader(tmp_path, data, expected):
    path = tmp_path / "duplicates.csv"
    path.write_bytes(data)
    if expected is None:
        verdicts = read_verdicts(path, KNOWN)
        assert len(verdicts.same) + len(verdicts.different) == 1
        return
    message = _message(lambda: read_verdicts(path, KNOWN))
    assert "duplicates.csv" in message
    for text in expected:
        assert text in message, message


@pytest.fixture(scope="module")
def demo_config(root):
    return yaml.safe_load((root / "config" / "config.yaml").read_text())


def _review_dir(config: dict, tmp_path: Path) -> Path:
    for search in config["searches"]:
        (tmp_path / search["file"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / search["file"]).write_text("")
    return tmp_path


def _bad_date(c):
    c["searches"][0]["date_searched"] = "2025-13-45"


def _unknown_reviewer(c):
    c["screening"]["stages"]["title_abstract"]["reviewers"] = ["alice", "zoe"]


def _both(c):
    _bad_date(c)
    _unknown_reviewer(c)


def _folder_as_file(c):
    c["searches"][1]["file"] = "data/raw"


def _twice(c):
    c["searches"][1]["name"] = c["searches"][0]["name"]


def _mode(c):
    c["screening"]["stages"]["full_text"]["mode"] = "triple"


def _one_reviewer_dual(c):
    c["screening"]["stages"]["full_text"]["reviewers"] = ["alice"]


def _synonym_clash(c):
    c["screening"]["decision_synonyms"]["maybe"].append("yes")


def _no_searches(c):
    c["searches"] = []


# (case, change to the demo config, settings the message must name)
CONFIG_MISTAKES = [
    ("a date that does not exist", _bad_date, ["date_searched"]),
    ("an unknown reviewer", _unknown_reviewer, ["screening.stages.title_abstract.reviewers"]),
    ("a bad date and an unknown reviewer", _both, ["date_searched", "'zoe'"]),
    ("a folder as an export file", _folder_as_file, ["searches[2].file", "is a folder"]),
    ("a search name used twice", _twice, ["searches[2].name"]),
    ("an unknown screening mode", _mode, ["'triple' is not allowed"]),
    ("dual screening with one reviewer", _one_reviewer_dual, ["at least two reviewers"]),
    ("one word for two decisions", _synonym_clash, ["'yes' means both"]),
    ("no search at all", _no_searches, ["searches"]),
]


@pytest.mark.parametrize(
    "change, expected", [c[1:] for c in CONFIG_MISTAKES], ids=[c[0] for c in CONFIG_MISTAKES]
)
def test_a_config_mistake_names_its_setting(demo_config, tmp_path, change, expected):
    config = copy.deepcopy(demo_config)
    base = _review_dir(config, tmp_path)
    change(config)
    message = _message(lambda: check_config(config, base_dir=base))
    assert "config/config.yaml" in message and "setting '" in message
    for text in expected:
        assert text in message, message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("searches:\n  - name: [scopus\n", "row 2"),  # where the [ opened
        ("searches:\n\t- name: scopus\n", "row 2"),
        ("a: 1\n b: 2\n", "row 2"),
    ],
    ids=["an unclosed bracket", "a tab for indentation", "a bad indentation"],
)
def test_a_yaml_mistake_names_its_line(tmp_path, text, expected):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    message = _message(lambda: load_config(path))
    assert f"{path}, {expected}" in message


def test_a_folder_given_as_the_config_file_is_called_a_folder(tmp_path):
    message = _message(lambda: load_config(tmp_path))
    assert "folder" in message and str(tmp_path) in message


# (case, bytes of an export file, what the message says)
EXPORTS = [
    ("an empty file", b""),
    ("a binary file", bytes(range(256)) * 16),
    ("an Excel workbook", b"PK\x03\x04" + bytes(500)),
    ("a web page saved instead of the export", b"<!DOCTYPE html><html><body>Sign in</body></html>"),
]


@pytest.mark.parametrize("data", [c[1] for c in EXPORTS], ids=[c[0] for c in EXPORTS])
def test_an_export_that_is_no_export_gets_a_message_naming_the_file(tmp_path, data):
    path = tmp_path / "export.ris"
    path.write_bytes(data)
    message = _message(lambda: read_file(path))
    assert "export.ris" in message


def test_an_export_path_that_is_a_folder_gets_a_message(tmp_path):
    message = _message(lambda: read_file(tmp_path))
    assert str(tmp_path) in message
