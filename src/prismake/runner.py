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

import importlib
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from prismake import reuse as reusing
from prismake.errors import PrismakeError, WriteError, write_problem

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


def run_step(
    smk: Any, function: Callable[..., Any] | str, *, reuse: bool = False, **kwargs: Any
) -> Any:
    """Call ``function(**kwargs)`` with logging set up for the Snakemake job ``smk``.

    ``function`` may be named as ``"module:function"``: it is imported only when the job
    computes. With ``reuse``, a job whose inputs, parameters and code are as at its last
    successful run gets that run's outputs back instead (prismake.reuse): only for rules
    whose outputs depend on nothing else.
    """
    log_path = smk.log[0] if len(smk.log) else None
    key = None
    if reuse and reusing.enabled():
        wildcards = dict(smk.wildcards.items())
        key = reusing.job_key(
            rule=smk.rule,
            wildcards=wildcards,
            inputs=list(smk.input),
            outputs=list(smk.output),
            params=dict(smk.params.items()),
            arguments=kwargs,
        )
        previous = reusing.restore(key, smk.rule, wildcards, list(smk.output))
        if previous is not None:
            text = previous + REUSED
            if log_path:
                Path(log_path).parent.mkdir(parents=True, exist_ok=True)
                Path(log_path).write_text(text, encoding="utf-8")
            sys.stderr.write(text)
            return None
    setup_logging(log_path)
    if isinstance(function, str):
        module, _, name = function.partition(":")
        function = getattr(importlib.import_module(module), name)
    try:
        result = function(**kwargs)
    except PrismakeError as error:
        log.error(str(error))
        sys.exit(1)
    except OSError as error:  # a full disk, a folder one may not write: a message, no traceback
        problem = write_problem(error)
        if problem is None:
            raise
        log.error(str(WriteError("A file cannot be written or read", [problem])))
        sys.exit(1)
    if key is not None:
        for handler in logging.getLogger("prismake").handlers:
            handler.flush()
        text = Path(log_path).read_text(encoding="utf-8") if log_path else ""
        reusing.keep(key, smk.rule, dict(smk.wildcards.items()), list(smk.output), text)
    return result


REUSED = "INFO inputs, parameters and code as at the last run: its outputs were reused\n"


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
