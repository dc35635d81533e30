"""Errors a user can act on: every one names the file, the place and what to do.

Stages raise these instead of letting a traceback reach a reviewer; the CLI and the
Snakemake shims print ``str(error)`` and exit non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def did_you_mean(typed: str, words: list[str]) -> str:
    """A "Did you mean ...? " sentence when ``typed`` is close to one of ``words``, else ""."""
    import difflib

    def key(text: str) -> str:
        return " ".join(str(text).replace("_", " ").lower().split())

    by_key = {key(w): w for w in words if w}
    close = difflib.get_close_matches(key(typed), list(by_key), n=1, cutoff=0.75)
    return f"Did you mean '{by_key[close[0]]}'? " if close else ""


class PrismakeError(Exception):
    """Base class: a problem with the user's input, explained in plain words."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of one file (a sheet cell, a line of an export)."""

    file: str
    message: str
    row: int | None = None  # 1-based line/row as a spreadsheet shows it (header = row 1)
    column: str | None = None
    value: str | None = None
    hint: str | None = None
    column_label: str = "column"  # "setting" for config files

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", {self.column_label} '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (found {shown!r})"
        if self.hint:
            text += f". {self.hint}"
        return text


@dataclass
class ProblemsError(PrismakeError):
    """Every problem found in one or more files, reported together."""

    title: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [f"{self.title}: {n} problem{'s' if n != 1 else ''} found."]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


class SheetError(ProblemsError):
    """A human-edited sheet (screening, resolutions, coding ...) has mistakes."""


class ConfigError(ProblemsError):
    """config/config.yaml or the codebook is not what prismake expects."""


@dataclass
class ImportFileError(PrismakeError):
    """An export file cannot be read at all."""

    file: str
    reason: str
    line: int | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"Cannot import {where}: {self.reason}."
        if self.hint:
            text += f" {self.hint}"
        return text


class CountMismatchError(ProblemsError):
    """PRISMA arithmetic does not add up; the problems name the records involved."""


class WriteError(ProblemsError):
    """A file or folder prismake must write cannot be written (permissions, full disk)."""


_FULL = {"ENOSPC", "EDQUOT", "EFBIG"}
_DENIED = {"EACCES", "EPERM", "EROFS"}


def write_problem(error: OSError, path: str | None = None) -> Problem | None:
    """What to tell a person when writing ``path`` failed with ``error``; None for a bug.

    Only the causes a person can act on are explained: a full disk, and a file or
    folder they may not write. "Probably open in a spreadsheet" is said only where
    that is the likely cause (Windows, or a spreadsheet's lock file beside the file).
    """
    import errno
    import os
    from pathlib import Path

    name = errno.errorcode.get(error.errno or 0, "")
    target = Path(path or error.filename or "?")
    if name in _FULL:
        return Problem(
            str(target),
            "the disk is full (or your quota is used up): the file cannot be written",
            hint="Free some space, then run snakemake again",
        )
    if name in {"ENOTDIR", "EEXIST", "EISDIR"}:
        return Problem(
            str(target),
            "a file stands where a folder is expected, or a folder where a file is",
            hint="Move it out of the way, then run snakemake again",
        )
    if name not in _DENIED:
        return None
    folder = target if target.is_dir() else target.parent
    locks = (target.with_name(f"~${target.name}"), target.with_name(f".~lock.{target.name}#"))
    if any(lock.exists() for lock in locks) or os.name == "nt":
        return Problem(
            str(target),
            "the file cannot be written: it is probably open in a spreadsheet",
            hint="Save and close it, then run snakemake again",
        )
    if target.is_file() and not os.access(target, os.R_OK):
        return Problem(
            str(target),
            "you may not read this file (its permissions)",
            hint=f"Make it readable (chmod u+r '{target}') or ask its owner",
        )
    if name == "EROFS":
        return Problem(str(target), "the file system is read-only", hint="Run the review "
                       "from a folder you can write to")  # fmt: skip
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return Problem(
            str(folder),
            "you may not write in this folder (its permissions)",
            hint=f"Make it writable (chmod u+w '{folder}') or ask its owner, then run "
            "snakemake again",
        )
    return Problem(
        str(target),
        "you may not write this file (its permissions)",
        hint=f"Make it writable (chmod u+w '{target}') or ask its owner, then run snakemake again",
    )
