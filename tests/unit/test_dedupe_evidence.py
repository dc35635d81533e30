"""What counts as evidence (issue 13): each class of error seen on unseen review data,
built from records written here the way real exports write them."""

from __future__ import annotations

import pandas as pd

from prismake.dedupe import find_studies
from prismake.dedupe.normalise import author_surnames, venue_kind
from prismake.dedupe.venues import page_span
from prismake.records import normalise_authors


def studies(*records: dict[str, str]) -> list[str]:
    rows = [
        {"record_id": f"db{k}-r{k}", "search": f"db{k}", **record}
        for k, record in enumerate(records)
    ]
    frame = pd.DataFrame(rows).fillna("")
    return list(find_studies(frame, {f"db{k}": k for k in range(len(rows))}).study_ids)


VALVE = {
    "title": "Aortic valve replacement in octogenarians: early and late results",
    "authors": "Kolh, P.; Kerzmann, A.; Lahaye, L.; Gerard, P.; Limet, R.",
    "year": "2001",
    "journal": "Annals of Thoracic Surgery",
    "volume": "71",
    "issue": "5",
    "pages": "1520-1525",
    "type": "Journal Article",
}


def test_a_percent_encoded_doi_url_matches_the_bare_doi():
    a, b = studies(
        {**VALVE, "doi": "10.1016/s0003-4975(00)02148-2"},
        {
            **VALVE,
            "journal": "Ann Thorac Surg",
            "pages": "1520-5",
            "doi": "http://dx.doi.org/10.1016/S0003-4975%2800%2902148-2",
        },
    )
    assert a == b


def test_a_malformed_doi_on_one_record_of_one_citation_is_weak_evidence():
    article = {
        "title": "Sex differences in the association of waist circumference with mortality",
        "authors": "Cerhan, J. R.; Moore, S. C.; Jacobs, E. J.",
        "year": "2014",
        "journal": "Journal of the American Heart Association",
        "volume": "3",
        "issue": "2",
        "pages": "e000457",
    }
    a, b = studies(
        {**article, "doi": "10.1161/JAHA.113.000457"},
        {**article, "doi": "10.1161/JAHA.e000457", "journal": "J Am Heart Assoc"},
    )
    assert a == b


SUPPLEMENT = {
    "authors": "Meyer, K.; Tanaka, H.",
    "year": "2016",
    "journal": "European Heart Journal",
    "volume": "37",
    "issue": "Suppl 1",
    "doi": "10.1093/eurheartj/ehw433",  # the supplement's DOI, on every abstract in it
    "type": "Conference Abstract",
}


def test_abstracts_sharing_a_supplement_doi_stay_apart():
    ids = studies(
        {**SUPPLEMENT, "title": "Left atrial strain predicts atrial fibrillation", "pages": "P512"},
        {**SUPPLEMENT, "title": "Left atrial strain predicts stroke in AF", "pages": "P988"},
        {**SUPPLEMENT, "title": "Statin loading before PCI in diabetes", "pages": "1202"},
    )
    assert len(set(ids)) == 3


def test_a_conference_abstract_and_the_later_article_stay_apart():
    work = {
        "title": "Dapagliflozin lowers glycated haemoglobin in adolescents with type 2 diabetes",
        "authors": "Laffel, L.; Tamborlane, W. V.; Yver, A.",
    }
    a, b = studies(
        {
            **work,
            "year": "2017",
            "journal": "Diabetologia",
            "volume": "1)",  # what an export left of "60 (Suppl 1)"
            "pages": "S88",
            "type": "Journal Article",  # Embase calls abstracts articles
        },
        {
            **work,
            "year": "2017",
            "journal": "Diabetologia",
            "volume": "60",
            "issue": "9",
            "pages": "1781-1790",
            "type": "Journal Article",
        },
    )
    assert a != b


def test_an_abstract_in_a_supplement_issue_and_the_article_in_that_volume_stay_apart():
    work = {
        "title": "Dapagliflozin lowers glycated haemoglobin in adolescents with type 2 diabetes",
        "authors": "Laffel, L.; Tamborlane, W. V.; Yver, A.",
        "year": "2017",
        "journal": "Diabetologia",
        "volume": "60",
    }
    a, b = studies(
        {**work, "issue": "Suppl 1", "pages": "S88"},
        {**work, "issue": "9", "pages": "1781-90"},
    )
    assert a != b


def test_one_abstract_exported_twice_is_still_one_study():
    abstract = {
        "title": "Dapagliflozin lowers glycated haemoglobin in adolescents with type 2 diabetes",
        "authors": "Laffel, L.; Tamborlane, W. V.; Yver, A.",
        "year": "2017",
        "journal": "Diabetologia",
        "volume": "60",
        "issue": "Suppl 1",
        "pages": "S88",
    }
    a, b = studies(abstract, {**abstract, "issue": "1 Supplement 1", "pages": "S88-S89"})
    assert a == b


def test_an_article_printed_in_a_supplement_matches_its_other_export():
    article = {
        "title": "Validation of high-risk HPV tests for primary cervical screening",
        "authors": "Meijer, C. J.; Berkhof, H.; Heideman, D. A.",
        "year": "2009",
        "journal": "Journal of Clinical Virology",
        "volume": "46",
    }
    a, b = studies({**article, "pages": "S1-S4"}, {**article, "pages": "Suppl-4"})
    assert a == b


def test_one_study_presented_at_two_meetings_is_two_reports():
    work = {
        "title": "Insulin degludec versus glargine in type 1 diabetes: the SWITCH 1 trial",
        "authors": "Lane, W.; Bailey, T. S.; Gerety, G.",
        "year": "2016",
    }
    a, b = studies(
        {**work, "journal": "Diabetologia", "volume": "59", "issue": "Suppl 1", "pages": "S354"},
        {**work, "journal": "Diabetes", "volume": "65", "issue": "Suppl 1", "pages": "A111"},
    )
    assert a != b


def test_short_titles_that_differ_in_their_last_word_with_one_author_stay_apart():
    a, b = studies(
        {"title": "Plasmid construct pGL3-hTERT-Luc", "authors": "Okamoto, R.", "year": "2010"},
        {"title": "Plasmid construct pGL3-hTERT-Ren", "authors": "Okamoto, R.", "year": "2010"},
    )
    assert a != b


def test_authors_written_without_separators_are_split_into_people():
    glued = "Wang G. Y.Wu S.Pei J. M.Van Der Berg A."
    assert author_surnames(glued) == ["wang", "wu", "pei", "vanderberg"]
    assert normalise_authors(glued) == "Wang GY; Wu S; Pei JM; Van Der Berg A"


def test_a_record_with_glued_authors_matches_its_other_export():
    article = {
        "title": "Resting-state connectivity of the default mode network in insomnia",
        "year": "2015",
        "journal": "Sleep Medicine",
        "volume": "16",
        "pages": "71-78",
    }
    a, b = studies(
        {**article, "authors": "Wang G. Y.Wu S.Pei J. M."},
        {**article, "authors": "Wang, Guo-Ying; Wu, Sheng; Pei, Jian-Min", "journal": "Sleep Med"},
    )
    assert a == b


def test_a_proceedings_paper_paginated_differently_by_two_databases_is_one_study():
    paper = {
        "title": "Trust in online marketplaces: a field experiment with small sellers",
        "authors": "Kim, Hyun; Gupta, Anil; Berger, Lena",
        "year": "2014",
        "booktitle": "Proceedings of the 47th Hawaii International Conference on System Sciences",
        "type": "Conference Paper",
    }
    a, b = studies({**paper, "pages": "3012-3021"}, {**paper, "pages": "1-10"})
    assert a == b


PNAS = {
    "title": "Gain-of-function mutations in complement factor B cause atypical haemolytic uraemia",
    "authors": "Goicoechea de Jorge, E.; Harris, C. L.; Esparza-Gordillo, J.",
    "year": "2007",
    "volume": "104",
    "issue": "1",
    "pages": "240-245",
    "type": "Journal Article",
}


def test_a_journal_named_proceedings_is_not_a_meeting():
    """PNAS written out and abbreviated are one journal, not a meeting vs a journal."""
    a, b = studies(
        {
            **PNAS,
            "journal": "Proceedings of the National Academy of Sciences "
            "of the United States of America",
        },
        {**PNAS, "journal": "Proc Natl Acad Sci USA", "pages": "240-5"},
    )
    assert a == b
    assert venue_kind("Journal Article", "Proceedings of the Royal Society B", "") == "journal"
    assert venue_kind("Journal Article", "Transplantation Proceedings", "") == "journal"


def test_numbered_proceedings_are_still_a_meeting():
    for name in (
        "Proceedings of the 21st ACM Conference on Economics and Computation",
        "Proceedings of the Twelfth Workshop on Web Search",
        "ICIS 2005 Proceedings",
        "Proceedings of the Annual Hawaii International Conference on System Sciences",
    ):
        assert venue_kind("Journal Article", name, "") == "conference", name


def test_an_abstract_in_a_proceedings_named_journal_still_stays_apart_from_the_article():
    work = {
        "title": "Gefitinib versus carboplatin-paclitaxel in EGFR-mutant pulmonary adenocarcinoma",
        "authors": "Mok, T.; Wu, Y. L.; Thongprasert, S.",
    }
    a, b = studies(
        {**work, "year": "2009", "journal": "Journal of Clinical Oncology", "volume": "27",
         "issue": "15 Suppl", "pages": "8006"},
        {**work, "year": "2009", "journal": "New England Journal of Medicine", "volume": "361",
         "issue": "10", "pages": "947-957"},
    )  # fmt: skip
    assert a != b


def test_a_doi_on_one_record_only_is_neither_for_nor_against():
    """A DOI that one export lacks neither merges nor splits: the other fields decide."""
    same = studies({**VALVE, "doi": "10.1016/s0003-4975(00)02148-2"}, {**VALVE, "doi": ""})
    assert same[0] == same[1]
    other = {
        **VALVE,
        "title": "Mitral valve repair in octogenarians: early and late results",
        "pages": "1526-1531",
    }
    apart = studies({**VALVE, "doi": "10.1016/s0003-4975(00)02148-2"}, other)
    assert apart[0] != apart[1]
    # and the same pair without any DOI is decided the same way
    assert len(set(studies(VALVE, {**VALVE}))) == 1
    assert len(set(studies(VALVE, other))) == 2


CONGRESS = {
    "title": "Eculizumab after a third kidney transplant in factor H-associated atypical HUS",
    "authors": "Davin, J. C.; Groothoff, J. W.; Bemelman, F. J.; Bouts, A. H.",
    "year": "2011",
    "volume": "15",
    "type": "Journal Article",
}


def test_one_meeting_abstract_numbered_differently_by_two_databases_is_one_study():
    """Embase gives the abstract's page, Web of Science its number: one abstract."""
    a, b = studies(
        {
            **CONGRESS,
            "journal": "Pediatric Transplantation. Conference: 6th Congress of the IPTA",
            "pages": "22",
        },
        {**CONGRESS, "journal": "Pediatric Transplantation", "pages": "52-52"},
    )
    assert a == b


def test_one_meeting_abstract_with_fields_shifted_by_the_export_is_one_study():
    """The export lost the volume: the volume sits in the issue, the issue in the pages."""
    abstract = {
        "title": "The treatment of atypical haemolytic uraemic syndrome in children",
        "authors": "Loirat, C.",
        "year": "2011",
        "journal": "Pediatric Nephrology. Conference: 44th Annual Meeting of the ESPN",
        "abstract": "Atypical HUS is a disorder of the regulation of the complement "
        "alternative pathway; plasma therapy was the first-line treatment until",
    }
    a, b = studies(
        {**abstract, "issue": "26", "pages": "9"},
        {**abstract, "volume": "26", "issue": "9", "pages": "1746-1746"},
    )
    assert a == b


def test_one_study_at_two_meetings_printed_in_one_journal_volume_is_two_reports():
    """JCO prints the abstracts of ASCO's annual meeting and of its symposia in one volume."""
    work = {**CONGRESS, "journal": "Journal of Clinical Oncology", "volume": "33"}
    a, b = studies(
        {**work, "issue": "15 Suppl", "pages": "4512"},
        {**work, "issue": "7 Suppl", "pages": "288"},
    )
    assert a != b


def test_two_abstracts_of_one_group_in_one_supplement_stay_apart():
    work = {**CONGRESS, "journal": "Pediatric Transplantation", "issue": "Suppl 1"}
    a, b = studies(
        {**work, "pages": "22"},
        {**work, "pages": "52", "title": CONGRESS["title"].replace("third", "second")},
    )
    assert a != b


def test_one_work_at_two_meetings_of_one_journal_volume_stays_apart_when_an_export_cut_the_volume():
    """Two supplements of one volume (the volume of one cut to "1)"), two printed pages
    and two first authors: two abstracts, although title and author set are the same."""
    work = {
        "title": "Prenatal alcohol exposure alters hippocampal gene methylation in mice",
        "year": "2012",
        "journal": "Alcoholism: Clinical and Experimental Research",
        "type": "Journal Article",
    }
    team = ["Zhang C.", "Ahola N.", "Maga M.", "Cox T."]
    a, b = studies(
        {**work, "authors": "".join(team), "volume": "36 (SUPPL.2)", "pages": "56A"},
        {**work, "authors": "".join(team[1:] + team[:1]), "volume": "1)", "pages": "333A"},
    )
    assert a != b
    # the same with one first author: the two printed pages still say two abstracts
    a, b = studies(
        {**work, "authors": "".join(team), "volume": "36 (SUPPL.2)", "pages": "56A"},
        {**work, "authors": "".join(team), "volume": "1)", "pages": "333A"},
    )
    assert a != b


def test_a_page_with_its_abstract_number_is_a_meeting_abstract_not_a_long_article():
    """ "389, Abstract 1355" is page 389 and abstract 1355, not pages 389 to 1355."""
    assert page_span("389, Abstract 1355") == 1
    work = {
        "title": "Randomized comparison of OK-432 and bleomycin in malignant pleural effusion",
        "authors": "Yoshida, K.; Sugiura, T.; Takifuji, N.",
    }
    a, b = studies(
        {
            **work,
            "year": "1994",
            "journal": "Proceedings of the American Society of Clinical Oncology",
            "volume": "13",
            "pages": "450, Abstract 1555",
        },
        {
            **work,
            "year": "1995",
            "journal": "Journal of Clinical Oncology",
            "volume": "13",
            "pages": "1520-1527",
            "type": "Journal Article",
        },
    )
    assert a != b


SPONSOR = {
    "title": "Vendor sponsorship and the management of outsourced software projects",
    "authors": "Lindqvist, Maja and Oduya, Peter",
    "journal": "Journal of Information Technology",
    "type": "Journal Article",
    "abstract": (
        "Sponsorship is held to be critical to the success of information systems projects, "
        "yet little is known about sponsorship on the vendor side. Drawing on twelve case "
        "studies of outsourced development, we show how vendor sponsors shape the control "
        "of scope, the escalation of risks and the resolution of conflicts with clients."
    ),
}


def test_one_text_printed_twice_by_a_journal_is_one_report():
    """A reprint gets a new DOI, volume and pages; its whole text says it is one report."""
    first, reprint = studies(
        {**SPONSOR, "year": "2009", "volume": "24", "issue": "1", "pages": "46-54",
         "doi": "10.5555/jit.2009.2"},
        {**SPONSOR, "year": "2010", "volume": "25", "issue": "1", "pages": "56-64",
         "doi": "10.5555/jit.2008.23"},
    )  # fmt: skip
    assert first == reprint


def test_two_papers_with_one_title_and_team_but_other_abstracts_stay_apart():
    """Same title, authors and journal a year apart is also how a sequel looks: the text decides."""
    follow_up = SPONSOR["abstract"].replace("twelve case studies", "a survey of 214 vendors")
    follow_up = follow_up.replace("we show how", "we test whether")
    first, second = studies(
        {**SPONSOR, "year": "2009", "volume": "24", "pages": "46-54", "doi": "10.5555/a.1"},
        {**SPONSOR, "year": "2010", "volume": "25", "pages": "56-64", "doi": "10.5555/a.2",
         "abstract": follow_up},
    )  # fmt: skip
    assert first != second


def test_one_abstract_in_two_journals_with_the_same_initials_is_two_reports():
    """ "Brain Injury" and "Brain Impairment" share initials; a page each: two meetings."""
    talk = {
        "title": "Attention training after acquired brain injury: a meta-analysis of trials",
        "authors": "Sato, F. M.; Cowan, B.; Wilde, K.",
        "type": "Journal Article",
        "abstract": SPONSOR["abstract"],
    }
    a, b = studies(
        {**talk, "journal": "Brain Injury", "year": "2012", "volume": "26", "pages": "587"},
        {**talk, "journal": "Brain Impairment", "year": "2011", "volume": "12", "pages": "51"},
    )
    assert a != b


def test_an_erratum_that_repeats_the_abstract_is_not_a_reprint():
    article = {**SPONSOR, "year": "2009", "volume": "24", "pages": "46-54", "doi": "10.5555/b.1"}
    erratum = {**article, "title": "Erratum: " + SPONSOR["title"], "pages": "200-201",
               "doi": "10.5555/b.9"}  # fmt: skip
    a, b = studies(article, erratum)
    assert a != b
