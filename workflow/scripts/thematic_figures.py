"""Snakemake shim: figures of themes by kind and the evidence matrix (prismake.figures)."""

from prismake.figures import write_thematic_figures
from prismake.runner import run_step

run_step(
    snakemake,
    write_thematic_figures,
    codebook_path=snakemake.input.codebook,
    coded_path=snakemake.input.coded,
    included_path=snakemake.input.included,
    dpi=snakemake.params.dpi,
    outputs=list(snakemake.output),
)
