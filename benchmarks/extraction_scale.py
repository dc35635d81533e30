"""Extraction benchmark: seconds for extract, the thematic tables and figures as a review grows.

Usage:
    python benchmarks/extraction_scale.py              # 20, 100, 300 included studies
    python benchmarks/extraction_scale.py --studies 50 500

A synthetic review (every study included, four coded excerpts each, two coders on one
study in ten) is written to a temporary folder; each stage is timed on it. Figures are
drawn once per format at 300 dpi, as the workflow does.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from prismake.csvio import write_table
from prismake.extraction import extract
from prismake.figures import write_thematic_figures
from prismake.tables import TABLE_NAMES, write_thematic_tables

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "config" / "codebook.yaml"
THEMES = ["culture", "expectations", "one_size", "language", "resourcing"]
KINDS = ["risk", "limit", "lesson"]


def synthetic_review(folder: Path, n: int) -> dict[str, str]:
    ids = [f"S-{i:010d}" for i in range(n)]
    studies = pd.DataFrame(
        {
            "study_id": ids,
            "title": [f"Study number {i} of co-production" for i in range(n)],
            "authors": [f"Author{i % 97}, A; Other{i}, B; Third, C" for i in range(n)],
            "year": [str(2000 + i % 25) for i in range(n)],
            "record_ids": [f"scopus-{i:010d}" for i in range(n)],
        }
    )
    decisions = pd.DataFrame({"study_id": ids, "decision": "include", "reason": ""})
    rows = []
    for i, study in enumerate(ids):
        coders = ["alice", "ben"] if i % 10 == 0 else ["alice"]
        for coder in coders:
            for j in range(4):
                theme, kind = THEMES[(i * 7 + j) % 5], KINDS[(i + j) % 3]
                rows.append(
                    [study, theme, kind, f"Excerpt {j} of study {i}.", f"p. {j}", coder, ""]
                )
    coding = pd.DataFrame(
        rows, columns=["study_id", "theme", "kind", "excerpt", "location", "coder", "note"]
    )
    paths = {name: str(folder / f"{name}.csv") for name in ("studies", "decisions", "coding")}
    write_table(studies, paths["studies"])
    write_table(decisions, paths["decisions"])
    write_table(coding, paths["coding"])
    return paths


def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = synthetic_review(folder, n)
        outputs = {
            name: str(folder / "out" / f"{name}.csv")
            for name in (
                "coded", "characteristics", "included", "to_code", "coder_agreement",
                "coder_disagreements",
            )
        }  # fmt: skip
        extraction = {"codebook": str(CODEBOOK), "characteristics": [], "quotes_per_cell": 2}
        timings = {}
        start = time.perf_counter()
        extract(
            codebook_path=str(CODEBOOK),
            decisions_path=paths["decisions"],
            studies_path=paths["studies"],
            coding_paths=[paths["coding"]],
            characteristics_path=None,
            extraction=extraction,
            outputs=outputs,
        )
        timings["extract"] = time.perf_counter() - start
        start = time.perf_counter()
        write_thematic_tables(
            codebook_path=str(CODEBOOK),
            coded_path=outputs["coded"],
            characteristics_path=outputs["characteristics"],
            included_path=outputs["included"],
            decisions_path=paths["decisions"],
            studies_path=paths["studies"],
            extraction=extraction,
            outputs=[
                str(folder / "tables" / f"{t}.{e}")
                for t in TABLE_NAMES
                for e in ("csv", "md", "tex", "html")
            ],
        )
        timings["tables"] = time.perf_counter() - start
        start = time.perf_counter()
        write_thematic_figures(
            codebook_path=str(CODEBOOK),
            coded_path=outputs["coded"],
            included_path=outputs["included"],
            dpi=300,
            outputs=[
                str(folder / "figures" / f"{f}.{e}")
                for f in ("themes_by_kind", "evidence_matrix")
                for e in ("svg", "pdf", "png")
            ],
        )
        timings["figures"] = time.perf_counter() - start
        excerpts = len(pd.read_csv(outputs["coded"]))
        print(
            f"{n:>6} studies {excerpts:>7} excerpts  "
            + "  ".join(f"{k} {v:6.2f}s" for k, v in timings.items())
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, nargs="+", default=[20, 100, 300])
    for n in parser.parse_args().studies:
        run(n)


if __name__ == "__main__":
    main()
