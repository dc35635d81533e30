"""Snakemake shim: database yield table and methods paragraph (prismake.prisma)."""

from prismake.runner import run_step

run_step(
    snakemake,
    "prismake.prisma.methods:write_database_yield",
    reuse=True,
    counts_path=snakemake.input.counts,
    records_path=snakemake.input.records,
    studies_path=snakemake.input.studies,
    decisions_paths=list(snakemake.input.decisions),
    agreement_path=snakemake.input.agreement,
    conflicts_paths=list(snakemake.input.conflicts),
    reviewer_decisions_paths=list(snakemake.input.reviewer_decisions),
    to_check_path=snakemake.input.to_check,
    review=snakemake.params.review,
    reviewers=snakemake.params.reviewers,
    searches=snakemake.params.searches,
    screening=snakemake.params.screening,
    dedupe=snakemake.params.dedupe,
    table_outputs=list(snakemake.output.tables),
    methods_out=snakemake.output.methods,
)
