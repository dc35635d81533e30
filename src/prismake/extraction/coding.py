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
from prismake.screening.sheets import is_sheet_file
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
    """A coder as compared everywhere, without case and spaces: 'Ben ', 'ben', 'BEN' are
    one coder, and so are 'Anne Marie' and 'AnneMarie'."""
    return "".join(name.split()).casefold()


def configured_coders(reviewers: Sequence[Mapping[str, object]] = ()) -> dict[str, str]:
    """The coders config knows (``reviewers``: id and name), keyed as a sheet or a coder
    column may spell them: case, spaces, _ and - aside, so 'Anne Copy.csv' is anne_copy's
    sheet (an id has no spaces, a file name often does). Keyed by id and by name, an id
    winning; a key two reviewers share leads to neither. -> {key: reviewer id}."""
    found: dict[str, set[str]] = {}
    for field in ("name", "id"):  # ids last: an id wins over a name that reads like it
        keyed: dict[str, set[str]] = {}
        for reviewer in reviewers:
            if reviewer.get(field):
                keyed.setdefault(config_key(str(reviewer[field])), set()).add(str(reviewer["id"]))
        found.update(keyed)
    return {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}


def config_key(name: str) -> str:
    """A coder's name as compared with config's reviewers (configured_coders)."""
    return re.sub(r"[\s_-]+", "", name).casefold()


def near_reviewers(name: str, known: Mapping[str, str]) -> list[str]:
    """The reviewers (ids; ``known``: configured_coders) whose id or name a coder name
    that is none of theirs is one or two characters off, as config_key compares them: a
    typo, 'alcie' or 'Alice Adamz' for alice. Two letters swapped count as one; two
    characters only where both names are longer than four ('bob' is no mistyped 'ben').
    The closest, sorted; [] for a reviewer's own name, or a name close to none."""
    key = config_key(name)
    if not key or key in known:
        return []
    # as the screening stage guesses a mistyped study id (StudyIndex.near)
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(key, list(known), scorer=OSA.distance, score_cutoff=2, limit=None)
    close = [
        (distance, known[other])
        for other, distance, _ in found
        if distance <= (1 if min(len(other), len(key)) <= 4 else 2)
    ]
    best = min((distance for distance, _ in close), default=None)
    return sorted({rid for distance, rid in close if distance == best})


def _rows_text(rows: Sequence[int]) -> str:
    """'row 3', 'rows 3, 7', 'rows 2-40, 45' (runs joined; the first eight runs shown)."""
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:8]]
    more = ", ..." if len(runs) > 8 else ""
    return f"{'row' if rows and len(set(rows)) == 1 else 'rows'} {', '.join(shown)}{more}"


def _apart(coder: str, meant: Sequence[str]) -> str:
    whose = " or ".join(meant)
    return (
        f"coder_agreement.csv compares {coder} with the other coders, and {whose}'s "
        "counts lack them"
    )


def mistyped_coders(
    paths: Sequence[str | os.PathLike], reviewers: Sequence[Mapping[str, object]] = ()
) -> list[str]:
    """Warn about each coder of the coding sheets (``paths``, those that count) who is no
    reviewer of config but whose name is one or two characters off one (near_reviewers):
    in a coder column, or as a coder's sheet's name that rows without a coder count under.

    A coder config does not list counts (a warning, not an error), but as one of their
    own: 'alcie' would be compared with alice in coder_agreement.csv, and alice's counts
    would lack those rows. The warning names the file, the rows, the name as typed, the
    reviewer meant, and what to do either way. Reads, never writes; returned: the
    warnings, as logged."""
    known = configured_coders(reviewers)
    if not known:
        return []
    said = []
    own_sheet = {  # a reviewer's sheet among them, by reviewer id
        known[config_key(default_coder(p))]: Path(p).name
        for p in paths
        if Path(p).parent.name == "coding" and config_key(default_coder(p)) in known
    }
    for path in paths:
        sheet = read_sheet(path, ["study_id"])
        typed: dict[str, tuple[str, list[int]]] = {}  # config_key -> (as first typed, rows)
        by_name: list[int] = []  # rows that count under the sheet's name
        for row, cells in sheet.rows:
            coder = cells.get("coder", "")
            if coder:
                typed.setdefault(config_key(coder), (coder, []))[1].append(row)
            else:
                by_name.append(row)
        for coder, rows in typed.values():
            meant = near_reviewers(coder, known)
            if not meant:
                continue
            who = " or ".join(meant)
            first = meant[0] if len(meant) == 1 else "the id of the one you mean"
            said.append(
                f"{path}, {_rows_text(rows)}, column 'coder': '{coder}' is no reviewer in "
                f"config, but close to {who}: did you mean {who}? "
                f"{'This row counts' if len(rows) == 1 else 'These rows count'} as a "
                f"coder '{coder}' of their own ({_apart(coder, meant)}). Type {first} "
                f"there; if {coder} is another coder, add them to reviewers in "
                "config/config.yaml and this warning stops"
            )
        name = default_coder(path)
        meant = near_reviewers(name, known) if Path(path).parent.name == "coding" else []
        if meant and (by_name or not (sheet.rows or sheet.problems)):
            counted = (
                f"its {_rows_text(by_name)} (no coder typed) count"
                if by_name
                else "rows typed into it without a coder will count"
            )
            todo = "; ".join(
                f"if it is {rid}'s sheet, "
                + (
                    f"copy its rows into {own_sheet[rid]}, there too, and move it away"
                    if rid in own_sheet
                    else f"rename it {rid}.csv"
                )
                for rid in meant
            )
            who = " or ".join(meant)
            said.append(
                f"{path}: the sheet's name, '{name}', is no reviewer in config, but close "
                f"to {who}: did you mean {who}? {counted[0].upper()}{counted[1:]} as a coder "
                f"'{name}' of their own ({_apart(name, meant)}). {todo[0].upper()}"
                f"{todo[1:]}; if {name} is another coder, add them to reviewers in "
                "config/config.yaml and this warning stops"
            )
    for text in said:
        log.warning("%s", text)
    return said


def _one_name_per_coder(excerpts: list[CodedExcerpt], sheet_coders: Sequence[str]) -> None:
    """Give every coder one spelling (in place): the name of their own sheet
    (coding/<coder>.csv; read_coding has put config's id for a reviewer's), else the
    spelling they were typed with most often (first seen on a tie), so agreement never
    counts 'Ben' and 'ben' as two coders."""
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
    paths: Sequence[str | os.PathLike],
    codebook: Codebook,
    studies: StudyIndex,
    reviewers: Sequence[Mapping[str, object]] = (),
) -> list[CodedExcerpt]:
    """Every coded excerpt of the coding sheets, checked; SheetError lists all problems.

    A coder config lists (``reviewers``), by id or name, in a sheet's name or its coder
    column, is given their id, as screening names reviewers in its tables: 'Alice.csv'
    and 'Alice Adams' are alice. Any other coder keeps their sheet's name or typed name.
    """
    known = configured_coders(reviewers)

    def coder_of(name: str) -> str:
        return known.get(config_key(name), name) if name else name

    problems: list[Problem] = []
    excerpts: list[CodedExcerpt] = []
    first_seen: dict[tuple[str, ...], tuple[str, int]] = {}
    theme_hint = "Use a theme id or label from the codebook: " + ", ".join(codebook.theme_ids)
    kind_hint = "Use one of: " + ", ".join(codebook.kind_ids)
    # two sheets of one coder (Ben.csv beside ben.csv): one problem naming both, and
    # their rows not compared with each other (each row would be a 'duplicate')
    sheet_of: dict[str, str] = {}
    second_sheets: set[str] = set()
    for path in paths:
        key = coder_key(coder_of(default_coder(path)))
        if not key or Path(path).parent.name != "coding":
            continue
        if key not in sheet_of:
            sheet_of[key] = str(path)
            continue
        second_sheets.add(str(path))
        problems.append(
            Problem(
                str(path),
                f"two sheets for one coder (coder names are compared without case and "
                f"spaces, and a reviewer's id and name in config are one coder): "
                f"{Path(sheet_of[key]).name} and {Path(path).name}",
                hint=f"Merge them into one or rename one (both are in {Path(path).parent})",
            )
        )
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
            shared = codebook.sub_codes_named(cells["theme"])
            if shared:
                ids = [sub_id for _, sub_id in shared]
                row_problems.append(
                    Problem(
                        file,
                        "sub-codes of more than one theme have this label: "
                        + ", ".join(f"{sub} (theme {t})" for t, sub in shared),
                        row,
                        "theme",
                        cells["theme"],
                        f"Type the id of the sub-code you mean ({' or '.join(ids)})",
                    )
                )
            elif theme is None:
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
            coder = coder_of(cells.get("coder", "") or default_coder(path))
            if row_problems or study is None or theme is None or kind is None:
                problems += row_problems
                continue
            key = (study, theme, kind, coder_key(coder), _squash(cells["excerpt"]))
            if str(path) in second_sheets:
                key += (str(path),)
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
    _one_name_per_coder(excerpts, [coder_of(default_coder(path)) for path in paths])
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
        now = set(_row_keys(path, studies)[1])
        gone = [key for key in before if key not in now]  # one per row, as counted
        if gone:
            shown = "; ".join(" ".join(key)[:70] for key in sorted(set(gone))[:5])
            log.warning(
                "%s: %s from the last run %s gone (%s%s). If that was not on "
                "purpose (two people saved the same file, or an older copy was saved "
                "over it), copy them back from its last copy, %s, and run snakemake again",
                path,
                _count(len(gone), unit),
                "is" if len(gone) == 1 else "are",
                shown,
                ", ..." if len(set(gone)) > 5 else "",
                last_read,
            )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _row_keys(
    path: str | os.PathLike,
    studies: StudyIndex | None = None,
    sheet_of: str | os.PathLike | None = None,
    coders: Mapping[str, str] | None = None,
) -> tuple[str, list[tuple[str, ...]]]:
    """What keep_sheet_copies compares, and what to call one: a coding sheet's
    (study, excerpt) pair of each coded row ("coded row", the unit of extract's info
    line), or a characteristics sheet's (study, characteristic) pairs with a value
    ("characteristic"). With ``sheet_of`` (the sheet ``path`` is, or is a copy of), a
    coded row's coder is compared too: an excerpt two coders coded is each one's; a
    reviewer of config as their id (``coders``: configured_coders), as read_coding
    counts them, so 'Alice Adams.csv' renamed to alice.csv loses nothing, and so does
    alcie.csv renamed alice.csv (a name one reviewer's is one or two characters off is
    theirs here: near_reviewers)."""
    sheet = read_sheet(path, ["study_id"])

    def study(typed: str) -> str:
        found = studies.study_of.get(typed.casefold()) if studies is not None else None
        return found or typed.casefold()

    if "excerpt" in sheet.columns:
        coder = default_coder(sheet_of) if sheet_of is not None else None

        meant: dict[str, list[str]] = {}

        def who(typed: str) -> str:
            known = coders or {}
            if config_key(typed) in known:
                return coder_key(known[config_key(typed)])
            # a name mistyped_coders takes for a reviewer's is theirs here: alcie.csv
            # renamed alice.csv, as its warning says, loses nothing
            if typed not in meant:
                meant[typed] = near_reviewers(typed, known)
            return coder_key(meant[typed][0] if len(meant[typed]) == 1 else typed)

        return "coded row", [
            (study(cells.get("study_id", "")), _squash(cells["excerpt"]))
            + (() if coder is None else (who(cells.get("coder", "") or coder),))
            for _, cells in sheet.rows
            if cells["excerpt"]
        ]
    return "characteristic", [
        (study(cells.get("study_id", "")), name)
        for _, cells in sheet.rows
        for name, value in cells.items()
        if name != "study_id" and value
    ]


def _coded_rows(path: str | os.PathLike) -> int:
    """How many rows of a coding sheet have an excerpt."""
    unit, keys = _row_keys(path)
    return len(keys) if unit == "coded row" else 0


def gone_sheets(
    sheet_dir: str | os.PathLike,
    backup_dir: str | os.PathLike,
    present: Sequence[str | os.PathLike] = (),
    studies: StudyIndex | None = None,
    reviewers: Sequence[Mapping[str, object]] = (),
) -> list[Path]:
    """Warn about each extraction sheet a run read before (it has a copy in ``backup_dir``)
    that is gone now and whose coded rows or characteristics no longer count: those its
    last copy holds and none of the sheets read now (``present``) has. A sheet moved
    (coding.csv into coding/<coder>.csv) or one whose last copy was empty is no loss.
    Returned: the sheets warned about. The warning names the copy to put back, and is
    repeated on every run until the sheet is back or its copies are moved away (when it
    was removed on purpose). ``reviewers``: config's, a coder by id or name is one."""
    coders = configured_coders(reviewers)
    found = []
    sheet_dir = Path(sheet_dir)
    now: dict[str, set[tuple[str, ...]]] = {}
    for sheet in present:
        if Path(sheet).exists():
            unit, keys = _row_keys(sheet, studies, sheet, coders)
            now.setdefault(unit, set()).update(keys)
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
            last = copies[-1]
            unit, keys = _row_keys(last, studies, path, coders)
            lost = [key for key in keys if key not in now.get(unit, set())]
            if not lost:
                continue  # it held nothing, or every row of it is in a sheet read now
            found.append(path)
            what = "coded rows" if unit == "coded row" else "study characteristics"
            log.warning(
                "%s is gone (deleted, moved or renamed): the %s it held at the last run "
                "no longer count. Its last copy, %s, holds %s that no sheet has now: if "
                "the sheet went by mistake, copy that file back to %s (or put the moved "
                "file back) and run snakemake again. If it was removed on purpose, move "
                "its copies (%s.*.bak) out of %s and this warning stops",
                path,
                what,
                last,
                _count(len(lost), unit),
                path,
                name,
                copies_dir,
            )
    return found


def coding_sheet_paths(sheet_dir: str | os.PathLike = "data/extraction") -> list[str]:
    """The coding sheets there are: ``sheet_dir``/coding.csv and every CSV of
    ``sheet_dir``/coding/ (stray copies included, spreadsheet lock files not), as
    ``sheet_dir`` names them. The extract rule's input and ``prismake status`` list them
    with this, so both judge the same files."""
    folder = Path(sheet_dir)
    sheets = [str(folder / "coding.csv")] if (folder / "coding.csv").exists() else []
    if (folder / "coding").is_dir():
        sheets += sorted(str(p) for p in (folder / "coding").glob("*.csv") if is_sheet_file(p))
    return sheets


# a copy a spreadsheet program, a browser or a file manager makes beside a coder's sheet:
# "alice (1).csv", "alice(2).csv", "Copy of alice.csv", "Copy (2) of alice.csv",
# "alice - Copy.csv", "alice - Copy (2).csv", "alice copy.csv", "alice copy 2.csv",
# "alice_copy.csv", "alice-kopie.csv". Any other name is a coder's name.
_COPY_WORD = r"(?:copy|kopie|copie|kopia)"
COPY_NAME = re.compile(
    r"(?P<a>.+?)\s*\(\d+\)"
    rf"|{_COPY_WORD}(?:\s*\(\d+\))?\s+(?:of|van|von|de)\s+(?P<b>.+)"
    rf"|(?P<c>.+?)(?:\s*-\s*|\s+|_){_COPY_WORD}(?:\s*\(?\d+\)?)?",
    re.IGNORECASE,
)


def copied_from(path: str | os.PathLike, known: Mapping[str, str] | None = None) -> str | None:
    """The coder whose sheet ``path`` looks like a copy of, by its name ("alice (1).csv",
    "Copy of alice.csv", "alice - Copy.csv": "alice"), else None: it is a coder's sheet.
    A copy of a copy is traced back to the first name that is a reviewer's (``known``:
    configured_coders): "anne_copy (1).csv" is a copy of anne_copy's sheet, not anne's."""
    stem = Path(path).stem.strip()
    match = COPY_NAME.fullmatch(stem)
    if match is None:
        return None
    original = (match["a"] or match["b"] or match["c"] or "").strip()
    if not original or config_key(original) in (known or {}):
        return original or None
    return copied_from(original + ".csv", known) or original


def counted_coding_sheets(
    paths: Sequence[str | os.PathLike], reviewers: Sequence[Mapping[str, object]] = ()
) -> list[str]:
    """The coding sheets that count, in order; a warning names each one that does not.

    data/extraction/coding.csv always counts, and so does every sheet in
    data/extraction/coding/ (its name, Unicode letters, dots, spaces and apostrophes
    included, is its coder's) except one whose name looks like a copy a spreadsheet
    program or a file manager makes ("alice (1).csv", "Copy of alice.csv", see
    COPY_NAME): a stray copy, not one more coder. A sheet named by a reviewer of config
    (``reviewers``, id or name: configured_coders) is theirs whatever it looks like: a
    coder whose id is anne_copy is a coder, not a copy of anne.
    """
    counted = []
    names = {coder_key(Path(p).stem) for p in paths if Path(p).parent.name == "coding"}
    known = configured_coders(reviewers)
    for path in map(Path, paths):
        original = None
        if path.parent.name == "coding" and config_key(path.stem) not in known:
            original = copied_from(path, known)
        if original is None:
            counted.append(str(path))
            continue
        beside = coder_key(original) in names
        try:
            rows = _coded_rows(path)
        except Exception:  # unreadable: nothing of it counts either way
            rows = 0
        if beside:
            todo = (
                f"If it is a stray copy, move it out of {path.parent}; if it holds rows "
                f"{original}.csv lacks, copy them into {original}.csv"
            )
        else:
            todo = (
                f"If it is {original}'s sheet, rename it to {original}.csv; if it is a "
                f"stray copy, move it out of {path.parent}"
            )
        log.warning(
            "%s is not counted: its name looks like a copy of %s's sheet (%s), as a "
            "spreadsheet program or a file manager names one. Its %s count for no coder. %s",
            path,
            original,
            f"{original}.csv is there too" if beside else f"there is no {original}.csv",
            _count(rows, "coded row"),
            todo,
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
