"""Shared set-up: check the config, and the helpers rules use to name their files.

Never reads a human sheet here (remote jobs re-parse this file); sheets are read by
the jobs that declare them as input.
"""

import hashlib
import sys
import threading
from pathlib import Path

import prismake
from prismake.config import check_config
from prismake.errors import PrismakeError
from prismake.extraction.coding import coding_sheet_paths
from prismake.runner import failure_summary
from prismake.screening.sheets import sheet_files, sheets_as_seen

try:
    config.update(check_config(config))
except PrismakeError as error:  # a mistake in the config: the message, no traceback
    sys.exit(f"prismake: {error}")

SEARCHES = {s["name"]: s for s in config["searches"]}
STAGES = list(config["screening"]["stages"])
PACKAGE = Path(prismake.__file__).parent


# Under the cluster profile (profiles/slurm) these run on the submitting machine:
# the screening rule that appends to the reviewers' sheets, and rules that read only counts
# or the included studies (seconds at any review size, not worth a wait in the queue).
localrules:
    all,
    screen,
    prisma_diagram,
    thematic_tables,
    thematic_figures,
    included_references,


def code_version(*parts):
    """A hash of the package modules a rule runs, so a code change re-runs the rule.

    Snakemake tracks a rule's script, not the modules it imports; this goes into the
    rule's params, and the default rerun triggers compare params between runs. ``parts``
    must cover every prismake module the step's module imports (a package folder covers
    its modules): tests/unit/test_core_code_version.py checks each rule.
    """
    digest = hashlib.sha1()
    for part in (
        "__init__.py",
        "csvio.py",
        "errors.py",
        "ids.py",
        "records.py",
    ) + parts:
        path = PACKAGE / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def existing(paths):
    """Human sheets that exist now (a missing optional sheet is not an error)."""
    return [p for p in paths if Path(p).exists()]


def all_outputs():
    """Every file any rule writes, intermediate ones included.

    Snakemake does not rerun a job whose outputs exist when a file upstream of it is
    missing (a failed job's outputs are deleted): asking for every file here means a step
    that failed once runs again on the next plain `snakemake`, whatever came after it.
    """
    outputs = []
    for step in workflow.rules:
        if step.name == "all":
            continue
        for pattern in step.output:
            pattern = snakemake.io.strip_wildcard_constraints(str(pattern))
            outputs += expand(pattern, search=SEARCHES, stage=STAGES)
    return sorted(set(outputs))


def stage_candidates(wc):
    """What decides which studies a stage screens: all studies, or the previous stage."""
    inputs = {"studies": "data/processed/studies.csv"}
    if wc.stage == "title_abstract":
        inputs["removed"] = existing(["data/screening/removed_before_screening.csv"])
    if wc.stage == "full_text":
        inputs["previous"] = "results/screening/title_abstract/decisions.csv"
    return inputs


def stage_sheets(wc):
    """Every sheet in the stage's folder: the reviewers', resolutions, stray copies.

    Their listing and their times decide whether `screen` reruns: a sheet edited, deleted,
    moved away or added (``alice (1).csv``) changes the set of inputs or their times. The
    sheets exactly as the last `screen` job left them count as what it saw (see
    prismake.screening.sheets.sheets_as_seen): prismake's own writes rerun nothing.
    """
    return _sheets_as_seen(wc.stage)[0]


def stage_typed(wc):
    """A digest of what people typed in the stage's sheets (a `screen` parameter)."""
    return _sheets_as_seen(wc.stage)[1]


_SEEN = {}


def _sheets_as_seen(stage):
    folder = f"data/screening/{stage}"
    stamp = tuple(
        (name, Path(name).stat().st_mtime_ns, Path(name).stat().st_size)
        for name in sheet_files(folder)
    )
    if _SEEN.get(stage, (None,))[0] != stamp:
        settled = f"data/processed/screening/{stage}/sheets_settled.json"
        _SEEN[stage] = (stamp, sheets_as_seen(folder, settled))
    return _SEEN[stage][1]


def coding_sheets(wc=None):
    """data/extraction/coding.csv and/or one sheet per coder in data/extraction/coding/.

    Every CSV of the folder, stray copies ("alice (1).csv") included: `extract` names
    those it does not count (prismake.extraction.coding.counted_coding_sheets), and one
    added or removed reruns it. Spreadsheet lock files are left out. `prismake status`
    lists them the same way.
    """
    return coding_sheet_paths("data/extraction")


def failed_jobs():
    """(job, its log files) for every job that failed in this run (see `onerror`)."""
    jobs = getattr(getattr(workflow, "scheduler", None), "failed", None) or ()
    failed = []
    for job in jobs:
        wildcards = ", ".join(f"{k}={v}" for k, v in job.wildcards.items())
        label = f"{job.rule.name} ({wildcards})" if wildcards else job.rule.name
        failed.append((label, [str(log) for log in job.log]))
    return sorted(failed)


def stop_idle_timers():
    """Let Snakemake exit as soon as the run is over.

    Its job-rate limiter (--max-jobs-per-timespan, 100/1s by default) leaves a
    one-second timer behind after the last job, and Python waits for it before exiting:
    up to a second added to every run. Once the run is over nothing is left to time.
    """
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()
