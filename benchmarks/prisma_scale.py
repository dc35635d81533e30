"""PRISMA stage at review scale: counts, PRISMA.csv, diagram and yield table for N records.

Usage:
    python benchmarks/prisma_scale.py                 # 100,000 records
    python benchmarks/prisma_scale.py --records 20000 300000

Builds a synthetic review (four databases, a register, citation searching; every kind of
decision, 40 exclusion reasons) in a temporary folder and prints the wall time of each
entry point. The numbers are synthetic; only the timings matter.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pandas as pd

from prismake.csvio import write_table
from prismake.prisma import write_database_yield, write_prisma_counts, write_prisma_diagram

SEARCHES = [
    {"name": n, "database": d, "source": s, "round": 1, "file": "x", "date_searched": "2025-01-01"}
    for n, d, s in [
        ("scopus", "Scopus", "database"),
        ("pubmed", "PubMed", "database"),
        ("wos", "Web of Science Core Collection", "database"),
        ("embase", "Embase", "database"),
        ("ctgov", "ClinicalTrials.gov", "register"),
        ("cites", "Citation searching", "other"),
    ]
]
REASONS = [f"Reason number {i}" for i in range(40)]
SCREENING = {
    "stages": {
        "title_abstract": {"mode": "dual", "reviewers": ["a", "b"]},
        "full_text": {"mode": "dual", "reviewers": ["a", "b"]},
    },
    "full_text_exclusion_reasons": REASONS[:5],
}


def build(folder: Path, n_records: int, seed: int = 0) -> dict[str, str]:
    rng = random.Random(seed)
    names = [s["name"] for s in SEARCHES]
    records, ta, ft = [], [], []
    per_search = dict.fromkeys(names, 0)
    anchored = dict.fromkeys(names, 0)
    study = 0
    while len(records) < n_records:
        study += 1
        sid = f"S{study:07d}"
        found = rng.sample(names[:-1], rng.randint(1, 3)) if rng.random() < 0.97 else ["cites"]
        for name in found:
            per_search[name] += 1
            records.append((f"{name}-{per_search[name]}", name, sid))
        anchored[min(found, key=names.index)] += 1
        if found != ["cites"]:
            d = rng.choices(["exclude", "include", "maybe", "removed_automation"], [85, 8, 2, 5])[0]
            ta.append((sid, d, ""))
            if d not in ("include", "maybe"):
                continue
        d = rng.choices(["include", "exclude", "not_retrieved"], [30, 65, 5])[0]
        ft.append((sid, d, rng.choice(REASONS) if d == "exclude" else ""))
    paths = {k: str(folder / f"{k}.csv") for k in ("records", "studies", "dedupe")}
    frame = pd.DataFrame(records, columns=["record_id", "search", "study_id"])
    write_table(frame, paths["records"])
    write_table(pd.DataFrame({"study_id": sorted(frame["study_id"].unique())}), paths["studies"])
    dedupe = [(n, per_search[n], per_search[n] - anchored[n], anchored[n]) for n in names]
    columns = ["search", "records_identified", "duplicates_removed", "studies_first_found"]
    write_table(pd.DataFrame(dedupe, columns=columns), paths["dedupe"])
    for stage, rows in (("title_abstract", ta), ("full_text", ft)):
        paths[stage] = str(folder / stage / "decisions.csv")
        write_table(pd.DataFrame(rows, columns=["study_id", "decision", "reason"]), paths[stage])
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    for n in args.records:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths = build(folder, n)
            decisions = [paths["title_abstract"], paths["full_text"]]
            prisma = {"template": "auto", "dpi": 300, "previous_review": None}
            start = time.perf_counter()
            write_prisma_counts(
                records_path=paths["records"],
                studies_path=paths["studies"],
                dedupe_counts_path=paths["dedupe"],
                decisions_paths=decisions,
                searches=SEARCHES,
                screening=SCREENING,
                prisma=prisma,
                counts_out=str(folder / "counts.csv"),
                prisma_csv_out=str(folder / "PRISMA.csv"),
            )
            counted = time.perf_counter()
            write_prisma_diagram(
                counts_path=str(folder / "counts.csv"),
                prisma=prisma,
                svg_out=str(folder / "p.svg"),
                pdf_out=str(folder / "p.pdf"),
                png_out=str(folder / "p.png"),
            )
            drawn = time.perf_counter()
            agreement = folder / "agreement.csv"
            agreement.write_text("stage,reviewer_a,reviewer_b,n,percent_agreement,kappa\n")
            write_database_yield(
                counts_path=str(folder / "counts.csv"),
                records_path=paths["records"],
                studies_path=paths["studies"],
                decisions_paths=decisions,
                agreement_path=str(agreement),
                review={"title": "benchmark"},
                searches=SEARCHES,
                screening=SCREENING,
                dedupe={},
                table_outputs=[str(folder / "yield.csv"), str(folder / "yield.md")],
                methods_out=str(folder / "methods.md"),
            )
            done = time.perf_counter()
            print(
                f"{n:>9,} records: counts {counted - start:5.2f} s, "
                f"diagram (svg+pdf+png at 300 dpi) {drawn - counted:5.2f} s, "
                f"yield + methods {done - drawn:5.2f} s"
            )


if __name__ == "__main__":
    main()
