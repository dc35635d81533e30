"""The small tables prismake keeps of a stage's screening, read so that a bad copy is safe.

``data/processed/screening/<stage>/``, for prioritised screening: when each study joined
the ranking (pool.csv), the rank it was handed out with (handed_out.csv) and the random
sample's draw order (random_sample.csv). (reviewer_sheets.csv, whose sheets prismake
wrote, is read in stage.py: both sides of a merge of it are true, so it keeps them.)
A new review's .gitignore keeps them in git, so they meet what
files in git meet: a merge left half done (conflict markers), both sides of a merge kept
(a study twice), a hand edit. Such a copy is set aside with a warning, as if the file
were missing: every reader then falls back to what makes the stopping rule stricter or
reads the sheets themselves, and the next run that needs the file writes it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from prismake.csvio import read_table
from prismake.screening.sheets import merge_conflict_lines

log = logging.getLogger("prismake")

__all__ = ["read_kept"]


def read_kept(
    path: Path,
    columns: Sequence[str],
    key: str,
    numbers: Sequence[str] = (),
    current: Callable[[str], str] | None = None,
) -> pd.DataFrame | None:
    """The table at ``path`` with ``columns``, one row per ``key``, whole numbers in the
    columns ``numbers``; None when it is missing, or set aside when it cannot be trusted.

    ``current`` (Reading.current) gives each study id its id today: the file names
    studies as they were named when it was written, and a study may have been given a
    new id since (a search renamed or taken out). Two rows that became one study keep
    the first by ``numbers[0]`` (the earlier join, rank or draw)."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return _set_aside(path, f"it cannot be read ({error})")
    markers = merge_conflict_lines(text)
    if markers:
        return _set_aside(path, f"a git merge was left unfinished in it (lines {markers[0]}...)")
    try:
        table = read_table(path)
    except (ValueError, pd.errors.ParserError) as error:
        return _set_aside(path, f"it cannot be read as a table ({error})")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        return _set_aside(path, f"its column {missing[0]!r} is missing")
    if table[key].duplicated().any():
        twice = table.loc[table[key].duplicated(), key].iloc[0]
        return _set_aside(path, f"{twice} is in it twice (both sides of a merge kept?)")
    for column in numbers:
        if not table[column].str.fullmatch(r"\d+").all():
            return _set_aside(path, f"its column {column!r} holds something not a whole number")
    table = table[list(columns)]
    if current is not None:
        table = table.assign(**{key: table[key].map(current)})
        if numbers:
            order = table[numbers[0]].astype(int)
            table = table.iloc[order.argsort(kind="stable")]
        table = table.drop_duplicates(key, keep="first")
    return table


_SAID: set[tuple[str, str]] = set()  # (file, why) already said in this process


def _set_aside(path: Path, why: str) -> None:
    if (str(path), why) in _SAID:  # read several times a run: said once
        return None
    _SAID.add((str(path), why))
    log.warning(
        "%s is set aside: %s. prismake goes on as if it were missing (the stopping rule "
        "only gets stricter) and writes it again; in git, keep the version of whoever ran "
        "the pipeline last, or delete it",
        path,
        why,
    )
    return None
