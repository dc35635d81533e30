"""Import: one normalised records table and one import report per search.

Input:  the export file of each search in config (data/raw, never written here).
Output: data/processed/records/{search}.csv, results/import/{search}.md
"""


rule import_search:
    """Read one export file into the record columns, with a per-file import report."""
    input:
        export=lambda wc: SEARCHES[wc.search]["file"],
    output:
        records="data/processed/records/{search}.csv",
        report=report(
            "results/import/{search}.md",
            caption="../report/import.rst",
            category="1. Import",
        ),
    log:
        "logs/import/{search}.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    params:
        search=lambda wc: SEARCHES[wc.search],
        code=code_version("importers"),
    script:
        "../scripts/import_search.py"
