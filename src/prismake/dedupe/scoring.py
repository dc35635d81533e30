"""Scoring candidate pairs: similarity of what both records have, and the three outcomes.

Many records lack a DOI, an abstract or an issue, so each field counts only when both
records carry it. The title similarity is the base; agreeing authors, year, journal,
volume, pages and abstract raise it, disagreeing ones lower it. A pair is a duplicate at
or above ``duplicate_threshold``, a maybe (for a person to check) at or above
``maybe_threshold``, distinct below. Vetoes (prismake.dedupe.vetoes) make a pair distinct.
A maybe pair's evidence starts with the rule that kept it from merging, in a reviewer's
words (prismake.dedupe.reasons).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import cpdist

from prismake.dedupe.normalise import MatchTable
from prismake.dedupe.reasons import Decided, kept_apart
from prismake.dedupe.venues import same_journal, sister_journal
from prismake.dedupe.vetoes import (
    VETO_REASONS,
    pair_notices,
    pair_vetoes,
    ranges_overlap,
    same_text,
)

DUPLICATE, MAYBE, DISTINCT = "duplicate", "maybe", "distinct"
SHORT_TITLE_WORDS = 4
CITATION_TITLE = 0.45  # title similarity enough when the whole citation matches
MAX_BONUS = 0.2  # the most that agreeing fields add to a title similarity
MIN_TITLE = 0.6  # titles less alike than this are not scored (with the default thresholds)
SAME_PAGES_TITLE = 0.7  # titles this alike on the same pages of one volume: one article
SAME_WORK_TITLE_WORDS = 6  # a title this long, identical, with the same authors: one work


@dataclass
class ScoredPairs:
    """Candidate pairs with their score, outcome, the rule that decided and the evidence."""

    i: np.ndarray
    j: np.ndarray
    score: np.ndarray
    outcome: np.ndarray
    rule: np.ndarray
    evidence: np.ndarray
    veto: np.ndarray  # the veto name of each pair ("" = none), for the clustering to reuse
    # a field both records carry disagrees (volume, pages, abstract, a word of the title,
    # sister journals): with a score below "duplicate", the clustering keeps them apart
    differs: np.ndarray | None = None
    # the score before it is clipped to [0, 1]: which of two pairs scored 1.0 agrees more,
    # so that the clustering merges the closer pair first
    strength: np.ndarray | None = None


def _ratio(a: np.ndarray, b: np.ndarray, scorer=fuzz.ratio) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Element-wise similarity in [0, 1]; one thread, as the rule declares ``threads: 1``."""
    if len(a) == 0:
        return np.zeros(0)
    return cpdist(list(a), list(b), scorer=scorer, workers=1).astype(np.float64) / 100.0


def title_similarity(ta: np.ndarray, tb: np.ndarray) -> np.ndarray:
    """Edit similarity of title keys, allowing for a truncated title or an added prefix.

    A title cut short is compared with the other's start; a title of 4+ words found
    whole inside the other ("Atypical HUS" in "MEDICAL PROGRESS Atypical HUS") counts
    as 0.9, so the other fields decide.
    """
    full = _ratio(ta, tb)
    la = np.fromiter((len(t) for t in ta), dtype=np.int64, count=len(ta))
    lb = np.fromiter((len(t) for t in tb), dtype=np.int64, count=len(tb))
    short = np.minimum(la, lb)
    truncated = (short >= 40) & (short < 0.9 * np.maximum(la, lb)) & (full < 0.97)
    if truncated.any():
        idx = np.flatnonzero(truncated)
        a = [ta[k][: short[k]] for k in idx]
        b = [tb[k][: short[k]] for k in idx]
        prefix = _ratio(np.array(a, dtype=object), np.array(b, dtype=object))
        full[idx] = np.where(prefix >= 0.97, np.maximum(full[idx], prefix - 0.03), full[idx])
    contained = (full < 0.9) & (short >= 20)
    for k in np.flatnonzero(contained):
        small, big = (ta[k], tb[k]) if la[k] <= lb[k] else (tb[k], ta[k])
        if small.count(" ") >= 3 and f" {small} " in f" {big} ":
            full[k] = 0.9
    return full


def identifier_clash(ta: np.ndarray, tb: np.ndarray) -> np.ndarray:
    """Titles that differ in a short token ("Factor H" vs "Factor I", "HPV16" vs "HPV18").

    Typos hit long words; a different letter or number usually names a different thing.
    """
    out = np.zeros(len(ta), dtype=bool)
    for k, (a, b) in enumerate(zip(ta, tb, strict=True)):
        # "sars cov 2" / "sars cov2", "type ii" / "type 2": one identifier written two ways
        if a == b or not a or not b or a.replace(" ", "") == b.replace(" ", ""):
            continue
        wa = {_ROMAN_DIGITS.get(w, w) for w in a.split()}
        wb = {_ROMAN_DIGITS.get(w, w) for w in b.split()}
        only_a, only_b = wa - wb, wb - wa
        if not only_a or not only_b:
            continue
        short_a = any(len(w) <= 2 or (any(c.isdigit() for c in w) and len(w) <= 6) for w in only_a)
        short_b = any(len(w) <= 2 or (any(c.isdigit() for c in w) and len(w) <= 6) for w in only_b)
        out[k] = short_a and short_b
    return out


# Words that, added to a title, make it name something else ("non-randomised", "without
# diabetes", "a protocol for ..."); other added words are a subtitle one export dropped.
TURNING_WORDS = frozenset(
    {"non", "not", "without", "protocol",  # (not "no": "Abstract no. 5")
     # ... and words that name another report of one study (a pilot, a secondary
     # analysis, a follow-up, a design paper, an update, an executive summary)
     "pilot", "feasibility", "secondary", "hoc", "follow", "followup", "rationale",
     "baseline", "extension", "update", "updated", "summary", "plan", "economic"}
)  # fmt: skip
# Prefixes that make another word of a word ("women", "nonrandomized", "escitalopram")
# and pairs of prefixes that name opposites ("hypertension" / "hypotension").
OTHER_WORD_PREFIXES = ("non", "un", "in", "im", "ir", "dis", "anti", "es", "wo", "post", "pre")
OPPOSITE_PREFIXES = (
    ("hyper", "hypo"),
    ("pre", "post"),
    ("intra", "inter"),
    ("intra", "extra"),
    ("inter", "extra"),
    ("over", "under"),
    ("mono", "poly"),
    ("sub", "supra"),
    ("in", "out"),
    ("im", "ex"),
    ("up", "down"),
)
_ROMANS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})
_ROMAN_DIGITS = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}
_TITLE_STOP = frozenset(
    {"a", "an", "the", "of", "in", "on", "at", "for", "and", "or", "to", "with", "by",
     "from", "as", "its", "their", "vs", "versus"}
)  # fmt: skip


def _other_word(x: str, y: str) -> bool:
    """A word made another by a prefix ("men"/"women", "tension"/"hypertension") or by
    the opposite prefix ("hypertensive"/"hypotensive")."""
    for short, long in ((x, y), (y, x)):
        if long.endswith(short) and long[: len(long) - len(short)] in OTHER_WORD_PREFIXES:
            return True
        if long.startswith(short) and long[len(short) :] in ("out", "less"):
            return True
    for p, q in OPPOSITE_PREFIXES:
        for a, b in ((x, y), (y, x)):
            if a.startswith(p) and b.startswith(q) and a[len(p) :] == b[len(q) :]:
                return True
    return False


def _spelt_two_ways(x: str, y: str) -> bool:
    """Two words that are one word spelt two ways: a typo, British and American spelling,
    a plural, an accent lost ("haemolytic"/"hemolytic", "persistant"/"persistent")."""
    if _latin_greek(x) == _latin_greek(y):
        return True  # "nfkappab" and "nfkb", "sappalpha" and "sappa": a Greek letter
    if min(len(x), len(y)) < 3 or max(len(x), len(y)) < 4:
        return False
    # one letter dropped, added, changed or two swapped; or close, in a long word
    return DamerauLevenshtein.distance(x, y) <= 1 or fuzz.ratio(x, y) >= 80


_GREEK_NAME = re.compile(r"alpha|beta|gamma|delta|kappa|lambda|sigma|theta|omega|epsilon|tau|mu")


def _latin_greek(word: str) -> str:
    """A word with each spelt-out Greek letter as the Latin letter exports write for it
    ("nfkappab" -> "nfkb"; "alpha" -> "a", which is also what "?" or mojibake leaves)."""
    return _GREEK_NAME.sub(lambda m: m[0][0], word)


def word_clash(a: str, b: str) -> bool:
    """Two title keys that differ in a word of what the study is about ("children" vs
    "adults", "intranasal" vs "intravenous"), or by a word that turns the meaning ("non",
    "without", "protocol"): two studies, however alike the rest of the titles.

    Differences two exports of one title make are not a clash: spacing, a typo, British
    and American spelling, a plural, a subtitle or small word left out; words with digits
    are left to the numbers veto and ``identifier_clash``.
    """
    if a == b or not a or not b or a.replace(" ", "") == b.replace(" ", ""):
        return False
    # a word that names another report of the study, in one title only (whole titles:
    # "X: study protocol", "Secondary analysis of X", "X: 5-year follow-up")
    whole_a, whole_b = set(a.split()), set(b.split())
    if (whole_a ^ whole_b) & TURNING_WORDS:
        return True
    # a title cut short (an export's field limit) is compared with as much of the other,
    # when the other starts the same way (not a title with words inserted in the middle)
    if len(a) < 0.9 * len(b) and fuzz.ratio(a, b[: len(a)]) >= 90:
        b = b[: len(a) + 1].rstrip()
    elif len(b) < 0.9 * len(a) and fuzz.ratio(b, a[: len(b)]) >= 90:
        a = a[: len(b) + 1].rstrip()
    # words counted, not only seen: "... diagnosis and management ...: diagnosis" against
    # "...: management" swaps a word the titles also share elsewhere
    count_a, count_b = Counter(a.split()), Counter(b.split())
    wa, wb = set(count_a), set(count_b)

    def content(words: Iterable[str]) -> set[str]:  # ("kb" of "NF-?B": identifier_clash's)
        return {
            w
            for w in words
            if len(w) > 2 and w not in _TITLE_STOP and not any(c.isdigit() for c in w)
        }

    # "type i" / "type ii", "(i)" / "(ii)": two numbers of a series, however short
    if (wa - wb) & _ROMANS and (wb - wa) & _ROMANS:
        return True
    only_a, only_b = content(count_a - count_b), content(count_b - count_a)
    # a title cut short ends in part of a word ("lung can" for "lung cancer")
    last_a, last_b = a.rsplit(" ", 1)[-1], b.rsplit(" ", 1)[-1]
    both_cut = last_a != last_b and (last_a.startswith(last_b) or last_b.startswith(last_a))
    if both_cut or any(w.startswith(last_a) and w != last_a for w in wb):
        only_a.discard(last_a)
    if both_cut or any(w.startswith(last_b) and w != last_b for w in wa):
        only_b.discard(last_b)
    if any(_other_word(x, y) for x in only_a for y in only_b):
        return True
    left_a = {x for x in only_a if not any(_spelt_two_ways(x, y) for y in only_b)}
    left_b = {y for y in only_b if not any(_spelt_two_ways(x, y) for x in only_a)}
    # a word each title has and the other lacks; not one title's word cut in two
    return bool(left_a) and bool(left_b) and not _split_word(left_a, left_b, a, b)


def _split_word(left_a: set[str], left_b: set[str], a: str, b: str) -> bool:
    """The leftover words are one word written apart in one title ("nonsmallcell" vs
    "non small cell", "epi genetic"): the same letters once spaces are dropped, or nearly
    so when an export also lost a letter to a "?" ("fran ais" for "francais") or a typo
    moved a space."""
    # the leftover words in title order, run together (not the whole titles: a word the
    # other title holds elsewhere is no part of a split one)
    in_order_a = "".join(w for w in a.split() if w in left_a)
    in_order_b = "".join(w for w in b.split() if w in left_b)
    if all(w in in_order_b for w in left_a) and all(w in in_order_a for w in left_b):
        return True
    if len(left_a) + len(left_b) < 3:
        return False  # one word for another: a substitution, not a word cut apart
    return fuzz.ratio(in_order_a, in_order_b) >= 85


LAST_WORD_TITLE_WORDS = 8


def _only_last_word_differs(a: str, b: str) -> bool:
    """Two short title keys equal but for a last word that is not a variant of the other."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) > LAST_WORD_TITLE_WORDS or wa[:-1] != wb[:-1]:
        return False
    x, y = wa[-1], wb[-1]
    return not (x.startswith(y) or y.startswith(x))


def plausible_pairs(
    table: MatchTable, pairs: np.ndarray, maybe_threshold: float = 0.8
) -> np.ndarray:
    """Candidate pairs worth scoring: similar titles, a shared DOI, or a missing title.

    Agreeing fields add at most ``MAX_BONUS`` to the title similarity, so a pair whose
    titles are further apart than that below ``maybe_threshold`` is distinct anyway
    (unless its whole citation matches: translated titles).
    """
    min_title = min(MIN_TITLE, maybe_threshold - MAX_BONUS)
    if len(pairs) == 0:
        return pairs
    i, j = pairs[:, 0], pairs[:, 1]
    ta, tb = table.title[i], table.title[j]
    quick = _ratio(ta, tb)
    same_place = (table.volume[i] != "") & (table.volume[i] == table.volume[j])
    same_place &= (table.page_lo[i] >= 0) & (table.page_lo[i] == table.page_lo[j])
    keep = (quick >= min_title) | ((quick >= CITATION_TITLE) & same_place)
    keep |= (ta == "") | (tb == "")
    keep |= (table.doi[i] != "") & (table.doi[i] == table.doi[j])
    keep |= (table.pmid[i] != "") & (table.pmid[i] == table.pmid[j])
    la, lb = table.title_len[i], table.title_len[j]
    uneven = ~keep & (np.minimum(la, lb) >= 20) & (np.minimum(la, lb) < 0.9 * np.maximum(la, lb))
    if uneven.any():  # a truncated title or one inside the other: compare the best part
        idx = np.flatnonzero(uneven)
        part = _ratio(ta[idx], tb[idx], scorer=fuzz.partial_ratio)
        keep[idx[part >= 0.9]] = True
    return pairs[keep]


def score_pairs(
    table: MatchTable,
    pairs: np.ndarray,
    maybe_threshold: float = 0.8,
    duplicate_threshold: float = 0.93,
) -> ScoredPairs:
    """Score candidate pairs and decide duplicate / maybe / distinct.

    Pairs whose titles are too far apart to reach ``maybe_threshold`` whatever the other
    fields say are dropped first (they are distinct), so the costly comparisons run on few.
    """
    pairs = plausible_pairs(table, pairs, maybe_threshold)
    table.prepare(pairs.ravel())
    i, j = pairs[:, 0], pairs[:, 1]
    n = len(i)
    title = title_similarity(table.title[i], table.title[j])
    has_title = (table.title[i] != "") & (table.title[j] != "")
    score = np.where(has_title, title, 0.5)
    notes: list[tuple[np.ndarray, str]] = []

    def note(mask: np.ndarray, text: str) -> None:
        notes.append((mask, text))

    doi_i, doi_j = table.doi[i], table.doi[j]
    doi_same = (doi_i != "") & (doi_i == doi_j)
    pmid_same = (table.pmid[i] != "") & (table.pmid[i] == table.pmid[j])
    doi_equal = doi_same | pmid_same  # one identifier names both records
    score = np.where(doi_equal & (score >= 0.7), np.maximum(score + 0.1, 0.97), score)
    note(doi_same, "doi equal")
    note(pmid_same, "PubMed id equal")

    # authors: first author surname, then the whole list; a group name proves little
    fa_i, fa_j = table.first_author[i], table.first_author[j]
    corporate = table.corporate[i] | table.corporate[j]
    has_authors = (fa_i != "") & (fa_j != "")
    first_sim = _ratio(fa_i, fa_j)
    list_sim = _ratio(table.surnames[i], table.surnames[j], scorer=fuzz.token_set_ratio)
    authors_agree = has_authors & ~corporate & ((first_sim >= 0.85) | (list_sim >= 0.9))
    authors_differ = has_authors & ~corporate & ~authors_agree & (list_sim < 0.5)
    if authors_differ.any():  # garbled formats: does any surname appear among the words?
        idx = np.flatnonzero(authors_differ)
        shared = _ratio(
            table.author_words[i[idx]], table.author_words[j[idx]], fuzz.token_set_ratio
        )
        authors_differ[idx[shared >= 0.9]] = False
    score = score + np.where(authors_agree, 0.03, 0.0) - np.where(authors_differ, 0.2, 0.0)
    note(authors_agree, "authors agree")
    note(authors_differ, "authors differ")

    y_i, y_j = table.year[i], table.year[j]
    has_year = (y_i > 0) & (y_j > 0)
    dy = np.abs(y_i - y_j)
    score = score + np.where(has_year & (dy == 0), 0.02, 0.0)
    score = score - np.where(has_year & (dy == 1), 0.03, 0.0)
    note(has_year & (dy == 0), "year equal")
    note(has_year & (dy == 1), "years one apart")

    j_i, j_j = table.journal[i], table.journal[j]
    has_journal = (j_i != "") & (j_j != "")
    journal_words_sim = _ratio(table.journal_words[i], table.journal_words[j], fuzz.token_set_ratio)
    journal_agree = has_journal & ((j_i == j_j) | (journal_words_sim >= 0.85))
    same_place = (table.volume[i] != "") & (table.volume[i] == table.volume[j])
    same_place &= (table.page_lo[i] >= 0) & (table.page_lo[i] == table.page_lo[j])
    for k in np.flatnonzero(has_journal & ~journal_agree & ((title >= 0.75) | same_place)):
        a, b = table.journal_words[i[k]], table.journal_words[j[k]]
        journal_agree[k] = same_journal(a, b)
    conference = (table.venue[i] == "conference") | (table.venue[j] == "conference")
    # "Blood" and "Blood Advances" share every word of one name: two journals all the same;
    # so are two of a family named less alike ("Nephron - Clinical Practice" and "Nephron -
    # Experimental Nephrology" share a volume's numbers; "Journal of Neurosurgery-Spine")
    sister = np.zeros(n, dtype=bool)
    named_two_ways = has_journal & ~conference & (table.venue_name[i] != table.venue_name[j])
    named_two_ways &= journal_agree | (title >= 0.75)
    for k in np.flatnonzero(named_two_ways):
        sister[k] = sister_journal(table.venue_name[i[k]], table.venue_name[j[k]])
    journal_agree &= ~sister
    journal_differ = has_journal & ~journal_agree & (journal_words_sim < 0.6) & ~conference
    score = score + np.where(journal_agree, 0.02, 0.0) - np.where(journal_differ, 0.1, 0.0)
    note(journal_agree, "journal agrees")
    note(journal_differ, "journals differ")

    v_i, v_j = table.volume[i], table.volume[j]
    has_volume = (v_i != "") & (v_j != "")
    volume_equal = has_volume & (v_i == v_j)
    score = score + np.where(volume_equal, 0.02, 0.0)
    score = score - np.where(has_volume & ~volume_equal, 0.1, 0.0)
    note(volume_equal, "volume equal")
    note(has_volume & ~volume_equal, "volume differs")

    has_pages = (table.page_lo[i] >= 0) & (table.page_lo[j] >= 0)
    overlap = ranges_overlap(table, i, j)
    pages_agree = has_pages & overlap
    pages_differ = has_pages & ~overlap
    score = score + np.where(pages_agree, 0.03, 0.0) - np.where(pages_differ, 0.1, 0.0)
    note(pages_agree, "pages agree")
    note(pages_differ, "pages differ")

    # the same place in the same journal by the same people: a citation match
    citation_match = (
        authors_agree & volume_equal & pages_agree & has_year & (dy == 0) & ~journal_differ
    )
    score = score + np.where(citation_match, 0.05, 0.0)
    # ... with the same first page and journal, a translated or corrected title still matches
    same_first_page = has_pages & (table.page_lo[i] == table.page_lo[j])
    full_citation = citation_match & journal_agree & same_first_page & (title >= CITATION_TITLE)
    score = np.where(full_citation, np.maximum(score, duplicate_threshold), score)
    note(full_citation, "same authors, journal, year, volume and first page")
    # ... and two articles cannot fill the same pages of one volume: a record without
    # authors (an English title given for a foreign-language article) matches on the
    # whole page range, when it spans more than one page and the titles are close
    same_range = has_pages & (table.page_lo[i] == table.page_lo[j])
    same_range &= (table.page_hi[i] == table.page_hi[j]) & (table.page_hi[i] > table.page_lo[i])
    same_pages_cited = (
        same_range
        & ~has_authors
        & volume_equal
        & journal_agree
        & has_year
        & (dy == 0)
        & (title >= SAME_PAGES_TITLE)
    )
    score = np.where(same_pages_cited, np.maximum(score, duplicate_threshold), score)
    note(same_pages_cited, "same journal, year, volume and page range; authors missing")

    a_i, a_j = table.abstract[i], table.abstract[j]
    has_abstract = (a_i != "") & (a_j != "")
    abstract_sim = np.zeros(n)
    if has_abstract.any():
        idx = np.flatnonzero(has_abstract)
        abstract_sim[idx] = _ratio(a_i[idx], a_j[idx])
    abstracts_agree = has_abstract & (abstract_sim >= 0.9)
    score = score + np.where(abstracts_agree, 0.03, 0.0)
    score = score - np.where(has_abstract & (abstract_sim < 0.5), 0.1, 0.0)
    note(abstracts_agree, "abstracts agree")
    note(has_abstract & (abstract_sim < 0.5), "abstracts differ")

    clash = np.zeros(n, dtype=bool)
    close = np.flatnonzero((title >= 0.75) & (title < 1.0))
    clash[close] = identifier_clash(table.title[i[close]], table.title[j[close]])
    score = score - np.where(clash, 0.1, 0.0)
    note(clash, "titles differ in a letter or number")

    # a word of what the study is about differs ("children" / "adults", "non-"): two
    # studies by one team, unless the DOI, the place (volume and pages) or the abstract
    # says one; a person checks it then (maybe at most)
    reworded = np.zeros(n, dtype=bool)
    # (only where it can matter: pairs scored high enough to merge or to be checked)
    for k in np.flatnonzero(
        has_title & (title >= 0.75) & (title < 1.0) & (score >= maybe_threshold)
    ):
        reworded[k] = word_clash(table.title[i[k]], table.title[j[k]])
    word_clashed = reworded.copy()
    # ... or one is a part of a series ("X: part 1") and the other the title alone
    series_one = (table.series[i] != "") != (table.series[j] != "")
    reworded |= series_one
    # (pages agreeing on a page or two prove little: a page holds several meeting abstracts)
    many_pages = (table.page_span[i] > 2) & (table.page_span[j] > 2)
    reworded &= ~doi_equal & ~(pages_agree & many_pages & ~journal_differ) & ~abstracts_agree
    reworded &= ~full_citation
    uncapped = score.copy()  # the score the rules below cap, for the reason of a maybe
    score = np.where(reworded, np.minimum(score, duplicate_threshold - 0.01), score)
    note(reworded, "titles differ in a word of what they are about")

    # short or generic titles ("Editorial") say little: ask for authors and place too
    words_i = np.fromiter((t.count(" ") + 1 if t else 0 for t in table.title[i]), np.int64, n)
    words_j = np.fromiter((t.count(" ") + 1 if t else 0 for t in table.title[j]), np.int64, n)
    short_title = np.minimum(words_i, words_j) < SHORT_TITLE_WORDS
    # (a volume holds an editorial per issue: the volume alone does not place one)
    issue_equal = (table.issue[i] != "") & (table.issue[i] == table.issue[j])
    corroborated = authors_agree & (pages_agree | (volume_equal & issue_equal) | doi_equal)
    weak = short_title & ~corroborated
    score = score - np.where(weak, 0.2, 0.0)
    uncapped = uncapped - np.where(weak, 0.2, 0.0)
    note(weak, "short title without authors and pages to confirm")

    # short titles that differ only in their last word ("... construct pGL3-Luc" vs
    # "... construct pGL3-Ren") name two things; one author and no venue cannot tell
    one_author = np.fromiter(
        (
            min(a.count(" "), b.count(" ")) == 0
            for a, b in zip(table.surnames[i], table.surnames[j], strict=True)
        ),
        dtype=bool,
        count=n,
    )
    place_support = journal_agree | volume_equal | pages_agree | doi_equal | abstracts_agree
    last_word = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(~place_support & (title < 1.0) & (title >= 0.75) & one_author):
        last_word[k] = _only_last_word_differs(table.title[i[k]], table.title[j[k]])
    score = np.where(last_word, np.minimum(score, duplicate_threshold - 0.01), score)
    note(last_word, "short titles differ in their last word; one author, no venue")

    # different journal or volume: two publications (abstract and article, journal club)
    cap = np.zeros(n, dtype=bool)
    # (journals named too differently to match ("Infec Agents Cancer [Elec Resou"), with
    # the same abstract in the same volume or on the same pages: one article)
    two_places = (has_volume & ~volume_equal & ~journal_agree) | (
        journal_differ & ~(volume_equal & (pages_agree | issue_equal))
    )
    two_places &= ~(abstracts_agree & (pages_agree | volume_equal) & (title >= 0.98))
    cap |= two_places
    note(two_places, "different journal or volume")
    # years one apart: fine for a print/online split, but ask for the place to agree ...
    # (the same journal is enough for an online-first record and its print one, but not
    # when both give an issue and the issues differ: a protocol and its review, a reprint)
    issues_differ = (table.issue[i] != "") & (table.issue[j] != "") & ~issue_equal
    year_gap = has_year & (dy == 1) & ~(volume_equal | pages_agree | doi_equal)
    year_gap &= ~(journal_agree & ~issues_differ)
    # ... or, for a conference paper (dated by the meeting in one export and by the
    # proceedings in the other), for the same long title by the same whole author list
    # with nothing placing the two apart. Not for a thesis and its Dissertation Abstracts
    # entry: the labelled sets call one such pair the same and another different.
    both_conference = (table.venue[i] == "conference") & (table.venue[j] == "conference")
    if (year_gap & both_conference).any():
        idx = np.flatnonzero(year_gap & both_conference)
        whole_list = _ratio(table.surnames[i[idx]], table.surnames[j[idx]], fuzz.token_sort_ratio)
        long_title = np.minimum(words_i, words_j)[idx] >= SAME_WORK_TITLE_WORDS
        nothing_apart = (
            ~(journal_differ | (has_volume & ~volume_equal) | pages_differ | clash | corporate)[idx]
            & ~(has_abstract & (abstract_sim < 0.9))[idx]
        )
        same_work = (title[idx] >= 0.98) & long_title & (whole_list >= 0.95) & nothing_apart
        same_work &= authors_agree[idx]
        year_gap[idx[same_work]] = False
        one_meeting = np.zeros(n, dtype=bool)
        one_meeting[idx[same_work]] = True
        note(one_meeting, "one conference paper: same title and authors, years one apart")
    cap |= year_gap
    note(year_gap, "years one apart and nothing else places both in one issue")
    # sister journals (or one journal named two ways): one article only if its place (volume
    # and pages) or its pages and abstract say so too
    first_page = (table.page_label[i] != "") & (table.page_label[i] == table.page_label[j])
    # ... the same pages with a section's letter written by one export only ("c37-c42" and
    # "37-42": Karger's Nephron Clinical Practice); "c37-c42" and "e37-e42" are two articles
    one_letter = table.section_letter[i] != table.section_letter[j]
    one_letter &= (table.section_letter[i] == "") | (table.section_letter[j] == "")
    section_pages = one_letter & (table.section_range[i] != "")
    section_pages &= table.section_range[i] == table.section_range[j]
    note(section_pages, "the same pages, one with its section's letter")
    placed = (pages_agree | first_page | section_pages) & (volume_equal | abstracts_agree)
    sisters = sister & ~placed
    cap |= sisters
    note(sisters, "sister journals (one name and the same name with a word more)")
    score = np.where(cap & ~doi_equal, np.minimum(score, duplicate_threshold - 0.01), score)

    # a title alone (no other field agrees) must be near identical to count as a duplicate
    support = authors_agree | journal_agree | volume_equal | pages_agree | abstracts_agree
    thin = ~support & ~doi_equal & (title < 0.98)
    score = np.where(thin, np.minimum(score, duplicate_threshold - 0.01), score)
    note(thin, "little besides the title to compare")

    # one text printed twice by one journal: a second DOI and place, not a second report
    same = same_text(table, i, j)
    reprinted = same & ~doi_equal
    doi_differ = (doi_i != "") & (doi_j != "") & (doi_i != doi_j)
    reprinted &= doi_differ | (has_volume & ~volume_equal) | pages_differ | (has_year & (dy != 0))
    score = np.where(reprinted, np.maximum(score, duplicate_threshold), score)
    note(reprinted, "the same title, authors and abstract: one text printed twice")

    strength = np.round(score, 3)
    score = np.clip(score, 0.0, 1.0)
    rule = np.full(n, "similarity", dtype=object)
    rule[(full_citation | same_pages_cited) & (score >= duplicate_threshold)] = "citation"
    rule[doi_same & (score >= duplicate_threshold)] = "doi"
    rule[pmid_same & ~doi_same & (score >= duplicate_threshold)] = "pmid"
    rule[reprinted] = "same text"
    outcome = np.where(
        score >= duplicate_threshold, DUPLICATE, np.where(score >= maybe_threshold, MAYBE, DISTINCT)
    ).astype(object)

    # two records of one search are duplicates only when near identical
    s_i, s_j = table.search[i], table.search[j]
    same_search = (s_i != "") & (s_i == s_j)
    near_identical = (
        (title >= 0.98)
        & ~authors_differ
        & ~(has_year & (dy != 0))
        & ~(has_volume & (v_i != v_j))
        & ~pages_differ
    )
    # (as exported: the keys write British spelling the American way, one search does not)
    for k in np.flatnonzero(same_search & near_identical & (outcome == DUPLICATE)):
        a, b = table.raw_title[i[k]].casefold(), table.raw_title[j[k]].casefold()
        near_identical[k] = a == b or fuzz.ratio(a, b) >= 98
    demote = same_search & (outcome == DUPLICATE) & ~near_identical
    outcome[demote] = MAYBE
    rule[demote] = "same search, not identical"
    note(same_search, "same search")

    veto = pair_vetoes(table, i, j, same)
    vetoed = veto != ""
    outcome[vetoed] = DISTINCT
    rule[vetoed] = np.array([f"veto: {v}" for v in veto[vetoed]], dtype=object)

    # evidence in words, only for the pairs a person may read (not the distinct ones)
    shown = np.flatnonzero((outcome != DISTINCT) | (vetoed & (score >= maybe_threshold)))
    evidence = np.full(n, "", dtype=object)
    if len(shown):
        parts: list[list[str]] = [[f"title similarity {title[k]:.2f}"] for k in shown]
        for mask, text in notes:
            for slot in np.flatnonzero(mask[shown]):
                parts[slot].append(text)
        for slot, k in enumerate(shown):
            if vetoed[k] and veto[k] == "notice":  # which kinds, in the reviewer's words
                one_i, one_j = pair_notices(table, i[k : k + 1], j[k : k + 1])
                kinds = [one_i[0] or "article", one_j[0] or "article"]
                parts[slot].append(f"a notice vs another record ({kinds[0]} / {kinds[1]})")
            elif vetoed[k]:
                parts[slot].append(VETO_REASONS[veto[k]])
        # a maybe pair's evidence starts with the rule that kept it apart (reasons.py)
        decided = Decided(
            title=title,
            score=np.round(score, 3),
            uncapped=uncapped,
            duplicate_threshold=duplicate_threshold,
            word_clash=reworded & word_clashed,
            series=reworded & series_one,
            last_word=last_word,
            two_places=two_places & ~doi_equal,
            year_gap=year_gap & ~doi_equal,
            sisters=sisters & ~doi_equal,
            thin=thin,
            same_search=demote,
            authors_differ=authors_differ,
            years_one_apart=has_year & (dy == 1),
            journals_differ=journal_differ,
            volumes_differ=has_volume & ~volume_equal,
            pages_differ=pages_differ,
            abstracts_differ=has_abstract & (abstract_sim < 0.5),
            identifier_clash=clash,
            short_title=weak,
        )
        for slot, k in enumerate(shown):
            if outcome[k] == MAYBE:
                parts[slot][0] = (
                    f"{kept_apart(table, i, j, k, decided)}. Evidence: {parts[slot][0]}"
                )
        evidence[shown] = ["; ".join(p) for p in parts]
    # (journal names and author lists are too often garbled or abbreviated to count here)
    # (nor a year apart: an online-first record and its print one)
    differs = (has_volume & ~volume_equal) | pages_differ | sisters | reworded
    differs |= has_abstract & (abstract_sim < 0.5)
    return ScoredPairs(
        i=i,
        j=j,
        score=np.round(score, 3),
        outcome=outcome,
        rule=rule,
        evidence=evidence,
        veto=veto,
        differs=differs,
        strength=strength,
    )
