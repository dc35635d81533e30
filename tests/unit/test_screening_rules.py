"""The stated rules of screening, and how a run tells people about them.

A resolution is the team's final word (it decides even without a conflict, and the run
says so); two rows of one reviewer that became one study agree when their decisions do
(both reasons kept); orphans and pending work are said once, per sheet or per reviewer.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from screening_demo import base_studies, record, screening_config, study, write_studies

from prismake.csvio import read_table
from prismake.errors import SheetError
from prismake.screening import screen_stage

OUTPUTS = ("decisions", "reviewer_decisions", "conflicts", "orphans")


def _sheet(root: Path, name: str, rows: list[tuple], stage: str = "title_abstract",
           header: str = "study_id,decision,reason,note") -> None:  # fmt: skip
    path = root / "screening" / stage / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header] + [",".join(r) for r in rows]) + "\n", encoding="utf-8")


def _screen(root: Path, stage: str = "title_abstract") -> dict:
    outputs = {name: root / "results" / f"{name}.csv" for name in OUTPUTS}
    screen_stage(
        stage=stage,
        studies_path=root / "studies.csv",
        previous_decisions_path=None,
        removed_path=None,
        sheet_dir=root / "screening" / stage,
        screening=screening_config(),
        outputs=outputs,
    )
    return {name: read_table(path) for name, path in outputs.items()}


@pytest.fixture
def ids(tmp_path):
    studies = base_studies()
    write_studies(tmp_path / "studies.csv", studies)
    return [s["study_id"] for s in studies]


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_resolution_without_a_conflict_decides_and_the_run_says_so(tmp_path, ids, caplog):
    _sheet(tmp_path, "alice", [(ids[0], "exclude", "", "")])
    _sheet(tmp_path, "ben", [(ids[0], "exclude", "", "")])
    _sheet(tmp_path, "resolutions", [(ids[0], "include", "", "chidi", "")],
           header="study_id,decision,reason,resolved_by,note")  # fmt: skip
    with caplog.at_level(logging.INFO, logger="prismake"):
        result = _screen(tmp_path)
    row = result["decisions"].set_index("study_id").loc[ids[0]]
    assert (row["decision"], row["basis"]) == ("include", "resolution")
    said = _warnings(caplog)
    assert len(said) == 1
    assert "resolutions.csv" in said[0] and "row 2" in said[0] and "not in conflict" in said[0]
    assert "alice: exclude" in said[0] and "ben: exclude" in said[0]


def test_a_resolution_of_a_real_conflict_is_not_warned_about(tmp_path, ids, caplog):
    _sheet(tmp_path, "alice", [(ids[0], "exclude", "", "")])
    _sheet(tmp_path, "ben", [(ids[0], "include", "", "")])
    _sheet(tmp_path, "resolutions", [(ids[0], "include", "", "chidi", "")],
           header="study_id,decision,reason,resolved_by,note")  # fmt: skip
    with caplog.at_level(logging.INFO, logger="prismake"):
        _screen(tmp_path)
    assert _warnings(caplog) == []


def test_two_rows_merged_into_one_study_with_one_decision_keep_both_reasons(tmp_path):
    first = study([record("scopus", "Paper A")], "Paper A")
    merged = study([record("scopus", "Paper A"), record("pubmed", "Paper A (PubMed)")], "Paper A")
    old_id = study([record("pubmed", "Paper A (PubMed)")], "Paper A (PubMed)")["study_id"]
    write_studies(tmp_path / "studies.csv", [merged])
    rows = [(first["study_id"], "exclude", "off topic", ""), (old_id, "exclude", "no data", "")]
    _sheet(tmp_path, "alice", rows)
    _sheet(tmp_path, "ben", [(merged["study_id"], "exclude", "", "")])
    result = _screen(tmp_path)
    typed = result["reviewer_decisions"].set_index("reviewer").loc["alice"]
    assert typed["decision"] == "exclude" and typed["reason"] == "off topic; no data"
    assert result["decisions"]["decision"].tolist() == ["exclude"]


def test_two_rows_merged_into_one_study_with_different_decisions_are_refused(tmp_path):
    merged = study([record("scopus", "Paper A"), record("pubmed", "Paper A (PubMed)")], "Paper A")
    old_id = study([record("pubmed", "Paper A (PubMed)")], "Paper A (PubMed)")["study_id"]
    write_studies(tmp_path / "studies.csv", [merged])
    _sheet(
        tmp_path, "alice", [(merged["study_id"], "exclude", "", ""), (old_id, "include", "", "")]
    )
    with pytest.raises(SheetError, match="are now one study"):
        _screen(tmp_path)


def test_orphans_are_said_once_per_sheet_with_their_rows(tmp_path, ids, caplog):
    gone = ["S-aaaaaaaaaa", "S-bbbbbbbbbb", "S-cccccccccc"]
    _sheet(tmp_path, "alice", [(g, "include", "", "") for g in gone])
    with caplog.at_level(logging.INFO, logger="prismake"):
        result = _screen(tmp_path)
    assert len(result["orphans"]) == 3
    said = _warnings(caplog)
    assert len(said) == 1 and "3 decisions" in said[0] and "rows 2, 3, 4" in said[0]


def test_pending_work_is_info_once_with_the_count_per_reviewer(tmp_path, ids, caplog):
    _sheet(
        tmp_path, "alice", [(i, "include" if n < 2 else "", "", "") for n, i in enumerate(ids[:8])]
    )
    _sheet(tmp_path, "ben", [(i, "", "", "") for i in ids[:8]])
    with caplog.at_level(logging.INFO, logger="prismake"):
        _screen(tmp_path)
    assert _warnings(caplog) == []
    waiting = [r.getMessage() for r in caplog.records if "waiting for a decision" in r.getMessage()]
    assert waiting == ["title/abstract: studies waiting for a decision: alice 6, ben 8"]


@pytest.mark.parametrize("stage", ["title_abstract", "full_text"])
def test_a_resolution_for_an_unknown_study_follows_one_rule_at_both_stages(tmp_path, ids, stage):
    citation_only = ids[-1]  # exists, but is never screened at title/abstract
    previous = tmp_path / "previous.csv"
    previous.write_text("study_id,decision\n" + "".join(f"{i},include\n" for i in ids[:2]))
    _sheet(tmp_path, "resolutions", [("S-zzzzzzzzzz", "include", "", "chidi", ""),
                                     (citation_only if stage == "title_abstract" else ids[5],
                                      "include", "", "chidi", "")],
           stage=stage, header="study_id,decision,reason,resolved_by,note")  # fmt: skip
    outputs = {name: tmp_path / "results" / f"{name}.csv" for name in OUTPUTS}
    screen_stage(
        stage=stage,
        studies_path=tmp_path / "studies.csv",
        previous_decisions_path=previous if stage == "full_text" else None,
        removed_path=None,
        sheet_dir=tmp_path / "screening" / stage,
        screening=screening_config(),
        outputs=outputs,
    )
    orphans = read_table(outputs["orphans"])
    assert orphans["row"].tolist() == ["2", "3"]  # kept, with the reason; the run goes on
    assert orphans["problem"].str.len().min() > 0
