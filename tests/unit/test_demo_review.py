"""The FICTIONAL demo review: its generator, its exports and its human sheets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prismake import demo
from prismake.csvio import read_table
from prismake.importers import import_search

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def review() -> demo.DemoReview:
    return demo.build_review()


@pytest.fixture(scope="module")
def config() -> dict:
    return demo.load_demo_config(ROOT)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, review, config) -> dict[str, Path]:
    """The demo imported and deduplicated (with the committed duplicate verdicts)."""
    work = tmp_path_factory.mktemp("demo")
    verdicts = ROOT / "data" / "screening" / "duplicates.csv"
    return demo._run_import_and_dedupe(
        review, work, config, verdicts if verdicts.exists() else None
    )


def _sheet(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = demo.write_exports(demo.build_review(7), tmp_path / "a")
    again = demo.write_exports(demo.build_review(7), tmp_path / "b")
    other = demo.write_exports(demo.build_review(8), tmp_path / "c")
    for search in demo.EXPORT_FILES:
        assert first[search].read_bytes() == again[search].read_bytes()
        assert first[search].read_bytes() != other[search].read_bytes()


def test_the_committed_exports_are_exactly_what_the_generator_writes(tmp_path, review):
    written = demo.write_exports(review, tmp_path)
    for path in written.values():
        committed = ROOT / "data" / "raw" / path.name
        assert committed.read_bytes() == path.read_bytes(), f"regenerate {committed}"


def test_the_demo_has_about_300_records_and_a_realistic_share_of_duplicates(review):
    truth = demo.ground_truth(review)
    assert 280 <= truth["records_total"] <= 320
    assert 170 <= truth["studies"] <= 190
    duplicates = 1 - truth["studies"] / truth["records_total"]
    assert 0.33 <= duplicates <= 0.42
    assert 14 <= truth["full_text_include"] <= 20
    assert truth["full_text_not_retrieved"] == 1


def test_every_export_imports_with_the_records_the_demo_wrote(tmp_path, review, config):
    demo.write_exports(review, tmp_path / "data" / "raw")
    formats = {}
    for search in config["searches"]:
        entry = {**search, "file": str(tmp_path / search["file"])}
        out = tmp_path / f"{search['name']}.csv"
        result = import_search(search=entry, records_out=str(out), report_out=str(out) + ".md")
        formats[search["name"]] = result.format
        assert len(read_table(out)) == len(review.records[search["name"]])
        assert not result.skipped_records
    assert formats["scopus"] != formats["pubmed"] != formats["wos"] != formats["citations"]


def test_the_exports_carry_the_quirks_of_real_downloads(tmp_path, review):
    paths = demo.write_exports(review, tmp_path)
    scopus = paths["scopus"].read_text(encoding="utf-8")
    pubmed = paths["pubmed"].read_bytes()
    wos = paths["wos"].read_bytes()
    bib = paths["citations"].read_text(encoding="utf-8")
    assert scopus.count("\nER  - \n") + scopus.startswith("ER") == len(review.records["scopus"])
    assert "\nER attendances" in scopus  # an abstract line a naive RIS reader ends a record at
    assert "<i>" in scopus and "eid=2-s2.0-" in scopus
    assert pubmed.count(b"\r\n") == pubmed.count(b"\n")  # CRLF throughout
    assert b"\r\n      " in pubmed and b"[Spanish]" not in pubmed
    assert b"TI  - [Co-production of primary care" in pubmed  # translated title in brackets
    assert wos.startswith("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n".encode())
    assert wos.rstrip().endswith(b"EF")
    assert bib.startswith("\n@") and "\ttitle = {" in bib and "doi = {https://doi.org/" in bib


def test_dedupe_finds_exactly_the_demo_studies(review, pipeline):
    match = demo.match_studies(review, read_table(pipeline["records"]))
    assert match.merged_wrongly == {}
    assert match.split_wrongly == {}
    assert len(read_table(pipeline["studies"])) == len(review.studies)


def test_look_alike_reports_stay_separate_studies(review, pipeline):
    match = demo.match_studies(review, read_table(pipeline["records"]))
    id_of = {study.key: study_id for study_id, study in match.truth.items()}
    role = {s.role: s.key for s in review.studies if s.role}
    for a, b in (
        ("part1", "part2"),
        ("conference_abstract", "conference_article"),
        ("erratum", "corrected_article"),
        ("similar_a", "similar_b"),
    ):
        assert id_of[role[a]] != id_of[role[b]], f"{a} and {b} were merged"


def test_the_sheets_name_only_studies_and_records_the_pipeline_has(pipeline):
    # directly, or through the ids records had under the previous id rule (the sheets
    # were typed before record ids followed DOIs: prismake.ids)
    from prismake.ids import record_id_lookup
    from prismake.screening.stage import StudyIndex

    index = StudyIndex.from_path(pipeline["studies"])
    table = read_table(pipeline["records"])
    records = record_id_lookup(table["record_id"], table["former_ids"])
    sheets = sorted((ROOT / "data" / "screening").glob("*/*.csv"))
    sheets += sorted((ROOT / "data" / "extraction").glob("*.csv"))
    assert len(sheets) == 8
    for path in sheets:
        unknown = {sid for sid in _sheet(path)["study_id"] if index.resolve(sid)[0] is None}
        assert not unknown, f"{path} names studies dedupe does not produce: {sorted(unknown)}"
    verdicts = _sheet(ROOT / "data" / "screening" / "duplicates.csv")
    assert 1 <= len(verdicts) <= 3
    assert set(verdicts["record_id_a"]) | set(verdicts["record_id_b"]) <= set(records)


def test_reviewers_disagree_on_about_a_tenth_and_every_conflict_is_resolved(config):
    synonyms = {
        word.lower(): decision
        for decision, words in config["screening"]["decision_synonyms"].items()
        for word in words
    }
    folder = ROOT / "data" / "screening" / "title_abstract"
    alice, ben = _sheet(folder / "alice.csv"), _sheet(folder / "ben.csv")
    said = {
        name: dict(zip(frame["study_id"], frame["decision"].str.lower().map(synonyms), strict=True))
        for name, frame in (("alice", alice), ("ben", ben))
    }
    assert all(said["alice"].values()) and all(said["ben"].values())
    disputed = {s for s in said["alice"] if said["alice"][s] != said["ben"][s]}
    assert 0.08 <= len(disputed) / len(said["alice"]) <= 0.12
    assert set(_sheet(folder / "resolutions.csv")["study_id"]) == disputed
    assert set(alice["decision"]) != set(ben["decision"])  # they type differently


def test_full_text_has_one_report_not_retrieved_and_reasons_from_config(config):
    folder = ROOT / "data" / "screening" / "full_text"
    reasons = {r.lower() for r in config["screening"]["full_text_exclusion_reasons"]}
    for name in ("alice", "ben"):
        sheet = _sheet(folder / f"{name}.csv")
        assert sheet["decision"].str.lower().isin(["not retrieved", "nr"]).sum() == 1
        excluded = sheet[sheet["decision"].str.lower().isin(["exclude", "excluded", "no", "e"])]
        assert set(excluded["reason"].str.lower()) <= reasons


def test_coding_covers_every_theme_and_kind_and_some_studies_are_double_coded():
    coding = _sheet(ROOT / "data" / "extraction" / "coding.csv")
    alice = coding[coding["coder"] == "alice"]
    assert set(zip(alice["theme"], alice["kind"], strict=True)) == {
        (t, k) for t in demo.THEMES for k in demo.KINDS
    }
    per_study = alice.groupby("study_id").size()
    assert per_study.min() >= 2 and per_study.max() <= 6
    assert coding.loc[coding["coder"] == "ben", "study_id"].nunique() == 3
    characteristics = _sheet(ROOT / "data" / "extraction" / "characteristics.csv")
    assert set(characteristics["study_id"]) == set(alice["study_id"])


def test_an_update_search_finds_new_studies_and_some_already_found(tmp_path, review):
    records = demo.build_update_search(review, n_new=5, n_known=3)
    known = {r.native_id for r in review.records["pubmed"]}
    assert sum(r.native_id in known for r in records) == 3
    assert {r.search for r in records} == {"pubmed_update"}
    path = tmp_path / "update.nbib"
    path.write_bytes(demo.format_pubmed_medline(records).encode("utf-8"))
    assert path.read_bytes().count(b"PMID- ") == 8


def test_the_data_readme_states_the_demo_numbers(review):
    text = " ".join((ROOT / "data" / "README.md").read_text(encoding="utf-8").split())
    truth = demo.ground_truth(review)
    counts = truth["records"]
    assert "FICTIONAL" in text
    assert f"{truth['records_total']} records" in text
    assert f"Scopus {counts['scopus']}, PubMed {counts['pubmed']}" in text
    assert f"Web of Science {counts['wos']}, citation searching {counts['citations']}" in text
    assert f"of {truth['studies']} studies" in text
    assert f"{truth['full_text_include']} included" in text
