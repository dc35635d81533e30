"""What extract writes for the report stage: included studies, coded excerpts, to-code list."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from extraction_review import (
    CHARACTERISTICS,
    CODING,
    CODING_HEADER,
    STUDIES,
    make_review,
    run_extract,
    write_csv,
)

from prismake.csvio import CELL_LIMIT, read_table, write_table
from prismake.errors import SheetError
from prismake.references import write_included_references


def read(path, **options):
    return pd.read_csv(path, dtype=str, keep_default_na=False, **options)


def test_included_studies_are_the_full_text_includes_in_reference_list_order(tmp_path):
    included = read(run_extract(tmp_path)["included"])
    expected = {s[0] for s in STUDIES if s[5] == "include"}
    assert set(included["study_id"]) == expected
    assert list(included.columns[:3]) == ["study_id", "citation_label", "title"]
    assert list(included["citation_label"]) == [
        "Müller & García (2021)",
        "Nguyen & Brown (n.d.)",
        "O'Brien (2018)",
        "One size does not... (2022)",
        "Smith et al. (2019a)",
        "Smith et al. (2019b)",
        "van der Berg et al. (2020)",
    ]


def test_coded_excerpts_carry_ids_from_the_codebook_whatever_the_coder_typed(tmp_path):
    coded = read(run_extract(tmp_path)["coded"])
    assert set(coded["theme"]) == {"culture", "expectations", "one_size", "language", "resourcing"}
    assert set(coded["kind"]) == {"risk", "limit", "lesson"}
    assert len(coded) == 20
    smith = coded[coded["study_id"] == "S-aaaaaaaaaa"]
    assert set(smith["citation_label"]) == {"Smith et al. (2019b)"}


def test_included_studies_not_yet_coded_are_listed_to_code_for_excel(tmp_path):
    path = run_extract(tmp_path)["to_code"]
    assert Path(path).read_bytes()[:3] == b"\xef\xbb\xbf"  # BOM: Excel reads the accents
    to_code = read(path, encoding="utf-8-sig")
    assert list(to_code["study_id"]) == ["S-gggggggggg"]


def test_characteristics_list_every_included_study_with_its_label(tmp_path):
    table = read(run_extract(tmp_path)["characteristics"])
    assert list(table.columns) == ["study_id", "citation_label", *CHARACTERISTICS]
    assert len(table) == 7
    row = table[table["study_id"] == "S-bbbbbbbbbb"].iloc[0]
    assert (row["country"], row["design"]) == ("Canada", "Realist review")


def test_without_a_characteristics_sheet_the_columns_are_still_there(tmp_path):
    outputs = run_extract(tmp_path, characteristics_path=None)
    assert list(read(outputs["characteristics"]).columns) == [
        "study_id",
        "citation_label",
        *CHARACTERISTICS,
    ]


def test_the_same_sheets_give_the_same_bytes(tmp_path):
    paths = make_review(tmp_path)
    first = run_extract(tmp_path / "one", paths)
    second = run_extract(tmp_path / "two", paths)
    for name in first:
        with open(first[name], "rb") as a, open(second[name], "rb") as b:
            assert a.read() == b.read(), name


def test_a_coding_sheet_is_never_written(tmp_path):
    paths = make_review(tmp_path)
    before = paths["coding"].read_bytes(), paths["characteristics"].read_bytes()
    run_extract(tmp_path, paths)
    assert (paths["coding"].read_bytes(), paths["characteristics"].read_bytes()) == before


def test_an_included_study_missing_from_studies_is_an_error_naming_the_row(tmp_path):
    paths = make_review(tmp_path)
    decisions = read(paths["decisions"])
    decisions.loc[len(decisions)] = ["S-kkkkkkkkkk", "include", "", "single", "alice", ""]
    decisions.to_csv(paths["decisions"], index=False)
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths)
    assert [(p.row, p.value) for p in error.value.problems] == [(12, "S-kkkkkkkkkk")]


def test_with_no_coding_sheet_yet_every_included_study_is_to_code(tmp_path):
    outputs = run_extract(tmp_path, coding_paths=[])
    to_code = read(outputs["to_code"], encoding="utf-8-sig")
    assert len(to_code) == len([s for s in STUDIES if s[5] == "include"])
    assert read(outputs["coded"]).empty
    assert read(outputs["coder_agreement"]).empty


def gone(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "are gone" in r.getMessage()]


def test_coded_rows_gone_since_the_last_run_are_named_with_the_copy_that_holds_them(
    tmp_path, caplog
):
    # a coder saves an older copy of coding.csv over it: its last two excerpts vanish
    paths = make_review(tmp_path)
    backups = tmp_path / "data" / "processed" / "backups" / "extraction"
    copies = backups / "extraction"  # by the sheet's folder: data/extraction
    coding = paths["coding"]
    run_extract(tmp_path, paths, backup_dir=str(backups))
    assert len(list(copies.glob("coding.csv.*.bak"))) == 1
    with caplog.at_level(logging.INFO, logger="prismake"):
        run_extract(tmp_path, paths, backup_dir=str(backups))  # nothing changed
    assert not gone(caplog)
    assert len(list(copies.glob("coding.csv.*.bak"))) == 1
    lost = CODING[-2:]
    write_csv(coding, CODING_HEADER, CODING[:-2])
    with caplog.at_level(logging.INFO, logger="prismake"):
        run_extract(tmp_path, paths, backup_dir=str(backups))
    warnings = gone(caplog)
    assert len(warnings) == 1
    assert "coding.csv: 2 coded rows from the last run are gone" in warnings[0]
    assert all(row[0] in warnings[0] for row in lost)
    named = Path(warnings[0].split("last copy, ")[1].split(", and run")[0])
    assert all(row[3] in named.read_text(encoding="utf-8") for row in lost)
    # a theme changed is the coder's right: no warning
    changed = [row[:] for row in CODING[:-2]]
    changed[0][1] = "language" if changed[0][1] != "language" else "culture"
    write_csv(coding, CODING_HEADER, changed)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        run_extract(tmp_path, paths, backup_dir=str(backups))
    assert not gone(caplog)


def test_a_row_with_a_mistake_removed_by_its_coder_is_not_called_lost(tmp_path, caplog):
    # a coder adds a row for a study that is not included: the run stops; they delete
    # the row and run again, then code one more excerpt. Nothing was lost, so nothing is
    # said to be (the failed run's sheet is not the "last run's" copy)
    paths = make_review(tmp_path)
    backups = tmp_path / "data" / "processed" / "backups" / "extraction"
    coding = paths["coding"]
    run_extract(tmp_path, paths, backup_dir=str(backups))
    bad = ["S-zzzzzzzzzz", *CODING[0][1:3], "a bad row", *CODING[0][4:]]
    write_csv(coding, CODING_HEADER, [*CODING, bad])
    with pytest.raises(SheetError):
        run_extract(tmp_path, paths, backup_dir=str(backups))
    write_csv(coding, CODING_HEADER, CODING)
    more = [*CODING[0][:3], "one more excerpt", *CODING[0][4:]]
    with caplog.at_level(logging.INFO, logger="prismake"):
        run_extract(tmp_path, paths, backup_dir=str(backups))
        write_csv(coding, CODING_HEADER, [*CODING, more])
        run_extract(tmp_path, paths, backup_dir=str(backups))
    assert not gone(caplog)


def test_a_long_abstract_is_cut_to_fit_excel_in_the_sheets_but_kept_whole_elsewhere(tmp_path):
    # included_studies.csv held a 50,000-character abstract whole: Excel keeps 32,767
    # characters of a cell and cuts the rest, silently, when it saves
    paths = make_review(tmp_path)
    studies = read_table(paths["studies"])
    abstract = "word " * 10_000  # 50,000 characters
    studies.loc[studies["study_id"] == "S-gggggggggg", "abstract"] = abstract
    write_table(studies, paths["studies"])
    outputs = run_extract(tmp_path, paths)
    table = read(outputs["included"], encoding="utf-8-sig")
    cell = table.loc[table["study_id"] == "S-gggggggggg", "abstract"].item()
    assert len(cell) <= CELL_LIMIT and cell.startswith("word word")
    kept, _, mark = cell.rpartition(" [... cut by prismake: ")
    assert mark == f"{50_000 - len(kept):,} more characters; the full text is in data/processed/]"
    assert read_table(paths["studies"])["abstract"].str.len().max() == 50_000
    # the references take the whole abstract from the study's record
    records = tmp_path / "records.csv"
    write_table(pd.DataFrame([{"study_id": "S-gggggggggg", "abstract": abstract}]), records)
    bib, ris = tmp_path / "included.bib", tmp_path / "included.ris"
    write_included_references(
        included_path=outputs["included"], bib_out=bib, ris_out=ris, records_path=records
    )
    assert "cut by prismake" not in bib.read_text(encoding="utf-8")
    assert abstract.strip() in ris.read_text(encoding="utf-8")
