"""Snakemake shim: check coding and characteristics sheets (prismake.extraction)."""

from prismake.runner import run_step

run_step(
    snakemake,
    "prismake.extraction:extract",
    reuse=True,
    codebook_path=snakemake.input.codebook,
    decisions_path=snakemake.input.decisions,
    studies_path=snakemake.input.studies,
    typed_ids_path=snakemake.input.typed_ids,
    coding_paths=list(snakemake.input.coding),
    characteristics_path=(
        snakemake.input.characteristics[0] if snakemake.input.characteristics else None
    ),
    extraction=snakemake.params.extraction,
    outputs=dict(snakemake.output.items()),
    backup_dir=snakemake.params.backup_dir,
    reviewers=snakemake.params.reviewers,
    sheet_dir="data/extraction",  # where the sheets above are: one gone is named
)
