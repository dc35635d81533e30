"""`prismake init`: a new review with the workflow and nothing of the demo, never overwriting."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from prismake import cli, new_review
from prismake.config import check_config
from prismake.errors import PrismakeError


def test_a_new_review_has_the_workflow_a_commented_config_and_empty_sheet_folders(tmp_path):
    review = tmp_path / "catheters"
    new_review.create_review(review)

    for path in ("Snakefile", "profiles/default/config.yaml", "profiles/slurm/config.yaml"):
        assert (review / path).is_file(), path
    root = Path(__file__).resolve().parents[2]
    for rule_file in (root / "workflow" / "rules").glob("*.smk"):
        copied = review / "workflow" / "rules" / rule_file.name
        assert copied.read_bytes() == rule_file.read_bytes(), rule_file.name
    for folder in ("data/raw", "data/screening", "data/extraction"):
        assert (review / folder).is_dir() and not any((review / folder).iterdir()), folder
    config_text = (review / "config" / "config.yaml").read_text(encoding="utf-8")
    assert config_text.count("\n# ") >= 5, "the config explains its settings in comments"
    sources = [s["source"] for s in yaml.safe_load(config_text)["searches"]]
    assert sorted(sources) == ["database", "other", "register"]
    assert "snakemake" in (review / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_review_kept_in_git_keeps_the_prioritised_record_no_run_can_rebuild(tmp_path):
    """A team that shares its review through git clones it on another machine: the
    rebuilt files stay out, the stopping rule's record of the screening comes along."""
    review = tmp_path / "review"
    new_review.create_review(review)
    kept = [
        "data/screening/title_abstract/ana.csv",
        "data/processed/screening/title_abstract/pool.csv",
        "data/processed/screening/title_abstract/handed_out.csv",
        "data/processed/screening/title_abstract/random_sample.csv",
        "data/processed/screening/full_text/reviewer_sheets.csv",
    ]
    rebuilt = [
        "data/processed/studies.csv",
        "data/processed/records/scopus.csv",
        "data/processed/backups/title_abstract/ana.csv.20260101T000000Z.bak",
        "data/processed/screening/title_abstract/features.npz",
        "data/processed/screening/title_abstract/sheets_settled.json",
        "results/prisma/counts.csv",
        "logs/prisma/yield.log",
        "data/screening/title_abstract/~$ana.csv",  # Excel's lock file
        "data/screening/title_abstract/.~lock.ana.csv#",  # LibreOffice's
    ]
    for name in kept + rebuilt:
        (review / name).parent.mkdir(parents=True, exist_ok=True)
        (review / name).write_text("x\n")
    subprocess.run(["git", "init", "-q"], cwd=review, check=True)
    subprocess.run(["git", "add", "-A"], cwd=review, check=True)
    listed = subprocess.run(
        ["git", "ls-files"], cwd=review, check=True, capture_output=True, text=True
    ).stdout.split()
    assert set(kept) <= set(listed)
    assert not set(rebuilt) & set(listed)


def test_a_new_review_inherits_nothing_of_the_demo(tmp_path):
    review = tmp_path / "review"
    new_review.create_review(review)
    files = {p.relative_to(review).as_posix() for p in review.rglob("*") if p.is_file()}

    codebook = yaml.safe_load((review / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    assert [t["id"] for t in codebook["themes"]] == ["example_theme"]
    assert not [f for f in files if f.startswith(("data/", "results/", "logs/"))]
    assert not [f for f in files if "demo" in f or "__pycache__" in f]
    config_text = (review / "config" / "config.yaml").read_text(encoding="utf-8")
    for demo_word in ("alice", "co-production", "Scopus", "FICTIONAL"):
        assert demo_word not in config_text, demo_word
    assert "co-production" not in (review / "config" / "codebook.yaml").read_text().lower()


def test_the_config_template_is_valid_once_its_example_exports_exist(tmp_path, monkeypatch):
    review = tmp_path / "review"
    new_review.create_review(review)
    config = yaml.safe_load((review / "config" / "config.yaml").read_text(encoding="utf-8"))
    for search in config["searches"]:
        (review / search["file"]).write_text("", encoding="utf-8")
    monkeypatch.chdir(review)

    checked = check_config(config, base_dir=review)

    assert len(checked["reviewers"]) == 2


def test_init_refuses_a_folder_that_holds_a_review_and_writes_nothing(tmp_path):
    review = tmp_path / "review"
    new_review.create_review(review)
    (review / "config" / "config.yaml").write_text("review: {title: mine}\n", encoding="utf-8")
    (review / "workflow" / "rules" / "import.smk").unlink()

    with pytest.raises(PrismakeError, match="never overwrites") as refused:
        new_review.create_review(review)

    assert "config/config.yaml" in str(refused.value) and "Snakefile" in str(refused.value)
    assert (review / "config" / "config.yaml").read_text() == "review: {title: mine}\n"
    assert not (review / "workflow" / "rules" / "import.smk").exists()


def test_init_in_the_current_folder_keeps_exports_already_there(tmp_path, monkeypatch, capsys):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "scopus.ris").write_text("TY  - JOUR\nER  - \n")
    monkeypatch.chdir(tmp_path)

    assert cli.main(["init"]) == 0

    assert (tmp_path / "Snakefile").is_file()
    assert (tmp_path / "data" / "raw" / "scopus.ris").read_text() == "TY  - JOUR\nER  - \n"
    assert "snakemake" in capsys.readouterr().out


def test_init_in_the_prismake_repository_itself_refuses(monkeypatch, capsys):
    monkeypatch.chdir(Path(__file__).resolve().parents[2])

    assert cli.main(["init", "."]) == 2

    assert "never overwrites" in capsys.readouterr().err


@pytest.mark.slow
def test_the_built_package_carries_the_workflow_so_init_works_from_a_pip_install(tmp_path):
    """Build the wheel as pip would and look inside it (the [test] extra has setuptools>=77)."""

    root = Path(__file__).resolve().parents[2]
    source = tmp_path / "source"
    source.mkdir()
    top = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", *new_review.WORKFLOW_FILES)
    for name in top:
        shutil.copy2(root / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in ("src", *new_review.WORKFLOW_FOLDERS):
        shutil.copytree(root / folder, source / folder, ignore=ignore)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("prismake-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())

    for rule_file in (root / "workflow" / "rules").glob("*.smk"):
        assert f"prismake/_workflow/workflow/rules/{rule_file.name}" in names
    for name in (
        "prismake/_workflow/Snakefile",
        "prismake/_workflow/profiles/default/config.yaml",
        "prismake/_workflow/workflow/schemas/config.schema.yaml",
        "prismake/templates/review/config.yaml",
        "prismake/templates/review/codebook.yaml",
        "prismake/templates/review/gitignore",
    ):
        assert name in names, name
