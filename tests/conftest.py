"""Shared fixtures: the repository root and the optional ../shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (real exports and dedupe benchmark sets); skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: tests on the real export corpus and dedupe sets skipped")
    return SHARED


def pytest_collection_modifyitems(config, items):
    """Every end-to-end and SLURM test is slow: `pytest -m "not slow"` is the quick subset."""
    for item in items:
        path = Path(str(item.fspath))
        if {"e2e", "slurm"} & set(path.parts):
            item.add_marker(pytest.mark.slow)
