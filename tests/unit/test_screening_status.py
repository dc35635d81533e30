"""Progress per stage and reviewer: status.csv, agreement.csv and ``prismake status``."""

from __future__ import annotations

from pathlib import Path

import yaml
from screening_demo import SEARCHES, base_studies, screening_config, type_decisions, write_studies

from prismake.cli import main
from prismake.csvio import read_table
from prismake.screening import screen_stage, summarise_screening, sync_sheets

# the searches base_studies' records come from (its update search found none of them)
IMPORTED = [s for s in SEARCHES if s["name"] != "update2026"]


def _review(tmp_path: Path) -> list[str]:
    studies = base_studies()
    write_studies(tmp_path / "data/processed/studies.csv", studies)
    ids = [s["study_id"] for s in studies]
    sync_sheets(
        stage="title_abstract",
        studies_path=tmp_path / "data/processed/studies.csv",
        previous_decisions_path=None,
        removed_path=None,
        sheet_dir=tmp_path / "data/screening/title_abstract",
        backup_dir=tmp_path / "backups",
        screening=screening_config(),
        searches=SEARCHES,
        added_out=tmp_path / "added.csv",
    )
    sheets = tmp_path / "data/screening/title_abstract"
    type_decisions(sheets / "alice.csv", {ids[0]: "include", ids[1]: "exclude", ids[2]: "maybe"})
    type_decisions(sheets / "ben.csv", {ids[0]: "include", ids[1]: "include"})
    return ids


def _screen(tmp_path: Path, removed: Path | None = None) -> dict[str, Path]:
    """The screen and status steps on the review _review made: the stage's outputs, and
    agreement.csv and status.csv in tmp_path."""
    results = tmp_path / "results/screening/title_abstract"
    outputs = {
        n: results / f"{n}.csv" for n in ("decisions", "reviewer_decisions", "conflicts", "orphans")
    }
    screen_stage(
        stage="title_abstract",
        studies_path=tmp_path / "data/processed/studies.csv",
        previous_decisions_path=None,
        removed_path=removed,
        sheet_dir=tmp_path / "data/screening/title_abstract",
        screening=screening_config(),
        outputs=outputs,
    )
    summarise_screening(
        decisions_paths=[outputs["decisions"]],
        reviewer_decisions_paths=[outputs["reviewer_decisions"]],
        screening=screening_config(),
        agreement_out=tmp_path / "agreement.csv",
        status_out=tmp_path / "status.csv",
    )
    return outputs


def write_config(root: Path, stages: dict, extra_searches: tuple[dict, ...] = ()) -> None:
    """config/config.yaml for the review _review made (alice and ben), and its export file."""
    searches = [dict(s, file="data/raw/x.ris", date_searched="2025-01-01") for s in IMPORTED]
    config = {
        "review": {"title": "demo"},
        "searches": searches + list(extra_searches),
        "reviewers": [{"id": "alice"}, {"id": "ben"}],
        "screening": {"stages": stages},
    }
    (root / "config").mkdir()
    (root / "config/config.yaml").write_text(yaml.safe_dump(config))
    (root / "data/raw").mkdir(parents=True)
    (root / "data/raw/x.ris").write_text("")


def test_status_counts_each_reviewers_work_and_the_final_decisions(tmp_path):
    _review(tmp_path)
    _screen(tmp_path)
    status = read_table(tmp_path / "status.csv").set_index("reviewer")
    counted = ["assigned", "screened", "included", "conflicts", "pending"]
    assert status.loc["all", counted].tolist() == ["8", "1", "1", "1", "6"]
    mine = ["screened", "included", "excluded", "maybe", "left_to_screen"]
    assert status.loc["alice", mine].tolist() == ["3", "1", "1", "1", "5"]
    assert status.loc["ben", "left_to_screen"] == "6"
    agreement = read_table(tmp_path / "agreement.csv")
    assert agreement[["stage", "reviewer_a", "reviewer_b", "n"]].values.tolist() == [
        ["title_abstract", "alice", "ben", "2"]
    ]


def test_prismake_status_reads_the_sheets_before_snakemake_has_screened(
    tmp_path, monkeypatch, capsys
):
    ids = _review(tmp_path)
    dual = {"mode": "dual", "reviewers": ["alice", "ben"]}
    write_config(tmp_path, {"title_abstract": dual, "full_text": dict(dual)})
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "Title/abstract screening (dual)" in out and "Full text screening (dual)" in out
    title_abstract, full_text = out.split("\n\n")
    rows = {line.split()[0]: line.split()[1:] for line in title_abstract.splitlines()[3:]}
    # assigned, screened, included, excluded, maybe, not retrieved, in conflict, left
    assert rows["alice"] == ["8", "3", "1", "1", "1", "0", "1", "5"]
    assert rows["all"] == ["8", "1", "1", "0", "0", "0", "1", "6"]
    assert "1 conflict waits for a decision in data/screening/title_abstract/resolutions.csv" in out
    # full text: the study both included, and the citation-only one: neither in a sheet yet
    assert "2 studies are not in the sheets yet" in full_text
    rows = {line.split()[0]: line.split()[1:] for line in full_text.splitlines()[3:5]}
    assert rows["alice"][0] == "2" and rows["alice"][-1] == "2"
    assert ids[0] in (tmp_path / "data/screening/title_abstract/alice.csv").read_text()
    assert "Duplicates" not in out
    # duplicate pairs prismake is unsure of are named too, not only in the methods text
    (tmp_path / "results/dedupe").mkdir(parents=True)
    (tmp_path / "results/dedupe/to_check.csv").write_text(
        "record_id_a,record_id_b,score\nscopus-1,pubmed-2,0.91\nscopus-3,pubmed-4,0.88\n"
    )
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "Duplicates: 2 pairs prismake is unsure of wait for a person's verdict" in out


def test_prismake_status_explains_when_dedupe_has_not_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    (tmp_path / "config/config.yaml").write_text("review: {title: x}\n")
    assert main(["status"]) == 2
    assert "prismake status" in capsys.readouterr().err


def test_prismake_status_says_which_searches_it_cannot_count_yet(tmp_path, monkeypatch, capsys):
    """A search added to config since the last run is not in studies.csv: status says so
    rather than report figures that look complete."""
    _review(tmp_path)
    topup = {"name": "embase_topup", "database": "Embase", "source": "database",
             "file": "data/raw/x.ris", "date_searched": "2025-02-01"}  # fmt: skip
    prioritised = {"mode": "dual", "prioritise": {"batch": 4}, "reviewers": ["alice", "ben"]}
    write_config(tmp_path, {"title_abstract": prioritised}, (topup,))
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 0
    out, err = capsys.readouterr()
    assert "INFO" not in err  # the screening step's log lines are not status's to print
    assert "Prioritised screening:" in out
    assert out.startswith(
        "Not counted yet: 1 search in config is not in data/processed/studies.csv "
        "(embase_topup): run snakemake to import it"
    )
    # imported, and the studies table made after it, with no record at all: nothing to say
    records = tmp_path / "data/processed/records"
    records.mkdir()
    (records / "embase_topup.csv").write_text("record_id,title\n")
    studies = tmp_path / "data/processed/studies.csv"
    studies.write_bytes(studies.read_bytes())  # rewritten after the import
    assert main(["status"]) == 0
    assert "Not counted yet" not in capsys.readouterr().out


def test_prismake_status_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path):
    """`prismake status | head`: the reader closes the pipe; no traceback, exit 0."""
    import subprocess
    import sys

    _review(tmp_path)
    write_config(tmp_path, {"title_abstract": {"mode": "dual", "reviewers": ["alice", "ben"]}})
    process = subprocess.Popen(
        [sys.executable, "-m", "prismake.cli", "status"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # the reader is gone before status prints
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_prismake_status_reports_every_mistake_in_one_look_then_the_coding_sheets(
    tmp_path, monkeypatch, capsys
):
    """Mistakes in two screening sheets, and a stray copy of a coding sheet: status said
    the screening ones and stopped, so the copy went unnamed until they were fixed. Now it
    lists every screening mistake as the run does (in file, row, column order), names
    the copy after them, and exits 2."""
    ids = _review(tmp_path)
    dual = {"mode": "dual", "reviewers": ["alice", "ben"]}
    write_config(tmp_path, {"title_abstract": dual})
    sheets = tmp_path / "data/screening/title_abstract"
    type_decisions(sheets / "ben.csv", {ids[2]: "inclde"})
    type_decisions(sheets / "alice.csv", {ids[3]: "exlcude"})
    coding = tmp_path / "data/extraction/coding"
    coding.mkdir(parents=True)
    (coding / "alice.csv").write_text("study_id,theme,kind,excerpt\n")
    (coding / "alice (1).csv").write_text("study_id,theme,kind,excerpt\n")
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no figures from sheets with mistakes
    err = captured.err
    assert err.startswith(
        "prismake status: The title/abstract screening sheets have mistakes (status not "
        "shown): 2 problems found."
    )
    alice = err.index("1. data/screening/title_abstract/alice.csv, row ")
    ben = err.index("2. data/screening/title_abstract/ben.csv, row ")
    copy = err.index("data/extraction/coding/alice (1).csv is not counted")
    assert "(found 'exlcude')" in err[alice:ben] and "(found 'inclde')" in err[ben:copy]
    assert alice < ben < copy


def test_prismake_status_with_a_sheet_it_cannot_read_says_only_that(
    tmp_path, monkeypatch, capsys, caplog
):
    """alice's sheet saved as a workbook under its .csv name: status decided the stage
    from ben's sheet alone, so the resolutions of alice's and ben's conflicts looked like
    resolutions of studies without one, and it warned to copy alice's decisions back from
    a backup (they were all there). As the run does, it now names the unreadable sheet
    only."""
    ids = _review(tmp_path)
    dual = {"mode": "dual", "reviewers": ["alice", "ben"]}
    write_config(tmp_path, {"title_abstract": dual, "full_text": dict(dual)})
    sheets = tmp_path / "data/screening/title_abstract"
    (sheets / "resolutions.csv").write_text(
        f"study_id,decision,reason,resolved_by,note\n{ids[1]},include,,carol,\n"
    )
    (sheets / "alice.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00bin\x00")
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "alice.csv: this is not a CSV file" in err
    said = err + caplog.text
    assert "not in conflict" not in said and "copy those back" not in said


def test_agreement_leaves_out_a_study_removed_before_screening_as_the_records_screened_do(
    tmp_path,
):
    """Both reviewers had decided a study the team then listed in
    removed_before_screening.csv: it was counted as removed (not screened), yet its
    decisions still counted toward agreement's n, so the methods paragraph said 178
    records were screened and n = 179. Agreement now counts only the studies screened."""
    ids = _review(tmp_path)
    removed = tmp_path / "data/screening/removed_before_screening.csv"
    removed.write_text(f"study_id,removed_by,reason\n{ids[1]},other,retracted\n")
    outputs = _screen(tmp_path, removed)
    typed = read_table(outputs["reviewer_decisions"])
    assert sorted(typed.loc[typed["study_id"] == ids[1], "reviewer"]) == ["alice", "ben"]
    agreement = read_table(tmp_path / "agreement.csv")
    assert agreement[["reviewer_a", "reviewer_b", "n", "percent_agreement"]].values.tolist() == [
        ["alice", "ben", "1", "100.0"]
    ]
