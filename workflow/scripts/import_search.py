"""Snakemake shim: import one search (logic in prismake.importers)."""

from prismake.importers import import_search
from prismake.runner import run_step

run_step(
    snakemake,
    import_search,
    search=snakemake.params.search,
    records_out=snakemake.output.records,
    report_out=snakemake.output.report,
)
