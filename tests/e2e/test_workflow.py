"""The whole pipeline on the demo review: what a team sees after `snakemake`."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from review_copy import HUMAN_DIRS, copy_review, snakemake

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
    "results/prisma/PRISMA-1.1.1.csv",
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
    text = result.stdout + result.stderr
    assert "Nothing to be done" in text, text[-3000:]


def _planned_rules(workdir: Path) -> set[str]:
    result = snakemake(workdir, "--cores", "2", "--dry-run")
    text = result.stdout + result.stderr
    return set(re.findall(r"^(?:rule|checkpoint) (\w+):", text, flags=re.M))


def test_editing_one_reviewers_sheet_reruns_screening_but_not_import_or_dedupe(demo_run, tmp_path):
    work = tmp_path / "edited"
    shutil.copytree(demo_run, work, symlinks=True)  # copy2 keeps modification times
    sheet = work / "data" / "screening" / "title_abstract" / "alice.csv"
    raw = sheet.read_bytes()
    assert b",include,," in raw
    sheet.write_bytes(raw.replace(b",include,,", b",include,,read twice", 1))  # a new note
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
    assert differing == [], f"these results differ between two clean runs: {differing}"


def test_the_html_report_has_a_caption_for_each_output(demo_run):
    snakemake(demo_run, "--cores", "1", "--report", "results/report.html")
    html = (demo_run / "results" / "report.html").read_text(encoding="utf-8")
    for caption in sorted((Path(__file__).parents[2] / "workflow" / "report").glob("*.rst")):
        if caption.stem == "workflow":
            continue
        first_words = " ".join(caption.read_text(encoding="utf-8").split()[:6])
        assert first_words in html, f"caption {caption.name} is not in the report"
    for name in ("PRISMA.csv", "PRISMA-1.1.1.csv", "prisma.pdf", "prisma.png", "included.ris"):
        assert name in html, f"{name} is not in the report"
    # a category with subcategories (screening stages) puts a file without one under "Other"
    for screening in re.findall(r'"3\. Screening": \{[^}]*\}', html):
        assert '"Other"' not in screening, f"a screening output landed under 'Other': {screening}"


def _final_decisions_from_sheets(review: Path, stage: str) -> dict[str, str]:
    """Agreement of the two reviewers, else the resolution: computed here from the sheets."""
    config = yaml.safe_load((review / "config" / "config.yaml").read_text(encoding="utf-8"))
    meaning = {
        str(word).strip().lower(): decision
        for decision, words in config["screening"]["decision_synonyms"].items()
        for word in words
    }
    folder = review / "data" / "screening" / stage
    a, b = (
        pd.read_csv(folder / f"{r}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for r in config["screening"]["stages"][stage]["reviewers"]
    )
    resolved = pd.read_csv(
        folder / "resolutions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    resolution = {
        row.study_id: meaning[row.decision.strip().lower()] for row in resolved.itertuples()
    }
    b_decision = dict(zip(b["study_id"], b["decision"], strict=True))
    final = {}
    for study_id, typed in zip(a["study_id"], a["decision"], strict=True):
        first = meaning.get(typed.strip().lower())
        second = meaning.get(b_decision.get(study_id, "").strip().lower())
        final[study_id] = first if first == second else resolution.get(study_id, "conflict")
    return final


def test_the_prisma_numbers_follow_the_demo_sheets(demo_run):
    """Every decision typed in the demo sheets reaches the diagram's numbers."""
    counts = pd.read_csv(demo_run / "results" / "prisma" / "counts.csv", dtype=str)
    n = {key: int(value) for key, value in zip(counts["key"], counts["n"], strict=True)}
    title_abstract = _final_decisions_from_sheets(demo_run, "title_abstract")
    full_text = _final_decisions_from_sheets(demo_run, "full_text")
    records = pd.read_csv(demo_run / "data" / "processed" / "records.csv", dtype=str)

    assert n["records_screened"] == len(title_abstract)
    assert n["records_excluded"] == sum(d == "exclude" for d in title_abstract.values())
    assert n["dbr_sought_reports"] + n["other_sought_reports"] == len(full_text)
    assert n["dbr_notretrieved_reports"] + n["other_notretrieved_reports"] == sum(
        d == "not_retrieved" for d in full_text.values()
    )
    assert n["total_studies"] == sum(d == "include" for d in full_text.values())
    assert n["database_results"] + n["other_results"] == len(records)


def _svg_texts(path: Path) -> list[str]:
    return re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_shows_the_diagram_the_demo_produces(demo_run):
    """The picture in the README says what a fresh run says (same boxes, same numbers)."""
    readme_svg = Path(__file__).parents[2] / "workflow" / "report" / "images" / "prisma-demo.svg"
    shown = _svg_texts(readme_svg)
    assert any("(n = 18)" in text for text in shown)
    assert shown == _svg_texts(demo_run / "results" / "prisma" / "prisma.svg")
