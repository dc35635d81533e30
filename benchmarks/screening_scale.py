"""How long screening takes at review scale: sync sheets, screen, summarise.

Builds N made-up studies (default 20,000, two database searches), gives them to two
reviewers (dual screening), has each type a decision for 60% of their rows, then times
``sync_sheets`` (new sheets, then appending an update search's 5%), ``screen_stage`` and
``summarise_screening``. Prints seconds per step. Usage:
    .venv/bin/python benchmarks/screening_scale.py [N]
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from prismake.config import DEFAULT_SYNONYMS
from prismake.csvio import write_table
from prismake.ids import assign_record_ids, study_alias
from prismake.screening import screen_stage, summarise_screening, sync_sheets

SEARCHES = [
    {"name": "scopus", "database": "Scopus", "source": "database"},
    {"name": "update", "database": "Scopus", "source": "database", "round": 2},
]


def studies(n: int, search: str, offset: int = 0) -> pd.DataFrame:
    titles = [{"title": f"Study {offset + i} of co-production"} for i in range(n)]
    record_ids = assign_record_ids(search, titles)
    return pd.DataFrame(
        {
            "study_id": [study_alias(r) for r in record_ids],
            "title": [t["title"] for t in titles],
            "authors": "Example, Ann; Sample, Bo",
            "year": "2020",
            "journal": "Journal of Examples",
            "doi": [f"10.1000/{offset + i}" for i in range(n)],
            "abstract": "An abstract of about a hundred characters, as most abstracts are longer."
            * 3,
            "record_ids": record_ids,
            "searches": search,
            "sources": "database",
        }
    )


def type_some(path: Path, share: float, disagree: bool) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    decision = rows[0].index("decision")
    for i, row in enumerate(rows[1:]):
        if (i % 100) < share * 100:
            include = (i % 7 == 0) != (disagree and i % 20 == 0)  # ben differs on 5%
            row[decision] = "include" if include else "exclude"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def main(n: int) -> None:
    screening = {
        "stages": {"title_abstract": {"mode": "dual", "reviewers": ["alice", "ben"]}},
        "decision_synonyms": DEFAULT_SYNONYMS,
        "full_text_exclusion_reasons": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        frame = studies(n, "scopus")
        write_table(frame, root / "studies.csv")
        common = dict(
            stage="title_abstract",
            studies_path=root / "studies.csv",
            previous_decisions_path=None,
            removed_path=None,
            sheet_dir=root / "sheets",
            screening=screening,
        )
        sync = dict(common, backup_dir=root / "backups", searches=SEARCHES,
                    added_out=root / "added.csv")  # fmt: skip
        start = time.perf_counter()
        sync_sheets(**sync)
        print(f"sync, {n:,} studies into 2 new sheets: {time.perf_counter() - start:.2f} s")
        for reviewer in ("alice", "ben"):
            type_some(root / "sheets" / f"{reviewer}.csv", 0.6, disagree=reviewer == "ben")
        update = studies(n // 20, "update", offset=n)
        write_table(pd.concat([frame, update]), root / "studies.csv")
        start = time.perf_counter()
        sync_sheets(**sync)
        print(
            f"sync, appending {len(update):,} update studies: {time.perf_counter() - start:.2f} s"
        )
        outputs = {
            k: root / f"{k}.csv"
            for k in ("decisions", "reviewer_decisions", "conflicts", "orphans")
        }
        start = time.perf_counter()
        screen_stage(**common, outputs=outputs)
        print(f"screen, {len(frame) + len(update):,} studies: {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        summarise_screening(
            decisions_paths=[outputs["decisions"]],
            reviewer_decisions_paths=[outputs["reviewer_decisions"]],
            screening=screening,
            agreement_out=root / "agreement.csv",
            status_out=root / "status.csv",
        )
        print(f"summarise: {time.perf_counter() - start:.2f} s")
        print(pd.read_csv(root / "agreement.csv").to_string(index=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
