"""PRISMA 2020: counts derived and checked, PRISMA.csv, the flow diagram, methods text.

Entry points called by workflow/rules/prisma.smk: ``write_prisma_counts``,
``write_prisma_diagram`` and ``write_database_yield``.
"""

from prismake.prisma.counts import write_prisma_counts
from prismake.prisma.diagram import write_prisma_diagram
from prismake.prisma.methods import write_database_yield

__all__ = ["write_database_yield", "write_prisma_counts", "write_prisma_diagram"]
