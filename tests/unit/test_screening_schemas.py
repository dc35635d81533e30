"""The sheet schemas in workflow/schemas describe the sheets prismake writes and reads."""

from __future__ import annotations

import jsonschema
import yaml
from screening_demo import SEARCHES, base_studies, rows_of, screening_config, write_studies

from prismake.screening import sync_sheets
from prismake.screening.stage import RESOLUTION_COLUMNS, SHEET_COLUMNS


def _schema(root, name):
    return yaml.safe_load((root / "workflow" / "schemas" / f"{name}.schema.yaml").read_text())


def test_sheet_schemas_name_the_columns_prismake_writes_and_requires(root):
    sheet = _schema(root, "screening_sheet")
    assert set(sheet["properties"]) == set(SHEET_COLUMNS["title_abstract"])
    assert set(SHEET_COLUMNS["full_text"]) <= set(sheet["properties"])
    assert sheet["required"] == ["study_id", "decision"]
    assert set(_schema(root, "resolutions")["properties"]) == set(RESOLUTION_COLUMNS)
    removed = _schema(root, "removed_before_screening")
    assert removed["properties"]["removed_by"]["enum"] == ["automation", "other"]


def test_every_row_of_a_new_sheet_is_valid_under_the_schema(root, tmp_path):
    write_studies(tmp_path / "studies.csv", base_studies())
    sync_sheets(
        stage="title_abstract",
        studies_path=tmp_path / "studies.csv",
        previous_decisions_path=None,
        removed_path=None,
        sheet_dir=tmp_path / "sheets",
        backup_dir=tmp_path / "backups",
        screening=screening_config(),
        searches=SEARCHES,
        added_out=tmp_path / "added.csv",
    )
    validator = jsonschema.Draft202012Validator(_schema(root, "screening_sheet"))
    rows = rows_of(tmp_path / "sheets" / "alice.csv")
    assert rows
    for row in rows:
        validator.validate(row)
    assert rows_of(tmp_path / "sheets" / "resolutions.csv") == []  # ready for conflicts
