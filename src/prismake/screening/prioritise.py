"""Prioritised screening in the pipeline: which unscreened studies a sheet gets next.

Opt-in per stage (title/abstract only) with ``screening.stages.title_abstract.prioritise``.
Two calls wire it in, so the sheet code stays as it is:

* ``next_candidates`` (from ``sync.plan_sheets``): the studies already in a sheet, plus,
  once every one of them has its decisions, the next ``batch`` unscreened studies, most
  likely relevant first (the ``seed`` studies before any other).
* ``automation_excluded`` (from ``stage.evaluate_stage``): when the team sets ``stop: true``,
  the studies never added to a sheet, which PRISMA counts as excluded by automation tools.

What the model learns from: every study a reviewer has decided. A study is relevant to the
model when any reviewer (or the resolution, which wins) said include or maybe, so an
unresolved conflict counts as relevant: a team would rather see more like it. The ``seed``
studies count as relevant before anyone screens them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.errors import ConfigError, Problem
from prismake.screening.decisions import EXCLUDE, EXCLUDED_AUTOMATION, INCLUDE, MAYBE, PENDING
from prismake.screening.priority import PriorityModel, ScreeningPool, next_batch_size
from prismake.screening.stopping import StoppingCheck, check_stopping

log = logging.getLogger("prismake")

STAGE = "title_abstract"
MODEL_SEED = 0  # the fixed seed of the random start and of the SVM


@dataclass(frozen=True)
class Prioritise:
    """A stage's ``prioritise`` settings (config), with their defaults."""

    batch: int = 50
    seed: tuple[str, ...] = ()
    stop: bool = False
    target_recall: float = 0.95
    confidence: float = 0.95


def settings(screening: Mapping[str, Any], stage: str) -> Prioritise | None:
    """The stage's settings, or None when it is not prioritised."""
    stage_config = (screening.get("stages") or {}).get(stage) or {}
    if "prioritise" not in stage_config:
        return None
    raw = stage_config["prioritise"]
    if stage != STAGE:
        raise ConfigError(
            "config/config.yaml cannot be used",
            [
                Problem(
                    "config/config.yaml",
                    "prioritised screening is for title/abstract screening only",
                    column=f"screening.stages.{stage}.prioritise",
                    column_label="setting",
                    hint="Move 'prioritise' under screening.stages.title_abstract",
                )
            ],
        )
    raw = dict(raw or {})
    raw["seed"] = tuple(str(s) for s in raw.get("seed") or ())
    return Prioritise(**raw)


@dataclass(frozen=True)
class Progress:
    """Where a prioritised stage stands: for the run log and ``prismake status``."""

    screened: int
    relevant_found: int
    unscreened: int
    estimated_relevant_left: float
    stopping: StoppingCheck

    def sentence(self) -> str:
        return (
            f"prioritised screening: {self.screened} screened, {self.relevant_found} relevant "
            f"found, about {self.estimated_relevant_left:.0f} relevant estimated among the "
            f"{self.unscreened} not screened yet; {self.stopping.sentence()}"
        )


def _pool_ids(candidates: Sequence[str], reading) -> list[str]:
    return [s for s in candidates if s not in reading.removed]


def _seed_studies(chosen: Prioritise, index) -> list[str]:
    problems, found = [], []
    for typed in chosen.seed:
        study_id, _ = index.resolve(typed)
        if study_id is None:
            problems.append(
                Problem(
                    "config/config.yaml",
                    "a seed study is not among the studies",
                    column="screening.stages.title_abstract.prioritise.seed",
                    column_label="setting",
                    value=typed,
                    hint="Give study ids (S-...) or record ids from data/processed/studies.csv",
                )
            )
        else:
            found.append(study_id)
    if problems:
        raise ConfigError("config/config.yaml cannot be used", problems)
    return list(dict.fromkeys(found))


def model_labels(reading) -> dict[str, int]:
    """Study -> 1 (relevant) / 0 (irrelevant) from every decision typed so far."""
    said: dict[str, set[str]] = {}
    for entry in reading.entries:
        if entry.decision:
            said.setdefault(entry.study_id, set()).add(entry.decision)
    for study_id, entry in reading.resolutions.items():
        said[study_id] = {entry.decision}
    labels = {}
    for study_id, decisions in said.items():
        if decisions & {INCLUDE, MAYBE}:
            labels[study_id] = 1
        elif decisions <= {EXCLUDE}:
            labels[study_id] = 0
    return labels


def screening_order(reading) -> list[str]:
    """Studies in the order they were added to the sheets (their lowest row)."""
    first_row: dict[str, int] = {}
    for entry in reading.entries:
        first_row[entry.study_id] = min(entry.row, first_row.get(entry.study_id, entry.row))
    return sorted(first_row, key=lambda s: (first_row[s], s))


def _outstanding(reading) -> set[str]:
    """Studies in a sheet that still wait for a reviewer's decision."""
    return {e.study_id for e in reading.entries if not e.decision} - set(reading.resolutions)


def feature_cache(sheet_dir: str | Path, stage: str) -> Path | None:
    """Where a stage keeps its text features: data/processed/screening/<stage>/features.npz.

    Found from the sheets' folder (data/screening/<stage>); None for any other layout,
    so a caller with sheets elsewhere (a test, a script) writes nothing beside them.
    """
    folder = Path(sheet_dir).absolute()
    if [folder.name, folder.parent.name, folder.parents[1].name] != [stage, "screening", "data"]:
        return None
    return folder.parents[1] / "processed" / "screening" / stage / "features.npz"


def _pool(pool_ids: Sequence[str], index, cache: Path | None = None) -> ScreeningPool:
    rows = [index.rows[s] for s in pool_ids]
    return ScreeningPool(
        pool_ids,
        [r.get("title", "") for r in rows],
        [r.get("abstract", "") for r in rows],
        PriorityModel(),
        cache,
    )


def next_candidates(
    stage: str,
    index,
    candidates: Sequence[str],
    reading,
    screening: Mapping[str, Any],
    cache: Path | None = None,
) -> list[str]:
    """The candidates ``plan_sheets`` hands out: all of them when not prioritised.

    ``cache``: the file the text features are kept in between runs (``feature_cache``).
    """
    chosen = settings(screening, stage)
    if chosen is None:
        return list(candidates)
    pool_ids = _pool_ids(candidates, reading)
    listed = set(reading.listed())
    in_sheets = [s for s in candidates if s in listed or s in reading.removed]
    unlisted = [s for s in pool_ids if s not in listed]
    progress = stage_progress(stage, candidates, reading, screening)
    if progress is not None:
        log.info("%s", progress.sentence())
    if chosen.stop:
        log.info(
            "prioritised screening stopped by the team (stop: true): %d studies never screened "
            "are counted as excluded by automation tools",
            len(unlisted),
        )
        if progress is not None and not progress.stopping.met:
            log.warning(
                "screening was stopped before the stopping rule was met: the stated recall "
                "target is not supported by the test"
            )
        return in_sheets
    waiting = _outstanding(reading)
    if waiting or not unlisted:
        if waiting:
            log.info("%d studies in the sheets still wait for a decision", len(waiting))
        return in_sheets
    seeds = [s for s in _seed_studies(chosen, index) if s in set(unlisted)]
    labels = {s: v for s, v in model_labels(reading).items() if s in set(pool_ids)}
    labels.update(dict.fromkeys(_seed_studies(chosen, index), 1))
    labels = {s: v for s, v in labels.items() if s in set(pool_ids)}
    ranked = _pool(pool_ids, index, cache).rank(labels, MODEL_SEED)
    ranking = [s for s in ranked if s in set(unlisted)]
    size = next_batch_size(chosen.batch, labels)
    batch = (seeds + [s for s in ranking if s not in set(seeds)])[:size]
    log.info("next batch: %d studies, most likely relevant first", len(batch))
    return in_sheets + batch


def stage_progress(
    stage: str, candidates: Sequence[str], reading, screening: Mapping[str, Any]
) -> Progress | None:
    """Screened, relevant found, the estimate of relevant left, and the stopping rule."""
    chosen = settings(screening, stage)
    if chosen is None:
        return None
    pool_ids = _pool_ids(candidates, reading)
    pool_set = set(pool_ids)
    labels = model_labels(reading)
    order = [s for s in screening_order(reading) if s in labels and s in pool_set]
    screened = [labels[s] for s in order]
    unscreened = len(pool_ids) - len(screened)
    # The last batch screened was what the model ranked highest at the time: its share of
    # relevant records, applied to all that is left, overestimates what is left.
    recent = screened[-chosen.batch :]
    rate = sum(recent) / len(recent) if recent else 0.0
    return Progress(
        screened=len(screened),
        relevant_found=sum(screened),
        unscreened=unscreened,
        estimated_relevant_left=rate * unscreened,
        stopping=check_stopping(
            screened, max(len(pool_ids), 1), chosen.target_recall, chosen.confidence
        ),
    )


def automation_excluded(stage: str, candidates: Sequence[str], reading, screening) -> set[str]:
    """Studies never screened because the team stopped: excluded by automation tools."""
    chosen = settings(screening, stage)
    if chosen is None or not chosen.stop:
        return set()
    listed = set(reading.listed())
    return {s for s in _pool_ids(candidates, reading) if s not in listed}


def mark_automation_excluded(
    decisions: pd.DataFrame, stage: str, candidates: Sequence[str], reading, screening
) -> None:
    """Turn the pending rows of never-screened studies into automation exclusions (in place)."""
    excluded = automation_excluded(stage, candidates, reading, screening)
    if not excluded:
        return
    progress = stage_progress(stage, candidates, reading, screening)
    check = progress.stopping
    verdict = "met" if check.met else "not met"
    rows = decisions["study_id"].isin(excluded) & (decisions["decision"] == PENDING)
    decisions.loc[rows, "decision"] = EXCLUDED_AUTOMATION
    decisions.loc[rows, "reason"] = f"stopping rule {verdict}, p = {check.p_value:.3f}"
    decisions.loc[rows, "basis"] = "automation"
    decisions.loc[rows, "note"] = "never screened: the team stopped prioritised screening"
