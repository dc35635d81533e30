"""Matching keys: different exports of one article give the same keys."""

from __future__ import annotations

import pytest

from prismake.dedupe.normalise import (
    author_surnames,
    first_surname,
    journal_key,
    journal_words,
    page_range,
    section_pages,
    series_number,
    title_key,
    title_parts,
)
from prismake.dedupe.venues import abbreviates


def test_title_case_accents_and_trailing_period_do_not_matter():
    assert title_key("Étude of Café Workers.") == title_key("etude of cafe workers")


def test_title_html_and_latex_markup_is_dropped():
    assert title_key("Effects of <i>E. coli</i> &amp; salt") == title_key(
        "Effects of E. coli & salt"
    )
    assert title_key(r"A study of {\"o}sterreich \textit{cells}") == title_key(
        "A study of osterreich cells"
    )


def test_bracketed_translation_note_and_translated_title_brackets_are_dropped():
    plain = title_key("Efficacy of batroxobin for vascular cognitive impairment")
    assert title_key("Efficacy of batroxobin for vascular cognitive impairment. [Chinese]") == plain
    assert title_key("[Efficacy of batroxobin for vascular cognitive impairment]") == plain


def test_medline_annotations_do_not_change_the_title():
    plain = title_key("Colposcopy to evaluate abnormal cervical cytology in 2008")
    noted = "Colposcopy to evaluate abnormal cervical cytology in 2008. [Review] [57 refs]"
    erratum_note = (
        "Colposcopy to evaluate abnormal cervical cytology in 2008.[Erratum appears in "
        "Am J Obstet. 2009 Oct;37(2):137]"
    )
    assert title_key(noted) == plain
    assert title_parts(erratum_note) == (plain, "")


def test_an_erratum_is_recognised_as_a_notice_with_the_original_title():
    key, notice = title_parts("Erratum: Dynamics of HPV16 DNA load")
    assert (key, notice) == (title_key("Dynamics of HPV16 DNA load"), "erratum")
    assert title_parts("Long-term effect of eculizumab (vol 85, pg 553, 2010)")[1] == "erratum"
    assert title_parts("Retraction notice: Something about cells")[1] == "retraction"
    assert title_parts("Comment on: a trial of aspirin")[1] == "comment"
    assert title_parts("Response to treatment in asthma")[1] == ""


def test_number_groups_are_written_one_way():
    assert title_key("a study of 10 000 women") == title_key("A study of 10,000 women")


def test_authors_in_every_export_format_give_the_same_surnames():
    expected = ["smith", "garcia", "vanderberg"]
    assert author_surnames("Smith, John A.; García, M.; Vanderberg, K") == expected
    assert author_surnames("Smith JA; Garcia M; Vanderberg K") == expected
    assert author_surnames("J. A. Smith and M. García and K. Vanderberg") == expected
    assert author_surnames("Smith, J.; et al.") == ["smith"]
    assert first_surname("Smith JA; Garcia M") == "smith"


def test_journal_abbreviation_matches_its_full_name():
    assert journal_key("Nat Rev Nephrol") == journal_key("Nature Reviews Nephrology")
    short, full = (
        journal_words("Dtsch Med Wochenschr"),
        journal_words("Deutsche Medizinische Wochenschrift"),
    )
    assert abbreviates(short, full)
    assert not abbreviates(journal_words("Lancet Oncol"), journal_words("Clinical Cancer Research"))


def test_abbreviated_page_ranges_are_expanded():
    assert page_range("73-6") == page_range("73-76") == ("73", "76")
    assert page_range("376 -- 383") == ("376", "383")
    assert page_range("187\u2010192") == page_range("187-92") == ("187", "192")
    assert page_range("532, 534-536") == ("532", "")
    assert page_range("e12724") == ("", "")  # an article number is not a page


def test_part_and_series_numbers_are_read_in_any_notation():
    assert series_number(title_key("Asthma care, Part 2: adults")) == "2"
    assert series_number(title_key("Asthma care. Part II")) == "2"
    assert series_number(title_key("Asthma care")) == ""


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("c37-c42", ("c", "37-42")),  # Karger's Nephron Clinical Practice section
        ("37-42", ("", "37-42")),
        ("E203-E206", ("e", "203-206")),
        ("742-8; discussion 748-9", ("", "742-748")),
        ("c37-e42", ("", "")),  # two letters: not one section's pages
        ("c1804", ("", "")),  # BMJ's article number, not page 1804
        ("63", ("", "")),
        ("Suppl-29", ("", "")),
    ],
)
def test_section_pages_reads_a_letter_before_both_numbers(pages, expected):
    assert section_pages(pages) == expected
    if expected[0]:  # the letter stays: "c37" and "e37" are not one page of a volume
        assert page_range(pages) == ("", "")
