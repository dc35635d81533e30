"""A review's life with Snakemake: screen, add an update search, re-save sheets in Excel.

Issue 5's whole cycle at workflow level: every decision typed is still counted, the
update's new studies appear once at the bottom of each sheet, and no existing byte of a
human sheet is rewritten by the pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from review_copy import add_update_search, copy_review, snakemake

pytestmark = pytest.mark.e2e

STAGE = Path("data/screening/title_abstract")


def _decisions(review: Path) -> pd.DataFrame:
    path = review / "results/screening/title_abstract/decisions.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("study_id")


def _save_as_excel(path: Path, decide: dict[str, str]) -> None:
    """What Excel does on 'Save as CSV' in a semicolon locale, after typing decisions."""
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    sheet["decision"] = [
        decide.get(s, d) for s, d in zip(sheet["study_id"], sheet["decision"], strict=True)
    ]
    columns = ["decision", "study_id", "note", "reason"] + [
        c for c in sheet.columns if c not in {"decision", "study_id", "note", "reason"}
    ]
    sheet[columns].to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")


def _save_as_libreoffice(path: Path, decide: dict[str, str]) -> None:
    """LibreOffice: no BOM, comma, an extra column the reviewer added."""
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    sheet["decision"] = [
        decide.get(s, d) for s, d in zip(sheet["study_id"], sheet["decision"], strict=True)
    ]
    sheet["my own notes"] = ""
    sheet.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def test_an_update_search_keeps_every_decision_and_appends_only_new_studies(tmp_path):
    review = copy_review(tmp_path / "review")
    snakemake(review, "--cores", "2")
    before = _decisions(review)
    sheets = {r: review / STAGE / f"{r}.csv" for r in ("alice", "ben")}
    old_bytes = {r: p.read_bytes() for r, p in sheets.items()}

    add_update_search(review)
    snakemake(review, "--cores", "2")
    after = _decisions(review)

    # every earlier decision still counts, unchanged
    assert after.loc[before.index, "decision"].tolist() == before["decision"].tolist()
    studies = pd.read_csv(review / "data/processed/studies.csv", dtype=str, keep_default_na=False)
    only_update = set(studies.loc[studies["searches"] == "pubmed_update", "study_id"])
    assert len(only_update) == 12, "the 4 known records joined their studies"
    assert set(after.index) - set(before.index) == only_update
    assert set(after.loc[list(only_update), "decision"]) == {"pending"}

    for reviewer, path in sheets.items():
        raw = path.read_bytes()
        assert raw.startswith(old_bytes[reviewer]), f"{reviewer}'s sheet was rewritten"
        added = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert set(added["study_id"].tolist()[-12:]) == only_update
        assert added["study_id"].is_unique

    counts = pd.read_csv(review / "results/prisma/counts.csv", dtype=str)
    n = dict(zip(counts["key"], counts["n"], strict=True))
    assert n["latest_round"] == "2"
    assert int(n["previous_studies"]) == 18, "the 18 studies of the first round"
    assert int(n["database_results"]) == 16, "only the update's records are new"

    # reviewers type decisions for the new studies and save as Excel / LibreOffice do
    _save_as_excel(sheets["alice"], dict.fromkeys(only_update, "Exclude"))
    _save_as_libreoffice(sheets["ben"], dict.fromkeys(only_update, "E"))
    saved = {r: p.read_bytes() for r, p in sheets.items()}
    snakemake(review, "--cores", "2")
    final = _decisions(review)
    assert final.loc[before.index, "decision"].tolist() == before["decision"].tolist()
    assert set(final.loc[list(only_update), "decision"]) == {"exclude"}
    assert {r: p.read_bytes() for r, p in sheets.items()} == saved, "nothing to append"

    status = snakemake(review, "--cores", "2", "--dry-run")
    assert "Nothing to be done" in status.stdout + status.stderr
