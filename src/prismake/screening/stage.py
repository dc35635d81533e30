"""Final decisions of one screening stage: candidates, reviewers' rows, conflicts, orphans.

Everything a person typed is either counted for a current study (through its id, or an
older id that is now an alias of it) or listed in orphans.csv: never dropped silently
(DESIGN.md invariant 3). Every mistake in every sheet is collected first and reported in
one SheetError before anything is written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.csvio import backups_of, read_table, write_sheet, write_table
from prismake.doi import normalise_doi
from prismake.errors import Problem, SheetError, did_you_mean
from prismake.ids import study_alias
from prismake.records import MULTI_SEPARATOR
from prismake.screening.assign import reviewers_needed
from prismake.screening.decisions import (
    CONFLICT,
    EXCLUDE,
    INCLUDE,
    MAYBE,
    NOT_RETRIEVED,
    PENDING,
    REMOVED_AUTOMATION,
    REMOVED_OTHER,
    STAGE_LABEL,
    TYPED_DECISIONS,
    Vocabulary,
    squeeze,
)
from prismake.screening.prioritise import mark_automation_excluded
from prismake.screening.sheets import (
    WORKBOOK_SUFFIXES,
    Sheet,
    is_sheet_file,
    merge_conflict_lines,
    read_sheet,
)

log = logging.getLogger("prismake")

DECISION_COLUMNS = ("study_id", "decision", "reason", "basis", "reviewers", "note")
# typed_id: the id the sheet's row has, when a study has a new id the one it was typed with
# (find_again): extraction takes it as an alias of the study
REVIEWER_DECISION_COLUMNS = (
    "study_id", "reviewer", "decision", "reason", "note", "sheet", "row", "typed_id",
)  # fmt: skip
ORPHAN_COLUMNS = ("sheet", "row", "study_id", "reviewer", "decision", "reason", "note", "problem")
CONFLICT_COLUMNS = (
    "study_id",
    "title",
    "year",
    "doi_link",
    "reviewer_a",
    "decision_a",
    "reason_a",
    "reviewer_b",
    "decision_b",
    "reason_b",
    "other_decisions",
    "status",
    "resolution",
    "resolution_reason",
    "resolved_by",
)
SHEET_COLUMNS = {
    "title_abstract": (
        "study_id",
        "title",
        "authors",
        "year",
        "journal",
        "doi_link",
        "abstract",
        "decision",
        "reason",
        "note",
    ),
    "full_text": (
        "study_id",
        "title",
        "authors",
        "year",
        "journal",
        "doi_link",
        "decision",
        "reason",
        "note",
    ),
}
# Sheets of a prioritised stage also get this column: the order prismake handed each study
# out in (1 = first), which moves with its row when a reviewer sorts the sheet.
RANK_COLUMN = "rank"
RESOLUTION_FILE = "resolutions.csv"
RESOLUTION_COLUMNS = ("study_id", "decision", "reason", "resolved_by", "note")
REMOVED_BY = {"automation": REMOVED_AUTOMATION, "other": REMOVED_OTHER}

_STUDY_ID = re.compile(r"^[Ss]-([A-Za-z2-7]{10})$")
_ID_LIKE = re.compile(r"^[Ss]-[A-Za-z0-9]{8,12}$")
_RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*-[A-Za-z2-7]{10}(?:-\d+)?$")
_ID_HINT = "Copy the id exactly as prismake wrote it in the sheet (ids look like S-abcde23456)"


# --------------------------------------------------------------------------- studies


def canonical_id(typed: str) -> str:
    """An id as prismake writes it, whatever case or quotes a spreadsheet added."""
    text = str(typed).strip().strip("'\"").strip()
    match = _STUDY_ID.match(text)
    return "S-" + match.group(1).lower() if match else text


@dataclass
class StudyIndex:
    """The current studies, and every id (old study ids, record ids) that leads to one."""

    studies: pd.DataFrame
    lookup: dict[str, str]
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # study_id -> its row
    _ids: list[str] | None = field(default=None, repr=False, compare=False)  # for ``near``
    # old id -> study, for ids found again by the citation their row carries (find_again)
    refound: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _citations: dict[tuple[str, ...], list[str]] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.rows:
            columns = [str(c) for c in self.studies.columns]
            self.rows = {
                values[columns.index("study_id")]: dict(zip(columns, values, strict=True))
                for values in self.studies.itertuples(index=False, name=None)
            }

    @classmethod
    def from_frame(cls, studies: pd.DataFrame) -> StudyIndex:
        studies = studies.copy()
        for name in ("record_ids", "sources", "title", "authors", "year", "journal", "doi"):
            if name not in studies.columns:
                studies[name] = ""
        studies = studies.set_index("study_id", drop=False)
        lookup: dict[str, str] = {}
        # ids its records had under the previous id rule lead to the study too
        former = studies.get("former_record_ids", pd.Series("", index=studies.index))
        for study_id, record_ids, former_ids in zip(
            studies["study_id"], studies["record_ids"], former, strict=True
        ):
            for rid in f"{record_ids};{former_ids}".split(";"):
                rid = rid.strip()
                if rid:
                    lookup.setdefault(rid, study_id)
                    lookup.setdefault(study_alias(rid), study_id)
        for study_id in studies["study_id"]:  # a current id always means its own study
            lookup[study_id] = study_id
        return cls(studies=studies, lookup=lookup)

    @classmethod
    def from_path(cls, path: str | Path) -> StudyIndex:
        return cls.from_frame(read_table(path))

    def resolve(self, typed: str) -> tuple[str | None, str]:
        """(study id, "") for a known id (or one found again, see find_again);
        (None, "orphan") for a well-formed id no study has any more; (None, "invalid") for
        text that was never a prismake id."""
        text = canonical_id(typed)
        if text in self.lookup:
            return self.lookup[text], ""
        if text in self.refound:
            return self.refound[text], ""
        if _STUDY_ID.match(text) or _RECORD_ID.match(text):
            return None, "orphan"
        return None, "invalid"

    def near(self, typed: str) -> str | None:
        """The current study id one or two characters off ``typed``, if any: a typo, since
        two of prismake's random ids are almost never that close (a study that no longer
        exists is not near any)."""
        text = canonical_id(typed)
        if not _ID_LIKE.match(text):  # a character left out or added too: "S-abcdefghi"
            return None
        text = "S-" + text[2:].lower()
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        if self._ids is None:
            self._ids = list(self.rows)
        found = process.extractOne(text, self._ids, scorer=Levenshtein.distance, score_cutoff=2)
        return found[0] if found else None

    def candidate(
        self, doi_link: str, title: str, authors: str, year: str, listed: Collection[str]
    ) -> str | None:
        """The one current study a sheet row's own citation names (find_again): by its
        DOI; else by its title (long enough to name one work), year and first author.
        Never a study with another DOI than the row's, or with one where the row has none
        (a meeting abstract and its article may share title, year and author), nor one a
        sheet of the stage lists under its own id (``listed``): that row is the study's,
        and this one another report's. None when no study, or several, fit."""
        if self._citations is None:
            self._citations = defaultdict(list)
            for study_id, row in self.rows.items():
                for key in _citation_keys(
                    str(row.get("doi") or ""), str(row.get("title") or ""),
                    str(row.get("authors") or ""), str(row.get("year") or ""),
                ):  # fmt: skip
                    self._citations[key].append(study_id)
        doi = normalise_doi(doi_link)
        fits: set[str] | None = None  # the DOI's studies (an erratum may share it), then
        for key in _citation_keys(doi_link, title, authors, year):  # the title's among them
            found = {
                s
                for s in self._citations.get(key, [])
                if s not in listed and _doi_of(self.rows[s]) in ("", doi)
            }
            fits = found if fits is None or not fits else fits & found
            if len(fits) == 1:
                return next(iter(fits))
        return None

    def sources(self, study_id: str) -> set[str]:
        """Where a study was found: database, register, other (database if unknown)."""
        text = str(self.rows[study_id]["sources"] or "")
        found = {s.strip() for s in text.split(";") if s.strip()}
        return found or {"database"}

    def doi_link(self, study_id: str) -> str:
        doi = str(self.rows[study_id]["doi"] or "").strip()
        return f"https://doi.org/{doi}" if doi else ""


def find_again(sheets: Iterable[Sheet], index: StudyIndex) -> None:
    """Before a stage's sheets are read: give each id that no study has any more, on a row
    of these sheets, the study its row's citation names (``index.refound``).

    A study's id comes from its records' ids, which depend on the search's name and on
    what else its export holds: a search renamed or taken out, or an export downloaded
    again with a record that shares a DOI, gives a study a new id. The rows prismake
    wrote carry the study's DOI, title, authors and year, so their decisions are not lost
    (StudyIndex.candidate). The whole stage is looked at first: a study any sheet lists
    under its own id is no candidate (another report's row is not its row), and two old
    ids whose rows name one study both stay unknown (orphans.csv: a person says which)."""
    listed: set[str] = set()
    unknown: dict[str, list[str]] = {}  # old id -> its row's citation (the first row's)
    for sheet in sheets:
        for _, cells in sheet.rows:
            typed = canonical_id(sheet.cell(cells, "study_id"))
            if typed in index.lookup:
                listed.add(index.lookup[typed])
            elif _STUDY_ID.match(typed) and typed not in unknown:
                unknown[typed] = [sheet.cell(cells, c) for c in _CITATION_CELLS]
    claims: dict[str, list[str]] = defaultdict(list)
    for typed, citation in unknown.items():
        study_id = index.candidate(*citation, listed=listed)
        if study_id:
            claims[study_id].append(typed)
    for study_id, olds in claims.items():
        if len(olds) == 1:
            index.refound[olds[0]] = study_id


_CITATION_CELLS = ("doi_link", "title", "authors", "year")


def _doi_of(row: Mapping[str, Any]) -> str:
    """A study's DOI as find_again compares it: a study found again for a row has the
    row's DOI or none (given a new id, a study may lose the record that had its DOI, but
    it gains none)."""
    return normalise_doi(str(row.get("doi") or ""))


_MIN_TITLE = 30  # letters and digits: shorter titles ("Editorial") name no single work


def _citation_keys(doi: str, title: str, authors: str, year: str) -> list[tuple[str, ...]]:
    """What names one work in a sheet row or a study: its DOI, else its title (if long
    enough), year and first author's first letters (find_again)."""
    keys: list[tuple[str, ...]] = []
    bare = normalise_doi(doi)
    if bare:
        keys.append(("doi", bare))
    letters = _letters(title)
    if len(letters) >= _MIN_TITLE and year.strip():
        first = _letters(authors.split(";")[0].split(",")[0])[:4]
        keys.append(("title", letters, year.strip(), first))
    return keys


def _letters(text: str) -> str:
    """Letters and digits of any script, accents aside: 'Interleukin-1α' and
    'Interleukin-1β' stay two titles."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def stage_candidates(
    stage: str,
    index: StudyIndex,
    previous_decisions_path: str | Path | None = None,
    previous: pd.DataFrame | None = None,
) -> list[str]:
    """The studies a stage screens, sorted by id.

    title/abstract: every study found by a database or register search (studies removed
    before screening are candidates too: their decision says so). full text: studies
    included or "maybe" at title/abstract, plus studies found only by other methods
    (citation searching, websites), which skip title/abstract screening (PRISMA 2020).
    """
    ids = list(index.studies["study_id"])
    if stage == "title_abstract":
        chosen = [s for s in ids if index.sources(s) & {"database", "register"}]
    else:
        if previous is None and previous_decisions_path:
            previous = read_table(previous_decisions_path, columns=DECISION_COLUMNS)
        forward: set[str] = set()
        if previous is not None:
            for study_id, decision in zip(previous["study_id"], previous["decision"], strict=True):
                if decision in (INCLUDE, MAYBE):
                    found, _ = index.resolve(study_id)
                    if found:
                        forward.add(found)
        chosen = [s for s in ids if s in forward or index.sources(s) == {"other"}]
    return sorted(set(chosen))


# --------------------------------------------------------------------------- sheets


@dataclass
class Entry:
    """One row of a reviewer's sheet (or of resolutions.csv) that names a current study."""

    study_id: str
    typed_id: str
    reviewer: str
    decision: str
    reason: str
    note: str
    sheet: str
    row: int
    rank: int | None = None  # the sheet's `rank` cell: the order prismake handed it out in


@dataclass
class Reading:
    """What a stage's sheets say, with everything wrong or orphaned in them."""

    entries: list[Entry] = field(default_factory=list)  # rows of reviewers' sheets
    resolutions: dict[str, Entry] = field(default_factory=dict)
    removed: dict[str, tuple[str, str]] = field(default_factory=dict)  # study -> (decision, why)
    removed_rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # -> (file, row)
    orphans: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, Sheet] = field(default_factory=dict)  # reviewer -> sheet as read
    folder: Path | None = None  # the sheets' folder, whether or not a sheet exists yet
    # reviewers taken out of config whose sheets prismake wrote: their decisions count
    former: set[str] = field(default_factory=set)
    index: StudyIndex | None = None  # the studies the sheets were read against

    def current(self, study_id: str) -> str:
        """The current id of a study that prismake's own records (pool.csv, handed_out.csv,
        random_sample.csv) name by an id it had when they were written: an alias, or an
        id found again by its citation (find_again)."""
        found = self.index.resolve(study_id)[0] if self.index is not None else None
        return found or study_id

    def decided_by(self) -> dict[str, set[str]]:
        """Study -> reviewers who typed a decision for it."""
        out: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            if entry.decision:
                out[entry.study_id].add(entry.reviewer)
        return out

    def listed(self) -> dict[str, set[str]]:
        """Study -> reviewers whose sheet lists it (decided or not)."""
        out: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            out[entry.study_id].add(entry.reviewer)
        return out

    def dealt_as(self) -> dict[str, str]:
        """Study -> the id its sheets list it under: its own id when any row has it, else
        the first in id order (a study that is in no sheet is not in here).

        Whether split screening doubles a study, and who gets it, are drawn from its id
        (prismake.screening.assign). A study renamed since it was dealt out (a new anchor,
        when a search is listed above the others or one is taken out) keeps the draw it
        was dealt under, so a study decided once is not dealt to a second reviewer."""
        typed: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            typed[entry.study_id].add(canonical_id(entry.typed_id))
        return {s: s if s in ids else min(ids) for s, ids in typed.items()}

    def ranks(self) -> dict[str, int]:
        """Study -> its `rank` (the order prismake handed it out in), the lowest any of
        its rows has; studies without one are left out."""
        out: dict[str, int] = {}
        for entry in self.entries:
            if entry.rank is not None:
                out[entry.study_id] = min(entry.rank, out.get(entry.study_id, entry.rank))
        return out

    def raise_problems(self, title: str) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
            raise SheetError(title, ordered)


def _orphan(
    sheet: str, row: int, typed: str, who: str, decision: str, reason: str, note: str, problem: str
) -> dict[str, Any]:
    return {
        "sheet": sheet,
        "row": row,
        "study_id": typed,
        "reviewer": who,
        "decision": decision,
        "reason": reason,
        "note": note,
        "problem": problem,
    }


def _check_row(
    sheet: Sheet,
    row: int,
    cells: list[str],
    stage: str,
    vocab: Vocabulary,
    index: StudyIndex,
    seen: dict[str, int],
    misplaced: list[str],
    found_again: list[str],
) -> tuple[str | None, str, str, str, str] | None:
    """Validate one decision row: (study id or None if orphan, typed id, decision, reason,
    note), or None when the row is blank or has problems (recorded on ``sheet``).

    A reason on a full-text row that does not exclude is read as a note (the reason
    column is for exclusions, which PRISMA counts by reason): the row is added to
    ``misplaced`` for the warning ``_say_misplaced_reasons`` gives. A row whose id no
    study has any more but whose citation names one (find_again) counts for
    that study (find_again) and is added to ``found_again`` (``_say_found_again``)."""
    typed = sheet.cell(cells, "study_id")
    raw_decision = sheet.cell(cells, "decision")
    raw_reason = sheet.cell(cells, "reason")
    note = sheet.cell(cells, "note")
    ok = True
    if not typed:
        if raw_decision or raw_reason:
            sheet.problem(
                "a decision is typed on a row without a study id",
                row=row,
                column="study_id",
                hint="Put the study id back (copy it from the backup or the "
                "original sheet) or clear the row",
            )
        return None
    study_id, status = index.resolve(typed)
    if study_id and canonical_id(typed) in index.refound:  # found again (find_again)
        found_again.append(f"row {row} ({typed.strip()} is now {study_id})")
    near = index.near(typed) if status else None
    if status == "invalid" or near:
        sheet.problem(
            "no study has this id",
            row=row,
            column="study_id",
            value=typed,
            hint=f"Did you mean {near}? {_ID_HINT}" if near else _ID_HINT,
        )
        ok = False
    key = canonical_id(typed)
    if key in seen:
        sheet.problem(
            f"this study id is already on row {seen[key]}",
            row=row,
            column="study_id",
            value=typed,
            hint="Keep one row per study: delete the other row",
        )
        ok = False
    else:
        seen[key] = row
    decision = vocab.decision(raw_decision)
    allowed = TYPED_DECISIONS[stage]
    if decision is None:
        sheet.problem(
            "this is not a decision prismake knows",
            row=row,
            column="decision",
            value=raw_decision,
            hint=did_you_mean(raw_decision, vocab.words_for(stage).split(", "))
            + f"Type one of: {vocab.words_for(stage)}",
        )
        ok = False
    elif decision and decision not in allowed:
        sheet.problem(
            f"'{decision}' is not a decision at {STAGE_LABEL[stage]} screening",
            row=row,
            column="decision",
            value=raw_decision,
            hint=f"Type one of: {', '.join(allowed)}",
        )
        ok = False
    reason = raw_reason
    if decision == "" and raw_reason:  # work in progress: not an error, but say so
        log.warning("%s row %d: a reason but no decision yet (not screened)", sheet.path, row)
    if stage == "full_text" and decision == EXCLUDE:
        if not raw_reason:
            sheet.problem(
                "a full-text exclusion needs a reason",
                row=row,
                column="reason",
                hint=f"Type one of: {'; '.join(vocab.reasons.values())}"
                if vocab.reasons
                else "Type why the study is excluded",
            )
            ok = False
        else:
            canonical = vocab.reason(raw_reason)
            if canonical is None:
                sheet.problem(
                    "this reason is not in config full_text_exclusion_reasons",
                    row=row,
                    column="reason",
                    value=raw_reason,
                    hint=did_you_mean(raw_reason, list(vocab.reasons.values()))
                    + f"Type one of: {'; '.join(vocab.reasons.values())} "
                    "(or add it to config/config.yaml)",
                )
                ok = False
            else:
                reason = canonical
    if not ok:
        return None
    if raw_reason and (decision == INCLUDE or (stage == "full_text" and decision == NOT_RETRIEVED)):
        # a slip (typed on the wrong row) or a note: never a reason the study was excluded
        shown = decision.replace("_", " ")
        misplaced.append(f"row {row} ({typed.strip()}, {shown}): {raw_reason!r}")
        reason = ""
        note = MULTI_SEPARATOR.join(dict.fromkeys(n for n in (note, raw_reason) if n))
    return study_id, typed.strip(), decision or "", reason, note


def _say_misplaced_reasons(path: str | Path, misplaced: list[str]) -> None:
    """One warning per sheet for the reasons typed beside include (or, at full text, not
    retrieved)."""
    if not misplaced:
        return
    shown = "; ".join(misplaced[:8]) + (
        f"; and {len(misplaced) - 8} more" if len(misplaced) > 8 else ""
    )
    many = len(misplaced) > 1
    log.warning(
        "%s: a reason is typed on %s that %s not exclude the study: %s. The reason column "
        "is for exclusions, so %s read as a note, never counted as an exclusion reason. "
        "If the study is excluded, type exclude in the decision column; if it is a note, "
        "move it to the note column",
        path,
        f"{len(misplaced)} rows" if many else "a row",
        "do" if many else "does",
        shown,
        "each is" if many else "it is",
    )


def _say_found_again(path: str | Path, rows: list[str]) -> None:
    """One warning per sheet for the rows whose study has a new id (find_again)."""
    if not rows:
        return
    shown = "; ".join(rows[:8]) + (f"; and {len(rows) - 8} more" if len(rows) > 8 else "")
    many = len(rows) > 1
    log.warning(
        "%s: %s a study id no study has any more, but %s DOI, or title, year and first "
        "author, names one study, and %s for it: %s. Study ids change when a search is "
        "renamed or taken out, or an export is downloaded again with other records: "
        "nothing to do unless a study named is not the one its row was about (a search "
        "given its old name back keeps every id as it was)",
        path,
        f"{len(rows)} rows have" if many else "a row has",
        "each row's" if many else "its",
        "their decisions count" if many else "its decision counts",
        shown,
    )


def parse_rank(cell: str) -> int | None:
    """A `rank` cell as a number; anything else (empty, typed over) counts as unknown.

    A spreadsheet may have turned it into a number with decimals or thousands separators,
    in its locale: "92.0", "92,0", "1,092", "1 092" or "1.092,0" read as the whole number
    they show."""
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." in text:  # thousands and decimal separators both present
        text = text.replace("." if text.rfind(",") > text.rfind(".") else ",", "")
    text = text.replace(",", ".")
    head, _, tail = text.rpartition(".")
    if text.count(".") > 1 or (head and len(tail) == 3):
        text = text.replace(".", "")  # thousands separators only: "1,092", "1.092.000"
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and value > 0 else None


def _read_reviewer_sheet(path: Path) -> Sheet:
    return read_sheet(path, required=("study_id", "decision"), known=("reason", "note"))


def _reviewer_sheet(
    stage: str,
    sheet_dir: Path,
    reviewer: str,
    vocab: Vocabulary,
    index: StudyIndex,
    reading: Reading,
    read: Mapping[Path, Sheet] | None = None,
) -> None:
    path = sheet_dir / f"{reviewer}.csv"
    if not path.exists():
        return
    sheet = (read or {}).get(path) or _read_reviewer_sheet(path)
    reading.sheets[reviewer] = sheet
    seen: dict[str, int] = {}
    mine: dict[str, Entry] = {}
    misplaced: list[str] = []
    found_again: list[str] = []
    for row, cells in sheet.rows:
        checked = _check_row(sheet, row, cells, stage, vocab, index, seen, misplaced, found_again)
        if checked is None:
            continue
        study_id, typed, decision, reason, note = checked
        if study_id is None:
            if decision or note:
                reading.orphans.append(
                    _orphan(
                        str(path),
                        row,
                        typed,
                        reviewer,
                        decision,
                        reason,
                        note,
                        "no current study has this id",
                    )
                )
            continue
        rank = parse_rank(sheet.cell(cells, RANK_COLUMN))
        entry = Entry(study_id, typed, reviewer, decision, reason, note, str(path), row, rank)
        earlier = mine.get(study_id)
        if earlier is None:
            mine[study_id] = entry
            continue
        # Two rows became one study (dedupe merged them): fine unless the decisions differ;
        # different reasons for the same decision are both kept.
        differ = earlier.decision != entry.decision
        if earlier.decision and entry.decision and not differ:
            reasons = [r for r in (earlier.reason, entry.reason) if r]
            earlier.reason = MULTI_SEPARATOR.join(dict.fromkeys(reasons))
            notes = [n for n in (earlier.note, entry.note) if n]
            earlier.note = MULTI_SEPARATOR.join(dict.fromkeys(notes))
        elif earlier.decision and entry.decision and differ:
            sheet.problem(
                f"rows {earlier.row} and {row} ({earlier.typed_id}, {typed}) are now one study "
                f"({study_id}) but have different decisions",
                row=row,
                column="decision",
                value=entry.decision,
                hint="Deduplication found they are the same study: give both rows the same "
                "decision, or clear one",
            )
        elif entry.decision and not earlier.decision:
            mine[study_id] = entry
        log.info("%s: rows %s and %s are the same study %s", path, earlier.row, row, study_id)
    _say_misplaced_reasons(path, misplaced)
    _say_found_again(path, found_again)
    reading.problems += sheet.problems
    reading.entries += list(mine.values())


def _resolutions(
    stage: str, path: Path, vocab: Vocabulary, index: StudyIndex, reading: Reading
) -> None:
    if not path.exists():
        return
    sheet = read_sheet(
        path, required=("study_id", "decision"), known=("reason", "resolved_by", "note")
    )
    seen: dict[str, int] = {}
    misplaced: list[str] = []
    found_again: list[str] = []
    for row, cells in sheet.rows:
        checked = _check_row(sheet, row, cells, stage, vocab, index, seen, misplaced, found_again)
        if checked is None:
            continue
        study_id, typed, decision, reason, note = checked
        who = sheet.cell(cells, "resolved_by")
        if not decision:
            continue  # not resolved yet
        if study_id is None:
            reading.orphans.append(
                _orphan(
                    str(path),
                    row,
                    typed,
                    who or "resolution",
                    decision,
                    reason,
                    note,
                    "no current study has this id",
                )
            )
            continue
        if study_id in reading.resolutions:
            sheet.problem(
                f"this study is already resolved on row {reading.resolutions[study_id].row}",
                row=row,
                column="study_id",
                value=typed,
                hint="Keep one resolution per study",
            )
            continue
        reading.resolutions[study_id] = Entry(
            study_id, typed, who, decision, reason, note, str(path), row
        )
    _say_misplaced_reasons(path, misplaced)
    _say_found_again(path, found_again)
    reading.problems += sheet.problems


def read_removed(path: str | Path | None, index: StudyIndex, reading: Reading) -> None:
    """data/screening/removed_before_screening.csv: studies removed by automation or by hand."""
    if not path or not Path(path).exists():
        return
    sheet = read_sheet(path, required=("study_id", "removed_by"), known=("reason",))
    seen: set[str] = set()
    for row, cells in sheet.rows:
        typed = sheet.cell(cells, "study_id")
        removed_by = squeeze(sheet.cell(cells, "removed_by"))
        reason = sheet.cell(cells, "reason")
        if not typed:
            sheet.problem("a row without a study id", row=row, column="study_id")
            continue
        study_id, status = index.resolve(typed)
        if status == "invalid":
            sheet.problem(
                "no study has this id", row=row, column="study_id", value=typed, hint=_ID_HINT
            )
            continue
        if removed_by not in REMOVED_BY:
            sheet.problem(
                "removed_by must be 'automation' or 'other'",
                row=row,
                column="removed_by",
                value=sheet.cell(cells, "removed_by"),
                hint="automation: an automation tool excluded it; other: removed "
                "for another reason before screening",
            )
            continue
        if study_id is None:
            reading.orphans.append(
                _orphan(
                    str(path),
                    row,
                    typed,
                    "",
                    REMOVED_BY[removed_by],
                    reason,
                    "",
                    "no current study has this id",
                )
            )
            continue
        if study_id in seen:
            sheet.problem("this study is listed twice", row=row, column="study_id", value=typed)
            continue
        seen.add(study_id)
        reading.removed[study_id] = (REMOVED_BY[removed_by], reason)
        reading.removed_rows[study_id] = (str(path), row)
    reading.problems += sheet.problems


def _stray_sheet(path: Path, stage: str, vocab: Vocabulary, reading: Reading) -> None:
    """A CSV in the stage folder that is no reviewer's sheet ("alice (1).csv", a sheet
    renamed): its typed decisions go to orphans, so none is lost. (A sheet prismake wrote
    for a reviewer since taken out of config still counts: read_stage.)"""
    sheet = read_sheet(path)
    kept = 0
    if not sheet.problems:
        for row, cells in sheet.rows:
            decision = sheet.cell(cells, "decision")
            if decision:
                kept += 1
                reading.orphans.append(
                    _orphan(str(path), row, sheet.cell(cells, "study_id"), path.stem,
                            vocab.decision(decision) or decision, sheet.cell(cells, "reason"),
                            sheet.cell(cells, "note"),
                            f"'{path.stem}' is not a {STAGE_LABEL[stage]} reviewer in config")
                )  # fmt: skip
    log.warning(
        "%s is not the sheet of a %s reviewer in config: not counted%s",
        path,
        STAGE_LABEL[stage],
        f"; its {kept} decisions are listed in orphans.csv" if kept else "",
    )


def backup_folder(sheet_dir: Path, stage: str) -> Path | None:
    """data/processed/backups/<stage> for sheets in data/screening/<stage> (the screening
    rule's backup_dir); None for another layout."""
    folder = sheet_dir.absolute()
    if [folder.parent.name, folder.parent.parent.name] != ["screening", "data"]:
        return None
    return folder.parent.parent / "processed" / "backups" / stage


SHEETS_RECORD = "reviewer_sheets.csv"  # in data/processed/screening/<stage>/


def sheets_record(sheet_dir: Path, stage: str) -> Path | None:
    """data/processed/screening/<stage>/reviewer_sheets.csv: the reviewers whose sheet
    prismake has written at this stage (None for another layout). Small, and kept in git
    by a new review's .gitignore, unlike the backups: on a fresh clone it still tells a
    former reviewer's sheet from a stray copy."""
    folder = sheet_dir.absolute()
    if [folder.parent.name, folder.parent.parent.name] != ["screening", "data"]:
        return None
    return folder.parent.parent / "processed" / "screening" / stage / SHEETS_RECORD


def sheets_written(sheet_dir: Path, stage: str) -> set[str]:
    """The reviewers in the record. Both sides of a git merge left unfinished in it are
    true (each lists sheets prismake wrote): the markers are skipped, the names kept."""
    path = sheets_record(sheet_dir, stage)
    if path is None or not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    markers = set(merge_conflict_lines("\n".join(lines)))
    names = {
        line.strip().strip('"')
        for number, line in enumerate(lines, start=1)
        if number > 1 and number not in markers and line.strip()
    }
    return names - {"reviewer"}


def keep_sheets_written(sheet_dir: Path, stage: str, reviewers: Iterable[str]) -> None:
    """Add reviewers whose sheet prismake has written to the record (never removes one)."""
    path = sheets_record(sheet_dir, stage)
    if path is None:
        return
    table = pd.DataFrame({"reviewer": sorted(sheets_written(sheet_dir, stage) | set(reviewers))})
    text = "".join(f"{name}\n" for name in ["reviewer", *table["reviewer"]])
    if not path.is_file() or path.read_text(encoding="utf-8-sig", errors="replace") != text:
        write_table(table, path, ["reviewer"])


def stage_reviewers(screening: Mapping[str, Any], stage: str) -> list[str]:
    return list((screening.get("stages") or {}).get(stage, {}).get("reviewers") or [])


def read_stage(
    stage: str,
    sheet_dir: str | Path,
    screening: Mapping[str, Any],
    index: StudyIndex,
    removed_path: str | Path | None = None,
) -> Reading:
    """Read and check every reviewer sheet, the resolutions and the removed sheet of a stage."""
    sheet_dir = Path(sheet_dir)
    vocab = Vocabulary.from_config(screening)
    reviewers = stage_reviewers(screening, stage)
    reading = Reading(folder=sheet_dir, index=index)
    # every sheet read once, and looked at as a whole first (find_again)
    read = {
        path: _read_reviewer_sheet(path)
        for path in sorted(sheet_dir.glob("*.csv") if sheet_dir.is_dir() else [])
        if path.name != RESOLUTION_FILE
    }
    find_again(read.values(), index)
    for reviewer in reviewers:
        _reviewer_sheet(stage, sheet_dir, reviewer, vocab, index, reading, read)
    _resolutions(stage, sheet_dir / RESOLUTION_FILE, vocab, index, reading)
    if stage == "title_abstract":
        read_removed(removed_path, index, reading)
    if sheet_dir.is_dir():
        expected = {f"{r}.csv" for r in reviewers} | {RESOLUTION_FILE}
        copies = backup_folder(sheet_dir, stage)
        written = sheets_written(sheet_dir, stage)
        for path in sorted(sheet_dir.iterdir()):
            if path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith("~$"):
                # whose sheet it may be: the stage's reviewers, the resolver's, and former
                # reviewers' sheets still there (not a name gone with a rename)
                former = [
                    n for n in sorted(written - set(reviewers)) if (sheet_dir / f"{n}.csv").exists()
                ]
                owners = [*reviewers, Path(RESOLUTION_FILE).stem, *former]
                _workbook_warning(path, owners)
            elif not is_sheet_file(path) or path.name in expected:
                continue
            elif path.stem in written or (copies is not None and backups_of(path, copies)):
                # prismake wrote it for a reviewer since taken out of config
                reading.former.add(path.stem)
                _reviewer_sheet(stage, sheet_dir, path.stem, vocab, index, reading, read)
                log.info(
                    "%s: the sheet of a former %s reviewer (not in config any more): their "
                    "decisions count; studies they had not decided go to the reviewers in "
                    "config",
                    path,
                    STAGE_LABEL[stage],
                )
            else:
                _stray_sheet(path, stage, vocab, reading)
    return reading


def _workbook_warning(path: Path, reviewers: Sequence[str]) -> None:
    """Name a workbook beside the sheets; saving it over its reviewer's sheet is the advice
    only when it is the newer file (an old workbook saved over a current sheet would lose
    decisions). Its reviewer: the one its name is, in any case, or begins with ("Ana.xlsx",
    "ana (1).xlsx" are ana's)."""
    stem = path.stem.casefold()
    owner = next((r for r in reviewers if r.casefold() == stem), None) or max(
        (r for r in reviewers if stem.startswith(r.casefold())), key=len, default=None
    )
    if owner is None:
        log.warning(
            "%s is not read: prismake reads the CSV sheets only; if decisions were typed in "
            "it, save it as CSV (CSV UTF-8) over the sheet of the reviewer who typed them "
            "(%s)",
            path,
            ", ".join(f"{r}.csv" for r in reviewers) or "<reviewer>.csv",
        )
        return
    csv = path.with_name(f"{owner}.csv")
    if csv.exists() and csv.stat().st_mtime > path.stat().st_mtime:
        advice = (
            f"{csv.name} was saved after it, so keep screening in {csv.name}; copy into it "
            "any decisions typed only in the workbook, then move the workbook away"
        )
    else:
        advice = (
            f"if decisions were typed in it, save it as CSV (CSV UTF-8) over {csv.name} and "
            "run again"
        )
    log.warning("%s is not read: prismake reads the CSV sheets only; %s", path, advice)


# --------------------------------------------------------------------------- decisions


@dataclass
class StageResult:
    """The tables ``screen_stage`` writes, built in memory (also used by ``prismake status``)."""

    decisions: pd.DataFrame
    reviewer_decisions: pd.DataFrame
    conflicts: pd.DataFrame
    orphans: pd.DataFrame


def _judgement(entry: Entry, stage: str) -> tuple[str, str]:
    """What must match for two reviewers to agree: the decision (and reason, at full text)."""
    if stage == "full_text" and entry.decision == EXCLUDE:
        return entry.decision, squeeze(entry.reason)
    return entry.decision, ""


def _said(entry: Entry) -> str:
    return f"{entry.reviewer}: {entry.decision}" + (f" ({entry.reason})" if entry.reason else "")


def decide(
    stage: str,
    candidates: list[str],
    reading: Reading,
    screening: Mapping[str, Any],
    index: StudyIndex,
    extra_listed: Mapping[str, set[str]] | None = None,
) -> StageResult:
    """Final decision per candidate: removed, resolution, agreement, single, conflict, pending."""
    reviewers = stage_reviewers(screening, stage)
    order = {r: i for i, r in enumerate(reviewers)}
    stage_config = (screening.get("stages") or {}).get(stage, {})
    candidate_set = set(candidates)
    typed: dict[str, list[Entry]] = defaultdict(list)
    listed = reading.listed()
    dealt = reading.dealt_as()
    for study_id, names in (extra_listed or {}).items():
        listed[study_id] = listed.get(study_id, set()) | set(names)
    orphans = list(reading.orphans)
    kept: list[Entry] = []
    for entry in reading.entries:
        if entry.study_id not in candidate_set:
            if entry.decision:
                orphans.append(
                    _orphan(
                        entry.sheet,
                        entry.row,
                        entry.typed_id,
                        entry.reviewer,
                        entry.decision,
                        entry.reason,
                        entry.note,
                        f"study {entry.study_id} is not screened at {STAGE_LABEL[stage]} any more",
                    )
                )
            continue
        if entry.decision:
            typed[entry.study_id].append(entry)
            kept.append(entry)
    for study_id, entry in reading.resolutions.items():
        if study_id not in candidate_set:
            orphans.append(
                _orphan(
                    entry.sheet,
                    entry.row,
                    entry.typed_id,
                    entry.reviewer,
                    entry.decision,
                    entry.reason,
                    entry.note,
                    f"study {study_id} is not screened at {STAGE_LABEL[stage]}",
                )
            )
    rows, conflicts = [], []
    unneeded: list[tuple[Entry, list[Entry]]] = []
    overridden: list[tuple[str, list[Entry]]] = []  # removed, though reviewers decided it
    for study_id in candidates:
        entries = sorted(
            typed.get(study_id, []), key=lambda e: (order.get(e.reviewer, 99), e.reviewer)
        )
        who = sorted(listed.get(study_id, set()), key=lambda r: (order.get(r, 99), r))
        judgements = {_judgement(e, stage) for e in entries}
        resolution = reading.resolutions.get(study_id)
        row = {"study_id": study_id, "reviewers": MULTI_SEPARATOR.join(who), "note": ""}
        if study_id in reading.removed:
            decision, why = reading.removed[study_id]
            row.update(decision=decision, reason=why, basis="removed")
            if entries:
                overridden.append((study_id, entries))
        elif resolution is not None:
            if len(judgements) < 2:
                unneeded.append((resolution, entries))
            row.update(
                decision=resolution.decision,
                reason=resolution.reason,
                basis="resolution",
                note=resolution.note
                or (f"resolved by {resolution.reviewer}" if resolution.reviewer else ""),
            )
        elif len(judgements) > 1:
            row.update(
                decision=CONFLICT,
                reason="",
                basis="none",
                note=MULTI_SEPARATOR.join(_said(e) for e in entries),
            )
        elif entries and len(entries) >= reviewers_needed(
            dealt.get(study_id, study_id), stage_config
        ):
            reasons = list(dict.fromkeys(e.reason for e in entries if e.reason))
            row.update(
                decision=entries[0].decision,
                reason=MULTI_SEPARATOR.join(reasons),
                basis="agreement" if len(entries) > 1 else "single",
            )
        else:
            # only the stage's reviewers screen: a former one's row went to them
            waiting = [r for r in who if r not in {e.reviewer for e in entries} and r in order]
            needed = reviewers_needed(dealt.get(study_id, study_id), stage_config)
            if waiting:
                note = "waiting for " + ", ".join(waiting)
            elif entries:
                note = f"{len(entries)} of {needed} decisions; in no other reviewer's sheet yet"
            else:
                note = "not in a reviewer's sheet yet"
            row.update(decision=PENDING, reason="", basis="none", note=note)
        rows.append(row)
        if len(judgements) > 1:
            conflicts.append(_conflict_row(study_id, entries, resolution, index))
    _resolutions_without_conflict(unneeded)
    _removed_after_screening(overridden, reading)
    reviewer_rows = [
        {
            "study_id": e.study_id,
            "reviewer": e.reviewer,
            "decision": e.decision,
            "reason": e.reason,
            "note": e.note,
            "sheet": e.sheet,
            "row": e.row,
            "typed_id": canonical_id(e.typed_id),
        }
        for e in sorted(kept, key=lambda e: (e.study_id, order.get(e.reviewer, 99), e.reviewer))
    ]
    orphan_frame = pd.DataFrame(orphans, columns=list(ORPHAN_COLUMNS))
    orphan_frame = orphan_frame.sort_values(["sheet", "row"], kind="stable")
    return StageResult(
        decisions=pd.DataFrame(rows, columns=list(DECISION_COLUMNS)),
        reviewer_decisions=pd.DataFrame(reviewer_rows, columns=list(REVIEWER_DECISION_COLUMNS)),
        conflicts=pd.DataFrame(conflicts, columns=list(CONFLICT_COLUMNS)),
        orphans=orphan_frame.reset_index(drop=True),
    )


def _resolutions_without_conflict(unneeded: list[tuple[Entry, list[Entry]]]) -> None:
    """The stated rule: a resolution is the team's final word on a study, so it decides
    even where the reviewers did not disagree; the run says so once, naming the rows."""
    if not unneeded:
        return
    sheet = unneeded[0][0].sheet
    cases = [
        f"row {r.row} {r.study_id}: {r.decision}, reviewers "
        + ("; ".join(_said(e) for e in entries) or "none yet")
        for r, entries in sorted(unneeded, key=lambda pair: pair[0].row)
    ]
    shown = " | ".join(cases[:8]) + (f" | and {len(cases) - 8} more" if len(cases) > 8 else "")
    log.warning(
        "%s: %d resolution%s decide%s studies whose reviewers are not in conflict (a "
        "resolution is the team's final word, so it counts): %s. If a reviewer's decisions "
        "on them are missing (a sheet or rows deleted: see the warnings naming the backup), "
        "copy those back; if a resolution is not meant, clear its row",
        sheet,
        len(cases),
        "" if len(cases) == 1 else "s",
        "s" if len(cases) == 1 else "",
        shown,
    )


def _removed_after_screening(overridden: list[tuple[str, list[Entry]]], reading: Reading) -> None:
    """A study listed in removed_before_screening.csv that reviewers have decided: the list
    is the team's word, as a resolution is, so the study counts as removed before
    screening (not screened: its typed decisions stay in reviewer_decisions.csv but count
    toward neither the records screened nor agreement); the run says so, naming the rows."""
    if not overridden:
        return
    where = {
        s: reading.removed_rows.get(s, ("removed_before_screening.csv", 0)) for s, _ in overridden
    }
    cases = []
    for study_id, entries in sorted(overridden, key=lambda pair: where[pair[0]][1]):
        decision, why = reading.removed[study_id]
        cases.append(
            f"row {where[study_id][1]} {study_id}: {decision}"
            + (f" ({why})" if why else "")
            + ", reviewers "
            + "; ".join(_said(e) for e in entries)
        )
    shown = " | ".join(cases[:8]) + (f" | and {len(cases) - 8} more" if len(cases) > 8 else "")
    log.warning(
        "%s: %d stud%s listed as removed before screening %s title/abstract decisions "
        "typed by reviewers: %s. The list counts (the study is reported as removed before "
        "screening, and its reviewers' decisions, kept in reviewer_decisions.csv, are not "
        "counted as screened nor in the agreement statistics). If that is not meant, clear "
        "its row: the reviewers' decisions then count (a study found ineligible only once "
        "screened, retracted say, is then excluded by the screening: at full text, with its "
        "reason, if the reviewers included it)",
        where[overridden[0][0]][0],
        len(cases),
        "y" if len(cases) == 1 else "ies",
        "has" if len(cases) == 1 else "have",
        shown,
    )


def _conflict_row(
    study_id: str, entries: list[Entry], resolution: Entry | None, index: StudyIndex
) -> dict[str, Any]:
    study = index.rows[study_id]
    row: dict[str, Any] = {
        "study_id": study_id,
        "title": study["title"],
        "year": study["year"],
        "doi_link": index.doi_link(study_id),
    }
    for letter, entry in zip("ab", entries, strict=False):
        row[f"reviewer_{letter}"] = entry.reviewer
        row[f"decision_{letter}"] = entry.decision
        row[f"reason_{letter}"] = entry.reason
    row["other_decisions"] = MULTI_SEPARATOR.join(_said(e) for e in entries[2:])
    row["status"] = "resolved" if resolution is not None else "unresolved"
    if resolution is not None:
        row.update(
            resolution=resolution.decision,
            resolution_reason=resolution.reason,
            resolved_by=resolution.reviewer,
        )
    return row


def evaluate_stage(
    *,
    stage: str,
    studies_path: str | Path,
    previous_decisions_path: str | Path | None,
    removed_path: str | Path | None,
    sheet_dir: str | Path,
    screening: Mapping[str, Any],
    read: tuple[StudyIndex, Reading, Mapping[str, set[str]]] | None = None,
) -> StageResult:
    """Everything ``screen_stage`` writes, without writing it; raises SheetError on mistakes.

    ``read``: the study index, the sheets as already read and the studies just added to
    them (study -> reviewers), when the caller has read them (``screen_with_sheets``):
    each sheet is read, and each of its warnings said, once per run.
    """
    if stage not in TYPED_DECISIONS:
        raise ValueError(f"unknown screening stage {stage!r}")
    if read is None:
        index = StudyIndex.from_path(studies_path)
        reading = read_stage(stage, sheet_dir, screening, index, removed_path)
        added: Mapping[str, set[str]] = {}
    else:
        index, reading, added = read
    reading.raise_problems(
        f"The {STAGE_LABEL[stage]} screening sheets have mistakes; nothing was written"
    )
    candidates = stage_candidates(stage, index, previous_decisions_path)
    result = decide(stage, candidates, reading, screening, index, extra_listed=added)
    mark_automation_excluded(result.decisions, stage, candidates, reading, screening, index)
    _say_orphans(result.orphans, stage)
    return result


def _say_orphans(orphans: pd.DataFrame, stage: str) -> None:
    """One warning per sheet and cause, naming the rows: said once, readable at any count."""
    groups: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for sheet, row, study_id, problem in zip(
        orphans["sheet"], orphans["row"], orphans["study_id"], orphans["problem"], strict=True
    ):
        cause = re.sub(r"^study \S+ ", "the study ", str(problem))
        if cause.endswith("any more") and stage != "title_abstract":
            cause += (
                " (its earlier decision changed or is missing; it counts again once that is back)"
            )
        groups[(str(sheet), cause)].append((int(row), str(study_id)))
    for (sheet, cause), rows in sorted(groups.items()):
        rows.sort()
        more = f" and {len(rows) - 12} more" if len(rows) > 12 else ""
        log.warning(
            "%s: %d decision%s kept in results/screening/%s/orphans.csv, not counted (%s): "
            "row%s %s (%s)",
            sheet,
            len(rows),
            "" if len(rows) == 1 else "s",
            stage,
            cause,
            "" if len(rows) == 1 else "s",
            ", ".join(str(row) for row, _ in rows[:12]) + more,
            ", ".join(study_id for _, study_id in rows[:12]) + more,
        )


def screen_stage(
    *,
    stage: str,
    studies_path: str | Path,
    previous_decisions_path: str | Path | None,
    removed_path: str | Path | None,
    sheet_dir: str | Path,
    screening: Mapping[str, Any],
    outputs: Mapping[str, str | Path],
    read: tuple[StudyIndex, Reading, Mapping[str, set[str]]] | None = None,
    anew: Collection[str] = (),
) -> None:
    """Write decisions, reviewer_decisions, conflicts and orphans for one stage.

    ``anew``: reviewers whose sheet went missing and was just written again (sync): their
    empty rows are the sheet's loss, not rows to leave blank.

    Reads every reviewer sheet named in config for the stage, resolutions.csv and (at
    title/abstract) the removed-before-screening sheet (unless given ``read``, see
    ``evaluate_stage``). All mistakes in all of them stop the run in one SheetError
    before any output is written.
    """
    result = evaluate_stage(
        stage=stage,
        studies_path=studies_path,
        previous_decisions_path=previous_decisions_path,
        removed_path=removed_path,
        sheet_dir=sheet_dir,
        screening=screening,
        read=read,
    )
    write_table(result.decisions, outputs["decisions"], DECISION_COLUMNS)
    write_table(result.reviewer_decisions, outputs["reviewer_decisions"], REVIEWER_DECISION_COLUMNS)
    write_sheet(result.conflicts, outputs["conflicts"], CONFLICT_COLUMNS)
    write_table(result.orphans, outputs["orphans"], ORPHAN_COLUMNS)
    counts = result.decisions["decision"].value_counts().sort_index()
    summary = ", ".join(f"{k} {v}" for k, v in counts.items()) or "no studies at this stage yet"
    log.info("%s: %s", STAGE_LABEL[stage], summary)
    # only the stage's reviewers screen: a former reviewer's undecided rows went to them
    active = set(stage_reviewers(screening, stage))
    waiting = {who: n for who, n in waiting_per_reviewer(result).items() if who in active}
    if waiting:  # work to do, not a problem: INFO, once, per reviewer
        log.info(
            "%s: studies waiting for a decision: %s",
            STAGE_LABEL[stage],
            ", ".join(f"{who} {n}" for who, n in waiting.items()),
        )
    for who, n in not_needed_per_reviewer(result).items():
        if who not in active or who in anew:
            continue
        log.warning(
            "%s: %s's sheet has %d undecided row%s for studies decided without them (by "
            "other reviewers, or a resolution): leave %s blank; a decision typed there "
            "would count as one more",
            STAGE_LABEL[stage],
            who,
            n,
            "" if n == 1 else "s",
            "it" if n == 1 else "them",
        )


def not_needed_per_reviewer(result: StageResult) -> dict[str, int]:
    """Reviewer -> studies in their sheet they have not decided that have a final decision
    all the same (given to others while they were away, or needed one decision less)."""
    done = result.decisions["basis"].isin(["agreement", "single", "resolution"])
    return _undecided_in_sheets(result, done)


def waiting_per_reviewer(result: StageResult) -> dict[str, int]:
    """Reviewer -> pending studies in their sheet they have not decided yet."""
    return _undecided_in_sheets(result, result.decisions["decision"] == PENDING)


def _undecided_in_sheets(result: StageResult, which: pd.Series) -> dict[str, int]:
    """Reviewer -> studies among the decisions' rows ``which`` that their sheet lists and
    they have not decided."""
    typed = result.reviewer_decisions
    decided = set(zip(typed["study_id"], typed["reviewer"], strict=True))
    rows = result.decisions[which]
    counts: dict[str, int] = defaultdict(int)
    for study_id, listed in zip(rows["study_id"], rows["reviewers"], strict=True):
        for who in str(listed).split(MULTI_SEPARATOR):
            who = who.strip()
            if who and (study_id, who) not in decided:
                counts[who] += 1
    return dict(sorted(counts.items()))
