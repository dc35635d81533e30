"""Scoring candidate pairs: similarity of what both records have, and the three outcomes.

Many records lack a DOI, an abstract or an issue, so each field counts only when both
records carry it. The title similarity is the base; agreeing authors, year, journal,
volume, pages and abstract raise it, disagreeing ones lower it. A pair is a duplicate at
or above ``duplicate_threshold``, a maybe (for a person to check) at or above
``maybe_threshold``, distinct below. Vetoes (prismake.dedupe.vetoes) make a pair distinct.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from prismake.dedupe.normalise import MatchTable
from prismake.dedupe.venues import same_journal
from prismake.dedupe.vetoes import VETO_REASONS, pair_vetoes, ranges_overlap, same_text

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
        if a == b or not a or not b:
            continue
        wa, wb = set(a.split()), set(b.split())
        only_a, only_b = wa - wb, wb - wa
        if not only_a or not only_b:
            continue
        short_a = any(len(w) <= 2 or (any(c.isdigit() for c in w) and len(w) <= 6) for w in only_a)
        short_b = any(len(w) <= 2 or (any(c.isdigit() for c in w) and len(w) <= 6) for w in only_b)
        out[k] = short_a and short_b
    return out


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

    # short or generic titles ("Editorial") say little: ask for authors and place too
    words_i = np.fromiter((t.count(" ") + 1 if t else 0 for t in table.title[i]), np.int64, n)
    words_j = np.fromiter((t.count(" ") + 1 if t else 0 for t in table.title[j]), np.int64, n)
    short_title = np.minimum(words_i, words_j) < SHORT_TITLE_WORDS
    corroborated = authors_agree & (pages_agree | volume_equal | doi_equal)
    weak = short_title & ~corroborated
    score = score - np.where(weak, 0.2, 0.0)
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
    issue_equal = (table.issue[i] != "") & (table.issue[i] == table.issue[j])
    two_places = (has_volume & ~volume_equal & ~journal_agree) | (
        journal_differ & ~(volume_equal & (pages_agree | issue_equal))
    )
    cap |= two_places
    note(two_places, "different journal or volume")
    # years one apart: fine for a print/online split, but ask for the place to agree ...
    year_gap = has_year & (dy == 1) & ~(volume_equal | pages_agree | doi_equal | journal_agree)
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
            if vetoed[k]:
                parts[slot].append(VETO_REASONS[veto[k]])
        evidence[shown] = ["; ".join(p) for p in parts]
    return ScoredPairs(
        i=i,
        j=j,
        score=np.round(score, 3),
        outcome=outcome,
        rule=rule,
        evidence=evidence,
        veto=veto,
    )
