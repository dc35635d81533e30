"""Snakemake shim: append new studies to the reviewers' sheets (prismake.screening)."""

from prismake.runner import run_step
from prismake.screening import sync_sheets

run_step(
    snakemake,
    sync_sheets,
    stage=snakemake.wildcards.stage,
    studies_path=snakemake.input.studies,
    previous_decisions_path=snakemake.input.get("previous"),
    removed_path=(snakemake.input.get("removed") or [None])[0],
    sheet_dir=snakemake.params.sheet_dir,
    backup_dir=snakemake.params.backup_dir,
    screening=snakemake.params.screening,
    searches=snakemake.params.searches,
    added_out=snakemake.output.added,
)
