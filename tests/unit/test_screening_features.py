"""Text features of a prioritised stage: kept between runs, rebuilt when the text changes."""

from __future__ import annotations

import logging
import os
import re

import numpy as np
import pytest

from prismake.screening.features import features
from prismake.screening.prioritise import processed_dir
from prismake.screening.priority import ScreeningPool
from prismake.screening.sheets import Sheet
from prismake.screening.stage import Reading

TEXTS = [
    "co-production with service users and policymakers",
    "a randomised placebo trial of a new dosage",
    "trust and power sharing in community partnership",
    "tumour imaging in mice after surgery",
    "service users and practitioners in partnership",
]
SETTINGS = {"min_df": 1}


def same(a, b) -> bool:
    return a.shape == b.shape and (a != b).nnz == 0


def test_a_cached_run_gives_the_features_a_fresh_build_gives(tmp_path):
    cache = tmp_path / "features.npz"
    fresh = features(TEXTS, SETTINGS)
    first = features(TEXTS, SETTINGS, cache)
    assert cache.is_file()
    second = features(TEXTS, SETTINGS, cache)
    assert same(fresh, first) and same(fresh, second)


def test_the_cache_is_readable_by_the_next_team_member_who_runs_the_pipeline(tmp_path):
    cache = tmp_path / "features.npz"
    features(TEXTS, SETTINGS, cache)
    umask = os.umask(0)
    os.umask(umask)
    assert cache.stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_cache_is_read_not_rebuilt_when_nothing_changed(tmp_path, caplog):
    cache = tmp_path / "features.npz"
    caplog.set_level(logging.INFO, logger="prismake")
    features(TEXTS, SETTINGS, cache)
    # said before the long step starts, and how long it took after
    assert f"building the text features of {len(TEXTS)} records" in caplog.text
    assert re.search(r"features of \d+ records built in \d+\.\d s", caplog.text)
    caplog.clear()
    features(TEXTS, SETTINGS, cache)
    assert "built" not in caplog.text


@pytest.mark.parametrize(
    "texts, settings",
    [
        ([*TEXTS[:-1], "service users and practitioners in a partnership"], SETTINGS),
        ([*TEXTS, "a new record from an update search"], SETTINGS),
        (TEXTS, {"min_df": 2}),
    ],
    ids=["an abstract corrected", "a record added", "settings changed"],
)
def test_changed_text_or_settings_rebuild_the_features(tmp_path, texts, settings):
    cache = tmp_path / "features.npz"
    features(TEXTS, SETTINGS, cache)
    assert same(features(texts, settings, cache), features(texts, settings))


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path):
    cache = tmp_path / "features.npz"
    features(TEXTS, SETTINGS, cache)
    cache.write_bytes(cache.read_bytes()[:100])
    assert same(features(TEXTS, SETTINGS, cache), features(TEXTS, SETTINGS))
    assert same(features(TEXTS, SETTINGS, cache), features(TEXTS, SETTINGS))


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, caplog):
    blocker = tmp_path / "processed"
    blocker.write_text("a file where the cache folder should be")
    caplog.set_level(logging.WARNING, logger="prismake")
    result = features(TEXTS, SETTINGS, blocker / "features.npz")
    assert same(result, features(TEXTS, SETTINGS))
    assert "cannot be written" in caplog.text


def test_a_pool_from_the_cache_ranks_as_one_built_fresh(tmp_path):
    ids = [f"R{i}" for i in range(len(TEXTS))]
    cache = tmp_path / "features.npz"
    ScreeningPool(ids, TEXTS, [""] * len(ids), cache=cache)
    cached = ScreeningPool(ids, TEXTS, [""] * len(ids), cache=cache)
    labels = {"R0": 1, "R1": 0}
    assert cached.rank(labels) == ScreeningPool(ids, TEXTS, [""] * len(ids)).rank(labels)
    assert np.array_equal(
        cached.features.toarray(), ScreeningPool(ids, TEXTS, [""] * 5).features.toarray()
    )


def test_the_cache_lives_in_data_processed_beside_the_sheets_layout(tmp_path):
    def reading_of(folder):
        return Reading(sheets={"ana": Sheet(path=folder / "ana.csv")})

    sheets = tmp_path / "review" / "data" / "screening" / "title_abstract"
    expected = tmp_path / "review" / "data" / "processed" / "screening" / "title_abstract"
    assert processed_dir("title_abstract", reading_of(sheets)) == expected
    # sheets anywhere else, or none yet: no cache, nothing written beside them
    assert processed_dir("title_abstract", reading_of(tmp_path / "sheets")) is None
    assert processed_dir("title_abstract", Reading()) is None


@pytest.mark.parametrize(
    "titles",
    [
        ["Co-production study number 0", "Co-production study number 1", "Co-production study 2"],
        ["", "", ""],  # no title or abstract anywhere
    ],
)
def test_a_handful_of_records_with_no_shared_rare_word_still_ranks(titles):
    # a pilot of three records: every word is in all of them or in one only, so TF-IDF
    # with min_df=2, max_df=0.95 keeps nothing (scikit-learn raises); it must still rank
    pool = ScreeningPool(["r0", "r1", "r2"], titles, [""] * 3)
    order = pool.rank({"r0": 1, "r1": 0}, seed=0)
    assert order == ["r2"]
    assert pool.features.shape[0] == 3
