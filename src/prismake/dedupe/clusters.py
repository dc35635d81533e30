"""Grouping records into studies: veto-aware merging, not plain connected components.

Duplicate pairs are merged strongest first. Two groups join only when no record of one
vetoes (prismake.dedupe.vetoes) or was judged "different" from any record of the other,
so a chain A~B~C never puts A and C in one study when A and C are different reports.
The team's "same" verdicts are applied first and always win: a verdict joins two groups,
and each group keeps its own proven links. Records a person declared the same (directly,
or through identifiers: the article's copy from another database, the preprint's copy)
are not "kept apart" by a veto between them when a proven merge brings them together;
a veto is excused only across such a bridge, never within a chain of identifiers alone,
never for a merge by look-alike (a record that merely looks like the bare preprint may be
another article), and a "different" verdict still splits.
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

    same = [(int(a), int(b)) for a, b in same]
    # with "same" verdicts: ``trusted`` joins the records the verdicts and the merges an
    # identifier proves put together, ``by_proof`` those the proven merges alone do
    trusted = _Groups(n) if same else None
    by_proof = _Groups(n) if same else None
    for a, b in same:
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            continue
        clash = split_by_verdict(groups.members_of(ra), groups.members_of(rb))
        if clash is not None:
            raise VerdictConflict((a, b), clash)
        groups.union(ra, rb)
        if trusted is not None:
            trusted.union(trusted.find(a), trusted.find(b))

    def declared_same(a: int, b: int, left: list[int], right: list[int]) -> np.ndarray:
        """Per pair across ``left`` x ``right`` (as the veto check lists them): whether a
        person's verdict vouches for it: x is a, or is a by verdicts and proven links, as
        y is b, and at least one of the two links holds through a verdict."""
        assert trusted is not None and by_proof is not None
        ta, tb, pa, pb = trusted.find(a), trusted.find(b), by_proof.find(a), by_proof.find(b)
        lt = np.array([trusted.find(x) == ta for x in left])
        rt = np.array([trusted.find(y) == tb for y in right])
        lp = np.array([by_proof.find(x) == pa for x in left])
        rp = np.array([by_proof.find(y) == pb for y in right])
        linked = np.repeat(lt, len(right)) & np.tile(rt, len(left))
        proven_alone = np.repeat(lp, len(right)) & np.tile(rp, len(left))
        return linked & ~proven_alone

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
            if trusted is not None and (int(a), int(b)) in proven:
                # only a proven link carries a verdict across: a look-alike never does
                reasons = np.where(declared_same(int(a), int(b), left, right), "", reasons)
            hit = np.flatnonzero(reasons != "")
            if len(hit):
                refused.append((int(a), int(b), f"chain: {reasons[hit[0]]}"))
                stopped_by[(int(a), int(b))] = (int(li[hit[0]]), int(ri[hit[0]]))
                continue
        groups.union(ra, rb)
        if trusted is not None and by_proof is not None and (int(a), int(b)) in proven:
            trusted.union(trusted.find(int(a)), trusted.find(int(b)))
            by_proof.union(by_proof.find(int(a)), by_proof.find(int(b)))

    labels = np.fromiter((groups.find(x) for x in range(n)), dtype=np.int64, count=n)
    return Grouping(labels=labels, refused=refused, stopped_by=stopped_by)
