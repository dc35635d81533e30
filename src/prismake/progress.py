"""Progress for long steps: a live bar on a terminal, plain log lines under Snakemake.

Reviewers watching a 100,000-record import want to see it move; a Snakemake log wants a
line every few seconds, not a carriage-return bar.
"""

from __future__ import annotations

import logging
import sys
import time
from types import TracebackType

log = logging.getLogger("prismake")


class Progress:
    """Count work done; report at most every ``interval`` seconds and once at the end."""

    def __init__(
        self, label: str, total: int | None = None, unit: str = "records", interval: float = 2.0
    ) -> None:
        self.label, self.total, self.unit, self.interval = label, total, unit, interval
        self.done = 0
        self._start = time.perf_counter()
        self._last = self._start
        self._tty = sys.stderr.isatty()

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self._last >= self.interval:
            self._last = now
            self._report(final=False)

    def _report(self, final: bool) -> None:
        elapsed = time.perf_counter() - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        of = f"/{self.total:,}" if self.total else ""
        pct = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        text = f"{self.label}: {self.done:,}{of} {self.unit}{pct}, {rate:,.0f}/s, {elapsed:.1f} s"
        if self._tty and not final:
            sys.stderr.write("\r" + text)
            sys.stderr.flush()
        else:
            if self._tty:
                sys.stderr.write("\r")
            log.info(text + (" - done" if final else ""))

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._report(final=True)
