"""Snakemake shim: BibTeX and RIS of the included studies (prismake.references)."""

from prismake.references import write_included_references
from prismake.runner import run_step

run_step(
    snakemake,
    write_included_references,
    included_path=snakemake.input.included,
    records_path=snakemake.input.records,
    bib_out=snakemake.output.bib,
    ris_out=snakemake.output.ris,
)
