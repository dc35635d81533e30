"""Synthetic search results for the dedupe scale benchmark, with realistic noise.

Studies get titles from a Zipf-weighted vocabulary, authors, a journal, year, volume,
issue, pages and (often) a DOI and an abstract. Each study is found by 1-4 of 5
searches; every copy may have typos, a truncated title, missing fields, another author
format ("Smith, John A." / "Smith JA" / "J. A. Smith"), the journal abbreviated, a
trailing period or different case. Deterministic for a given (n, seed).
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

SYLLABLES = [
    "ka", "lo", "mi", "ter", "bro", "chi", "dan", "el", "fo", "gra", "hu", "is", "jen", "ko",
    "lu", "mar", "nor", "op", "pre", "qui", "ra", "sen", "ti", "ul", "vo", "wes", "xi", "yo",
    "zen", "ab", "cor", "dis", "ex", "gen", "hyp", "in", "log", "met", "neu", "path", "sta",
]  # fmt: skip
SEARCHES = ["medline", "embase", "cinahl", "psycinfo", "wos"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    k = rng.randrange(1, len(text) - 1)
    op = rng.randrange(3)
    if op == 0:
        return text[:k] + text[k + 1 :]
    if op == 1:
        return text[:k] + text[k + 1] + text[k] + text[k + 2 :]
    return text[:k] + rng.choice("aeiourst") + text[k:]


def _author_format(rng: random.Random, surname: str, given: str, style: int) -> str:
    initials = "".join(g[0] for g in given.split())
    if style == 0:
        return f"{surname}, {given}"
    if style == 1:
        return f"{surname} {initials}"
    return f"{'. '.join(initials)}. {surname}"


def generate(n: int, seed: int = 7) -> tuple[pd.DataFrame, list[int]]:
    """``n`` records (RECORD_COLUMNS subset) and the true study number of each."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    vocabulary = _vocabulary(rng, 20_000)
    weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** 0.9
    weights /= weights.sum()
    surnames = [w.capitalize() for w in _vocabulary(rng, 30_000)]
    given_names = [w.capitalize() for w in _vocabulary(rng, 800)]
    journals = []
    for _ in range(3000):
        words = [rng.choice(vocabulary).capitalize() for _ in range(rng.randint(2, 4))]
        full = "Journal of " + " ".join(words)
        abbrev = "J " + " ".join(w[: rng.randint(3, 5)] for w in words)
        journals.append((full, abbrev))
    n_studies = int(n / 1.7)
    word_draws = nprng.choice(len(vocabulary), size=(n_studies, 16), p=weights)
    rows: list[dict[str, str]] = []
    truth: list[int] = []
    study = 0
    while len(rows) < n:
        s = study % n_studies
        rs = random.Random(seed * 1_000_003 + study)
        title_words = [vocabulary[w] for w in word_draws[s][: rs.randint(6, 16)]]
        title = " ".join(title_words).capitalize()
        authors = [
            (rs.choice(surnames), " ".join(rs.choice(given_names) for _ in range(rs.randint(1, 2))))
            for _ in range(rs.randint(1, 8))
        ]
        journal = rs.choice(journals)
        year = rs.randint(1990, 2024)
        volume = str(rs.randint(1, 300))
        issue = str(rs.randint(1, 12))
        first = rs.randint(1, 3000)
        pages = f"{first}-{first + rs.randint(2, 20)}"
        doi = f"10.{rs.randint(1000, 9999)}/{rs.getrandbits(40):x}" if rs.random() < 0.6 else ""
        abstract = (
            " ".join(rs.choice(vocabulary) for _ in range(rs.randint(40, 120)))
            if rs.random() < 0.7
            else ""
        )
        copies = rs.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]
        for search in rs.sample(SEARCHES, copies):
            if len(rows) >= n:
                break
            t = title
            if rs.random() < 0.15:
                t = _typo(rs, t)
            if rs.random() < 0.05:
                t = t[: rs.randint(40, 80)] if len(t) > 60 else t
            if rs.random() < 0.2:
                t = t + "."
            if rs.random() < 0.1:
                t = t.upper() if rs.random() < 0.3 else t.title()
            style = rs.randrange(3)
            shown_authors = [_author_format(rs, a, g, style) for a, g in authors]
            if rs.random() < 0.05 and len(shown_authors) > 3:
                shown_authors = [*shown_authors[:3], "et al."]
            rows.append(
                {
                    "search": search,
                    "title": t,
                    "authors": "; ".join(shown_authors),
                    "year": str(year) if rs.random() > 0.03 else "",
                    "journal": journal[1] if rs.random() < 0.4 else journal[0],
                    "volume": volume if rs.random() > 0.1 else "",
                    "issue": issue if rs.random() > 0.4 else "",
                    "pages": (
                        pages
                        if rs.random() > 0.15
                        else f"{first}-{str(first + 5)[-1]}"
                        if rs.random() < 0.5
                        else ""
                    ),
                    "doi": doi if rs.random() > 0.3 else "",
                    "abstract": abstract if rs.random() > 0.3 else "",
                    "type": "Journal Article",
                }
            )
            truth.append(study)
        study += 1
    frame = pd.DataFrame(rows)
    counters: dict[str, int] = {}
    ids = []
    for search in frame["search"]:
        counters[search] = counters.get(search, 0) + 1
        ids.append(f"{search}-{counters[search]:08d}")
    frame.insert(0, "record_id", ids)
    frame["database"] = frame["search"]
    return frame, truth
