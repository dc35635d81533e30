"""Sort a CSV sheet in LibreOffice Calc and save it as CSV, as a reviewer would.

Run with a Python that has LibreOffice's ``uno`` module (Debian: python3-uno), not the
project's virtual environment:

    python3 calc_sort.py IN.csv OUT.csv COLUMN [--descending]

COLUMN is the header name to sort by. The sheet is opened with Calc's CSV import (UTF-8,
separator detected from the header among ``,`` ``;`` and tab), its rows below the header
sorted, and saved with Calc's CSV export (semicolons, UTF-8: what a reviewer in a
semicolon locale gets from "Keep current format").
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

SEPARATOR_CODE = {",": "44", ";": "59", "\t": "9"}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("column")
    parser.add_argument("--descending", action="store_true")
    args = parser.parse_args()
    header = args.source.read_text(encoding="utf-8-sig").splitlines()[0]
    separator = max(SEPARATOR_CODE, key=header.count)
    names = [c.strip('"') for c in header.split(separator)]
    column = names.index(args.column)
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
                try:
                    context = resolver.resolve(
                        f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
                    )
                    break
                except Exception:
                    time.sleep(0.25)
            else:
                raise SystemExit("LibreOffice did not start")
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            csv_filter = prop("FilterName", "Text - txt - csv (StarCalc)")
            # separator, text delimiter ("), UTF-8 (76), data from line 1
            options = f"{SEPARATOR_CODE[separator]},34,76,1"
            doc = desktop.loadComponentFromURL(
                args.source.absolute().as_uri(),
                "_blank",
                0,
                (csv_filter, prop("FilterOptions", options), prop("Hidden", True)),
            )
            sheet = doc.Sheets.getByIndex(0)
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            end = cursor.RangeAddress
            rows = sheet.getCellRangeByPosition(0, 1, end.EndColumn, end.EndRow)
            field = uno.createUnoStruct("com.sun.star.table.TableSortField")
            field.Field, field.IsAscending = column, not args.descending
            fields = uno.Any("[]com.sun.star.table.TableSortField", (field,))
            rows.sort((prop("SortFields", fields),))
            doc.storeToURL(
                args.target.absolute().as_uri(),
                (csv_filter, prop("FilterOptions", "59,34,76,1")),
            )
            doc.close(True)
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
