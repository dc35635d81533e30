"""Who screens which study: single, dual and split screening, decided by stable hashes.

A study's reviewers depend only on its id and the reviewer list (rendezvous hashing), so
an update run sends a new study to the same people every time, adding a reviewer moves
as few studies as possible, and a study already in someone's sheet stays with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any


def _unit(text: str) -> float:
    """A number in [0, 1) fixed by ``text``."""
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def ranked_reviewers(study_id: str, reviewers: Sequence[str]) -> list[str]:
    """Reviewers in the order a study prefers them (rendezvous / highest-random-weight)."""
    return sorted(reviewers, key=lambda r: (-_unit(f"{study_id}|{r}"), r))


def is_double(study_id: str, fraction: float) -> bool:
    """Whether split screening gives this study to two reviewers (a fixed share)."""
    return _unit(f"double|{study_id}") < fraction


def reviewers_needed(study_id: str, stage: Mapping[str, Any]) -> int:
    """How many independent decisions a study needs at a stage: 1 or 2."""
    mode = stage.get("mode", "single")
    n = len(stage.get("reviewers") or [])
    if mode == "dual":
        return min(2, n)
    if mode == "split" and is_double(study_id, float(stage.get("double_fraction", 0.2))):
        return min(2, n)
    return 1


def assign(
    study_id: str,
    stage: Mapping[str, Any],
    present: Collection[str] = (),
    done: Collection[str] = (),
) -> list[str]:
    """Reviewers who must get the study, besides those whose sheets already list it.

    ``done``: former reviewers (taken out of config) who decided it: their decisions count,
    so a study one of them decided needs no one else in their place."""
    reviewers = list(stage.get("reviewers") or [])
    have = [r for r in reviewers if r in present] + [r for r in done if r not in reviewers]
    missing = reviewers_needed(study_id, stage) - len(have)
    if missing <= 0:
        return []
    candidates = [r for r in ranked_reviewers(study_id, reviewers) if r not in present]
    return candidates[:missing]
