"""Snakemake shim: BibTeX and RIS of the included studies (prismake.references)."""

from prismake.runner import run_step

run_step(
    snakemake,
    "prismake.references:write_included_references",
    reuse=True,
    included_path=snakemake.input.included,
    records_path=snakemake.input.records,
    bib_out=snakemake.output.bib,
    ris_out=snakemake.output.ris,
)
