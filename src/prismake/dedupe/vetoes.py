"""Hard vetoes: evidence that two records are different reports, whatever their titles say.

A false merge silently removes a study from a review, so these checks win over any
similarity score, and the clustering applies them to every pair of a would-be group
(not only to the pairs that were scored), so no chain can join two vetoed records.
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from prismake.dedupe.normalise import MatchTable
from prismake.dedupe.venues import same_journal

CITATION_TITLE = 0.95  # titles this alike, in one citation, outweigh two different DOIs

# reason shown in merges/to_check and used in tests, by veto
VETO_REASONS = {
    "doi": "different DOIs",
    "pmid": "different PubMed ids",
    "registry": "different trial registrations",
    "series": "different part or series numbers",
    "numbers": "different numbers in the titles",
    "notice": "a notice (erratum, correction, comment, reply, retraction) vs another record",
    "pages": "different page ranges in the same journal volume",
    "issue": "different issues of the same journal volume",
    "venue": "a conference abstract or paper vs a journal article",
    "abstract": "a meeting abstract (supplement, S/A pages, meeting venue) vs an article elsewhere",
    "meeting": "two meeting abstracts on different pages (two meetings, or two abstracts)",
    "year": "years more than one apart",
    "apart": "two records scored as different reports",  # only for chains (engine.py)
}


def _both(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (x != "") & (y != "")


def _neither_subset(a: str, b: str) -> bool:
    """Numbers of two titles conflict: each has one the other lacks (a typo drops one)."""
    sa, sb = set(a.split()), set(b.split())
    return not (sa <= sb or sb <= sa)


# what follows a DOI to name another version of its work: Cochrane's ".pub2" (a review
# updated, or a protocol become a review), ".v2"
_VERSION_TAIL = re.compile(r"^[./_-](?:pub|v|version)\d+$", re.IGNORECASE)


_ARTICLE_NUMBER = re.compile(r"^[a-z]{1,2}\d{4,}$")  # "e008123", "e0192222", "cd003968"


def cut_short(short: str, full: str) -> bool:
    """``short`` is ``full`` cut short by an export (a field too narrow), not another DOI:
    "10.1002/14651858.CD012345" and "...CD012345.pub2" are a protocol and its review,
    "10.2196/12345" and "10.2196/123456" stay one DOI cut short (a number may be)."""
    if not full.startswith(short):
        return False
    tail = full[len(short) :]
    return not _VERSION_TAIL.match(tail)


def ranges_overlap(table: MatchTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Page ranges share a page ("488" and "487-488"; a wrong last page is common)."""
    return (table.page_lo[i] <= table.page_hi[j]) & (table.page_lo[j] <= table.page_hi[i])


# what follows a notice word without its colon must be the other title, closer than the
# whole titles are ("Re Effect of X" and "Effect of X"; a title cut short or a typo too)
BARE_NOTICE_TITLE = 0.9


def pair_notices(table: MatchTable, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The notice kind of each record of the pairs (i[k], j[k]), as the pair reads them.

    A title's own words make most notices ("Erratum: ...", "Re: ..."). A notice word
    without its colon ("Re Effect of X on Y", "Re. ...", "Response to ...") makes a
    letter of a record only beside the record whose title is the rest: "Re Effect of X"
    and "Effect of X" are a letter and its article, "Response to treatment in X" beside
    another title is a title; two records that both start so are one text.
    """
    notice_i, notice_j = table.notice[i], table.notice[j]
    bare_i, bare_j = table.bare_notice[i], table.bare_notice[j]
    one_bare = np.flatnonzero((bare_i != "") != (bare_j != ""))
    if len(one_bare) == 0:
        return notice_i, notice_j
    notice_i, notice_j = notice_i.copy(), notice_j.copy()
    for k in one_bare:
        a, b = (i[k], j[k]) if bare_i[k] else (j[k], i[k])
        if table.notice[a]:  # "Reply ...": a notice by its own words already
            continue
        rest, other = table.bare_key[a], table.title[b]
        alike = fuzz.ratio(rest, other) / 100
        if alike >= BARE_NOTICE_TITLE and alike > fuzz.ratio(table.title[a], other) / 100:
            if a == i[k]:
                notice_i[k] = table.bare_notice[a]
            else:
                notice_j[k] = table.bare_notice[a]
    return notice_i, notice_j


def pair_vetoes(
    table: MatchTable, i: np.ndarray, j: np.ndarray, reprinted: np.ndarray | None = None
) -> np.ndarray:
    """The first veto that applies to each pair (i[k], j[k]), as a name; "" when none.

    ``reprinted``: ``same_text`` of the pairs, when the caller has it already.
    """
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    reason = np.full(len(i), "", dtype=object)
    free = np.ones(len(i), dtype=bool)
    # one text printed twice gets a second DOI, PubMed id, pages and issue (same_text)
    if reprinted is None:
        reprinted = same_text(table, i, j)

    def mark(name: str, hit: np.ndarray) -> None:
        chosen = free & hit
        if name in ("doi", "pmid", "pages", "issue"):
            chosen &= ~reprinted
        reason[chosen] = name
        free[chosen] = False

    doi_i, doi_j = table.doi[i], table.doi[j]
    # two DOIs name two articles, unless everything else says one: a mistyped DOI
    # ("jaha.e000457" for "jaha.113.000457") or one pasted from the next record
    differ = np.flatnonzero(_both(doi_i, doi_j) & (doi_i != doi_j))
    if len(differ):  # a DOI cut short is the same DOI, partly copied; not a version
        cut = [
            cut_short(a, b) or cut_short(b, a)
            for a, b in zip(doi_i[differ], doi_j[differ], strict=True)
        ]
        differ = differ[~np.array(cut, dtype=bool)]
    if len(differ):
        hit = np.zeros(len(i), dtype=bool)
        hit[differ[~same_citation(table, i[differ], j[differ])]] = True
        mark("doi", hit)
    pmid_i, pmid_j = table.pmid[i], table.pmid[j]
    mark("pmid", _both(pmid_i, pmid_j) & (pmid_i != pmid_j))
    reg_i, reg_j = table.registry[i], table.registry[j]
    mark("registry", _both(reg_i, reg_j) & (reg_i != reg_j))
    ser_i, ser_j = table.series[i], table.series[j]
    mark("series", _both(ser_i, ser_j) & (ser_i != ser_j))
    notice_i, notice_j = pair_notices(table, i, j)
    # One DOI, a type word on one export only: the item itself. An article marked
    # "RETRACTED:" (a review "WITHDRAWN:") keeps its DOI; a commentary or letter a database
    # titles "Commentary: ..." or "Letter: ..." has its own DOI, not its article's. Not for
    # errata: an erratum carrying its article's DOI is a known export error.
    one_doi = (doi_i != "") & (doi_i == doi_j)
    marks = ("retracted", "comment", "reply")
    marked = (np.isin(notice_i, marks) & (notice_j == "")) | (
        np.isin(notice_j, marks) & (notice_i == "")
    )
    mark("notice", (notice_i != notice_j) & ~(marked & one_doi))
    venue_i, venue_j = table.venue[i], table.venue[j]
    # an abstract printed in a journal supplement names that journal: not a veto then
    other_journal = table.journal[i] != table.journal[j]
    mark("venue", _both(venue_i, venue_j) & (venue_i != venue_j) & other_journal)
    vol_i, vol_j = table.volume[i], table.volume[j]
    pg_i, pg_j = table.page_first[i], table.page_first[j]
    same_doi = ((doi_i != "") & (doi_i == doi_j)) | (
        (table.pmid[i] != "") & (table.pmid[i] == table.pmid[j])
    )
    # a meeting abstract and an article (or two abstracts) are two reports, unless they
    # sit on the same page of one journal (one abstract, exported twice); checked only
    # where a meeting abstract is involved (few pairs)
    abs_i, abs_j = table.meeting_abstract[i], table.meeting_abstract[j]
    involved = np.flatnonzero(abs_i | abs_j)
    if len(involved):
        a, b = i[involved], j[involved]
        num_a, num_b = table.page_number[a], table.page_number[b]
        has_num = (num_a >= 0) & (num_b >= 0)
        same_journal = (table.journal[a] != "") & (table.journal[a] == table.journal[b])
        vol_a, vol_b = table.volume[a], table.volume[b]
        # (an abstract known only by its number, "Abstract 1234", is not placed in the
        # pages of an article of the same volume)
        numbered = (table.abstract_number[a] & table.article[b]) | (
            table.abstract_number[b] & table.article[a]
        )
        one_place = same_journal & np.where(
            has_num,
            num_a == num_b,
            _both(vol_a, vol_b) & (vol_a == vol_b) & (table.year[a] == table.year[b]) & ~numbered,
        )
        abs_a, abs_b = table.meeting_abstract[a], table.meeting_abstract[b]
        repaginated = np.zeros(len(i), dtype=bool)
        repaginated[involved] = one_abstract_repaginated(table, a, b)
        apart = ((abs_a & table.article[b]) | (abs_b & table.article[a])) & ~one_place
        hit = np.zeros(len(i), dtype=bool)
        hit[involved] = apart & ~same_doi[involved]
        mark("abstract", hit)
        # two abstracts (a page or two each) on different pages are two abstracts; a
        # proceedings paper that databases paginate differently spans more: not here
        one_page = table.one_page[a] & table.one_page[b]
        two = abs_a & abs_b & one_page & has_num & (num_a != num_b)
        hit = np.zeros(len(i), dtype=bool)
        hit[involved] = two & ~same_doi[involved] & ~repaginated[involved]
        mark("meeting", hit)
    else:
        repaginated = np.zeros(len(i), dtype=bool)
    same_issue = (
        _both(vol_i, vol_j)
        & (vol_i == vol_j)
        & ((table.journal[i] == table.journal[j]) | (table.year[i] == table.year[j]))
    )
    # a DOI or PubMed id names one article: differing pages or issues are typos then
    # ... and so is the page of one meeting abstract that two databases number differently
    known = ~same_doi & ~repaginated
    mark("pages", same_issue & _both(pg_i, pg_j) & ~ranges_overlap(table, i, j) & known)
    # article numbers ("e008123", "e008456": no page range to compare) name articles too;
    # not a supplement's short pages ("e3", "e8-e9": databases number abstracts apart)
    lab_i, lab_j = table.page_label[i], table.page_label[j]
    # (Cochrane reviews often come without a volume: one journal and year is the place)
    same_year_journal = (table.journal[i] != "") & (table.journal[i] == table.journal[j])
    same_year_journal &= (table.year[i] > 0) & (table.year[i] == table.year[j])
    numbered = same_issue | (same_year_journal & (vol_i == "") & (vol_j == ""))
    numbered = np.flatnonzero(numbered & (pg_i == "") & (pg_j == "") & _both(lab_i, lab_j))
    if len(numbered):
        hit = np.zeros(len(i), dtype=bool)
        hit[numbered] = [
            x != y and bool(_ARTICLE_NUMBER.match(x)) and bool(_ARTICLE_NUMBER.match(y))
            for x, y in zip(lab_i[numbered], lab_j[numbered], strict=True)
        ]
        mark("pages", hit & known)
    # "Suppl 1" and "1": one export kept the word, the other did not; compare the numbers
    iss_i, iss_j = table.issue_number[i], table.issue_number[j]
    same_pages = (table.page_lo[i] >= 0) & (table.page_lo[i] == table.page_lo[j])
    same_pages &= table.page_hi[i] == table.page_hi[j]  # then the issue is the typo
    mark("issue", same_issue & _both(iss_i, iss_j) & (iss_i != iss_j) & known & ~same_pages)
    num_i, num_j = table.numbers[i], table.numbers[j]
    differ = np.flatnonzero(_both(num_i, num_j) & (num_i != num_j))
    if len(differ):
        neither_subset = np.array([_neither_subset(num_i[k], num_j[k]) for k in differ], dtype=bool)
        hit = np.zeros(len(i), dtype=bool)
        hit[differ[neither_subset]] = True
        # one DOI on the same pages of one volume: the title's numbers were written two
        # ways ("COVID-19" / "2019-nCoV", an en dash lost: "18-65" / "1865")
        placed = same_issue & (table.page_lo[i] >= 0) & ranges_overlap(table, i, j)
        mark("numbers", hit & ~(same_doi & placed))
    y_i, y_j = table.year[i], table.year[j]
    mark("year", (y_i > 0) & (y_j > 0) & (np.abs(y_i - y_j) > 1))
    return reason


REPAGINATED_TITLE = 0.98  # one abstract: the same title, as near as two exports write it
SAME_AUTHOR_LIST = 0.95


def one_abstract_repaginated(table: MatchTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One meeting abstract whose page two databases give differently (an abstract number
    for a page, or fields shifted by an export that lost the volume).

    Both records a page at most, one a meeting abstract, in the same journal and year; the
    same title and the same author list in the same order (two authors at least, or
    agreeing abstract texts); no volume or issue that disagrees (an issue counts only
    beside a volume: an export that lost the volume shifts it into the issue field), and
    not two different printed supplement pages ("56A" and "333A"). One study at two
    meetings of one journal stays apart by its two supplement issues or printed pages.
    """
    out = np.zeros(len(i), dtype=bool)
    vol_i, vol_j = table.volume[i], table.volume[j]
    iss_i, iss_j = table.issue_number[i], table.issue_number[j]
    candidate = (table.meeting_abstract[i] | table.meeting_abstract[j]) & (
        table.one_page[i] & table.one_page[j]
    )
    candidate &= (table.journal[i] != "") & (table.journal[i] == table.journal[j])
    candidate &= (table.year[i] > 0) & (table.year[i] == table.year[j])
    candidate &= ~(_both(vol_i, vol_j) & (vol_i != vol_j))
    candidate &= ~(_both(vol_i, vol_j) & _both(iss_i, iss_j) & (iss_i != iss_j))
    candidate &= (table.title[i] != "") & (table.first_author[i] != "")
    # one abstract keeps its author order; a different first author presented it elsewhere
    candidate &= table.first_author[i] == table.first_author[j]
    # a page with the supplement's letter ("56A", "S88") is where the abstract was printed:
    # two such pages are two abstracts (only a bare number may be an abstract's number)
    lab_i, lab_j = table.page_label[i], table.page_label[j]
    printed = np.array(
        [not x.isdigit() and not y.isdigit() for x, y in zip(lab_i, lab_j, strict=True)],
        dtype=bool,
    )
    candidate &= ~(printed & _both(lab_i, lab_j) & (lab_i != lab_j))
    idx = np.flatnonzero(candidate)
    if len(idx) == 0:
        return out
    a, b = i[idx], j[idx]
    table.prepare(np.concatenate([a, b]))
    title = cpdist(list(table.title[a]), list(table.title[b]), scorer=fuzz.ratio, workers=1)
    names = cpdist(
        list(table.surnames[a]), list(table.surnames[b]), scorer=fuzz.token_sort_ratio, workers=1
    )
    several = np.array(
        [" " in x and " " in y for x, y in zip(table.surnames[a], table.surnames[b], strict=True)],
        dtype=bool,
    )
    texts = (table.abstract[a] != "") & (table.abstract[b] != "")
    agree = np.zeros(len(idx), dtype=bool)
    if texts.any():
        k = np.flatnonzero(texts)
        agree[k] = cpdist(list(table.abstract[a[k]]), list(table.abstract[b[k]]), workers=1) >= 90
    out[idx] = (
        (title / 100.0 >= REPAGINATED_TITLE)
        & (names / 100.0 >= SAME_AUTHOR_LIST)
        & (several | agree)
        & ~(texts & ~agree)
    )
    return out


SAME_TEXT = 0.98  # titles and abstracts this alike are one text
SAME_TEXT_TITLE_WORDS = 6
SAME_TEXT_ABSTRACT_CHARS = 200


def same_text(table: MatchTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One text that a journal printed twice (a reprint, a republication after a
    production error): the same long title, the same author list and the same abstract.

    Two different studies do not share a whole abstract, so the text outweighs what a
    second printing changes: its DOI, PubMed id, pages and issue. Only within one journal
    and a year; not for notices (their own veto) nor for meeting abstracts (one abstract
    at two meetings is two reports).
    """
    out = np.zeros(len(i), dtype=bool)
    candidate = (table.journal[i] != "") & (table.journal[i] == table.journal[j])
    y_i, y_j = table.year[i], table.year[j]
    candidate &= (y_i > 0) & (y_j > 0) & (np.abs(y_i - y_j) <= 1)
    candidate &= (table.notice[i] == "") & (table.notice[j] == "")
    candidate &= ~table.meeting_abstract[i] & ~table.meeting_abstract[j]
    # an item of a page or two is an abstract: one at two meetings is two reports
    candidate &= ~table.one_page[i] & ~table.one_page[j]
    candidate &= (table.surnames[i] != "") & (table.surnames[j] != "")
    idx = np.flatnonzero(candidate)
    long_texts = [
        len(x) >= SAME_TEXT_ABSTRACT_CHARS and len(y) >= SAME_TEXT_ABSTRACT_CHARS
        for x, y in zip(table.raw_abstract[i[idx]], table.raw_abstract[j[idx]], strict=True)
    ]
    idx = idx[np.array(long_texts, dtype=bool)] if len(idx) else idx
    if len(idx) == 0:
        return out
    a, b = i[idx], j[idx]
    table.prepare(np.concatenate([a, b]))
    words = np.fromiter((t.count(" ") + 1 for t in table.title[a]), np.int64, len(a))
    title = cpdist(list(table.title[a]), list(table.title[b]), scorer=fuzz.ratio, workers=1)
    names = cpdist(
        list(table.surnames[a]), list(table.surnames[b]), scorer=fuzz.token_sort_ratio, workers=1
    )
    text = cpdist(list(table.abstract[a]), list(table.abstract[b]), scorer=fuzz.ratio, workers=1)
    # the journal's initials are not enough ("Brain Injury", "Brain Impairment")
    journal = np.fromiter(
        (
            x == y or same_journal(x, y)
            for x, y in zip(table.journal_words[a], table.journal_words[b], strict=True)
        ),
        dtype=bool,
        count=len(a),
    )
    out[idx] = (
        journal
        & (words >= SAME_TEXT_TITLE_WORDS)
        & (title / 100.0 >= SAME_TEXT)
        & (names / 100.0 >= SAME_AUTHOR_LIST)
        & (text / 100.0 >= SAME_TEXT)
        & ~table.corporate[a]
        & ~table.corporate[b]
    )
    return out


def same_citation(table: MatchTable, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Everything but the DOI says one report: the evidence that outweighs two DOIs.

    The same title (near enough), first author and year; no field of the citation that
    both carry disagrees (journal, volume, issue, first page); and the same first
    page. Journal and volume alone are not enough:
    the next article of an issue has the next DOI. A missing author (an anonymous item)
    does not count against it.
    """
    out = np.zeros(len(i), dtype=bool)
    conflict = np.zeros(len(i), dtype=bool)
    for column in (table.journal, table.volume, table.issue, table.page_label):
        x, y = column[i], column[j]
        conflict |= (x != "") & (y != "") & (x != y)
    first_page = (table.page_label[i] != "") & (table.page_label[i] == table.page_label[j])
    fa_i, fa_j = table.first_author[i], table.first_author[j]
    candidate = ~conflict & (table.year[i] == table.year[j]) & (table.title[i] != "")
    candidate &= (fa_i == fa_j) | (fa_i == "") | (fa_j == "")
    idx = np.flatnonzero(candidate)
    if len(idx) == 0:
        return out
    ta, tb = list(table.title[i[idx]]), list(table.title[j[idx]])
    title_same = cpdist(ta, tb, scorer=fuzz.ratio, workers=1) / 100.0 >= CITATION_TITLE
    out[idx] = title_same & first_page[idx]
    return out
