"""Snakemake shim: deduplicate all searches (logic in prismake.dedupe)."""

from prismake.dedupe import dedupe_review
from prismake.runner import run_step

run_step(
    snakemake,
    dedupe_review,
    record_files=list(snakemake.input.records),
    searches=snakemake.params.searches,
    settings=snakemake.params.settings,
    verdicts_path=snakemake.input.verdicts[0] if snakemake.input.verdicts else None,
    outputs=dict(snakemake.output.items()),
    import_reports=snakemake.params.import_reports,
)
