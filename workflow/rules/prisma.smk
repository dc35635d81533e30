"""PRISMA 2020: every box counted from the data, checked, and drawn.

Input:  data/processed/records.csv, data/processed/studies.csv, results/dedupe/counts.csv,
        results/screening/{stage}/decisions.csv (studies removed before screening, by
        automation tools or for other reasons, are title/abstract decisions too)
Output: results/prisma/counts.csv, results/prisma/PRISMA.csv (PRISMA2020 1.1.4 and the web
        app), results/prisma/PRISMA-1.1.1.csv (PRISMA2020 1.1.1), results/prisma/prisma.*,
        results/tables/database_yield.*, results/report/methods.md
"""


rule prisma_counts:
    """Count every PRISMA box and check that the arithmetic adds up."""
    input:
        records="data/processed/records.csv",
        studies="data/processed/studies.csv",
        dedupe_counts="results/dedupe/counts.csv",
        decisions=expand("results/screening/{stage}/decisions.csv", stage=STAGES),
    output:
        counts=report(
            "results/prisma/counts.csv",
            caption="../report/prisma_counts.rst",
            category="0. PRISMA 2020",
        ),
        prisma_csv=report(
            "results/prisma/PRISMA.csv",
            caption="../report/prisma_csv.rst",
            category="0. PRISMA 2020",
        ),
        prisma_csv_v111=report(
            "results/prisma/PRISMA-1.1.1.csv",
            caption="../report/prisma_csv_v111.rst",
            category="0. PRISMA 2020",
        ),
    log:
        "logs/prisma/counts.log",
    # the diagram waits for it: start it first
    priority: 20
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        searches=config["searches"],
        screening=config["screening"],
        prisma=config["prisma"],
        code=code_version("prisma"),
    script:
        "../scripts/prisma_counts.py"


rule prisma_diagram:
    """Draw the PRISMA 2020 flow diagram in the template the review needs."""
    input:
        counts="results/prisma/counts.csv",
    output:
        svg=report(
            "results/prisma/prisma.svg",
            caption="../report/prisma.rst",
            category="0. PRISMA 2020",
        ),
        pdf=report(
            "results/prisma/prisma.pdf",
            caption="../report/prisma_pdf.rst",
            category="0. PRISMA 2020",
        ),
        png=report(
            "results/prisma/prisma.png",
            caption="../report/prisma_png.rst",
            category="0. PRISMA 2020",
        ),
    log:
        "logs/prisma/diagram.log",
    # the longest job after a sheet edit: start it as soon as it can
    priority: 30
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=5,
    params:
        prisma=config["prisma"],
        code=code_version("prisma", "plotting.py"),
    script:
        "../scripts/prisma_diagram.py"


rule database_yield:
    """Records, unique studies and included studies per database; methods paragraph."""
    input:
        counts="results/prisma/counts.csv",
        records="data/processed/records.csv",
        studies="data/processed/studies.csv",
        decisions=expand("results/screening/{stage}/decisions.csv", stage=STAGES),
        conflicts=expand("results/screening/{stage}/conflicts.csv", stage=STAGES),
        reviewer_decisions=expand(
            "results/screening/{stage}/reviewer_decisions.csv", stage=STAGES
        ),
        agreement="results/screening/agreement.csv",
        to_check="results/dedupe/to_check.csv",
    output:
        tables=report(
            expand(
                "results/tables/database_yield.{ext}", ext=["csv", "md", "tex", "html"]
            ),
            caption="../report/database_yield.rst",
            category="5. Tables",
        ),
        methods=report(
            "results/report/methods.md",
            caption="../report/methods.rst",
            category="0. PRISMA 2020",
        ),
    log:
        "logs/prisma/yield.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        review=config["review"],
        reviewers=config["reviewers"],
        searches=config["searches"],
        screening=config["screening"],
        dedupe=config["dedupe"],
        code=code_version(
            "prisma",
            "tables.py",
            "tableformats.py",
            "screening/agreement.py",
            "screening/decisions.py",
            "screening/priority.py",
        ),
    script:
        "../scripts/database_yield.py"
