"""The whole screening cycle at unit level: sheets, decisions, an update search, reruns.

Reviewers edit their sheets as Excel and LibreOffice save them (BOM, semicolons, CRLF,
columns moved, an extra column, cp1252); after every rerun each typed decision is
counted, studies added by the update search appear once, and no existing row changed.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest
from screening_demo import (
    SEARCHES,
    _dump,
    _load,
    base_studies,
    record,
    rows_of,
    save_as,
    screening_config,
    study,
    type_decisions,
    write_studies,
)

from prismake.csvio import read_table
from prismake.errors import SheetError
from prismake.screening import summarise_screening
from prismake.screening.sync import screen_with_sheets

OUTPUTS = ("decisions", "reviewer_decisions", "conflicts", "orphans")


class Review:
    """A review folder laid out as the pipeline lays it out, and the calls the rules make."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.studies = root / "data/processed/studies.csv"
        self.screening = screening_config("dual", ["alice", "ben"])

    def sheet(self, stage: str, reviewer: str) -> Path:
        return self.root / "data/screening" / stage / f"{reviewer}.csv"

    def outputs(self, stage: str) -> dict[str, Path]:
        return {n: self.root / "results/screening" / stage / f"{n}.csv" for n in OUTPUTS}

    def run(self, stage: str) -> dict:
        previous = self.outputs("title_abstract")["decisions"] if stage == "full_text" else None
        added = self.root / f"data/processed/screening/{stage}/sheet_additions.csv"
        common = dict(
            stage=stage,
            studies_path=self.studies,
            previous_decisions_path=previous,
            removed_path=None,
            sheet_dir=self.root / "data/screening" / stage,
            screening=self.screening,
        )
        # as the `screen` rule does: the sheets brought up to date, then read once
        outputs = {**self.outputs(stage), "added": added}
        backups = self.root / "data/processed/backups" / stage
        screen_with_sheets(**common, backup_dir=backups, searches=SEARCHES, outputs=outputs)
        out = {n: read_table(p) for n, p in self.outputs(stage).items()}
        out["added"] = read_table(added)
        return out

    def status(self) -> pd.DataFrame:
        """results/screening/status.csv of title/abstract, as the pipeline writes it, by
        reviewer."""
        summarise_screening(
            decisions_paths=[self.outputs("title_abstract")["decisions"]],
            reviewer_decisions_paths=[self.outputs("title_abstract")["reviewer_decisions"]],
            screening=self.screening,
            agreement_out=self.root / "agreement.csv",
            status_out=self.root / "status.csv",
        )
        return read_table(self.root / "status.csv").set_index("reviewer")


def add_studies(review: Review, n: int) -> None:
    """n studies of one record each in the review's studies table."""
    write_studies(
        review.studies, [study([record("scopus", f"Study {i}")], f"Study {i}") for i in range(n)]
    )


def screen_batches(review: Review, sheet: Path, batches: int) -> None:
    """Run, and exclude every study the sheet gets, ``batches`` times (prioritised)."""
    for _ in range(batches):
        review.run("title_abstract")
        type_decisions(sheet, {r["study_id"]: "exclude" for r in rows_of(sheet)})


def ben_decides_five(tmp_path: Path) -> tuple[Review, Path]:
    """Dual screening of 12 studies by alice and ben; ben excludes his first five."""
    review = Review(tmp_path)
    add_studies(review, 12)
    review.run("title_abstract")
    ben = review.sheet("title_abstract", "ben")
    type_decisions(ben, {r["study_id"]: "exclude" for r in rows_of(ben)[:5]})
    return review, ben


def cleo_leaves_half_decided(tmp_path: Path) -> tuple[Review, Path, list[str], dict]:
    """Split screening by alice, ben and cleo over 30 studies; cleo excludes the first half
    of her sheet and is taken out of config. Returns the review, her sheet, her studies
    and her decisions."""
    review = Review(tmp_path)
    review.screening = screening_config("split", ["alice", "ben", "cleo"], double_fraction=0.0)
    add_studies(review, 30)
    review.run("title_abstract")
    cleo = review.sheet("title_abstract", "cleo")
    hers = [r["study_id"] for r in rows_of(cleo)]
    decided = dict.fromkeys(hers[: len(hers) // 2], "exclude")
    type_decisions(cleo, decided)
    review.screening = screening_config("split", ["alice", "ben"], double_fraction=0.0)
    return review, cleo, hers, decided


def test_decisions_survive_spreadsheet_saves_and_an_update_search(tmp_path):
    review = Review(tmp_path)
    studies = base_studies(8)
    ids = [s["study_id"] for s in studies]
    write_studies(review.studies, studies)
    first = review.run("title_abstract")
    assert len(first["added"]) == 16  # 8 database studies, to both reviewers

    # Alice screens three studies in Excel (semicolons, CRLF, BOM, decision first)
    alice, ben = review.sheet("title_abstract", "alice"), review.sheet("title_abstract", "ben")
    type_decisions(alice, {ids[0]: "Include", ids[1]: " no ", ids[2]: "I"})
    save_as(alice, delimiter=";", newline="\r\n", columns=["decision", "study_id"], blank_rows=2)
    # Ben screens in LibreOffice (UTF-8 without BOM, LF) and adds a column of his own
    type_decisions(ben, {ids[0]: "yes", ids[1]: "exclude", ids[2]: "exclude", ids[3]: "maybe"})
    save_as(ben, encoding="utf-8", columns=["study_id", "title", "decision"])
    ben.write_bytes(ben.read_bytes().replace(b"study_id,", b"my flag,study_id,", 1).replace(
        b"\nS-", b"\n,S-"))  # fmt: skip
    second = review.run("title_abstract")
    assert second["added"].empty
    final = dict(zip(second["decisions"]["study_id"], second["decisions"]["decision"], strict=True))
    assert [final[i] for i in ids[:4]] == ["include", "exclude", "conflict", "pending"]
    assert len(second["reviewer_decisions"]) == 7  # every decision typed is counted

    # Months later: an update search. One of its records joins study 0, two are new.
    joined = study([*studies[0]["record_ids"].split("; "), record("update2026", "x0")],
                   studies[0]["title"])  # fmt: skip
    new = [study([record("update2026", f"New study {i}")], f"New study {i}") for i in (1, 2)]
    assert joined["study_id"] == ids[0]
    write_studies(review.studies, [joined, *studies[1:], *new])
    before = {p: p.read_bytes() for p in (alice, ben)}
    third = review.run("title_abstract")
    assert sorted(third["added"]["study_id"]) == sorted(2 * [s["study_id"] for s in new])
    for path, old in before.items():
        assert path.read_bytes().startswith(old)  # no existing row rewritten
        listed = [r["study_id"] for r in rows_of(path)]
        assert sorted(listed) == sorted(ids[:8] + [s["study_id"] for s in new])  # once each
    folder = tmp_path / "data/processed/backups/title_abstract"
    backups = sorted(p.name for p in folder.iterdir() if p.is_file())
    # every sheet as first written; each reviewer's sheet again as saved with decisions,
    # and as the update's run wrote it (the new studies added)
    assert [name.split(".")[0] for name in backups] == ["alice"] * 3 + ["ben"] * 3 + ["resolutions"]
    final = dict(zip(third["decisions"]["study_id"], third["decisions"]["decision"], strict=True))
    assert final[ids[0]] == "include"  # the joined study keeps its decisions

    # Alice now saves in cp1252 with CRLF; both screen the new studies; rerun twice
    type_decisions(alice, {new[0]["study_id"]: "include", new[1]["study_id"]: "exclude"})
    save_as(alice, encoding="cp1252", newline="\r\n")
    type_decisions(ben, {new[0]["study_id"]: "include", new[1]["study_id"]: "exclude",
                         ids[2]: "include"})  # fmt: skip
    fourth = review.run("title_abstract")
    assert len(fourth["reviewer_decisions"]) == 11
    snapshot = {p: p.read_bytes() for p in (alice, ben)}
    assert review.run("title_abstract")["added"].empty
    assert {p: p.read_bytes() for p in (alice, ben)} == snapshot

    # Full text: studies included at title/abstract, and the citation-only study
    full = review.run("full_text")
    expected = {ids[0], ids[2], new[0]["study_id"], studies[-1]["study_id"]}
    assert set(full["decisions"]["study_id"]) == expected
    assert set(full["decisions"]["decision"]) == {"pending"}
    summarise_screening(
        decisions_paths=[review.outputs(s)["decisions"] for s in ("title_abstract", "full_text")],
        reviewer_decisions_paths=[
            review.outputs(s)["reviewer_decisions"] for s in ("title_abstract", "full_text")
        ],
        screening=review.screening,
        agreement_out=tmp_path / "results/screening/agreement.csv",
        status_out=tmp_path / "results/screening/status.csv",
    )
    agreement = read_table(tmp_path / "results/screening/agreement.csv")
    assert agreement["n"].tolist() == ["5"]  # studies 0-2 and the two new ones
    status = read_table(tmp_path / "results/screening/status.csv")
    assert status["stage"].tolist() == ["title_abstract"] * 3 + ["full_text"] * 3


def test_a_reviewer_who_leaves_keeps_their_decisions_and_hands_on_the_rest(tmp_path, caplog):
    # split screening by alice, ben and cleo; cleo leaves (taken out of config) with half
    # her studies decided. Her decisions still count, once each; the studies she had not
    # decided go to alice or ben; none she decided is given to anyone else.
    review, cleo, hers, decided = cleo_leaves_half_decided(tmp_path)
    assert len(hers) >= 2
    after = review.run("title_abstract")
    final = dict(zip(after["decisions"]["study_id"], after["decisions"]["decision"], strict=True))
    assert all(final[s] == "exclude" for s in decided)
    assert after["orphans"].empty
    handed_on = set(after["added"]["study_id"])
    assert handed_on == set(hers) - set(decided)
    counted = after["reviewer_decisions"]
    assert set(counted.loc[counted["reviewer"] == "cleo", "study_id"]) == set(decided)
    # status: her row counts what she decided, not the rows that went to the others
    status = review.status()
    assert status.loc["cleo", ["assigned", "screened", "pending", "left_to_screen"]].tolist() == [
        str(len(decided)), str(len(decided)), "0", "0"
    ]  # fmt: skip
    # a stray copy beside the sheets (never written by prismake) is still not counted
    stray = tmp_path / "data/screening/title_abstract/alice (1).csv"
    stray.write_bytes(cleo.read_bytes())
    again = review.run("title_abstract")
    assert len(again["orphans"]) == len(decided)
    stray.unlink()
    # her sheet is still backed up: a decision cleared from it is named ...
    first = next(iter(decided))
    type_decisions(cleo, {first: ""})
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")
    assert first in caplog.text and "cleo.csv" in caplog.text
    # ... and so is the sheet itself when it goes, with the copy that holds her decisions
    # a fresh clone of a review kept in git has no backups: her sheet still counts
    saved = cleo.read_bytes()
    shutil.move(tmp_path / "data/processed/backups", tmp_path / "elsewhere")
    clone = review.run("title_abstract")
    assert clone["orphans"].empty
    assert set(clone["reviewer_decisions"]["study_id"]) >= set(decided) - {first}
    assert cleo.read_bytes() == saved
    caplog.clear()
    cleo.unlink()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")
    assert "cleo.csv, the sheet of a former reviewer, is gone" in caplog.text
    assert f"its {len(decided) - 1} decisions no longer count" in caplog.text


def test_a_reviewer_who_comes_back_is_told_which_rows_others_decided_meanwhile(tmp_path, caplog):
    # cleo leaves split screening with half her studies decided; alice and ben decide the
    # rest of hers; cleo comes back. Her sheet still lists those studies, undecided: the run
    # says to leave them, and status does not count them as hers to screen.
    review, _, _, _ = cleo_leaves_half_decided(tmp_path)
    handed_on = set(review.run("title_abstract")["added"]["study_id"])
    for name in ("alice", "ben"):
        sheet = review.sheet("title_abstract", name)
        type_decisions(sheet, {r["study_id"]: "include" for r in rows_of(sheet)})
    review.screening = screening_config("split", ["alice", "ben", "cleo"], double_fraction=0.0)
    caplog.clear()  # what the earlier runs said is not this run's
    with caplog.at_level(logging.INFO, logger="prismake"):
        back = review.run("title_abstract")
    assert (
        f"cleo's sheet has {len(handed_on)} undecided rows for studies decided without them"
        in caplog.text
    )
    assert "studies waiting for a decision" not in caplog.text
    status = review.status()
    assert status.loc["cleo", "left_to_screen"] == "0"
    assert status.loc["all", "left_to_screen"] == "0"
    assert set(back["decisions"]["decision"]) == {"include", "exclude"}


def test_the_order_handed_out_survives_a_sheet_sorted_with_its_rank_column_deleted(
    tmp_path, caplog
):
    """The stopping rule needs the order studies were handed out in. A reviewer who
    deletes the rank column ("what is this?") and sorts by decision must not change it:
    prismake reads its own record of the ranks, and says the cells differ."""
    from screening_demo import _dump, _load

    from prismake.screening.prioritise import screening_order
    from prismake.screening.stage import StudyIndex, read_stage

    review = Review(tmp_path)
    review.screening = screening_config("single", ["alice"])
    review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 4}
    add_studies(review, 30)
    sheet = review.sheet("title_abstract", "alice")
    for _ in range(4):
        review.run("title_abstract")
        rows = rows_of(sheet)
        type_decisions(sheet, {r["study_id"]: ("include" if i % 3 == 0 else "exclude")
                               for i, r in enumerate(rows) if not r["decision"]})  # fmt: skip

    def order() -> list[str]:
        index = StudyIndex.from_path(review.studies)
        reading = read_stage("title_abstract", sheet.parent, review.screening, index)
        return screening_order(reading, "title_abstract")

    before = order()
    assert len(before) > 8
    header, rows, dialect = _load(sheet)
    rank, decision = header.index("rank"), header.index("decision")
    rows = sorted(rows, key=lambda r: r[decision] != "include")
    _dump(sheet, [h for i, h in enumerate(header) if i != rank],
          [[c for i, c in enumerate(r) if i != rank] for r in rows], **dialect)  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="prismake"):
        assert order() == before
    assert "the stopping rule uses prismake's record of the order" in caplog.text
    # a rank typed over is read from the record too, and the next batch goes on from it
    review.run("title_abstract")
    assert order()[: len(before)] == before
    # the record deleted: rebuilt from the cells as they are, and the run says so
    kept_order = tmp_path / "data/processed/screening/title_abstract/handed_out.csv"
    kept_order.unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")
    assert "handed_out.csv not found: the order studies were handed out in is taken" in (
        caplog.text
    )


def test_prioritised_rows_deleted_from_every_sheet_come_back_with_their_ranks(tmp_path, caplog):
    """alice deletes two decided rows from her prioritised sheet: they come back at the
    bottom, undecided, with the ranks they were handed out with; they do not go back
    into the ranking, and no new batch goes out until they are decided again."""
    from screening_demo import _dump, _load

    review = Review(tmp_path)
    review.screening = screening_config("single", ["alice"])
    review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 4}
    add_studies(review, 30)
    sheet = review.sheet("title_abstract", "alice")
    screen_batches(review, sheet, 3)
    before = {r["study_id"]: r["rank"] for r in rows_of(sheet)}
    header, rows, dialect = _load(sheet)
    deleted = [rows[1][header.index("study_id")], rows[2][header.index("study_id")]]
    _dump(sheet, header, [r for i, r in enumerate(rows) if i not in (1, 2)], **dialect)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        added = review.run("title_abstract")["added"]
    assert sorted(added["study_id"]) == sorted(deleted)  # them, and no new batch
    said = "2 studies handed out before are in no sheet now (rows or a sheet deleted)"
    assert said in caplog.text
    after = rows_of(sheet)
    assert [r["study_id"] for r in after[-2:]] == deleted
    assert {r["study_id"]: r["rank"] for r in after} == before
    assert all(r["decision"] == "" for r in after[-2:])


def test_a_git_merge_left_unfinished_in_sheets_or_kept_records_is_named_not_a_crash(
    tmp_path, caplog
):
    """A team shares the review through git: two machines ran the pipeline, and a pull
    left conflict markers in a sheet and in prismake's own records of the screening."""
    import pytest

    from prismake.errors import SheetError

    review = Review(tmp_path)
    review.screening = screening_config("dual", ["alice", "ben"])
    review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 4}
    add_studies(review, 30)
    for _ in range(2):
        review.run("title_abstract")
        for name in ("alice", "ben"):
            sheet = review.sheet("title_abstract", name)
            type_decisions(sheet, {r["study_id"]: "exclude" for r in rows_of(sheet)})
    kept = tmp_path / "data/processed/screening/title_abstract"

    def conflicted(path: Path) -> bytes:
        lines = path.read_bytes().splitlines(keepends=True)
        ours, theirs = [b"<<<<<<< HEAD\n", lines[1]], [b"=======\n", lines[1]]
        return b"".join([lines[0], *ours, *theirs, b">>>>>>> 1a2b3c\n", *lines[2:]])

    sheet = review.sheet("title_abstract", "alice")
    saved = sheet.read_bytes()
    sheet.write_bytes(conflicted(sheet))
    with pytest.raises(SheetError) as error:
        review.run("title_abstract")
    text = str(error.value)
    assert "git merge conflict markers" in text and "lines 2, 4, 6" in text
    assert text.count("alice.csv") == 1  # one problem for the file, not one per row
    sheet.write_bytes(saved)
    for name in ("handed_out.csv", "pool.csv", "reviewer_sheets.csv"):
        (kept / name).write_bytes(conflicted(kept / name))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")  # no traceback: set aside, the rule only stricter
    for name in ("handed_out.csv", "pool.csv"):
        assert f"{name} is set aside: a git merge was left unfinished in it" in caplog.text
        assert b"<<<<<<<" not in (kept / name).read_bytes()  # written again
    assert (kept / "reviewer_sheets.csv").read_text() == "reviewer\nalice\nben\n"


def test_a_reviewer_who_left_has_nothing_left_to_screen(tmp_path, caplog):
    """Dual: ben decides part of his sheet and leaves; cleo takes his place. The run and
    status must not tell ben he still has studies to screen: they went to cleo."""
    review, _ = ben_decides_five(tmp_path)
    review.screening = screening_config("dual", ["alice", "cleo"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        out = review.run("title_abstract")
    waiting = next(r.getMessage() for r in caplog.records if "waiting for a decision" in r.message)
    assert "cleo 7" in waiting and "ben" not in waiting  # the 5 ben decided count
    assert "cleo, new to the stage, takes over the 7 studies ben left undecided" in caplog.text
    notes = out["decisions"].loc[out["decisions"]["decision"] == "pending", "note"]
    assert notes.str.startswith("waiting for").all() and not notes.str.contains("ben").any()
    status = review.status()
    assert status.loc["ben", ["screened", "left_to_screen"]].tolist() == ["5", "0"]


def test_a_reviewer_id_changed_with_their_sheet_s_name_is_not_a_loss(tmp_path, caplog):
    """ben becomes bb in config and ben.csv is renamed bb.csv: his decisions count there,
    and the run must not tell the team to copy ben.csv back (they would count twice)."""
    review, ben = ben_decides_five(tmp_path)
    review.run("title_abstract")
    ben.rename(ben.with_name("bb.csv"))
    review.screening = screening_config("dual", ["alice", "bb"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        after = review.run("title_abstract")
    assert "the sheet of a former reviewer, is gone" not in caplog.text
    assert "ben.csv is gone, but its decisions are in bb.csv" in caplog.text
    typed = after["reviewer_decisions"]
    assert (typed["reviewer"] == "bb").sum() == 5


def test_a_sheet_deleted_on_a_fresh_clone_without_backups_is_still_named(tmp_path, caplog):
    """A review kept in git, cloned on a new machine (no data/processed/backups): ben's
    sheet deleted by mistake must not come back as a new blank sheet with only an INFO."""
    review, ben = ben_decides_five(tmp_path)
    review.run("title_abstract")
    shutil.rmtree(tmp_path / "data/processed/backups")  # not in git
    ben.unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")
    assert "ben.csv was missing (moved, renamed or deleted)" in caplog.text
    assert "No backup of it is on this machine" in caplog.text and "git checkout" in caplog.text


def test_rows_deleted_in_the_run_that_stops_are_not_excluded_by_automation(tmp_path):
    """alice deletes two decided rows and the team sets stop: true in the same run: the
    studies go back to her sheet; they were screened once, not 'never screened'."""
    from screening_demo import _dump, _load

    review = Review(tmp_path)
    review.screening = screening_config("single", ["alice"])
    review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 4}
    add_studies(review, 30)
    sheet = review.sheet("title_abstract", "alice")
    screen_batches(review, sheet, 3)
    header, rows, dialect = _load(sheet)
    deleted = [rows[1][header.index("study_id")], rows[2][header.index("study_id")]]
    _dump(sheet, header, [r for i, r in enumerate(rows) if i not in (1, 2)], **dialect)
    review.screening["stages"]["title_abstract"]["prioritise"]["stop"] = True
    out = review.run("title_abstract")
    final = dict(zip(out["decisions"]["study_id"], out["decisions"]["decision"], strict=True))
    assert [final[s] for s in deleted] == ["pending", "pending"]
    assert [r["study_id"] for r in rows_of(sheet)[-2:]] == deleted


def test_a_stopped_review_whose_pool_record_went_says_so_and_keeps_the_file_as_found(tmp_path):
    """pool.csv deleted (or lost in a git merge) after the stop: prismake cannot tell when
    the never-screened studies joined; the error names the file, and the run does not
    write a stricter copy that would refuse the stop on every later run."""
    import pytest

    from prismake.errors import ConfigError

    review = Review(tmp_path)
    review.screening = screening_config("single", ["alice"])
    review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 4}
    add_studies(review, 30)
    sheet = review.sheet("title_abstract", "alice")
    screen_batches(review, sheet, 3)
    review.screening["stages"]["title_abstract"]["prioritise"]["stop"] = True
    review.run("title_abstract")
    pool = tmp_path / "data/processed/screening/title_abstract/pool.csv"
    kept = pool.read_bytes()
    pool.unlink()
    with pytest.raises(ConfigError) as error:
        review.run("title_abstract")
    assert "pool.csv" in str(error.value) and "git checkout" in str(error.value)
    assert not pool.exists()
    pool.write_bytes(kept)  # put back: the stop stands again
    review.run("title_abstract")


def test_a_former_reviewer_s_sheet_gone_is_named_even_when_another_sheet_is_identical(
    tmp_path, caplog
):
    """ben agreed with alice on every study, so their sheets are the same bytes; ben leaves
    and his sheet is deleted: that is a loss to name, not a rename to alice.csv. On a
    fresh clone without backups, the record of sheets prismake wrote still names it."""
    review = Review(tmp_path)
    add_studies(review, 8)
    review.run("title_abstract")
    for name in ("alice", "ben"):
        sheet = review.sheet("title_abstract", name)
        type_decisions(sheet, {r["study_id"]: "exclude" for r in rows_of(sheet)})
    review.run("title_abstract")
    review.screening = screening_config("single", ["alice"])
    review.run("title_abstract")
    ben = review.sheet("title_abstract", "ben")
    saved = ben.read_bytes()
    ben.unlink()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prismake"):
        review.run("title_abstract")
    assert "ben.csv, the sheet of a former reviewer, is gone" in caplog.text
    assert "its decisions are in alice.csv" not in caplog.text
    ben.write_bytes(saved)
    review.run("title_abstract")
    shutil.rmtree(tmp_path / "data/processed/backups")  # a fresh clone
    ben.unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")
    assert "ben.csv, the sheet of a former reviewer, is gone" in caplog.text
    assert "No backup of it is on this machine" in caplog.text


def test_a_sheet_deleted_after_a_resolution_is_not_told_to_leave_rows_blank(tmp_path, caplog):
    """ben's sheet goes; the conflict a resolution settled is final without him. The run
    names the missing sheet and its backup; it must not tell ben to leave that row blank
    (his decision was not "not needed": it was lost with the sheet)."""
    review = Review(tmp_path)
    add_studies(review, 4)
    review.run("title_abstract")
    alice, ben = review.sheet("title_abstract", "alice"), review.sheet("title_abstract", "ben")
    first = rows_of(alice)[0]["study_id"]
    type_decisions(alice, {first: "include"})
    type_decisions(ben, {first: "exclude"})
    resolutions = tmp_path / "data/screening/title_abstract/resolutions.csv"
    resolutions.write_text(f"study_id,decision,reason,resolved_by,note\n{first},include,,cleo,\n")
    review.run("title_abstract")
    ben.unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        review.run("title_abstract")
    assert "ben.csv was missing" in caplog.text
    assert "undecided row" not in caplog.text


def test_a_reviewer_id_changed_in_config_but_not_the_sheet_stops_before_dealing_out(tmp_path):
    """cleo becomes "cat" in config, her sheet keeps its name: her undecided studies would
    go to alice, ben and a new cat.csv, beyond taking back. The run stops and says to
    rename the sheet; once renamed, cat carries on in her own sheet. Two different people
    (cleo left, cat joined) go through in two runs, as the message says."""
    review, cleo, hers, _ = cleo_leaves_half_decided(tmp_path)
    review.screening = screening_config("split", ["alice", "ben", "cat"], double_fraction=0.0)
    before = {n: review.sheet("title_abstract", n).read_bytes() for n in ("alice", "ben")}
    with pytest.raises(SheetError) as error:
        review.run("title_abstract")
    text = str(error.value)
    assert "cleo is no longer among this stage's reviewers" in text
    assert "rename this sheet to cat.csv" in text
    assert {n: review.sheet("title_abstract", n).read_bytes() for n in before} == before
    assert not review.sheet("title_abstract", "cat").exists()
    cleo.rename(review.sheet("title_abstract", "cat"))
    after = review.run("title_abstract")
    assert after["added"].empty  # nothing dealt out: cat screens on in her sheet
    assert {r["study_id"] for r in rows_of(review.sheet("title_abstract", "cat"))} == set(hers)


def test_a_reviewer_who_left_and_a_new_one_go_through_in_two_runs(tmp_path):
    review, *_ = cleo_leaves_half_decided(tmp_path)
    review.run("title_abstract")  # cleo left: her undecided studies go to alice and ben
    review.screening = screening_config("split", ["alice", "ben", "cat"], double_fraction=0.0)
    review.run("title_abstract")  # then cat joins: no question asked
    assert review.sheet("title_abstract", "cat").exists()


@pytest.mark.parametrize("prioritised", [False, True], ids=["in full", "prioritised"])
def test_studies_renamed_by_a_new_anchor_keep_their_reviewers_in_split_screening(
    tmp_path, prioritised
):
    # A search listed above the others (or an earlier one taken out) anchors studies on
    # another record, so they get new ids; the sheets list them under the old ones. Split
    # screening drew, from the old id, whether a study needs one decision or two: the new
    # id must not deal a decided study to a second reviewer, nor leave it waiting.
    review = Review(tmp_path)
    review.screening = screening_config("split", ["alice", "ben", "chidi"], double_fraction=0.2)
    if prioritised:
        review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 100}
    titles = [f"Co-production study number {i}" for i in range(60)]
    first = [study([record("pubmed", t)], t) for t in titles]
    write_studies(review.studies, first)
    review.run("title_abstract")
    sheets = [review.sheet("title_abstract", name) for name in ("alice", "ben", "chidi")]
    listed = [[r["study_id"] for r in rows_of(sheet)] for sheet in sheets]
    for sheet, ids in zip(sheets, listed, strict=True):
        type_decisions(sheet, dict.fromkeys(ids, "exclude"))
    renamed = [study([record("scopus", t), record("pubmed", t)], t) for t in titles]
    assert not {s["study_id"] for s in renamed} & {s["study_id"] for s in first}
    write_studies(review.studies, renamed)
    out = review.run("title_abstract")
    assert out["added"].empty
    assert [[r["study_id"] for r in rows_of(sheet)] for sheet in sheets] == listed
    assert sorted(out["decisions"]["study_id"]) == sorted(s["study_id"] for s in renamed)
    assert set(out["decisions"]["decision"]) == {"exclude"}


def test_decisions_on_studies_given_new_ids_find_them_again_by_their_citation(tmp_path, caplog):
    # Studies found by scopus and pubmed are named after their scopus record. Scopus is
    # taken out of config (or renamed, or its export downloaded again with other records):
    # they get new ids, and the ids the sheets have name no study any more. Each row
    # prismake wrote still carries its study's DOI, title, authors and year: the
    # decisions count for the study that citation names, none is lost or asked again.
    review = Review(tmp_path)
    titles = [f"Co-production of services with people who use them, case {i}" for i in range(6)]
    dois = {0: "10.1000/demo.0", 1: "10.1000/demo.1"}  # the others have none
    both = [
        study([record("scopus", t), record("pubmed", t)], t, doi=dois.get(i, ""))
        for i, t in enumerate(titles)
    ]
    short = study([record("scopus", "Editorial"), record("pubmed", "Editorial")], "Editorial")
    write_studies(review.studies, [*both, short])
    review.run("title_abstract")
    alice, ben = (review.sheet("title_abstract", r) for r in ("alice", "ben"))
    said = {s["study_id"]: ("include" if i % 2 else "exclude") for i, s in enumerate(both)}
    said[short["study_id"]] = "exclude"
    type_decisions(alice, said)
    type_decisions(ben, {**said, both[0]["study_id"]: "include"})  # one conflict ...
    resolutions = review.sheet("title_abstract", "resolutions")
    resolutions.write_text(f"study_id,decision,reason,resolved_by,note\n"
                           f"{both[0]['study_id']},include,,chidi,\n")  # fmt: skip
    before = review.run("title_abstract")["decisions"]
    assert set(before["decision"]) == {"include", "exclude"}  # ... resolved
    # scopus taken out: the same studies, named after their pubmed records now
    # (case 1's DOI came with its scopus record: without it, the study has none now)
    renamed = [study([record("pubmed", t)], t, doi=dois.get(i, "") if i != 1 else "")
               for i, t in enumerate(titles)]  # fmt: skip
    short_now = study([record("pubmed", "Editorial")], "Editorial")
    # and an erratum that carries the first study's DOI: its title tells them apart
    erratum = f"Correction to: {titles[0]}"
    erratum = study([record("pubmed", erratum)], erratum, doi=dois[0])
    write_studies(review.studies, [*renamed, short_now, erratum])
    with caplog.at_level(logging.WARNING, logger="prismake"):
        after = review.run("title_abstract")
    final = dict(zip(after["decisions"]["study_id"], after["decisions"]["decision"], strict=True))
    new_id = {old["study_id"]: new["study_id"] for old, new in zip(both, renamed, strict=True)}
    said[both[0]["study_id"]] = "include"  # as resolved: resolutions.csv finds it too
    waiting = {short_now["study_id"]: "pending", erratum["study_id"]: "pending"}
    assert final == {new_id[old]: said[old] for old in new_id} | waiting
    # asked again: the erratum is new, "Editorial" could not be found again
    assert sorted(after["added"]["study_id"]) == sorted(list(waiting) * 2)
    # "Editorial" names no single work: its decisions wait in orphans.csv for a person
    assert set(after["orphans"]["study_id"]) == {short["study_id"]}
    assert "6 rows have a study id no study has any more" in caplog.text
    typed = after["reviewer_decisions"]
    assert set(typed["typed_id"]) >= set(new_id)  # extraction takes them as aliases


def test_a_stop_after_studies_got_new_ids_says_to_put_the_search_back(tmp_path):
    # Prioritised screening, half handed out and decided; then scopus is taken out of
    # config, so every study gets a new id. Those in the sheets are found again by their
    # citation and keep their ranks; those never handed out cannot be told from an added
    # search, so a stop is refused, and the message says how to keep the ids instead.
    from prismake.errors import ConfigError

    review = Review(tmp_path)
    review.screening = screening_config("single", ["alice"])
    review.screening["stages"]["title_abstract"]["prioritise"] = {"batch": 4}
    titles = [f"Co-production of services with people who use them, case {i}" for i in range(20)]
    write_studies(review.studies, [study([record("scopus", t), record("pubmed", t)], t)
                                   for t in titles])  # fmt: skip
    sheet = review.sheet("title_abstract", "alice")
    for _ in range(3):
        review.run("title_abstract")
        type_decisions(sheet, {r["study_id"]: "exclude" for r in rows_of(sheet)})
    handed_out = [r["rank"] for r in rows_of(sheet)]
    write_studies(review.studies, [study([record("pubmed", t)], t) for t in titles])
    review.screening["stages"]["title_abstract"]["prioritise"]["stop"] = True
    with pytest.raises(ConfigError) as error:
        review.run("title_abstract")
    assert "put it back as it was" in str(error.value.problems[0].hint)
    review.screening["stages"]["title_abstract"]["prioritise"]["stop"] = False
    review.run("title_abstract")  # the next batch comes after the ranks handed out
    ranks = [int(r["rank"]) for r in rows_of(sheet)]
    assert [str(r) for r in ranks[: len(handed_out)]] == handed_out
    assert ranks == list(range(1, len(ranks) + 1))


@pytest.mark.parametrize(
    ("article_row", "abstract_doi"),
    [("kept", "10.1000/abstract.1"), ("deleted", "10.1000/abstract.1"), ("deleted", "")],
)
def test_a_meeting_abstract_that_left_the_review_is_not_found_again_as_its_article(
    tmp_path, article_row, abstract_doi
):
    # A meeting abstract (found by scopus only) and its article (pubmed only) share title,
    # year and first author. Scopus is taken out: the abstract is gone. Its row names
    # another DOI than the article's, and alice's sheet lists the article itself (unless
    # she deleted that row): its exclude must not become the article's decision.
    review = Review(tmp_path)
    review.screening = screening_config("single", ["alice"])
    title = "Co-production of services with people who use them: a trial"
    abstract = study([record("scopus", title)], title, doi=abstract_doi)
    article = study([record("pubmed", title)], title, doi="10.1000/article.1")
    write_studies(review.studies, [abstract, article])
    review.run("title_abstract")
    alice = review.sheet("title_abstract", "alice")
    type_decisions(alice, {abstract["study_id"]: "exclude", article["study_id"]: "include"})
    if article_row == "deleted":
        header, rows, dialect = _load(alice)
        _dump(alice, header, [r for r in rows if article["study_id"] not in r], **dialect)
    write_studies(review.studies, [article])
    after = review.run("title_abstract")
    assert after["orphans"]["study_id"].tolist() == [abstract["study_id"]]
    decided = dict(zip(after["decisions"]["study_id"], after["decisions"]["decision"], strict=True))
    assert decided == {article["study_id"]: "include" if article_row == "kept" else "pending"}


def test_a_row_is_not_found_again_as_a_study_another_reviewer_lists(tmp_path):
    # Split screening: alice has the article (with its DOI), ben the meeting abstract of
    # the same work (no DOI, same title, year and authors). The article's search is taken
    # out: alice's row must not become the abstract's decision, which ben's sheet lists.
    review = Review(tmp_path)
    review.screening = screening_config("split", ["alice", "ben"], double_fraction=0.0)
    title = "Co-production of services with people who use them: a randomised trial"
    for i in range(40):  # a title whose article alice gets and abstract ben gets
        article = study([record("scopus", f"{title} {i}")], f"{title} {i}", doi=f"10.1000/a.{i}")
        abstract = study([record("pubmed", f"{title} {i}")], f"{title} {i}")
        write_studies(review.studies, [article, abstract])
        review.run("title_abstract")
        alice, ben = (review.sheet("title_abstract", r) for r in ("alice", "ben"))
        if [r["study_id"] for r in rows_of(alice)] == [article["study_id"]]:
            break
        shutil.rmtree(tmp_path / "data")
    type_decisions(alice, {article["study_id"]: "include"})
    type_decisions(ben, {abstract["study_id"]: "exclude"})
    write_studies(review.studies, [abstract])
    after = review.run("title_abstract")
    assert after["orphans"]["study_id"].tolist() == [article["study_id"]]
    assert after["decisions"]["decision"].tolist() == ["exclude"]


def test_titles_apart_by_a_greek_letter_are_two_works_when_rows_are_found_again(tmp_path):
    # Two trials, IL-1α and IL-1β, no DOIs; both searches renamed at once: each row is
    # found again as its own trial, not both as one (which stopped the run with a false
    # "deduplication found they are the same study").
    review = Review(tmp_path)
    titles = [f"Interleukin-1{g} blockade with anakinra in acute gout flares" for g in "αβ"]
    # (records of one search told apart by their pages, as in the exports)
    before = [study([record("scopus", f"{t}, {i}0-9")], t) for i, t in enumerate(titles)]
    write_studies(review.studies, before)
    review.run("title_abstract")
    said = {before[0]["study_id"]: "include", before[1]["study_id"]: "exclude"}
    for name in ("alice", "ben"):
        type_decisions(review.sheet("title_abstract", name), said)
    after_ = [study([record("pubmed", f"{t}, {i}0-9")], t) for i, t in enumerate(titles)]
    write_studies(review.studies, after_)
    after = review.run("title_abstract")
    final = dict(zip(after["decisions"]["study_id"], after["decisions"]["decision"], strict=True))
    assert final == {after_[0]["study_id"]: "include", after_[1]["study_id"]: "exclude"}
