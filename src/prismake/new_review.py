"""``prismake init``: start a review of one's own, with the workflow and nothing of the demo.

A new review folder gets the workflow exactly as the demo runs it (Snakefile, workflow/,
profiles/, environment.yml), a commented config with one example search per source
kind, a codebook with one example theme, empty folders for exports and sheets, a README
that walks from there, and a .gitignore. Nothing of the demo comes along: no records, no
reviewers' sheets, no codebook themes, no outputs.

The workflow ships inside the package (``prismake/_workflow``, copied there when the
package is built, see setup.py), so this works from a plain ``pip install``; an editable
install reads it from the checkout instead. A file that already exists is never
overwritten: the command refuses and names it.
"""

from __future__ import annotations

import argparse
import shutil
from fnmatch import fnmatch
from pathlib import Path

import prismake
from prismake.errors import PrismakeError

PACKAGE = Path(prismake.__file__).resolve().parent
TEMPLATES = PACKAGE / "templates" / "review"
# What the workflow is made of (setup.py copies the same into the package).
WORKFLOW_FILES = ("Snakefile", "environment.yml")
WORKFLOW_FOLDERS = ("workflow", "profiles")
# Not part of a new review: caches, and the README's picture of the demo's diagram.
NOT_COPIED = ("__pycache__", "*.pyc", "images")
# Template -> where it goes in the new review.
FROM_TEMPLATES = {
    "config.yaml": "config/config.yaml",
    "codebook.yaml": "config/codebook.yaml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
}
EMPTY_FOLDERS = ("data/raw", "data/screening", "data/extraction")


class ReviewExistsError(PrismakeError):
    """The folder already holds files a new review would write."""


def workflow_source() -> Path:
    """Where the workflow files are: inside the installed package, else the checkout."""
    packaged = PACKAGE / "_workflow"
    if (packaged / "Snakefile").is_file():
        return packaged
    checkout = PACKAGE.parents[1]  # src/prismake -> the repository root
    if (checkout / "Snakefile").is_file() and (checkout / "workflow" / "rules").is_dir():
        return checkout
    raise PrismakeError(
        f"prismake's workflow files are missing from {packaged}: reinstall prismake "
        "(pip install --force-reinstall prismake) or run from a clone of its repository"
    )


def planned_files(source: Path) -> dict[Path, Path]:
    """Relative path in the new review -> the file it is copied from."""
    plan: dict[Path, Path] = {}
    for name in WORKFLOW_FILES:
        plan[Path(name)] = source / name
    for folder in WORKFLOW_FOLDERS:
        for path in sorted((source / folder).rglob("*")):
            relative = path.relative_to(source)
            skipped = any(
                fnmatch(part, pattern) for part in relative.parts for pattern in NOT_COPIED
            )
            if path.is_file() and not skipped:
                plan[relative] = path
    for template, target in FROM_TEMPLATES.items():
        plan[Path(target)] = TEMPLATES / template
    return plan


def create_review(folder: str | Path) -> list[Path]:
    """Write a new review into ``folder`` (made if missing); return the files written."""
    folder = Path(folder)
    plan = planned_files(workflow_source())
    clashes = sorted(str(p) for p in plan if (folder / p).exists())
    if clashes:
        shown = ", ".join(clashes[:5]) + (
            f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        )
        raise ReviewExistsError(
            f"{folder} already holds a review ({shown}); prismake init never overwrites "
            "a file. Choose a new folder, e.g. `prismake init my-review`, or move those "
            "files away first."
        )
    written = []
    for relative, origin in plan.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target)
        written.append(target)
    for name in EMPTY_FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        nargs="?",
        default=".",
        help="the new review's folder (made if missing; default: the current folder)",
    )


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    written = create_review(folder)
    where = "this folder" if folder.resolve() == Path.cwd().resolve() else str(folder)
    go = "" if where == "this folder" else f"cd {folder}\n  "
    print(
        f"prismake init: a new review in {where} ({len(written)} files).\n"
        "Next: put your exports in data/raw, list them in config/config.yaml (replace the "
        "example searches and reviewers), then run:\n"
        f"  {go}snakemake\n"
        "README.md walks through the rest."
    )
    return 0
