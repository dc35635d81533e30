"""The whole pipeline on the demo review: what a team sees after `snakemake`."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from .conftest import HUMAN_DIRS, copy_review, snakemake

pytestmark = pytest.mark.e2e

EXPECTED = [
    "data/processed/records.csv",
    "data/processed/studies.csv",
    "results/import/scopus.md",
    "results/import/pubmed.md",
    "results/import/wos.md",
    "results/import/citations.md",
    "results/dedupe/merges.csv",
    "results/dedupe/to_check.csv",
    "results/dedupe/counts.csv",
    "results/dedupe/overlap.csv",
    "results/screening/title_abstract/decisions.csv",
    "results/screening/title_abstract/conflicts.csv",
    "results/screening/full_text/decisions.csv",
    "results/screening/agreement.csv",
    "results/screening/status.csv",
    "results/extraction/coded.csv",
    "results/extraction/to_code.csv",
    "results/prisma/prisma.svg",
    "results/prisma/prisma.pdf",
    "results/prisma/prisma.png",
    "results/prisma/counts.csv",
    "results/prisma/PRISMA.csv",
    "results/figures/themes_by_kind.svg",
    "results/figures/evidence_matrix.png",
    "results/included.bib",
    "results/included.ris",
    "results/report/methods.md",
    *[
        f"results/tables/{t}.{e}"
        for t in (
            "themes_by_kind",
            "evidence_matrix",
            "quotes",
            "characteristics",
            "excluded_studies",
            "database_yield",
        )
        for e in ("csv", "md", "tex", "html")
    ],
]


def test_a_demo_run_produces_every_output_a_team_needs(demo_run):
    missing = [p for p in EXPECTED if not (demo_run / p).is_file()]
    empty = [p for p in EXPECTED if (demo_run / p).is_file() and (demo_run / p).stat().st_size == 0]
    assert not missing, f"missing outputs: {missing}"
    assert not empty, f"empty outputs: {empty}"


def test_a_second_run_has_nothing_to_do(demo_run):
    result = snakemake(demo_run, "--cores", "2", "--dry-run")
    assert "Nothing to be done" in result.stdout + result.stderr


def _planned_rules(workdir: Path) -> set[str]:
    result = snakemake(workdir, "--cores", "2", "--dry-run")
    text = result.stdout + result.stderr
    return set(re.findall(r"^(?:rule|checkpoint) (\w+):", text, flags=re.M))


def test_editing_one_reviewers_sheet_reruns_screening_but_not_import_or_dedupe(demo_run, tmp_path):
    work = tmp_path / "edited"
    shutil.copytree(demo_run, work, symlinks=True)  # copy2 keeps modification times
    sheet = work / "data" / "screening" / "title_abstract" / "alice.csv"
    sheet.write_bytes(sheet.read_bytes())  # saved again, as a reviewer would
    planned = _planned_rules(work)
    assert "screen" in planned
    assert "prisma_diagram" in planned
    assert "import_search" not in planned
    assert "dedupe" not in planned


def test_no_rule_of_the_workflow_writes_a_human_file(demo_run):
    """Invariant 1, read from the DAG: no output under data/raw, data/screening, ... config."""
    result = snakemake(demo_run, "--cores", "1", "--summary")
    files = [line.split("\t")[0] for line in result.stdout.splitlines()[1:] if line.strip()]
    assert len(files) >= len(EXPECTED), "the summary lists every output of the DAG"
    written_by_rules = [f for f in files if f.startswith(HUMAN_DIRS)]
    assert written_by_rules == []


def test_two_clean_runs_give_byte_identical_results(demo_run, tmp_path):
    second = copy_review(tmp_path / "second")
    snakemake(second, "--cores", "2")
    cmp = filecmp.dircmp(demo_run / "results", second / "results", ignore=["report.html"])
    differing: list[str] = []

    def walk(node: filecmp.dircmp, prefix: str) -> None:
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        differing.extend(prefix + name for name in mismatch + errors)
        differing.extend(prefix + name for name in node.left_only + node.right_only)
        for name, sub in node.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "results/")
    assert differing == []


def test_the_html_report_has_a_caption_for_each_output(demo_run):
    snakemake(demo_run, "--cores", "1", "--report", "results/report.html")
    html = (demo_run / "results" / "report.html").read_text(encoding="utf-8")
    for caption in sorted((Path(__file__).parents[2] / "workflow" / "report").glob("*.rst")):
        if caption.stem == "workflow":
            continue
        first_words = " ".join(caption.read_text(encoding="utf-8").split()[:6])
        assert first_words in html, f"caption {caption.name} is not in the report"


def test_the_prisma_numbers_follow_the_demo_sheets(demo_run):
    """Count the final full-text decisions from the sheets here, not with prismake."""
    counts = pd.read_csv(demo_run / "results" / "prisma" / "counts.csv", dtype=str)
    by_key = dict(zip(counts["key"], counts["n"], strict=False))
    decisions = pd.read_csv(
        demo_run / "results" / "screening" / "full_text" / "decisions.csv", dtype=str
    )
    included = int((decisions["decision"] == "include").sum())
    assert included > 0
    assert int(by_key["studies_included"]) == included
