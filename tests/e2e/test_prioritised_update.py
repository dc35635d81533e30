"""Updating a finished prioritised review: round 1 stopped, round 2 ranked and stopped.

A team screened round 1 with prioritised screening until the stopping rule was met, set
`stop: true`, decided the full texts and published. A year later it adds an update search
(`round: 2`). `stop: true` would now exclude the whole update unseen (an error that names
the way on); `stop: [1]` keeps round 1's never-screened studies excluded, as published,
while the update's studies are ranked and handed out. When the team stops again, the
updated-review diagram, counts.csv and the methods paragraph tell round 2's story alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_new_review import boxes, plain_snakemake, prismake
from test_prioritised import REVIEWERS, export, fill_sheets, sheet_ids

from prismake.csvio import read_table

pytestmark = pytest.mark.e2e

SCREENING = "results/screening/title_abstract/decisions.csv"


def screen_until_met(review: Path, limit: int = 12) -> str:
    """Batches until status says the stopping rule is met; the last status."""
    status = ""
    for _ in range(limit):
        fill_sheets(review)
        plain_snakemake(review, SCREENING)
        status = prismake("status", cwd=review).stdout
        if "stopping rule" in status and ": met" in status:
            break
    fill_sheets(review)  # the batch the last run appended
    return status


def set_stop(config_path: Path, config: dict, stop) -> None:
    config["screening"]["stages"]["title_abstract"]["prioritise"]["stop"] = stop
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def updated_review(tmp_path_factory) -> dict:
    review = tmp_path_factory.mktemp("update") / "coproduction-review"
    assert prismake("init", str(review), cwd=review.parent).returncode == 0
    # round 1: 200 records, 25 relevant; round 2: 120 new (15 relevant) and 10 of round 1
    raw = review / "data" / "raw"
    export(raw / "round1.ris", range(200), range(25), seed=1)
    export(raw / "round2.ris", range(1000, 1120), range(1000, 1015), seed=2)
    found_again = [
        entry
        for entry in (raw / "round1.ris").read_text(encoding="utf-8").split("\n\n")
        if any(f"gen.{i:04d}" in entry for i in range(190, 200))
    ]
    with (raw / "round2.ris").open("a", encoding="utf-8") as handle:
        handle.write("\n\n" + "\n\n".join(found_again).strip() + "\n")
    config_path = review / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    example = config["searches"][0]
    config["searches"] = [
        {**example, "name": "scopus", "database": "Scopus", "file": "data/raw/round1.ris"}
    ]
    config["reviewers"] = [{"id": r, "name": name} for r, name in REVIEWERS.items()]
    for stage in config["screening"]["stages"].values():
        stage.update(mode="dual", reviewers=list(REVIEWERS))
    config["screening"]["stages"]["title_abstract"]["prioritise"] = {
        "batch": 25,
        "target_recall": 0.8,
    }
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    # round 1, screened, stopped, full texts decided: the published version
    plain_snakemake(review, SCREENING)
    screen_until_met(review)
    set_stop(config_path, config, True)
    plain_snakemake(review)
    fill_sheets(review, "full_text")
    plain_snakemake(review)
    round_1_listed = set(sheet_ids(review, "ana"))
    round_1_counts = read_table(review / "results" / "prisma" / "counts.csv")

    # the update search
    config["searches"].append(
        {
            **config["searches"][0],
            "name": "scopus_update",
            "file": "data/raw/round2.ris",
            "round": 2,
        }
    )
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    refused = plain_snakemake(review, check=False)
    set_stop(config_path, config, [1])
    plain_snakemake(review, SCREENING)
    first_update_batch = set(sheet_ids(review, "ana")) - round_1_listed
    status = screen_until_met(review)
    set_stop(config_path, config, True)
    plain_snakemake(review)
    fill_sheets(review, "full_text")
    plain_snakemake(review)
    return {
        "review": review,
        "refused": refused,
        "round_1_listed": round_1_listed,
        "round_1_counts": round_1_counts,
        "first_update_batch": first_update_batch,
        "status": status,
    }


def test_stop_true_refuses_to_exclude_the_update_unseen_and_names_stop_1(updated_review):
    refused = updated_review["refused"]
    assert refused.returncode != 0
    assert "none of them was ever ranked or screened" in refused.stderr
    assert "stop: [1]" in refused.stderr


def test_with_stop_1_only_the_update_is_ranked_and_status_speaks_of_round_2(updated_review):
    batch = updated_review["first_update_batch"]
    review = updated_review["review"]
    studies = read_table(review / "data" / "processed" / "studies.csv")
    round_of = dict(zip(studies["study_id"], studies["round"], strict=True))
    assert batch and {round_of[s] for s in batch} == {"2"}
    assert "Prioritised screening (search round 2):" in updated_review["status"]


def test_round_1_stays_as_published_and_the_diagram_tells_round_2_alone(updated_review):
    review = updated_review["review"]
    studies = read_table(review / "data" / "processed" / "studies.csv")
    round_of = dict(zip(studies["study_id"], studies["round"], strict=True))
    decisions = read_table(review / SCREENING)
    automated = decisions[decisions["decision"] == "excluded_automation"]
    round_1_auto = {s for s in automated["study_id"] if round_of[s] == "1"}
    round_2_auto = {s for s in automated["study_id"] if round_of[s] == "2"}
    published = updated_review["round_1_counts"].set_index("key")["n"]
    assert len(round_1_auto) == int(published["records_excluded_automation"]) > 0
    assert not round_1_auto & set(sheet_ids(review, "ana"))  # never handed out again
    assert round_2_auto
    counts = pd.read_csv(review / "results" / "prisma" / "counts.csv").set_index("key")["n"]
    assert counts["latest_round"] == 2
    assert counts["records_excluded_automation"] == len(round_2_auto)
    listed_2 = {s for s in sheet_ids(review, "ana") if round_of[s] == "2"}
    assert counts["records_screened"] == len(listed_2) + len(round_2_auto)
    shown = boxes(next((review / "results").rglob("prisma*.svg")))
    assert shown["by automation tools"] == len(round_2_auto)
    methods = (review / "results" / "report" / "methods.md").read_text(encoding="utf-8")
    assert f"We stopped screening after {len(listed_2)} records" in methods
    assert (
        f"the {len(round_2_auto)} records not screened were counted as excluded by automation"
        in methods
    )
