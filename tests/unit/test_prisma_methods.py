"""Database yield table and methods paragraph: the review's numbers, filled in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prisma_review import SCREENING, Study, search, write_review
from test_prisma_counts import run

from prismake.csvio import read_table, write_table
from prismake.prisma import write_database_yield

SEARCHES = [
    search("scopus", "Scopus"),
    search("scopus_b", "Scopus"),
    search("pubmed", "PubMed"),
    search("cites", "Citation searching", "other"),
]
STUDIES = [
    Study("A", ["scopus", "pubmed"], ta="include", ft="include"),
    Study("B", ["scopus", "scopus_b"], ta="include", ft="include"),
    Study("C", ["pubmed"], ta="include", ft="exclude", reason="Wrong participants"),
    Study("D", ["pubmed", "pubmed"], ta="exclude"),
    Study("E", ["cites"], ft="include"),
    Study("F", ["cites", "scopus"], ta="exclude"),
]


def build(tmp_path, agreement_rows=None, reviewers=()):
    paths = write_review(tmp_path, SEARCHES, STUDIES)
    run(tmp_path, SEARCHES, STUDIES, paths=paths)
    agreement = tmp_path / "agreement.csv"
    columns = ["stage", "reviewer_a", "reviewer_b", "n", "percent_agreement", "kappa"]
    columns += ["kappa_ci_low", "kappa_ci_high", "pabak", "ac1"]
    write_table(pd.DataFrame(agreement_rows or [], columns=columns), agreement)
    tables = [
        str(tmp_path / "yield" / f"database_yield.{ext}") for ext in ("csv", "md", "tex", "html")
    ]
    write_database_yield(
        counts_path=str(tmp_path / "counts.csv"),
        records_path=paths["records"],
        studies_path=paths["studies"],
        decisions_paths=[paths["title_abstract"], paths["full_text"]],
        agreement_path=str(agreement),
        review={"title": "Co-production: a demo", "fictional": True},
        searches=SEARCHES,
        screening=SCREENING,
        dedupe={"maybe_threshold": 0.8, "duplicate_threshold": 0.93},
        table_outputs=tables,
        methods_out=str(tmp_path / "methods.md"),
        reviewers=reviewers,
    )
    return tables, (tmp_path / "methods.md").read_text(encoding="utf-8")


def test_the_yield_table_counts_records_studies_and_included_studies_per_database(tmp_path):
    tables, _ = build(tmp_path)
    frame = read_table(tables[0]).set_index("Database")
    assert list(frame.index) == [
        "Scopus",
        "PubMed",
        "Citation searching",
        "Total (after deduplication)",
    ]
    scopus = frame.loc["Scopus"]
    assert (scopus["Records"], scopus["Studies"], scopus["Studies found only here"]) == (
        "4",
        "3",
        "1",
    )
    assert (scopus["Included studies"], scopus["Included studies found only here"]) == ("2", "1")
    pubmed = frame.loc["PubMed"]
    assert (pubmed["Records"], pubmed["Studies"], pubmed["Included studies"]) == ("4", "3", "1")
    total = frame.loc["Total (after deduplication)"]
    assert (total["Records"], total["Studies"], total["Included studies"]) == ("10", "6", "3")
    for path in tables[1:]:
        assert "Citation searching" in Path(path).read_text(encoding="utf-8")


def test_the_methods_paragraph_fills_in_dates_screening_agreement_and_counts(tmp_path):
    agreement = [
        {
            "stage": "title_abstract",
            "reviewer_a": "alice",
            "reviewer_b": "ben",
            "n": "5",
            "percent_agreement": "80.0",
            "kappa": "0.615",
            "kappa_ci_low": "0.2",
            "kappa_ci_high": "1.0",
        }
    ]
    _, text = build(tmp_path, agreement)
    assert "fictional" in text
    assert "We searched Scopus (3 February 2025)" in text
    assert "We also used Citation searching (3 February 2025)." in text
    assert "`scopus query`" in text
    assert "at least 0.93" in text and "between 0.80" in text
    assert "alice and ben independently screened all records" in text
    assert "alice screened each of the full-text reports alone" in text
    assert "80.0% agreement, Cohen's kappa 0.61 (95% CI 0.20 to 1.00)" in text
    counts = {k: int(n) for k, n in read_table(tmp_path / "counts.csv")[["key", "n"]].values}
    assert f"identified {counts['database_results']} records from databases" in text
    assert f"removing {counts['duplicates']} duplicate records" in text
    assert f"we screened {counts['records_screened']} records" in text
    assert "excluded 1 (Wrong participants: 1)" in text
    assert f"the review includes {counts['new_studies']} studies" in text
    assert (
        "We searched Scopus (3 February 2025) and PubMed (3 February 2025)." in text
    )  # two Scopus exports, one database


def test_an_empty_agreement_table_leaves_the_agreement_sentence_out(tmp_path):
    _, text = build(tmp_path)
    assert "kappa" not in text


def test_the_methods_paragraph_names_reviewers_as_the_config_does(tmp_path):
    reviewers = [{"id": "alice", "name": "Alice Adeyemi"}, {"id": "ben"}]
    _, text = build(tmp_path, reviewers=reviewers)
    assert "Alice Adeyemi and ben independently screened all records" in text
    assert "Alice Adeyemi screened each of the full-text reports alone" in text
