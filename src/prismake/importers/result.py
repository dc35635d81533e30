"""What reading one export gives: the records, what was skipped and why, how it was read.

Every parser returns an ``ImportResult``. ``records_in_file`` is what reconciles: each
record the file holds is either in ``records`` or a ``Skipped`` entry of kind "record".
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

from prismake.importers.count import RecordCount
from prismake.progress import Progress

Record = dict[str, Any]

# The Progress of the import running in this context, if any (set by import_search).
current_progress: ContextVar[Progress | None] = ContextVar("current_progress", default=None)
_STEP = 5_000
_append = list.append


class RecordList(list):  # type: ignore[type-arg]
    """The imported records; every 5,000 appended moves the running import's progress."""

    def __init__(self) -> None:
        super().__init__()
        self._progress = current_progress.get()

    def append(self, record: Record) -> None:
        _append(self, record)  # (``super()`` would build an object per record)
        if self._progress is not None and len(self) % _STEP == 0:
            self._progress.update(_STEP)


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
    records: list[Record] = field(default_factory=RecordList)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)  # imported, but worth a look
    count: RecordCount | None = None  # the records in the file, counted apart (count.py)
    detected_because: str = ""  # why this format (empty when the format was given)
    also_plausible: tuple[tuple[str, str], ...] = ()  # other formats the head could be
    cut_short: Skipped | None = None  # the record the file ends inside, if it looks cut
    # records with an empty title, authors, year, DOI, as counted while writing the records
    # CSV (import_search); ``None``: the report counts them itself
    missing: dict[str, int] | None = None

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

    def merge_into(self, result: ImportResult) -> ImportResult:
        """End of file: add the ignored lines to ``result.skipped``, in line order."""
        self.flush()
        result.skipped.extend(self.entries)
        result.skipped.sort(key=lambda s: s.line)
        return result
