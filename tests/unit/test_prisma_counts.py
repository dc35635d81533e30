"""PRISMA counts: derived from the tables, equal to an independent count, checked."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from prisma_review import SCREENING, Study, expected_counts, random_review, search, write_review

from prismake.csvio import read_table, write_table
from prismake.errors import CountMismatchError
from prismake.prisma import write_prisma_counts

PRISMA = {"template": "auto", "dpi": 72, "previous_review": None}
MAIN_KEYS = [
    "database_results",
    "register_results",
    "other_results",
    "duplicates",
    "excluded_automatic",
    "excluded_other",
    "records_screened",
    "records_excluded",
    "records_awaiting",
    "dbr_sought_reports",
    "dbr_notretrieved_reports",
    "dbr_assessed",
    "dbr_excluded",
    "dbr_awaiting",
    "other_duplicates",
    "other_sought_reports",
    "other_notretrieved_reports",
    "other_assessed",
    "other_excluded",
    "other_awaiting",
    "new_studies",
    "new_reports",
    "previous_studies",
    "previous_reports",
    "total_studies",
    "total_reports",
]


def run(tmp_path: Path, searches, studies, prisma=None, paths=None) -> dict[str, int]:
    paths = paths or write_review(tmp_path, searches, studies)
    write_prisma_counts(
        records_path=paths["records"],
        studies_path=paths["studies"],
        dedupe_counts_path=paths["dedupe_counts"],
        decisions_paths=[paths["title_abstract"], paths["full_text"]],
        searches=searches,
        screening=SCREENING,
        prisma={**PRISMA, **(prisma or {})},
        counts_out=str(tmp_path / "counts.csv"),
        prisma_csv_out=str(tmp_path / "PRISMA.csv"),
    )
    frame = read_table(tmp_path / "counts.csv")
    assert list(frame.columns) == ["key", "label", "n"]
    return {k: int(n) for k, n in zip(frame["key"], frame["n"], strict=True)}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    ("other", "updated"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_every_box_equals_an_independent_count(tmp_path, seed, other, updated):
    searches, studies = random_review(seed, other=other, updated=updated, size=80)
    counts = run(tmp_path, searches, studies)
    expected = expected_counts(searches, studies)
    for key in MAIN_KEYS:
        assert counts[key] == expected["n"][key], key
    for name, n in expected["detail"]["database"].items():
        assert counts[f"database_specific:{name}"] == n
    for name, n in expected["detail"]["other"].items():
        assert counts[f"other_specific:{name}"] == n
    for reason, n in expected["detail"]["dbr_reason"].items():
        assert counts[f"dbr_excluded_reason:{reason}"] == n


def test_the_columns_add_up_as_the_template_says(tmp_path):
    searches, studies = random_review(11, other=True, updated=False, size=120)
    c = run(tmp_path, searches, studies)
    identified = c["database_results"] + c["register_results"]
    assert (
        identified - c["duplicates"] - c["excluded_automatic"] - c["excluded_other"]
        == (c["records_screened"])
    )
    assert (
        c["records_screened"] - c["records_excluded"] - c["records_awaiting"]
        == (c["dbr_sought_reports"])
    )
    for p in ("dbr", "other"):
        assert c[f"{p}_sought_reports"] - c[f"{p}_notretrieved_reports"] == c[f"{p}_assessed"]
        reasons = sum(n for k, n in c.items() if k.startswith(f"{p}_excluded_reason:"))
        assert reasons == c[f"{p}_excluded"]
    assert (
        c["dbr_assessed"] - c["dbr_excluded"] - c["dbr_awaiting"]
        + c["other_assessed"] - c["other_excluded"] - c["other_awaiting"]
    ) == c["new_studies"]  # fmt: skip


def test_an_update_counts_only_the_latest_round_and_keeps_earlier_studies_as_previous(tmp_path):
    searches = [search("scopus", "Scopus"), search("scopus2", "Scopus", round_=2)]
    studies = [
        Study("OLD1", ["scopus", "scopus2"], ta="include", ft="include"),
        Study("OLD2", ["scopus"], ta="include", ft="exclude", reason="Wrong participants"),
        Study("NEW1", ["scopus2"], ta="include", ft="include"),
        Study("NEW2", ["scopus2"], ta="exclude"),
    ]
    c = run(tmp_path, searches, studies)
    assert c["database_results"] == 3  # round 2 records only
    assert c["duplicates"] == 1  # the round-2 record of OLD1 was screened before
    assert c["records_screened"] == 2
    assert (c["new_studies"], c["previous_studies"], c["total_studies"]) == (1, 1, 2)
    assert c["latest_round"] == 2


def test_an_update_says_its_previous_version_is_counted_from_the_sheets_as_they_are_now(
    tmp_path, caplog
):
    # A round-1 decision changed after the update began changes the previous version's
    # figure: the run says where the figure comes from and how to pin the published one.
    searches = [search("scopus", "Scopus"), search("scopus2", "Scopus", round_=2)]
    studies = [
        Study("OLD1", ["scopus"], ta="include", ft="include"),
        Study("OLD2", ["scopus"], ta="include", ft="exclude", reason="Wrong participants"),
        Study("NEW1", ["scopus2"], ta="include", ft="include"),
    ]
    with caplog.at_level(logging.INFO, logger="prismake"):
        run(tmp_path, searches, studies)
    said = [r.getMessage() for r in caplog.records if "Previous version" in r.getMessage()]
    assert said and "1 study included at full text in search rounds before 2" in said[0]
    assert "previous_review" in said[0]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        run(tmp_path, searches, studies, {"previous_review": {"studies": 2}})
    assert not [r for r in caplog.records if "Previous version" in r.getMessage()]


def test_the_previous_review_from_the_config_replaces_the_derived_one(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [Study("A", ["scopus"], ta="include", ft="include")]
    c = run(tmp_path, searches, studies, {"previous_review": {"studies": 12}})
    assert (c["previous_studies"], c["previous_reports"]) == (12, 12)
    assert (c["total_studies"], c["total_reports"]) == (13, 13)
    c = run(tmp_path, searches, studies, {"previous_review": {"studies": 12, "reports": 15}})
    assert (c["previous_reports"], c["total_reports"]) == (15, 16)


def test_pending_and_conflicting_studies_are_shown_as_awaiting_a_decision(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [
        Study("A", ["scopus"], ta="pending"),
        Study("B", ["scopus"], ta="conflict"),
        Study("C", ["scopus"], ta="include", ft="conflict"),
        Study("D", ["scopus"], ta="include", ft="include"),
    ]
    c = run(tmp_path, searches, studies)
    assert (c["records_screened"], c["records_awaiting"], c["dbr_sought_reports"]) == (4, 2, 2)
    assert (c["dbr_assessed"], c["dbr_awaiting"], c["new_studies"]) == (2, 1, 1)


def test_exclusion_reasons_keep_the_config_spelling_and_order(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [
        Study("A", ["scopus"], ta="include", ft="exclude", reason="wrong PARTICIPANTS "),
        Study("B", ["scopus"], ta="include", ft="exclude", reason="Not co-production"),
        Study("C", ["scopus"], ta="include", ft="exclude", reason="Another reason"),
        Study("D", ["scopus"], ta="include", ft="exclude", reason=""),
    ]
    run(tmp_path, searches, studies)
    frame = read_table(tmp_path / "counts.csv")
    reasons = [k.split(":", 1)[1] for k in frame["key"] if k.startswith("dbr_excluded_reason:")]
    assert reasons == [
        "Not co-production",
        "Wrong participants",
        "Another reason",
        "Reason not given",
    ]


def test_a_study_without_a_title_abstract_decision_fails_and_is_named(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [Study("A", ["scopus"], ta="include", ft="include"), Study("LOST", ["scopus"])]
    with pytest.raises(CountMismatchError) as error:
        run(tmp_path, searches, studies)
    message = str(error.value)
    assert "records screened (1)" in message and "LOST" in message


def test_a_full_text_row_for_a_study_excluded_at_title_abstract_fails_and_is_named(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [
        Study("A", ["scopus"], ta="include", ft="include"),
        Study("STRAY", ["scopus"], ta="exclude", ft="include"),
        Study("MISSING", ["scopus"], ta="maybe"),
    ]
    with pytest.raises(CountMismatchError) as error:
        run(tmp_path, searches, studies)
    message = str(error.value)
    assert "STRAY" in message and "MISSING" in message and "full_text" in message


def test_a_record_whose_study_is_missing_fails_and_names_the_record(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [Study("A", ["scopus"], ta="include", ft="include")]
    paths = write_review(tmp_path, searches, studies)
    records = read_table(paths["records"])
    extra = pd.DataFrame([{"record_id": "scopus-99", "search": "scopus", "study_id": "GHOST"}])
    write_table(pd.concat([records, extra]), paths["records"])
    with pytest.raises(CountMismatchError) as error:
        run(tmp_path, searches, studies, paths=paths)
    assert "scopus-99" in str(error.value)


def test_dedupe_counts_that_disagree_with_the_records_fail_and_name_the_search(tmp_path):
    searches = [search("scopus", "Scopus"), search("pubmed", "PubMed")]
    studies = [Study("A", ["scopus", "pubmed"], ta="include", ft="include")]
    paths = write_review(tmp_path, searches, studies)
    dedupe = read_table(paths["dedupe_counts"])
    dedupe.loc[1, "records_identified"] = "5"
    write_table(dedupe, paths["dedupe_counts"])
    with pytest.raises(CountMismatchError) as error:
        run(tmp_path, searches, studies, paths=paths)
    message = str(error.value)
    assert "'pubmed' has 5 records" in message and "row 3" in message


def test_a_decision_that_cannot_be_counted_names_its_studies(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [
        Study("A", ["scopus"], ta="include", ft="maybe"),
        Study("B", ["scopus"], ta="include", ft="include"),
    ]
    with pytest.raises(CountMismatchError) as error:
        run(tmp_path, searches, studies)
    message = str(error.value)
    assert "'maybe' cannot be counted at stage full_text" in message and "studies: A" in message


def test_counts_are_byte_identical_on_a_second_run(tmp_path):
    searches, studies = random_review(3, other=True, updated=True)
    run(tmp_path / "a", searches, studies)
    run(tmp_path / "b", searches, studies)
    for name in ("counts.csv", "PRISMA.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_review_without_records_yet_counts_zero_everywhere(tmp_path):
    searches = [search("scopus", "Scopus"), search("cites", "Citation searching", "other")]
    counts = run(tmp_path, searches, [])
    assert all(n == 0 for key, n in counts.items() if key != "latest_round")
    assert "database_specific:Scopus" in counts and "other_specific:Citation searching" in counts


def test_an_update_round_while_earlier_studies_await_decisions_is_refused_with_what_to_do(
    tmp_path,
):
    # A search that tops up a review in progress, given round 2: the updated-review diagram
    # would put round 1's unfinished studies in no box.
    searches = [search("scopus", "Scopus"), search("pubmed", "PubMed", round_=2)]
    studies = [
        Study("OLD1", ["scopus"], ta="pending"),
        Study("OLD2", ["scopus"], ta="conflict"),
        Study("OLD3", ["scopus"], ta="include", ft="pending"),
        Study("OLD4", ["scopus"], ta="include", ft="include"),
        Study("NEW1", ["pubmed"], ta="pending"),
    ]
    with pytest.raises(CountMismatchError) as caught:
        run(tmp_path, searches, studies)
    text = str(caught.value)
    assert "2 studies of an earlier search round await a title/abstract decision" in text
    assert "OLD1" in text and "OLD2" in text
    assert "1 study of an earlier search round awaits a full-text decision" in text
    assert "OLD3" in text and "NEW1" not in text
    assert "give them the same round as the others" in text
    # the same searches as one round: every study in a box
    searches[1]["round"] = 1
    c = run(tmp_path, searches, studies)
    assert c["records_awaiting"] == 3 and c["dbr_awaiting"] == 1
