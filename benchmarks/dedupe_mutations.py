"""Mutation benchmark for dedupe: real-world variations, one at a time, on real true pairs.

Usage:
    python benchmarks/dedupe_mutations.py                       # tuning sets
    python benchmarks/dedupe_mutations.py --sets neuroimaging stroke   # held-out sets

Guards against tuning to the labelled sets. From each set it takes the true pairs that
the engine merges as they are, then changes the second record of every pair in one way
that exports really differ (a DOI as a percent-encoded URL, a malformed DOI, an
abbreviated journal, authors without separators, ...): each pair must still merge. It
also builds pairs that must stay apart from the same records: two different articles
given one container DOI, a record and its meeting-abstract version, and one abstract
at two meetings (in two journals, or in two supplements of one journal volume). Prints,
per variation, how many pairs merge.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench" / "dedup"
TUNING = ["cytology_screening", "haematology", "respiratory", "digital_work"]
HELD_OUT = ["neuroimaging", "stroke"]
Record = dict[str, str]
_STOP = {"of", "the", "and", "for", "in", "on", "&"}


def _doi_url(r: Record) -> Record:
    doi = r["doi"].upper()
    return {**r, "doi": "http://dx.doi.org/" + quote(doi, safe="/")}


def _doi_percent_twice(r: Record) -> Record:
    return {**r, "doi": quote(quote(r["doi"], safe="/.-"), safe="/")}


def _doi_prefixed(r: Record) -> Record:
    return {**r, "doi": "doi: " + r["doi"]}


def _doi_suffixed(r: Record) -> Record:
    return {**r, "doi": r["doi"] + "/abstract"}


def _doi_malformed(r: Record) -> Record:
    """A DOI with a part lost on the way (the export dropped a segment)."""
    prefix, suffix = r["doi"].split("/", 1)
    cut = max(len(suffix) - 3, 1)
    return {**r, "doi": f"{prefix}/{suffix[:cut]}"}


def _doi_missing(r: Record) -> Record:
    return {**r, "doi": ""}


def abbreviate_journal(name: str) -> str:
    """Journal of Clinical Oncology -> J Clini Oncol: as ISO 4 does, words cut after a
    few letters, Journal to J, small words dropped."""
    words = [w for w in re.split(r"[\s:.,]+", name) if w and w.lower() not in _STOP]
    cut = ["J" if w.lower() == "journal" else w[:5] if len(w) > 6 else w for w in words]
    return " ".join(cut)


def _journal_abbreviated(r: Record) -> Record:
    return {**r, "journal": abbreviate_journal(r["journal"])}


def glue_authors(authors: str) -> str:
    """ "Smith, John A.; Lee, K." -> "Smith J. A.Lee K." (no separators, as some exports)."""
    from prismake.records import normalise_author, split_authors

    out = []
    for name in split_authors(authors):
        norm = normalise_author(name)
        if not norm:
            continue
        surname, _, initials = norm.rpartition(" ")
        if not surname:
            surname, initials = initials, ""
        out.append(surname + " " + " ".join(c + "." for c in initials) if initials else surname)
    return "".join(out)


def _authors_glued(r: Record) -> Record:
    return {**r, "authors": glue_authors(r["authors"])}


def _title_upper(r: Record) -> Record:
    return {**r, "title": r["title"].upper()}


def _title_punctuation(r: Record) -> Record:
    """Punctuation as another database writes it: spaces for marks, a full stop added."""
    return {**r, "title": re.sub(r"[^\w\s]", " ", r["title"]).strip() + "."}


def _title_html(r: Record) -> Record:
    words = r["title"].split(" ")
    if len(words) > 2:
        words[1] = f"<i>{words[1]}</i>"
    return {**r, "title": " ".join(words).replace(" and ", " &amp; ")}


def short_pages(pages: str) -> str:
    """ "123-129" -> "123-9" (MEDLINE style); other pages unchanged."""
    m = re.fullmatch(r"\s*(\d+)\s*[-–]+\s*(\d+)\s*", pages or "")
    if not m or len(m.group(1)) != len(m.group(2)):
        return pages
    a, b = m.group(1), m.group(2)
    k = 0
    while k < len(a) - 1 and a[k] == b[k]:
        k += 1
    return f"{a}-{b[k:]}"


def _pages_short(r: Record) -> Record:
    return {**r, "pages": short_pages(r["pages"])}


def _next_year(value: str) -> str:
    return str(int(value) + 1) if value.strip().isdigit() else value


def _reprinted(r: Record) -> Record:
    """The same text printed again a year later: new DOI, volume and pages."""
    return {
        **r,
        "year": _next_year(r["year"]),
        "volume": _next_year(r["volume"]),
        "pages": "301-312",
        "doi": (r["doi"] + ".reprint") if r["doi"] else "",
    }


def _long_text(a: Record, b: Record) -> bool:
    """Both records carry an abstract and a title long enough to call a text the same."""
    return all(len(r.get("abstract", "")) >= 200 and len(r["title"].split()) >= 6 for r in (a, b))


# name -> (applies to this pair?, mutation of the second record)
MERGE_MUTATIONS: dict[str, tuple[Callable[[Record, Record], bool], Callable[[Record], Record]]] = {
    "doi as percent-encoded URL": (lambda a, b: _same_doi(a, b), _doi_url),
    "doi percent-encoded twice": (lambda a, b: _same_doi(a, b), _doi_percent_twice),
    "doi with doi: prefix": (lambda a, b: _same_doi(a, b), _doi_prefixed),
    "doi with /abstract suffix": (lambda a, b: _same_doi(a, b), _doi_suffixed),
    "doi malformed": (lambda a, b: _same_doi(a, b), _doi_malformed),
    "doi on one side only": (lambda a, b: _same_doi(a, b), _doi_missing),
    "journal abbreviated": (lambda a, b: len(b["journal"].split()) >= 2, _journal_abbreviated),
    "authors without separators": (lambda a, b: _several_authors(b), _authors_glued),
    "title upper case": (lambda a, b: bool(b["title"]), _title_upper),
    "title punctuation": (lambda a, b: bool(b["title"]), _title_punctuation),
    "title HTML markup": (lambda a, b: bool(b["title"]), _title_html),
    "pages 123-9": (lambda a, b: short_pages(b["pages"]) != b["pages"], _pages_short),
    "reprinted a year later (new DOI, volume, pages)": (_long_text, _reprinted),
}


def _several_authors(r: Record) -> bool:
    from prismake.records import split_authors

    return len(split_authors(r["authors"])) >= 2


def _same_doi(a: Record, b: Record) -> bool:
    from prismake.doi import normalise_doi

    return bool(a["doi"]) and normalise_doi(a["doi"]) == normalise_doi(b["doi"])


def as_abstract(r: Record, journal: str, page: str) -> Record:
    """The meeting-abstract version of a record: a supplement, one S page."""
    return {
        **r,
        "journal": journal,
        "volume": (r["volume"] or "1") + " (Suppl 1)",
        "issue": "",
        "pages": page,
        "doi": "",
        "abstract": "",
    }


def apart_cases(a: Record, b: Record) -> dict[str, tuple[Record, Record]]:
    """Pairs of one set that must stay apart, built from two different records a and b
    (b of the same journal as a, when the set has one) and from a alone."""
    container = "10.1093/suppl/" + "x" * 3 + "2019001"
    cases = {
        "two articles, one container DOI": (
            {**a, "doi": container},
            {**b, "doi": container},
        ),
        "abstract vs its article": (as_abstract(a, a["journal"], "S88"), a),
        "one abstract at two meetings": (
            as_abstract(a, a["journal"] or "Diabetologia", "S354"),
            as_abstract(a, "Annual Meeting Abstracts", "A111"),
        ),
        # two meetings whose abstracts one journal prints in two supplements of a volume,
        # the second volume cut by its export to "2)" (what is left of "(Suppl 2)")
        "two meetings, one journal volume": (
            as_abstract(a, a["journal"] or "Diabetologia", "S354"),
            {**as_abstract(a, a["journal"] or "Diabetologia", "S1020"), "volume": "2)"},
        ),
        # one team's next paper under the same title: only its text tells it apart
        "sequel: same title and team, next year, other text": (
            a,
            {**_reprinted(a), "abstract": b.get("abstract", ""), "doi": b["doi"]},
        ),
    }
    return cases


def _meeting(r: Record) -> bool:
    """A meeting abstract or supplement item by the engine's signals (venues.py)."""
    from prismake.dedupe.normalise import venue_kind
    from prismake.dedupe.venues import meeting_signal

    kind = r.get("type", "") or r.get("entrytype", "")
    venue = r["journal"] or r.get("booktitle", "")
    if venue_kind(kind, r["journal"], r.get("booktitle", "")) == "conference":
        return True
    return meeting_signal(kind, venue, r["volume"], r["issue"], r["pages"]) != ""


def _pairs_of(frame: pd.DataFrame) -> list[tuple[int, int]]:
    from itertools import combinations

    groups: dict[str, list[int]] = {}
    for k, label in enumerate(frame["dup_group"]):
        groups.setdefault(label, []).append(k)
    return [p for members in groups.values() for p in combinations(members, 2)]


def _merged(rows: list[tuple[Record, Record]]) -> list[bool]:
    """Run the engine once on all pairs (each pair its own two searches) and say which merged."""
    from prismake.dedupe.engine import find_studies
    from prismake.records import RECORD_COLUMNS

    table = []
    for k, (x, y) in enumerate(rows):
        table.append({**x, "record_id": f"a-{k}", "search": "a"})
        table.append({**y, "record_id": f"b-{k}", "search": "b"})
    frame = pd.DataFrame(table)
    for column in RECORD_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame.fillna("").astype(str)
    ids = find_studies(frame, {"a": 0, "b": 1}).study_ids
    return [ids[2 * k] == ids[2 * k + 1] for k in range(len(rows))]


def run_set(name: str, limit: int) -> list[tuple[str, str, int, int]]:
    """(set, case, merged, pairs) per variation and per apart case."""
    from prismake.csvio import read_table
    from prismake.dedupe.cli import load_records

    path = SHARED / f"{name}.csv"
    truth = read_table(path)
    records = load_records([str(path)]).fillna("").astype(str)
    fields = [c for c in records.columns if c not in ("record_id", "search")]
    rec = records[fields].to_dict("records")
    pairs = _pairs_of(truth)[:limit]
    plain = _merged([(rec[a], rec[b]) for a, b in pairs])
    base = [p for p, ok in zip(pairs, plain, strict=True) if ok]
    out = [(name, "as labelled (the pairs used below)", len(base), len(pairs))]
    for case, (applies, mutate) in MERGE_MUTATIONS.items():
        rows = [(rec[a], mutate(rec[b])) for a, b in base if applies(rec[a], rec[b])]
        if rows:
            out.append((name, f"merge: {case}", sum(_merged(rows)), len(rows)))
    singles = [k for k in range(len(rec)) if truth["group_size"].iat[k] in ("1", "")]
    by_journal: dict[str, list[int]] = {}
    for k in singles:
        if rec[k]["journal"] and rec[k]["title"]:
            by_journal.setdefault(rec[k]["journal"].lower(), []).append(k)
    couples = [(ks[x], ks[x + 1]) for ks in by_journal.values() for x in range(0, len(ks) - 1, 2)]
    couples = couples[: max(limit // 4, 50)]
    from prismake.dedupe.venues import ABSTRACT_PAGES, page_span

    # an article: in a journal, on more pages than a meeting abstract fills
    articles = [
        k
        for k in singles
        if rec[k]["journal"]
        and page_span(rec[k]["pages"]) > ABSTRACT_PAGES
        and not _meeting(rec[k])
    ][:limit]
    for case in (
        "two articles, one container DOI",
        "sequel: same title and team, next year, other text",
    ):
        pairs_ = couples
        if case.startswith("sequel"):  # both with an abstract, and different ones
            pairs_ = [
                (a, b)
                for a, b in couples
                if _long_text(rec[a], rec[b])
                and rec[a]["volume"].strip().isdigit()  # the next year's volume
                and rec[a]["abstract"][:300] != rec[b]["abstract"][:300]
            ]
        rows = [apart_cases(rec[a], rec[b])[case] for a, b in pairs_]
        if rows:
            out.append((name, f"apart: {case}", len(rows) - sum(_merged(rows)), len(rows)))
    for case in (
        "abstract vs its article",
        "one abstract at two meetings",
        "two meetings, one journal volume",
    ):
        rows = [apart_cases(rec[a], rec[a])[case] for a in articles]
        if rows:
            out.append((name, f"apart: {case}", len(rows) - sum(_merged(rows)), len(rows)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=TUNING)
    parser.add_argument("--limit", type=int, default=2000, help="pairs per set at most")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: nothing to measure")
        return 0
    print(f"{'set':<20}{'case':<48}{'kept':>7}{'pairs':>7}{'rate':>8}")
    for name in args.sets:
        start = time.perf_counter()
        for set_name, case, good, total in run_set(name, args.limit):
            held = " (held out)" if set_name in HELD_OUT else ""
            rate = good / total if total else 1.0
            print(f"{set_name + held:<20}{case:<48}{good:>7}{total:>7}{rate:>8.3f}", flush=True)
        print(f"{'':<20}{'time':<48}{time.perf_counter() - start:>14.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
