"""Screening: reviewers' sheets in, final decisions, conflicts, agreement and progress out.

Entry points (called by the Snakemake shims, the CLI and the tests):
``sync_sheets`` appends new studies to the reviewers' sheets, ``screen_stage`` turns the
sheets into decisions per study, ``summarise_screening`` writes agreement and status.
"""

from prismake.screening.stage import evaluate_stage, screen_stage
from prismake.screening.status import summarise_screening
from prismake.screening.sync import screen_with_sheets, sync_sheets

__all__ = [
    "evaluate_stage",
    "screen_stage",
    "screen_with_sheets",
    "summarise_screening",
    "sync_sheets",
]
