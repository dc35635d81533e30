"""Double coding: agreement per theme over presence, and the list of disagreements."""

from __future__ import annotations

import pandas as pd
import pytest
from extraction_review import CODEBOOK, CODING, CODING_HEADER, make_review, run_extract, write_csv

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
