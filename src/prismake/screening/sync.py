"""Adding studies new to a stage at the bottom of the reviewers' sheets, append-only.

The sheets belong to people (DESIGN.md invariant 1): a sheet is created when missing;
otherwise rows are only ever appended, in the sheet's own dialect, after a backup, by an
atomic rename, and only when every sheet of the stage passes validation. A study already
listed under an older id (now an alias of it) counts as present and is never added twice.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from prismake.csvio import (
    atomic_write_bytes,
    backups_of,
    keep_copy,
    remove_stale_temps,
    write_table,
)
from prismake.errors import Problem, SheetError, WriteError, write_problem
from prismake.screening.assign import assign
from prismake.screening.decisions import STAGE_LABEL, STAGES, TYPED_DECISIONS
from prismake.screening.prioritise import (
    keep_ranks,
    next_candidates,
    recorded_ranks,
    settings,
)
from prismake.screening.sheets import (
    Sheet,
    append_rows,
    new_sheet_bytes,
    read_sheet,
    write_settled,
)
from prismake.screening.stage import (
    RANK_COLUMN,
    RESOLUTION_COLUMNS,
    RESOLUTION_FILE,
    SHEET_COLUMNS,
    Entry,
    Reading,
    StudyIndex,
    keep_sheets_written,
    parse_rank,
    read_stage,
    screen_stage,
    sheets_written,
    stage_candidates,
    stage_reviewers,
)

log = logging.getLogger("prismake")

ADDED_COLUMNS = ("sheet", "study_id")


@dataclass
class SheetPlan:
    """What the next sync would add to each reviewer's sheet of a stage."""

    stage: str
    additions: dict[str, list[str]] = field(default_factory=dict)  # reviewer -> study ids
    reading: Reading = field(default_factory=Reading)
    # study -> its `rank`, the order it was handed out in (see hand_out_ranks)
    ranks: dict[str, int] = field(default_factory=dict)
    # reviewers whose sheet went missing and was written anew by this run (sync_sheets)
    written_anew: set[str] = field(default_factory=set)


def fill_sources(index: StudyIndex, searches: Sequence[Mapping[str, Any]]) -> StudyIndex:
    """Fill an empty ``sources`` from the searches a study was found by (older studies.csv)."""
    source_of = {s["name"]: s.get("source", "database") for s in searches}
    studies = index.studies
    if "searches" not in studies.columns or studies["sources"].astype(bool).all():
        return index
    filled = studies.copy()
    for study_id in filled.index[~filled["sources"].astype(bool)]:
        names = [n.strip() for n in str(filled.at[study_id, "searches"]).split(";") if n.strip()]
        found = sorted({source_of.get(n, "database") for n in names})
        filled.at[study_id, "sources"] = "; ".join(found)
    return StudyIndex(studies=filled, lookup=index.lookup)


def plan_sheets(
    *,
    stage: str,
    index: StudyIndex,
    candidates: Sequence[str],
    sheet_dir: str | Path,
    screening: Mapping[str, Any],
    removed_path: str | Path | None = None,
    backup_dir: str | Path | None = None,
) -> SheetPlan:
    """Read the stage's sheets and decide which candidates each reviewer still needs.

    ``backup_dir``: where the sheets' copies are; a reviewer's sheet that is missing is
    written again with every study its last copy listed (``_lost_sheet_studies``)."""
    reading = read_stage(stage, sheet_dir, screening, index, removed_path)
    reviewers = stage_reviewers(screening, stage)
    lost = _lost_sheet_studies(reading, Path(sheet_dir), backup_dir, reviewers, index)
    candidates = next_candidates(stage, index, candidates, reading, screening)
    plan = SheetPlan(stage=stage, reading=reading)
    stage_config = screening["stages"][stage]
    listed = reading.listed()
    decided = reading.decided_by()
    dealt = reading.dealt_as()
    plan.additions = {r: list(lost.get(r, [])) for r in reviewers}
    from_copy = {r: set(ids) for r, ids in lost.items()}  # already added from a lost sheet
    for study_id in candidates:
        if study_id in reading.removed:
            continue
        done = decided.get(study_id, set()) & reading.former
        present = listed.get(study_id, set())
        for reviewer in assign(dealt.get(study_id, study_id), stage_config, present, done):
            if study_id not in from_copy.get(reviewer, ()):
                plan.additions[reviewer].append(study_id)
    _check_renamed_reviewer(plan, reviewers, Path(sheet_dir), listed, decided)
    recorded = recorded_ranks(stage, reading)
    new = [
        s for s in candidates if s not in listed and s not in reading.removed and s not in recorded
    ]
    plan.ranks = hand_out_ranks(new, reading, recorded)
    return plan


def _check_renamed_reviewer(
    plan: SheetPlan,
    reviewers: Sequence[str],
    sheet_dir: Path,
    listed: Mapping[str, set[str]],
    decided: Mapping[str, set[str]],
) -> None:
    """Stop before a reviewer's undecided studies are dealt out to the others when a new
    reviewer without a sheet appears in the same run: most likely one person's id changed
    in config ("cat" to "catherine") and not the sheet's name. Appended rows cannot be
    taken back, so the run asks first."""
    written = sheets_written(sheet_dir, plan.stage)
    new = [r for r in reviewers if r not in plan.reading.sheets and r not in written]
    if not new:
        return
    to_others = {s for r, ids in plan.additions.items() if r not in new for s in ids}
    to_new = {s for r in new for s in plan.additions.get(r, ())}
    problems = []
    for former in sorted(plan.reading.former):
        theirs = {
            s for s, who in listed.items() if former in who and former not in decided.get(s, ())
        }
        if theirs & to_new and not theirs & to_others:
            # the newcomer takes them all (dual screening): nothing goes astray either way
            log.warning(
                "%s, new to the stage, takes over the %s %s left undecided. If %s is %s "
                "under a new id, delete the new %s.csv before anyone types in it, rename "
                "%s.csv to %s.csv and run snakemake again",
                " and ".join(new),
                _count(len(theirs & to_new), "study", "studies"),
                former,
                new[0],
                former,
                new[0],
                former,
                new[0],
            )
        elif theirs & to_others:
            problems.append(
                Problem(
                    str(sheet_dir / f"{former}.csv"),
                    f"{former} is no longer among this stage's reviewers and their sheet has "
                    f"{_count(len(theirs & to_others), 'undecided study', 'undecided studies')}"
                    ", which would go to the other reviewers, "
                    f"while {' and '.join(new)} {'is' if len(new) == 1 else 'are'} new to the "
                    "stage, without a sheet",
                    hint=(
                        f"If {new[0]} is {former} under a new id, rename this sheet to "
                        f"{new[0]}.csv (and {former} to {new[0]} in resolutions.csv's "
                        "resolved_by) and run snakemake again. If they are two people, run "
                        f"snakemake once without {' and '.join(new)} in the stage's reviewers "
                        f"({former}'s studies then go to the others), then add them"
                    ),
                )
            )
    if problems:
        raise SheetError("A reviewer's id changed in config, but not their sheet's name?", problems)


def _former_sheets(
    plan: SheetPlan,
    sheet_dir: Path,
    backup_dir: Path,
    stamp: str,
    reviewers: set[str],
    new_sheets: set[str] = frozenset(),
) -> None:
    """Former reviewers' sheets (still counted: stage.read_stage) are backed up like the
    others, with the same warning when decisions go; one that is gone is named with the
    copy that holds its decisions, which no longer count (or, on a machine without
    copies, with how to get it back from git). ``new_sheets``: sheets this run is the
    first to see, the only ones a gone sheet may have been renamed to."""
    for name in sorted(plan.reading.former):
        path = sheet_dir / f"{name}.csv"
        last_read = _keep_copy(path, plan.reading.sheets[name].raw, backup_dir, stamp)
        if last_read is not None:
            _lost_decisions_warning(path, plan.reading.sheets[name], last_read)
    copied = set()
    if backup_dir.is_dir():
        copied = {copy.name.split(".csv.", 1)[0] for copy in backup_dir.glob("*.csv.*.bak")}
    written = sheets_written(sheet_dir, plan.stage)
    gone = (copied | written) - reviewers - plan.reading.former - {Path(RESOLUTION_FILE).stem}
    renamed_to = {n: s for n, s in plan.reading.sheets.items() if n in new_sheets}
    for name in sorted(gone):
        path = sheet_dir / f"{name}.csv"
        if path.exists():
            continue  # a stray copy prismake never wrote: read_stage named it
        copies = backups_of(path, backup_dir)
        if not copies:  # on this machine, only the record knows the sheet was there
            log.warning(
                "%s, the sheet of a former reviewer, is gone and its decisions no longer "
                "count. No backup of it is on this machine: if it went by mistake, put it "
                "back (in git: git checkout HEAD -- %s, or git log -- %s to find it)",
                path,
                path,
                path,
            )
            continue
        decided = _decisions_in(copies[-1])
        holder = _holder_of(copies[-1], renamed_to) if decided else None
        if holder is not None:  # a reviewer's id changed, and their sheet's name with it
            log.info(
                "%s is gone, but its decisions are in %s (renamed with the reviewer's id?): "
                "they count there",
                path,
                holder,
            )
        elif decided:
            log.warning(
                "%s, the sheet of a former reviewer, is gone: its %s no longer count and "
                "the studies it listed go to the reviewers in config. Its last backup, %s, "
                "holds them: copy it back if the sheet went by mistake; to leave them out "
                "on purpose, move that sheet's backups out of %s too",
                path,
                _count(decided, "decision"),
                copies[-1],
                backup_dir,
            )


def _holder_of(copy: Path, sheets: Mapping[str, Sheet]) -> str | None:
    """The sheet that is a gone sheet's last copy under another name (the same bytes, or
    with rows added since), among ``sheets``: those new to this run (two reviewers who
    agree on every study can write the same bytes, so an old sheet is no rename)."""
    try:
        before = copy.read_bytes()
    except OSError:
        return None
    for sheet in sheets.values():
        if sheet.raw.startswith(before):
            return sheet.path.name
    return None


def _listed_in_last_copy(path: Path, backup_dir: Path, index: StudyIndex) -> set[str]:
    """The studies the newest copy of a sheet listed (none when it has no readable copy)."""
    copies = backups_of(path, backup_dir)
    try:
        copy = read_sheet(copies[-1]) if copies else None
    except (OSError, ValueError):
        copy = None
    if copy is None:
        return set()
    return {
        study_id
        for _, cells in copy.rows
        if (study_id := index.resolve(copy.cell(cells, "study_id"))[0]) is not None
    }


def _rows_back_note(
    plan: SheetPlan, stage: str, sheet_dir: Path, backup_dir: Path, index: StudyIndex
) -> set[str]:
    """Say which studies go back into a sheet whose rows for them are gone since its last
    copy (rows deleted, or an older copy saved over it); returned: those studies."""
    back: set[str] = set()
    listed = plan.reading.listed()
    for reviewer, ids in sorted(plan.additions.items()):
        # a new batch lists studies no sheet has: only a study some sheet lists may have
        # been in this one (a sheet written anew, and prioritised studies in no sheet at
        # all, have their own warnings)
        known = [s for s in ids if s in listed]
        if reviewer not in plan.reading.sheets or not known:
            continue
        path = sheet_dir / f"{reviewer}.csv"
        in_copy = _listed_in_last_copy(path, backup_dir, index)
        gone = [s for s in known if s in in_copy]
        if gone:
            back.update(gone)
            log.warning(
                "%s: %s listed in its last copy %s gone from it (rows deleted, or an older "
                "copy saved over it): added back at the bottom, undecided (%s%s)",
                path,
                _count(len(gone), "study", "studies"),
                "is" if len(gone) == 1 else "are",
                ", ".join(gone[:5]),
                ", ..." if len(gone) > 5 else "",
            )
    return back


def _second_decisions_note(plan: SheetPlan, stage: str, rows_back: set[str]) -> None:
    """Say when studies a reviewer already decided go to a second sheet (the mode now
    needs two decisions, e.g. split changed to dual): until then they await a decision,
    and the PRISMA counts show them so. ``rows_back``: studies that go back into a sheet
    that had them (said by ``_rows_back_note``), not to a second one."""
    decided = {e.study_id for e in plan.reading.entries if e.decision}
    again = {
        s
        for reviewer, ids in plan.additions.items()
        if reviewer in plan.reading.sheets  # a sheet written anew has its own warning
        for s in ids
        if s in decided and s not in rows_back
    }
    again -= set(plan.reading.resolutions)
    if again:
        log.warning(
            "%s: %d %s one reviewer already decided %s added to a second sheet, as the "
            "screening mode needs two decisions for %s; until the second reviewer decides "
            "%s, %s %s a decision (the PRISMA counts show %s so)",
            STAGE_LABEL[stage],
            len(again),
            "study" if len(again) == 1 else "studies",
            "was" if len(again) == 1 else "were",
            "it" if len(again) == 1 else "them",
            "it" if len(again) == 1 else "them",
            "it" if len(again) == 1 else "they",
            "awaits" if len(again) == 1 else "await",
            "it" if len(again) == 1 else "them",
        )


def _lost_sheet_studies(
    reading: Reading,
    sheet_dir: Path,
    backup_dir: str | Path | None,
    reviewers: Sequence[str],
    index: StudyIndex,
) -> dict[str, list[str]]:
    """For each reviewer whose sheet is missing (deleted, renamed, moved) but has a copy:
    the current studies that copy listed, in its order. They join the reading as listed
    for that reviewer, undecided (the copy's decisions are the team's to copy back: the
    run names the copy), with their ranks, so that the sheet is written again with them
    and, in split or prioritised screening, they neither go to another reviewer nor back
    into the ranking."""
    if backup_dir is None:
        return {}
    lost: dict[str, list[str]] = {}
    for reviewer in reviewers:
        path = sheet_dir / f"{reviewer}.csv"
        copies = [] if reviewer in reading.sheets else backups_of(path, backup_dir)
        if not copies:
            continue
        try:
            copy = read_sheet(copies[-1])
        except (OSError, ValueError):
            continue
        studies = lost.setdefault(reviewer, [])
        seen: set[str] = set()
        for row, cells in copy.rows:
            study_id, _ = index.resolve(copy.cell(cells, "study_id"))
            if study_id is None or study_id in seen or study_id in reading.removed:
                continue
            seen.add(study_id)
            studies.append(study_id)
            rank = parse_rank(copy.cell(cells, RANK_COLUMN))
            reading.entries.append(
                Entry(study_id, study_id, reviewer, "", "", "", str(path), row, rank)
            )
    return lost


def hand_out_ranks(
    new: Sequence[str], reading: Reading, recorded: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Each study's `rank`: the one prismake recorded for it (``recorded``), else the one
    its rows have, and for studies handed out now the next numbers, in the order handed
    out (a re-made sheet, or a row deleted and added back, gets its rank back too).

    Prioritised screening's stopping rule needs the order in which studies were handed out;
    a sheet's rows lose it when a reviewer sorts the sheet, its `rank` cells do not, and
    prismake's own record survives the cells being edited or deleted.
    """
    ranks = {**reading.ranks(), **(recorded or {})}
    start = max([len(reading.listed()), *ranks.values()])
    ranks.update((study_id, start + i) for i, study_id in enumerate(new, 1))
    return ranks


_NEW = b""  # ``was`` of a sheet that did not exist when it was read


def _replace(path: Path, data: bytes, temp_dir: Path, was: bytes) -> None:
    """Write a sheet atomically, by way of ``temp_dir``; a plain message when it cannot.

    ``was``: the sheet's bytes as read at the start of the run (``_NEW``: it did not exist).
    If a reviewer saved it since, the rename would throw their save away: refused.
    """
    for lock in (path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            log.warning(
                "%s looks open in a spreadsheet (%s exists): close it without saving, or the "
                "rows added now are lost from it (they are added again on the next run)",
                path,
                lock.name,
            )

    def unchanged() -> None:
        try:
            now = path.read_bytes()
        except FileNotFoundError:
            now = _NEW
        if now != was:
            raise SheetError(
                "A screening sheet was saved while snakemake was adding studies to it; "
                "it was not changed",
                [
                    Problem(
                        str(path),
                        "saved (or created) by someone while this run was writing it",
                        hint="Your save is kept as it is, and the studies were not added. "
                        "Run snakemake again, best when nobody has the sheet open",
                    )
                ],
            )

    try:
        atomic_write_bytes(path, data, temp_dir, before_replace=unchanged)
    except OSError as error:
        _refuse_write(error, path, "A screening sheet cannot be updated")


def _refuse_write(error: OSError, path: Path, title: str) -> None:
    problem = write_problem(error, str(path))
    if problem is None:
        raise error
    raise WriteError(title, [problem]) from None


def _read_only(path: Path) -> bool:
    """A sheet someone made read-only (chmod a-w, or the file's read-only flag)."""
    return path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)


def _decisions_in(path: Path) -> int:
    """How many decisions a sheet (or a backup of one) holds; 0 when it cannot be read."""
    try:
        sheet = read_sheet(path)
    except OSError:
        return 0
    return sum(1 for _, cells in sheet.rows if sheet.cell(cells, "decision"))


def _missing_sheet_warning(path: Path, backup_dir: Path, studies: int, stage: str = "") -> bool:
    """Say loudly that a sheet prismake wrote before is gone, and where its last backup is
    (on a fresh clone of a review kept in git there is none: the record of the sheets
    prismake wrote still tells it was there). True when it was there before."""
    copies = backups_of(path, backup_dir)[-20:]
    if not copies:
        known = bool(stage) and path.stem in sheets_written(path.parent, stage)
        if known:
            log.warning(
                "%s was missing (moved, renamed or deleted): a new sheet with the %d studies "
                "of this stage was written in its place, and its decisions no longer count. "
                "No backup of it is on this machine: if it went by mistake, put it back (in "
                "git: git checkout HEAD -- %s, or git log -- %s to find it) and run "
                "snakemake again",
                path,
                studies,
                path,
                path,
            )
        return known  # else never written before: a new reviewer or a new review
    counts = {copy: _decisions_in(copy) for copy in copies}
    last = copies[-1]
    most = max(copies, key=lambda c: (counts[c], copies.index(c)))
    also = (
        f" (an older backup, {most}, holds {_count(counts[most], 'decision')})"
        if counts[most] > counts[last]
        else ""
    )
    log.warning(
        "%s was missing (moved, renamed or deleted): a new sheet with the %d studies of this "
        "stage was written in its place. Its last backup, %s, holds %s%s: if the sheet was "
        "removed by mistake, copy that backup over the new sheet (or put the moved file back) "
        "and run snakemake again; nothing else was changed%s",
        path,
        studies,
        last,
        _count(counts[last], "decision"),
        also,
        _renamed_as(path, last, backup_dir),
    )
    return True


def _renamed_as(path: Path, last: Path, backup_dir: Path) -> str:
    """A note naming a CSV beside the sheet that lists most of its studies and that
    prismake never wrote (another reviewer's sheet lists the same ones in dual mode): the
    sheet renamed (ana_final.csv), which may hold decisions typed after its last backup."""
    listed = _study_ids(last)
    for other in sorted(path.parent.glob("*.csv")):
        if other == path or other.name.startswith((".", "~$")) or backups_of(other, backup_dir):
            continue
        if listed and len(listed & _study_ids(other)) >= len(listed) / 2:
            return (
                f". {other.name}, beside it, lists most of its studies: if it is this sheet "
                f"renamed, give it back its name ({path.name}) instead, as it may hold "
                "decisions typed since that backup"
            )
    return ""


def _study_ids(path: Path) -> set[str]:
    try:
        sheet = read_sheet(path)
    except (OSError, ValueError):
        return set()
    return {sheet.cell(cells, "study_id") for _, cells in sheet.rows} - {""}


def _lost_decisions_warning(path: Path, sheet: Sheet, last_read: Path) -> None:
    """Say loudly when decisions the last run read in a sheet (its copy ``last_read``)
    are gone from it.

    Two people saving the same file, or an older copy saved over it, erase decisions and
    leave no trace in the sheet; the copy still holds them. Clearing a decision on
    purpose gets the same warning, once.
    """
    try:
        before = read_sheet(last_read)
    except OSError:
        return
    decided = {sheet.cell(c, "study_id") for _, c in sheet.rows if sheet.cell(c, "decision")}
    gone = [
        f"{before.cell(cells, 'study_id')} {before.cell(cells, 'decision')}"
        for _, cells in before.rows
        if before.cell(cells, "decision") and before.cell(cells, "study_id") not in decided
    ]
    if not gone:
        return
    shown = "; ".join(gone[:5])
    log.warning(
        "%s: %s typed before %s gone since the last run (%s%s). If that was not on purpose "
        "(two people saved the same file, or an older copy was saved over it), copy them "
        "back from its last backup, %s, and run snakemake again",
        path,
        _count(len(gone), "decision"),
        "is" if len(gone) == 1 else "are",
        shown,
        ", ..." if len(gone) > 5 else "",
        last_read,
    )


def _count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _keep_copy(path: Path, data: bytes, backup_dir: Path, stamp: str) -> Path | None:
    """Back up a sheet as read (csvio.keep_copy): if it goes missing, the next run names
    that copy and how many decisions it holds. Returned: the copy the last run read, when
    the sheet changed since."""
    try:
        return keep_copy(path, data, backup_dir, stamp)
    except OSError as error:
        _refuse_write(
            error,
            backup_dir / path.name if error.filename is None else Path(error.filename),
            f"{path} is not changed: its backup cannot be written in {backup_dir}",
        )


def _sheet_record(index: StudyIndex, study_id: str, rank: int | None) -> dict[str, str]:
    study = index.rows[study_id]
    record = {name: str(study.get(name, "") or "") for name in ("title", "authors", "year")}
    record.update(
        study_id=study_id,
        journal=str(study.get("journal", "") or ""),
        abstract=str(study.get("abstract", "") or ""),
        doi_link=index.doi_link(study_id),
    )
    # written where the sheet has the column (prioritised stages' sheets)
    record[RANK_COLUMN] = "" if rank is None else str(rank)
    return record


def sync_sheets(
    *,
    stage: str,
    studies_path: str | Path,
    previous_decisions_path: str | Path | None,
    removed_path: str | Path | None,
    sheet_dir: str | Path,
    backup_dir: str | Path,
    screening: Mapping[str, Any],
    searches: Sequence[Mapping[str, Any]],
    added_out: str | Path,
) -> tuple[StudyIndex, SheetPlan]:
    """Make every reviewer's sheet of ``stage`` list the studies they must screen.

    Creates missing sheets; appends missing studies at the bottom of existing ones (never
    changing a byte already there); refuses, with a SheetError listing every problem, when
    any sheet of the stage has mistakes. ``added_out`` lists (sheet, study_id) added now;
    returned: the study index and the plan (the sheets as read, what was added).
    """
    if stage not in TYPED_DECISIONS:
        raise ValueError(f"unknown screening stage {stage!r}")
    sheet_dir = Path(sheet_dir)
    backup_dir = Path(backup_dir)
    # sheets are written by way of a pipeline folder, so a killed run leaves nothing where
    # reviewers look; leftovers there (and beside the sheets, from earlier versions) go now
    temp_dir = backup_dir / "tmp"
    for stale in remove_stale_temps(sheet_dir) + remove_stale_temps(temp_dir):
        log.info("%s: removed (a temporary file left by a run that was stopped)", stale)
    index = fill_sources(StudyIndex.from_path(studies_path), searches)
    candidates = stage_candidates(stage, index, previous_decisions_path)
    plan = plan_sheets(
        stage=stage,
        index=index,
        candidates=candidates,
        sheet_dir=sheet_dir,
        screening=screening,
        removed_path=removed_path,
        backup_dir=backup_dir,
    )
    if plan.reading.problems:
        # the later stages cannot run before this one: say their sheets' mistakes now too
        named = [stage]
        for other in STAGES[STAGES.index(stage) + 1 :]:
            if other in screening["stages"]:
                found = read_stage(other, sheet_dir.parent / other, screening, index).problems
                plan.reading.problems += found
                named += [other] if found else []
        names = " and ".join(STAGE_LABEL[s] for s in named)
        plan.reading.raise_problems(
            f"The {names} screening sheets have mistakes; no sheet was changed. "
            "Fix them and run again"
        )
    columns = SHEET_COLUMNS[stage]
    if settings(screening, stage) is not None:
        columns += (RANK_COLUMN,)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    read_only = [
        Problem(
            str(sheet_dir / f"{reviewer}.csv"),
            f"the sheet is read-only, and {len(study_ids)} studies must be added to it",
            hint="Make it writable again (in its file properties, or chmod u+w), then run "
            "snakemake again; prismake never writes a read-only sheet",
        )
        for reviewer, study_ids in plan.additions.items()
        if study_ids and _read_only(sheet_dir / f"{reviewer}.csv")
    ]
    if read_only:
        raise SheetError(
            f"Studies cannot be added to the {STAGE_LABEL[stage]} screening sheets; "
            "no sheet was changed",
            read_only,
        )
    _second_decisions_note(plan, stage, _rows_back_note(plan, stage, sheet_dir, backup_dir, index))
    # sheets no run has copied yet (this run copies them below): new, or renamed
    new_sheets = {
        n for n, sheet in plan.reading.sheets.items() if not backups_of(sheet.path, backup_dir)
    }
    added = []
    for reviewer, study_ids in plan.additions.items():
        path = sheet_dir / f"{reviewer}.csv"
        records = [_sheet_record(index, s, plan.ranks.get(s)) for s in study_ids]
        sheet = plan.reading.sheets.get(reviewer)
        if sheet is None:
            _replace(path, new_sheet_bytes(columns, records), temp_dir, was=_NEW)
            log.info("%s: new sheet with %s", path, _count(len(records), "study", "studies"))
            if _missing_sheet_warning(path, backup_dir, len(records), stage):
                plan.written_anew.add(reviewer)
            _keep_copy(path, path.read_bytes(), backup_dir, stamp)
        else:
            last_read = _keep_copy(path, sheet.raw, backup_dir, stamp)
            if last_read is not None:
                _lost_decisions_warning(path, sheet, last_read)
        if sheet is not None and records:
            data, lost = append_rows(sheet, records)
            _replace(path, data, temp_dir, was=sheet.raw)
            # and as written: the copy a missing sheet is written again from lists every
            # study handed out to it
            _keep_copy(path, data, backup_dir, f"{stamp}w")  # after the copy as read
            log.info(
                "%s: %s added at the bottom (backup in %s)",
                path,
                _count(len(records), "study", "studies"),
                backup_dir,
            )
            if lost:
                log.warning(
                    "%s is saved as %s: %d characters of the added titles/abstracts could not "
                    "be written and show as '?'. Save the sheet as 'CSV UTF-8' to avoid this",
                    path,
                    sheet.encoding,
                    lost,
                )
        added += [{"sheet": str(path), "study_id": s} for s in study_ids]
    written = [r for r in plan.additions if (sheet_dir / f"{r}.csv").exists()]
    keep_sheets_written(sheet_dir, stage, written)
    if settings(screening, stage) is not None:
        keep_ranks(stage, plan.reading, plan.ranks)
    _former_sheets(plan, sheet_dir, backup_dir, stamp, set(plan.additions), new_sheets)
    resolutions = sheet_dir / RESOLUTION_FILE
    if resolutions.exists():
        last_read = _keep_copy(resolutions, resolutions.read_bytes(), backup_dir, stamp)
        if last_read is not None:
            _lost_decisions_warning(resolutions, read_sheet(resolutions), last_read)
    elif screening["stages"][stage]["mode"] != "single":
        _replace(resolutions, new_sheet_bytes(RESOLUTION_COLUMNS, []), temp_dir, was=_NEW)
        log.info("%s: new, empty sheet for resolving conflicts", resolutions)
        _missing_sheet_warning(resolutions, backup_dir, 0)
        _keep_copy(resolutions, resolutions.read_bytes(), backup_dir, stamp)
    frame = pd.DataFrame(added, columns=list(ADDED_COLUMNS))
    frame = frame.sort_values(list(ADDED_COLUMNS), kind="stable")
    write_table(frame, added_out, ADDED_COLUMNS)
    return index, plan


def screen_with_sheets(
    *,
    stage: str,
    studies_path: str | Path,
    previous_decisions_path: str | Path | None,
    removed_path: str | Path | None,
    sheet_dir: str | Path,
    backup_dir: str | Path,
    screening: Mapping[str, Any],
    searches: Sequence[Mapping[str, Any]],
    outputs: Mapping[str, str | Path],
    seen: tuple[Sequence[str], str] | None = None,
) -> None:
    """Bring every sheet of ``stage`` up to date, then write its decisions (rule `screen`).

    One job does both, so no run can end with decisions read from sheets that lack a
    study of the stage, and no failure of the first half can leave the second stale.
    ``seen``: the sheets and typed digest the job was started for; with an output
    ``settled``, they are recorded beside the sheets as the job leaves them, so the
    next run does not take prismake's own writes for a change.
    """
    common = dict(
        stage=stage,
        studies_path=studies_path,
        previous_decisions_path=previous_decisions_path,
        removed_path=removed_path,
        sheet_dir=sheet_dir,
        screening=screening,
    )
    index, plan = sync_sheets(
        **common, backup_dir=backup_dir, searches=searches, added_out=outputs["added"]
    )
    added: dict[str, set[str]] = defaultdict(set)
    for reviewer, study_ids in plan.additions.items():
        for study_id in study_ids:
            added[study_id].add(reviewer)
    screen_stage(
        **common, outputs=outputs, read=(index, plan.reading, added), anew=plan.written_anew
    )
    if seen is not None and "settled" in outputs:
        write_settled(outputs["settled"], sheet_dir, *seen)
