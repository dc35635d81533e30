"""Reading and checking the coding and characteristics sheets that reviewers fill in.

Sheets are read as people save them (UTF-8 with or without BOM, or Windows cp1252; comma,
semicolon or tab between cells; CRLF line ends), and every problem in every sheet is
collected before anything is raised, so a reviewer fixes them all in one go.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from prismake.csvio import backups_of, keep_copy
from prismake.errors import Problem, SheetError
from prismake.extraction.codebook import Codebook
from prismake.screening.sheets import column_key as column_name
from prismake.screening.sheets import read_sheet as read_screening_sheet
from prismake.screening.stage import StudyIndex as ScreeningStudies

log = logging.getLogger("prismake.extraction")

CODING_COLUMNS: tuple[str, ...] = (
    "study_id",
    "theme",
    "kind",
    "excerpt",
    "location",
    "coder",
    "note",
)
REQUIRED_CODING_COLUMNS: tuple[str, ...] = ("study_id", "theme", "kind", "excerpt")
TO_CODE_HINT = "Copy the study_id from results/extraction/to_code.csv"


@dataclass(frozen=True)
class Sheet:
    """A sheet as read: its header (normalised) and its non-empty rows with their numbers."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (row as a spreadsheet shows it, cells)
    problems: tuple[Problem, ...] = ()  # rows the reader could not make sense of


@dataclass(frozen=True)
class CodedExcerpt:
    """One excerpt of one included study, coded with a theme and a kind by one coder."""

    study_id: str
    theme: str
    kind: str
    excerpt: str
    location: str
    coder: str
    note: str
    file: str
    row: int


def read_sheet(
    path: str | os.PathLike, required: Sequence[str], known: Sequence[str] = ()
) -> Sheet:
    """Read a human-edited sheet with the screening stage's reader (one reader for all
    sheets), as a header and rows of stripped cells keyed by column name.

    Problems with the layout (missing required columns, a column given twice, a row with
    more cells than the header) are returned in ``problems``, not raised.
    """
    raw = read_screening_sheet(path, required=tuple(required), known=tuple(known))
    columns = tuple(sorted(raw.columns, key=lambda name: raw.columns[name]))
    rows = tuple(
        (number, {name: raw.cell(cells, name).replace("\u00a0", " ").strip() for name in columns})
        for number, cells in raw.rows
    )
    return Sheet(file=str(path), columns=columns, rows=rows, problems=tuple(raw.problems))


@dataclass(frozen=True)
class StudyIndex:
    """Which study a typed id means (any alias, any case), and whether it was included."""

    study_of: Mapping[str, str]  # casefolded id or alias -> study_id
    full_text_decision: Mapping[str, str]  # study_id -> decision at full text
    included: frozenset[str]

    @cached_property
    def _included_index(self) -> ScreeningStudies:
        ids = sorted(self.included)
        return ScreeningStudies(studies=pd.DataFrame(), lookup={}, rows={i: {} for i in ids})

    def near(self, typed: str) -> str | None:
        """The included study one or two characters off ``typed`` (a typo), by the
        screening stage's test (StudyIndex.near); separators are ignored first, so that
        'S xvq2k4hth5' or 'Sxvq2k4hth5' is read as the id it was meant to be."""
        letters = re.sub(r"[^A-Za-z0-9]", "", typed)
        shaped = f"S-{letters[1:]}" if len(letters) == 11 and letters[0] in "Ss" else typed
        return self._included_index.near(shaped) if self.included else None

    def check(self, typed: str, file: str, row: int) -> tuple[str | None, Problem | None]:
        """The included study a sheet row names, or the problem with it."""
        if not typed:
            return None, Problem(file, "study_id is empty", row, "study_id", hint=TO_CODE_HINT)
        study = self.study_of.get(typed.casefold())
        if study is None:
            near = self.near(typed)
            guess = f"Did you mean {near}? " if near else ""
            return None, Problem(
                file, "no study has this id", row, "study_id", typed, hint=guess + TO_CODE_HINT
            )
        if study not in self.included:
            decision = self.full_text_decision.get(study)
            why = (
                f"its full-text decision is '{decision}'"
                if decision
                else "it was not assessed at full text"
            )
            hint = "Code only included studies; " + TO_CODE_HINT.lower()
            if decision in (None, "", "pending", "conflict"):
                # not excluded: its decisions may have gone, not the coding be wrong
                hint = (
                    "If it was included before, its screening decisions went missing (a "
                    "reviewer sheet deleted, emptied or saved over an older copy: see the "
                    "warnings of the screening step, and the backups in "
                    "data/processed/backups/): put them back rather than delete this row. "
                    "Otherwise code only included studies; " + TO_CODE_HINT.lower()
                )
            return None, Problem(
                file,
                f"study {study} is not an included study ({why})",
                row,
                "study_id",
                typed,
                hint=hint,
            )
        return study, None


def default_coder(path: str | os.PathLike) -> str:
    """The coder of a per-coder sheet (data/extraction/coding/<coder>.csv) is its file stem."""
    stem = Path(path).stem
    return "" if stem == "coding" else stem


def coder_key(name: str) -> str:
    """A coder as compared everywhere: 'Ben ', 'ben' and 'BEN' are one coder."""
    return " ".join(name.split()).casefold()


def _one_name_per_coder(excerpts: list[CodedExcerpt], sheet_coders: Sequence[str]) -> None:
    """Give every coder one spelling (in place): the name of their own sheet
    (coding/<coder>.csv), else the spelling they were typed with most often (first seen
    on a tie), so agreement never counts 'Ben' and 'ben' as two coders."""
    spellings: dict[str, dict[str, int]] = {}
    for e in excerpts:
        if e.coder:
            counts = spellings.setdefault(coder_key(e.coder), {})
            counts[e.coder] = counts.get(e.coder, 0) + 1
    shown = {
        key: max(counts, key=lambda name: (counts[name], -list(counts).index(name)))
        for key, counts in spellings.items()
    }
    shown.update({coder_key(name): name for name in sheet_coders if name})
    for i, e in enumerate(excerpts):
        if e.coder and shown[coder_key(e.coder)] != e.coder:
            excerpts[i] = replace(e, coder=shown[coder_key(e.coder)])


def _squash(text: str) -> str:
    """An excerpt as compared for duplicates: quotes, case and spacing ignored."""
    return re.sub(r"\s+", " ", text.strip().strip("\"'“”‘’«»")).casefold()


def _did_you_mean(typed: str, ids: Sequence[str]) -> str:
    close = difflib.get_close_matches(typed.strip().lower(), ids, n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'? " if close else ""


def read_coding(
    paths: Sequence[str | os.PathLike], codebook: Codebook, studies: StudyIndex
) -> list[CodedExcerpt]:
    """Every coded excerpt of the coding sheets, checked; SheetError lists all problems."""
    problems: list[Problem] = []
    excerpts: list[CodedExcerpt] = []
    first_seen: dict[tuple[str, ...], tuple[str, int]] = {}
    theme_hint = "Use a theme id or label from the codebook: " + ", ".join(codebook.theme_ids)
    kind_hint = "Use one of: " + ", ".join(codebook.kind_ids)
    for path in paths:
        sheet = read_sheet(path, REQUIRED_CODING_COLUMNS, CODING_COLUMNS)
        file = sheet.file
        problems += sheet.problems
        if any(c not in sheet.columns for c in REQUIRED_CODING_COLUMNS):
            continue  # the reader reported the missing columns
        for row, cells in sheet.rows:
            study, problem = studies.check(cells["study_id"], file, row)
            row_problems = [problem] if problem else []
            theme = codebook.find_theme(cells["theme"])
            if theme is None:
                row_problems.append(
                    Problem(
                        file,
                        "unknown theme" if cells["theme"] else "theme is empty",
                        row,
                        "theme",
                        cells["theme"] or None,
                        _did_you_mean(cells["theme"], codebook.theme_ids) + theme_hint,
                    )
                )
            kind = codebook.find_kind(cells["kind"])
            if kind is None:
                row_problems.append(
                    Problem(
                        file,
                        "unknown kind" if cells["kind"] else "kind is empty",
                        row,
                        "kind",
                        cells["kind"] or None,
                        _did_you_mean(cells["kind"], codebook.kind_ids) + kind_hint,
                    )
                )
            if not cells["excerpt"]:
                row_problems.append(
                    Problem(
                        file,
                        "excerpt is empty",
                        row,
                        "excerpt",
                        hint="Paste the passage of the study that supports this code",
                    )
                )
            coder = cells.get("coder", "") or default_coder(path)
            if row_problems or study is None or theme is None or kind is None:
                problems += row_problems
                continue
            key = (study, theme, kind, coder_key(coder), _squash(cells["excerpt"]))
            if key in first_seen:
                where, first_row = first_seen[key]
                same = f"row {first_row}" if where == file else f"{where}, row {first_row}"
                problems.append(
                    Problem(
                        file,
                        f"duplicate of {same} (same study, theme, kind, coder and excerpt)",
                        row,
                        hint="Delete one of the two rows",
                    )
                )
                continue
            first_seen[key] = (file, row)
            excerpts.append(
                CodedExcerpt(
                    study_id=study,
                    theme=theme,
                    kind=kind,
                    excerpt=cells["excerpt"],
                    location=cells.get("location", ""),
                    coder=coder,
                    note=cells.get("note", ""),
                    file=file,
                    row=row,
                )
            )
    if problems:
        raise SheetError("The coding sheets have mistakes", problems)
    _one_name_per_coder(excerpts, [default_coder(path) for path in paths])
    return excerpts


def keep_sheet_copies(
    paths: Sequence[str | os.PathLike],
    backup_dir: str | os.PathLike,
    studies: StudyIndex | None = None,
) -> None:
    """Keep a copy of each extraction sheet as read, and name what the copy the last run
    read has and the sheet lost.

    prismake never writes these sheets, but two coders saving one file, or an older copy
    saved over it, erase coded excerpts without a trace; the newest copy still has them.
    An excerpt counts as gone when its study and text are nowhere in the sheet now (a
    theme or kind changed is not a loss); a characteristic when its study's cell had a
    value and is empty now or its column is gone (a value changed is not a loss). A study
    is compared as the study its id leads to (``studies``): an id retyped in another case,
    or as an alias, is the same study.
    """
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    for path in paths:
        # by folder: data/extraction/coding.csv and a coder's coding/coding.csv stay apart
        folder = Path(backup_dir) / Path(path).parent.name
        try:
            last_read = keep_copy(path, Path(path).read_bytes(), folder, stamp)
        except OSError as error:
            log.warning("%s: no copy kept in %s (%s)", path, folder, error)
            continue
        if last_read is None:
            continue
        unit, before = _row_keys(last_read, studies)
        gone = sorted(set(before) - set(_row_keys(path, studies)[1]))
        if gone:
            shown = "; ".join(" ".join(key)[:70] for key in gone[:5])
            log.warning(
                "%s: %s from the last run %s gone (%s%s). If that was not on "
                "purpose (two people saved the same file, or an older copy was saved "
                "over it), copy them back from its last copy, %s, and run snakemake again",
                path,
                _count(len(gone), unit),
                "is" if len(gone) == 1 else "are",
                shown,
                ", ..." if len(gone) > 5 else "",
                last_read,
            )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _row_keys(
    path: str | os.PathLike, studies: StudyIndex | None = None
) -> tuple[str, set[tuple[str, ...]]]:
    """What keep_sheet_copies compares, and what to call one: a coding sheet's
    (study, excerpt) pairs ("row"), or a characteristics sheet's (study, characteristic)
    pairs with a value ("characteristic")."""
    sheet = read_sheet(path, ["study_id"])

    def study(typed: str) -> str:
        found = studies.study_of.get(typed.casefold()) if studies is not None else None
        return found or typed.casefold()

    if "excerpt" in sheet.columns:
        return "row", {
            (study(cells.get("study_id", "")), _squash(cells["excerpt"]))
            for _, cells in sheet.rows
            if cells["excerpt"]
        }
    return "characteristic", {
        (study(cells.get("study_id", "")), name)
        for _, cells in sheet.rows
        for name, value in cells.items()
        if name != "study_id" and value
    }


def gone_sheets(sheet_dir: str | os.PathLike, backup_dir: str | os.PathLike) -> list[Path]:
    """Warn about each extraction sheet a run read before (it has a copy in ``backup_dir``)
    that is gone now: its excerpts or characteristics no longer count. Returned: those
    sheets. The warning names the copy to put back, and is repeated on every run until the
    sheet is back or its copies are moved away (when it was removed on purpose)."""
    found = []
    sheet_dir = Path(sheet_dir)
    for folder in (sheet_dir, sheet_dir / "coding"):
        copies_dir = Path(backup_dir) / folder.name
        if not copies_dir.is_dir():
            continue
        names = sorted({c.name.rsplit(".", 2)[0] for c in copies_dir.glob("*.csv.*.bak")})
        for name in names:
            path = folder / name
            if path.exists():
                continue
            copies = backups_of(path, copies_dir)
            if not copies:
                continue
            found.append(path)
            last = copies[-1]
            unit, keys = _row_keys(last)
            what = "coded excerpts" if unit == "row" else "study characteristics"
            log.warning(
                "%s is gone (deleted, moved or renamed): the %s it held at the last run "
                "no longer count. Its last copy, %s, holds %s: if the sheet went by "
                "mistake, copy that file back to %s (or put the moved file back) and run "
                "snakemake again. If it was removed on purpose, move its copies (%s.*.bak) "
                "out of %s and this warning stops",
                path,
                what,
                last,
                _count(len(keys), "coded excerpt" if unit == "row" else "characteristic"),
                path,
                name,
                copies_dir,
            )
    return found


# a coder's sheet is data/extraction/coding/<coder id>.csv: a simple name, so that a copy
# a spreadsheet or a file manager makes beside it ("alice (1).csv", "Copy of alice.csv",
# "alice - copy.csv") is not taken for one more coder
CODER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def counted_coding_sheets(paths: Sequence[str | os.PathLike]) -> list[str]:
    """The coding sheets that count, in order; a warning names each one that does not.

    data/extraction/coding.csv always counts; a sheet in data/extraction/coding/ counts
    when its name is a coder id (letters, digits, '-' and '_', see CODER_ID) and it is
    not a byte-for-byte copy of another coder's sheet (the shorter name counts then).
    """
    per_coder = [Path(p) for p in paths if Path(p).parent.name == "coding"]
    contents = {}
    for path in per_coder:
        try:
            contents[path] = path.read_bytes()
        except OSError:
            contents[path] = None  # the reader reports it
    counted = []
    for path in map(Path, paths):
        if path not in contents:
            counted.append(str(path))
            continue
        why = ""
        if not CODER_ID.fullmatch(path.stem):
            why = (
                "its name is not a coder id (letters, digits, '-' and '_' only): it looks "
                "like a copy of a coder's sheet"
            )
        else:
            twin = min(
                (
                    other
                    for other in per_coder
                    if other != path
                    and CODER_ID.fullmatch(other.stem)
                    and contents[other] is not None
                    and contents[other] == contents[path]
                    and (len(other.stem), other.name) < (len(path.stem), path.name)
                ),
                key=lambda other: (len(other.stem), other.name),
                default=None,
            )
            if twin is not None and _row_keys(path)[1]:
                why = f"it is a copy of {twin.name}, byte for byte"
        if not why:
            counted.append(str(path))
            continue
        excerpts = len(_row_keys(path)[1]) if contents[path] is not None else 0
        log.warning(
            "%s is not counted: %s. Its %s count for no coder. If it is a coder's "
            "sheet, rename it to the coder's id (such as %s.csv); if it is a stray copy, "
            "move it out of %s",
            path,
            why,
            _count(excerpts, "coded excerpt"),
            re.sub(r"[^A-Za-z0-9_-]+", "_", path.stem).strip("_-") or "coder",
            path.parent,
        )
    return counted


def read_characteristics(
    path: str | os.PathLike, names: Sequence[str], studies: StudyIndex
) -> dict[str, dict[str, str]]:
    """Study id -> its characteristics (the columns declared in config); all problems at once."""
    declared = [column_name(n) for n in names]
    sheet = read_sheet(path, ["study_id"], declared)
    file = sheet.file
    problems = list(sheet.problems)
    for name in sheet.columns:
        if name != "study_id" and name not in declared:
            problems.append(
                Problem(
                    file,
                    "this column is not a characteristic declared in config",
                    row=1,
                    column=name,
                    hint="Add it to extraction.characteristics in config/config.yaml, "
                    "or delete the column",
                )
            )
    for name in declared:
        if name not in sheet.columns:
            problems.append(
                Problem(
                    file,
                    "this characteristic is declared in config but has no column",
                    row=1,
                    column=name,
                    hint="Add the column, or remove it from extraction.characteristics",
                )
            )
    found: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    # the rows are checked too when the columns have mistakes: every problem in one go
    rows = sheet.rows if "study_id" in sheet.columns else ()
    for row, cells in rows:
        study, problem = studies.check(cells["study_id"], file, row)
        if problem:
            problems.append(problem)
            continue
        assert study is not None
        if study in found:
            problems.append(
                Problem(
                    file,
                    f"study {study} already has characteristics in row {first_row[study]}",
                    row,
                    "study_id",
                    cells["study_id"],
                    hint="Keep one row per study",
                )
            )
            continue
        first_row[study] = row
        found[study] = {name: cells.get(column_name(name), "") for name in names}
    if problems:
        raise SheetError(f"{file} has mistakes", problems)
    return found
