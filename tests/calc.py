"""LibreOffice Calc, driven as a reviewer drives it: open a CSV, sort it, save it; or list
the cells it would run as formulas.

Tests import this module for ``available`` and ``run``; ``run`` starts this same file with
a Python that has LibreOffice's ``uno`` bridge (Debian: python3-uno), which the project's
virtual environment does not:

    python3 calc.py sort IN.csv OUT.csv COLUMN [--descending]
    python3 calc.py formulas FILE.csv [FILE.csv ...]

``sort`` opens the sheet with Calc's CSV import (UTF-8, the header's separator among ``,``
``;`` and tab), sorts the rows below the header by the named column and saves with Calc's
CSV export (semicolons, UTF-8: a reviewer in a semicolon locale keeping the format).
``formulas`` opens each file with "Evaluate formulas" on (the strictest import) and prints,
one per line, ``file<TAB>cell<TAB>formula`` for every cell Calc holds as a formula.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEPARATOR_CODE = {",": "44", ";": "59", "\t": "9"}
CSV_FILTER = "Text - txt - csv (StarCalc)"
SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/usr/local/bin")
MISSING = "LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui python3-uno)"


def available() -> bool:
    """Calc and its Python bridge are installed."""
    if not shutil.which("soffice") or not SYSTEM_PYTHON:
        return False
    bridge = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    return bridge.returncode == 0


def run(*args: str) -> str:
    """This script's output for ``args`` (fails with Calc's message when it fails)."""
    done = subprocess.run(
        [SYSTEM_PYTHON, __file__, *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# ----------------------------------------------------------------- run with python3-uno


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _separator(path: Path) -> str:
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return max(SEPARATOR_CODE, key=header.count)


def _open(desktop, path: Path, evaluate_formulas: bool = False):
    # separator, text delimiter ("), UTF-8 (76), from line 1, default formats, language,
    # quoted as text, detect special numbers, (3 export-only tokens), evaluate formulas
    evaluate = "true" if evaluate_formulas else "false"
    options = (
        f"{SEPARATOR_CODE[_separator(path)]},34,76,1,,0,false,true,false,false,false,-1,{evaluate}"
    )
    return desktop.loadComponentFromURL(
        path.absolute().as_uri(),
        "_blank",
        0,
        (_prop("FilterName", CSV_FILTER), _prop("FilterOptions", options), _prop("Hidden", True)),
    )


def _used(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    return cursor.RangeAddress


def _sort(desktop, source: Path, target: Path, column: str, descending: bool) -> None:
    import uno

    doc = _open(desktop, source)
    sheet = doc.Sheets.getByIndex(0)
    end = _used(sheet)
    header = [sheet.getCellByPosition(c, 0).String for c in range(end.EndColumn + 1)]
    field = uno.createUnoStruct("com.sun.star.table.TableSortField")
    field.Field, field.IsAscending = header.index(column), not descending
    fields = uno.Any("[]com.sun.star.table.TableSortField", (field,))
    sheet.getCellRangeByPosition(0, 1, end.EndColumn, end.EndRow).sort(
        (_prop("SortFields", fields),)
    )
    doc.storeToURL(
        target.absolute().as_uri(),
        (_prop("FilterName", CSV_FILTER), _prop("FilterOptions", "59,34,76,1")),
    )
    doc.close(True)


def _formulas(desktop, paths: list[Path]) -> None:
    from com.sun.star.table.CellContentType import FORMULA

    for path in paths:
        doc = _open(desktop, path, evaluate_formulas=True)
        sheet = doc.Sheets.getByIndex(0)
        end = _used(sheet)
        for row in range(end.EndRow + 1):
            for column in range(end.EndColumn + 1):
                cell = sheet.getCellByPosition(column, row)
                if cell.Type == FORMULA:
                    print(f"{path}\t{cell.AbsoluteName}\t{cell.Formula}")
        doc.close(True)


def main() -> int:
    import uno

    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    sort = commands.add_parser("sort")
    sort.add_argument("source", type=Path)
    sort.add_argument("target", type=Path)
    sort.add_argument("column")
    sort.add_argument("--descending", action="store_true")
    formulas = commands.add_parser("formulas")
    formulas.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as profile:
        pipe = f"prismake_calc_{Path(profile).name}"
        office = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--norestore",
                "--nologo",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            for _ in range(240):
                with contextlib.suppress(Exception):
                    context = resolver.resolve(
                        f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
                    )
                    break
                time.sleep(0.25)
            else:
                sys.exit("LibreOffice did not start")
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            if args.command == "sort":
                _sort(desktop, args.source, args.target, args.column, args.descending)
            else:
                _formulas(desktop, args.paths)
            with contextlib.suppress(Exception):  # the bridge closes as Calc quits
                desktop.terminate()
        finally:
            try:
                office.wait(timeout=60)
            except subprocess.TimeoutExpired:
                office.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
