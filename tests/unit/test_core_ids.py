"""Record and study ids stay the same across runs and when searches are added."""

from __future__ import annotations

from prismake.ids import assign_record_ids, choose_anchor, search_of, study_alias


def test_same_records_give_the_same_ids_on_every_run():
    records = [{"pmid": "123"}, {"title": "A study", "year": "2020"}]
    assert assign_record_ids("pubmed", records) == assign_record_ids("pubmed", records)


def test_a_record_keeps_its_id_when_other_records_are_added_around_it():
    a = {"title": "Co-production in practice", "year": "2019", "doi": "10.1/x"}
    before = assign_record_ids("scopus", [a])
    after = assign_record_ids("scopus", [{"title": "New"}, a, {"title": "Newer"}])
    assert before[0] == after[1]


def test_native_database_id_wins_over_reformatted_citation_fields():
    first = {"pmid": "555", "title": "Title one"}
    re_export = {"pmid": "555", "title": "TITLE ONE."}
    assert assign_record_ids("pubmed", [first]) == assign_record_ids("pubmed", [re_export])


def test_identical_records_in_one_file_get_distinct_ids_in_file_order():
    ids = assign_record_ids("wos", [{"title": "Same"}, {"title": "Same"}, {"title": "Same"}])
    assert len(set(ids)) == 3
    assert ids[1] == ids[0] + "-2" and ids[2] == ids[0] + "-3"


def test_record_ids_name_their_search():
    (rid,) = assign_record_ids("citation_search", [{"title": "x"}])
    assert search_of(rid) == "citation_search"


def test_study_id_is_anchored_to_the_earliest_search_so_updates_never_rename_it():
    order = {"scopus": 0, "pubmed": 1, "update2025": 2}
    old = ["pubmed-bbbbbbbbbb", "scopus-zzzzzzzzzz"]
    with_update = [*old, "update2025-aaaaaaaaaa"]
    assert choose_anchor(old, order) == "scopus-zzzzzzzzzz"
    assert study_alias(choose_anchor(with_update, order)) == study_alias(choose_anchor(old, order))


def test_study_ids_look_like_text_to_a_spreadsheet():
    sid = study_alias("scopus-abc")
    assert sid.startswith("S-") and len(sid) == 12
    assert not sid.replace("-", "").isdigit()
