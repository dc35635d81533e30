"""Why a pair was kept apart, in a reviewer's words: the rule that decided, the values of
the fields it read, and what would settle it.

A maybe pair in results/dedupe/to_check.csv scored high enough to be one report, yet a
rule kept it from merging: two titles a word of substance apart, sister journals, two
places, years one apart, a title alone, two records of one search; or its score stayed
below the duplicate threshold. Its reason starts with that rule ("kept apart for a person:
the titles differ by 'children' / 'adults' (word clash); the DOI, the volume and pages or
the abstract would settle it"), then the signals scoring read. A merge refused to keep a
study's records consistent names the veto and the values that set it off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from prismake.dedupe.normalise import MatchTable, ascii_fold, title_key
from prismake.dedupe.vetoes import VETO_REASONS, pair_notices

__all__ = ["KEPT_APART", "Decided", "kept_apart", "veto_detail"]

KEPT_APART = "kept apart for a person"
# what a person may look up to settle a pair, in the order the reason names them
DOI, PLACE, ABSTRACT, AUTHORS, JOURNAL = (
    "the DOI",
    "the volume and pages",
    "the abstract",
    "the authors",
    "the journal",
)
_SETTLE_ORDER = (DOI, PLACE, ABSTRACT, AUTHORS, JOURNAL)
_STOP = frozenset(
    {"a", "an", "the", "of", "in", "on", "at", "for", "and", "or", "to", "with", "by", "from",
     "as", "its", "their", "vs", "versus", "is", "are"}
)  # fmt: skip
_SHOWN_WORDS = 3  # words of a title shown at most, each side
_RAW_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Decided:
    """What scoring found for its pairs (one entry per pair), for the reasons below.

    ``uncapped`` is the score before the rules that cap it below the duplicate threshold
    (the word clash, the series, the last word, two places, years one apart, sister
    journals, the title alone), each rule's mask where it capped the pair.
    """

    title: np.ndarray
    score: np.ndarray
    uncapped: np.ndarray
    duplicate_threshold: float
    word_clash: np.ndarray
    series: np.ndarray
    last_word: np.ndarray
    two_places: np.ndarray
    year_gap: np.ndarray
    sisters: np.ndarray
    thin: np.ndarray
    same_search: np.ndarray
    # what lowered a score that no rule capped
    authors_differ: np.ndarray
    years_one_apart: np.ndarray
    journals_differ: np.ndarray
    volumes_differ: np.ndarray
    pages_differ: np.ndarray
    abstracts_differ: np.ndarray
    identifier_clash: np.ndarray
    short_title: np.ndarray


def kept_apart(table: MatchTable, i: np.ndarray, j: np.ndarray, k: int, d: Decided) -> str:
    """Why the maybe pair ``k`` (records i[k], j[k]) did not merge, deciding rule first."""
    a, b = int(i[k]), int(j[k])
    if d.same_search[k]:
        search = table.search[a]
        return (
            f"{KEPT_APART}: two records of one search ({search}) whose titles, as exported, "
            "are not the same (same search); a search lists a report once: compare both "
            "records"
        )
    rules: list[tuple[str, tuple[str, ...]]] = []
    if d.uncapped[k] >= d.duplicate_threshold:  # a rule capped a score that would merge
        if d.word_clash[k]:
            rules.append((_word_clash(table, a, b), (DOI, PLACE, ABSTRACT)))
        if d.series[k]:
            part = table.series[a] or table.series[b]
            rules.append(
                (f"one title is part {part} of a series, the other is not (series)", (DOI, PLACE))
            )
        if d.last_word[k]:
            x, y = table.title[a].rsplit(" ", 1)[-1], table.title[b].rsplit(" ", 1)[-1]
            rules.append(
                (
                    f"short titles that differ only in their last word, '{x}' / '{y}', with "
                    "one author and no journal, place or abstract agreeing (last word)",
                    (DOI, JOURNAL, PLACE, ABSTRACT),
                )
            )
        if d.sisters[k]:
            rules.append(
                (
                    f"sister journals, {_journal(table, a)} / {_journal(table, b)}, "
                    "and no shared DOI or place says one article (sister journals)",
                    (DOI, PLACE),
                )
            )
        if d.two_places[k]:
            rules.append((_two_places(table, a, b, d, k), (DOI,)))
        if d.year_gap[k]:
            issues = ""
            if table.issue[a] and table.issue[b] and table.issue[a] != table.issue[b]:
                issues = f", issues {table.issue[a]} / {table.issue[b]}"
            rules.append(
                (
                    f"years one apart, {table.year[a]} / {table.year[b]}{issues}, and no shared "
                    "volume, pages or DOI places both in one issue (year apart)",
                    (DOI, PLACE),
                )
            )
        if d.thin[k]:
            rules.append(
                (
                    f"titles {d.title[k]:.2f} alike and nothing else agrees: no authors, "
                    "journal, volume, pages or abstract in common (title alone)",
                    (DOI, AUTHORS, JOURNAL, PLACE),
                )
            )
    if not rules:
        rules.append((_below(table, a, b, d, k), (DOI,)))
    return _sentence(rules)


def _sentence(rules: Sequence[tuple[str, Iterable[str]]]) -> str:
    settle = [s for s in _SETTLE_ORDER if any(s in items for _, items in rules)]
    text = f"{KEPT_APART}: " + "; and ".join(what for what, _ in rules)
    if settle:
        either = settle[0] if len(settle) == 1 else ", ".join(settle[:-1]) + f" or {settle[-1]}"
        text += f"; {either} would settle it"
    return text


def _word_clash(table: MatchTable, a: int, b: int) -> str:
    only_a, only_b = _as_written(table, a, b)
    if only_a and only_b:
        return f"the titles differ by {_quoted(only_a)} / {_quoted(only_b)} (word clash)"
    if only_a or only_b:
        return f"{_quoted(only_a or only_b)} in one title only (word clash)"
    return "the titles differ in a word of what they are about (word clash)"


def _as_written(
    table: MatchTable, a: int, b: int, short: bool = False
) -> tuple[list[str], list[str]]:
    """The words each title has and the other lacks (title_words_apart), as each record
    writes them ("paediatric", not the key's "pediatric")."""
    only_a, only_b = title_words_apart(table.title[a], table.title[b], short)
    return _raw(table.raw_title[a], only_a), _raw(table.raw_title[b], only_b)


def title_words_apart(a: str, b: str, short: bool = False) -> tuple[list[str], list[str]]:
    """The words each title key has and the other lacks, in title order: words of three
    letters or more without digits (the word clash's), or with ``short`` those of two
    letters or fewer or with digits (an identifier's: "h" / "i", "hpv16" / "hpv18"). A
    title cut short is compared with as much of the other, as the word clash does."""
    if len(a) < 0.9 * len(b) and fuzz.ratio(a, b[: len(a)]) >= 90:
        b = b[: len(a) + 1].rstrip()
    elif len(b) < 0.9 * len(a) and fuzz.ratio(b, a[: len(b)]) >= 90:
        a = a[: len(b) + 1].rstrip()
    count_a, count_b = Counter(a.split()), Counter(b.split())
    return _in_order(a, count_a - count_b, short), _in_order(b, count_b - count_a, short)


def _in_order(title: str, words: Counter[str], short: bool) -> list[str]:
    def wanted(w: str) -> bool:
        identifier = len(w) <= 2 or any(c.isdigit() for c in w)
        return identifier if short else not identifier and w not in _STOP

    return [w for w in dict.fromkeys(title.split()) if w in words and wanted(w)]


def _raw(raw_title: str, keys: list[str]) -> list[str]:
    """Each key word as the exported title writes it, where one of its words gives it."""
    written: dict[str, str] = {}
    for word in _RAW_WORD.findall(ascii_fold(str(raw_title)).lower()):
        for key in title_key(word).split():
            written.setdefault(key, word if title_key(word) == key else key)
    return [written.get(key, key) for key in keys]


def _quoted(words: Sequence[str]) -> str:
    shown = [f"'{w}'" for w in words[:_SHOWN_WORDS]]
    return ", ".join(shown) + (" ..." if len(words) > _SHOWN_WORDS else "")


def _two_places(table: MatchTable, a: int, b: int, d: Decided, k: int) -> str:
    places = []
    if d.journals_differ[k] or table.venue_name[a] != table.venue_name[b]:
        places.append(f"journals {_journal(table, a)} / {_journal(table, b)}")
    if d.volumes_differ[k]:
        places.append(f"volumes {table.volume[a]} / {table.volume[b]}")
    return (
        f"two places, {' and '.join(places) or 'journals not known to be one'}: an abstract "
        "and its article, a preprint and its article (a 'same' verdict makes them one "
        "study), a reprint or a journal club's summary (different places)"
    )


def _below(table: MatchTable, a: int, b: int, d: Decided, k: int) -> str:
    lowered = []
    if d.title[k] < d.duplicate_threshold:
        lowered.append(f"titles {d.title[k]:.2f} alike")
    if d.authors_differ[k]:
        lowered.append("authors differ")
    if d.years_one_apart[k]:
        lowered.append(f"years {table.year[a]} / {table.year[b]}")
    if d.journals_differ[k]:
        lowered.append(f"journals {_journal(table, a)} / {_journal(table, b)}")
    if d.volumes_differ[k]:
        lowered.append(f"volumes {table.volume[a]} / {table.volume[b]}")
    if d.pages_differ[k]:
        lowered.append(f"pages {_pages(table, a)} / {_pages(table, b)}")
    if d.abstracts_differ[k]:
        lowered.append("abstracts differ")
    if d.identifier_clash[k]:
        only_a, only_b = _as_written(table, a, b, short=True)
        lowered.append(f"titles differ by {_quoted(only_a)} / {_quoted(only_b)}")
    if d.short_title[k]:
        lowered.append("a short title without authors and pages to confirm it")
    why = f": {', '.join(lowered)}" if lowered else ""
    return (
        f"scored {d.score[k]:.2f}, below the {d.duplicate_threshold:.2f} a merge needs{why} (score)"
    )


def _journal(table: MatchTable, a: int) -> str:
    return f"'{table.venue_name[a]}'" if table.venue_name[a] else "none"


def _pages(table: MatchTable, a: int) -> str:
    first, last = table.page_first[a], table.page_last[a]
    if first and last and last != first:
        return f"{first}-{last}"
    return first or table.page_label[a] or "none"


def veto_detail(table: MatchTable, veto: str, a: int, b: int) -> str:
    """A veto's reason with the values of the two records that set it off."""
    reason = VETO_REASONS.get(veto, veto)
    values: tuple[str, str] | None = None
    if veto in ("doi", "pmid", "registry", "numbers"):
        column = {"doi": table.doi, "pmid": table.pmid, "registry": table.registry}
        values = (
            (column[veto][a], column[veto][b])
            if veto in column
            else (table.numbers[a], table.numbers[b])
        )
    elif veto == "series":
        values = (f"part {table.series[a] or 'none'}", f"part {table.series[b] or 'none'}")
    elif veto in ("pages", "meeting"):
        values = (_pages(table, a), _pages(table, b))
        if veto == "pages" and table.volume[a]:
            reason += f" {table.volume[a]}"
    elif veto == "issue":
        values = (table.issue[a], table.issue[b])
    elif veto == "year":
        values = (str(table.year[a]), str(table.year[b]))
    elif veto in ("venue", "abstract"):
        values = (_venue(table, a), _venue(table, b))
    elif veto == "notice":
        kind_a, kind_b = pair_notices(table, np.array([a]), np.array([b]))
        values = (kind_a[0] or "article", kind_b[0] or "article")
    return f"{reason}: {values[0]} / {values[1]}" if values else reason


def _venue(table: MatchTable, a: int) -> str:
    kind = "meeting abstract" if table.meeting_abstract[a] else (table.venue[a] or "record")
    where = table.venue_name[a]
    return f"{kind} in '{where}' {_pages(table, a)}".strip() if where else kind
