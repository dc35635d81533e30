"""``prismake status``: how far screening has got, and what the extraction sheets lack.

The screening part is prismake.screening.cli's. After it, the coding sheets are checked
as the extract step checks them (prismake.extraction.check_sheets): a stray copy of a
coder's sheet, or a sheet gone with coded rows no sheet has, is warned about by that step
only when Snakemake reruns it, that is once; status names them on every look.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from prismake.config import load_config
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
    code = screening_status.run(args)
    # the extract rule's copies of the sheets (data/processed/backups/extraction)
    backups = Path(args.studies).parent / "backups" / "extraction"
    reviewers = load_config(args.config)["reviewers"]
    check_sheets(args.extraction, backups, args.studies, reviewers)
    return code
