"""Property tests: fast vectorised code agrees with a plain reference; keys ignore noise."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.dedupe.blocking import rare_word_keys
from prismake.dedupe.normalise import page_range, title_key

WORDS = ["care", "home", "risk", "trial", "policy", "users", "co", "design", "ageing", "lens"]
titles = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=7).map(" ".join), min_size=1, max_size=25
)


def reference_rare_pairs(all_titles: list[str], n_words: int) -> list[set[tuple[str, str]]]:
    """Per title: the pairs among its n rarest words (3+ letters), rarest first, then a-z."""
    tokens = [{w for w in t.split() if len(w) >= 3} for t in all_titles]
    frequency = Counter(w for words in tokens for w in words)
    out = []
    for words in tokens:
        ranked = sorted(words, key=lambda w: (frequency[w], w))[:n_words]
        out.append({tuple(sorted(p)) for p in combinations(ranked, 2)})
    return out


@settings(max_examples=60, deadline=None)
@given(titles)
def test_vectorised_rare_word_pairs_match_the_reference(all_titles):
    columns = rare_word_keys(np.array(all_titles, dtype=object), 3)
    expected = reference_rare_pairs(all_titles, 3)
    # same key <=> same pair of words: compare which titles share a key
    shared_fast = {
        (a, b)
        for column in columns
        for other in columns
        for a in range(len(all_titles))
        for b in range(len(all_titles))
        if a < b and column[a] >= 0 and column[a] == other[b]
    }
    shared_reference = {
        (a, b)
        for a in range(len(all_titles))
        for b in range(a + 1, len(all_titles))
        if expected[a] & expected[b]
    }
    assert shared_fast == shared_reference


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghij KLMNOP,.:;-", min_size=1, max_size=60))
def test_title_keys_ignore_case_and_a_trailing_period(title):
    assert title_key(title.upper()) == title_key(title.lower()) == title_key(title + ".")


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 99_999), st.integers(0, 999))
def test_an_abbreviated_last_page_expands_to_the_full_one(first, span):
    last = first + span
    a, b = str(first), str(last)
    if len(a) == len(b):
        common = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
        short = b[common:] or b[-1:]
        assert page_range(f"{a}-{short}") == (a, b)
    assert page_range(f"{a}-{b}") == (a, b)
