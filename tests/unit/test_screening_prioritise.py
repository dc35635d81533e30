"""Prioritised screening in the pipeline: which studies the sheets get next, and the stop."""

from __future__ import annotations

import pandas as pd
import pytest

from prismake.errors import ConfigError
from prismake.screening.prioritise import (
    automation_excluded,
    mark_automation_excluded,
    model_labels,
    next_candidates,
    stage_progress,
)
from prismake.screening.stage import Entry, Reading, StudyIndex

STAGE = "title_abstract"
RELEVANT = "co-production policymakers service users partnership trust engagement"
OTHER = "randomised trial placebo dosage tumour mice receptor antibody mortality"


def studies(n: int = 40, relevant: int = 8) -> pd.DataFrame:
    rows = []
    for i in range(n):
        text = RELEVANT if i < relevant else OTHER
        rows.append(
            {
                "study_id": f"S-{i:02d}",
                "record_ids": f"scopus-{i:02d}",
                "sources": "database",
                "title": f"{text} study {i}",
                "abstract": f"{text} {text}",
            }
        )
    return pd.DataFrame(rows)


def screening(**prioritise) -> dict:
    stage = {"mode": "single", "reviewers": ["ana"], "double_fraction": 0.2}
    if prioritise is not None:
        stage["prioritise"] = prioritise
    return {"stages": {STAGE: stage}}


def reading(decided: dict[str, str], undecided: list[str] = ()) -> Reading:
    """ana's sheet: the decided studies first (in order), then the undecided ones."""
    out = Reading()
    for row, (study_id, decision) in enumerate(
        [*decided.items(), *dict.fromkeys(undecided, "").items()], 2
    ):
        out.entries.append(Entry(study_id, study_id, "ana", decision, "", "", "ana.csv", row))
    return out


@pytest.fixture
def index() -> StudyIndex:
    return StudyIndex.from_frame(studies())


def test_without_prioritise_every_candidate_goes_to_the_sheets(index):
    candidates = list(index.studies["study_id"])
    plain = {"stages": {STAGE: {"mode": "single", "reviewers": ["ana"]}}}
    assert next_candidates(STAGE, index, candidates, Reading(), plain) == candidates


def test_the_first_run_hands_out_one_batch(index):
    candidates = list(index.studies["study_id"])
    batch = next_candidates(STAGE, index, candidates, Reading(), screening(batch=10))
    assert len(batch) == 10 and set(batch) <= set(candidates)
    assert batch == next_candidates(STAGE, index, candidates, Reading(), screening(batch=10))


def test_seed_studies_come_first_and_pull_similar_ones_up(index):
    candidates = list(index.studies["study_id"])
    config = screening(batch=8, seed=["scopus-03"])
    # one study known: a batch of one (batches grow with the decisions, up to 8)
    assert next_candidates(STAGE, index, candidates, Reading(), config) == ["S-03"]
    sheets = reading({"S-03": "include", "S-10": "exclude", "S-11": "exclude", "S-12": "exclude"})
    handed = next_candidates(STAGE, index, candidates, sheets, config)
    assert handed[:4] == ["S-03", "S-10", "S-11", "S-12"]
    assert set(handed[4:]) <= {f"S-{i:02d}" for i in range(8)}  # relevant ones
    assert len(handed[4:]) == 4


def test_no_new_batch_while_a_study_in_the_sheets_waits_for_a_decision(index):
    candidates = list(index.studies["study_id"])
    sheets = reading({"S-00": "include", "S-10": "exclude"}, undecided=["S-20"])
    assert next_candidates(STAGE, index, candidates, sheets, screening(batch=5)) == [
        "S-00",
        "S-10",
        "S-20",
    ]


def test_once_the_batch_is_decided_the_next_one_favours_what_was_included(index):
    candidates = list(index.studies["study_id"])
    sheets = reading({"S-00": "include", "S-01": "include", "S-02": "maybe", "S-10": "exclude"})
    handed = next_candidates(STAGE, index, candidates, sheets, screening(batch=5))
    assert handed[:4] == ["S-00", "S-01", "S-02", "S-10"]
    # batches grow with the decisions: 4 decided, so 4 more, all of them relevant
    assert len(handed[4:]) == 4
    assert set(handed[4:]) <= {"S-03", "S-04", "S-05", "S-06", "S-07"}


def test_the_model_learns_a_conflict_as_relevant_and_a_resolution_wins():
    sheets = reading({"S-01": "exclude", "S-02": "exclude"})
    sheets.entries.append(Entry("S-01", "S-01", "ben", "include", "", "", "ben.csv", 2))
    sheets.entries.append(Entry("S-02", "S-02", "ben", "include", "", "", "ben.csv", 3))
    sheets.resolutions["S-02"] = Entry("S-02", "S-02", "ana", "exclude", "", "", "res.csv", 2)
    assert model_labels(sheets) == {"S-01": 1, "S-02": 0}


def test_stop_hands_out_nothing_new_and_excludes_the_rest_by_automation(index):
    candidates = list(index.studies["study_id"])
    decided = {f"S-{i:02d}": "include" for i in range(8)}
    decided.update({f"S-{i:02d}": "exclude" for i in range(8, 30)})
    sheets = reading(decided)
    config = screening(batch=5, stop=True, target_recall=0.8)
    assert next_candidates(STAGE, index, candidates, sheets, config) == candidates[:30]
    assert automation_excluded(STAGE, candidates, sheets, config) == set(candidates[30:])
    decisions = pd.DataFrame(
        {
            "study_id": candidates,
            "decision": ["include"] * 8 + ["exclude"] * 22 + ["pending"] * 10,
            "reason": "",
            "basis": "",
            "note": "",
        }
    )
    mark_automation_excluded(decisions, STAGE, candidates, sheets, config)
    marked = decisions[decisions["basis"] == "automation"]
    assert list(marked["study_id"]) == candidates[30:]
    assert set(marked["decision"]) == {"excluded_automation"}
    progress = stage_progress(STAGE, candidates, sheets, config)
    assert (progress.screened, progress.relevant_found, progress.unscreened) == (30, 8, 10)
    verdict = "met" if progress.stopping.met else "not met"
    assert set(marked["reason"]) == {
        f"stopping rule {verdict}, p = {progress.stopping.p_value:.3f}"
    }


def test_prioritise_at_full_text_or_an_unknown_seed_is_a_config_error(index):
    candidates = list(index.studies["study_id"])
    full_text = {
        "stages": {"full_text": {"mode": "single", "reviewers": ["ana"], "prioritise": {}}}
    }
    with pytest.raises(ConfigError, match="title/abstract screening only"):
        next_candidates("full_text", index, candidates, Reading(), full_text)
    with pytest.raises(ConfigError, match="S-nosuchstudy"):
        next_candidates(STAGE, index, candidates, Reading(), screening(seed=["S-nosuchstudy"]))
