"""A prioritised review from `prismake init` to a diagram with records excluded by automation.

Generated records (a fictional review of co-production, 30 relevant among 240), two
reviewers in dual mode, `prioritise: {batch: 30, target_recall: 0.8}`. Each run appends the
next batch to both sheets, most likely relevant first; the reviewers type their decisions and
save as Excel does; reruns continue until `prismake status` says the stopping rule is met;
the team sets `sample: true` and screens the random sample the rule names (kept in
data/processed), then `stop: true`; the diagram, counts.csv, PRISMA.csv and the methods paragraph
then show the records never screened as excluded by automation tools, with the same numbers.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Collection, Sequence
from pathlib import Path

import calc
import pandas as pd
import pytest
import yaml
from test_new_review import boxes, plain_snakemake, prismake, read_sheet, save_as_excel

from prismake.csvio import read_table

pytestmark = pytest.mark.e2e

needs_calc = pytest.mark.skipif(not calc.available(), reason=calc.MISSING)

REVIEWERS = {"ana": "Ana Lima", "ben": "Ben Osei"}
N_RECORDS, N_RELEVANT, BATCH = 240, 30, 30
RELEVANT = [
    "co-production",
    "policymakers",
    "practitioners",
    "service",
    "users",
    "partnership",
    "trust",
    "participation",
    "community",
    "engagement",
    "power",
    "sharing",
    "deliberation",
]
OTHER = [
    "randomised",
    "trial",
    "placebo",
    "dosage",
    "pharmacokinetics",
    "tumour",
    "mice",
    "receptor",
    "antibody",
    "cohort",
    "mortality",
    "surgery",
    "imaging",
    "biomarker",
    "genome",
]


# as real abstracts do: quotes, and the separator of a sheet Excel saves in a ; locale
QUOTED = ' Partners called it "co-design"; others did not.'


def export(
    path: Path,
    numbers: Sequence[int] = range(N_RECORDS),
    relevant: Collection[int] = range(N_RELEVANT),
    seed: int = 3,
) -> None:
    """A Scopus-like RIS export of records ``numbers``, those in ``relevant`` on the topic;
    relevant records say RELEVANT-TOPIC nowhere, only words."""
    rng = random.Random(seed)
    entries = []
    for i in numbers:
        topic = RELEVANT if i in relevant else OTHER
        words = rng.choices(topic, k=25) + rng.choices(RELEVANT + OTHER, k=5)
        marker = "coproduction study" if i in relevant else "clinical study"
        entries.append(
            "\n".join(
                [
                    "TY  - JOUR",
                    f"AU  - Author{i}, A.",
                    f"TI  - {' '.join(words[:8]).capitalize()} {marker} {i}",
                    f"PY  - {2000 + i % 20}",
                    "T2  - Journal of Generated Records",
                    f"DO  - 10.5555/gen.{i:04d}",
                    f"AB  - {' '.join(words[8:])}.{QUOTED if i % 7 == 0 else ''}",
                    "DB  - Scopus",
                    "ER  - ",
                ]
            )
        )
    rng.shuffle(entries)
    path.write_text("\n\n".join(entries) + "\n", encoding="utf-8")


def fill_sheets(review: Path, stage: str = "title_abstract") -> int:
    """Both reviewers decide every undecided row (from the title; a full-text exclusion
    with its reason); the rows they decided."""
    decided = 0
    for reviewer in REVIEWERS:
        path = review / "data" / "screening" / stage / f"{reviewer}.csv"
        if not path.exists():  # no study at this stage yet
            continue
        rows = read_sheet(path)
        header = rows[0]
        for row in rows[1:]:
            if not row[header.index("decision")].strip():
                relevant = "coproduction study" in row[header.index("title")]
                row[header.index("decision")] = "include" if relevant else "exclude"
                if stage == "full_text" and not relevant:
                    row[header.index("reason")] = "Wrong population"
                decided += 1
        save_as_excel(path, rows)
    return decided


def sheet_ids(review: Path, reviewer: str) -> list[str]:
    rows = read_sheet(review / "data" / "screening" / "title_abstract" / f"{reviewer}.csv")
    return [row[rows[0].index("study_id")] for row in rows[1:]]


def ranks(review: Path, reviewer: str) -> dict[str, int]:
    """study_id -> the `rank` prismake wrote beside it: the order it was handed out in."""
    rows = read_sheet(review / "data" / "screening" / "title_abstract" / f"{reviewer}.csv")
    study_id, rank = rows[0].index("study_id"), rows[0].index("rank")
    return {row[study_id]: int(row[rank]) for row in rows[1:]}


@pytest.fixture(scope="module")
def prioritised_review(tmp_path_factory) -> dict:
    review = tmp_path_factory.mktemp("team") / "coproduction-review"
    made = prismake("init", str(review), cwd=review.parent)
    assert made.returncode == 0, made.stderr
    export(review / "data" / "raw" / "scopus.ris")
    config_path = review / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["review"]["title"] = "Co-production (generated records, prioritised)"
    example = config["searches"][0]
    config["searches"] = [
        {**example, "name": "scopus", "database": "Scopus", "file": "data/raw/scopus.ris"}
    ]
    config["reviewers"] = [{"id": r, "name": name} for r, name in REVIEWERS.items()]
    for stage in config["screening"]["stages"].values():
        stage.update(mode="dual", reviewers=list(REVIEWERS))
    # a lower target than the default, so that 240 records leave some never screened
    config["screening"]["stages"]["title_abstract"]["prioritise"] = {
        "batch": BATCH,
        "target_recall": 0.8,
    }
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    batches, statuses = [], []
    # between batches only the screening step is run (what the test looks at); the
    # whole pipeline runs when the team stops
    screening = "results/screening/title_abstract/decisions.csv"
    plain_snakemake(review, screening)
    for _ in range(N_RECORDS // BATCH):
        batches.append(sheet_ids(review, "ana"))
        fill_sheets(review)
        plain_snakemake(review, screening)
        status = prismake("status", cwd=review)
        statuses.append(status.stdout + status.stderr)
        if "stopping rule" in statuses[-1] and ": met" in statuses[-1]:
            break
    # the run after the last decisions appended one more batch; the team screens it too
    fill_sheets(review)
    ranked = sheet_ids(review, "ana")
    before = prismake("status", cwd=review)
    # ben sorts his sheet A to Z by decision in Excel: excludes on top
    ben = review / "data" / "screening" / "title_abstract" / "ben.csv"
    rows = read_sheet(ben)
    decision = rows[0].index("decision")
    save_as_excel(ben, [rows[0], *sorted(rows[1:], key=lambda r: r[decision])])
    resorted = prismake("status", cwd=review)
    # the ranked phase ends: the random sample the rule names goes to the sheets
    config["screening"]["stages"]["title_abstract"]["prioritise"]["sample"] = True
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    plain_snakemake(review, screening)
    sample = sheet_ids(review, "ana")[len(ranked) :]
    fill_sheets(review)
    plain_snakemake(review, screening)
    after_sample = prismake("status", cwd=review)
    screened = sheet_ids(review, "ana")
    config["screening"]["stages"]["title_abstract"]["prioritise"]["stop"] = True
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    stopped = plain_snakemake(review)
    after_stop = prismake("status", cwd=review)
    return {
        "review": review,
        "batches": batches,
        "statuses": statuses,
        "screened": screened,
        "ranked": ranked,
        "before_sample": before.stdout + before.stderr,
        "resorted": resorted.stdout + resorted.stderr,
        "sample": sample,
        "after_sample": after_sample.stdout + after_sample.stderr,
        "stopped": stopped,
        "after_stop": after_stop.stdout,
    }


def test_each_run_adds_the_next_batch_to_both_sheets_most_relevant_first(prioritised_review):
    review, batches = prioritised_review["review"], prioritised_review["batches"]
    assert [len(b) for b in batches[:3]] == [BATCH, 2 * BATCH, 3 * BATCH]
    # every row carries its rank: 1, 2, 3 ... in the order appended (ana never sorted)
    assert list(ranks(review, "ana").values()) == list(range(1, len(sheet_ids(review, "ana")) + 1))
    assert ranks(review, "ana") == ranks(review, "ben")  # dual: the same batch, same ranks
    titles = read_sheet(review / "data" / "screening" / "title_abstract" / "ana.csv")
    header = titles[0]
    relevant = [("coproduction study" in r[header.index("title")]) for r in titles[1:]]
    # the model found the relevant records early: most of them in the first two batches
    assert sum(relevant[: 2 * BATCH]) >= 0.8 * N_RELEVANT
    assert sum(relevant) == N_RELEVANT  # and all of them before the team stopped


def test_status_reports_progress_and_the_stopping_rule(prioritised_review):
    statuses = prioritised_review["statuses"]
    assert "relevant found" in statuses[0]
    assert "not met" in statuses[0]
    assert ": met" in statuses[-1]
    # how many relevant may be left: stated every run, and narrower once the rule is met
    at_most = [re.search(r"at most (\d+) relevant with 95% confidence", s) for s in statuses]
    assert all(at_most), statuses
    first, last = int(at_most[0].group(1)), int(at_most[-1].group(1))
    assert last < first
    # met at 80 % recall: the bound leaves recall so far at or above the target
    found = int(re.search(r"(\d+) relevant found", statuses[-1]).group(1))
    assert found / (found + last) >= 0.8


def test_stopping_turns_never_screened_records_into_automation_exclusions(prioritised_review):
    review = prioritised_review["review"]
    in_sheets = set(sheet_ids(review, "ana"))
    never = N_RECORDS - len(in_sheets)
    assert never > 0
    counts = pd.read_csv(review / "results" / "prisma" / "counts.csv").set_index("key")["n"]
    assert counts["records_screened"] == N_RECORDS
    assert counts["records_excluded_automation"] == never
    assert counts["records_excluded_human"] == len(in_sheets) - N_RELEVANT
    assert counts["records_excluded"] == never + len(in_sheets) - N_RELEVANT
    shown = boxes(next((review / "results").rglob("prisma*.svg")))
    assert shown["by automation tools"] == never
    assert shown["by a human"] == len(in_sheets) - N_RELEVANT
    prisma = pd.read_csv(review / "results" / "prisma" / "PRISMA.csv")
    row = prisma[prisma["data"] == "records_excluded"].iloc[0]
    assert f"by automation tools, {never}" in row["boxtext"]
    methods = (review / "results" / "report" / "methods.md").read_text(encoding="utf-8")
    assert "Callaghan and Müller-Hansen" in methods
    assert "batches of up to 30 records, smaller at the start" in methods
    assert f"the {never:,} records not screened were counted as excluded by automation" in methods
    sample = len(prioritised_review["sample"])
    assert f"stopping rule met on a random sample of {sample} of {never + sample}" in methods


def test_after_the_stop_status_has_nothing_left_to_screen_as_the_pipeline_says(
    prioritised_review,
):
    # the never-screened studies are excluded by automation tools, not left to screen
    review = prioritised_review["review"]
    table = prioritised_review["after_stop"].split("Title/abstract screening")[1]
    everyone = next(line.split() for line in table.splitlines() if line.split()[:1] == ["all"])
    written = read_table(review / "results" / "screening" / "status.csv")
    row = written[(written["stage"] == "title_abstract") & (written["reviewer"] == "all")]
    assert everyone[-1] == row["left_to_screen"].iloc[0] == "0"
    # and status says where they went, with the count the PRISMA counts give
    decisions = read_table(review / "results" / "screening" / "title_abstract" / "decisions.csv")
    never = int((decisions["decision"] == "excluded_automation").sum())
    assert never > 0
    assert (
        f"Stopped by the team: {never} studies never screened count as excluded by automation "
        "tools" in table
    )


def test_a_sheet_sorted_in_excel_leaves_status_as_it_was(prioritised_review):
    # ben's sheet has every exclude on top: read by rows, the stopping rule would see the
    # relevant studies late; the ranks keep the order they were handed out in
    review = prioritised_review["review"]
    rows = read_sheet(review / "data" / "screening" / "title_abstract" / "ben.csv")
    decision = rows[0].index("decision")
    in_rank_phase = rows[1 : len(prioritised_review["ranked"]) + 1]
    assert [row[decision] for row in in_rank_phase] == sorted(
        row[decision] for row in in_rank_phase
    )
    said = [line for line in prioritised_review["before_sample"].splitlines() if "found" in line]
    assert said and all(line in prioritised_review["resorted"] for line in said)


@needs_calc
def test_a_sheet_sorted_in_libreoffice_calc_reads_back_with_the_same_status(
    prioritised_review, tmp_path
):
    # ana sorts her finished sheet Z to A by decision in Calc and saves it as CSV
    copy = tmp_path / "review"
    shutil.copytree(prioritised_review["review"], copy, ignore=shutil.ignore_patterns(".*"))
    sheet = copy / "data" / "screening" / "title_abstract" / "ana.csv"
    calc.run("sort", str(sheet), str(sheet), "decision", "--descending")
    rows = read_sheet(sheet)
    decisions = [row[rows[0].index("decision")] for row in rows[1:]]
    assert decisions[:N_RELEVANT] == ["include"] * N_RELEVANT and decisions[-1] == "exclude"
    assert sorted(ranks(copy, "ana").values()) == sorted(
        ranks(prioritised_review["review"], "ana").values()
    )
    before = prismake("status", cwd=prioritised_review["review"])
    after = prismake("status", cwd=copy)
    assert after.returncode == 0, after.stderr
    said = [line for line in before.stdout.splitlines() if line.strip()]
    assert any("relevant found" in line for line in said)
    assert after.stdout.splitlines() == before.stdout.splitlines()


def test_the_random_sample_named_in_status_is_what_the_sheets_get(prioritised_review):
    review, sample = prioritised_review["review"], prioritised_review["sample"]
    left = N_RECORDS - len(prioritised_review["ranked"])
    assert (
        f"screen a random sample of {len(sample)} of the {left} not screened"
        in (prioritised_review["before_sample"])
    )
    assert sheet_ids(review, "ben")[-len(sample) :] == sample  # dual: both get it
    kept = review / "data" / "processed" / "screening" / "title_abstract"
    frame = pd.read_csv(kept / "random_sample.csv", dtype=str)
    assert list(frame["study_id"][: len(sample)]) == sample
    assert len(frame) == left and not set(frame["study_id"]) & set(prioritised_review["ranked"])
    assert (
        f"random sample: {len(sample)} of the {left} studies left"
        in (prioritised_review["after_sample"])
    )
    assert "the stopping rule is met on it" in prioritised_review["after_sample"]
    # the text features were kept for the next run, not built on every one
    assert (kept / "features.npz").is_file()


def test_stopping_adds_nothing_to_the_sheets(prioritised_review):
    review = prioritised_review["review"]
    assert len(sheet_ids(review, "ana")) == len(prioritised_review["screened"])
