"""The extraction review with hostile imported text, rendered to every output (not a test).

The payloads sit where an export or a sheet puts them: titles, authors and journals of
studies (imported), excerpts, locations and characteristics (typed into sheets), so they
reach the extraction CSVs, the tables in four formats, the references and the figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from extraction_review import (
    CHARACTERISTICS,
    CODING,
    CODING_HEADER,
    make_review,
    run_extract,
    write_csv,
)

from prismake.csvio import read_table, write_table
from prismake.figures import write_thematic_figures
from prismake.references import write_included_references
from prismake.tables import TABLE_NAMES, write_thematic_tables

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1,1)",
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(4)>",
    "&lt;script&gt;alert(2)&lt;/script&gt;",
    '<a href="javascript:alert(3)">link</a>',
]
LATEX = ["\\input{/etc/passwd}", "}\\end{tabular}", "100% of #1 & $x$ ^_~", "\\def\\x{y}"]
MARKDOWN = ["a | b | c", "[x](javascript:alert(5))", "line one\nline two", "**bold** `code`"]
PAYLOADS = FORMULAS + MARKUP + LATEX + MARKDOWN


def hostile_review(tmp_path: Path) -> dict[str, Path]:
    """The test review, its included and excluded studies and its sheets full of payloads."""
    paths = make_review(tmp_path)
    studies = read_table(paths["studies"])
    for i in range(len(studies)):
        payload = PAYLOADS[i % len(PAYLOADS)]
        studies.loc[i, "title"] = f"{payload} {studies.loc[i, 'title']}"
        studies.loc[i, "journal"] = PAYLOADS[(i + 3) % len(PAYLOADS)]
        studies.loc[i, "abstract"] = " ".join(PAYLOADS)
    # authors make the citation labels, which reach every table and figure
    studies.loc[0, "authors"] = "<script>alert(6)</script>, Anna"
    studies.loc[1, "authors"] = "=HYPERLINK(1), Bob"
    studies.loc[2, "authors"] = "\\input{/etc/passwd}, Carl"
    write_table(studies, paths["studies"])
    decisions = read_table(paths["decisions"])
    decisions.loc[decisions["decision"] == "exclude", "reason"] = "<img src=x onerror=alert(7)>"
    write_table(decisions, paths["decisions"])
    rows = [list(r) for r in CODING]
    for i, row in enumerate(rows):
        row[3] = f"{PAYLOADS[i % len(PAYLOADS)]} {row[3]}"
        row[4] = PAYLOADS[(i + 5) % len(PAYLOADS)]
    write_csv(paths["coding"], CODING_HEADER, rows)
    chars = [["S-aaaaaaaaaa", *PAYLOADS[:5]], ["S-cccccccccc", *PAYLOADS[7:12]]]
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], chars)
    return paths


def records_for(studies_path: Path, out: Path) -> Path:
    """data/processed/records.csv for the studies: one record each, with study_id."""
    studies = read_table(studies_path)
    records = studies.assign(record_id=studies["record_ids"], search="scopus")
    write_table(records, out)
    return out


def render_all(tmp_path: Path, paths: dict[str, Path]) -> Path:
    """Extraction CSVs, thematic tables (4 formats), references and figures of a review."""
    outputs = run_extract(tmp_path, paths)
    results = tmp_path / "results"
    extraction = {"characteristics": CHARACTERISTICS, "quotes_per_cell": 2}
    write_thematic_tables(
        codebook_path=str(paths["codebook"]),
        coded_path=outputs["coded"],
        characteristics_path=outputs["characteristics"],
        included_path=outputs["included"],
        decisions_path=str(paths["decisions"]),
        studies_path=str(paths["studies"]),
        extraction=extraction,
        outputs=[str(results / "tables" / f"{t}.{e}") for t in TABLE_NAMES for e in FORMATS],
    )
    write_included_references(
        included_path=outputs["included"],
        bib_out=results / "included.bib",
        ris_out=results / "included.ris",
        records_path=records_for(paths["studies"], tmp_path / "records.csv"),
    )
    write_thematic_figures(
        codebook_path=str(paths["codebook"]),
        coded_path=outputs["coded"],
        included_path=outputs["included"],
        dpi=72,
        outputs=[
            str(results / "figures" / f"{f}.svg") for f in ("themes_by_kind", "evidence_matrix")
        ],
    )
    return results


FORMATS = ("csv", "md", "tex", "html")


def csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


__all__ = ["PAYLOADS", "csv_cells", "hostile_review", "pd", "records_for", "render_all"]
