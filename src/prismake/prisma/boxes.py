"""One PRISMA box and its number: a row of results/prisma/counts.csv, read without pandas.

The diagram job needs only these rows; reading them with the csv module spares it
loading pandas (about half a second of every rerun a reviewer waits for).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

COUNT_COLUMNS = ["key", "label", "n"]


@dataclass(frozen=True)
class Box:
    """One row of counts.csv: a PRISMA box (or a detail line of one) and its number."""

    key: str
    label: str
    n: int


def read_counts(path: str | Path) -> list[Box]:
    """results/prisma/counts.csv back as boxes, in file order."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [Box(row["key"], row["label"], int(row["n"])) for row in csv.DictReader(handle)]
