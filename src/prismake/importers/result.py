"""What reading one export gives: the records, what was skipped and why, how it was read.

Every parser returns an ``ImportResult``. ``records_in_file`` is what reconciles: each
record the file holds is either in ``records`` or a ``Skipped`` entry of kind "record".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Record = dict[str, Any]


@dataclass(frozen=True)
class Skipped:
    """A record or a run of lines that was not imported, with the line it starts on."""

    line: int
    reason: str
    kind: Literal["record", "line"] = "record"
    n_lines: int = 1  # for kind "line": how many consecutive lines this entry covers


@dataclass
class ImportResult:
    """The outcome of reading one file: imported records plus everything left out."""

    file: str
    format: str
    encoding: str
    records: list[Record] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)  # imported, but worth a look

    @property
    def skipped_records(self) -> list[Skipped]:
        return [s for s in self.skipped if s.kind == "record"]

    @property
    def skipped_lines(self) -> list[Skipped]:
        return [s for s in self.skipped if s.kind == "line"]

    @property
    def records_in_file(self) -> int:
        """Records read plus records skipped: the number of records the file holds."""
        return len(self.records) + len(self.skipped_records)


class LineSkips:
    """Collects lines a parser ignores, merging consecutive lines into one entry."""

    def __init__(self) -> None:
        self.entries: list[Skipped] = []
        self._start = 0
        self._end = 0
        self._reason = ""

    def add(self, line: int, reason: str) -> None:
        if self._reason == reason and line == self._end + 1:
            self._end = line
            return
        self.flush()
        self._start, self._end, self._reason = line, line, reason

    def flush(self) -> None:
        if self._reason:
            n = self._end - self._start + 1
            self.entries.append(Skipped(self._start, self._reason, "line", n))
        self._reason = ""
