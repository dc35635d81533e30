"""Database yield table and methods paragraph: the review's numbers, as an author would write them.

Each test builds a small review (prisma_review.Study), counts what the text should say
from that list with plain loops, and reads the paragraph a team would paste into a paper.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from prisma_review import SCREENING, Study, search, write_review
from test_prisma_counts import run

from prismake.csvio import read_table, write_table
from prismake.prisma import write_database_yield
from prismake.screening.status import agreement_table

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
NAMES = [
    {"id": "alice", "name": "Alice Adeyemi"},
    {"id": "ben", "name": "Ben Okafor"},
    {"id": "chidi", "name": "Chidi Nwosu"},
]
AGREEMENT_COLUMNS = ["stage", "reviewer_a", "reviewer_b", "n", "percent_agreement", "kappa"]
AGREEMENT_COLUMNS += ["kappa_ci_low", "kappa_ci_high", "pabak", "ac1"]
CONFLICT_COLUMNS = ["study_id", "reviewer_a", "decision_a", "reviewer_b", "decision_b"]
CONFLICT_COLUMNS += ["status", "resolution", "resolved_by"]


def build(
    tmp_path,
    agreement_rows=None,
    reviewers=(),
    *,
    searches=SEARCHES,
    studies=STUDIES,
    screening=SCREENING,
    conflicts=None,
    pairs_to_check=None,
    typed_by=None,
    typed=None,
):
    """Write the review's tables, count it, and return (yield table paths, methods text).

    ``typed_by``: stage -> reviewer ids, each with one decision in reviewer_decisions.csv;
    ``typed``: stage -> its reviewer_decisions.csv rows as (study_id, reviewer, decision)."""
    paths = write_review(tmp_path, searches, studies)
    run(tmp_path, searches, studies, paths=paths)
    agreement = tmp_path / "agreement.csv"
    write_table(pd.DataFrame(agreement_rows or [], columns=AGREEMENT_COLUMNS), agreement)
    conflicts_paths = []
    for stage, rows in (conflicts or {}).items():
        path = tmp_path / "screening" / stage / "conflicts.csv"
        write_table(pd.DataFrame(rows, columns=CONFLICT_COLUMNS), path)
        conflicts_paths.append(str(path))
    to_check = None
    if pairs_to_check is not None:
        to_check = tmp_path / "to_check.csv"
        rows = [(f"r{i}", f"s{i}") for i in range(pairs_to_check)]
        write_table(pd.DataFrame(rows, columns=["record_id_a", "record_id_b"]), to_check)
    typed_paths = []
    typed = dict(typed or {})
    for stage, people in (typed_by or {}).items():
        typed[stage] = [("A", r, "include") for r in people] + [("B", "ghost", "")]
    for stage, rows in typed.items():
        path = tmp_path / "screening" / stage / "reviewer_decisions.csv"
        write_table(pd.DataFrame(rows, columns=["study_id", "reviewer", "decision"]), path)
        typed_paths.append(str(path))
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
        searches=searches,
        screening=screening,
        dedupe={"maybe_threshold": 0.8, "duplicate_threshold": 0.93},
        table_outputs=tables,
        methods_out=str(tmp_path / "methods.md"),
        reviewers=reviewers,
        conflicts_paths=conflicts_paths,
        to_check_path=str(to_check) if to_check else None,
        reviewer_decisions_paths=typed_paths,
    )
    return tables, (tmp_path / "methods.md").read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0].strip()


def screening_rows(n_include: int, n_exclude: int, n_pending: int = 0, n_conflict: int = 0):
    """Studies found by one database, with these title/abstract outcomes."""
    studies = []
    for i in range(n_include):
        studies.append(Study(f"I{i}", ["scopus"], ta="include", ft="include"))
    for i in range(n_exclude):
        studies.append(Study(f"E{i}", ["pubmed"], ta="exclude"))
    for i in range(n_pending):
        studies.append(Study(f"P{i}", ["scopus"], ta="pending"))
    for i in range(n_conflict):
        studies.append(Study(f"C{i}", ["pubmed"], ta="conflict"))
    return studies


# --- the database yield table ------------------------------------------------------------


def test_the_yield_table_counts_records_studies_and_included_studies_per_database(tmp_path):
    tables, _ = build(tmp_path)
    frame = read_table(tables[0]).set_index("Database")
    assert list(frame.index) == [
        "Scopus",
        "PubMed",
        "Citation searching",
        "Total (each study counted once)",
    ]
    scopus = frame.loc["Scopus"]
    assert (
        scopus["Records identified"],
        scopus["Studies (after deduplication)"],
        scopus["Studies found only here"],
    ) == ("4", "3", "1")
    assert (scopus["Included studies"], scopus["Included studies found only here"]) == ("2", "1")
    pubmed = frame.loc["PubMed"]
    assert (pubmed["Records identified"], pubmed["Included studies"]) == ("4", "1")
    for path in tables[1:]:
        assert "Citation searching" in Path(path).read_text(encoding="utf-8")


def test_the_yield_total_puts_records_before_and_studies_after_deduplication_in_labelled_columns(
    tmp_path,
):
    tables, _ = build(tmp_path)
    frame = read_table(tables[0]).set_index("Database")
    total = frame.iloc[-1]
    records = sum(len(s.found_by) for s in STUDIES)
    assert total["Records identified"] == str(records) == "10"
    assert total["Studies (after deduplication)"] == str(len(STUDIES)) == "6"
    assert total["Included studies"] == str(sum(s.ft == "include" for s in STUDIES))
    caption = Path(tables[1]).read_text(encoding="utf-8").splitlines()[0]
    assert "before deduplication" in caption and "after deduplication" in caption


# --- searches, deduplication, agreement ------------------------------------------------------


def test_the_methods_paragraph_fills_in_dates_thresholds_agreement_and_counts(tmp_path):
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
    # two Scopus exports are one database
    assert "We searched Scopus (3 February 2025) and PubMed (3 February 2025)." in text
    assert "`scopus query`" in text
    assert "at least 0.93" in text and "between 0.80 and 0.93" in text
    assert "80.0% agreement, Cohen's kappa 0.61 (95% CI 0.20 to 1.00)" in text
    counts = {k: int(n) for k, n in read_table(tmp_path / "counts.csv")[["key", "n"]].values}
    assert f"identified {counts['database_results']} records from databases" in text
    assert f"removing {counts['duplicates']} duplicate records" in text
    assert f"we screened {counts['records_screened']} records" in text
    assert "excluded 1 (Wrong participants: 1)" in text
    assert (
        f"{counts['new_studies']} studies ({counts['new_reports']} reports) were included" in text
    )


def test_perfect_agreement_is_reported_without_a_confidence_interval_and_says_why(tmp_path):
    row = {"stage": "title_abstract", "reviewer_a": "alice", "reviewer_b": "ben"}
    row |= {"n": "60", "percent_agreement": "100.0", "kappa": "1.0"}  # CI cells empty
    _, text = build(tmp_path, [row])
    assert "95% CI 1.00 to 1.00" not in text and "too few studies" not in text
    assert (
        "100.0% agreement, Cohen's kappa 1.00 (perfect agreement, for which no confidence "
        "interval can be computed)." in text
    )


def test_text_from_the_config_and_sheets_stays_literal_when_the_markdown_is_rendered(tmp_path):
    # "R&D <Index>" and "<adults>" were written as is: rendered to HTML, they vanished
    searches = [search("rd", "R&D <Index> 50%"), search("pubmed", "PubMed")]
    studies = [
        Study("A", ["rd"], ta="include", ft="include"),
        Study("B", ["pubmed"], ta="include", ft="exclude", reason="Not <adults>"),
    ]
    row = {"stage": "title_abstract", "reviewer_a": "alice", "reviewer_b": "ben", "n": "5"}
    row |= {"percent_agreement": "80.0", "kappa": "0.6"}
    people = [{"id": "alice", "name": "Alice <b>Adeyemi</b>"}, {"id": "ben", "name": "Ben_Okafor_"}]
    _, text = build(tmp_path, [row], people, searches=searches, studies=studies)
    assert "<Index>" not in text and "<adults>" not in text and "<b>" not in text
    assert "R&amp;D &lt;Index&gt; 50% (3 February 2025)" in text
    assert "Not &lt;adults&gt;: 1" in text
    assert "Alice &lt;b&gt;Adeyemi&lt;/b&gt; and Ben\\_Okafor\\_" in text
    assert "excluded 1 (" in text  # prismake's own words and numbers as they were


def test_other_methods_are_described_as_methods_not_as_something_we_used(tmp_path):
    _, text = build(tmp_path)
    assert "We also used" not in text
    assert (
        "We also identified studies through other methods: Citation searching (3 February 2025)."
        in section(text, "Searches")
    )


def test_registers_are_named_as_registers(tmp_path):
    searches = [search("medline", "MEDLINE"), search("ctgov", "ClinicalTrials.gov", "register")]
    studies = [Study("A", ["medline"], ta="exclude"), Study("B", ["ctgov"], ta="exclude")]
    _, text = build(tmp_path, searches=searches, studies=studies)
    assert (
        "We searched MEDLINE (3 February 2025) and the register ClinicalTrials.gov "
        "(3 February 2025)." in text
    )
    assert "1 record from databases and 1 from registers" in text


def test_the_paragraph_names_reviewers_as_the_config_does_in_screening_and_agreement(tmp_path):
    agreement = [
        {"stage": "title_abstract", "reviewer_a": "alice", "reviewer_b": "ben", "n": "5"}
        | {"percent_agreement": "80.0", "kappa": "0.6"}
    ]
    _, text = build(tmp_path, agreement, reviewers=NAMES)
    assert "Alice Adeyemi and Ben Okafor independently screened each of the 5 records" in text
    assert "Agreement between Alice Adeyemi and Ben Okafor" in text
    assert not re.search(r"\b(alice|ben)\b", text), "a reviewer id leaked into the paper text"


def test_a_reviewer_who_left_a_stage_after_deciding_is_named_among_those_who_screened(tmp_path):
    """Chidi screened titles and abstracts, then left the stage in config: the paper must
    still credit the decisions that count to the person who typed them."""
    typed_by = {"title_abstract": ["chidi", "alice", "ben"]}
    _, text = build(tmp_path, reviewers=NAMES, typed_by=typed_by)
    assert (
        "each of the 5 records was screened independently by two of Alice Adeyemi, "
        "Ben Okafor and Chidi Nwosu" in text
    )
    # nobody else: the stage's reviewers in config, then who typed a decision
    typed_by = {"title_abstract": ["alice", "ben"]}
    _, text = build(tmp_path / "b", reviewers=NAMES, typed_by=typed_by)
    assert "Alice Adeyemi and Ben Okafor independently screened each of the 5 records" in text
    assert "ghost" not in text


def test_a_reviewer_added_to_a_finished_stage_who_decided_nothing_there_is_not_named(tmp_path):
    """Chidi joined title/abstract in config after it was complete: the paper named him
    among those who screened it. A finished stage names who typed its decisions."""
    screening = {
        "stages": {
            "title_abstract": {"mode": "dual", "reviewers": ["alice", "ben", "chidi"]},
            "full_text": {"mode": "single", "reviewers": ["alice"]},
        },
        "full_text_exclusion_reasons": ["Wrong participants"],
    }
    typed_by = {"title_abstract": ["ben", "alice"], "full_text": ["alice"]}
    _, text = build(tmp_path, reviewers=NAMES, screening=screening, typed_by=typed_by)
    screening_text = section(text, "Screening")
    assert (
        "At title and abstract screening, Alice Adeyemi and Ben Okafor independently "
        "screened each of the 5 records." in screening_text
    )
    assert "Chidi" not in screening_text
    # while a stage goes on, who config gives it screens it, typed or not yet
    studies = screening_rows(n_include=2, n_exclude=2, n_pending=3)
    _, text = build(
        tmp_path / "b", reviewers=NAMES, screening=screening, typed_by=typed_by, studies=studies
    )
    assert (
        "Title and abstract screening is in progress: each record is screened independently "
        "by two of Alice Adeyemi, Ben Okafor and Chidi Nwosu" in section(text, "Screening")
    )


def test_a_reviewer_deleted_from_config_s_reviewers_is_named_by_id_and_the_run_says_so(
    tmp_path, caplog
):
    with caplog.at_level("WARNING", logger="prismake"):
        typed_by = {"title_abstract": ["alice", "ben", "dana"]}
        _, text = build(tmp_path, reviewers=NAMES, typed_by=typed_by)
    assert "two of Alice Adeyemi, Ben Okafor and dana" in text
    assert "'dana' typed decisions but is not among the reviewers" in caplog.text


def test_the_paper_text_holds_no_file_paths(tmp_path):
    _, text = build(tmp_path, reviewers=NAMES, pairs_to_check=2)
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("- "))
    assert not re.search(r"\w+/\w+|\.csv\b|\.ris\b", prose), prose


def test_duplicate_pairs_still_to_check_are_counted_instead_of_claimed_checked(tmp_path):
    _, text = build(tmp_path, pairs_to_check=3)
    assert "3 pairs still await that check" in section(text, "Deduplication")
    assert "were checked by a reviewer" not in text
    _, one = build(tmp_path / "one", pairs_to_check=1)
    assert "1 pair still awaits that check" in one


def test_reports_both_screened_but_not_retrieved_are_counted_out_of_n_and_the_text_says_so(
    tmp_path,
):
    """Not retrieved judges no eligibility, so full-text kappa leaves it out; the paper
    said 'screened each of the 4 reports' beside 'n = 1' and never said why."""
    screening = {
        "stages": {
            "title_abstract": {"mode": "dual", "reviewers": ["alice", "ben"]},
            "full_text": {"mode": "split", "reviewers": ["alice", "ben", "chidi"]},
        },
        "full_text_exclusion_reasons": ["Wrong participants"],
    }
    # the full-text reports of STUDIES are A, B, C and E
    typed = {
        "full_text": [
            ("A", "alice", "include"),
            ("A", "ben", "include"),
            ("B", "alice", "not_retrieved"),  # one of them could not retrieve it
            ("B", "ben", "include"),
            ("C", "alice", "not_retrieved"),  # both could not
            ("C", "ben", "not_retrieved"),
            ("E", "chidi", "not_retrieved"),  # all that alice and chidi share
            ("E", "alice", "include"),
        ]
    }
    # agreement.csv as the pipeline writes it (alice and chidi: a row with n = 0)
    frame = pd.DataFrame(typed["full_text"], columns=["study_id", "reviewer", "decision"])
    agreement = agreement_table("full_text", frame, ["alice", "ben", "chidi"])
    assert agreement["n"].tolist() == [1, 0]
    rows = agreement.astype(str).to_dict("records")
    _, text = build(tmp_path, rows, NAMES, screening=screening, typed=typed)
    # the four were screened by two, whatever they decided: not n = 1
    assert "4 reports (100%) were screened independently by two reviewers" in text
    assert (
        "Agreement between Alice Adeyemi and Ben Okafor at full-text screening (n = 1): "
        "100.0% agreement. The statistics compare eligibility decisions (include or exclude) "
        "only: n leaves out 2 reports that both screened and one of them (1) or both (1) "
        "recorded as not retrieved." in text
    )
    assert (
        "No agreement between Alice Adeyemi and Chidi Nwosu at full-text screening is "
        "reported: the 1 report both screened was recorded as not retrieved by one of them. "
        "The statistics compare eligibility decisions (include or exclude) only." in text
    )
    # title/abstract has no decision outside its categories: nothing to say there
    assert text.count("leaves out") == 1


def test_an_empty_agreement_table_leaves_the_agreement_sentence_out(tmp_path):
    _, text = build(tmp_path)
    assert "kappa" not in text


# --- plurals -----------------------------------------------------------------------------


def test_counts_of_one_are_singular_and_counts_of_zero_read_as_none(tmp_path):
    searches = [search("scopus", "Scopus")]
    studies = [
        Study("A", ["scopus"], ta="include", ft="include"),
        Study("B", ["scopus"], ta="exclude"),
    ]
    _, text = build(tmp_path, searches=searches, studies=studies)
    assert not re.search(r"\b1 (records|reports|studies|duplicate records)\b", text), text
    assert "1 study (1 report) was included" in text
    assert "excluded none" in text
    assert "No duplicate records were found" in text
    assert "excluded 0" not in text and " 0 " not in section(text, "Results of the search")


# --- a review as it stands ------------------------------------------------------------------


def test_a_review_in_progress_says_how_far_screening_has_got_instead_of_all_records(tmp_path):
    studies = screening_rows(n_include=10, n_exclude=20, n_pending=120, n_conflict=2)
    decided = sum(s.ta in ("include", "exclude") for s in studies)
    pending = sum(s.ta == "pending" for s in studies)
    _, text = build(tmp_path, studies=studies, reviewers=NAMES)
    screening = section(text, "Screening")
    assert "screened each of" not in screening and "all records" not in screening
    assert "Title and abstract screening is in progress" in screening
    assert "Full-text screening is in progress" in screening
    assert (
        "So far, all 10 reports have a final decision; more reports will come as title and "
        "abstract screening goes on" in screening
    )
    assert f"So far, {decided} of the {len(studies)} records have a final decision" in screening
    assert "2 disagreements between reviewers await resolution" in screening
    assert f"{pending} records still await a reviewer's decision" in screening
    results = section(text, "Results of the search")
    assert f"{pending + 2} still await a decision" in results
    assert "So far, 10 studies (10 reports) have been included." in results


def test_a_stage_nobody_has_reached_yet_says_so(tmp_path):
    studies = screening_rows(n_include=0, n_exclude=0, n_pending=5)
    _, text = build(tmp_path, studies=studies)
    assert "No reports have reached full-text screening yet." in text
    assert "5 records await title and abstract screening; none has a final decision yet" in text


def test_resolved_disagreements_are_counted_and_their_resolvers_named(tmp_path):
    conflicts = {
        "title_abstract": [
            ("A", "alice", "include", "ben", "exclude", "resolved", "include", "chidi"),
            ("D", "alice", "maybe", "ben", "exclude", "resolved", "exclude", "chidi"),
        ]
    }
    _, text = build(tmp_path, reviewers=NAMES, conflicts=conflicts)
    assert "2 disagreements between reviewers were resolved by Chidi Nwosu." in text
    # two exclusions with different reasons disagree too, but agreement statistics
    # compare decisions: the text says which disagreements were on the reason only
    conflicts["title_abstract"].append(
        ("E", "alice", "exclude", "ben", "exclude", "resolved", "exclude", "chidi")
    )
    _, text = build(tmp_path, reviewers=NAMES, conflicts=conflicts)
    assert (
        "3 disagreements between reviewers (1 on the exclusion reason only) were resolved by "
        "Chidi Nwosu." in text
    )


def test_a_resolver_who_is_not_a_reviewer_is_named_by_id_and_the_run_says_how_to_name_them(
    tmp_path, caplog
):
    conflicts = {
        "title_abstract": [
            ("A", "alice", "include", "ben", "exclude", "resolved", "include", "carla"),
        ]
    }
    with caplog.at_level("WARNING", logger="prismake"):
        _, text = build(tmp_path, reviewers=NAMES, conflicts=conflicts)
    assert "resolved by carla." in text
    assert "resolved_by 'carla' is not a reviewer in config/config.yaml" in caplog.text


def test_split_screening_says_how_the_work_was_shared_and_how_much_was_screened_twice(tmp_path):
    screening = {
        "stages": {
            "title_abstract": {
                "mode": "split",
                "reviewers": ["alice", "ben", "chidi"],
                "double_fraction": 0.2,
            },
            "full_text": {"mode": "single", "reviewers": ["alice", "ben"]},
        },
        "full_text_exclusion_reasons": ["Wrong participants"],
    }
    agreement = [
        {"stage": "title_abstract", "reviewer_a": "alice", "reviewer_b": "ben", "n": "1"},
        {"stage": "title_abstract", "reviewer_a": "ben", "reviewer_b": "chidi", "n": "1"},
    ]
    _, text = build(tmp_path, agreement, reviewers=NAMES, screening=screening)
    screening_text = section(text, "Screening")
    assert (
        "the 5 records were shared between Alice Adeyemi, Ben Okafor and Chidi Nwosu, one "
        "reviewer per record; 2 records (40%) were screened independently by two reviewers"
        in screening_text
    )
    assert (
        "the 4 reports were shared between Alice Adeyemi and Ben Okafor, one reviewer per report"
        in (screening_text)
    )
    assert "independently screened each" not in screening_text


def test_an_updated_review_describes_the_update_and_the_previous_version(tmp_path):
    searches = [search("scopus", "Scopus"), search("scopus_2", "Scopus", round_=2)]
    searches[1]["date_searched"] = "2025-09-01"
    studies = [
        Study("A", ["scopus"], ta="include", ft="include"),
        Study("B", ["scopus"], ta="exclude"),
        Study("C", ["scopus_2"], ta="include", ft="include"),
        Study("D", ["scopus_2", "scopus"], ta="exclude"),
    ]
    _, text = build(tmp_path, searches=searches, studies=studies)
    assert "For the update (search round 2), we searched Scopus (1 September 2025)." in text
    results = section(text, "Results of the search")
    assert results.startswith("The update searches (search round 2) identified 2 records")
    assert (
        "The update added 1 study (1 report); with the 1 study of the previous version, "
        "the review includes 2 studies (2 reports)." in results
    )


def test_where_the_team_stopped_counts_the_records_screened_not_those_still_in_the_sheets():
    """After the stop, 3 studies decided, 1 in conflict, 2 still waiting in the sheets and
    4 never screened: 'we stopped after 4 records', not 6."""
    from prismake.prisma.methods import stage_progress

    decisions = pd.DataFrame(
        {
            "study_id": [f"S-{i}" for i in range(10)],
            "decision": ["include", "exclude", "exclude", "conflict", "pending", "pending"]
            + ["excluded_automation"] * 4,
            "reason": [""] * 6 + ["stopping rule met, p = 0.010"] * 4,
            "basis": ["agreement"] * 3 + ["none"] * 3 + ["automation"] * 4,
        }
    )
    progress = stage_progress(decisions, pd.DataFrame(), None, "title_abstract", {})
    assert (progress.screened_by_people, progress.automation) == (4, 4)


def test_the_prioritised_sentence_names_the_seeds_without_claiming_they_came_first():
    """A team may add seeds after screening began: the text must not say it started there."""
    from prismake.prisma.methods import _prioritised_text

    text = _prioritised_text({"prioritise": {"batch": 25, "seed": ["S-a", "S-b"]}}, None)
    assert "with 2 studies known to be relevant given to the model as seeds" in text
    assert "starting from" not in text
    assert "batches of up to 25 records" in text


def test_decisions_on_a_study_removed_before_screening_are_not_counted_as_screened_by_two(
    tmp_path,
):
    """Two reviewers decided a study the team listed as removed before screening: it is
    not among the records screened, so it is not among those screened by two either (as
    agreement.csv leaves it out: prismake.screening.agreement.on_screened_studies)."""
    screening = {
        "stages": {
            "title_abstract": {"mode": "split", "reviewers": ["alice", "ben"]},
            "full_text": {"mode": "single", "reviewers": ["alice"]},
        },
        "full_text_exclusion_reasons": ["Wrong participants"],
    }
    studies = [*STUDIES, Study("R", ["pubmed"], ta="removed_other")]
    typed = [("A", "alice", "include"), ("A", "ben", "include")]
    typed += [("R", "alice", "exclude"), ("R", "ben", "exclude")]
    agreement = [{"stage": "title_abstract", "reviewer_a": "alice", "reviewer_b": "ben", "n": "1"}]
    _, text = build(
        tmp_path, agreement, screening=screening, studies=studies, typed={"title_abstract": typed}
    )
    assert (
        "the 5 records were shared between alice and ben, one reviewer per record; 1 record "
        "(20%) was screened independently by two reviewers" in section(text, "Screening")
    )
