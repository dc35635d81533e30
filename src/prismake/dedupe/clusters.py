"""Grouping records into studies: veto-aware merging, not plain connected components.

Duplicate pairs are merged strongest first. Two groups join only when no record of one
vetoes (prismake.dedupe.vetoes) or was judged "different" from any record of the other,
so a chain A~B~C never puts A and C in one study when A and C are different reports.
The team's "same" verdicts are applied first and always win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

# veto(a_positions, b_positions) -> array of veto names ("" = none), pairwise
VetoCheck = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class Grouping:
    """Study label per record position, plus the merges refused to keep groups consistent."""

    labels: np.ndarray
    refused: list[tuple[int, int, str]] = field(default_factory=list)
    # refused merge (a, b) -> the pair across the two groups that stopped it
    stopped_by: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


class VerdictConflict(Exception):
    """A "same" verdict would join two records the team said are "different"."""

    def __init__(self, same: tuple[int, int], different: tuple[int, int]) -> None:
        super().__init__(f"same {same} conflicts with different {different}")
        self.same, self.different = same, different


class _Groups:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[x] != root:
            self.parent[x], x = root, int(self.parent[x])
        return root

    def members_of(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def union(self, ra: int, rb: int) -> None:
        if ra > rb:
            ra, rb = rb, ra
        self.members[ra] = self.members_of(ra) + self.members_of(rb)
        self.members.pop(rb, None)
        self.parent[rb] = ra


def group_records(
    n: int,
    duplicate_pairs: Iterable[tuple[int, int]],
    veto: VetoCheck,
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
    proven: frozenset[tuple[int, int]] = frozenset(),
) -> Grouping:
    """Label ``n`` records with group numbers (smallest member position of the group).

    ``duplicate_pairs`` must come strongest first; ``same``/``different`` are verdicts.
    A pair scored apart (the veto name "apart") stops a merge by similarity alone, not one
    ``proven`` by an identifier, the whole citation or the same text (a reprint).
    """
    groups = _Groups(n)
    cannot: dict[int, set[int]] = {}
    different_pairs = [(int(a), int(b)) for a, b in different]
    for a, b in different_pairs:
        cannot.setdefault(a, set()).add(b)
        cannot.setdefault(b, set()).add(a)

    def split_by_verdict(left: list[int], right: list[int]) -> tuple[int, int] | None:
        right_set = set(right)
        for a in left:
            for b in cannot.get(a, ()):
                if b in right_set:
                    return (a, b)
        return None

    for a, b in same:
        ra, rb = groups.find(int(a)), groups.find(int(b))
        if ra == rb:
            continue
        clash = split_by_verdict(groups.members_of(ra), groups.members_of(rb))
        if clash is not None:
            raise VerdictConflict((int(a), int(b)), clash)
        groups.union(ra, rb)

    refused: list[tuple[int, int, str]] = []
    stopped_by: dict[tuple[int, int], tuple[int, int]] = {}
    for a, b in duplicate_pairs:
        ra, rb = groups.find(int(a)), groups.find(int(b))
        if ra == rb:
            continue
        left, right = groups.members_of(ra), groups.members_of(rb)
        if split_by_verdict(left, right) is not None:
            refused.append((int(a), int(b), "verdict: different"))
            continue
        if len(left) > 1 or len(right) > 1:
            li = np.repeat(np.array(left), len(right))
            ri = np.tile(np.array(right), len(left))
            reasons = veto(li, ri)
            if (int(a), int(b)) in proven:
                reasons = np.where(reasons == "apart", "", reasons)
            hit = np.flatnonzero(reasons != "")
            if len(hit):
                refused.append((int(a), int(b), f"chain: {reasons[hit[0]]}"))
                stopped_by[(int(a), int(b))] = (int(li[hit[0]]), int(ri[hit[0]]))
                continue
        groups.union(ra, rb)

    labels = np.fromiter((groups.find(x) for x in range(n)), dtype=np.int64, count=n)
    return Grouping(labels=labels, refused=refused, stopped_by=stopped_by)
