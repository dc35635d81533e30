"""The demo review runs on a real SLURM cluster with the project's profile, as it runs locally.

Each test starts from a fresh copy of the review, runs `snakemake --workflow-profile
profiles/slurm` against the single-node cluster of the `slurm_cluster` fixture,
under a time limit (a hang fails the test), and prints what SLURM did with the jobs so
CI's log shows them.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slurm

ROOT = Path(__file__).resolve().parents[2]
PROFILE = "profiles/slurm"
USE_PROFILE = ["--workflow-profile", PROFILE]  # as the README says
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# The whole demo through the queue (about 10 SLURM jobs); a hang fails long before CI's.
DEMO_LIMIT_SECONDS = 600
SMALL_LIMIT_SECONDS = 240
# Compared byte for byte between the local and the SLURM run: every result, and the
# reviewers' sheets the screening rule appends to. Logs and reports are not results.
COMPARED = ("results", "data/screening", "data/extraction")
NOT_COMPARED = {"report.html"}

SUBMITTED = re.compile(r"Job (\d+) has been submitted with SLURM jobid (\d+)")
JOB_HEADER = re.compile(r"^(localrule|rule|checkpoint) (\w+):\n((?:    .*\n)*)", re.MULTILINE)


@dataclass
class Run:
    """What one snakemake run did: exit code, everything it printed, how long it took."""

    returncode: int
    output: str
    seconds: float

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


def start_snakemake(workdir: Path, args: list[str], *, env: dict[str, str]) -> Callable[..., Run]:
    """Start snakemake in `workdir`; returns `wait(limit)`, which fails the test on a hang.

    Output goes to a file beside `workdir`, so two runs can go on at once.
    """
    started = time.monotonic()
    output_file = workdir.parent / f"{workdir.name}.snakemake.txt"
    with output_file.open("w") as sink:
        process = subprocess.Popen(
            [*SNAKEMAKE, *args],
            cwd=workdir,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    ended: list[float] = []  # when the process exited, even if nobody was waiting then

    def note_the_end() -> None:
        process.wait()
        ended.append(time.monotonic())

    threading.Thread(target=note_the_end, daemon=True).start()

    def wait(limit: float) -> Run:
        try:
            process.wait(timeout=max(1.0, limit - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)  # snakemake cancels its SLURM jobs on TERM
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            tail = "\n".join(output_file.read_text(errors="replace").splitlines()[-60:])
            pytest.fail(f"snakemake {' '.join(args)} did not finish within {limit:.0f} s:\n{tail}")
        output = output_file.read_text(errors="replace")
        return Run(process.returncode, output, (ended or [time.monotonic()])[0] - started)

    return wait


def run_snakemake(workdir: Path, args: list[str], *, env: dict[str, str], limit: float) -> Run:
    """Run snakemake in `workdir`; fail the test (instead of hanging) after `limit` seconds."""
    return start_snakemake(workdir, args, env=env)(limit)


def copy_review(target: Path) -> Path:
    """Copy the review as a fresh clone has it (no results, no processed data)."""
    target.mkdir(parents=True, exist_ok=True)
    for top_file in ("Snakefile", "environment.yml"):  # rules name environment.yml (conda:)
        if (ROOT / top_file).exists():
            shutil.copy2(ROOT / top_file, target / top_file)
    for folder in ("workflow", "profiles", "config", "data"):
        shutil.copytree(
            ROOT / folder,
            target / folder,
            ignore=shutil.ignore_patterns("processed", "__pycache__", "~$*"),
        )
    (target / "data" / "processed").mkdir(exist_ok=True)
    return target


def slurm_jobs(output: str) -> list[tuple[str, str, str]]:
    """(rule with wildcards, snakemake job id, SLURM job id) for every job sent to SLURM."""
    rules = {}
    for kind, rule, body in JOB_HEADER.findall(output):
        jobid = re.search(r"^    jobid: (\d+)$", body, re.MULTILINE)
        wildcards = re.search(r"^    wildcards: (.*)$", body, re.MULTILINE)
        if jobid and kind != "localrule":
            label = rule + (f" ({wildcards.group(1)})" if wildcards else "")
            rules[jobid.group(1)] = label
    return [(rules.get(job, "?"), job, slurm) for job, slurm in SUBMITTED.findall(output)]


def slurm_states(cluster) -> dict[str, str]:
    """SLURM's own word on every job it has seen (finished jobs stay listed for MinJobAge)."""
    result = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%i|%T"],
        env=cluster.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("|", 1) for line in result.stdout.split())


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, under the compared folders."""
    found = []
    for folder in COMPARED:
        a, b = left / folder, right / folder
        files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} if a.is_dir() else set()
        files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()} if b.is_dir() else set()
        for name in sorted(files_a | files_b):
            if name.name in NOT_COMPARED:
                continue
            if name not in files_a or name not in files_b:
                side = "local run" if name in files_a else "SLURM run"
                found.append(f"{folder}/{name}: only in the {side}")
            elif not filecmp.cmp(a / name, b / name, shallow=False):
                found.append(f"{folder}/{name}: bytes differ")
    return found


def compared_files(workdir: Path) -> int:
    return sum(1 for f in COMPARED for p in (workdir / f).rglob("*") if p.is_file())


def test_the_demo_review_on_slurm_gives_byte_identical_results_to_a_local_run(
    slurm_cluster, tmp_path, capsys
):
    local = copy_review(tmp_path / "local")
    on_slurm = copy_review(tmp_path / "slurm")
    local_env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}

    # Both at once: less waiting, and both runs see the same code.
    local_wait = start_snakemake(local, ["--cores", "2"], env=local_env)
    slurm_wait = start_snakemake(on_slurm, USE_PROFILE, env=slurm_cluster.env())
    slurm_run = slurm_wait(DEMO_LIMIT_SECONDS)
    local_run = local_wait(DEMO_LIMIT_SECONDS)
    assert local_run.returncode == 0, f"the local run failed:\n{local_run.tail()}"
    jobs = slurm_jobs(slurm_run.output)
    states = slurm_states(slurm_cluster)
    differing = differences(local, on_slurm)

    with capsys.disabled():  # shown in CI's log even when the test passes
        print(
            f"\n--- demo review on SLURM ({slurm_run.seconds:.0f} s; local run "
            f"{local_run.seconds:.0f} s) ---"
        )
        for rule, job, slurm_id in jobs:
            print(
                f"sbatch: {rule:<40} snakemake job {job:>3} -> SLURM job {slurm_id:>4} "
                f"{states.get(slurm_id, 'not listed by squeue')}"
            )
        print(
            f"compared {compared_files(local)} files under {', '.join(COMPARED)}: "
            + ("all byte-identical" if not differing else f"{len(differing)} differ")
        )

    assert slurm_run.returncode == 0, f"the SLURM run failed:\n{slurm_run.tail()}"
    submitted_rules = {rule.split(" ")[0] for rule, _, _ in jobs}
    assert {"import_search", "dedupe", "screening_summary"} <= submitted_rules, (
        f"expected the heavy rules to go through sbatch, got {sorted(submitted_rules)}"
    )
    not_completed = {s: states.get(s) for _, _, s in jobs if states.get(s) != "COMPLETED"}
    assert not not_completed, f"SLURM jobs that did not complete: {not_completed}"
    assert not differing, "the SLURM run's results differ from the local run's:\n" + "\n".join(
        differing
    )


FAILING_WORKFLOW = """
rule all:
    input:
        "results/never.txt",


rule fails_on_the_cluster:
    output:
        "results/never.txt",
    log:
        "logs/fails_on_the_cluster.log",
    threads: 1
    resources:
        mem_mb=100,
        runtime=2,
    shell:
        "echo 'THE RULE SAID: NOTHING LEFT TO SCREEN' | tr A-Z a-z > {log}; exit 3"
"""
# What the rule writes to its log (lower case: the echoed command text is upper case, so
# finding this in snakemake's output means the log itself was shown).
MESSAGE = "the rule said: nothing left to screen"
LOG_SHOWN = "Logfile logs/fails_on_the_cluster.log:"


def small_workflow(folder: Path, snakefile: str) -> Path:
    """A one-rule workflow with the project's SLURM profile."""
    shutil.copytree(ROOT / PROFILE, folder / PROFILE)
    (folder / "Snakefile").write_text(snakefile)
    return folder


def test_a_rule_that_fails_on_the_cluster_fails_the_run_and_shows_the_rules_log(
    slurm_cluster, tmp_path, capsys
):
    workdir = small_workflow(tmp_path, FAILING_WORKFLOW)

    run = run_snakemake(workdir, USE_PROFILE, env=slurm_cluster.env(), limit=SMALL_LIMIT_SECONDS)
    jobs = slurm_jobs(run.output)
    states = slurm_states(slurm_cluster)
    with capsys.disabled():
        print(f"\n--- failing rule on SLURM (exit code {run.returncode}, {run.seconds:.0f} s) ---")
        for rule, _, slurm_id in jobs:
            print(f"sbatch: {rule} -> SLURM job {slurm_id} {states.get(slurm_id)}")
        lines = run.output.splitlines()
        for number, line in enumerate(lines):
            if line.startswith(LOG_SHOWN):
                print("\n".join(lines[number : number + 3]))

    assert jobs, f"the failing rule was never submitted:\n{run.tail()}"
    assert run.returncode != 0, "a failed SLURM job must fail the run"
    assert states.get(jobs[0][2]) == "FAILED"
    assert "Error in rule fails_on_the_cluster" in run.output
    assert LOG_SHOWN in run.output and MESSAGE in run.output, (
        f"the rule's log was not shown:\n{run.tail()}"
    )


OVERSIZED_WORKFLOW = """
rule needs_more_memory_than_any_node:
    output:
        "results/big.txt",
    threads: 1
    resources:
        mem_mb=100_000_000,
        runtime=2,
    shell:
        "touch {output}"
"""


def test_a_job_no_node_can_run_is_refused_at_submission_instead_of_pending_forever(
    slurm_cluster, tmp_path
):
    workdir = small_workflow(tmp_path, OVERSIZED_WORKFLOW)

    run = run_snakemake(workdir, USE_PROFILE, env=slurm_cluster.env(), limit=SMALL_LIMIT_SECONDS)

    assert run.returncode != 0
    assert "Requested node configuration is not available" in run.output, run.tail()
    assert not (workdir / "results" / "big.txt").exists()
