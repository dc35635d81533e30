"""The warning for a coded excerpt cut to fit a LaTeX page names its table cleanly."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from prismake.tableformats import to_latex


def quotes() -> pd.DataFrame:
    excerpt = "Trust took years to build and weeks to lose in every meeting we held. "
    return pd.DataFrame(
        {
            "Theme": [f"Theme {i % 4}" for i in range(40)],
            "Study": [f"Smith et al. ({2000 + i})" for i in range(40)],
            "Excerpt": [excerpt * (90 if i == 3 else 1) for i in range(40)],
        }
    )


@pytest.mark.parametrize(
    ("caption", "named"),
    [
        ("Quotes by theme and kind.", "Quotes by theme and kind: a cell"),
        ("Quotes by theme and kind", "Quotes by theme and kind: a cell"),
        ("Quotes, and so on...", "Quotes, and so on...: a cell"),
        (None, "a table: a cell"),
    ],
)
def test_the_cut_warning_names_the_table_without_its_final_full_stop(caplog, caption, named):
    with caplog.at_level(logging.WARNING, logger="prismake"):
        to_latex(quotes(), caption)
    [warning] = [r.getMessage() for r in caplog.records if "taller than a page" in r.getMessage()]
    assert warning.startswith(named)
