"""prismake: from database exports to the PRISMA 2020 flow diagram.

Run `snakemake` in the review's folder: profiles/default/ (applied by Snakemake itself)
sets the cores and options. The review is described in config/config.yaml.
"""

from prismake.config import exit_on_yaml_error

exit_on_yaml_error("config/config.yaml")  # a YAML mistake named with its line


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


onsuccess:
    stop_idle_timers()


onerror:
    # Snakemake's account of a failed job (a CalledProcessError, a temporary script path)
    # comes after prismake's own message; say it again last, with what to do.
    print(failure_summary(failed_jobs()), file=sys.stderr)
    stop_idle_timers()
    sys.exit(1)
