"""The dedupe stage's tables: records with study ids, studies, merges, pairs to check,
PRISMA counts per search and database overlap. All sorted, so re-runs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from prismake.dedupe.engine import DedupeResult
from prismake.dedupe.reasons import KEPT_APART, veto_detail
from prismake.dedupe.scoring import DUPLICATE, MAYBE
from prismake.dedupe.vetoes import VETO_REASONS
from prismake.records import MULTI_SEPARATOR, RECORD_COLUMNS

STUDY_COLUMNS = (
    "study_id",
    "title",
    "authors",
    "authors_norm",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "abstract",
    "keywords",
    "url",
    "type",
    "language",
    "n_records",
    "record_ids",
    "former_record_ids",  # ids its records had under the previous id rule (typed ids)
    "searches",
    "databases",
    "sources",
    "round",
)
_BIB_FIELDS = STUDY_COLUMNS[1:15]
MERGE_COLUMNS = ("record_id_a", "record_id_b", "score", "rule", "evidence")
_SIDE_BY_SIDE = ("search", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi")
TO_CHECK_COLUMNS = (
    "record_id_a",
    "record_id_b",
    "score",
    "reason",
    *[f"{name}_{side}" for name in _SIDE_BY_SIDE for side in ("a", "b")],
    "verdict",
    "note",
)
COUNT_COLUMNS = (
    "search",
    "database",
    "source",
    "round",
    "records_identified",
    "duplicates_removed",
    "studies_first_found",
)
OVERLAP_COLUMNS = ("database_a", "database_b", "shared_studies")
SOURCES = ("database", "register", "other")


def records_with_studies(records: pd.DataFrame, result: DedupeResult) -> pd.DataFrame:
    """Every record (RECORD_COLUMNS, input order) with its study_id."""
    out = records.reindex(columns=list(RECORD_COLUMNS)).copy()
    out["study_id"] = result.study_ids
    return out


def studies_table(
    records: pd.DataFrame, result: DedupeResult, searches: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """One row per study: the most complete member record, gaps filled from the others.

    Members are ranked by filled bibliographic fields, then abstract length, then search
    order and record id, so the choice is the same on every run.
    """
    order = {s["name"]: k for k, s in enumerate(searches)}
    info = {s["name"]: s for s in searches}
    columns = {
        name: (records[name].fillna("").astype(str).tolist() if name in records else None)
        for name in dict.fromkeys([*RECORD_COLUMNS, *_BIB_FIELDS])
    }
    n = len(records)
    blank = [""] * n
    fields = {name: columns[name] or blank for name in _BIB_FIELDS}
    record_ids = columns["record_id"] or blank
    former = columns["former_ids"] or blank
    search = columns["search"] or blank
    database = columns["database"] or blank
    study = [str(s) for s in result.study_ids]
    filled = [sum(1 for name in _BIB_FIELDS if fields[name][k]) for k in range(n)]
    rank = [order.get(search[k], len(order)) for k in range(n)]
    best_first = sorted(
        range(n),
        key=lambda k: (study[k], -filled[k], -len(fields["abstract"][k]), rank[k], record_ids[k]),
    )
    rows = []
    start = 0
    while start < n:
        stop = start
        while stop < n and study[best_first[stop]] == study[best_first[start]]:
            stop += 1
        members = best_first[start:stop]
        row: dict[str, Any] = {"study_id": study[members[0]]}
        for name in _BIB_FIELDS:
            values = fields[name]
            row[name] = next((values[k] for k in members if values[k]), "")
        by_rank = sorted(members, key=lambda k: (rank[k], record_ids[k]))
        member_searches = list(dict.fromkeys(search[k] for k in by_rank))
        row["n_records"] = len(members)
        row["record_ids"] = MULTI_SEPARATOR.join(record_ids[k] for k in by_rank)
        row["former_record_ids"] = MULTI_SEPARATOR.join(former[k] for k in by_rank if former[k])
        row["searches"] = MULTI_SEPARATOR.join(member_searches)
        databases = [
            str(info.get(search[k], {}).get("database", "") or database[k]) for k in by_rank
        ]
        row["databases"] = MULTI_SEPARATOR.join(dict.fromkeys(d for d in databases if d))
        sources = {str(info.get(s, {}).get("source", "database")) for s in member_searches}
        row["sources"] = MULTI_SEPARATOR.join(s for s in SOURCES if s in sources)
        rounds = [int(info.get(s, {}).get("round", 1)) for s in member_searches]
        row["round"] = min(rounds) if rounds else 1
        rows.append(row)
        start = stop
    return pd.DataFrame(rows, columns=list(STUDY_COLUMNS))


def merges_table(
    result: DedupeResult, verdict_same: Sequence[tuple[str, str, int]]
) -> pd.DataFrame:
    """One row per merged pair: duplicate pairs that ended in one study, and 'same' verdicts."""
    p, ids, study = result.pairs, result.table.record_id, result.study_ids
    dup = np.flatnonzero((p.outcome == DUPLICATE) & (study[p.i] == study[p.j]))
    rows = [(ids[p.i[k]], ids[p.j[k]], p.score[k], p.rule[k], p.evidence[k]) for k in dup]
    rows += [
        (a, b, 1.0, "verdict: same", "marked same in the duplicates sheet")
        for a, b, _ in verdict_same
    ]
    rows = [(min(a, b), max(a, b), *rest) for a, b, *rest in rows]
    frame = pd.DataFrame(rows, columns=list(MERGE_COLUMNS)).drop_duplicates(
        ["record_id_a", "record_id_b"], keep="last"
    )
    return frame.sort_values(["record_id_a", "record_id_b"]).reset_index(drop=True)


def to_check_table(
    records: pd.DataFrame, result: DedupeResult, decided: set[frozenset[str]]
) -> pd.DataFrame:
    """Maybe pairs and merges refused to keep a chain consistent, both records side by side."""
    p, ids, study = result.pairs, result.table.record_id, result.study_ids
    maybe = np.flatnonzero((p.outcome == MAYBE) & (study[p.i] != study[p.j]))
    # the evidence of a maybe pair starts with the rule that kept it apart (reasons.py)
    pairs = [(ids[p.i[k]], ids[p.j[k]], p.score[k], p.evidence[k]) for k in maybe]
    dup_score = {
        (int(p.i[k]), int(p.j[k])): float(p.score[k])
        for k in np.flatnonzero(p.outcome == DUPLICATE)
    }
    scored = {(int(p.i[k]), int(p.j[k])): k for k in range(len(p.i))}
    for a, b, why in result.grouping.refused:
        if why.startswith("verdict"):
            continue
        pairs.append(
            (ids[a], ids[b], dup_score.get((a, b), 0.0), _chain_reason(result, a, b, why, scored))
        )
    pairs = [row for row in pairs if frozenset(row[:2]) not in decided]
    lookup = records.reindex(columns=[*_SIDE_BY_SIDE, "record_id"]).fillna("")
    lookup = lookup.astype(str).set_index("record_id")
    rows = []
    for a, b, score, reason in pairs:
        a, b = (a, b) if a < b else (b, a)
        row: dict[str, Any] = {"record_id_a": a, "record_id_b": b, "score": score, "reason": reason}
        for name in _SIDE_BY_SIDE:
            row[f"{name}_a"] = lookup.at[a, name]
            row[f"{name}_b"] = lookup.at[b, name]
        row["verdict"], row["note"] = "", ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(TO_CHECK_COLUMNS))
    frame = frame.drop_duplicates(["record_id_a", "record_id_b"])
    return frame.sort_values(
        ["score", "record_id_a", "record_id_b"], ascending=[False, True, True]
    ).reset_index(drop=True)


def _chain_reason(
    result: DedupeResult, a: int, b: int, why: str, scored: dict[tuple[int, int], int]
) -> str:
    """Why a merge was refused, naming the two records it would have put in one study, the
    rule that keeps those apart and the values it read."""
    veto = why.removeprefix("chain: ")
    x, y = result.grouping.stopped_by.get((a, b), (a, b))
    ids = result.table.record_id
    text = f"not merged: it would put {ids[x]} and {ids[y]} in one study"
    k = scored.get((min(x, y), max(x, y)))
    if veto == "apart" and k is not None:
        evidence = str(result.pairs.evidence[k]).removeprefix(f"{KEPT_APART}: ")
        if evidence.startswith("scored "):  # its score below the threshold decided
            detail = evidence
        else:
            detail = f"scored {result.pairs.score[k]:.2f}" + (f": {evidence}" if evidence else "")
        return f"{text}, which are kept apart ({detail})"
    if veto == "apart":
        return f"{text} ({VETO_REASONS['apart']})"
    return f"{text}, which are kept apart ({veto_detail(result.table, veto, x, y)})"


def counts_table(
    records: pd.DataFrame, result: DedupeResult, searches: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """Per search (config order): records identified, duplicates removed, studies first found.

    A study is first found by the search of its anchor record, so
    sum(records_identified) - sum(duplicates_removed) = number of studies.
    """
    from prismake.ids import study_alias

    search = records["search"].astype(str).to_numpy()
    anchors = {}
    for rid, sid, s in zip(result.table.record_id, result.study_ids, search, strict=True):
        if study_alias(rid) == sid:
            anchors[sid] = s
    rows = []
    for entry in searches:
        name = entry["name"]
        identified = int((search == name).sum())
        first = sum(1 for s in anchors.values() if s == name)
        rows.append(
            {
                "search": name,
                "database": entry.get("database", ""),
                "source": entry.get("source", "database"),
                "round": entry.get("round", 1),
                "records_identified": identified,
                "duplicates_removed": identified - first,
                "studies_first_found": first,
            }
        )
    return pd.DataFrame(rows, columns=list(COUNT_COLUMNS))


def overlap_table(
    records: pd.DataFrame, result: DedupeResult, searches: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """Studies shared by each pair of databases (a == b: studies found by that database)."""
    database_of = {s["name"]: str(s.get("database", "") or s["name"]) for s in searches}
    databases = list(dict.fromkeys(database_of.values()))
    found: dict[str, set[str]] = {d: set() for d in databases}
    for s, sid in zip(records["search"].astype(str), result.study_ids, strict=True):
        d = database_of.get(s)
        if d is not None:
            found[d].add(sid)
    rows = []
    for k, a in enumerate(databases):
        for b in databases[k:]:
            rows.append(
                {"database_a": a, "database_b": b, "shared_studies": len(found[a] & found[b])}
            )
    return pd.DataFrame(rows, columns=list(OVERLAP_COLUMNS))
