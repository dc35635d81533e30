"""The thematic tables of the paper, each in CSV, Markdown, LaTeX (booktabs) and HTML.

- themes_by_kind: per theme, how many included studies report it as each kind, and how
  many distinct excerpts were coded (a passage two coders both coded counts once, in
  every cell, "Any kind" and "Any theme" included).
- evidence_matrix: included studies by themes, with a mark per kind reported.
- quotes: up to ``quotes_per_cell`` illustrative excerpts per theme and kind.
- characteristics: the characteristics of the included studies.
- excluded_studies: studies excluded at full text, with reasons (PRISMA 2020 item 16b).

A study counts under a theme and kind when any coder coded it there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from prismake.csvio import read_table
from prismake.extraction.citations import citation_labels, sort_key
from prismake.extraction.codebook import Codebook, load_codebook
from prismake.tableformats import write_formats

TABLE_NAMES: tuple[str, ...] = (
    "themes_by_kind",
    "evidence_matrix",
    "quotes",
    "characteristics",
    "excluded_studies",
)


def excerpt_key(text: str) -> str:
    """An excerpt as compared across coders: spacing, case and surrounding quotes ignored."""
    return re.sub(r"\s+", " ", str(text).strip().strip("\"'“”‘’«»")).casefold()


def _distinct_excerpts(coded: pd.DataFrame) -> pd.DataFrame:
    """One row per study, theme, kind and excerpt: the same passage from two coders once."""
    keyed = coded.assign(_key=coded["excerpt"].map(excerpt_key))
    return keyed.drop_duplicates(["study_id", "theme", "kind", "_key"])


def _passages(rows: pd.DataFrame) -> int:
    """The distinct passages among coded rows: a passage (the same study and words) counts
    once however many coders, themes or kinds it was coded with."""
    return len(rows.drop_duplicates(["study_id", "_key"]))


def themes_by_kind(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per theme (and a total row): studies and excerpts for each kind.

    Each "excerpts" cell counts the distinct passages coded there: one passage two coders
    coded with two kinds counts once under each kind and once under "Any kind" (so the
    kinds may add up to more), and once in the "Any theme" row.
    """
    keyed = coded.assign(_key=coded["excerpt"].map(excerpt_key))
    rows = []
    for theme_id, label in [(t.id, t.label) for t in codebook.themes] + [(None, "Any theme")]:
        part = keyed if theme_id is None else keyed[keyed["theme"] == theme_id]
        row: dict[str, object] = {"Theme": label}
        for kind in codebook.kinds:
            cell = part[part["kind"] == kind.id]
            row[f"{kind.label}: studies"] = cell["study_id"].nunique()
            row[f"{kind.label}: excerpts"] = _passages(cell)
        row["Any kind: studies"] = part["study_id"].nunique()
        row["Any kind: excerpts"] = _passages(part)
        rows.append(row)
    return pd.DataFrame(rows)


def themes_by_kind_for_print(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """themes_by_kind with "studies (excerpts)" in one cell per kind: it fits a page."""
    kinds = [k.label for k in codebook.kinds] + ["Any kind"]
    cells = {
        kind: [
            f"{s} ({e})"
            for s, e in zip(table[f"{kind}: studies"], table[f"{kind}: excerpts"], strict=True)
        ]
        for kind in kinds
    }
    return pd.DataFrame({"Theme": table["Theme"], **cells})


def evidence_matrix(
    coded: pd.DataFrame, included: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Included studies (label order) by themes; each cell lists the marks of the kinds."""
    present = set(zip(coded["study_id"], coded["theme"], coded["kind"], strict=True))
    rows = []
    for study_id, label in zip(included["study_id"], included["citation_label"], strict=True):
        row = {"Study": label}
        for theme in codebook.themes:
            marks = [k.mark for k in codebook.kinds if (study_id, theme.id, k.id) in present]
            row[theme.label] = " ".join(marks)
        row["Themes"] = sum(1 for t in codebook.themes if row[t.label])
        rows.append(row)
    columns = ["Study", *(t.label for t in codebook.themes), "Themes"]
    return pd.DataFrame(rows, columns=columns).astype({"Themes": int})


def quotes(coded: pd.DataFrame, codebook: Codebook, per_cell: int) -> pd.DataFrame:
    """Up to ``per_cell`` excerpts per theme and kind, each from a different study if it can.

    The choice is deterministic: studies with more excerpts in the cell first (then by
    label), one excerpt per study in turn, a study's excerpts in the order of coded.csv.
    """
    distinct = _distinct_excerpts(coded)
    rows = []
    for theme in codebook.themes:
        for kind in codebook.kinds:
            cell = distinct[(distinct["theme"] == theme.id) & (distinct["kind"] == kind.id)]
            by_study = {label: group for label, group in cell.groupby("citation_label", sort=True)}
            order = sorted(by_study, key=lambda label: (-len(by_study[label]), label))
            chosen: list[pd.Series] = []
            depth = 0
            while len(chosen) < per_cell and any(len(by_study[s]) > depth for s in order):
                for label in order:
                    if len(chosen) < per_cell and len(by_study[label]) > depth:
                        chosen.append(by_study[label].iloc[depth])
                depth += 1
            for excerpt in chosen:
                rows.append(
                    {
                        "Theme": theme.label,
                        "Kind": kind.label,
                        "Excerpt": excerpt["excerpt"],
                        "Study": excerpt["citation_label"],
                        "Location": excerpt["location"],
                    }
                )
    return pd.DataFrame(rows, columns=["Theme", "Kind", "Excerpt", "Study", "Location"])


def _casefold(column: pd.Series) -> pd.Series:
    """Sort key: 'van der Berg' among the V's, not after every capital letter."""
    return column.astype(str).map(sort_key)


def _heading(name: str) -> str:
    return name.replace("_", " ").capitalize()


def characteristics_table(characteristics: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """The characteristics sheet as checked by extract, in label order, for the paper."""
    frame = characteristics.sort_values(["citation_label", "study_id"], key=_casefold)
    table = pd.DataFrame({"Study": frame["citation_label"]})
    for name in names:
        table[_heading(name)] = frame[name] if name in frame.columns else ""
    return table.reset_index(drop=True)


def excluded_studies(
    decisions: pd.DataFrame, studies: pd.DataFrame, taken_labels: Iterable[str]
) -> pd.DataFrame:
    """Studies excluded at full text, labelled apart from the included ones, with reasons."""
    excluded_ids = decisions.loc[decisions["decision"] == "exclude", ["study_id", "reason"]]
    frame = excluded_ids.merge(studies, on="study_id", how="left").fillna("")
    labels = citation_labels(frame.to_dict("records"), taken=taken_labels)
    table = pd.DataFrame(
        {
            "Study": frame["study_id"].map(labels),
            "Title": frame["title"],
            "Reason for exclusion": frame["reason"],
        }
    )
    return table.sort_values(["Study", "Title"], key=_casefold).reset_index(drop=True)


PRINT_CAPTION = (
    "Themes by kind: number of included studies reporting each theme as {kinds}, with the "
    "number of distinct coded excerpts in brackets (an excerpt coded by two coders, or "
    "with two kinds, counts once in any kind and any theme)."
)
CAPTIONS = {
    "themes_by_kind": (
        "Themes by kind: number of included studies reporting each theme as {kinds} "
        "(studies), and number of distinct coded excerpts (excerpts; an excerpt coded by two "
        "coders, or with two kinds, counts once in any kind and any theme)."
    ),
    "evidence_matrix": "Evidence matrix: themes reported by each included study ({legend}).",
    "quotes": "Illustrative excerpts for each theme and kind.",
    "characteristics": "Characteristics of the included studies.",
    "excluded_studies": "Studies excluded at full-text assessment, with reasons.",
}


def _outputs_by_table(outputs: Sequence[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for out in outputs:
        stem = Path(out).stem
        if stem not in TABLE_NAMES:
            raise ValueError(f"not a thematic table: {out}")
        grouped.setdefault(stem, []).append(out)
    return grouped


def write_thematic_tables(
    *,
    codebook_path: str,
    coded_path: str,
    characteristics_path: str,
    included_path: str,
    decisions_path: str,
    studies_path: str,
    extraction: dict,
    outputs: list[str],
) -> None:
    """Write each table named by an output's file stem, in the format of its extension."""
    codebook = load_codebook(codebook_path)
    coded = read_table(coded_path, columns=["citation_label", "location"], neutralised=True)
    included = read_table(included_path, neutralised=True)
    names = list(extraction.get("characteristics", []))
    kind_words = [f"a {k.label.lower()}" for k in codebook.kinds]
    kinds = " or ".join(filter(None, [", ".join(kind_words[:-1]), kind_words[-1]]))
    legend = "; ".join(f"{k.mark} = {k.label.lower()}" for k in codebook.kinds)
    for name, paths in _outputs_by_table(outputs).items():
        if name == "themes_by_kind":
            table = themes_by_kind(coded, codebook)
        elif name == "evidence_matrix":
            table = evidence_matrix(coded, included, codebook)
        elif name == "quotes":
            table = quotes(coded, codebook, int(extraction.get("quotes_per_cell", 2)))
        elif name == "characteristics":
            characteristics = read_table(characteristics_path, neutralised=True)
            table = characteristics_table(characteristics, names)
        else:
            decisions = read_table(decisions_path, columns=["study_id", "decision", "reason"])
            studies = read_table(studies_path, columns=["title", "authors", "authors_norm", "year"])
            table = excluded_studies(decisions, studies, included["citation_label"])
        caption = CAPTIONS[name].format(kinds=kinds, legend=legend)
        latex = None
        if name == "themes_by_kind":
            latex = (themes_by_kind_for_print(table, codebook), PRINT_CAPTION.format(kinds=kinds))
        write_formats(table, paths, caption=caption, latex=latex)
