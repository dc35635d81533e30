"""Snakemake shim: render the PRISMA 2020 flow diagram (prismake.prisma)."""

from prismake.prisma import write_prisma_diagram
from prismake.runner import run_step

run_step(
    snakemake,
    write_prisma_diagram,
    counts_path=snakemake.input.counts,
    prisma=snakemake.params.prisma,
    svg_out=snakemake.output.svg,
    pdf_out=snakemake.output.pdf,
    png_out=snakemake.output.png,
)
