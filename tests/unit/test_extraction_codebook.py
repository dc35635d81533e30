"""The codebook: checked against its schema, and forgiving about how coders type codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from extraction_review import CODEBOOK

from prismake.errors import ConfigError
from prismake.extraction.codebook import load_codebook, shortest_marks


def test_the_demo_codebook_has_five_themes_and_three_kinds_in_file_order():
    codebook = load_codebook(CODEBOOK)
    assert codebook.theme_ids == ["culture", "expectations", "one_size", "language", "resourcing"]
    assert codebook.kind_ids == ["risk", "limit", "lesson"]


@pytest.mark.parametrize(
    ("typed", "theme"),
    [
        ("culture", "culture"),
        ("CULTURE", "culture"),
        ("Creating a co-productive culture", "culture"),
        ("one size", "one_size"),
        ("One-Size", "one_size"),
        ("  watching   language ", "language"),
        ("culture shock", None),
        ("", None),
    ],
)
def test_a_theme_is_found_by_id_or_label_in_any_case(typed, theme):
    assert load_codebook(CODEBOOK).find_theme(typed) == theme


def test_a_kind_is_found_by_id_or_label_in_any_case():
    codebook = load_codebook(CODEBOOK)
    assert [codebook.find_kind(t) for t in ("Risk", "LIMIT", "lesson ", "lessons")] == [
        "risk",
        "limit",
        "lesson",
        None,
    ]


def test_kinds_get_short_marks_that_tell_them_apart():
    assert shortest_marks(["Risk", "Limit", "Lesson"]) == ["R", "Li", "Le"]
    assert [k.mark for k in load_codebook(CODEBOOK).kinds] == ["R", "Li", "Le"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sub_code_counts_under_its_theme(tmp_path):
    path = write(
        tmp_path,
        """
kinds: [{id: risk, label: Risk}]
themes:
  - id: culture
    label: Culture
    subcodes: [{id: trust, label: Building trust}]
""",
    )
    codebook = load_codebook(path)
    assert codebook.find_theme("trust") == "culture"
    assert codebook.find_theme("building trust") == "culture"


def test_a_codebook_with_several_mistakes_reports_them_all(tmp_path):
    path = write(
        tmp_path,
        """
kinds:
  - {id: risk, label: Risk}
  - {id: Limit, label: Limit}
themes:
  - {id: culture}
""",
    )
    with pytest.raises(ConfigError) as error:
        load_codebook(path)
    text = str(error.value)
    assert "2 problems" in text
    assert "'label' is a required property" in text
    assert "'Limit' does not match" in text


def test_two_themes_a_coder_could_not_tell_apart_are_refused(tmp_path):
    path = write(
        tmp_path,
        """
kinds: [{id: risk, label: Risk}]
themes:
  - {id: one_size, label: One size}
  - {id: onesize, label: One-size}
""",
    )
    with pytest.raises(ConfigError, match="share the id"):
        load_codebook(path)


def test_a_missing_codebook_says_where_to_set_it(tmp_path):
    with pytest.raises(ConfigError, match=r"extraction\.codebook"):
        load_codebook(tmp_path / "nope.yaml")


def test_a_kind_can_set_its_own_mark_for_the_evidence_matrix(tmp_path):
    path = write(
        tmp_path,
        """
kinds:
  - {id: risk, label: Risk, mark: "!"}
  - {id: limit, label: Limit}
  - {id: lesson, label: Lesson}
themes: [{id: culture, label: Culture}]
""",
    )
    assert [k.mark for k in load_codebook(path).kinds] == ["!", "Li", "Le"]


def test_a_theme_id_that_reads_like_another_themes_label_is_refused_naming_both(tmp_path):
    """Rows typed 'language' went silently to the theme labelled 'Language' (found by a
    walker): a reader of the sheet cannot tell which theme was meant."""
    path = write(
        tmp_path,
        """
kinds: [{id: risk, label: Risk}, {id: limit, label: Limit}]
themes:
  - {id: culture, label: Culture}
  - {id: language, label: Watching jargon}
  - {id: terms, label: Language}
""",
    )
    with pytest.raises(ConfigError) as error:
        load_codebook(path)
    text = str(error.value)
    assert "1 problem found" in text
    assert "theme 'terms' ('Language') reads like the id of theme 'language'" in text
    assert "Rename one of the two" in text


def test_a_kind_id_that_reads_like_another_kinds_label_is_refused(tmp_path):
    path = write(
        tmp_path,
        """
kinds: [{id: risk, label: Limit}, {id: limit, label: Constraint}]
themes: [{id: culture, label: Culture}]
""",
    )
    with pytest.raises(ConfigError, match=r"id of kind 'limit' \('limit'\) reads like the label"):
        load_codebook(path)


def test_sub_codes_of_two_themes_with_one_name_are_refused(tmp_path):
    path = write(
        tmp_path,
        """
kinds: [{id: risk, label: Risk}]
themes:
  - {id: culture, label: Culture, subcodes: [{id: trust, label: Trust building}]}
  - {id: money, label: Money, subcodes: [{id: trust_building, label: Funds held in trust}]}
""",
    )
    with pytest.raises(ConfigError, match="sub-code 'trust_building'"):
        load_codebook(path)


SHARED_OTHER = """
kinds: [{id: risk, label: Risk}]
themes:
  - id: trust
    label: Trust
    subcodes:
      - {id: trust_other, label: Other}
      - {id: trust_barriers, label: Barriers}
  - id: power
    label: Power
    subcodes:
      - {id: power_other, label: Other}
      - {id: power_barriers, label: Barriers}
"""


def test_sub_codes_of_two_themes_may_share_a_label_and_a_row_types_the_id(tmp_path):
    """'Other' or 'Barriers' under each theme is common and was refused (a regression)."""
    codebook = load_codebook(write(tmp_path, SHARED_OTHER))
    assert codebook.find_theme("trust_other") == "trust"
    assert codebook.find_theme("Power-Barriers") == "power"
    assert codebook.find_theme("Other") is None  # which theme, the label cannot say
    assert codebook.sub_codes_named("other") == [
        ("trust", "trust_other"),
        ("power", "power_other"),
    ]
    assert codebook.sub_codes_named("trust_other") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # two sub-codes of one theme with one label: no id can make the label tell them apart
        ("- {id: trust_barriers, label: Barriers}", "two sub-codes share the label 'Other'"),
        # an id reading like a label shared by others is as ambiguous as before
        ("- {id: power_barriers, label: Barriers}", "sub-code 'other'"),
    ],
)
def test_a_shared_label_within_one_theme_or_read_like_an_id_is_still_refused(
    tmp_path, change, message
):
    replacement = {
        "- {id: trust_barriers, label: Barriers}": "- {id: trust_else, label: Other}",
        "- {id: power_barriers, label: Barriers}": "- {id: other, label: Anything else}",
    }[change]
    path = write(tmp_path, SHARED_OTHER.replace(change, replacement))
    with pytest.raises(ConfigError, match=message):
        load_codebook(path)


def test_a_theme_label_shared_with_a_sub_code_is_still_refused(tmp_path):
    path = write(
        tmp_path,
        SHARED_OTHER.replace("label: Barriers}\n  - id: power", "label: Power}\n  - id: power", 1),
    )
    with pytest.raises(ConfigError, match="Power"):
        load_codebook(path)
