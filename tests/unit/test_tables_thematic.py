"""The thematic tables: their counts equal counts computed here, straight from the sheet."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from extraction_review import (
    CHARACTERISTICS,
    CODEBOOK,
    CODING,
    CODING_HEADER,
    STUDIES,
    extraction_outputs,
    make_review,
    run_extract,
    write_csv,
)

from prismake.tables import TABLE_NAMES, write_thematic_tables

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("csv", "md", "tex", "html")
THEMES = {  # what the test sheet types -> theme id (written out here, not via the codebook)
    "culture": "culture",
    "creating a co-productive culture": "culture",
    "resourcing": "resourcing",
    "expectations": "expectations",
    "one_size": "one_size",
    "one size": "one_size",
    "language": "language",
    "watching language": "language",
}
THEME_LABELS = {
    "culture": "Creating a co-productive culture",
    "expectations": "Managing expectations",
    "one_size": "Avoiding one-size-fits-all",
    "language": "Watching language",
    "resourcing": "Proper resourcing",
}

THEMES.update({label.lower(): theme for theme, label in THEME_LABELS.items()})


def render(tmp_path, paths=None, quotes_per_cell=2):
    paths = paths or make_review(tmp_path)
    outputs = run_extract(tmp_path, paths)
    tables = tmp_path / "results" / "tables"
    write_thematic_tables(
        codebook_path=str(CODEBOOK),
        coded_path=outputs["coded"],
        characteristics_path=outputs["characteristics"],
        included_path=outputs["included"],
        decisions_path=str(paths["decisions"]),
        studies_path=str(paths["studies"]),
        extraction={"characteristics": CHARACTERISTICS, "quotes_per_cell": quotes_per_cell},
        outputs=[str(tables / f"{t}.{ext}") for t in TABLE_NAMES for ext in FORMATS],
    )
    return tables


def table(folder, name):
    return pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)


def sheet_counts(rows):
    """Studies and distinct excerpts per (theme, kind), from the raw sheet rows."""
    studies, excerpts = {}, {}
    for study_id, theme, kind, text, *_ in rows:
        key = (THEMES[theme.strip().lower()], kind.strip().lower())
        studies.setdefault(key, set()).add(study_id)
        excerpts.setdefault(key, set()).add((study_id, " ".join(text.split()).lower()))
    return studies, excerpts


def test_themes_by_kind_counts_equal_counts_from_the_coding_sheet(tmp_path):
    result = table(render(tmp_path), "themes_by_kind").set_index("Theme")
    studies, excerpts = sheet_counts(CODING)
    for theme, label in THEME_LABELS.items():
        for kind in ("risk", "limit", "lesson"):
            assert result.loc[label, f"{kind.title()}: studies"] == len(
                studies.get((theme, kind), ())
            )
            assert result.loc[label, f"{kind.title()}: excerpts"] == len(
                excerpts.get((theme, kind), ())
            )
        any_kind = set().union(
            *(studies.get((theme, k), set()) for k in ("risk", "limit", "lesson"))
        )
        assert result.loc[label, "Any kind: studies"] == len(any_kind)
    assert_passages_count_once(result, CODING)
    assert result.loc["Any theme", "Any kind: studies"] == len({r[0] for r in CODING})


def passage(row):
    return (row[0], " ".join(row[3].split()).lower())


def assert_passages_count_once(result, rows):
    """'Any kind' and 'Any theme' count a passage once, whatever kinds coders gave it."""
    for theme, label in THEME_LABELS.items():
        mine = {passage(r) for r in rows if THEMES[r[1].strip().lower()] == theme}
        assert result.loc[label, "Any kind: excerpts"] == len(mine), label
    for kind in ("risk", "limit", "lesson"):
        mine = {passage(r) for r in rows if r[2].strip().lower() == kind}
        assert result.loc["Any theme", f"{kind.title()}: excerpts"] == len(mine), kind
    assert result.loc["Any theme", "Any kind: excerpts"] == len({passage(r) for r in rows})


def test_a_passage_two_coders_coded_with_two_kinds_counts_once_in_any_kind(tmp_path):
    """The demo's 'Proper resourcing, Any kind' said 17 excerpts for 15 passages (found by
    a walker): two coders had given one passage different kinds."""
    paths = make_review(tmp_path)
    text = "Unpaid labour of service users."
    extra = [["S-cccccccccc", "resourcing", "limit", text, "p. 2", "ben", ""]]
    write_csv(paths["coding"], CODING_HEADER, [*CODING, *extra])
    result = table(render(tmp_path, paths), "themes_by_kind").set_index("Theme")
    row = result.loc["Proper resourcing"]
    assert (row["Risk: excerpts"], row["Limit: excerpts"]) == (1, 2)
    assert row["Any kind: excerpts"] == 4  # not 5: the passage counts once
    assert_passages_count_once(result, [*CODING, *extra])


def test_evidence_matrix_marks_exactly_the_kinds_coded_for_each_study(tmp_path):
    matrix = table(render(tmp_path), "evidence_matrix")
    included = [s for s in STUDIES if s[5] == "include"]
    assert len(matrix) == len(included)
    marks = {"risk": "R", "limit": "Li", "lesson": "Le"}
    labels = dict(zip(matrix["Study"], range(len(matrix)), strict=True))
    assert labels["Smith et al. (2019b)"] is not None
    expected: dict[tuple[str, str], set[str]] = {}
    for study_id, theme, kind, *_ in CODING:
        expected.setdefault((study_id, THEMES[theme.strip().lower()]), set()).add(
            marks[kind.lower()]
        )
    included_labels = pd.read_csv(tmp_path / "results/extraction/included_studies.csv")
    label_of = dict(
        zip(included_labels["study_id"], included_labels["citation_label"], strict=True)
    )
    for (study_id, theme), kinds in expected.items():
        row = matrix[matrix["Study"] == label_of[study_id]].iloc[0]
        assert set(row[THEME_LABELS[theme]].split()) == kinds
    uncoded = matrix[matrix["Study"] == "Nguyen & Brown (n.d.)"].iloc[0]
    assert uncoded["Themes"] == 0


@pytest.mark.parametrize("per_cell", [1, 2, 3])
def test_quotes_are_real_excerpts_at_most_n_per_cell_from_different_studies_first(
    tmp_path, per_cell
):
    quotes = table(render(tmp_path, quotes_per_cell=per_cell), "quotes")
    assert quotes.groupby(["Theme", "Kind"]).size().max() <= per_cell
    typed = {" ".join(r[3].split()) for r in CODING}
    assert set(quotes["Excerpt"]) <= typed
    _, excerpts = sheet_counts(CODING)
    cells = {(THEME_LABELS[t], k.title()): len(v) for (t, k), v in excerpts.items()}
    for (theme, kind), group in quotes.groupby(["Theme", "Kind"]):
        assert len(group) == min(per_cell, cells[(theme, kind)])
    culture_risk = quotes[(quotes["Theme"] == THEME_LABELS["culture"]) & (quotes["Kind"] == "Risk")]
    assert culture_risk["Study"].is_unique  # two studies have one: both shown before repeats


def test_excluded_studies_list_full_text_exclusions_with_their_reasons(tmp_path):
    excluded = table(render(tmp_path), "excluded_studies")
    expected = {(s[1], s[6]) for s in STUDIES if s[5] == "exclude"}
    assert set(zip(excluded["Title"], excluded["Reason for exclusion"], strict=True)) == expected
    assert list(excluded["Study"]) == ["Adams (2017)", "Smith & Jones (2019)"]


def test_characteristics_table_has_a_row_per_included_study(tmp_path):
    chars = table(render(tmp_path), "characteristics")
    assert list(chars.columns) == [
        "Study",
        "Country",
        "Sector",
        "Setting",
        "Design",
        "Participants",
    ]
    assert chars.set_index("Study").loc["Smith et al. (2019b)", "Country"] == "UK"


def test_every_table_is_written_in_four_formats_with_imported_text_escaped(tmp_path):
    folder = render(tmp_path)
    for name in TABLE_NAMES:
        for ext in FORMATS:
            assert (folder / f"{name}.{ext}").stat().st_size > 0
    tex = (folder / "quotes.tex").read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\bottomrule" in tex
    assert "Müller \\& García (2021)" in tex
    html = (folder / "quotes.html").read_text(encoding="utf-8")
    assert "Müller &amp; García (2021)" in html
    assert "<caption>" in (folder / "themes_by_kind.html").read_text(encoding="utf-8")


def test_the_same_inputs_give_the_same_table_bytes(tmp_path):
    paths = make_review(tmp_path)
    one, two = render(tmp_path / "one", paths), render(tmp_path / "two", paths)
    for file in sorted(one.iterdir()):
        assert file.read_bytes() == (two / file.name).read_bytes(), file.name


def test_a_formula_typed_as_an_excerpt_cannot_run_from_the_quotes_csv(tmp_path):
    paths = make_review(tmp_path)
    rows = [*CODING, ["S-gggggggggg", "culture", "risk", "=HYPERLINK(1)", "p. 1", "alice", ""]]
    write_csv(paths["coding"], CODING_HEADER, rows)
    quotes = (render(tmp_path, paths, quotes_per_cell=3) / "quotes.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK(1)" in quotes
    assert not re.search(r"(^|,)=HYPERLINK", quotes, re.MULTILINE)


DEMO_CODING = ROOT / "data" / "extraction" / "coding.csv"


def test_on_the_demo_review_table_counts_equal_counts_from_its_coding_sheet(tmp_path):
    if not DEMO_CODING.exists():
        pytest.skip("the demo review has no data/extraction/coding.csv yet")
    with DEMO_CODING.open(encoding="utf-8-sig", newline="") as handle:
        demo = [
            [row["study_id"], row["theme"], row["kind"], row["excerpt"]]
            for row in csv.DictReader(handle)
        ]
    paths = make_review(tmp_path)
    # every study the demo coded is included here (its studies.csv is a pipeline output)
    ids = sorted({row[0] for row in demo})
    studies = pd.DataFrame(
        {"study_id": ids, "title": ids, "authors": [f"Author{i}, A" for i in range(len(ids))],
         "year": "2020", "record_ids": ""}
    )  # fmt: skip
    studies.to_csv(paths["studies"], index=False)
    pd.DataFrame({"study_id": ids, "decision": "include", "reason": ""}).to_csv(
        paths["decisions"], index=False
    )
    paths["coding"].write_bytes(DEMO_CODING.read_bytes())
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], [])
    result = table(render(tmp_path, paths), "themes_by_kind").set_index("Theme")
    studies_in, excerpts_in = sheet_counts(demo)
    for theme, label in THEME_LABELS.items():
        for kind in ("risk", "limit", "lesson"):
            assert result.loc[label, f"{kind.title()}: studies"] == len(
                studies_in.get((theme, kind), ())
            )
            assert result.loc[label, f"{kind.title()}: excerpts"] == len(
                excerpts_in.get((theme, kind), ())
            )
    assert_passages_count_once(result, demo)
    assert result.loc["Any theme", "Any kind: studies"] == len(ids)


def test_an_excerpt_longer_than_an_excel_cell_reaches_the_tables_whole(tmp_path):
    """A 40,000-character excerpt was cut at 32,765 characters in coded.csv, and that cut
    text with its mark went on into quotes.md and .html; the mark sent people to
    data/processed/, which held no excerpt (found by a walker)."""
    paths = make_review(tmp_path)
    long = "Officials kept the agenda, meeting after meeting. " * 800  # 40,000 characters
    rows = [*CODING, ["S-gggggggggg", "culture", "risk", long, "p. 1", "alice", ""]]
    write_csv(paths["coding"], CODING_HEADER, rows)
    full = tmp_path / "data" / "processed" / "extraction" / "coded.csv"
    outputs = {**extraction_outputs(tmp_path), "coded_full": str(full)}
    run_extract(tmp_path, paths, outputs=outputs)
    # people's coded.csv holds what Excel holds, and its mark says where the rest is
    coded = pd.read_csv(outputs["coded"], dtype=str, keep_default_na=False)
    cut = coded.loc[coded["study_id"] == "S-gggggggggg", "excerpt"].item()
    assert len(cut) < 32_767 and cut.endswith("the full text is in data/processed/]")
    kept = pd.read_csv(full, dtype=str, keep_default_na=False)
    assert long.strip() in set(kept["excerpt"])
    tables = tmp_path / "results" / "tables"
    write_thematic_tables(
        codebook_path=str(CODEBOOK),
        coded_path=str(full),
        characteristics_path=outputs["characteristics"],
        included_path=outputs["included"],
        decisions_path=str(paths["decisions"]),
        studies_path=str(paths["studies"]),
        extraction={"characteristics": CHARACTERISTICS, "quotes_per_cell": 9},
        outputs=[str(tables / f"quotes.{ext}") for ext in FORMATS],
    )
    for ext in ("md", "html"):
        text = (tables / f"quotes.{ext}").read_text(encoding="utf-8")
        assert long.strip() in text and "cut by prismake" not in text, ext
    tex = (tables / "quotes.tex").read_text(encoding="utf-8")
    assert "in full in the table's .md and .html" in tex
