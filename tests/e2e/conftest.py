"""Fixture: the demo review after one full Snakemake run, in a temporary copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_copy import copy_review, snakemake


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> Path:
    """The demo review after one full `snakemake --cores 2` run."""
    workdir = copy_review(tmp_path_factory.mktemp("demo") / "review")
    snakemake(workdir, "--cores", "2")
    return workdir
