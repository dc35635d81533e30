"""Snakemake shim: thematic tables in CSV, Markdown, LaTeX and HTML (prismake.tables)."""

from prismake.runner import run_step
from prismake.tables import write_thematic_tables

run_step(
    snakemake,
    write_thematic_tables,
    codebook_path=snakemake.input.codebook,
    coded_path=snakemake.input.coded,
    characteristics_path=snakemake.input.characteristics,
    included_path=snakemake.input.included,
    decisions_path=snakemake.input.decisions,
    studies_path=snakemake.input.studies,
    extraction=snakemake.params.extraction,
    outputs=list(snakemake.output),
)
