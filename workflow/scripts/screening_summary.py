"""Snakemake shim: agreement and status over all stages (prismake.screening)."""

from prismake.runner import run_step
from prismake.screening import summarise_screening

run_step(
    snakemake,
    summarise_screening,
    decisions_paths=list(snakemake.input.decisions),
    reviewer_decisions_paths=list(snakemake.input.reviewer_decisions),
    screening=snakemake.params.screening,
    agreement_out=snakemake.output.agreement,
    status_out=snakemake.output.status,
)
