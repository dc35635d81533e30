"""dedupe_review: the stage the Snakemake rule runs, from record files to every table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from prismake.csvio import read_table
from prismake.dedupe import dedupe_review
from prismake.dedupe.verdicts import VERDICT_WORDS
from prismake.errors import SheetError
from prismake.ids import assign_record_ids
from prismake.records import RECORD_COLUMNS

ARTICLES = [
    {
        "title": f"Co-production of {topic} services with users: a qualitative study",
        "authors": f"{name}, Anna; Brown, Ben",
        "year": "2020",
        "journal": "Journal of Public Policy",
        "volume": str(10 + k),
        "issue": "2",
        "pages": f"{100 + 20 * k}-{110 + 20 * k}",
        "doi": f"10.1000/jpp.{k}",
        "type": "Journal Article",
    }
    for k, (topic, name) in enumerate(
        [("housing", "Adams"), ("health", "Baker"), ("policing", "Clarke"), ("schools", "Dixon")]
    )
]
SEARCHES = [
    {"name": "medline", "database": "MEDLINE", "source": "database", "round": 1},
    {"name": "scopus", "database": "Scopus", "source": "database", "round": 1},
    {"name": "handsearch", "database": "Hand searching", "source": "other", "round": 1},
]
OUTPUTS = ("records", "studies", "merges", "to_check", "counts", "overlap")


def write_search(folder: Path, search: dict, articles: list[dict]) -> str:
    frame = pd.DataFrame(articles)
    frame["search"], frame["database"] = search["name"], search["database"]
    frame["record_id"] = assign_record_ids(search["name"], frame.to_dict("records"))
    path = folder / f"{search['name']}.csv"
    frame.reindex(columns=list(RECORD_COLUMNS), fill_value="").to_csv(path, index=False)
    return str(path)


def run(tmp_path: Path, files: list[str], searches: list[dict], verdicts: str | None = None):
    out = tmp_path / "out"
    outputs = {name: str(out / f"{name}.csv") for name in OUTPUTS}
    dedupe_review(
        record_files=files,
        searches=searches,
        settings={"maybe_threshold": 0.8, "duplicate_threshold": 0.93},
        verdicts_path=verdicts,
        outputs=outputs,
    )
    return {name: read_table(path) for name, path in outputs.items()}


@pytest.fixture
def review(tmp_path: Path) -> tuple[Path, list[str]]:
    raw = tmp_path / "records"
    raw.mkdir()
    scopus_copy = [
        dict(a, authors=a["authors"].replace("Anna", "A."), doi="") for a in ARTICLES[:3]
    ]
    files = [
        write_search(raw, SEARCHES[0], ARTICLES[:2]),
        write_search(raw, SEARCHES[1], scopus_copy),
        write_search(raw, SEARCHES[2], [ARTICLES[1], ARTICLES[3]]),
    ]
    return tmp_path, files


def test_every_record_gets_the_study_of_its_duplicates(review):
    tmp_path, files = review
    tables = run(tmp_path, files, SEARCHES)
    records = tables["records"]
    assert list(records.columns) == [*RECORD_COLUMNS, "study_id"]
    assert len(records) == 7
    assert records["study_id"].nunique() == 4
    studies = tables["studies"]
    assert len(studies) == 4
    assert studies["study_id"].is_monotonic_increasing
    assert studies["n_records"].astype(int).sum() == 7
    housing = studies[studies["title"].str.contains("housing")].iloc[0]
    assert housing["searches"] == "medline; scopus"
    assert housing["doi"] == "10.1000/jpp.0"  # the most complete member record


def test_counts_reconcile_with_the_number_of_studies(review):
    tmp_path, files = review
    tables = run(tmp_path, files, SEARCHES)
    counts = tables["counts"]
    assert list(counts["search"]) == ["medline", "scopus", "handsearch"]
    identified = counts["records_identified"].astype(int)
    removed = counts["duplicates_removed"].astype(int)
    assert list(identified) == [2, 3, 2]
    assert identified.sum() - removed.sum() == len(tables["studies"])
    assert list(counts["studies_first_found"].astype(int)) == [2, 1, 1]


def test_overlap_lists_every_database_pair_with_the_diagonal(review):
    tmp_path, files = review
    overlap = run(tmp_path, files, SEARCHES)["overlap"]
    shared = {(a, b): int(n) for a, b, n in overlap.itertuples(index=False)}
    assert shared[("MEDLINE", "MEDLINE")] == 2
    assert shared[("MEDLINE", "Scopus")] == 2
    assert shared[("Scopus", "Hand searching")] == 1
    assert len(shared) == 6


def test_merges_name_the_evidence(review):
    tmp_path, files = review
    merges = run(tmp_path, files, SEARCHES)["merges"]
    assert len(merges) == 4
    assert all("title similarity" in e for e in merges["evidence"])


def test_rerunning_gives_identical_bytes(review):
    tmp_path, files = review
    run(tmp_path, files, SEARCHES)
    first = {n: (tmp_path / "out" / f"{n}.csv").read_bytes() for n in OUTPUTS}
    run(tmp_path, files, SEARCHES)
    second = {n: (tmp_path / "out" / f"{n}.csv").read_bytes() for n in OUTPUTS}
    assert first == second


def test_an_update_search_keeps_every_existing_study_id(review):
    tmp_path, files = review
    before = run(tmp_path, files, SEARCHES)["records"]
    update = {"name": "update2024", "database": "MEDLINE", "source": "database", "round": 2}
    new_file = write_search(tmp_path / "records", update, [ARTICLES[0], ARTICLES[3]])
    after = run(tmp_path, [*files, new_file], [*SEARCHES, update])
    old_ids = dict(zip(before["record_id"], before["study_id"], strict=True))
    for rid, sid in zip(after["records"]["record_id"], after["records"]["study_id"], strict=True):
        if rid in old_ids:
            assert sid == old_ids[rid]
    assert after["records"]["study_id"].nunique() == 4
    studies = after["studies"].set_index("study_id")
    assert set(studies["round"]) == {"1"}


def test_a_same_verdict_merges_and_a_different_verdict_splits(review):
    tmp_path, files = review
    records = run(tmp_path, files, SEARCHES)["records"]
    ids = list(records["record_id"])
    housing = [r for r, t in zip(ids, records["title"], strict=True) if "housing" in t]
    health = [r for r, t in zip(ids, records["title"], strict=True) if "health" in t]
    sheet = tmp_path / "duplicates.csv"
    sheet.write_text(
        "record_id_a,record_id_b,verdict,note\n"
        f"{housing[0]},{housing[1]},different,two reports\n"
        f"{housing[0]},{health[0]},same,same trial\n",
        encoding="utf-8",
    )
    after = run(tmp_path, files, SEARCHES, str(sheet))
    study = dict(zip(after["records"]["record_id"], after["records"]["study_id"], strict=True))
    assert study[housing[0]] != study[housing[1]]
    assert study[housing[0]] == study[health[0]]
    assert "verdict: same" in set(after["merges"]["rule"])


def test_a_different_verdict_holds_even_through_a_chain(review):
    tmp_path, files = review
    records = run(tmp_path, files, SEARCHES)["records"]
    health = [
        r for r, t in zip(records["record_id"], records["title"], strict=True) if "health" in t
    ]
    assert len(health) == 3
    sheet = tmp_path / "duplicates.csv"
    sheet.write_text(
        f"record_id_a,record_id_b,verdict\n{health[0]},{health[2]},different\n", encoding="utf-8"
    )
    after = run(tmp_path, files, SEARCHES, str(sheet))
    study = dict(zip(after["records"]["record_id"], after["records"]["study_id"], strict=True))
    assert study[health[0]] != study[health[2]]


def test_every_mistake_in_the_verdict_sheet_is_reported_at_once(review):
    tmp_path, files = review
    records = run(tmp_path, files, SEARCHES)["records"]
    known = records["record_id"].iloc[0]
    sheet = tmp_path / "duplicates.csv"
    sheet.write_text(
        "record_id_a,record_id_b,verdict\n"
        f"{known},medline-doesnotexist,same\n"
        f"{known},{records['record_id'].iloc[1]},perhaps\n",
        encoding="utf-8",
    )
    with pytest.raises(SheetError) as caught:
        run(tmp_path, files, SEARCHES, str(sheet))
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, "record_id_b"), (3, "verdict")]
    assert "unknown record id" in str(caught.value)


def test_contradicting_verdicts_are_refused_with_the_row(review):
    tmp_path, files = review
    records = run(tmp_path, files, SEARCHES)["records"]
    a, b, c = records["record_id"].iloc[:3]
    sheet = tmp_path / "duplicates.csv"
    sheet.write_text(
        f"record_id_a,record_id_b,verdict\n{a},{b},same\n{b},{c},same\n{a},{c},different\n",
        encoding="utf-8",
    )
    with pytest.raises(SheetError) as caught:
        run(tmp_path, files, SEARCHES, str(sheet))
    assert caught.value.problems[0].row in (2, 3)


def test_pairs_to_check_show_both_records_and_open_safely_in_excel(review):
    tmp_path, files = review
    raw = tmp_path / "records"
    title = "=Co-production of policing services with service users: qualitative findings"
    near = dict(ARTICLES[2], title=title, doi="", year="2021", journal="")
    near.update(volume="", pages="", issue="")
    extra = {"name": "psycinfo", "database": "PsycINFO", "source": "database", "round": 1}
    path = write_search(raw, extra, [near])
    tables = run(tmp_path, [*files, path], [*SEARCHES, extra])
    to_check = tables["to_check"]
    assert len(to_check) >= 1
    row = to_check.iloc[0]
    assert {"title_a", "title_b", "score", "reason"} <= set(to_check.columns)
    raw_bytes = (tmp_path / "out" / "to_check.csv").read_bytes()
    assert raw_bytes.startswith(b"\xef\xbb\xbf")
    assert "'=Co-production" in raw_bytes.decode("utf-8-sig")
    assert float(row["score"]) >= 0.8


def test_a_search_that_found_nothing_is_counted_as_zero(review):
    tmp_path, files = review
    empty = {"name": "cochrane", "database": "CENTRAL", "source": "database", "round": 1}
    path = tmp_path / "records" / "cochrane.csv"
    path.write_text(",".join(RECORD_COLUMNS) + "\n", encoding="utf-8")
    tables = run(tmp_path, [*files, str(path)], [*SEARCHES, empty])
    counts = tables["counts"].set_index("search")
    assert counts.loc["cochrane", "records_identified"] == "0"
    assert len(tables["studies"]) == 4


def test_no_records_at_all_gives_empty_tables_with_headers(tmp_path: Path):
    path = tmp_path / "medline.csv"
    path.write_text(",".join(RECORD_COLUMNS) + "\n", encoding="utf-8")
    tables = run(tmp_path, [str(path)], SEARCHES[:1])
    assert len(tables["studies"]) == 0
    assert "study_id" in tables["studies"].columns
    assert list(tables["counts"]["records_identified"]) == ["0"]


def test_rows_copied_from_to_check_with_a_verdict_typed_are_followed(review):
    tmp_path, files = review
    raw = tmp_path / "records"
    title = "Co-production of policing services with service users: qualitative findings"
    near = dict(ARTICLES[2], title=title, doi="", year="2021", journal="", volume="", pages="")
    extra = {"name": "psycinfo", "database": "PsycINFO", "source": "database", "round": 1}
    searches = [*SEARCHES, extra]
    all_files = [*files, write_search(raw, extra, [near])]
    to_check = run(tmp_path, all_files, searches)["to_check"]
    assert len(to_check) == 1
    pair = (to_check["record_id_a"].iloc[0], to_check["record_id_b"].iloc[0])
    sheet = tmp_path / "duplicates.csv"
    (tmp_path / "out" / "to_check.csv").replace(sheet)  # the reviewer saves it under the new name
    text = sheet.read_text(encoding="utf-8-sig").splitlines()
    header, row = text[0], text[1]
    assert header.endswith("verdict,note")
    assert row.endswith(",,")  # verdict and note still empty
    sheet.write_text(f"{header}\n{row.removesuffix(',,')},same,\n", encoding="utf-8-sig")
    after = run(tmp_path, all_files, searches, str(sheet))
    study = dict(zip(after["records"]["record_id"], after["records"]["study_id"], strict=True))
    assert study[pair[0]] == study[pair[1]]
    assert len(after["to_check"]) == 0


def test_the_sheet_schema_lists_exactly_the_verdict_words_the_reader_accepts(root):
    schema = yaml.safe_load((root / "workflow/schemas/duplicates.schema.yaml").read_text())
    listed = set(schema["properties"]["verdict"]["enum"]) - {""}
    assert listed == set(VERDICT_WORDS)


def test_a_pair_without_a_verdict_yet_is_not_an_error(review):
    tmp_path, files = review
    records = run(tmp_path, files, SEARCHES)["records"]
    a, b = records["record_id"].iloc[:2]
    sheet = tmp_path / "duplicates.csv"
    sheet.write_text(f"record_id_a,record_id_b,verdict\n{a},{b},\n", encoding="utf-8")
    run(tmp_path, files, SEARCHES, str(sheet))
