"""Prioritised screening in the pipeline: which studies the sheets get next, and the stop."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from test_screening_priority import every_tail_p

from prismake.csvio import read_table
from prismake.errors import ConfigError
from prismake.screening.prioritise import (
    SAMPLE_FILE,
    automation_excluded,
    mark_automation_excluded,
    model_labels,
    next_candidates,
    stage_progress,
)
from prismake.screening.sheets import Sheet
from prismake.screening.stage import Entry, Reading, StudyIndex
from prismake.screening.stopping import (
    check_stopping,
    most_relevant_left,
    p_random_sample,
    p_recall_below_target,
    sample_size,
)

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


def test_a_seed_study_the_reviewers_exclude_stops_counting_as_relevant(index):
    # the team's "known relevant" S-20 to S-22 turn out irrelevant when screened
    candidates = list(index.studies["study_id"])
    config = screening(batch=8, seed=["scopus-20", "scopus-21", "scopus-22"])
    assert next_candidates(STAGE, index, candidates, Reading(), config) == ["S-20", "S-21", "S-22"]
    sheets = reading({"S-20": "exclude", "S-21": "exclude", "S-22": "exclude", "S-00": "include"})
    handed = next_candidates(STAGE, index, candidates, sheets, config)
    assert len(handed[4:]) == 4
    assert set(handed[4:]) <= {f"S-{i:02d}" for i in range(1, 8)}  # like S-00, not like them


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


# --- the random sample the stopping rule needs ----------------------------------------------


def sample_setup(tmp_path, n: int = 300):
    """A review folder whose sheet holds a finished ranked phase: 8 relevant in 100."""
    index = StudyIndex.from_frame(studies(n))
    candidates = list(index.studies["study_id"])
    decided = {f"S-{i:02d}": "include" for i in range(8)}
    decided.update({s: "exclude" for s in candidates[8:100]})
    folder = tmp_path / "data" / "screening" / STAGE
    # the review's first run: nothing in a sheet yet, every study joins the ranking at 0
    next_candidates(STAGE, index, candidates, Reading(folder=folder), screening(batch=100))
    return index, candidates, decided, folder


def sheet_of(folder, decided, undecided=()) -> Reading:
    out = reading(decided, undecided)
    out.sheets["ana"] = Sheet(path=folder / "ana.csv")
    return out


def test_status_names_the_size_of_the_random_sample_that_would_settle_it(tmp_path):
    _index, candidates, decided, folder = sample_setup(tmp_path)
    progress = stage_progress(STAGE, candidates, sheet_of(folder, decided), screening(batch=5))
    needed = sample_size(8, 0, 200)
    assert progress.sample_needed == needed
    assert f"screen a random sample of {needed} of the 200 not screened" in progress.sentence()


def test_status_says_how_many_relevant_studies_may_still_be_unscreened(tmp_path):
    # 8 relevant, then 92 irrelevant, 200 not screened: the stopping test turned round
    _index, candidates, decided, folder = sample_setup(tmp_path)
    progress = stage_progress(STAGE, candidates, sheet_of(folder, decided), screening(batch=5))
    most = most_relevant_left([1] * 8 + [0] * 92, 300, 0.95)
    even = most_relevant_left([1] * 8 + [0] * 92, 300, 0.5)
    assert 0 < even < most < 200
    assert (progress.relevant_left_at_most, progress.relevant_left_even_odds) == (most, even)
    assert (
        f"of the 200 not screened yet, at most {most} relevant with 95% confidence (recall "
        f"so far at least {8 / (8 + most):.0%}), at most {even} at even odds"
    ) in progress.sentence()
    # 100 more irrelevant decisions narrow it
    more = {**decided, **dict.fromkeys(candidates[100:200], "exclude")}
    later = stage_progress(STAGE, candidates, sheet_of(folder, more), screening(batch=5))
    assert later.relevant_left_at_most < most


def test_sample_true_hands_out_the_whole_random_sample_and_keeps_its_order(tmp_path):
    index, candidates, decided, folder = sample_setup(tmp_path)
    config = screening(batch=5, sample=True)
    handed = next_candidates(STAGE, index, candidates, sheet_of(folder, decided), config)
    draws = handed[100:]
    needed = sample_size(8, 0, 200)
    assert len(draws) == needed
    assert not set(draws) & set(decided)  # only studies nobody screened
    kept = tmp_path / "data" / "processed" / "screening" / STAGE / "random_sample.csv"
    frame = pd.read_csv(kept, dtype=str)
    assert list(frame.columns) == ["draw", "study_id"]
    assert set(frame.study_id) == set(candidates[100:])
    assert list(frame.study_id[:needed]) == draws
    assert draws != sorted(draws)  # drawn at random, not in id order
    # the same decisions give the same sample on the next run, and in a fresh folder
    again = next_candidates(STAGE, index, candidates, sheet_of(folder, decided), config)
    assert again == handed
    other = tmp_path / "copy" / "data" / "screening" / STAGE
    assert next_candidates(STAGE, index, candidates, sheet_of(other, decided), config) == handed


def test_a_sample_with_nothing_relevant_meets_the_rule_and_the_stop_says_so(tmp_path):
    index, candidates, decided, folder = sample_setup(tmp_path)
    config = screening(batch=5, sample=True)
    handed = next_candidates(STAGE, index, candidates, sheet_of(folder, decided), config)
    draws = handed[100:]
    waiting = sheet_of(folder, decided, undecided=draws)
    assert set(next_candidates(STAGE, index, candidates, waiting, config)) == set(handed)
    progress = stage_progress(STAGE, candidates, waiting, config)
    assert not progress.met and progress.sample.screened == 0
    screened = sheet_of(folder, {**decided, **dict.fromkeys(draws, "exclude")})
    progress = stage_progress(STAGE, candidates, screened, config)
    p = p_random_sample(8, [0] * len(draws), 200)
    assert progress.met and progress.sample.p_value == pytest.approx(p) and p < 0.05
    assert f"{len(draws)} of the 200 studies left when ranking ended" in progress.sentence()
    assert set(next_candidates(STAGE, index, candidates, screened, config)) == set(handed)
    stop = screening(batch=5, sample=True, stop=True)
    decisions = pd.DataFrame(
        {"study_id": candidates, "decision": "pending", "reason": "", "basis": "", "note": ""}
    )
    mark_automation_excluded(decisions, STAGE, candidates, screened, stop)
    reasons = set(decisions.loc[decisions.basis == "automation", "reason"])
    assert reasons == {f"stopping rule met on a random sample of {len(draws)} of 200, p = {p:.4f}"}


def test_a_relevant_study_in_the_sample_makes_it_grow_in_the_same_order(tmp_path):
    index, candidates, decided, folder = sample_setup(tmp_path, n=400)
    config = screening(batch=5, sample=True)
    draws = next_candidates(STAGE, index, candidates, sheet_of(folder, decided), config)[100:]
    typed = {**decided, **dict.fromkeys(draws, "exclude"), draws[0]: "include"}
    progress = stage_progress(STAGE, candidates, sheet_of(folder, typed), config)
    assert not progress.met and progress.sample.relevant == 1
    assert progress.sample.needed == sample_size(8, 1, 300) > len(draws)
    more = next_candidates(STAGE, index, candidates, sheet_of(folder, typed), config)
    frame = pd.read_csv(folder.parents[1] / "processed" / "screening" / STAGE / SAMPLE_FILE)
    # the first draws are in the sheets already; the next ones follow in the kept order
    assert more[len(typed) :] == list(frame.study_id[len(draws) : progress.sample.needed])


def test_the_sample_grows_only_once_its_conflicts_are_resolved(tmp_path, caplog):
    """Dual screening: ana and ben disagree on two sample studies. Sized with those counted
    as relevant, the sample would grow far beyond what the resolved decisions need."""
    index, candidates, decided, folder = sample_setup(tmp_path, n=400)
    config = screening(batch=5, sample=True)
    config["stages"][STAGE].update(mode="dual", reviewers=["ana", "ben"])

    def both(typed, ben_says=()) -> Reading:
        out = sheet_of(folder, typed)
        for row, study_id in enumerate(typed, 2):
            said = "include" if study_id in ben_says else typed[study_id]
            out.entries.append(Entry(study_id, study_id, "ben", said, "", "", "ben.csv", row))
        return out

    draws = next_candidates(STAGE, index, candidates, both(decided), config)[100:]
    assert draws
    typed = {**decided, **dict.fromkeys(draws, "exclude")}
    both = both(typed, ben_says=draws[:2])
    with caplog.at_level(logging.INFO, logger="prismake"):
        handed = next_candidates(STAGE, index, candidates, both, config)
    assert set(handed) == set(typed)  # nothing more drawn
    assert "no more studies drawn until the 2 studies in conflict are resolved" in caplog.text
    progress = stage_progress(STAGE, candidates, both, config)
    assert progress.conflicts == 2 and not progress.met
    assert "2 conflicts wait for a resolution" in progress.sentence()
    # resolved as irrelevant: the sample is sized on the team's decisions
    for study_id in draws[:2]:
        both.resolutions[study_id] = Entry(study_id, study_id, "chidi", "exclude", "", "",
                                           "resolutions.csv", 2)  # fmt: skip
    settled = stage_progress(STAGE, candidates, both, config)
    assert settled.conflicts == 0 and settled.met == (settled.sample.p_value < 0.05)
    assert settled.sample.needed == sample_size(8, 0, 300)


def test_studies_from_an_update_search_during_the_sample_can_be_drawn(tmp_path):
    """The sample's guarantee covers every study nobody screened, new ones included."""
    index, candidates, decided, folder = sample_setup(tmp_path)
    config = screening(batch=5, sample=True)
    draws = next_candidates(STAGE, index, candidates, sheet_of(folder, decided), config)[100:]
    typed = {**decided, **dict.fromkeys(draws, "exclude")}
    update = StudyIndex.from_frame(studies(400))  # the same 300 studies and 100 new ones
    new = [s for s in update.studies["study_id"] if s not in set(candidates)]
    everything = candidates + new
    next_candidates(STAGE, update, everything, sheet_of(folder, typed), config)
    frame = pd.read_csv(folder.parents[1] / "processed" / "screening" / STAGE / SAMPLE_FILE)
    assert set(frame.study_id) == set(everything) - set(typed)  # new studies in the frame
    progress = stage_progress(STAGE, everything, sheet_of(folder, typed), config)
    assert progress.sample.frame == len(everything) - len(typed)
    stop = screening(batch=5, sample=True, stop=True)
    assert automation_excluded(STAGE, everything, sheet_of(folder, typed), stop) >= set(new)


def test_the_sample_size_is_the_smallest_that_rejects_recall_below_target():
    for found, in_sample, frame in [(8, 0, 200), (50, 0, 1000), (50, 2, 1000), (0, 0, 30)]:
        n = sample_size(found, in_sample, frame)
        labels = [1] * in_sample + [0] * (n - in_sample)
        assert p_random_sample(found, labels, frame) < 0.05
        assert p_random_sample(found, labels[:-1], frame) >= 0.05
    # by hand: 8 found, recall < 95 % means at least 1 relevant among 200 left; a sample of
    # n with none relevant has chance C(199, n) / C(200, n) = (200 - n) / 200 at most
    assert p_random_sample(8, [0] * 150, 200) == pytest.approx(50 / 200)


def test_stop_refuses_to_exclude_an_update_search_nobody_has_seen():
    """A stop set before an update search must not turn the new search into exclusions."""
    frame = studies(60)
    frame["round"] = ["1"] * 40 + ["2"] * 20
    index = StudyIndex.from_frame(frame)
    candidates = list(index.studies["study_id"])
    decided = {f"S-{i:02d}": "include" for i in range(8)}
    decided.update({f"S-{i:02d}": "exclude" for i in range(8, 30)})
    config = screening(batch=5, stop=True, target_recall=0.8)
    with pytest.raises(ConfigError) as error:
        next_candidates(STAGE, index, candidates, reading(decided), config)
    (problem,) = error.value.problems
    assert "all 20 studies of search round 2" in problem.message
    assert problem.column == "screening.stages.title_abstract.prioritise.stop"
    assert "If round 2 updates a finished review, set stop: [1]" in problem.hint
    # once the team screened part of the new search, the stop covers the rest of it
    decided.update({"S-45": "exclude", "S-46": "exclude"})
    handed = next_candidates(STAGE, index, candidates, reading(decided), config)
    assert automation_excluded(STAGE, candidates, reading(decided), config) == (
        set(candidates) - set(handed)
    )
    assert "S-50" in set(candidates) - set(handed)


def test_the_first_run_keeps_the_features_before_any_sheet_exists(tmp_path, index):
    """A new review's first prioritised run writes the features the second run reads."""
    candidates = list(index.studies["study_id"])
    first = Reading(folder=tmp_path / "data" / "screening" / STAGE)  # no sheet yet
    next_candidates(STAGE, index, candidates, first, screening(batch=10))
    kept = tmp_path / "data" / "processed" / "screening" / STAGE / "features.npz"
    assert kept.is_file()
    elsewhere = Reading(folder=tmp_path / "sheets")  # another layout: nothing written
    next_candidates(STAGE, index, candidates, elsewhere, screening(batch=10))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_status_says_nothing_about_relevant_left_before_anything_is_screened(tmp_path):
    _index, candidates, _decided, folder = sample_setup(tmp_path)
    nothing = stage_progress(STAGE, candidates, sheet_of(folder, {}), screening(batch=5))
    assert "relevant found; stopping rule" in nothing.sentence()
    assert "at most" not in nothing.sentence()
    # 50 screened, none relevant: the bound is stated, a recall of "at least 0%" is not
    none = dict.fromkeys(candidates[:50], "exclude")
    progress = stage_progress(STAGE, candidates, sheet_of(folder, none), screening(batch=5))
    assert f"at most {progress.relevant_left_at_most} relevant with 95% confidence," in (
        progress.sentence()
    )
    assert "recall so far" not in progress.sentence()


def test_when_too_few_studies_are_left_to_matter_no_sample_is_drawn_and_the_stop_says_why(
    tmp_path,
):
    # 80 relevant found in 296 screened, 4 left: were all 4 relevant, recall would still be
    # 80 / 84 = 95.2 %, so no sample can bring it below the 95 % target
    index = StudyIndex.from_frame(studies(300))
    candidates = list(index.studies["study_id"])
    decided = {s: "include" for s in candidates[:80]}
    decided.update({s: "exclude" for s in candidates[80:296]})
    folder = tmp_path / "data" / "screening" / STAGE
    ranked = stage_progress(STAGE, candidates, sheet_of(folder, decided), screening(batch=5))
    assert ranked.sample_needed == 0
    assert "screen a random sample" not in ranked.sentence()
    assert "random sample: none needed, the 4 not screened are too few to bring recall" in (
        ranked.sentence()
    )
    config = screening(batch=5, sample=True, stop=True)
    progress = stage_progress(STAGE, candidates, sheet_of(folder, decided), config)
    assert progress.sample.too_few_left and progress.met
    assert "none needed, the 4 studies left when ranking ended are too few" in (progress.sentence())
    decisions = pd.DataFrame(
        {"study_id": candidates, "decision": "pending", "reason": "", "basis": "", "note": ""}
    )
    mark_automation_excluded(decisions, STAGE, candidates, sheet_of(folder, decided), config)
    assert set(decisions.loc[decisions.basis == "automation", "reason"]) == {
        "stopping rule met: the 4 records left are too few to bring recall below the target"
    }
    # every study screened in the ranked phase: nothing left to sample
    everything = {**decided, **dict.fromkeys(candidates[296:], "exclude")}
    done = stage_progress(STAGE, candidates, sheet_of(folder, everything), config)
    assert done.sample.sentence() == "random sample: none needed, every study was screened"


def sorted_by_decision(decided: dict[str, str], ranked: bool) -> Reading:
    """ana's sheet as Excel leaves it sorted Z to A by decision: includes on top; with
    ``ranked`` each row keeps the `rank` prismake wrote (the order it was handed out in)."""
    out = Reading()
    handed = {study_id: rank for rank, study_id in enumerate(decided, 1)}
    rows = sorted(decided.items(), key=lambda item: item[1], reverse=True)
    for row, (study_id, decision) in enumerate(rows, 2):
        rank = handed[study_id] if ranked else None
        out.entries.append(Entry(study_id, study_id, "ana", decision, "", "", "ana.csv", row, rank))
    return out


def test_a_sheet_sorted_by_decision_leaves_the_stopping_rule_as_it_was(caplog):
    # 60 relevant spread evenly over 300 screened of 400: the rule is not met; read from
    # rows sorted with every include on top, it would be (all relevant first, then 240 none)
    index = StudyIndex.from_frame(studies(400, relevant=0))
    candidates = list(index.studies["study_id"])
    decided = {s: "include" if i % 5 == 0 else "exclude" for i, s in enumerate(candidates[:300])}
    config = screening(batch=5)
    in_order = stage_progress(STAGE, candidates, reading(decided), config)
    assert not in_order.met
    sorted_ranked = stage_progress(STAGE, candidates, sorted_by_decision(decided, True), config)
    assert sorted_ranked == in_order
    # what the ranks prevent: the sorted rows alone say "met"; the log says not to sort
    with caplog.at_level(logging.INFO, logger="prismake"):
        assert stage_progress(STAGE, candidates, sorted_by_decision(decided, False), config).met
    assert "the sheets have no rank column" in caplog.text and "do not sort" in caplog.text


def test_a_deleted_sheet_holds_back_the_next_batch_until_its_studies_are_decided_again(index):
    # Dual screening: ben decided the whole batch, ana's sheet was deleted. The run writes
    # her sheet again with the batch, in the order it was handed out; no new batch goes out
    # until she has decided it (a model trained on ben's half would rank the next one).
    candidates = list(index.studies["study_id"])
    dual = {"mode": "dual", "reviewers": ["ana", "ben"], "prioritise": {"batch": 5}}
    config = {"stages": {STAGE: dual}}
    handed_out = [f"S-{i:02d}" for i in (9, 3, 0, 12, 1)]
    sheets = Reading()
    for row, study_id in enumerate(handed_out, 2):
        decision = "include" if study_id in ("S-03", "S-00", "S-01") else "exclude"
        sheets.entries.append(
            Entry(study_id, study_id, "ben", decision, "", "", "ben.csv", row, rank=row - 1)
        )
    assert next_candidates(STAGE, index, candidates, sheets, config) == handed_out
    for row, study_id in enumerate(handed_out, 2):  # ana's sheet back, decided the same
        sheets.entries.append(
            Entry(
                study_id, study_id, "ana", sheets.entries[row - 2].decision, "", "", "ana.csv", row
            )
        )
    more = next_candidates(STAGE, index, candidates, sheets, config)
    assert more[:5] == handed_out and len(more) > 5


def test_a_search_added_after_screening_began_gets_no_evidence_from_the_screening_before_it(
    tmp_path, caplog
):
    # 100 screened (8 relevant) of 240; then a top-up search adds 60 studies no batch was
    # ranked with. What was screened before says nothing about them: the rule cannot be
    # met and any of the 200 left may be relevant until batches ranked with them are
    # screened; a stop may not exclude them yet.
    index = StudyIndex.from_frame(studies(300))
    candidates = list(index.studies["study_id"])
    decided = {f"S-{i:02d}": "include" for i in range(8)}
    decided.update({s: "exclude" for s in candidates[8:100]})
    folder = tmp_path / "data" / "screening" / STAGE
    before = candidates[:240]
    config = screening(batch=5, target_recall=0.8)
    next_candidates(STAGE, index, before, Reading(folder=folder), config)  # the first run
    next_candidates(STAGE, index, before, sheet_of(folder, decided), config)  # a later one
    pool = tmp_path / "data" / "processed" / "screening" / STAGE / "pool.csv"
    assert set(read_table(pool)["joined_at"]) == {"0"}
    earlier = stage_progress(STAGE, before, sheet_of(folder, decided), config)
    assert earlier.relevant_left_at_most < 10  # before the top-up: at most 5 left

    progress = stage_progress(STAGE, candidates, sheet_of(folder, decided), config)
    assert not progress.stopping.met and progress.stopping.p_value == 1.0
    assert progress.relevant_left_at_most == 200
    assert (progress.screened, progress.relevant_found) == (100, 8)
    stop = screening(batch=5, target_recall=0.8, stop=True)
    with pytest.raises(ConfigError, match="60 studies added since the last batch"):
        next_candidates(STAGE, index, candidates, sheet_of(folder, decided), stop)
    # a run ranks them in; once a batch ranked with them is screened, that is the evidence
    next_candidates(STAGE, index, candidates, sheet_of(folder, decided), config)
    assert read_table(pool).set_index("study_id").loc[candidates[250], "joined_at"] == "100"
    more = {**decided, **dict.fromkeys(candidates[240:290], "exclude")}
    later = stage_progress(STAGE, candidates, sheet_of(folder, more), config)
    assert later.relevant_left_at_most < 150
    assert later.stopping.p_value < 1.0
    # pool.csv deleted (or a review from before it existed): when the studies not in the
    # sheets joined is unknown, so they count as joining now; the rule can only get stricter
    pool.unlink()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        unknown = stage_progress(STAGE, candidates, sheet_of(folder, more), config)
    assert unknown.relevant_left_at_most >= later.relevant_left_at_most
    assert not unknown.stopping.met and "pool.csv not found" in caplog.text


def test_the_rule_tests_only_the_screening_since_the_last_records_joined():
    # the walk's case: 40 relevant in 350 screened of 400 meets the rule; 60 records
    # added after that do not change "met" unless the rule leaves out what came before
    order = [1] * 40 + [0] * 310
    assert check_stopping(order, 400).met
    assert check_stopping(order, 460).met  # the old reading: still "met"
    assert not check_stopping(order, 460, since=350).met
    assert most_relevant_left(order[350:], 110, 0.95) == 110
    # screened since: the tails after position `since`, recall over everything found
    grown = order + [0] * 100
    assert p_recall_below_target(grown, 460, since=350) == pytest.approx(
        every_tail_p(grown, 460, since=350), abs=1e-12
    )


def test_rows_a_mode_no_longer_needs_do_not_hold_back_the_next_batch(index):
    # dual for a while (every study in both sheets), then back to split: a study ana
    # decided needs no second decision, so ben's empty row for it does not wait
    candidates = list(index.studies["study_id"])
    split = {"mode": "split", "reviewers": ["ana", "ben"], "double_fraction": 0.0}
    config = {"stages": {STAGE: {**split, "prioritise": {"batch": 5}}}}
    sheets = Reading()
    handed_out = candidates[:5]
    for row, study_id in enumerate(handed_out, 2):
        decision = "include" if study_id in ("S-00", "S-01", "S-02") else "exclude"
        sheets.entries.append(Entry(study_id, study_id, "ana", decision, "", "", "a.csv", row))
        sheets.entries.append(Entry(study_id, study_id, "ben", "", "", "", "b.csv", row))
    assert len(next_candidates(STAGE, index, candidates, sheets, config)) > 5
    dual = {"stages": {STAGE: {**split, "mode": "dual", "prioritise": {"batch": 5}}}}
    assert next_candidates(STAGE, index, candidates, sheets, dual) == handed_out


def test_ranks_a_spreadsheet_turned_into_local_numbers_keep_the_order_and_gaps_are_named(
    caplog,
):
    from prismake.screening.prioritise import screening_order
    from prismake.screening.stage import parse_rank

    # a ';' sheet from a decimal-comma locale, another with thousands separators
    assert [parse_rank(c) for c in ("92", "92,0", "92.0", "1.092,0", "1,092", "1 092")] == [
        92,
        92,
        92,
        1092,
        1092,
        1092,
    ]
    assert [parse_rank(c) for c in ("", "abc", "0", "92.5")] == [None, None, None, None]
    out = Reading()
    for row, (study_id, rank) in enumerate([("S-02", 3), ("S-00", 1), ("S-01", None)], 2):
        out.entries.append(
            Entry(study_id, study_id, "dev", "exclude", "", "", "x/dev.csv", row, rank)
        )
    with caplog.at_level(logging.WARNING, logger="prismake"):
        screening_order(out)
    assert "1 study in the sheets has no rank" in caplog.text
    assert "rows without one: dev.csv 1" in caplog.text


def test_an_update_of_a_stopped_review_keeps_round_1_stopped_while_round_2_is_ranked():
    # Round 1 was screened until the team stopped (10 of its 40 studies never screened,
    # excluded by automation in the published version); round 2 is an update search.
    frame = studies(60)
    frame["round"] = ["1"] * 40 + ["2"] * 20
    index = StudyIndex.from_frame(frame)
    candidates = list(index.studies["study_id"])
    round_1_left = set(candidates[30:40])
    decided = {f"S-{i:02d}": "include" for i in range(8)}
    decided.update({f"S-{i:02d}": "exclude" for i in range(8, 30)})
    # stop: true would exclude round 2 unseen: the error names stop: [1] as the way on
    with pytest.raises(ConfigError) as error:
        next_candidates(STAGE, index, candidates, reading(decided), screening(stop=True))
    assert "set stop: [1]: the never-screened studies of the earlier rounds stay" in (
        error.value.problems[0].hint
    )
    config = screening(batch=5, stop=[1], target_recall=0.8)
    handed = next_candidates(STAGE, index, candidates, reading(decided), config)
    batch = handed[30:]
    assert batch and set(batch) <= set(candidates[40:])  # round 2 only
    assert automation_excluded(STAGE, candidates, reading(decided), config, index) == round_1_left
    # the figures are about round 2: nothing of it screened yet
    progress = stage_progress(STAGE, candidates, reading(decided), config, index)
    assert (progress.screened, progress.unscreened) == (0, 20)
    assert progress.sentence().startswith("prioritised screening (search round 2): 0 screened")
    assert "decided by a reviewer, conflicts too" in progress.sentence()
    # round 1's exclusions carry round 1's own verdict
    decisions = pd.DataFrame(
        {"study_id": candidates, "decision": "pending", "reason": "", "basis": "", "note": ""}
    )
    mark_automation_excluded(decisions, STAGE, candidates, reading(decided), config, index)
    marked = decisions[decisions["basis"] == "automation"]
    assert set(marked["study_id"]) == round_1_left
    first = stage_progress(STAGE, candidates, reading(decided), config, index, search_round=1)
    assert (first.screened, first.relevant_found, first.unscreened) == (30, 8, 10)
    assert set(marked["reason"]) == {first.verdict()}
    # round 2 screened in part, then the team stops it too
    decided.update(dict.fromkeys(batch, "exclude"))
    stop = screening(batch=5, stop=True, target_recall=0.8)
    assert next_candidates(STAGE, index, candidates, reading(decided), stop) == handed
    assert automation_excluded(STAGE, candidates, reading(decided), stop, index) == (
        round_1_left | set(candidates[40:]) - set(batch)
    )


def test_no_stopping_verdict_while_studies_wait_for_their_second_reviewer():
    """Dual screening: ana has screened to where the rule is met, ben is 60 studies behind.
    One reviewer's exclusion may still become an inclusion, so no verdict until ben is done."""
    index = StudyIndex.from_frame(studies(400, relevant=0))
    candidates = list(index.studies["study_id"])
    decided = {s: "include" if i < 40 else "exclude" for i, s in enumerate(candidates[:350])}
    config = screening(batch=5, target_recall=0.9)
    config["stages"][STAGE].update(mode="dual", reviewers=["ana", "ben"])
    sheets = reading(decided)
    behind = list(decided)[:-60]
    for row, study_id in enumerate(decided, 2):
        said = decided[study_id] if study_id in behind else ""
        sheets.entries.append(Entry(study_id, study_id, "ben", said, "", "", "ben.csv", row))
    progress = stage_progress(STAGE, candidates, sheets, config)
    assert progress.stopping.met and progress.awaiting_second == 60
    assert not progress.met
    # a stop taken now: the decisions' reason and the methods text give no verdict either
    assert progress.verdict() == (
        "stopping rule: no verdict while 60 studies wait for a second reviewer's decision"
    )
    assert "provisional, no verdict yet: 60 studies wait for a second reviewer's decision" in (
        progress.sentence()
    )
    assert "would be met if the decisions so far stand" in progress.sentence()
    assert ": met (" not in progress.sentence()
    # ben catches up, agreeing: the verdict is the rule's
    for entry in sheets.entries:
        if entry.reviewer == "ben" and not entry.decision:
            entry.decision = decided[entry.study_id]
    done = stage_progress(STAGE, candidates, sheets, config)
    assert done.met and done.awaiting_second == 0 and "provisional" not in done.sentence()
