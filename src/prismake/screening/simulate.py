"""``prismake simulate``: the order a team would have screened a labelled set in.

Input: a CSV with ``record_id, title, abstract, label_included`` (1 relevant, 0 not), e.g. a
finished review. The simulated reviewer starts from the prior records, screens each batch
the model puts first and reveals its label; only that reviewer ever sees the label column.
Output: ``record_id, rank, is_prior`` for every record, rank 1 screened first.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from prismake.csvio import read_table, write_table
from prismake.errors import Problem, ProblemsError
from prismake.screening.priority import ScreeningPool, simulate

COLUMNS = ("record_id", "title", "abstract", "label_included")


class LabelledSetError(ProblemsError):
    """The labelled CSV or the prior ids given to ``prismake simulate`` are not usable."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labelled", help="CSV with record_id, title, abstract, label_included")
    parser.add_argument(
        "--priors",
        required=True,
        help="record_ids known before screening starts, comma-separated (e.g. one relevant, "
        "one irrelevant)",
    )
    parser.add_argument("--output", required=True, help="where to write record_id,rank,is_prior")
    parser.add_argument("--batch", type=int, default=1, help="records screened per retrain")
    parser.add_argument("--seed", type=int, default=0, help="seed for the random start and SVM")


def read_labelled(path: str | Path, priors: list[str]) -> pd.DataFrame:
    """The labelled set, checked: every problem in the file and the priors reported at once."""
    frame = read_table(path)
    name = str(path)
    problems = [
        Problem(name, "column missing", column=c, hint=f"The file needs {', '.join(COLUMNS)}")
        for c in COLUMNS
        if c not in frame.columns
    ]
    if problems:
        raise LabelledSetError(f"Cannot simulate screening of {name}", problems)
    seen: dict[str, int] = {}
    for row, (rid, label) in enumerate(
        zip(frame.record_id, frame.label_included, strict=True), start=2
    ):
        if not rid.strip():
            problems.append(Problem(name, "empty record_id", row=row, column="record_id"))
        elif rid in seen:
            problems.append(
                Problem(
                    name,
                    f"record_id also on row {seen[rid]}",
                    row=row,
                    column="record_id",
                    value=rid,
                    hint="Each record must appear once",
                )
            )
        seen.setdefault(rid, row)
        if label.strip() not in ("0", "1"):
            problems.append(
                Problem(
                    name,
                    "label must be 1 (relevant) or 0 (irrelevant)",
                    row=row,
                    column="label_included",
                    value=label,
                )
            )
    for rid in priors:
        if rid not in seen:
            problems.append(
                Problem(
                    name,
                    "prior record_id given with --priors is not in the file",
                    column="record_id",
                    value=rid,
                    hint="Copy the id exactly from the file's record_id column",
                )
            )
    if problems:
        raise LabelledSetError(f"Cannot simulate screening of {name}", problems)
    frame["label_included"] = frame.label_included.str.strip().astype(int)
    return frame


def run(args: argparse.Namespace) -> int:
    priors = [p.strip() for p in args.priors.split(",") if p.strip()]
    if args.batch < 1:
        raise LabelledSetError(
            "Cannot simulate screening",
            [Problem("command line", "--batch must be 1 or more", value=str(args.batch))],
        )
    frame = read_labelled(args.labelled, priors)
    pool = ScreeningPool(frame.record_id, frame.title, frame.abstract)
    truth = dict(zip(frame.record_id, frame.label_included, strict=True))
    order = simulate(pool, truth, priors, batch=args.batch, seed=args.seed)
    prior_set = set(priors)
    out = pd.DataFrame(
        {
            "record_id": order,
            "rank": range(1, len(order) + 1),
            "is_prior": [int(rid in prior_set) for rid in order],
        }
    )
    write_table(out, args.output)
    return 0
