"""Snakemake shim: bring a stage's sheets up to date, then its decisions (prismake.screening)."""

from prismake.runner import run_step
from prismake.screening import screen_with_sheets

run_step(
    snakemake,
    screen_with_sheets,
    stage=snakemake.wildcards.stage,
    studies_path=snakemake.input.studies,
    previous_decisions_path=snakemake.input.get("previous"),
    removed_path=(snakemake.input.get("removed") or [None])[0],
    sheet_dir=snakemake.params.sheet_dir,
    backup_dir=snakemake.params.backup_dir,
    screening=snakemake.params.screening,
    searches=snakemake.params.searches,
    outputs=dict(snakemake.output.items()),
    seen=(list(snakemake.input.sheets), snakemake.params.typed),
)
