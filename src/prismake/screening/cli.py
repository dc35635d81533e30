"""``prismake status``: screening progress per stage and reviewer, read from the sheets now.

Works before (or without) Snakemake running the screen rule: it reads config, the studies
table and the reviewers' sheets directly, and counts studies not yet appended to a sheet
as left to screen for the reviewer they will go to.
"""

from __future__ import annotations

import argparse
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from prismake.config import load_config
from prismake.csvio import read_table
from prismake.errors import Problem, SheetError
from prismake.screening.decisions import CONFLICT, EXCLUDED_AUTOMATION, STAGE_LABEL, STAGES
from prismake.screening.prioritise import mark_automation_excluded, stage_progress
from prismake.screening.stage import (
    StudyIndex,
    backup_folder,
    decide,
    read_stage,
    stage_candidates,
    stage_reviewers,
)
from prismake.screening.status import status_table
from prismake.screening.sync import fill_sources, plan_sheets

SHOWN = (
    ("reviewer", "reviewer"),
    ("assigned", "assigned"),
    ("screened", "screened"),
    ("included", "included"),
    ("excluded", "excluded"),
    ("maybe", "maybe"),
    ("not_retrieved", "not retrieved"),
    ("conflicts", "in conflict"),
    ("left_to_screen", "left to screen"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="config/config.yaml", help="the review's config")
    parser.add_argument(
        "--studies", default="data/processed/studies.csv", help="studies table made by dedupe"
    )
    parser.add_argument(
        "--sheets", default="data/screening", help="folder with one sub-folder per stage"
    )


@dataclass
class StageStatus:
    """What ``prismake status`` shows for one stage."""

    stage: str
    table: pd.DataFrame
    not_in_sheets: int  # candidates the next run appends to a sheet
    conflicts: int  # unresolved disagreements
    orphans: int  # typed decisions that count for no current study
    prioritised: str = ""  # progress and stopping rule of a prioritised stage
    automation: int = 0  # never screened: the team stopped (excluded by automation tools)


def stage_status(config: dict, studies_path: str | Path, sheets: str | Path) -> list[StageStatus]:
    """The status of every stage in config, title/abstract first (it feeds full text)."""
    screening = config["screening"]
    index = fill_sources(StudyIndex.from_path(studies_path), config["searches"])
    removed_path = Path(sheets) / "removed_before_screening.csv"
    out = []
    previous: pd.DataFrame | None = None
    problems: list[Problem] = []
    named: list[str] = []  # the stages whose sheets have mistakes
    for stage in [s for s in STAGES if s in screening["stages"]]:
        candidates = stage_candidates(stage, index, previous=previous)
        plan = plan_sheets(
            stage=stage,
            index=index,
            candidates=candidates,
            sheet_dir=Path(sheets) / stage,
            screening=screening,
            removed_path=removed_path,
            backup_dir=backup_folder(Path(sheets) / stage, stage),
        )
        if plan.reading.problems:
            # as the screening step does (sync_sheets): a stage whose sheets have mistakes
            # is not decided (a decision from a partial reading, as of a sheet that could
            # not be read, would warn of what is not so); the later stages, which cannot
            # be planned before it, are read for their mistakes only
            problems += plan.reading.problems
            named.append(stage)
            for other in STAGES[STAGES.index(stage) + 1 :]:
                if other in screening["stages"]:
                    found = read_stage(other, Path(sheets) / other, screening, index).problems
                    problems += found
                    named += [other] if found else []
            break
        waiting: dict[str, set[str]] = defaultdict(set)
        for reviewer, study_ids in plan.additions.items():
            for study_id in study_ids:
                waiting[study_id].add(reviewer)
        result = decide(stage, candidates, plan.reading, screening, index, extra_listed=waiting)
        # as the screening step does: after a stop, never-screened studies are excluded
        mark_automation_excluded(
            result.decisions, stage, candidates, plan.reading, screening, index
        )
        reviewers = stage_reviewers(screening, stage)
        table = status_table(stage, result.decisions, result.reviewer_decisions, reviewers)
        conflicts = int((result.decisions["decision"] == CONFLICT).sum())
        progress = stage_progress(stage, candidates, plan.reading, screening, index)
        out.append(
            StageStatus(
                stage,
                table,
                len(waiting),
                conflicts,
                len(result.orphans),
                progress.sentence() if progress else "",
                int((result.decisions["decision"] == EXCLUDED_AUTOMATION).sum()),
            )
        )
        previous = result.decisions
    if problems:
        # as the screening step reports them (Reading.raise_problems): every stage's, in
        # the order of file, row and column
        names = " and ".join(STAGE_LABEL[s] for s in named)
        ordered = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        raise SheetError(f"The {names} screening sheets have mistakes (status not shown)", ordered)
    return out


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def render(status: StageStatus, mode: str) -> str:
    """A plain text table of one stage, and what to do next."""
    shown = status.table[[c for c, _ in SHOWN]].astype(str).values.tolist()
    header = [label for _, label in SHOWN]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *shown, strict=False)]
    lines = [f"{STAGE_LABEL[status.stage].capitalize()} screening ({mode})"]
    for i, cells in enumerate([header, *shown]):
        parts = [
            c.ljust(w) if j == 0 else c.rjust(w)
            for j, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  " + "  ".join(parts))
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    folder = f"data/screening/{status.stage}"
    if status.prioritised:
        lines.append(f"  {status.prioritised[0].upper()}{status.prioritised[1:]}")
    if status.automation:
        text = _count(status.automation, "study", "studies")
        lines.append(
            f"  Stopped by the team: {text} never screened "
            f"{'counts' if status.automation == 1 else 'count'} as excluded by automation tools"
        )
    if status.not_in_sheets:
        text = _count(status.not_in_sheets, "study is", "studies are")
        lines.append(f"  {text} not in the sheets yet: run snakemake to add them")
    if status.conflicts:
        text = _count(status.conflicts, "conflict waits", "conflicts wait")
        lines.append(f"  {text} for a decision in {folder}/resolutions.csv")
    if status.orphans:
        text = _count(status.orphans, "decision counts", "decisions count")
        lines.append(
            f"  {text} for no current study: see results/screening/{status.stage}/orphans.csv"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    # status reuses the screening step's planning, whose INFO lines are for the run log;
    # here they would repeat what the table says. Warnings (a sheet gone...) still show.
    logging.getLogger("prismake").setLevel(logging.WARNING)
    config = load_config(args.config)
    if not Path(args.studies).exists():
        raise SheetError(
            "No studies yet",
            [
                Problem(
                    args.studies, "file not found", hint="Run snakemake (import and dedupe) first"
                )
            ],
        )
    blocks = []
    not_imported = searches_not_in_studies(config["searches"], args.studies)
    if not_imported:
        blocks.append(
            f"Not counted yet: {_count(len(not_imported), 'search', 'searches')} in config "
            f"{'is' if len(not_imported) == 1 else 'are'} not in {args.studies} "
            f"({', '.join(not_imported)}): run snakemake to import "
            f"{'it' if len(not_imported) == 1 else 'them'}; the figures below leave "
            f"{'its' if len(not_imported) == 1 else 'their'} records out"
        )
    for status in stage_status(config, args.studies, args.sheets):
        blocks.append(render(status, config["screening"]["stages"][status.stage]["mode"]))
    pairs = _pairs_to_check(Path(args.sheets).parent.parent / "results" / "dedupe" / "to_check.csv")
    if pairs:
        blocks.append(
            f"Duplicates: {_count(pairs, 'pair', 'pairs')} prismake is unsure of "
            f"{'waits' if pairs == 1 else 'wait'} for a person's verdict: see "
            "results/dedupe/to_check.csv, and write same or different in "
            "data/screening/duplicates.csv"
        )
    print("\n\n".join(blocks))
    return 0


def searches_not_in_studies(searches, studies_path: str | Path) -> list[str]:
    """Names of searches in config that the studies table has not taken in yet (a search
    added, or renamed, since the last run): status reads that table, so it cannot count
    them. A search whose import found no record at all is not named."""
    header = pd.read_csv(studies_path, nrows=0, encoding="utf-8-sig").columns
    if "searches" not in header:
        return []
    cells = pd.read_csv(
        studies_path, usecols=["searches"], dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )["searches"]
    known = {n.strip() for cell in cells.unique() for n in str(cell).split(";")}
    imported = Path(studies_path).parent / "records"
    missing = []
    for search in searches:
        name = search["name"]
        if name in known:
            continue
        table = imported / f"{name}.csv"
        if table.is_file() and _no_rows(table) and _older(table, studies_path):
            continue  # imported, with no record, before the studies table was made
        missing.append(name)
    return missing


def _no_rows(path: Path) -> bool:
    return len(pd.read_csv(path, nrows=1, dtype=str, encoding="utf-8-sig")) == 0


def _older(path: Path, than: str | Path) -> bool:
    return path.stat().st_mtime <= Path(than).stat().st_mtime


def _pairs_to_check(path: Path) -> int:
    """Duplicate pairs still waiting for a verdict (the dedupe step lists them)."""
    if not path.is_file():
        return 0
    return len(read_table(path, ["record_id_a", "record_id_b"]))
