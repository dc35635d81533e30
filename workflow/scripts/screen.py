"""Snakemake shim: final decisions of one screening stage (prismake.screening)."""

from prismake.runner import run_step
from prismake.screening import screen_stage

run_step(
    snakemake,
    screen_stage,
    stage=snakemake.wildcards.stage,
    studies_path=snakemake.input.studies,
    previous_decisions_path=snakemake.input.get("previous"),
    removed_path=(snakemake.input.get("removed") or [None])[0],
    sheet_dir=snakemake.params.sheet_dir,
    screening=snakemake.params.screening,
    outputs=dict(snakemake.output.items()),
)
