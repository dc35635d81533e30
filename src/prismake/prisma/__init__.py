"""PRISMA 2020: counts derived and checked, PRISMA.csv, the flow diagram, methods text.

Entry points called by workflow/rules/prisma.smk: ``write_prisma_counts``,
``write_prisma_diagram`` and ``write_database_yield``. They are imported on first use,
so a job that only counts does not pay for loading matplotlib (each Snakemake job is a
fresh Python process, and a reviewer waits for every one of them).
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "write_prisma_counts": "prismake.prisma.counts",
    "write_prisma_diagram": "prismake.prisma.diagram",
    "write_database_yield": "prismake.prisma.methods",
}

__all__ = ["write_database_yield", "write_prisma_counts", "write_prisma_diagram"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'prismake.prisma' has no attribute {name!r}")
