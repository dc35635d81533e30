"""The deduplication engine: records -> candidate pairs -> scored pairs -> studies.

Used by the Snakemake rule (prismake.dedupe.dedupe_review), by ``prismake dedupe`` and by
the benchmark, so all three group records the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prismake.dedupe.blocking import candidate_pairs
from prismake.dedupe.clusters import Grouping, VerdictConflict, group_records
from prismake.dedupe.normalise import (
    MatchTable,
    concat_tables,
    drop_container_dois,
    match_table,
)
from prismake.dedupe.scoring import DUPLICATE, ScoredPairs, score_pairs
from prismake.dedupe.verdicts import Verdicts
from prismake.dedupe.vetoes import pair_vetoes
from prismake.errors import Problem, SheetError
from prismake.ids import choose_anchor, study_alias
from prismake.progress import Progress

log = logging.getLogger("prismake")
CHUNK = 20_000  # records per step of the matching-keys progress


@dataclass
class DedupeResult:
    """What the engine found: a study id per record and every scored pair."""

    table: MatchTable
    pairs: ScoredPairs
    grouping: Grouping
    study_ids: np.ndarray  # per record position
    n_candidates: int


def find_studies(
    records: pd.DataFrame,
    search_order: Mapping[str, int],
    settings: Mapping[str, float] | None = None,
    verdicts: Verdicts | None = None,
    verdicts_file: str = "data/screening/duplicates.csv",
) -> DedupeResult:
    """Group ``records`` (one row per record, record_id unique) into studies."""
    settings = dict(settings or {})
    maybe = float(settings.get("maybe_threshold", 0.8))
    duplicate = float(settings.get("duplicate_threshold", 0.93))
    verdicts = verdicts or Verdicts()
    started = time.perf_counter()
    n = len(records)
    big = n >= 100_000
    with Progress("dedupe: matching keys", total=n) if big else _Quiet() as progress:
        chunks = []
        for start in range(0, max(n, 1), CHUNK):
            chunks.append(match_table(records.iloc[start : start + CHUNK]))
            progress.update(min(CHUNK, n - start))
        table = concat_tables(chunks) if len(chunks) > 1 else chunks[0]
    containers = drop_container_dois(table)
    if containers:
        log.info(
            "dedupe: %s carry a DOI shared by different items (ignored)",
            _count(containers, "record"),
        )
    pairs = candidate_pairs(table)
    log.info("dedupe: %s candidate pairs from %s records", f"{len(pairs):,}", f"{n:,}")
    with Progress("dedupe: scoring", total=len(pairs), unit="pairs") if big else _Quiet() as p:
        scored = score_pairs(table, pairs, maybe, duplicate)
        p.update(len(pairs))

    position = {rid: k for k, rid in enumerate(table.record_id)}
    dup = np.flatnonzero(scored.outcome == DUPLICATE)
    # strongest first; ties by record id, so the input order does not change the groups
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[np.argsort(table.record_id.astype(str), kind="stable")] = np.arange(n)
    lo = np.minimum(id_rank[scored.i[dup]], id_rank[scored.j[dup]])
    hi = np.maximum(id_rank[scored.i[dup]], id_rank[scored.j[dup]])
    strength = scored.strength if scored.strength is not None else scored.score
    order = dup[np.lexsort((hi, lo, -strength[dup], -scored.score[dup]))]
    decided = verdicts.decided()
    strongest = [
        (int(scored.i[k]), int(scored.j[k]))
        for k in order
        if frozenset((table.record_id[scored.i[k]], table.record_id[scored.j[k]])) not in decided
    ]
    same = [(position[a], position[b]) for a, b, _ in verdicts.same]
    different = [(position[a], position[b]) for a, b, _ in verdicts.different]
    try:
        # merges an identifier, the whole citation or the same text prove (not similarity)
        proven = frozenset(
            (int(scored.i[k]), int(scored.j[k])) for k in dup if scored.rule[k] != "similarity"
        )
        grouping = group_records(
            n, strongest, _known_vetoes(table, scored), same, different, proven
        )
    except VerdictConflict as clash:
        rows = {frozenset((a, b)): r for a, b, r in verdicts.same + verdicts.different}
        ids = table.record_id
        same_row = rows[frozenset((ids[clash.same[0]], ids[clash.same[1]]))]
        diff_pair = (ids[clash.different[0]], ids[clash.different[1]])
        raise SheetError(
            f"{verdicts_file} contradicts itself",
            [
                Problem(
                    verdicts_file,
                    f"'same' here joins {diff_pair[0]} and {diff_pair[1]}, which another row "
                    "marks 'different' (through a chain of 'same' verdicts)",
                    same_row,
                    "verdict",
                    hint="Mark one of the pairs in the chain 'different', or drop that row",
                )
            ],
        ) from None
    study_ids = _study_ids(table, grouping.labels, search_order)
    n_studies = len(set(study_ids))
    log.info(
        "dedupe: %s -> %s (%s removed) in %.1f s",
        _count(n, "record"),
        _count(n_studies, "study", "studies"),
        _count(n - n_studies, "duplicate"),
        time.perf_counter() - started,
    )
    return DedupeResult(table, scored, grouping, study_ids, len(pairs))


def _known_vetoes(table: MatchTable, scored: ScoredPairs):  # type: ignore[no-untyped-def]
    """The clustering's veto check, reusing the vetoes already found for scored pairs (and
    the pairs scored distinct).

    Merging two groups checks every pair across them, mostly pairs that were scored
    (a study's records are candidates of each other); pair_vetoes is symmetric, so a
    pair is looked up as (smaller, larger) position and only the others are computed.
    """
    n = max(len(table), 1)
    codes = scored.i.astype(np.int64) * n + scored.j.astype(np.int64)
    order = np.argsort(codes, kind="stable")
    # a pair scored below "duplicate" with a field that disagrees (other volume, pages,
    # year ...) is kept apart as a veto is: a record that lacks those fields (no volume, no
    # pages) must not join two reports by a chain; the refused merge goes to to_check.csv
    differs = scored.differs if scored.differs is not None else np.zeros(len(codes), bool)
    apart = (scored.outcome != DUPLICATE) & differs & (scored.veto == "")
    known = np.where(apart, "apart", scored.veto)
    codes, known = codes[order], known[order]

    def veto(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        wanted = lo * n + hi
        at = np.minimum(np.searchsorted(codes, wanted), max(len(codes) - 1, 0))
        found = (codes[at] == wanted) if len(codes) else np.zeros(len(wanted), dtype=bool)
        out = np.empty(len(wanted), dtype=object)
        out[found] = known[at[found]]
        if not found.all():
            out[~found] = pair_vetoes(table, lo[~found], hi[~found])
        return out

    return veto


def _study_ids(
    table: MatchTable, labels: np.ndarray, search_order: Mapping[str, int]
) -> np.ndarray:
    """Study id of every record: the alias of its group's anchor (prismake.ids)."""
    ids = table.record_id
    out = np.empty(len(ids), dtype=object)
    if len(ids) == 0:
        return out
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for s, e in zip(starts, ends, strict=True):
        members = order[s:e]
        if len(members) == 1:
            out[members[0]] = study_alias(ids[members[0]])
        else:
            out[members] = study_alias(choose_anchor(list(ids[members]), search_order))
    return out


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class _Quiet:
    """A stand-in for Progress on small inputs (no log lines)."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None
