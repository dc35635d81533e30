"""Copy the demo review to a temporary folder and run Snakemake there.

The copy holds what a fresh clone holds (Snakefile, workflow/, config/, data/ without
data/processed), so a run here is a run a review team would do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prismake import demo

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
HUMAN_DIRS = ("data/raw", "data/screening", "data/extraction", "config")


def copy_review(target: Path) -> Path:
    """Copy the review as a fresh clone has it (no results, no processed data)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "environment.yml"):  # rules name environment.yml (conda:)
        shutil.copy2(ROOT / name, target / name)
    for folder in ("workflow", "profiles", "config", "data"):
        shutil.copytree(
            ROOT / folder,
            target / folder,
            ignore=shutil.ignore_patterns("processed", "__pycache__", "~$*"),
        )
    (target / "data" / "processed").mkdir(exist_ok=True)
    return target


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run snakemake in ``workdir``; on failure show its output in the test report."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [*SNAKEMAKE, *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"snakemake {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
        )
    return result


def add_update_search(review: Path) -> None:
    """A PubMed update search (round 2): 12 new studies and 4 records already found."""
    records = demo.build_update_search(demo.build_review())
    (review / "data/raw/pubmed_update.nbib").write_text(
        demo.format_pubmed_medline(records), encoding="utf-8", newline=""
    )
    config_path = review / "config/config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["searches"].append(
        {
            "name": "pubmed_update",
            "database": "PubMed",
            "source": "database",
            "file": "data/raw/pubmed_update.nbib",
            "date_searched": "2025-09-01",
            "query": "same as the first PubMed search, limited to 2025",
            "round": 2,
        }
    )
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
