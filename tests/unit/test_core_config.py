"""Config problems come back as sentences a reviewer can act on, all at once."""

from __future__ import annotations

import copy

import pytest
import yaml

from prismake.config import check_config, load_config
from prismake.errors import ConfigError


@pytest.fixture()
def demo_config(root):
    return yaml.safe_load((root / "config" / "config.yaml").read_text())


def _problems(config, base_dir):
    with pytest.raises(ConfigError) as info:
        check_config(config, base_dir=base_dir)
    return str(info.value)


def test_every_mistake_in_the_config_is_reported_in_one_go(demo_config, review_dir):
    config = copy.deepcopy(demo_config)
    del config["searches"][0]["date_searched"]
    config["searches"][1]["source"] = "website"
    config["screening"]["stages"]["title_abstract"]["mode"] = "triple"
    text = _problems(config, review_dir)
    assert "3 problems" in text
    assert "'date_searched' is missing" in text
    assert "'website' is not allowed" in text and "database, register, other" in text
    assert "'triple' is not allowed" in text


def test_missing_export_files_and_unknown_reviewers_are_named(demo_config, tmp_path):
    config = copy.deepcopy(demo_config)
    config["screening"]["stages"]["full_text"]["reviewers"] = ["alice", "zoe"]
    text = _problems(config, tmp_path)
    assert "file 'data/raw/scopus.ris' does not exist" in text
    assert "reviewer 'zoe' is not listed under reviewers" in text


@pytest.fixture()
def review_dir(demo_config, tmp_path):
    """A folder holding (empty) export files for every search of the demo config."""
    for search in demo_config["searches"]:
        (tmp_path / search["file"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / search["file"]).write_text("")
    return tmp_path


def test_a_word_that_means_two_decisions_is_refused(demo_config, review_dir):
    config = copy.deepcopy(demo_config)
    config["screening"]["decision_synonyms"]["maybe"].append("yes")
    text = _problems(config, review_dir)
    assert "1 problem found" in text
    assert "'yes' means both include and maybe" in text


def test_defaults_are_filled_for_settings_left_out(demo_config, review_dir):
    config = copy.deepcopy(demo_config)
    del config["dedupe"]
    config["searches"][0].pop("format")
    checked = check_config(config, base_dir=review_dir)
    assert checked["dedupe"]["duplicate_threshold"] == pytest.approx(0.93)
    assert checked["searches"][0]["format"] == "auto"
    assert checked["searches"][0]["round"] == 1


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("review:\n  title: x\nsearches: [\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "not valid YAML" in str(info.value) and "row" in str(info.value)


def test_a_bad_date_and_an_unknown_reviewer_are_reported_together(demo_config, review_dir):
    config = copy.deepcopy(demo_config)
    config["searches"][0]["date_searched"] = "31/02/2024"
    config["screening"]["stages"]["full_text"]["reviewers"] = ["alice", "zoe"]
    text = _problems(config, review_dir)
    assert "2 problems" in text
    assert "date_searched" in text and "31/02/2024" in text
    assert "reviewer 'zoe' is not listed under reviewers" in text


def test_a_folder_given_as_an_export_file_is_called_a_folder(demo_config, review_dir):
    config = copy.deepcopy(demo_config)
    (review_dir / "data/raw/exports").mkdir(parents=True)
    config["searches"][0]["file"] = "data/raw/exports"
    text = _problems(config, review_dir)
    assert "'data/raw/exports' is a folder, not a file" in text
    assert "does not exist" not in text


def test_a_yaml_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("searches:\n  - name: scopus\n    file: [data/raw/x.ris\nreviewers: []\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"{path}, row " in str(info.value)


def test_stop_is_true_false_or_the_search_rounds_the_team_stopped(demo_config, review_dir):
    stage = demo_config["screening"]["stages"]["title_abstract"]
    for stop in (True, False, [1], [1, 2]):
        config = copy.deepcopy(demo_config)
        config["screening"]["stages"]["title_abstract"] = {**stage, "prioritise": {"stop": stop}}
        check_config(config, base_dir=review_dir)
    for stop in ([], ["one"], [0], "yes please"):
        config = copy.deepcopy(demo_config)
        config["screening"]["stages"]["title_abstract"] = {**stage, "prioritise": {"stop": stop}}
        assert "prioritise" in _problems(config, review_dir)


def test_a_misspelt_setting_is_named_with_the_one_meant_and_those_allowed(demo_config, review_dir):
    config = copy.deepcopy(demo_config)
    config["screening"]["stages"]["title_abstract"]["prioritise"] = {"bacth": 3}
    config["screening"]["stages"]["title_abstract"]["reviewrs"] = ["x"]
    text = _problems(config, review_dir)
    assert "('bacth' was unexpected). Did you mean 'batch'? The settings here are: batch," in text
    assert "('reviewrs' was unexpected). Did you mean 'reviewers'?" in text
    assert "demo review" not in text  # a new review has no demo config to compare with


def test_a_config_with_a_git_merge_left_in_it_says_so(tmp_path):
    from prismake.config import read_yaml

    path = tmp_path / "config.yaml"
    path.write_text(
        "review:\n<<<<<<< HEAD\n  title: Ours\n=======\n  title: Theirs\n>>>>>>> 1a2b\n"
    )
    with pytest.raises(ConfigError) as error:
        read_yaml(path)
    assert "git merge conflict markers" in str(error.value) and "lines 2, 4, 6" in str(error.value)
