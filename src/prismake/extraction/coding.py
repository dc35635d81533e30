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
from pathlib import Path

from prismake.csvio import keep_copy
from prismake.errors import Problem, SheetError
from prismake.extraction.codebook import Codebook
from prismake.screening.sheets import column_key as column_name
from prismake.screening.sheets import read_sheet as read_screening_sheet

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

    def check(self, typed: str, file: str, row: int) -> tuple[str | None, Problem | None]:
        """The included study a sheet row names, or the problem with it."""
        if not typed:
            return None, Problem(file, "study_id is empty", row, "study_id", hint=TO_CODE_HINT)
        study = self.study_of.get(typed.casefold())
        if study is None:
            return None, Problem(
                file, "no study has this id", row, "study_id", typed, hint=TO_CODE_HINT
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


def keep_sheet_copies(paths: Sequence[str | os.PathLike], backup_dir: str | os.PathLike) -> None:
    """Keep a copy of each extraction sheet as read, and name the rows that the copy the
    last run read has and the sheet lost.

    prismake never writes these sheets, but two coders saving one file, or an older copy
    saved over it, erase coded excerpts without a trace; the newest copy still has them.
    A row counts as gone when its study and excerpt (or, in the characteristics sheet,
    its study) are nowhere in the sheet now: a theme or kind changed is not a loss.
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
        gone = sorted(_row_keys(last_read) - _row_keys(path)) if last_read else []
        if gone:
            shown = "; ".join(" ".join(key)[:70] for key in gone[:5])
            log.warning(
                "%s: %d %s from the last run %s gone (%s%s). If that was not on "
                "purpose (two people saved the same file, or an older copy was saved "
                "over it), copy them back from its last copy, %s, and run snakemake again",
                path,
                len(gone),
                "row" if len(gone) == 1 else "rows",
                "is" if len(gone) == 1 else "are",
                shown,
                ", ..." if len(gone) > 5 else "",
                last_read,
            )


def _row_keys(path: str | os.PathLike) -> set[tuple[str, ...]]:
    """A sheet's rows as keep_sheet_copies compares them: (study, excerpt) or (study,)."""
    sheet = read_sheet(path, ["study_id"])
    if "excerpt" in sheet.columns:
        return {
            (cells.get("study_id", ""), _squash(cells["excerpt"]))
            for _, cells in sheet.rows
            if cells["excerpt"]
        }
    return {
        (cells.get("study_id", ""),)
        for _, cells in sheet.rows
        if any(v for name, v in cells.items() if name != "study_id")
    }


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
    if problems:
        raise SheetError(f"{file} has mistakes", problems)
    found: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for row, cells in sheet.rows:
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
        found[study] = {name: cells[column_name(name)] for name in names}
    if problems:
        raise SheetError(f"{file} has mistakes", problems)
    return found
