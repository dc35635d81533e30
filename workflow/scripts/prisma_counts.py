"""Snakemake shim: derive and check the PRISMA 2020 counts (prismake.prisma)."""

from prismake.prisma import write_prisma_counts
from prismake.runner import run_step

run_step(
    snakemake,
    write_prisma_counts,
    records_path=snakemake.input.records,
    studies_path=snakemake.input.studies,
    dedupe_counts_path=snakemake.input.dedupe_counts,
    decisions_paths=list(snakemake.input.decisions),
    searches=snakemake.params.searches,
    screening=snakemake.params.screening,
    prisma=snakemake.params.prisma,
    counts_out=snakemake.output.counts,
    prisma_csv_out=snakemake.output.prisma_csv,
    prisma_csv_v111_out=snakemake.output.prisma_csv_v111,
)
