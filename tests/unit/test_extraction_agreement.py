"""Double coding: agreement per theme over presence, and the list of disagreements."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from extraction_review import CODEBOOK, CODING, CODING_HEADER, make_review, run_extract, write_csv

from prismake.errors import SheetError
from prismake.extraction.agreement import (
    coder_agreement,
    coder_disagreements,
    cohen_kappa,
)
from prismake.extraction.codebook import load_codebook
from prismake.extraction.coding import CodedExcerpt


def excerpt(study, coder, theme, kind="risk", text="t"):
    return CodedExcerpt(study, theme, kind, text, "", coder, "", "coding.csv", 2)


def test_kappa_matches_a_hand_computed_value():
    # 20 studies: both yes 8, only a 2, only b 3, neither 7
    # po = 15/20 = .75; pa = .5, pb = .55; pe = .5*.55 + .5*.45 = .5; kappa = .5
    assert cohen_kappa(8, 2, 3, 7) == pytest.approx(0.5)


def test_kappa_is_undefined_when_both_coders_always_say_yes():
    assert cohen_kappa(5, 0, 0, 0) is None
    assert cohen_kappa(0, 0, 0, 0) is None


def test_kappa_agrees_with_scikit_learn():
    sklearn = pytest.importorskip("sklearn.metrics")
    a = [1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0]
    b = [1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0]
    cells = [sum(1 for x, y in zip(a, b, strict=True) if (x, y) == pair) for pair in
             [(1, 1), (1, 0), (0, 1), (0, 0)]]  # fmt: skip
    assert cohen_kappa(*cells) == pytest.approx(sklearn.cohen_kappa_score(a, b))


def test_agreement_counts_only_studies_both_coders_coded():
    codebook = load_codebook(CODEBOOK)
    excerpts = [
        excerpt("S-1", "alice", "culture"),
        excerpt("S-1", "ben", "culture", kind="lesson"),  # same theme, other kind: agree
        excerpt("S-2", "alice", "culture"),
        excerpt("S-2", "ben", "language"),
        excerpt("S-3", "alice", "culture"),  # only alice coded S-3: not double-coded
    ]
    table = coder_agreement(excerpts, codebook).set_index("theme")
    assert table.loc["culture", ["n_studies", "both_present", "only_a", "only_b"]].tolist() == [
        2,
        1,
        1,
        0,
    ]
    assert table.loc["language", ["only_b", "both_absent"]].tolist() == [1, 1]
    assert table.loc["culture", "percent_agreement"] == "50.0"
    assert table.loc["one_size", "kappa"] == ""  # both absent everywhere: undefined
    assert list(table.index) == [*codebook.theme_ids, "all"]


def test_disagreements_show_what_each_coder_coded():
    codebook = load_codebook(CODEBOOK)
    excerpts = [
        excerpt("S-1", "alice", "culture", text="Trust was low."),
        excerpt("S-1", "ben", "culture", kind="lesson", text="Build trust."),
    ]
    table = coder_disagreements(excerpts, codebook, {"S-1": "Smith (2019)"})
    assert table[["kind", "coder_a_excerpts", "coder_b_excerpts"]].values.tolist() == [
        ["risk", "Trust was low.", ""],
        ["lesson", "", "Build trust."],
    ]


def test_the_review_writes_agreement_and_disagreements_for_its_double_coded_studies(tmp_path):
    outputs = run_extract(tmp_path)
    agreement = pd.read_csv(outputs["coder_agreement"], dtype=str, keep_default_na=False)
    pooled = agreement[agreement["theme"] == "all"].iloc[0]
    assert (pooled["coder_a"], pooled["coder_b"], pooled["n_studies"]) == ("alice", "ben", "2")
    disagreements = pd.read_csv(
        outputs["coder_disagreements"], dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    assert set(disagreements["study_id"]) == {"S-aaaaaaaaaa", "S-bbbbbbbbbb"}
    assert len(disagreements) == 4


def test_a_coder_typed_in_another_case_or_with_spaces_is_the_same_coder(tmp_path):
    """'Ben ' in ben.csv made a third coder 'Ben' (found by a walker): the pairs split into
    Ben-alice and alice-ben, each over fewer studies."""
    paths = make_review(tmp_path)
    folder = paths["coding"].parent / "coding"
    alice = [r for r in CODING if r[5] == "alice"]
    ben = [r for r in CODING if r[5] == "ben"]
    ben[0] = [*ben[0][:5], " Ben ", ben[0][6]]
    ben[2] = [*ben[2][:5], "BEN", ben[2][6]]
    sheets = [
        str(write_csv(folder / "alice.csv", CODING_HEADER, alice)),
        str(write_csv(folder / "ben.csv", CODING_HEADER, ben)),
    ]
    outputs = run_extract(tmp_path, paths, coding_paths=sheets)
    agreement = pd.read_csv(outputs["coder_agreement"], dtype=str, keep_default_na=False)
    pooled = agreement[agreement["theme"] == "all"]
    assert pooled[["coder_a", "coder_b", "n_studies"]].values.tolist() == [["alice", "ben", "2"]]
    coded = pd.read_csv(outputs["coded"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert sorted(set(coded["coder"])) == ["alice", "ben"]


REVIEWERS = [{"id": "alice", "name": "Alice Adams"}, {"id": "ben_o", "name": "Ben O'Hara"}]


def _read(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_coders_are_shown_by_their_reviewer_id_in_config_not_as_their_sheet_spells_them(
    tmp_path,
):
    """As the screening side's agreement.csv names reviewers: by the id config gives them,
    whether their sheet is Alice.csv, named by their name, or the coder column says so."""
    paths = make_review(tmp_path)
    folder = paths["coding"].parent / "coding"
    alice = [[*r[:5], "", r[6]] for r in CODING if r[5] == "alice"]
    ben = [[*r[:5], "", r[6]] for r in CODING if r[5] == "ben"]
    ben[1][5] = "ben o"  # typed in his own sheet, as his id with a space
    sheets = [
        str(write_csv(folder / "Alice.csv", CODING_HEADER, alice)),
        str(write_csv(folder / "Ben O'Hara.csv", CODING_HEADER, ben)),
    ]
    outputs = run_extract(tmp_path, paths, coding_paths=sheets, reviewers=REVIEWERS)
    assert sorted(set(_read(outputs["coded"])["coder"])) == ["alice", "ben_o"]
    for table in ("coder_agreement", "coder_disagreements"):
        pairs = _read(outputs[table])[["coder_a", "coder_b"]].drop_duplicates()
        assert pairs.values.tolist() == [["alice", "ben_o"]], table
    # one sheet, the coder column typed with names and ids in any case
    typed = {"alice": "ALICE ADAMS", "ben": "Ben_O"}
    write_csv(paths["coding"], CODING_HEADER, [[*r[:5], typed[r[5]], r[6]] for r in CODING])
    outputs = run_extract(tmp_path, paths, reviewers=REVIEWERS)
    assert sorted(set(_read(outputs["coded"])["coder"])) == ["alice", "ben_o"]
    pooled = _read(outputs["coder_agreement"]).query("theme == 'all'")
    assert pooled[["coder_a", "coder_b", "n_studies"]].values.tolist() == [["alice", "ben_o", "2"]]


def test_two_sheets_named_by_one_reviewers_id_and_name_are_two_sheets_for_one_coder(tmp_path):
    paths = make_review(tmp_path)
    folder = paths["coding"].parent / "coding"
    sheets = [
        str(write_csv(folder / "alice.csv", CODING_HEADER, CODING[:3])),
        str(write_csv(folder / "Alice Adams.csv", CODING_HEADER, CODING[5:7])),
    ]
    with pytest.raises(SheetError) as error:
        run_extract(tmp_path, paths, coding_paths=sheets, reviewers=REVIEWERS)
    [problem] = error.value.problems
    assert "two sheets for one coder" in problem.message
    assert "alice.csv" in problem.message and "Alice Adams.csv" in problem.message


def _warnings(caplog) -> list[str]:
    """The warnings about coder names (the review leaves characteristics out too)."""
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    return [w for w in said if "characteristics sheet" not in w]


def test_a_coder_typed_a_character_or_two_off_a_reviewer_is_warned_about_not_refused(
    tmp_path, caplog
):
    """'alcie' for alice silently made a coder of its own: coder_agreement.csv compared
    alcie with alice, and alice's counts lacked those rows. A coder config does not list is
    allowed (a warning, not an error), so the run goes on and says what to do."""
    paths = make_review(tmp_path)
    typed = {"alice": "alice", "ben": "ben_o"}
    rows = [[*r[:5], typed[r[5]], r[6]] for r in CODING]
    for i in (5, 7):  # rows 7 and 9 as a spreadsheet shows them
        rows[i][5] = "alcie"
    rows[9][5] = "Ben O'Hra"  # one off his name in config
    write_csv(paths["coding"], CODING_HEADER, rows)
    with caplog.at_level(logging.WARNING, logger="prismake"):
        outputs = run_extract(tmp_path, paths, reviewers=REVIEWERS)
    assert sorted(set(_read(outputs["coded"])["coder"])) == ["Ben O'Hra", "alcie", "alice", "ben_o"]
    alcie, ben = _warnings(caplog)
    file = str(paths["coding"])
    assert alcie.startswith(f"{file}, rows 7, 9, column 'coder': 'alcie' is no reviewer in config")
    assert "did you mean alice?" in alcie and "Type alice there" in alcie
    assert "add them to reviewers in config/config.yaml" in alcie
    assert ben.startswith(f"{file}, row 11, column 'coder': 'Ben O'Hra'")
    assert "did you mean ben_o?" in ben and "This row counts" in ben


@pytest.mark.parametrize(
    ("typed", "reviewers"),
    [
        ("zoe", REVIEWERS),  # close to nobody
        ("alice adams", REVIEWERS),  # a reviewer's name, in another case and spacing
        ("bob", [{"id": "ben"}]),  # two letters off a short name is another name
        ("anna", [{"id": "anne"}, {"id": "anna"}]),  # a reviewer of their own
    ],
)
def test_a_coder_who_is_a_reviewer_or_near_none_is_not_warned_about(
    tmp_path, caplog, typed, reviewers
):
    paths = make_review(tmp_path)
    write_csv(paths["coding"], CODING_HEADER, [[*r[:5], typed, r[6]] for r in CODING[:3]])
    with caplog.at_level(logging.WARNING, logger="prismake"):
        run_extract(tmp_path, paths, reviewers=reviewers)
    assert _warnings(caplog) == []


def test_a_coder_sheet_named_a_character_or_two_off_a_reviewer_is_warned_about(tmp_path, caplog):
    paths = make_review(tmp_path)
    folder = paths["coding"].parent / "coding"
    mine = [[*r[:5], "", r[6]] for r in CODING if r[5] == "alice"]
    sheets = [str(write_csv(folder / "alcie.csv", CODING_HEADER, mine[:3]))]
    sheets.append(str(write_csv(folder / "Bne.csv", CODING_HEADER, [])))  # none typed yet
    with caplog.at_level(logging.WARNING, logger="prismake"):
        run_extract(tmp_path, paths, coding_paths=sheets, reviewers=[*REVIEWERS, {"id": "ben"}])
    alcie, bne = _warnings(caplog)
    assert alcie.startswith(f"{sheets[0]}: the sheet's name, 'alcie', is no reviewer in config")
    assert "did you mean alice?" in alcie and "Its rows 2-4 (no coder typed) count" in alcie
    assert "rename it alice.csv" in alcie
    assert bne.startswith(f"{sheets[1]}: the sheet's name, 'Bne'") and "did you mean ben?" in bne
    assert "Rows typed into it without a coder will count" in bne
    # beside the reviewer's own sheet: their rows go into it, not a rename over it
    sheets.append(str(write_csv(folder / "alice.csv", CODING_HEADER, mine[3:])))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prismake"):
        run_extract(tmp_path, paths, coding_paths=sheets[::2], reviewers=REVIEWERS)
    [alcie] = _warnings(caplog)
    assert "copy its rows into alice.csv, there too, and move it away" in alcie


def test_prismake_status_names_a_mistyped_coder(tmp_path, monkeypatch, capsys):
    import yaml

    from prismake.cli import main

    paths = make_review(tmp_path)
    write_csv(paths["coding"], CODING_HEADER, [[*r[:5], "alcie", r[6]] for r in CODING[:2]])
    stage = {"mode": "dual", "reviewers": ["alice", "ben"]}
    config = {
        "review": {"title": "demo"},
        "searches": [{"name": "scopus", "database": "Scopus", "file": "data/raw/x.ris",
                      "date_searched": "2025-01-01"}],
        "reviewers": [{"id": "alice"}, {"id": "ben"}],
        "screening": {"stages": {"title_abstract": stage}},
    }  # fmt: skip
    (tmp_path / "config").mkdir()
    (tmp_path / "config/config.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/x.ris").write_text("")
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 0
    err = capsys.readouterr().err
    assert "data/extraction/coding.csv, rows 2-3, column 'coder': 'alcie'" in err
    assert "did you mean alice?" in err
