"""Blocking: the candidate pairs worth scoring, without comparing every record with every other.

A pair becomes a candidate when the two records share at least one key: the DOI or
PubMed id, the start or the end of the title, a pair of the rarest words of the title,
first author + first page / journal volume, or journal + volume + first page. A title
with a typo still shares other rare words, a truncated title still shares its start, a
title with a prefix added ("[Chinese]", "Review:") still shares its end, a truncated
title with a typo still shares its citation, a record without authors its place.
Blocks larger than ``max_block`` are generic keys (the title "Editorial"); they are
paired by sorted neighbourhood only, so the number of pairs grows linearly with the
number of records.
"""

from __future__ import annotations

import numpy as np

from prismake.dedupe.normalise import MatchTable

MAX_BLOCK = 40
WINDOW = 4
RARE_WORDS = 3
TITLE_STEM = 28


def _pairs_from_keys(keys: np.ndarray, rank: np.ndarray, max_block: int, window: int) -> np.ndarray:
    """All pairs of records sharing a key (key "" ignored), as an (n, 2) int64 array.

    Blocks up to ``max_block`` records give every pair; larger blocks give each record
    paired with its next ``window`` neighbours in ``rank`` order (title, then authors).
    """
    if keys.dtype == object:
        valid = np.flatnonzero(keys != "")
        if len(valid) < 2:
            return np.empty((0, 2), dtype=np.int64)
        codes, _ = _factorize(keys[valid])
    else:  # integer keys, -1 = none
        valid = np.flatnonzero(keys >= 0)
        if len(valid) < 2:
            return np.empty((0, 2), dtype=np.int64)
        codes = keys[valid]
    order = np.lexsort((rank[valid], codes))
    sorted_codes = codes[order]
    members = valid[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_codes)])
    out = []
    for size in np.unique(sizes):
        if size < 2:
            continue
        block_starts = starts[sizes == size]
        if size <= max_block:
            a, b = np.triu_indices(size, k=1)
        else:
            a_list, b_list = [], []
            for offset in range(1, window + 1):
                first = np.arange(size - offset)
                a_list.append(first)
                b_list.append(first + offset)
            a, b = np.concatenate(a_list), np.concatenate(b_list)
        left = (block_starts[:, None] + a[None, :]).ravel()
        right = (block_starts[:, None] + b[None, :]).ravel()
        out.append(np.stack([members[left], members[right]], axis=1))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(out).astype(np.int64)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    mapping: dict[str, int] = {}
    setdefault = mapping.setdefault
    codes = np.fromiter(
        (setdefault(v, len(mapping)) for v in values), dtype=np.int64, count=len(values)
    )
    return codes, list(mapping)


def rare_word_keys(titles: np.ndarray, n_words: int) -> list[np.ndarray]:
    """For each title, every pair of its ``n_words`` rarest words (3+ letters) as keys.

    A pair of rare words is far more selective than one word, and a typo in one of
    them still leaves the other pairs intact.
    """
    n = len(titles)
    vocabulary: dict[str, int] = {}
    owners: list[int] = []
    codes: list[int] = []
    for k, title in enumerate(titles):
        words = {w for w in title.split() if len(w) >= 3}
        owners.extend([k] * len(words))
        codes.extend(vocabulary.setdefault(w, len(vocabulary)) for w in words)
    if not codes:
        return [np.full(n, -1, dtype=np.int64)]
    owner = np.array(owners, dtype=np.int64)
    code = np.array(codes, dtype=np.int64)
    frequency = np.bincount(code)
    words = np.array(list(vocabulary), dtype=object)
    # rank each title's words by (frequency, word) and keep the first n_words
    alphabetical = np.empty(len(words), dtype=np.int64)
    alphabetical[np.argsort(words)] = np.arange(len(words))
    order = np.lexsort((alphabetical[code], frequency[code], owner))
    owner, code = owner[order], code[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    rank = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
    chosen = np.full((n, n_words), -1, dtype=np.int64)
    keep = rank < n_words
    chosen[owner[keep], rank[keep]] = alphabetical[code[keep]]
    columns = []
    for a in range(n_words):
        for b in range(a + 1, n_words):
            x, y = chosen[:, a], chosen[:, b]
            valid = (x >= 0) & (y >= 0)
            lo, hi = np.minimum(x, y), np.maximum(x, y)
            key = np.where(valid, lo * (len(words) + 1) + hi, -1)
            columns.append(key)
    return columns


def blocking_keys(table: MatchTable) -> dict[str, np.ndarray]:
    """Every key a candidate pair may share, by name."""
    compact = np.array([t.replace(" ", "") for t in table.title], dtype=object)
    head = np.array([c[:TITLE_STEM] if len(c) >= 12 else "" for c in compact], dtype=object)
    tail = np.array([c[-TITLE_STEM:] if len(c) >= 12 else "" for c in compact], dtype=object)
    keys: dict[str, np.ndarray] = {
        "doi": table.doi,
        "pmid": table.pmid,
        "title_start": head,
        "title_end": tail,
    }
    rare = rare_word_keys(table.title, RARE_WORDS)
    # a word is shared in whichever rank; pool the ranks into one key space
    keys["rare_word"] = np.concatenate(rare)
    # a typo in a truncated title defeats the title keys: the citation still pairs them
    keys["author_page"] = np.array(
        [
            f"{a}|{p}" if a and p else ""
            for a, p in zip(table.first_author, table.page_first, strict=True)
        ],
        dtype=object,
    )
    keys["author_volume"] = np.array(
        [
            f"{a}|{j}|{v}" if a and v else ""
            for a, j, v in zip(table.first_author, table.journal, table.volume, strict=True)
        ],
        dtype=object,
    )
    # a record without authors (or with a translated title) still names its place
    keys["place"] = np.array(
        [
            f"{j}|{v}|{p}" if j and v and p else ""
            for j, v, p in zip(table.journal, table.volume, table.page_first, strict=True)
        ],
        dtype=object,
    )
    return keys


def candidate_pairs(
    table: MatchTable, max_block: int = MAX_BLOCK, window: int = WINDOW
) -> np.ndarray:
    """Unique candidate pairs (i < j) of record positions, sorted, as an (n, 2) array."""
    n = len(table)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    # neighbours in large blocks: by title, first author, year, then record id, so the
    # candidates do not depend on the order of the input files
    sort_text = np.array(
        [
            f"{t}|{a}|{y}|{r}"
            for t, a, y, r in zip(
                table.title, table.first_author, table.year, table.record_id, strict=True
            )
        ],
        dtype=object,
    )
    rank = np.argsort(np.argsort(sort_text, kind="stable"), kind="stable")
    found = []
    for name, keys in blocking_keys(table).items():
        if name == "rare_word":
            pooled_rank = np.tile(rank, len(keys) // n)
            pairs = _pairs_from_keys(keys, pooled_rank, max_block, window)
            pairs = pairs % n  # pooled ranks: position modulo n is the record
        else:
            pairs = _pairs_from_keys(keys, rank, max_block, window)
        found.append(pairs)
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    lo = np.minimum(pairs[:, 0], pairs[:, 1])
    hi = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = lo != hi
    code = np.unique(lo[keep] * n + hi[keep])
    return np.stack([code // n, code % n], axis=1)
