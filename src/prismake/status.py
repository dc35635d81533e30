"""``prismake status``: how far screening has got, and what the extraction sheets lack.

The screening part is prismake.screening.cli's. After it, the coding sheets are checked
as the extract step checks them (prismake.extraction.check_sheets): a stray copy of a
coder's sheet, a coder name one or two characters off a reviewer's, or a sheet gone with
coded rows no sheet has, is warned about by that step only when Snakemake reruns it, that
is once; status names them on every look. Every problem in one look: mistakes in the
screening sheets (which stop the screening status) are printed, then the coding sheets
are checked all the same, and status exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prismake.config import load_config
from prismake.errors import SheetError
from prismake.extraction import check_sheets
from prismake.screening import cli as screening_status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    screening_status.add_arguments(parser)
    parser.add_argument(
        "--extraction",
        default="data/extraction",
        help="folder with the coding and characteristics sheets",
    )


def run(args: argparse.Namespace) -> int:
    try:
        code = screening_status.run(args)
    except SheetError as error:
        if not Path(args.studies).exists():
            raise  # no studies table yet: nothing else can be checked either
        # said first, as the CLI says an error; then what the coding sheets have
        print(f"prismake status: {error}", file=sys.stderr, flush=True)
        code = 2
    # the extract rule's copies of the sheets (data/processed/backups/extraction)
    backups = Path(args.studies).parent / "backups" / "extraction"
    reviewers = load_config(args.config)["reviewers"]
    check_sheets(args.extraction, backups, args.studies, reviewers)
    return code
