"""Citation labels: how a study is named in every table, figure and reference export."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.extraction.citations import citation_key, citation_keys, citation_labels, sort_key


def study(study_id, authors, year, title="A title"):
    return {"study_id": study_id, "authors": authors, "year": year, "title": title}


def test_labels_follow_the_number_of_authors():
    labels = citation_labels(
        [
            study("S-1", "Smith, Anna", "2019"),
            study("S-2", "Smith, Anna; Jones, Bob", "2020"),
            study("S-3", "Smith, Anna; Jones, Bob; Lee, Eun", "2021"),
            study("S-4", "Anna B. van der Berg", "2022"),
        ]
    )
    assert labels == {
        "S-1": "Smith (2019)",
        "S-2": "Smith & Jones (2020)",
        "S-3": "Smith et al. (2021)",
        "S-4": "van der Berg (2022)",
    }


def test_studies_with_the_same_label_get_letters_in_title_order_not_file_order():
    a = study("S-b", "Smith, A; Jones, B; Lee, C", "2019", "Beta study")
    b = study("S-a", "Smith, A; Okafor, D; Wu, E", "2019", "Alpha study")
    assert citation_labels([a, b]) == citation_labels([b, a])
    assert citation_labels([a, b]) == {"S-a": "Smith et al. (2019a)", "S-b": "Smith et al. (2019b)"}


def test_a_study_without_year_or_authors_still_gets_a_readable_label():
    labels = citation_labels(
        [
            study("S-1", "Smith, Anna", ""),
            study("S-2", "", "2020", "One size does not fit all"),
            study("S-3", "Smith, Anna", "n.d."),
        ]
    )
    assert labels == {
        "S-1": "Smith (n.d.-a)",
        "S-2": "One size does not... (2020)",
        "S-3": "Smith (n.d.-b)",
    }


def test_labels_already_taken_by_included_studies_are_not_reused():
    labels = citation_labels([study("S-9", "Smith, Anna", "2019")], taken=["Smith (2019)"])
    assert labels == {"S-9": "Smith (2019a)"}
    labels = citation_labels([study("S-9", "Smith, Anna", "2019")], taken=["Smith (2019a)"])
    assert labels == {"S-9": "Smith (2019b)"}


def test_bibtex_keys_are_ascii_letters_and_digits():
    assert citation_key("Müller & García (2021)") == "MullerGarcia2021"
    assert citation_key("O'Brien et al. (2019a)") == "OBrienEtAl2019a"
    assert citation_key("Smith (n.d.-b)") == "Smithndb"


names = st.sampled_from(["Smith, Anna", "Smith, Anne", "Jones, Bob", "Lee, Eun", "Ngu, T"])
studies = st.lists(
    st.tuples(
        st.lists(names, min_size=0, max_size=4),
        st.sampled_from(["2019", "2020", "", "2019b"]),
        st.sampled_from(["A", "B", "A study", ""]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(studies)
def test_labels_and_keys_are_unique_and_do_not_depend_on_order(rows):
    records = [study(f"S-{i}", "; ".join(a), y, t) for i, (a, y, t) in enumerate(rows)]
    labels = citation_labels(records)
    assert len(set(labels.values())) == len(records)
    assert citation_labels(list(reversed(records))) == labels
    keys = citation_keys(labels)
    assert len({k.casefold() for k in keys.values()}) == len(records)


def test_reference_list_order_ignores_accents_and_case():
    labels = [
        "van der Berg (2020)",
        "Łukasik (2019)",
        "Smith (2019)",
        "Lee (2018)",
        "Müller (2021)",
    ]
    assert sorted(labels, key=sort_key) == [
        "Lee (2018)",
        "Łukasik (2019)",
        "Müller (2021)",
        "Smith (2019)",
        "van der Berg (2020)",
    ]


def test_accented_initials_are_not_part_of_the_surname_in_labels_or_keys():
    labels = citation_labels(
        [
            study("S-1", "Durand, Émile", "2019"),
            study("S-2", "Öztürk, Ö.", "2020"),
            study("S-3", "Lindqvist, Åsa; Nowak, Łukasz", "2020"),
            study("S-4", "Ó Briain, Áine; Zhang, Wei; Lee, Eun", "2021"),
            study("S-5", "Durand ÉM", "2018"),  # MEDLINE "Surname AB"
            study("S-6", "Áine Ó Briain", "2017"),  # "Given Surname", an Irish particle
            study("S-7", "Öztürk ÖZ; Ångström, Å.", "2016"),
        ]
    )
    assert labels == {
        "S-1": "Durand (2019)",
        "S-2": "Öztürk (2020)",
        "S-3": "Lindqvist & Nowak (2020)",
        "S-4": "Ó Briain et al. (2021)",
        "S-5": "Durand (2018)",
        "S-6": "Ó Briain (2017)",
        "S-7": "Öztürk & Ångström (2016)",
    }
    keys = citation_keys(labels)
    assert (keys["S-2"], keys["S-3"], keys["S-4"]) == (
        "Ozturk2020",
        "LindqvistNowak2020",
        "OBriainEtAl2021",
    )


def test_keys_keep_letters_that_have_no_accent_to_drop():
    # "Østergaard (2020)" gave the key "stergaard2020", "Đorđević" gave "orevic2020"
    assert citation_key("Østergaard (2020)") == "Ostergaard2020"
    assert citation_key("Đorđević & Łuczak (2019)") == "DordevicLuczak2019"
