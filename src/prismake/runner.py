"""Run one pipeline step from a Snakemake rule: log to the rule's log, explain errors plainly.

Scripts in workflow/scripts are shims: ``run_step(snakemake, function, **kwargs)``. A
``PrismakeError`` ends the job with its message in the log and on the terminal, no
traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
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
