"""prismake: from database exports to the PRISMA 2020 flow diagram.

Run `snakemake` from the repository root (the default profile sets cores and
options). The review is described in config/config.yaml.
"""


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/import.smk"
include: "workflow/rules/dedupe.smk"
include: "workflow/rules/screening.smk"
include: "workflow/rules/extraction.smk"
include: "workflow/rules/prisma.smk"


report: "workflow/report/workflow.rst"


rule all:
    """Everything a review produces: tables, figures, diagram, references, reports."""
    default_target: True
    input:
        all_outputs(),
