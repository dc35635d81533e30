"""Reading and writing the CSV files of the pipeline, safely and reproducibly.

- ``write_table``: pipeline-owned tables, UTF-8, LF, fixed column order: byte-reproducible.
- ``write_sheet``: tables people open in Excel: same, plus a UTF-8 BOM (so Excel reads
  accents), CSV-injection neutralising of every text cell, and cells cut to what Excel
  holds (``fit_cell``: a visible mark says how much; the pipeline's own tables under
  data/processed/ keep the full text). A table that is both opened
  by people and read back by a later step is read with ``read_table(...,
  neutralised=True)``, which undoes the neutralising exactly (``restore_formula``).
- ``atomic_write_bytes`` / ``backup``: how anything touches a human sheet (invariant 1).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel keeps at most 32,767 characters in a cell (and cuts the rest when it saves);
# Python's csv reader refuses a field over 131,072. Only an abstract comes near.
CELL_LIMIT = 32_767
CUT_MARK = " [... cut by prismake: {n:,} more characters; the full text is in data/processed/]"
_CUT = re.compile(r" \[\.\.\. cut by prismake: [\d,]+ more characters; [^\]]*\]\Z")


def fit_cell(value: str, limit: int = CELL_LIMIT) -> str:
    """``value``, or its start with a visible mark saying how much was cut to fit a cell."""
    if len(value) <= limit:
        return value
    keep = limit - len(CUT_MARK.format(n=len(value))) - 1  # room for neutralise_formula's '
    return value[:keep] + CUT_MARK.format(n=len(value) - keep)


def was_cut(value: object) -> bool:
    """A cell ``fit_cell`` cut: a step reading a sheet back takes the full text elsewhere."""
    return isinstance(value, str) and len(value) >= CELL_LIMIT - 1 and bool(_CUT.search(value))


def neutralise_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote (OWASP).

    A cell that already starts with quotes before a formula character gets one more, so
    that ``restore_formula`` can tell the two apart and give back every value unchanged.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


def restore_formula(value: object) -> object:
    """The value ``neutralise_formula`` was given (its exact inverse)."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value.lstrip("'").startswith(_FORMULA_START)
    ):
        return value[1:]
    return value


def _prepare(frame: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is not None:
        frame = frame.reindex(columns=list(columns))
    frame = frame.astype(object).where(frame.notna(), "")
    # a lone CR is not quoted by the csv module and would split the row when read back
    return frame.map(_one_line_ending)


def _one_line_ending(value: object) -> object:
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def write_table(
    frame: pd.DataFrame, path: str | os.PathLike, columns: Sequence[str] | None = None
) -> None:
    """Write a pipeline-owned table: UTF-8, LF line ends, empty string for missing."""
    out = _prepare(frame, columns)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_sheet(
    frame: pd.DataFrame, path: str | os.PathLike, columns: Sequence[str] | None = None
) -> None:
    """Write a table for people to open in Excel: BOM, cells Excel holds whole, and no
    formula can run from it."""
    out = _prepare(frame, columns).map(_sheet_cell)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _sheet_cell(value: object) -> object:
    return neutralise_formula(fit_cell(value) if isinstance(value, str) else value)


def read_table(
    path: str | os.PathLike, columns: Iterable[str] | None = None, *, neutralised: bool = False
) -> pd.DataFrame:
    """Read a pipeline-owned table back: every cell a string, missing as ``""``.

    ``neutralised``: the table was written by ``write_sheet``; its cells are restored.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8-sig")
    if neutralised:
        frame = frame.map(restore_formula)
    if columns is not None:
        for name in columns:
            if name not in frame.columns:
                frame[name] = ""
    return frame


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_file_mode() -> int:
    """The mode ``open()`` would give a new file: 0o666 less the umask (not mkstemp's 0o600)."""
    return 0o666 & ~_umask()


def remove_stale_temps(folder: str | os.PathLike) -> list[Path]:
    """Delete temporary files that a killed run left in ``folder``; the ones removed.

    Snakemake runs one at a time in a folder (it locks it), so a temp file found when a
    run starts is left over from a run that was killed mid-write.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    stale = sorted(p for p in folder.glob(".*.tmp") if p.is_file())
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def atomic_write_bytes(
    path: str | os.PathLike,
    data: bytes,
    temp_dir: str | os.PathLike | None = None,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` in one rename: a crash leaves old or new, never half.

    The new bytes are written first to a temporary file in ``temp_dir`` (default: beside
    ``path``): a pipeline folder keeps a killed run's leftovers out of the folders
    reviewers open. When ``temp_dir`` is on another file system, where a rename cannot be
    atomic, the temporary file goes beside ``path`` after all. A rewritten file keeps its
    mode; a new one gets the mode the user's umask gives. ``before_replace`` is called
    just before the rename (to refuse it by raising, e.g. when someone saved the file
    meanwhile).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = -1, ""
    if temp_dir is not None:
        try:
            Path(temp_dir).mkdir(parents=True, exist_ok=True)
            if os.stat(temp_dir).st_dev == os.stat(path.parent).st_dev:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=temp_dir)
        except OSError:
            pass  # an unusable temp folder: write beside the file, as without one
    if not tmp:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, _new_file_mode())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def backup(path: str | os.PathLike, backup_dir: str | os.PathLike, stamp: str) -> Path | None:
    """Copy a human sheet to ``backup_dir/<name>.<stamp>.bak`` before it is touched.

    The copy keeps the sheet's mode and times (``copy2``): who may read the sheet may
    read its backups.
    """
    path = Path(path)
    if not path.exists():
        return None
    target = Path(backup_dir) / f"{path.name}.{stamp}.bak"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target


KEPT_COPIES = 30  # per sheet: the newest copies; older ones are removed


def keep_copy(
    path: str | os.PathLike, data: bytes, backup_dir: str | os.PathLike, stamp: str
) -> Path | None:
    """Back up a sheet whose bytes (``data``, as read) differ from its newest backup.

    So every sheet a run has read has a backup as it was read. Returned: the copy the
    last run read, when the sheet has changed since (None when it has not, or has no
    copy yet), for the caller to say what was lost. OSError (a folder that cannot be
    written) is the caller's to report.
    """
    copies = backups_of(path, backup_dir)
    if copies and copies[-1].read_bytes() == data:
        return None
    backup(path, backup_dir, f"{stamp}-{hashlib.sha1(data).hexdigest()[:8]}")
    for old in backups_of(path, backup_dir)[:-KEPT_COPIES]:
        old.unlink(missing_ok=True)
    return copies[-1] if copies else None


def backups_of(path: str | os.PathLike, backup_dir: str | os.PathLike) -> list[Path]:
    """The backups of a sheet, oldest first: by the run's time in their names
    (``<sheet>.<stamp>-<digest>.bak``), then by file time (a backup keeps its sheet's
    time). The name comes first because a copy of the folder (cp -r, a zip, a sync tool)
    may give every file the time it was copied."""
    name = Path(path).name
    folder = Path(backup_dir)
    if not folder.is_dir():
        return []
    found = folder.glob(f"{glob_escape(name)}.*.bak")

    def order(p: Path) -> tuple[str, int, str]:
        stamp = p.name[len(name) + 1 :].split("-")[0]
        return stamp, p.stat().st_mtime_ns, p.name

    return sorted(found, key=order)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
