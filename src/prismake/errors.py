"""Errors a user can act on: every one names the file, the place and what to do.

Stages raise these instead of letting a traceback reach a reviewer; the CLI and the
Snakemake shims print ``str(error)`` and exit non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
