"""The ``prismake`` command: the same steps the Snakemake rules run, for one-off use.

Each stage module exposes ``add_arguments(parser)`` and ``run(args) -> int``; this module
only collects them. A ``PrismakeError`` prints as one paragraph (no traceback) and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from prismake import __version__
from prismake.errors import PrismakeError
from prismake.runner import setup_logging

# subcommand -> (module with add_arguments/run, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("prismake.new_review", "start a review of your own: workflow, config, empty sheets"),
    "import": ("prismake.importers.cli", "read database exports into one normalised records CSV"),
    "dedupe": (
        "prismake.dedupe.cli",
        "group records into studies (one row per record with its study_id)",
    ),
    "status": (
        "prismake.status",
        "show screening progress per stage and reviewer, and coding sheets not counted",
    ),
    "simulate": (
        "prismake.screening.simulate",
        "replay prioritised screening on a labelled set: the order a team would screen in",
    ),
}


# subcommand -> the argument holding its input files, checked before the command runs
INPUT_FILES = {"import": "files", "dedupe": "records", "simulate": "labelled"}


def missing_inputs(command: str, args: argparse.Namespace) -> str | None:
    """A command-line message for input files that do not exist (all of them), else None."""
    paths = getattr(args, INPUT_FILES.get(command, ""), None) or []
    if isinstance(paths, str):
        paths = [paths]
    missing = [p for p in paths if not Path(p).is_file()]
    if not missing:
        return None
    n = len(missing)
    return (
        f"{n} file{'s' if n != 1 else ''} not found: {', '.join(missing)}. Check each name, "
        f"and that it is given from the folder you run prismake in ({Path.cwd()})."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prismake",
        description="Systematic-review pipeline: import, dedupe, screen, code, report.",
    )
    parser.add_argument("--version", action="version", version=f"prismake {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()  # progress and summary lines on stderr, as under Snakemake
    missing = missing_inputs(args.command, args)
    if missing:
        print(f"prismake {args.command}: {missing}", file=sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except PrismakeError as error:
        print(f"prismake {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("prismake: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `prismake status | head`: the reader has what it wanted. Point stdout at
        # devnull so that Python's flush at exit does not raise again (Python docs, signal)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
