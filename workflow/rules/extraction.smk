"""Extraction: coded risks, limits and lessons of the included studies -> tables, figures.

Input:  the codebook (config), data/extraction/coding.csv or data/extraction/coding/*.csv,
        data/extraction/characteristics.csv (human sheets, never outputs),
        results/screening/full_text/decisions.csv and reviewer_decisions.csv (the ids its
        sheets typed), data/processed/studies.csv
Output: results/extraction/*.csv, results/tables/<thematic tables>.{csv,md,tex,html},
        results/figures/*.{svg,pdf,png}, results/included.bib|ris
"""


rule extract:
    """Check the coding and characteristics sheets; list studies still to code."""
    input:
        codebook=config["extraction"]["codebook"],
        decisions="results/screening/full_text/decisions.csv",
        # the ids full-text sheets typed: an old id of a study is an alias of it
        typed_ids="results/screening/full_text/reviewer_decisions.csv",
        studies="data/processed/studies.csv",
        coding=coding_sheets(),
        characteristics=existing(["data/extraction/characteristics.csv"]),
    output:
        coded="results/extraction/coded.csv",
        # the same, no excerpt cut to fit an Excel cell: what tables and figures read
        coded_full="data/processed/extraction/coded.csv",
        characteristics="results/extraction/characteristics.csv",
        included="results/extraction/included_studies.csv",
        to_code=report(
            "results/extraction/to_code.csv",
            caption="../report/to_code.rst",
            category="4. Extraction",
        ),
        coder_agreement=report(
            "results/extraction/coder_agreement.csv",
            caption="../report/coder_agreement.rst",
            category="4. Extraction",
        ),
        coder_disagreements=report(
            "results/extraction/coder_disagreements.csv",
            caption="../report/coder_disagreements.rst",
            category="4. Extraction",
        ),
    log:
        "logs/extraction/extract.log",
    # the figures wait for it: start it first
    priority: 20
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        extraction=config["extraction"],
        # who codes: a sheet named by a reviewer is theirs, never a stray copy
        reviewers=config["reviewers"],
        backup_dir="data/processed/backups/extraction",
        code=code_version("extraction", "screening/sheets.py"),
    script:
        "../scripts/extract.py"


rule thematic_tables:
    """Themes by kind, evidence matrix, quotes, characteristics, excluded studies."""
    input:
        codebook=config["extraction"]["codebook"],
        coded="data/processed/extraction/coded.csv",
        characteristics="results/extraction/characteristics.csv",
        included="results/extraction/included_studies.csv",
        decisions="results/screening/full_text/decisions.csv",
        studies="data/processed/studies.csv",
    output:
        themes_by_kind=report(
            expand(
                "results/tables/themes_by_kind.{ext}", ext=["csv", "md", "tex", "html"]
            ),
            caption="../report/table_themes_by_kind.rst",
            category="5. Tables",
        ),
        evidence_matrix=report(
            expand(
                "results/tables/evidence_matrix.{ext}",
                ext=["csv", "md", "tex", "html"],
            ),
            caption="../report/table_evidence_matrix.rst",
            category="5. Tables",
        ),
        quotes=report(
            expand("results/tables/quotes.{ext}", ext=["csv", "md", "tex", "html"]),
            caption="../report/table_quotes.rst",
            category="5. Tables",
        ),
        characteristics=report(
            expand(
                "results/tables/characteristics.{ext}",
                ext=["csv", "md", "tex", "html"],
            ),
            caption="../report/table_characteristics.rst",
            category="5. Tables",
        ),
        excluded_studies=report(
            expand(
                "results/tables/excluded_studies.{ext}",
                ext=["csv", "md", "tex", "html"],
            ),
            caption="../report/table_excluded_studies.rst",
            category="5. Tables",
        ),
    log:
        "logs/extraction/tables.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        extraction=config["extraction"],
        code=code_version("extraction", "tables.py", "tableformats.py"),
    script:
        "../scripts/thematic_tables.py"


rule thematic_figures:
    """Bar chart of studies per theme and kind; evidence-matrix heatmap."""
    input:
        codebook=config["extraction"]["codebook"],
        coded="data/processed/extraction/coded.csv",
        included="results/extraction/included_studies.csv",
    output:
        themes_by_kind=report(
            expand("results/figures/themes_by_kind.{ext}", ext=["svg", "pdf", "png"]),
            caption="../report/figure_themes_by_kind.rst",
            category="6. Figures",
        ),
        evidence_matrix=report(
            expand("results/figures/evidence_matrix.{ext}", ext=["svg", "pdf", "png"]),
            caption="../report/figure_evidence_matrix.rst",
            category="6. Figures",
        ),
    log:
        "logs/extraction/figures.log",
    # a long job: start it as soon as it can
    priority: 30
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=5,
    params:
        dpi=config["prisma"]["dpi"],
        code=code_version("extraction", "figures.py", "plotting.py"),
    script:
        "../scripts/thematic_figures.py"


rule included_references:
    """The included studies as BibTeX and RIS, keyed by their citation labels."""
    input:
        included="results/extraction/included_studies.csv",
        records="data/processed/records.csv",
    output:
        bib=report(
            "results/included.bib",
            caption="../report/references_bib.rst",
            category="7. References",
        ),
        ris=report(
            "results/included.ris",
            caption="../report/references_ris.rst",
            category="7. References",
        ),
    log:
        "logs/extraction/references.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        code=code_version("extraction", "references.py", "tableformats.py"),
    script:
        "../scripts/included_references.py"
