"""The coding and characteristics sheets: read as people save them, every mistake at once."""

from __future__ import annotations

import pandas as pd
import pytest
from extraction_review import (
    CHARACTERISTICS,
    CODING,
    CODING_HEADER,
    make_review,
    run_extract,
    write_csv,
)

from prismake.errors import SheetError
from prismake.ids import study_alias


def coded(outputs):
    return pd.read_csv(outputs["coded"], dtype=str, keep_default_na=False)


def test_a_sheet_saved_by_excel_in_cp1252_with_semicolons_and_crlf_reads_like_utf8(tmp_path):
    paths = make_review(tmp_path)
    expected = coded(run_extract(tmp_path / "a", paths))
    write_csv(
        paths["coding"],
        CODING_HEADER,
        CODING,
        encoding="cp1252",
        delimiter=";",
        lineterminator="\r\n",
    )
    again = coded(run_extract(tmp_path / "b", paths))
    pd.testing.assert_frame_equal(again, expected)


def test_a_sheet_with_a_bom_moved_columns_and_spaced_headers_reads_the_same(tmp_path):
    paths = make_review(tmp_path)
    expected = coded(run_extract(tmp_path / "a", paths))
    order = [6, 3, 0, 2, 1, 5, 4]
    header = [f" {CODING_HEADER[i].replace('_', ' ').title()} " for i in order]
    rows = [[row[i] for i in order] for row in CODING]
    write_csv(paths["coding"], header, rows, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(coded(run_extract(tmp_path / "b", paths)), expected)


def test_every_mistake_in_the_coding_sheets_is_reported_in_one_go(tmp_path):
    paths = make_review(tmp_path)
    bad = [
        ["S-aaaaaaaaaa", "culture", "risk", "Fine row.", "p. 1", "alice", ""],
        ["S-aaaaaaaaaa", "cultur", "risk", "Typo in the theme.", "p. 1", "alice", ""],
        ["S-aaaaaaaaaa", "culture", "danger", "Unknown kind.", "p. 1", "alice", ""],
        ["S-hhhhhhhhhh", "culture", "risk", "An excluded study.", "p. 1", "alice", ""],
        ["S-zzzzzzzzzz", "culture", "risk", "No such study.", "p. 1", "alice", ""],
        ["S-aaaaaaaaaa", "language", "lesson", "", "p. 1", "alice", ""],
        ["S-aaaaaaaaaa", "culture", "Risk", "  fine ROW. ", "p. 2", "alice", ""],
    ]
    write_csv(paths["coding"], CODING_HEADER, bad)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    problems = error.value.problems
    assert [(p.row, p.column) for p in problems] == [
        (3, "theme"),
        (4, "kind"),
        (5, "study_id"),
        (6, "study_id"),
        (7, "excerpt"),
        (8, None),
    ]
    text = str(error.value)
    assert "6 problems" in text
    assert "full-text decision is 'exclude'" in text
    assert "no study has this id" in text
    assert "duplicate of row 2" in text
    assert "Did you mean 'culture'?" in text
    assert all(p.file == str(paths["coding"]) for p in problems)
    assert not (tmp_path / "results" / "extraction" / "coded.csv").exists()


def test_mistakes_in_coding_and_characteristics_sheets_are_reported_together(tmp_path):
    paths = make_review(tmp_path)
    write_csv(paths["coding"], CODING_HEADER, [["S-aaaaaaaaaa", "x", "risk", "t", "", "", ""]])
    write_csv(
        paths["characteristics"],
        ["study_id", *CHARACTERISTICS, "funding"],
        [["S-aaaaaaaaaa", "UK", "", "", "", "", ""]],
    )
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    files = {p.file for p in error.value.problems}
    assert files == {str(paths["coding"]), str(paths["characteristics"])}
    assert any(p.column == "funding" for p in error.value.problems)


def test_a_coding_sheet_without_the_excerpt_column_names_the_column(tmp_path):
    paths = make_review(tmp_path)
    write_csv(paths["coding"], ["study_id", "theme", "kind"], [["S-aaaaaaaaaa", "culture", "risk"]])
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert [(p.row, p.column) for p in error.value.problems] == [(1, "excerpt")]


def test_per_coder_sheets_take_the_coder_from_the_file_name(tmp_path):
    paths = make_review(tmp_path)
    folder = paths["coding"].parent / "coding"
    alice = [[*r[:5], "", r[6]] for r in CODING if r[5] == "alice"]
    ben = [r for r in CODING if r[5] == "ben"]
    sheets = [
        write_csv(folder / "alice.csv", CODING_HEADER, alice),
        write_csv(folder / "ben.csv", CODING_HEADER, ben),
    ]
    split = coded(run_extract(tmp_path / "split", paths, coding_paths=[str(p) for p in sheets]))
    together = coded(run_extract(tmp_path / "one", paths))
    pd.testing.assert_frame_equal(split, together)


def test_the_same_excerpt_typed_in_two_per_coder_sheets_by_one_coder_is_a_duplicate(tmp_path):
    paths = make_review(tmp_path)
    folder = paths["coding"].parent / "coding"
    row = ["S-aaaaaaaaaa", "culture", "risk", "Same words.", "p. 1", "alice", ""]
    sheets = [
        write_csv(folder / "a.csv", CODING_HEADER, [row]),
        # not a byte-for-byte copy of a.csv (that would be a stray copy, not counted)
        write_csv(folder / "b.csv", CODING_HEADER, [row, [*row[:3], "Other words.", *row[4:]]]),
    ]
    with pytest.raises(SheetError, match=r"a\.csv, row 2"):
        run_extract(tmp_path, paths, coding_paths=[str(p) for p in sheets])


def test_a_study_typed_with_an_older_id_of_one_of_its_records_is_found(tmp_path):
    paths = make_review(tmp_path)
    old_id = study_alias("scopus-aaaaaaaaaa")  # the id its record would have on its own
    studies = pd.read_csv(paths["studies"], dtype=str, keep_default_na=False)
    studies.loc[studies["study_id"] == "S-aaaaaaaaaa", "record_ids"] = (
        "scopus-aaaaaaaaaa; pubmed-xyz"
    )
    studies.to_csv(paths["studies"], index=False)
    write_csv(
        paths["coding"], CODING_HEADER, [[old_id.upper(), "culture", "risk", "t", "", "a", ""]]
    )
    result = coded(run_extract(tmp_path, paths))
    assert list(result["study_id"]) == ["S-aaaaaaaaaa"]


def test_characteristics_of_an_excluded_study_or_twice_for_one_study_are_refused(tmp_path):
    paths = make_review(tmp_path)
    rows = [
        ["S-aaaaaaaaaa", "UK", "", "", "", ""],
        ["S-aaaaaaaaaa", "UK", "", "", "", ""],
        ["S-hhhhhhhhhh", "UK", "", "", "", ""],
        ["", "UK", "", "", "", ""],
    ]
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], rows)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert [(p.row, p.column) for p in error.value.problems] == [
        (3, "study_id"),
        (4, "study_id"),
        (5, "study_id"),
    ]
    assert "already has characteristics in row 2" in str(error.value)


def test_a_declared_characteristic_without_a_column_is_reported(tmp_path):
    paths = make_review(tmp_path)
    write_csv(paths["characteristics"], ["Study ID", "Country"], [["S-aaaaaaaaaa", "UK"]])
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert sorted(p.column for p in error.value.problems) == [
        "design",
        "participants",
        "sector",
        "setting",
    ]


def test_coding_of_a_study_whose_screening_went_missing_says_to_restore_not_delete(tmp_path):
    """A reviewer sheet deleted by mistake leaves a coded study pending at full text: the
    message must not send the coder to delete good rows, as it does for an excluded study."""
    paths = make_review(tmp_path)
    decisions = pd.read_csv(paths["decisions"], dtype=str, keep_default_na=False)
    decisions.loc[decisions["study_id"] == "S-aaaaaaaaaa", "decision"] = "pending"
    decisions.to_csv(paths["decisions"], index=False)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    pending = [p for p in error.value.problems if "S-aaaaaaaaaa" in p.message]
    assert pending and all("went missing" in p.hint for p in pending)
    assert all("rather than delete this row" in p.hint for p in pending)


def test_column_and_row_mistakes_in_the_characteristics_sheet_are_reported_in_one_go(tmp_path):
    """A missing and an extra column stopped the check before the rows: the duplicate and
    the excluded study were only reported on the next run (found by a walker)."""
    paths = make_review(tmp_path)
    header = ["study_id", *CHARACTERISTICS[:-1], "funding"]  # no participants, extra funding
    rows = [
        ["S-aaaaaaaaaa", "UK", "", "", "", "NIHR"],
        ["S-aaaaaaaaaa", "UK", "", "", "", ""],
        ["S-hhhhhhhhhh", "UK", "", "", "", ""],
    ]
    write_csv(paths["characteristics"], header, rows)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert sorted((p.row, p.column) for p in error.value.problems) == [
        (1, "funding"),
        (1, "participants"),
        (3, "study_id"),
        (4, "study_id"),
    ]


@pytest.mark.parametrize("typed", ["S aaaaaaaaab", "S-aaaaaaaabb", "saaaaaaaaaa ", "S–aaaaaaaaaa"])
def test_a_mistyped_study_id_names_the_included_study_it_likely_means(tmp_path, typed):
    """'S xvq2k4hth5' (a space for the hyphen) got only 'no study has this id' (found by
    a walker); screening names the study one or two characters off, and so does coding."""
    paths = make_review(tmp_path)
    write_csv(paths["coding"], CODING_HEADER, [[typed, "culture", "risk", "t", "", "a", ""]])
    write_csv(
        paths["characteristics"], ["study_id", *CHARACTERISTICS], [[typed, "UK", "", "", "", ""]]
    )
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert [p.message for p in error.value.problems] == ["no study has this id"] * 2
    assert all(p.hint.startswith("Did you mean S-aaaaaaaaaa?") for p in error.value.problems)


def test_an_id_near_no_included_study_gets_no_guess(tmp_path):
    paths = make_review(tmp_path)
    rows = [["S-hhhhhhhhhi", "culture", "risk", "t", "", "a", ""]]  # near an excluded one
    write_csv(paths["coding"], CODING_HEADER, rows)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert "Did you mean" not in str(error.value)


def test_a_row_typing_a_sub_code_label_two_themes_share_is_asked_for_the_id(tmp_path):
    paths = make_review(tmp_path)
    codebook = tmp_path / "shared.yaml"
    codebook.write_text(
        """
kinds: [{id: risk, label: Risk}]
themes:
  - {id: trust, label: Trust, subcodes: [{id: trust_other, label: Other}]}
  - {id: power, label: Power, subcodes: [{id: power_other, label: Other}]}
""",
        encoding="utf-8",
    )
    rows = [
        ["S-aaaaaaaaaa", "power_other", "risk", "Officials kept the agenda.", "", "alice", ""],
        ["S-aaaaaaaaaa", "Other", "risk", "Nobody said why.", "", "alice", ""],
        ["S-aaaaaaaaaa", "trust", "riks", "Trust was low.", "", "alice", ""],
    ]
    write_csv(paths["coding"], CODING_HEADER, rows)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths, codebook_path=str(codebook))
    shared, kind = error.value.problems
    assert (shared.row, shared.column, kind.row, kind.column) == (3, "theme", 4, "kind")
    assert "trust_other (theme trust), power_other (theme power)" in shared.message
    assert "trust_other or power_other" in shared.hint
    write_csv(paths["coding"], CODING_HEADER, [rows[0]])
    coded_rows = coded(run_extract(tmp_path, paths, codebook_path=str(codebook)))
    assert list(coded_rows["theme"]) == ["power"]
