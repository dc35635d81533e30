"""Prioritised screening in the pipeline: which unscreened studies a sheet gets next.

Opt-in per stage (title/abstract only) with ``screening.stages.title_abstract.prioritise``.
Two calls wire it in, so the sheet code stays as it is:

* ``next_candidates`` (from ``sync.plan_sheets``): the studies already in a sheet, plus,
  once every one of them has its decisions, the next ``batch`` unscreened studies, most
  likely relevant first (the ``seed`` studies before any other); with ``sample: true``
  instead, the random sample of the studies left that the stopping rule needs.
* ``automation_excluded`` (from ``stage.evaluate_stage``): when the team sets ``stop: true``,
  the studies never added to a sheet, which PRISMA counts as excluded by automation tools.

What the model learns from: every study a reviewer has decided. A study is relevant to the
model when any reviewer (or the resolution, which wins) said include or maybe, so an
unresolved conflict counts as relevant: a team would rather see more like it. The ``seed``
studies count as relevant until the reviewers decide them (then their decision counts).

Pipeline-owned files in data/processed/screening/<stage>/: ``features.npz`` (the text
features, rebuilt when the texts change), ``random_sample.csv`` (the sample's frame) and
``pool.csv`` (when each study joined the ranking: see ``joined_at``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from prismake.csvio import write_table
from prismake.errors import ConfigError, Problem
from prismake.screening.assign import reviewers_needed
from prismake.screening.decisions import EXCLUDE, EXCLUDED_AUTOMATION, INCLUDE, MAYBE, PENDING
from prismake.screening.kept import read_kept
from prismake.screening.priority import PriorityModel, ScreeningPool, next_batch_size
from prismake.screening.stopping import (
    StoppingCheck,
    check_stopping,
    most_relevant_left,
    p_random_sample,
    p_text,
    sample_size,
)

log = logging.getLogger("prismake")

STAGE = "title_abstract"
MODEL_SEED = 0  # the fixed seed of the random start, the SVM and the random sample
FEATURE_FILE = "features.npz"  # in data/processed/screening/<stage>/ (features.py)
SAMPLE_FILE = "random_sample.csv"  # the random sample's frame in draw order
POOL_FILE = "pool.csv"  # when each study joined the ranking (joined_at)
POOL_COLUMNS = ("study_id", "joined_at")
RANKS_FILE = "handed_out.csv"  # the rank each study was handed out with (keep_ranks)
RANKS_COLUMNS = ("study_id", "rank")
SAMPLE_COLUMNS = ("draw", "study_id")


@dataclass(frozen=True)
class Prioritise:
    """A stage's ``prioritise`` settings (config), with their defaults."""

    batch: int = 50
    seed: tuple[str, ...] = ()
    # true: the team stopped; a list of search rounds: those rounds stopped (a previous
    # version of the review), the later ones still ranked and screened
    stop: bool | tuple[int, ...] = False
    sample: bool = False
    target_recall: float = 0.95
    confidence: float = 0.95

    def stopped(self, search_round: int) -> bool:
        """Whether the team stopped screening the studies of this search round."""
        if isinstance(self.stop, tuple):
            return search_round in self.stop
        return bool(self.stop)


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
    if isinstance(raw.get("stop"), list):
        raw["stop"] = tuple(sorted({int(r) for r in raw["stop"]}))
    return Prioritise(**raw)


def round_of(index, study_id: str) -> int:
    """The search round that first found a study (1 without an index or a round)."""
    if index is None:
        return 1
    return int(index.rows.get(study_id, {}).get("round", "") or 1)


def _in_round(pool_ids: Sequence[str], index, search_round: int | None) -> list[str]:
    """The studies of one search round (default: the latest). The stopping rule is about
    the round being screened: an update's target recall is of its own records."""
    rounds = {s: round_of(index, s) for s in pool_ids}
    chosen = max(rounds.values(), default=1) if search_round is None else search_round
    return [s for s in pool_ids if rounds[s] == chosen]


@dataclass(frozen=True)
class RandomSample:
    """The random sample of the records left when the ranked phase ended (``sample: true``)."""

    frame: int  # studies unscreened when the ranked phase ended, drawn from in a fixed order
    drawn: int  # of them added to the sheets so far
    screened: int
    relevant: int
    needed: int  # sample size that meets the rule if no further relevant study is found
    p_value: float
    confidence: float

    @property
    def met(self) -> bool:
        return self.p_value < round(1 - self.confidence, 12)  # 1 - 0.95 is 0.05000000000000004

    def _p(self) -> str:
        return p_text(self.p_value, 1 - self.confidence, 4)

    @property
    def too_few_left(self) -> bool:
        """No sample needed: the studies left could not bring recall below the target."""
        return self.needed == 0 and self.screened == 0

    def sentence(self, provisional: bool = False) -> str:
        if not self.frame:
            return "random sample: none needed, every study was screened"
        if self.too_few_left:
            return (
                f"random sample: none needed, the {self.frame} studies left when ranking ended "
                "are too few to bring recall below the target"
            )
        head = (
            f"random sample: {self.screened} of the {self.frame} studies left when ranking "
            f"ended screened (drawn in a fixed-seed random order), {self.relevant} relevant; "
        )
        if self.met:
            met = (
                "would be met on it if the decisions so far stand"
                if provisional
                else "is met on it"
            )
            return head + f"the stopping rule {met} (p = {self._p()})"
        return head + (
            f"not met yet (p = {self._p()}): the sample must reach {self.needed} "
            f"studies ({self.needed - self.screened} more), all of them added to the sheets"
        )


@dataclass(frozen=True)
class Progress:
    """Where a prioritised stage stands: for the run log and ``prismake status``."""

    screened: int
    relevant_found: int
    unscreened: int
    # relevant studies the stopping rule's test cannot rule out among the unscreened: at
    # even odds, and at the rule's confidence (stopping.most_relevant_left)
    relevant_left_even_odds: int
    relevant_left_at_most: int
    stopping: StoppingCheck
    sample_needed: int = 0  # random sample of the unscreened that would make it certain
    sample: RandomSample | None = None
    search_round: int = 0  # the round these figures are about, when there are several
    # decided by one reviewer but waiting for the second (dual screening), and reviewers'
    # disagreements not resolved yet: counted as relevant when any reviewer included, so
    # the figures are provisional until they are settled
    awaiting_second: int = 0
    conflicts: int = 0

    @property
    def met(self) -> bool:
        """The rule's verdict: on the random sample once there is one; none while studies
        wait for a second decision or a conflict's resolution."""
        if self.awaiting_second or self.conflicts:
            return False
        return self.sample.met if self.sample is not None else self.stopping.met

    def _waiting(self, why: bool) -> str:
        """What a provisional verdict waits for (``why``: and why it matters)."""
        parts = []
        if n := self.awaiting_second:
            parts.append(
                f"{n} {'study waits' if n == 1 else 'studies wait'} for a second reviewer's "
                "decision"
                + (" (one reviewer's exclusion may still become an inclusion)" if why else "")
            )
        if c := self.conflicts:
            parts.append(
                f"{c} {'conflict waits' if c == 1 else 'conflicts wait'} for a resolution"
                + (" (counted as relevant until then)" if why else "")
            )
        return " and ".join(parts)

    def verdict(self) -> str:
        """For the decisions' ``reason`` and the methods paragraph."""
        if self.awaiting_second or self.conflicts:
            return f"stopping rule: no verdict while {self._waiting(why=False)}"
        if self.sample is None:
            verdict = "met" if self.stopping.met else "not met"
            alpha = 1 - self.stopping.confidence
            return f"stopping rule {verdict}, p = {p_text(self.stopping.p_value, alpha)}"
        if self.sample.too_few_left:
            return (
                f"stopping rule met: the {self.sample.frame} records left are too few to bring "
                "recall below the target"
            )
        verdict = "met" if self.sample.met else "not met"
        return (
            f"stopping rule {verdict} on a random sample of {self.sample.screened} of "
            f"{self.sample.frame}, p = {self.sample._p()}"
        )

    def sentence(self) -> str:
        scope = f" (search round {self.search_round})" if self.search_round else ""
        text = (
            f"prioritised screening{scope}: {self.screened} screened (decided by a reviewer, "
            f"conflicts too), {self.relevant_found} relevant found"
        )
        if self.screened and self.unscreened:  # with nothing screened, nothing is known
            found, most = self.relevant_found, self.relevant_left_at_most
            text += (
                f"; of the {self.unscreened} not screened yet, at most {most} relevant with "
                f"{self.stopping.confidence:.0%} confidence"
            )
            if found:
                text += f" (recall so far at least {found / (found + most):.0%})"
            text += f", at most {self.relevant_left_even_odds} at even odds"
        provisional = bool(self.awaiting_second or self.conflicts)
        text += f"; {self.stopping.sentence(provisional)}"
        if self.sample is not None:
            text += f"; {self.sample.sentence(provisional)}"
        if provisional:
            return f"{text}; provisional, no verdict yet: {self._waiting(why=True)}"
        if self.sample is not None:
            return text
        if self.unscreened and not self.sample_needed:
            text += (
                f"; random sample: none needed, the {self.unscreened} not screened are too few "
                "to bring recall below the target"
            )
        elif self.unscreened:
            text += (
                (
                    "; to make it exact rather than assumed"
                    if self.stopping.met
                    else "; or, to know where recall stands"
                )
                + ", screen a random sample of "
                f"{self.sample_needed} of the {self.unscreened} not screened "
                "(set sample: true: the sheets get them, "
                "drawn with a fixed seed)"
            )
        return text


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


def recorded_ranks(stage: str, reading) -> dict[str, int]:
    """Study -> the rank prismake handed it out with, from its own record (``keep_ranks``);
    empty where there is none (another layout, a review from before it was kept)."""
    folder = processed_dir(stage, reading)
    path = folder / RANKS_FILE if folder is not None else None
    if path is None or not path.is_file():
        return {}
    # read several times a run (the plan, the batch, the order, the record): once per version
    status = path.stat()
    version = (str(path), status.st_mtime_ns, status.st_size)
    if version not in _RANKS_READ:
        kept = read_kept(path, RANKS_COLUMNS, "study_id", ["rank"])
        ranks = {}
        if kept is not None:
            ranks = dict(zip(kept["study_id"], kept["rank"].astype(int), strict=True))
        _RANKS_READ.clear()
        _RANKS_READ[version] = ranks
    # under the studies' ids today (Reading.current): a study renamed keeps its rank
    out: dict[str, int] = {}
    for study_id, rank in _RANKS_READ[version].items():
        now = reading.current(study_id)
        out[now] = min(rank, out.get(now, rank))
    return out


_RANKS_READ: dict[tuple[str, int, int], dict[str, int]] = {}


def keep_ranks(stage: str, reading, ranks: Mapping[str, int]) -> None:
    """Add the ranks handed out now to data/processed/screening/<stage>/handed_out.csv.

    The sheets' `rank` cells are the reviewers' to edit, delete or sort away; the stopping
    rule reads the order from this record, which only prismake writes. A rank once kept
    never changes."""
    folder = processed_dir(stage, reading)
    if folder is None:
        return
    kept = recorded_ranks(stage, reading)
    merged = {**ranks, **kept}
    if not kept and reading.listed() and not (folder / RANKS_FILE).is_file():
        # a review that began before the record was kept, or the file was deleted
        log.warning(
            "%s not found: the order studies were handed out in is taken from the sheets' "
            "rank cells as they are now (if any was edited, copy the sheets' rank column "
            "back from their oldest backups first) and kept from here on",
            folder / RANKS_FILE,
        )
    if merged != kept:
        table = pd.DataFrame({"study_id": list(merged), "rank": list(merged.values())})
        table = table.sort_values(["rank", "study_id"], kind="stable")
        write_table(table, folder / RANKS_FILE, RANKS_COLUMNS)
        _RANKS_READ.clear()  # (a file system may keep coarse times: never trust the old read)


def screening_order(reading, stage: str | None = None) -> list[str]:
    """Studies in the order they were handed out: by prismake's record of it
    (``keep_ranks``), else by their `rank` cells, which move with their rows when a
    reviewer sorts a sheet (sorted by decision, the rows would tell the stopping rule that
    every relevant study came first). By their lowest row where any study has neither:
    sheets made before the column existed, or a rank typed over.
    """
    first_row: dict[str, int] = {}
    for entry in reading.entries:
        first_row[entry.study_id] = min(entry.row, first_row.get(entry.study_id, entry.row))
    rank = reading.ranks()
    recorded = recorded_ranks(stage, reading) if stage else {}
    if recorded:
        differ = sorted(s for s in first_row if s in recorded and rank.get(s) != recorded[s])
        if differ:
            log.warning(
                "%d %s in the sheets %s a rank cell that is empty or not the one prismake "
                "handed %s out with (e.g. %s): the stopping rule uses prismake's record of "
                "the order (data/processed/screening/%s/%s)",
                len(differ),
                "study" if len(differ) == 1 else "studies",
                "has" if len(differ) == 1 else "have",
                "it" if len(differ) == 1 else "them",
                ", ".join(differ[:3]),
                stage,
                RANKS_FILE,
            )
        rank = {**rank, **{s: r for s, r in recorded.items() if s in first_row}}
    if len(rank) == len(first_row):
        return sorted(first_row, key=lambda s: (rank[s], s))
    if rank:
        unranked: dict[str, int] = {}
        for entry in reading.entries:
            if entry.study_id not in rank:
                name = Path(entry.sheet).name
                unranked[name] = unranked.get(name, 0) + 1
        missing = len(first_row) - len(rank)
        log.warning(
            "%s in the sheets %s no rank (the column prismake fills with the order "
            "it handed them out in; rows without one: %s): the stopping rule reads that order "
            "from the rows, which is wrong if a sheet was sorted. If the column was deleted "
            "or a rank typed over, copy it back from the newest backup in "
            "data/processed/backups",
            f"{missing} study" if missing == 1 else f"{missing} studies",
            "has" if missing == 1 else "have",
            ", ".join(f"{name} {n}" for name, n in sorted(unranked.items())),
        )
    elif first_row:
        log.info(
            "the sheets have no rank column (made before prismake wrote one, or deleted): the "
            "stopping rule reads the order studies were handed out in from the rows, so do "
            "not sort these sheets"
        )
    return sorted(first_row, key=lambda s: (first_row[s], s))


def _outstanding(reading, stage_config: Mapping[str, Any]) -> set[str]:
    """Studies in the sheets with fewer decisions by the stage's reviewers (and former
    ones) than its mode needs (one, or two in dual screening and split's double share),
    and no resolution.

    Counting decisions, not empty cells: a reviewer's sheet that was deleted (written
    again this run) leaves a study waiting, and a row no longer needed (a study added to
    a second sheet in dual mode, then the team went back to split) does not."""
    counted = set(stage_config.get("reviewers") or []) | reading.former
    decided: dict[str, set[str]] = {}
    for entry in reading.entries:
        decided.setdefault(entry.study_id, set())
        if entry.decision and entry.reviewer in counted:
            decided[entry.study_id].add(entry.reviewer)
    dealt = reading.dealt_as()  # the id each study was dealt under (Reading.dealt_as)
    waiting = {
        s for s, who in decided.items() if len(who) < reviewers_needed(dealt[s], stage_config)
    }
    return waiting - set(reading.resolutions) - set(reading.removed)


def unresolved_conflicts(reading) -> set[str]:
    """Studies whose reviewers typed different decisions, with no resolution yet."""
    said: dict[str, set[str]] = {}
    for entry in reading.entries:
        if entry.decision:
            said.setdefault(entry.study_id, set()).add(entry.decision)
    return {s for s, d in said.items() if len(d) > 1} - set(reading.resolutions)


def joined_at(stage: str, reading, pool_ids: Sequence[str]) -> dict[str, int]:
    """Study -> how many studies had been handed out when it joined the ranking.

    A search added after screening began (a top-up, an update) brings studies that no
    earlier batch was ranked with: the stopping rule may not take the screening before
    they joined as evidence about them, and a stop may not exclude them before any batch
    was ranked with them. Kept in data/processed/screening/<stage>/pool.csv (``keep``:
    the runs that hand out studies write it). Without that file, studies not yet in a
    sheet count as joining now (for a new review: all of them, at 0).
    """
    folder = processed_dir(stage, reading)
    path = folder / POOL_FILE if folder is not None else None
    known: dict[str, int] = {}
    listed = reading.listed()
    kept = (
        read_kept(path, POOL_COLUMNS, "study_id", ["joined_at"], reading.current)
        if path is not None
        else None
    )
    if path is None:  # another layout (a script): nothing kept, all there from the start
        joined = dict.fromkeys(pool_ids, 0)
    elif kept is None:
        # A new review has handed out nothing yet. Otherwise the file was deleted (or the
        # review began before prismake kept it): when the studies not handed out joined
        # is unknown, so they count as joining now, which only makes the rule stricter.
        if listed and not path.is_file():  # (a copy set aside has been named)
            log.warning(
                "%s not found (deleted, or made before prismake kept it): the studies not "
                "in the sheets count as added now, so the stopping rule counts only the "
                "screening from the next batch on",
                path,
            )
        joined = {s: 0 if s in listed else len(listed) for s in pool_ids}
    else:
        known = dict(zip(kept["study_id"], kept["joined_at"].astype(int), strict=True))
        joined = {s: known.get(s, len(listed)) for s in pool_ids}
    return joined


def keep_pool(stage: str, reading, joined: Mapping[str, int]) -> None:
    """Write ``joined`` to pool.csv when it differs from what the file holds."""
    folder = processed_dir(stage, reading)
    if folder is None:
        return
    path = folder / POOL_FILE
    kept = read_kept(path, POOL_COLUMNS, "study_id", ["joined_at"])
    known = (
        {}
        if kept is None
        else dict(zip(kept["study_id"], kept["joined_at"].astype(int), strict=True))
    )
    if dict(joined) != known:
        table = pd.DataFrame({"study_id": list(joined), "joined_at": list(joined.values())})
        write_table(table.sort_values("study_id", kind="stable"), path, POOL_COLUMNS)


def processed_dir(stage: str, reading) -> Path | None:
    """data/processed/screening/<stage>, found from the sheets' folder (data/screening/<stage>).

    The folder is known before its first sheet exists (a new review's first run keeps the
    features too). None for another layout (a test, a script), so nothing is written
    beside sheets kept elsewhere.
    """
    folder = reading.folder
    if folder is None and reading.sheets:
        folder = Path(next(iter(reading.sheets.values())).path).parent
    if folder is None:
        return None
    folder = Path(folder).absolute()
    if [folder.name, folder.parent.name, folder.parent.parent.name] != [stage, "screening", "data"]:
        return None
    return folder.parent.parent / "processed" / "screening" / stage


def _frame(stage: str, reading, pool_ids: Sequence[str], create: bool) -> list[str]:
    """The random sample's frame, in draw order: the studies unscreened when ranking ended.

    Kept in data/processed/screening/<stage>/random_sample.csv from the first run with
    ``sample: true`` on, so later runs draw on from the same order. A kept frame whose
    studies in the sheets are not its first draws (the team ranked more after turning
    ``sample`` off), or that leaves out studies nobody has screened (an update search
    added them), is drawn again from what is unscreened now: the studies screened since
    count as ranked, which only makes the test stricter, and every unscreened study can
    be drawn.
    """
    listed = set(reading.listed())
    pool = set(pool_ids)
    folder = processed_dir(stage, reading)
    path = folder / SAMPLE_FILE if folder is not None else None
    table = (
        read_kept(path, SAMPLE_COLUMNS, "study_id", ["draw"], reading.current)
        if path is not None
        else None
    )
    if table is not None:
        kept = [s for s in table["study_id"] if s in pool]
        drawn = [s in listed for s in kept]
        new = pool - listed - set(kept)
        if drawn == sorted(drawn, reverse=True) and not new:
            return kept
        if new:
            log.info(
                "%s: %d studies not screened are new since it was drawn; drawn again",
                path,
                len(new),
            )
        else:
            log.info("%s: studies were screened after it was drawn; drawn again", path)
    unlisted = sorted(s for s in pool_ids if s not in listed)
    order = np.random.default_rng(MODEL_SEED).permutation(len(unlisted))
    frame = [unlisted[i] for i in order]
    if create and path is not None:
        table = pd.DataFrame({"draw": range(1, len(frame) + 1), "study_id": frame})
        write_table(table, path, SAMPLE_COLUMNS)
        log.info("%s: random sample of the %d studies left drawn", path, len(frame))
    return frame


def _pool(pool_ids: Sequence[str], index, cache: Path | None) -> ScreeningPool:
    rows = [index.rows[s] for s in pool_ids]
    return ScreeningPool(
        pool_ids,
        [r.get("title", "") for r in rows],
        [r.get("abstract", "") for r in rows],
        PriorityModel(),
        cache,
    )


def next_candidates(
    stage: str, index, candidates: Sequence[str], reading, screening: Mapping[str, Any]
) -> list[str]:
    """The candidates ``plan_sheets`` hands out: all of them when not prioritised."""
    chosen = settings(screening, stage)
    if chosen is None:
        return list(candidates)
    pool_ids = _pool_ids(candidates, reading)
    # kept (pool.csv) only once the stop is checked: a run the check refuses leaves the
    # file as it found it
    joined = joined_at(stage, reading, pool_ids)
    listed = set(reading.listed())
    # in the order handed out, so that a sheet written again lists its studies as before
    recorded = recorded_ranks(stage, reading)
    ranks = {**reading.ranks(), **recorded}
    in_sheets = sorted(
        (s for s in candidates if s in listed or s in reading.removed),
        key=lambda s: ranks.get(s, len(candidates) + 1),
    )
    unlisted = [s for s in pool_ids if s not in listed]
    # handed out before, in no sheet now (their rows deleted): back to the sheets with
    # their rank, not into the ranking or, after a stop, among the never screened
    back = sorted((s for s in unlisted if s in recorded), key=lambda s: (recorded[s], s))
    if back:
        log.warning(
            "%d %s handed out before %s in no sheet now (rows or a sheet deleted): added back, "
            "undecided, with %s rank%s (%s%s); no new batch until %s decided",
            len(back),
            "study" if len(back) == 1 else "studies",
            "is" if len(back) == 1 else "are",
            "its" if len(back) == 1 else "their",
            "" if len(back) == 1 else "s",
            ", ".join(back[:5]),
            ", ..." if len(back) > 5 else "",
            "it is" if len(back) == 1 else "they are",
        )
        in_sheets += back
        returned = set(back)
        unlisted = [s for s in unlisted if s not in returned]
    progress = stage_progress(stage, candidates, reading, screening, index, joined=joined)
    if progress is not None:
        log.info("%s", progress.sentence())
    stopped = [s for s in unlisted if chosen.stopped(round_of(index, s))]
    if chosen.stop:
        _check_stop_covers(stage, pool_ids, reading, index, chosen)
        _check_stop_ranked(
            stage,
            chosen,
            [s for s in stopped if joined[s] >= len(listed)],
            pool_file_missing=_pool_file_missing(stage, reading),
            renamed=bool(index.refound),
        )
        log.info(
            "prioritised screening stopped by the team (stop: %s): %d studies never screened "
            "are counted as excluded by automation tools",
            "true" if chosen.stop is True else list(chosen.stop),
            len(stopped),
        )
        if chosen.stop is True and progress is not None and not progress.met:
            log.warning(
                "screening was stopped before the stopping rule was met: the stated recall "
                "target is not supported by the test"
            )
    keep_pool(stage, reading, joined)
    # (sets made once: a membership test against a set built per item is quadratic)
    stopped_set, in_pool = set(stopped), set(pool_ids)
    unlisted = [s for s in unlisted if s not in stopped_set]
    waiting = _outstanding(reading, screening["stages"][stage])
    if waiting or back or not unlisted:
        if waiting:
            log.info("%d studies in the sheets still wait for a decision", len(waiting))
        return in_sheets
    if chosen.sample:
        scope = [s for s in _in_round(pool_ids, index, None) if s not in stopped_set]
        open_conflicts = unresolved_conflicts(reading) & set(scope)
        if open_conflicts:
            # how large the sample must be depends on how many are relevant: drawn on a
            # conflict counted as relevant, it could be far larger than needed
            log.info(
                "random sample: no more studies drawn until the %d %s in conflict %s "
                "resolved (data/screening/%s/resolutions.csv)",
                len(open_conflicts),
                "study" if len(open_conflicts) == 1 else "studies",
                "is" if len(open_conflicts) == 1 else "are",
                stage,
            )
            return in_sheets
        return in_sheets + _next_draws(stage, reading, scope, chosen)
    to_hand_out = set(unlisted)
    seeds = [s for s in _seed_studies(chosen, index) if s in to_hand_out]
    labels = {s: v for s, v in model_labels(reading).items() if s in in_pool}
    # a seed study counts as relevant until the reviewers decide it: their decision wins
    labels.update({s: 1 for s in _seed_studies(chosen, index) if s not in labels})
    labels = {s: v for s, v in labels.items() if s in in_pool}
    folder = processed_dir(stage, reading)
    cache = folder / FEATURE_FILE if folder is not None else None
    ranked = _pool(pool_ids, index, cache).rank(labels, MODEL_SEED)
    ranking = [s for s in ranked if s in to_hand_out]
    size = next_batch_size(chosen.batch, labels, PriorityModel().growth)
    first = set(seeds)
    batch = (seeds + [s for s in ranking if s not in first])[:size]
    if any(labels.values()):
        log.info("next batch: %d studies, most likely relevant first", len(batch))
    else:
        log.info(
            "next batch: %d studies in a fixed-seed random order (no relevant study known "
            "yet: give a seed, or include one)",
            len(batch),
        )
    return in_sheets + batch


def stage_progress(
    stage: str,
    candidates: Sequence[str],
    reading,
    screening: Mapping[str, Any],
    index=None,
    search_round: int | None = None,
    joined: Mapping[str, int] | None = None,
) -> Progress | None:
    """Screened, relevant found, how many relevant may be left, and the stopping rule, for
    the studies of one search round (default: the latest; all of them without ``index``).
    ``joined``: ``joined_at`` when the caller has it."""
    chosen = settings(screening, stage)
    if chosen is None:
        return None
    everything = _pool_ids(candidates, reading)
    pool_ids = _in_round(everything, index, search_round)
    pool_set = set(pool_ids)
    labels = model_labels(reading)
    handed_out = screening_order(reading, stage)
    order = [s for s in handed_out if s in labels and s in pool_set]
    screened = [labels[s] for s in order]
    unscreened = len(pool_ids) - len(screened)
    found = sum(screened)
    n_records = max(len(pool_ids), 1)
    # only the screening since the last unscreened study joined the ranking is evidence
    # about the studies left (joined_at)
    if joined is None:
        joined = joined_at(stage, reading, pool_ids)
    latest = max((joined[s] for s in pool_ids if s not in labels), default=0)
    before = set(handed_out[:latest])
    since = sum(1 for s in order if s in before)
    if since and search_round is None:  # said of the round being screened only
        log.info(
            "the stopping rule counts the %d studies screened since studies were last added "
            "to the ranking (an added search), not the %d screened before",
            len(screened) - since,
            since,
        )
    confidence = chosen.confidence
    partly = _outstanding(reading, screening["stages"][stage]) & set(labels) & pool_set
    return Progress(
        awaiting_second=len(partly),
        conflicts=len(unresolved_conflicts(reading) & pool_set),
        screened=len(screened),
        relevant_found=found,
        unscreened=unscreened,
        relevant_left_even_odds=most_relevant_left(screened[since:], n_records - since, 0.5),
        relevant_left_at_most=most_relevant_left(screened[since:], n_records - since, confidence),
        stopping=check_stopping(
            screened, n_records, chosen.target_recall, chosen.confidence, since=since
        ),
        sample_needed=sample_size(found, 0, unscreened, chosen.target_recall, chosen.confidence),
        sample=_sample_state(stage, reading, pool_ids, labels, chosen) if chosen.sample else None,
        search_round=round_of(index, pool_ids[0]) if 0 < len(pool_ids) < len(everything) else 0,
    )


def _sample_state(stage, reading, pool_ids, labels, chosen: Prioritise) -> RandomSample:
    frame = _frame(stage, reading, pool_ids, create=False)
    in_frame = set(frame)
    listed = set(reading.listed())
    in_pool = set(pool_ids)
    found_ranked = sum(v for s, v in labels.items() if s in in_pool and s not in in_frame)
    drawn = [s for s in frame if s in listed]
    decided = [labels[s] for s in drawn if s in labels]
    target, confidence = chosen.target_recall, chosen.confidence
    return RandomSample(
        frame=len(frame),
        drawn=len(drawn),
        screened=len(decided),
        relevant=sum(decided),
        needed=sample_size(found_ranked, sum(decided), len(frame), target, confidence),
        p_value=p_random_sample(found_ranked, decided, max(len(frame), 1), target)
        if frame
        else 0.0,
        confidence=confidence,
    )


def _next_draws(stage: str, reading, pool_ids: Sequence[str], chosen: Prioritise) -> list[str]:
    """The studies of the random sample the sheets get now (all it needs, in draw order)."""
    frame = _frame(stage, reading, pool_ids, create=True)
    state = _sample_state(stage, reading, pool_ids, model_labels(reading), chosen)
    listed = set(reading.listed())
    undrawn = [s for s in frame if s not in listed]
    draws = undrawn[: max(0, state.needed - state.drawn)]
    if draws:
        log.info(
            "random sample: %d studies of the %d left when ranking ended added, in a "
            "fixed-seed random order; the sample must reach %d",
            len(draws),
            state.frame,
            state.needed,
        )
    return draws


def _check_stop_covers(stage: str, pool_ids: Sequence[str], reading, index, chosen) -> None:
    """Stop with an error when ``stop`` would exclude a search round nobody saw.

    The stop stands on what the team ranked and screened (and on the random sample): a
    round none of whose studies was ever in a sheet or in the sample, usually an update
    search added after the stop, has no test behind it, and excluding all of it by
    automation would hide it in the PRISMA counts.
    """
    reached = set(reading.listed()) | set(reading.removed)
    folder = processed_dir(stage, reading)
    path = folder / SAMPLE_FILE if folder is not None else None
    table = (
        read_kept(path, SAMPLE_COLUMNS, "study_id", ["draw"], reading.current)
        if path is not None
        else None
    )
    if table is not None:
        reached |= set(table["study_id"])
    by_round: dict[int, list[str]] = {}
    for study_id in pool_ids:
        by_round.setdefault(round_of(index, study_id), []).append(study_id)
    problems = []
    for value, members in sorted(by_round.items()):
        if not chosen.stopped(value) or reached.intersection(members):
            continue
        earlier = [r for r in sorted(by_round) if r < value]
        problems.append(
            Problem(
                "config/config.yaml",
                f"stop would count all {len(members)} studies of search round {value} as "
                "excluded by automation tools, but none of them was ever ranked or screened",
                column=f"screening.stages.{stage}.prioritise.stop",
                column_label="setting",
                value="true" if chosen.stop is True else str(list(chosen.stop)),
                hint=(
                    f"If round {value} updates a finished review, set stop: {earlier}: the "
                    "never-screened studies of the earlier rounds stay excluded (as "
                    f"published) while round {value}'s are ranked and screened"
                    if earlier
                    else "Set stop: false and rerun to rank them with the studies left"
                )
                + "; then set stop: true again when `prismake status` says the stopping rule "
                "is met",
            )
        )
    if problems:
        raise ConfigError("config/config.yaml cannot be used", problems)


def _pool_file_missing(stage: str, reading) -> bool:
    """pool.csv should be there (studies are in the sheets) but is missing or set aside."""
    folder = processed_dir(stage, reading)
    if folder is None or not reading.listed():
        return False
    path = folder / POOL_FILE
    return read_kept(path, POOL_COLUMNS, "study_id", ["joined_at"]) is None


def _check_stop_ranked(
    stage: str,
    chosen: Prioritise,
    never_ranked: Sequence[str],
    pool_file_missing: bool = False,
    renamed: bool = False,
) -> None:
    """Stop with an error when ``stop: true`` would exclude studies no batch was ranked
    with: they joined (an added search) after the last batch was handed out. ``renamed``:
    studies in the sheets have new ids this run (StudyIndex.found_again), so those never
    handed out may be the same studies under new ids, which no record can tell."""
    if not never_ranked:
        return
    if pool_file_missing:
        # without the record, every study not in a sheet counts as just added
        raise ConfigError(
            "The stop cannot be checked",
            [
                Problem(
                    f"data/processed/screening/{stage}/{POOL_FILE}",
                    "missing, or set aside (a git merge left in it): prismake cannot tell "
                    "whether the studies never screened were there when the last batch was "
                    "ranked, so it cannot count them as excluded by automation",
                    hint="Put it back as it was (in git: git checkout HEAD -- the file, or "
                    "the side of whoever ran the pipeline last), then run snakemake again",
                )
            ],
        )
    hint = (
        "Set stop: false and rerun: they are ranked with the studies left and come in "
        "batches; set stop: true again when `prismake status` says the stopping rule is met"
    )
    if renamed:
        hint = (
            "Studies in the sheets have new ids this run (see the warnings above): if a "
            "search was renamed or taken out, put it back as it was and rerun, so that the "
            "studies never screened keep the ids the ranking knows them by. Otherwise: "
            + hint[0].lower()
            + hint[1:]
        )
    problem = Problem(
        "config/config.yaml",
        f"stop would count {len(never_ranked)} studies added since the last batch (an "
        "added search, or studies given new ids) as excluded by automation tools, but no "
        "batch was ever ranked with them: "
        f"{', '.join(never_ranked[:5])}{', ...' if len(never_ranked) > 5 else ''}",
        column=f"screening.stages.{stage}.prioritise.stop",
        column_label="setting",
        value="true" if chosen.stop is True else str(list(chosen.stop)),
        hint=hint,
    )
    raise ConfigError("config/config.yaml cannot be used", [problem])


def automation_excluded(
    stage: str, candidates: Sequence[str], reading, screening, index=None
) -> set[str]:
    """Studies never screened because the team stopped: excluded by automation tools."""
    chosen = settings(screening, stage)
    if chosen is None or not chosen.stop:
        return set()
    # handed out before (in prismake's record) is not "never screened": rows deleted from
    # every sheet go back to them in the same run
    listed = set(reading.listed()) | set(recorded_ranks(stage, reading))
    return {
        s
        for s in _pool_ids(candidates, reading)
        if s not in listed and chosen.stopped(round_of(index, s))
    }


def mark_automation_excluded(
    decisions: pd.DataFrame,
    stage: str,
    candidates: Sequence[str],
    reading,
    screening,
    index=None,
) -> None:
    """Turn the pending rows of never-screened studies into automation exclusions (in
    place), each with the stopping rule's verdict on its own search round."""
    excluded = automation_excluded(stage, candidates, reading, screening, index)
    by_round: dict[int, set[str]] = {}
    for study_id in excluded:
        by_round.setdefault(round_of(index, study_id), set()).add(study_id)
    for search_round, studies in sorted(by_round.items()):
        progress = stage_progress(stage, candidates, reading, screening, index, search_round)
        rows = decisions["study_id"].isin(studies) & (decisions["decision"] == PENDING)
        decisions.loc[rows, "decision"] = EXCLUDED_AUTOMATION
        decisions.loc[rows, "reason"] = progress.verdict()
        decisions.loc[rows, "basis"] = "automation"
        decisions.loc[rows, "note"] = "never screened: the team stopped prioritised screening"
