"""The SLURM profile and the rules' resources hold what a stock cluster needs (no cluster run).

These checks are fast and run everywhere; the cluster run itself is in test_slurm_cluster.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "profiles" / "slurm" / "config.yaml"
RULE = re.compile(r"^(?:rule|checkpoint) (\w+):\n((?:[ \t]+.*\n|\n)*)", re.MULTILINE)
# SLURM's default MinJobAge: how long squeue keeps listing a finished job.
SLURM_DEFAULT_MIN_JOB_AGE = 300


def profile() -> dict:
    return yaml.safe_load(PROFILE.read_text())


def workflow_rules() -> dict[str, str]:
    """Every rule and checkpoint of workflow/rules, with the text of its body."""
    rules = {}
    for smk in sorted((ROOT / "workflow" / "rules").glob("*.smk")):
        rules.update(RULE.findall(smk.read_text()))
    return rules


def local_rules() -> set[str]:
    text = (ROOT / "workflow" / "rules" / "common.smk").read_text()
    block = re.search(r"^localrules:\n((?:[ \t]+.*\n)+)", text, re.MULTILINE)
    assert block, "common.smk declares no localrules"
    return {name.strip(" ,\t") for name in block.group(1).split() if name.strip(" ,")}


def test_the_slurm_profile_asks_squeue_for_job_states_so_clusters_without_accounting_work():
    settings = profile()

    assert settings["executor"] == "slurm"
    assert settings["slurm-status-command"] == "squeue"


def test_the_first_status_check_comes_while_squeue_still_lists_finished_jobs():
    # The executor plugin falls back to sacct unless MinJobAge >= 3 x this delay.
    delay = profile().get("slurm-init-seconds-before-status-checks", 40)

    assert 3 * delay <= SLURM_DEFAULT_MIN_JOB_AGE


def test_the_slurm_profile_leaves_partition_and_account_to_the_user():
    text = PROFILE.read_text()
    settings = profile()

    for key in ("slurm_partition", "slurm_account"):
        assert key not in settings.get("default-resources", {})
        assert key not in str(settings.get("set-resources", ""))
        assert key in text, f"the profile should tell users where to set {key}"


def test_every_setting_in_the_slurm_profile_is_an_option_snakemake_knows():
    help_text = subprocess.run(
        [sys.executable, "-m", "snakemake", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    unknown = [key for key in profile() if f"--{key}" not in help_text]

    assert not unknown, f"snakemake has no options {unknown} (typo, or plugin missing?)"


def test_every_rule_declares_threads_memory_and_runtime_within_what_a_cluster_offers():
    rules = workflow_rules()
    assert len(rules) >= 10, sorted(rules)

    for name, body in rules.items():
        threads = re.search(r"^\s+threads: (\d+)$", body, re.MULTILINE)
        mem_mb = re.search(r"^\s+mem_mb=([\d_]+),?$", body, re.MULTILINE)
        runtime = re.search(r"^\s+runtime=([\d_]+),?$", body, re.MULTILINE)
        assert threads and mem_mb and runtime, f"rule {name} lacks threads, mem_mb or runtime"
        assert 1 <= int(threads.group(1)) <= 8, name
        assert 100 <= int(mem_mb.group(1)) <= 16_000, f"{name}: mem_mb in MB, at most 16 GB"
        assert 1 <= int(runtime.group(1)) <= 24 * 60, f"{name}: runtime in minutes, a day at most"


def test_the_rule_that_appends_to_reviewer_sheets_runs_on_the_submitting_machine():
    local = local_rules()

    assert "screen" in local
    assert {"import_search", "dedupe"}.isdisjoint(local), "the heavy rules belong on the cluster"
    assert local - {"all"} <= set(workflow_rules()), f"unknown localrules: {local}"
