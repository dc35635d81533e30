"""Snakemake shim: render the PRISMA 2020 flow diagram (prismake.prisma)."""

from prismake.runner import run_step

run_step(
    snakemake,
    "prismake.prisma.diagram:write_prisma_diagram",
    reuse=True,
    counts_path=snakemake.input.counts,
    prisma=snakemake.params.prisma,
    svg_out=snakemake.output.svg,
    pdf_out=snakemake.output.pdf,
    png_out=snakemake.output.png,
)
