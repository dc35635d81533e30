"""Run one pipeline step from a Snakemake rule: log to the rule's log, explain errors plainly.

Scripts in workflow/scripts are shims: ``run_step(snakemake, function, **kwargs)``. A
``PrismakeError`` ends the job with its message in the log and on the terminal, no
traceback; anything else is a bug and keeps its traceback.

When a run fails, Snakemake prints its own account of the failed job (the rule, a
``CalledProcessError``, a temporary script path) after prismake's message. The
Snakefile's ``onerror`` handler calls ``failure_summary`` so that the last thing a user
reads is prismake's message again, taken from the failed jobs' logs, with what to do.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from prismake.errors import PrismakeError

log = logging.getLogger("prismake")


def setup_logging(log_path: str | None = None) -> None:
    """Plain ``LEVEL message`` lines to stderr and, when given, to the rule's log file."""
    root = logging.getLogger("prismake")
    root.handlers.clear()
    root.setLevel(logging.INFO)
    root.propagate = False
    fmt = logging.Formatter("%(levelname)s %(message)s")
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(fmt)
    root.addHandler(stream)
    if log_path:
        handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
        handler.setFormatter(fmt)
        root.addHandler(handler)


def run_step(smk: Any, function: Callable[..., Any], **kwargs: Any) -> Any:
    """Call ``function(**kwargs)`` with logging set up for the Snakemake job ``smk``."""
    log_path = smk.log[0] if len(smk.log) else None
    setup_logging(log_path)
    try:
        return function(**kwargs)
    except PrismakeError as error:
        log.error(str(error))
        sys.exit(1)


LEVELS = ("DEBUG ", "INFO ", "WARNING ", "ERROR ", "CRITICAL ")


def error_lines(log_path: str | Path) -> list[str]:
    """prismake's ERROR messages in a rule's log, each with its continuation lines."""
    try:
        lines = Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found: list[str] = []
    inside = False
    for line in lines:
        if line.startswith(LEVELS):
            inside = line.startswith("ERROR ")
            if inside:
                found.append(line.removeprefix("ERROR "))
        elif inside:
            found.append(line)
    return found


def failure_summary(failed: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The closing words of a failed run: each failed job and what its log says to do.

    ``failed`` holds (job, its log files). A job whose log has a prismake error is a
    mistake in the user's files, which the message explains; one without is a bug.
    """
    lines = ["", "prismake: the run stopped before the end."]
    mistakes = bugs = 0
    for job, logs in failed:
        message = [line for log in logs for line in error_lines(log)]
        shown_logs = ", ".join(str(log) for log in logs) or "no log"
        if message:
            mistakes += 1
            lines.append(f"{job}: {message[0]}")
            lines += message[1:]
        else:
            bugs += 1
            lines.append(
                f"{job} failed without a prismake message (log: {shown_logs}). That is a "
                "bug in prismake, not a mistake in your files: please report it with the "
                "error printed above."
            )
    if mistakes:
        lines.append(
            "Fix what is listed above (close the file in Excel before saving it again), "
            "then run `snakemake` again: the steps that already worked are not redone."
        )
    if not mistakes and not bugs:
        lines.append("The error is printed above.")
    return "\n".join(lines)
