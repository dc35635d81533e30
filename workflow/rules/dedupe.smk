"""Dedupe: records from every search -> studies, with the evidence for every merge.

Input:  data/processed/records/{search}.csv for every search;
        data/screening/duplicates.csv (the team's verdicts on pairs; optional, human).
Output: data/processed/records.csv (every record with its study_id),
        data/processed/studies.csv (one row per study), results/dedupe/*.csv
"""


rule dedupe:
    """Group records into studies; list merges, pairs to check, counts and overlap."""
    input:
        records=expand("data/processed/records/{search}.csv", search=SEARCHES),
        verdicts=existing(["data/screening/duplicates.csv"]),
    output:
        records="data/processed/records.csv",
        studies="data/processed/studies.csv",
        merges=report(
            "results/dedupe/merges.csv",
            caption="../report/merges.rst",
            category="2. Deduplication",
        ),
        to_check=report(
            "results/dedupe/to_check.csv",
            caption="../report/to_check.rst",
            category="2. Deduplication",
        ),
        counts=report(
            "results/dedupe/counts.csv",
            caption="../report/dedupe_counts.rst",
            category="2. Deduplication",
        ),
        overlap=report(
            "results/dedupe/overlap.csv",
            caption="../report/overlap.rst",
            category="2. Deduplication",
        ),
    log:
        "logs/dedupe.log",
    benchmark:
        "logs/benchmarks/dedupe.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        searches=config["searches"],
        settings=config["dedupe"],
        import_reports="results/import",
        code=code_version("dedupe"),
    script:
        "../scripts/dedupe.py"
