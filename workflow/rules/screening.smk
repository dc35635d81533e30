"""Screening: reviewers' sheets -> decisions per study, conflicts, agreement, status.

Input:  data/processed/studies.csv; the human sheets data/screening/{stage}/{reviewer}.csv,
        data/screening/{stage}/resolutions.csv and (optional)
        data/screening/removed_before_screening.csv (never outputs of any rule).
Output: results/screening/{stage}/decisions.csv (final decision per study),
        results/screening/{stage}/conflicts.csv, results/screening/agreement.csv,
        results/screening/status.csv

The rule `screen` first brings every reviewer's sheet of the stage up to date (a missing
sheet is written anew, studies new to the stage or removed from a sheet are added at the
bottom: append-only, atomic, after a backup; DESIGN.md invariant 1), then reads them.
Its inputs are every sheet in the stage's folder (stray copies too), and a parameter is a
digest of what people typed in them (prismake's own appends leave it unchanged), so a
sheet edited, deleted, moved, added or copied back with an old time reruns it on the next
plain `snakemake`, as does a change to the records prismake keeps beside the decisions
(data/processed/screening/{stage}/: a git merge or restore). The job records what it saw and the sheets as it left them
(sheets_settled.json), so the sheets prismake itself wrote rerun nothing; `rule all` asks for
every file any rule writes, so a step that failed once is never left behind.
"""


rule screen:
    """Bring the stage's sheets up to date; final decisions, conflicts, orphans."""
    input:
        unpack(stage_candidates),
        sheets=stage_sheets,
    output:
        decisions="results/screening/{stage}/decisions.csv",
        reviewer_decisions="results/screening/{stage}/reviewer_decisions.csv",
        conflicts=report(
            "results/screening/{stage}/conflicts.csv",
            caption="../report/conflicts.rst",
            category="3. Screening",
            subcategory="{stage}",
        ),
        orphans="results/screening/{stage}/orphans.csv",
        added="data/processed/screening/{stage}/sheet_additions.csv",
        settled="data/processed/screening/{stage}/sheets_settled.json",
    log:
        "logs/screening/{stage}.log",
    wildcard_constraints:
        stage="title_abstract|full_text",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        sheet_dir="data/screening/{stage}",
        typed=stage_typed,
        backup_dir="data/processed/backups/{stage}",
        screening=config["screening"],
        searches=config["searches"],
        code=code_version("screening"),
    script:
        "../scripts/screen.py"


rule screening_summary:
    """Agreement between reviewers and progress per stage and reviewer."""
    input:
        decisions=expand("results/screening/{stage}/decisions.csv", stage=STAGES),
        reviewer_decisions=expand(
            "results/screening/{stage}/reviewer_decisions.csv", stage=STAGES
        ),
    output:
        agreement=report(
            "results/screening/agreement.csv",
            caption="../report/agreement.rst",
            category="3. Screening",
            subcategory="both stages",
        ),
        status=report(
            "results/screening/status.csv",
            caption="../report/status.rst",
            category="3. Screening",
            subcategory="both stages",
        ),
    log:
        "logs/screening/summary.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        screening=config["screening"],
        code=code_version("screening"),
    script:
        "../scripts/screening_summary.py"
