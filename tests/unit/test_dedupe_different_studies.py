"""Two different studies that look alike must stay two, above all when one record lacks the
fields that tell them apart (an ahead-of-print record without volume, pages or DOI).

Each case takes a real pattern of the literature (two studies by one team under titles one
word apart, a letter or reply titled after the article, a Cochrane protocol and its review,
sister journals, editorials of one volume) and removes from one record what an export
often leaves out. The companion cases check that the ways two exports of one title differ
(spelling, a typo, a title cut short, a qualifier a database adds to a journal's name)
still merge.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_dedupe_vetoes import BASE, studies_of

from prismake.dedupe import find_studies
from prismake.dedupe.normalise import title_parts

# what an ahead-of-print record, or a terse export, lacks
NO_PLACE = {"volume": "", "issue": "", "pages": "", "doi": "", "abstract": ""}
TITLE = "Early mobilisation and recovery in {} after stroke: a randomised trial"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("children", "adults"),
        ("men", "women"),
        ("patients with diabetes", "patients without diabetes"),
        ("hypertensive patients", "hypotensive patients"),
        ("preoperative patients", "postoperative patients"),
        ("intranasal sedation", "intravenous sedation"),
        ("escitalopram users", "citalopram users"),
        ("primary care", "secondary care"),
        ("short-term care", "long-term care"),
    ],
)
def test_titles_one_word_of_substance_apart_are_two_studies(one, other):
    a, b = studies_of(
        {"title": TITLE.format(one), "doi": ""}, {"title": TITLE.format(other), **NO_PLACE}
    )
    assert a != b


def test_a_non_randomised_study_is_not_the_randomised_one():
    title = BASE["title"].replace("a randomised", "a non-randomised")
    a, b = studies_of({"doi": ""}, {"title": title, **NO_PLACE})
    assert a != b


@pytest.mark.parametrize(
    "title",
    [
        BASE["title"].replace("randomised", "randomized"),  # American spelling
        BASE["title"].replace("recovery", "recovry"),  # a typo
        BASE["title"].replace("mobilisation", "mobilisations"),  # a plural
        BASE["title"][:-7],  # cut short inside its last word
        BASE["title"].replace("after stroke", "afterstroke"),  # two words run together
        BASE["title"].upper(),
    ],
)
def test_one_title_written_two_ways_is_still_one_study(title):
    a, b = studies_of({"doi": ""}, {"title": title, **NO_PLACE})
    assert a == b


@pytest.mark.parametrize(
    "title",
    [
        "Re: " + BASE["title"],
        "Response to: " + BASE["title"],
        "In response to: " + BASE["title"],
        "Response: Commentary: " + BASE["title"],
        "Commentary: " + BASE["title"],
        "Letter: " + BASE["title"],
        "Comments on: " + BASE["title"],
        "Correspondence: " + BASE["title"],
        "Addendum: " + BASE["title"],
        "Expression of concern: " + BASE["title"],
        f'Letter to the editor regarding "{BASE["title"]}"',
        BASE["title"] + ": erratum",
        BASE["title"] + " - corrigendum",
        BASE["title"] + " [Erratum]",
        # the prefix word without its colon: a letter beside the title that follows it
        "Re " + BASE["title"],
        "RE " + BASE["title"],
        "Re. " + BASE["title"],
        f'Re "{BASE["title"]}"',
        "Response to " + BASE["title"],
        "Response " + BASE["title"],
    ],
)
def test_a_letter_reply_or_notice_titled_after_the_article_stays_apart(title):
    # the authors' reply has the article's authors; the notice no volume or pages
    a, b = studies_of({"doi": ""}, {"title": title, **NO_PLACE})
    assert a != b


@pytest.mark.parametrize(
    "title",
    [
        "Response to treatment after stroke: early mobilisation and recovery in a trial",
        "Comment on the role of early mobilisation after stroke",
        "Retracted: " + BASE["title"],
    ],
)
def test_titles_that_only_start_like_a_notice_word_are_read_as_written(title):
    key, notice = title_parts(title)
    if title.startswith(("Response to treatment",)):
        assert notice == "" and key.startswith("response to treatment")
    else:
        assert notice != ""


@pytest.mark.parametrize(
    "title",
    [
        "Reassessing early mobilisation and recovery after stroke: a randomised trial",
        "Re-evaluation of early mobilisation and recovery after stroke: a randomised trial",
        "Rehabilitation with early mobilisation after stroke: a randomised trial",
        "Response to early mobilisation after stroke: a randomised trial of recovery",
    ],
)
def test_a_title_that_starts_like_re_is_no_letter_beside_its_own_export(title):
    assert title_parts(title)[1] == ""
    a, b = studies_of({"title": title, "doi": ""}, {"title": title.upper(), **NO_PLACE})
    assert a == b


def test_one_letter_exported_with_and_without_the_colon_of_its_re_is_one_letter():
    letter = {"title": "Re: " + BASE["title"], "authors": "Brown, Peter", "doi": ""}
    a, b, c = studies_of(
        letter, {**letter, "title": "Re " + BASE["title"], **NO_PLACE}, {"doi": ""}
    )
    assert a == b != c


def test_an_article_marked_retracted_or_withdrawn_is_the_article_under_its_own_doi():
    # Elsevier titles the retracted article "RETRACTED: ...", Cochrane a withdrawn review
    # "WITHDRAWN: ...", both under the article's DOI; a notice so titled has its own DOI
    for mark in ("RETRACTED: ", "RETRACTED ARTICLE: ", "WITHDRAWN: "):
        same = studies_of({}, {"title": mark + BASE["title"]})
        assert same[0] == same[1], mark
    notice = studies_of({}, {"title": "Retracted: " + BASE["title"], "doi": "10.1000/jsr.r1"})
    assert notice[0] != notice[1]


COCHRANE = {
    "title": "Exercise for preventing falls in older people living in the community",
    "journal": "Cochrane Database of Systematic Reviews",
    "volume": "",
    "pages": "CD012345",
    "abstract": "",
}


def test_a_cochrane_protocol_and_its_review_or_update_are_different_reports():
    protocol = {**COCHRANE, "year": "2018", "issue": "3", "doi": "10.1002/14651858.CD012345"}
    review = {**COCHRANE, "year": "2019", "issue": "11", "doi": "10.1002/14651858.CD012345.pub2"}
    update = {**review, "year": "2020", "issue": "1", "doi": "10.1002/14651858.CD012345.pub3"}
    a, b, c = studies_of(protocol, review, update)
    assert len({a, b, c}) == 3
    # without DOIs, the two issues of two years still tell them apart
    a, b = studies_of({**protocol, "doi": ""}, {**review, "doi": ""})
    assert a != b


def test_a_doi_with_a_version_tail_names_another_version():
    first = "10.12688/f1000research.7035"
    a, b = studies_of({"doi": first}, {"doi": first + ".v2", "pages": ""})
    assert a != b


ADC = "Archives of Disease in Childhood"


@pytest.mark.parametrize(
    ("journal", "sister"),
    [
        ("Blood", "Blood Advances"),
        ("JAMA", "JAMA Oncology"),
        ("The Lancet", "Lancet Oncology"),
        ("BMJ", "BMJ Open"),
        # the family's name, a colon and a subject: another journal, not a subtitle
        ("Neurology", "Neurology: Clinical Practice"),
        ("Neurology", "Neurology: Genetics"),
        ("Circulation", "Circulation: Heart Failure"),
        ("JACC: Cardiovascular Imaging", "JACC"),
        ("Circulation", "Circulation. Heart failure"),  # MEDLINE writes a full stop
        # ... or a dash: Web of Science a hyphen without spaces, other exports " - "
        ("Psychiatry Research", "Psychiatry Research-Neuroimaging"),
        ("Psychiatry Research", "Psychiatry Research - Neuroimaging"),
        ("Science China", "Science China-Life Sciences"),
        ("Nephron", "Nephron - Clinical Practice."),
        ("Sports Medicine", "Sports medicine - open"),
        ("European Heart Journal", "European Heart Journal - Cardiovascular Imaging"),
        ("Circulation", "CIRCULATION-HEART FAILURE"),
        ("Journal of Neurosurgery-Spine", "Journal of Neurosurgery-Pediatrics"),
        ("Neuro-Oncology", "Neuro-Oncology Practice"),
        ("Endocrine", "Endocrine-Related Cancer"),
        # an edition, a section or a series of the family is another journal
        (ADC, f"{ADC}: Fetal and Neonatal Edition"),
        (ADC, f"{ADC.lower()}. Fetal and neonatal edition"),
        (ADC, f"{ADC.upper()}-FETAL AND NEONATAL EDITION"),
        ("Psychiatry Research", "Psychiatry Research: Neuroimaging Section"),
    ],
)
def test_one_title_in_two_journals_of_a_family_is_two_reports(journal, sister):
    a, b = studies_of({"journal": journal, "doi": ""}, {"journal": sister, **NO_PLACE})
    assert a != b


@pytest.mark.parametrize(
    ("journal", "as_exported"),
    [
        ("BMJ", "BMJ (Clinical research ed.)"),
        ("Stroke", "Stroke; a journal of cerebral circulation"),
        (
            "Journal of Clinical Oncology",
            "Journal of clinical oncology : official journal of the American Society of "
            "Clinical Oncology",
        ),
        (
            "Proceedings of the National Academy of Sciences",
            "Proceedings of the National Academy of Sciences of the United States of America",
        ),
        ("MIS Quarterly", "MIS Quarterly: Management Information Systems"),
        ("BMJ", "BMJ-BRITISH MEDICAL JOURNAL"),  # Web of Science
        ("Circulation: Heart Failure", "Circulation. Heart failure"),  # MEDLINE
        ("Journal of Alzheimer's Disease", "J Alzheimers Dis"),
        # a subtitle after the colon: an article, what the journal is, or its initials
        ("Brain", "Brain: A Journal of Neurology"),
        ("JAMA", "JAMA: the journal of the American Medical Association"),
        (
            "Disability and Rehabilitation",
            "Disability and Rehabilitation: An International, Multidisciplinary Journal",
        ),
        ("Epigenetics", "Epigenetics: Official Journal of the DNA Methylation Society"),
        (
            "Journal of the Peripheral Nervous System",
            "Journal of the peripheral nervous system : JPNS",
        ),
        (
            "Asian Pacific Journal of Cancer Prevention",
            "Asian Pacific Journal of Cancer Prevention: Apjcp",
        ),
        (
            "Computer Supported Cooperative Work",
            "Computer Supported Cooperative Work: CSCW: An International Journal",
        ),
        (
            "International Journal of Cancer",
            "International journal of cancer. Journal international du cancer",
        ),
        # ... and after a dash: a subtitle, a translation, a city, the part's subject
        ("JAMA", "JAMA - Journal of the American Medical Association"),
        ("Chemistry", "CHEMISTRY-A EUROPEAN JOURNAL"),
        ("Haematologica", "Haematologica-the Hematology Journal"),
        ("Pflugers Archiv", "PFLUGERS ARCHIV-EUROPEAN JOURNAL OF PHYSIOLOGY"),
        ("Rinsho Ketsueki", "Rinsho Ketsueki - Japanese Journal of Clinical Hematology"),
        ("Journal of Psychopathology", "Journal of Psychopathology-Giornale Di Psicopatologia"),
        ("European Surgery", "European Surgery - Acta Chirurgica Austriaca"),
        ("Journal of Molecular Medicine", "Journal of Molecular Medicine-Jmm"),
        ("Applied Sciences", "APPLIED SCIENCES-BASEL"),
        ("Journal of Physiology", "JOURNAL OF PHYSIOLOGY-LONDON"),
        ("Medicina", "Medicina-Buenos Aires"),
        (
            "Journal of the Royal Statistical Society Series C",
            "Journal of the Royal Statistical Society Series C-Applied Statistics",
        ),
        ("Frontiers in bioscience (Landmark edition)", "Frontiers in Bioscience-Landmark"),
        ("Psychiatry Research: Neuroimaging", "PSYCHIATRY RESEARCH-NEUROIMAGING"),
        # a hyphen inside a word, or for every space of an abbreviation
        (
            "European Journal of Cardio-Thoracic Surgery",
            "European journal of cardio-thoracic surgery : official journal of the European "
            "Association for Cardio-thoracic Surgery",
        ),
        ("Breast Cancer Research and Treatment", "Breast-Cancer-Res-Treat"),
        # words more that say what the journal is or whose, without a colon or a dash
        ("CMAJ", "CMAJ Canadian Medical Association Journal"),
        ("Acta Paediatrica", "Acta Paediatrica, International Journal of Paediatrics"),
        (
            "American journal of physical medicine & rehabilitation",
            "American journal of physical medicine & rehabilitation / Association of "
            "Academic Physiatrists",
        ),
    ],
)
def test_a_journal_name_with_what_a_database_adds_is_one_journal(journal, as_exported):
    a, b = studies_of({"journal": journal, "doi": ""}, {"journal": as_exported, **NO_PLACE})
    assert a == b


def test_a_sister_journal_named_by_its_family_alone_is_one_article_with_its_doi_or_place():
    """A database may give "Neurology" for an article of "Neurology: Clinical Practice":
    the same DOI, or the same volume and pages, still make one article."""
    sister = {"journal": "Neurology: Clinical Practice"}
    a, b = studies_of(sister, {"journal": "Neurology", "volume": "", "issue": "", "pages": ""})
    assert a == b
    a, b = studies_of({**sister, "doi": ""}, {"journal": "Neurology", "doi": ""})
    assert a == b


def test_a_section_letter_one_export_drops_from_the_pages_still_places_the_article():
    """Karger printed Nephron's Clinical Practice section on pages "c37-c42"; one database
    gives "Nephron", pages "c37-c42", another "Nephron - Clinical Practice", pages
    "37-42" (the labelled haematology set): one article by its place. Another section's
    letter ("e37-e42", Experimental Nephrology) is other pages: two reports."""
    nephron = {"journal": "Nephron", "volume": "118", "pages": "c37-c42", "doi": ""}
    clinical = {**nephron, "journal": "Nephron - Clinical Practice.", "pages": "37-42"}
    a, b = studies_of(nephron, clinical)
    assert a == b
    experimental = {**nephron, "journal": "Nephron - Experimental Nephrology"}
    a, b = studies_of(
        {**nephron, "journal": "Nephron - Clinical Practice."},
        {**experimental, "pages": "e37-e42", "abstract": ""},
    )
    assert a != b


@pytest.mark.parametrize("title", ["Editorial", "Introduction", "Editor's note"])
def test_editorials_of_one_volume_need_their_issue_or_pages_to_be_one(title):
    editorial = {"title": title, "authors": "Zwass, Vladimir", "doi": "", "abstract": ""}
    a, b, c = studies_of(
        {**editorial, "issue": "1", "pages": "1-3"},
        {**editorial, "issue": "2", "pages": "1-2"},
        {**editorial, "issue": "", "pages": ""},
    )
    assert a != b
    assert c not in (a, b)  # which one it is, nothing says


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("First report: " + BASE["title"], "Second report: " + BASE["title"]),
        (BASE["title"] + " (I)", BASE["title"] + " (II)"),
        (BASE["title"] + ": Part 1", BASE["title"]),
    ],
)
def test_parts_of_a_series_stay_apart_when_one_lacks_its_place(one, other):
    a, b = studies_of({"title": one, "doi": ""}, {"title": other, **NO_PLACE})
    assert a != b


def test_a_record_without_its_place_does_not_chain_an_abstract_to_the_later_article():
    """A meeting abstract (2010, 116(21):280-281) and the article (2011, 117(25):6786-6792)
    score apart; a third record of the article without volume or pages matches both. It
    must not put the abstract in the article's study, and the refused merge is shown."""
    title = "Long-term treatment with eculizumab in paroxysmal nocturnal hemoglobinuria"
    common = {"title": title, "authors": "Kelly, R.; Hill, A.; Arnold, L.", "journal": "Blood"}
    rows = [
        {**common, "record_id": "embase-1", "search": "embase", "year": "2010",
         "volume": "116", "issue": "21", "pages": "280-281"},
        {**common, "record_id": "medline-2", "search": "medline", "year": "2011",
         "volume": "117", "issue": "25", "pages": "6786-6792"},
        {**common, "record_id": "scopus-3", "search": "scopus", "year": "2011"},
    ]  # fmt: skip
    frame = pd.DataFrame(rows).fillna("")
    result = find_studies(frame, {"embase": 0, "medline": 1, "scopus": 2})
    study = dict(zip(result.table.record_id, result.study_ids, strict=True))
    assert study["embase-1"] != study["medline-2"]
    assert study["medline-2"] == study["scopus-3"]
    assert any(why == "chain: apart" for _, _, why in result.grouping.refused)


def test_one_doi_on_the_same_pages_is_one_article_whatever_numbers_its_titles_write():
    covid = "Early mobilisation after stroke during COVID-19: a randomised trial"
    a, b = studies_of({"title": covid}, {"title": covid.replace("COVID-19", "2019-nCoV")})
    assert a == b
    # ... but two DOIs (or none) keep those numbers apart
    a, b = studies_of({"title": covid, "doi": ""}, {"title": covid.replace("19", "20"), **NO_PLACE})
    assert a != b


def test_an_online_first_record_joins_its_print_record_and_a_third_export():
    """Ahead of print (a year earlier, no volume or pages) and two exports of the print
    record: one study of three, not a chain refused for the year."""
    title = "Plasma phosphorylated tau 217 and amyloid PET in a memory clinic cohort"
    common = {"title": title, "authors": "Smith, John; Jones, Anna", "doi": "", "abstract": ""}
    ids = studies_of(
        {**common, "year": "2020", "journal": "J Alzheimers Dis", "volume": "75",
         "issue": "2", "pages": "401-410"},
        {**common, "year": "2019", "journal": "Journal of Alzheimer's Disease", "volume": "",
         "issue": "", "pages": ""},
        {**common, "year": "2020", "journal": "Journal of Alzheimer's Disease", "volume": "75",
         "issue": "2", "pages": "401-10"},
    )  # fmt: skip
    assert len(set(ids)) == 1


@pytest.mark.parametrize(
    "written", ["Role of NF-kB signalling in sepsis", "Role of NF-?B signalling in sepsis"]
)
def test_a_greek_letter_written_as_a_latin_one_is_one_title(written):
    title = "Role of NF-\u03baB signalling in sepsis-induced myocardial dysfunction in mice"
    other = written + "-induced myocardial dysfunction in mice"
    a, b = studies_of({"title": title, "doi": ""}, {"title": other, **NO_PLACE})
    assert a == b


def test_a_commentary_titled_with_its_type_by_one_database_is_itself_under_one_doi():
    doi = {"doi": "10.3389/fneur.2020.00999"}
    a, b = studies_of({**doi}, {**doi, "title": "Commentary: " + BASE["title"], "pages": ""})
    assert a == b


def test_an_article_number_stands_for_pages():
    """Scopus gives an e-locator in its own column: two article numbers of one volume are
    two articles, as two page ranges are."""
    common = {"doi": "", "pages": "", "abstract": "", "volume": "14", "issue": "5"}
    a, b = studies_of(
        {**common, "article_number": "e008123"}, {**common, "article_number": "e008456"}
    )
    assert a != b
    a, b = studies_of({**common, "article_number": "e008123"}, {**common, "pages": "e008123"})
    assert a == b


def test_one_title_in_british_and_american_spelling_is_one_study():
    british = "Sulphonylureas versus metformin in paediatric oesophageal tumours: centres"
    american = "Sulfonylureas vs. metformin in pediatric esophageal tumors: centers"
    a, b = studies_of({"title": british, "doi": ""}, {"title": american, **NO_PLACE})
    assert a == b


def test_the_evidence_of_a_notice_kept_apart_names_both_kinds():
    rows = [
        {**BASE, "record_id": "a-1", "search": "a", "doi": ""},
        {**BASE, "record_id": "b-2", "search": "b", "doi": "", "title": "Re: " + BASE["title"]},
    ]
    result = find_studies(pd.DataFrame(rows), {"a": 0, "b": 1})
    assert "a notice vs another record (article / reply)" in result.pairs.evidence[0]


TRIAL = "A randomised controlled trial of home-based exercise for older adults with COPD"


@pytest.mark.parametrize(
    "other",
    [
        "Secondary analysis of a randomised controlled trial of home-based exercise for "
        "older adults with COPD",
        "A pilot randomised controlled trial of home-based exercise for older adults with COPD",
        TRIAL + ": study protocol",
        TRIAL + ": 5-year follow-up",
        "Rationale and design of a randomised controlled trial of home-based exercise for "
        "older adults with COPD",
        "Executive summary of a randomised controlled trial of home-based exercise for "
        "older adults with COPD",
    ],
)
def test_another_report_of_one_trial_named_by_a_word_in_one_title_stays_apart(other):
    a, b = studies_of({"title": TRIAL, "doi": ""}, {"title": other, **NO_PLACE})
    assert a != b


def test_a_word_swapped_for_one_the_title_already_holds_is_seen():
    title = "Consensus statement on the diagnosis and management of encephalitis in children"
    a, b = studies_of(
        {"title": title + ": diagnosis", "doi": ""},
        {"title": title + ": management", **NO_PLACE},
    )
    assert a != b


def test_two_cochrane_review_numbers_in_one_issue_are_two_reviews():
    cochrane = {**COCHRANE, "year": "2018", "volume": "", "issue": "9", "doi": ""}
    a, b = studies_of({**cochrane, "pages": "CD003968"}, {**cochrane, "pages": "CD003969"})
    assert a != b


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Seroprevalence of SARS-CoV-2 antibodies in school children and their teachers",
         "Seroprevalence of SARS-CoV2 antibodies in school children and their teachers"),
        ("Type II diabetes in adolescents: a cohort study of risk factors in schools",
         "Type 2 diabetes in adolescents: a cohort study of risk factors in schools"),
    ],
)  # fmt: skip
def test_an_identifier_written_two_ways_one_year_apart_is_one_study(one, other):
    a, b = studies_of(
        {"title": one, "doi": "", "year": "2021"},
        {"title": other, **NO_PLACE, "year": "2020"},
    )
    assert a == b


def test_one_journal_written_with_a_hyphen_by_one_database_is_no_sister():
    a, b = studies_of(
        {"journal": "Science China Information Sciences", "doi": ""},
        {"journal": "Science China-Information Sciences", **NO_PLACE},
    )
    assert a == b


def test_a_meeting_abstract_known_by_its_number_is_not_the_article_of_its_volume():
    a, b = studies_of(
        {"doi": "", "pages": "1001-1010"},
        {"doi": "", "pages": "Abstract 1234", "issue": "", "abstract": ""},
    )
    assert a != b
