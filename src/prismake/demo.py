"""The FICTIONAL demo review: a seeded generator of its database exports and human sheets.

Everything here is made up for prismake, to show every stage on a review that looks and
behaves like a real small one (co-production between policymakers, practitioners and
service users). The same seed always gives the same bytes, so the demo can be regenerated
and tests can make more fictional exports (for example an update search).

Layers: content pools -> ``DemoStudy`` (the truth about one study, with what screening and
coding should find) -> ``DemoRecord`` (how one database shows that study, quirks included)
-> writers that render records exactly as Scopus RIS, PubMed MEDLINE, Web of Science plain
text and Zotero BibTeX files look. DOIs use the ``10.5555`` test prefix so no link in the
demo leads to a real article.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

DEMO_SEED = 2025
EXPORT_FILES = {
    "scopus": "scopus.ris",
    "pubmed": "pubmed.nbib",
    "wos": "wos.txt",
    "citations": "citation_searching.bib",
}
DATABASE_SEARCHES = ("scopus", "pubmed", "wos")
FICTIONAL = "FICTIONAL DEMO RECORD made up for prismake"
THEMES = ("culture", "expectations", "one_size", "language", "resourcing")
KINDS = ("risk", "limit", "lesson")
FT_REASONS = (
    "Not co-production",
    "Wrong participants",
    "No risks, limits or lessons reported",
    "Not a primary study",
    "Conference abstract only",
)

# ---------------------------------------------------------------------------------------
# Content pools (fictional; real journal names, test-prefix DOIs)
# ---------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Journal:
    """A journal as each database names it."""

    name: str
    abbrev: str  # PubMed TA / Scopus J2
    issn: str
    publisher: str
    doi_stem: str  # suffix stem after the 10.5555/ test prefix
    in_pubmed: bool
    article_numbers: bool = False  # BMJ Open, BMC: e0123 / 123 instead of pages
    field: str = "policy"  # policy | health | other


JOURNALS: tuple[Journal, ...] = (
    Journal(
        "Public Management Review",
        "Public Manag. Rev.",
        "1471-9037",
        "Routledge",
        "14719037",
        False,
    ),
    Journal("Evidence & Policy", "Evid. Policy", "1744-2648", "Policy Press", "ep", False),
    Journal(
        "Health Expectations", "Health Expect", "1369-6513", "Wiley", "hex", True, field="health"
    ),
    Journal("Policy & Politics", "Policy Polit.", "0305-5736", "Policy Press", "pp", False),
    Journal(
        "BMJ Open",
        "BMJ Open",
        "2044-6055",
        "BMJ Publishing Group",
        "bmjopen",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "Social Policy & Administration", "Soc. Policy Adm.", "0144-5596", "Wiley", "spol", False
    ),
    Journal(
        "Health Research Policy and Systems",
        "Health Res Policy Syst",
        "1478-4505",
        "BioMed Central",
        "s12961",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "Journal of Social Policy",
        "J. Soc. Policy",
        "0047-2794",
        "Cambridge University Press",
        "jsp",
        False,
    ),
    Journal(
        "Public Administration Review", "Public Adm. Rev.", "0033-3352", "Wiley", "puar", False
    ),
    Journal(
        "Health & Social Care in the Community",
        "Health Soc Care Community",
        "0966-0410",
        "Wiley",
        "hsc",
        True,
        field="health",
    ),
    Journal(
        "International Journal of Integrated Care",
        "Int J Integr Care",
        "1568-4156",
        "Ubiquity Press",
        "ijic",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "BMC Health Services Research",
        "BMC Health Serv Res",
        "1472-6963",
        "BioMed Central",
        "s12913",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "Journal of Mental Health",
        "J Ment Health",
        "0963-8237",
        "Taylor & Francis",
        "09638237",
        True,
        field="health",
    ),
    Journal(
        "Health Policy", "Health Policy", "0168-8510", "Elsevier", "healthpol", True, field="health"
    ),
    Journal(
        "Local Government Studies", "Local Gov. Stud.", "0300-3930", "Routledge", "03003930", False
    ),
    Journal("Critical Social Policy", "Crit. Soc. Policy", "0261-0183", "SAGE", "csp", False),
    Journal(
        "Research Involvement and Engagement",
        "Res Involv Engagem",
        "2056-7529",
        "BioMed Central",
        "s40900",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal("Disability & Society", "Disabil. Soc.", "0968-7599", "Routledge", "09687599", False),
    Journal("Housing Studies", "Hous. Stud.", "0267-3037", "Routledge", "02673037", False),
    Journal("Public Administration", "Public Adm.", "0033-3298", "Wiley", "padm", False),
    Journal(
        "Social Science & Medicine",
        "Soc Sci Med",
        "0277-9536",
        "Elsevier",
        "socscimed",
        True,
        field="health",
    ),
    Journal("Voluntas", "Voluntas", "0957-8765", "Springer", "s11266", False),
    Journal(
        "Gaceta Sanitaria", "Gac Sanit", "0213-9111", "Elsevier", "gaceta", True, field="health"
    ),
    # journals of the off-topic records a broad search also brings back
    Journal(
        "Journal of Medical Internet Research",
        "J Med Internet Res",
        "1438-8871",
        "JMIR Publications",
        "jmir",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "Trials",
        "Trials",
        "1745-6215",
        "BioMed Central",
        "s13063",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "Patient Education and Counseling",
        "Patient Educ Couns",
        "0738-3991",
        "Elsevier",
        "pec",
        True,
        field="health",
    ),
    Journal(
        "BMC Public Health",
        "BMC Public Health",
        "1471-2458",
        "BioMed Central",
        "s12889",
        True,
        article_numbers=True,
        field="health",
    ),
    Journal(
        "Journal of Advanced Nursing",
        "J Adv Nurs",
        "0309-2402",
        "Wiley",
        "jan",
        True,
        field="health",
    ),
    Journal(
        "Nurse Education Today",
        "Nurse Educ Today",
        "0260-6917",
        "Elsevier",
        "nedt",
        True,
        field="health",
    ),
    Journal(
        "Sustainability",
        "Sustainability",
        "2071-1050",
        "MDPI",
        "su",
        False,
        article_numbers=True,
        field="other",
    ),
    Journal(
        "Journal of Cleaner Production",
        "J. Clean. Prod.",
        "0959-6526",
        "Elsevier",
        "jclepro",
        False,
        article_numbers=True,
        field="other",
    ),
    Journal(
        "Bioresource Technology",
        "Bioresour. Technol.",
        "0960-8524",
        "Elsevier",
        "biortech",
        False,
        article_numbers=True,
        field="other",
    ),
    Journal(
        "Journal of Service Research",
        "J. Serv. Res.",
        "1094-6705",
        "SAGE",
        "jsr",
        False,
        field="other",
    ),
    Journal(
        "Environmental Science & Policy",
        "Environ. Sci. Policy",
        "1462-9011",
        "Elsevier",
        "envsci",
        False,
        field="other",
    ),
    Journal(
        "Tourism Management",
        "Tour. Manag.",
        "0261-5177",
        "Elsevier",
        "tourman",
        False,
        field="other",
    ),
)
_JOURNAL = {j.name: j for j in JOURNALS}
POLICY_JOURNALS = [j for j in JOURNALS[:23] if j.name != "Gaceta Sanitaria"]
HEALTH_JOURNALS = [j for j in POLICY_JOURNALS if j.field == "health"]

SURNAMES = _words(
    "Okafor Adeyemi Mensah Banda Nkosi Mwangi Haddad Nasser Karimi Farahani Yilmaz Demir "
    "Kowalczyk Nowak Novak Horvath Popescu Ionescu Petrov Ivanova Larsen Lindqvist Johansson "
    "Virtanen Korhonen Jensen Nielsen Hansen Berg Solberg Dubois Lefebvre Moreau Girard "
    "Rossi Bianchi Romano Ferrari Esposito Garcia Martinez Lopez Fernandez Sanchez Moreno "
    "Silva Santos Oliveira Costa Pereira Almeida Murphy Kelly O'Brien Walsh Byrne Campbell "
    "Robertson Stewart Thomson Evans Hughes Jones Williams Davies Patel Shah Gupta Iyer Rao "
    "Nair Chatterjee Das Khan Ahmed Hussain Rahman Chowdhury Nguyen Tran Pham Wang Li Zhang "
    "Chen Liu Tanaka Suzuki Sato Kim Park Lee Choi Cohen Levi Friedman Schmidt Muller Weber "
    "Fischer Wagner Becker Hoffmann Peeters Janssens Maes Bakker Visser Smit Mulder Brown "
    "Taylor Wilson Anderson Thompson White Harris Clarke Robinson Walker Wright Green Hall "
    "Tui Ngata Parata Whaanga Fraser MacDonald Tremblay Gagnon Roy Cote Bouchard Mahlangu "
    "Dlamini Osei Boateng Kariuki Achieng Otieno Abebe Tesfaye"
)
SURNAMES_WITH_MARKS = (
    "Müller",
    "García-López",
    "Søndergaard",
    "Núñez",
    "Ó Briain",
    "Åberg",
    "Škoda",
    "van der Berg",
    "de Souza",
    "Ferreira-Gonçalves",
    "Kühn",
    "Łukasik",
    "Çelik",
)
GIVEN = _words(
    "Amara Chinedu Kwame Thandiwe Wanjiru Layla Omid Reza Elif Mehmet Agnieszka Tomasz Petra "
    "Andrei Ioana Dmitri Olga Sofie Anders Ingrid Mikko Aino Mette Lars Kari Camille Julien "
    "Chiara Marco Giulia Lucia Javier Carmen Pablo Ana Joao Mariana Beatriz Siobhan Declan "
    "Aoife Fiona Ewan Rhys Catrin Gareth Priya Arjun Ravi Sunita Meera Imran Fatima Nadia "
    "Tanvir Linh Minh Wei Jing Hao Yuki Haruto Ji-woo Min-jun Noa Yael Hannah Lukas Anna "
    "Jan Sanne Pieter Emma Daniel Sarah Michael Rachel Thomas Laura James Claire Aroha Tama "
    "Marie-Claude Louis Sipho Nomvula Kofi Abena Wambui Selam Dawit"
)
MIDDLE = _words("A B C D E F G H J K L M N P R S T V W")

COUNTRIES = (
    # country, place phrases used in titles
    (
        "United Kingdom",
        (
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
            "three English cities",
            "a London borough",
            "Greater Manchester",
            "two Scottish health boards",
        ),
    ),
    ("Netherlands", ("the Netherlands", "Rotterdam", "Utrecht")),
    ("Denmark", ("Denmark", "Aarhus", "two Danish municipalities")),
    ("Sweden", ("Sweden", "Gothenburg", "a Swedish region")),
    ("Norway", ("Norway", "rural Norway")),
    ("Finland", ("Finland", "Helsinki")),
    ("Belgium", ("Flanders", "Brussels")),
    ("Spain", ("Catalonia", "the Basque Country")),
    ("Italy", ("Bologna", "northern Italy")),
    ("Ireland", ("Ireland", "the west of Ireland")),
    ("Canada", ("Ontario", "Quebec", "British Columbia")),
    ("Australia", ("Victoria, Australia", "New South Wales", "regional Queensland")),
    ("New Zealand", ("Aotearoa New Zealand", "Auckland")),
    ("South Africa", ("the Western Cape", "Johannesburg")),
    ("Kenya", ("Nairobi", "western Kenya")),
    ("Brazil", ("Porto Alegre", "Belo Horizonte")),
    ("India", ("Kerala", "Pune")),
    ("Chile", ("Santiago de Chile",)),
    ("United States", ("Minnesota", "New York City", "two US states")),
)

SECTORS = {
    # sector: (service nouns for titles, settings for characteristics, health-indexed?)
    "mental health": (
        (
            "community mental health services",
            "crisis care",
            "recovery colleges",
            "early intervention in psychosis services",
            "acute mental health wards",
        ),
        ("community mental health team", "inpatient ward", "recovery college"),
        True,
    ),
    "social care": (
        (
            "adult social care",
            "home care commissioning",
            "carers' support",
            "dementia care",
            "learning disability services",
        ),
        ("local authority adult social care", "care homes", "home care"),
        True,
    ),
    "housing": (
        (
            "social housing regeneration",
            "homelessness services",
            "tenant participation",
            "supported housing",
        ),
        ("housing association", "municipal housing department"),
        False,
    ),
    "local government": (
        (
            "participatory budgeting",
            "neighbourhood planning",
            "local public services",
            "community safety partnerships",
        ),
        ("city council", "municipal services"),
        False,
    ),
    "primary care": (
        (
            "primary care",
            "general practice",
            "community health centres",
            "chronic disease self-management services",
        ),
        ("general practice", "community health centre"),
        True,
    ),
    "public health": (
        (
            "public health programmes",
            "health promotion",
            "child and family health services",
            "substance use services",
        ),
        ("public health department", "community organisations"),
        True,
    ),
    "children and families": (
        ("children's services", "youth services", "family support services", "child protection"),
        ("children's social care", "youth centres"),
        False,
    ),
    "disability": (
        ("disability policy", "personal budgets", "accessible transport planning"),
        ("national disability agency", "disabled people's organisations"),
        True,
    ),
    "criminal justice": (
        ("probation services", "youth justice", "prison education"),
        ("probation service", "youth offending team"),
        False,
    ),
    "education": (
        ("special educational needs provision", "adult education", "school inclusion policy"),
        ("schools", "local education authority"),
        False,
    ),
}

ACTORS = (
    "policymakers, practitioners and service users",
    "local officials, social workers and families",
    "civil servants, frontline staff and people with lived experience",
    "managers, professionals and citizens",
)
ACTORS_BY_SECTOR = {
    "mental health": ("commissioners, clinicians and service users",),
    "primary care": ("commissioners, clinicians and patients",),
    "social care": ("health board staff, care workers and carers",),
    "public health": ("public health officials, practitioners and residents",),
    "housing": ("councillors, housing officers and tenants",),
    "children and families": ("senior officials, practitioners and young people",),
    "education": ("education officials, teachers and parents",),
}
DESIGNS = (
    # design phrase in titles, characteristics label
    ("a qualitative study", "Qualitative interviews"),
    ("an ethnographic study", "Ethnography"),
    ("a realist evaluation", "Realist evaluation"),
    ("a case study", "Case study"),
    ("a multiple case study", "Multiple case study"),
    ("a participatory action research project", "Participatory action research"),
    ("a mixed-methods evaluation", "Mixed methods"),
    ("a process evaluation", "Process evaluation"),
    ("an interview study", "Qualitative interviews"),
    ("a documentary and interview study", "Document analysis and interviews"),
)
HOOKS = (
    "Sharing power in practice",
    "Beyond tokenism",
    "More than a consultation",
    "Whose knowledge counts?",
    "Lost in translation",
    "Paying for participation",
    "The long road to trust",
    "When everyone is a partner",
    "Slow policy",
    "Unequal partners",
    "Doing it properly",
    "Between rhetoric and reality",
    "From the margins to the table",
    "Learning to listen",
    "Making room for lived experience",
    "A seat at the table",
    "Walking the talk",
    "Trust takes time",
    "Not just a box to tick",
    "Co-production under austerity",
    "Promise and pitfalls",
    "Small wins",
    "Who holds the pen?",
    "Speaking the same language",
    "The hidden costs of co-production",
    "One size fits none",
    "Rules of engagement",
    "Dilemmas of participation",
    "Working with, not for",
    "The politics of partnership",
    "Expert by experience",
    "Giving up control",
    "Keeping promises",
    "Everyday co-production",
    "Same words, different worlds",
    "No quick fixes",
    "Ready, willing and resourced?",
    "Outside the comfort zone",
)
QUESTIONS = (
    "Who decides",
    "What counts as co-production",
    "Can co-production survive a budget cut",
    "Is co-production worth the effort",
    "Why do partnerships stall",
    "What do service users gain",
    "Who is left out",
    "How long does trust take",
)
ACTIVITIES = (
    "co-producing policy for {noun}",
    "co-designing {noun}",
    "co-production in {noun}",
    "co-producing change in {noun}",
    "joint decision-making in {noun}",
    "co-commissioning {noun}",
)


@dataclass(frozen=True)
class Author:
    surname: str
    given: str  # "Anna B." (full first name, optional middle initial)

    @property
    def initials(self) -> str:
        parts = re.split(r"[\s.\-]+", self.given)
        return "".join(p[0].upper() for p in parts if p)

    def scopus(self) -> str:
        parts = [p for p in re.split(r"[\s.]+", self.given) if p]
        return f"{self.surname}, " + "".join(
            "-".join(h[0] + "." for h in p.split("-")) for p in parts
        )

    def medline_full(self) -> str:
        return f"{self.surname}, {self.given.rstrip('.')}"

    def medline(self) -> str:
        return f"{self.surname} {self.initials}"

    def wos(self) -> str:
        return f"{self.surname}, {self.initials}"

    def bibtex(self) -> str:
        return f"{self.surname}, {self.given}"


@dataclass(frozen=True)
class DemoStudy:
    """The truth about one fictional study: citation, and what screening and coding find."""

    key: str
    title: str
    authors: tuple[Author, ...]
    year: int
    journal: Journal
    volume: str
    issue: str
    first_page: str
    last_page: str
    article_number: str
    doi: str
    abstract: str
    keywords: tuple[str, ...]
    kind: str = "article"  # article | review | conference_abstract | erratum | report | chapter
    language: str = "English"
    original_title: str = ""  # non-English studies: the title as published
    found_in: tuple[str, ...] = ()
    ta_truth: str = "exclude"  # include | exclude | maybe | "" (citation searching only)
    ft_truth: str = ""  # include | exclude | not_retrieved | "" (not a full-text candidate)
    ft_reason: str = ""
    themes: tuple[str, ...] = ()
    country: str = ""
    sector: str = ""
    setting: str = ""
    design: str = ""
    participants: str = ""
    role: str = ""  # hard cases: part1, part2, erratum, conference, similar_a, similar_b, ...

    @property
    def pages(self) -> str:
        if self.article_number:
            return self.article_number
        return f"{self.first_page}-{self.last_page}" if self.last_page else self.first_page


@dataclass(frozen=True)
class DemoRecord:
    """One study as one search exported it; ``variant`` holds the fields it writes its way."""

    search: str
    study: DemoStudy
    native_id: str  # PMID, WOS:..., Scopus eid, BibTeX key
    title: str
    doi: str
    variant: tuple[tuple[str, str], ...] = ()

    def get(self, name: str, default: str = "") -> str:
        return dict(self.variant).get(name, default)


@dataclass
class DemoReview:
    """The generated demo: every study, and the records of every search in file order."""

    seed: int
    studies: list[DemoStudy]
    records: dict[str, list[DemoRecord]] = field(default_factory=dict)

    def study(self, key: str) -> DemoStudy:
        return next(s for s in self.studies if s.key == key)


# ---------------------------------------------------------------------------------------
# Generating studies
# ---------------------------------------------------------------------------------------


def _author(rng: random.Random, marks: bool = False) -> Author:
    surname = rng.choice(SURNAMES_WITH_MARKS) if marks else rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    if rng.random() < 0.45:
        given = f"{given} {rng.choice(MIDDLE)}."
    return Author(surname, given)


def _authors(rng: random.Random, n: int | None = None) -> tuple[Author, ...]:
    n = n or rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7))
    people: list[Author] = []
    while len(people) < n:
        person = _author(rng, marks=rng.random() < 0.08)
        if all(p.surname != person.surname for p in people):
            people.append(person)
    return tuple(people)


def _doi(rng: random.Random, journal: Journal, year: int) -> str:
    stem = journal.doi_stem
    if stem.isdigit():
        return f"10.5555/{stem}.{year}.{rng.randint(1000000, 2999999)}"
    if stem.startswith("s1") or stem.startswith("s4"):
        return f"10.5555/{stem}-0{str(year)[2:]}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)}"
    if stem == "bmjopen":
        return f"10.5555/bmjopen-{year}-{rng.randint(10000, 89999):06d}"
    return f"10.5555/{stem}.{rng.randint(10000, 14999)}"


def _issue_and_pages(
    rng: random.Random, journal: Journal, year: int
) -> tuple[str, str, str, str, str]:
    volume = str(max(1, year - 1990 + rng.randint(-3, 12)))
    issue = str(rng.randint(1, 6)) if not journal.article_numbers or rng.random() < 0.3 else ""
    if journal.article_numbers:
        if journal.name == "BMJ Open":
            return volume, issue, "", "", f"e{rng.randint(20000, 89999):06d}"
        return volume, issue, "", "", str(rng.randint(1, 180))
    first = rng.randint(1, 1400)
    # some page ranges share leading digits (73-76, 1204-1219) so MEDLINE abbreviates them
    last = first + rng.randint(3, 24)
    return volume, issue, str(first), str(last), ""


def _title_case_after_colon(title: str) -> str:
    """Scopus capitalises the first word after a colon: "...: A qualitative study"."""
    return re.sub(r"([:?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), title)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


THEME_FINDINGS = {
    "culture": (
        "building trust between partners took longer than the funding cycle allowed",
        "a co-productive culture depended on senior sponsors who stayed in post",
        "practitioners and service users only began to work as equals after shared training",
    ),
    "expectations": (
        "participants expected more influence over final decisions than officials could offer",
        "unclear promises at the outset led to disappointment when budgets were fixed",
        "being explicit about what could not change kept service users engaged",
    ),
    "one_size": (
        "a national toolkit fitted poorly with local ways of working",
        "methods had to be adapted for people who could not attend daytime meetings",
        "one model of involvement excluded people with fluctuating health",
    ),
    "language": (
        "professional jargon and acronyms kept some service users silent",
        "the label 'co-production' was applied to activities that were consultation",
        "agreeing a shared glossary helped partners notice when they disagreed",
    ),
    "resourcing": (
        "service users' participation relied on unpaid time and goodwill",
        "payment for lived-experience expertise was delayed by finance rules",
        "dedicated facilitation time was the strongest predictor of sustained involvement",
    ),
}

RELEVANT_FT = (
    # (ft truth, reason, how many) for studies found by database searches
    ("include", "", 9),
    ("exclude", "Not co-production", 10),
    ("exclude", "Wrong participants", 9),
    ("exclude", "No risks, limits or lessons reported", 9),
    ("exclude", "Not a primary study", 8),
    ("not_retrieved", "", 1),
)


def _relevant_title(rng: random.Random, noun: str, place: str, design: str, actors: str) -> str:
    activity = rng.choice(ACTIVITIES).format(noun=noun)
    form = rng.randrange(5)
    if form == 0:
        hook = rng.choice(HOOKS)
        if hook.endswith("?"):
            return f"{hook} {_cap(design)} of {activity} in {place}"
        return f"{hook}: {design} of {activity} in {place}"
    if form == 1:
        return f"{_cap(activity)} with {actors} in {place}: {design}"
    if form == 2:
        return f"{rng.choice(QUESTIONS)}? {_cap(design)} of {activity} in {place}"
    if form == 3:
        lesson = rng.choice(("lessons", "risks and lessons", "limits and possibilities"))
        return f"{_cap(activity)}: {lesson} from {place}"
    return f"What happens when {actors} co-produce {noun}? Evidence from {place}"


def _relevant_abstract(
    rng: random.Random,
    truth: str,
    reason: str,
    noun: str,
    place: str,
    design: str,
    actors: str,
    themes: Sequence[str],
    participants: str,
) -> str:
    background = rng.choice(
        (
            f"Co-production between {actors} is widely promoted in {noun}, but little is "
            "known about how it works in practice.",
            f"Governments increasingly ask {actors} to co-produce {noun}.",
            f"Co-production is often presented as a remedy for distrust in {noun}.",
        )
    )
    if reason == "Not a primary study":
        kind = rng.choice(("scoping review", "narrative review", "conceptual paper"))
        return (
            f"{background} This {kind} brings together published work on co-producing {noun}, "
            f"drawing mainly on examples from {place}. We propose a framework for future "
            "research and practice."
        )
    if reason == "Not co-production":
        return (
            f"{background} We report {design} of a consultation in which {actors.split(',')[0]} "
            f"asked service users in {place} to comment on a draft plan for {noun}. "
            "Responses were collected by online survey and summarised for the planning board."
        )
    if reason == "Wrong participants":
        pair = rng.choice(
            (
                "researchers and practitioners",
                "academics and policy officers",
                "researchers and service user researchers",
            )
        )
        return (
            f"{background} Using {design}, we examined a partnership between {pair} in "
            f"{place} ({participants}). Partners described shared ownership of the research "
            "questions and joint authorship of outputs."
        )
    if reason == "No risks, limits or lessons reported":
        return (
            f"{background} We evaluated the outcomes of a co-produced programme in {place} "
            f"using routinely collected data ({participants}). Waiting times and satisfaction "
            "scores improved over two years."
        )
    findings = [THEME_FINDINGS[t][rng.randrange(3)] for t in themes[:2]]
    method = f"We conducted {design} in {place} ({participants})."
    result = f"Participants reported that {findings[0]}"
    result += f", and that {findings[1]}." if len(findings) > 1 else "."
    close = rng.choice(
        (
            "Co-production needs time, money and honesty about what can change.",
            "We draw lessons for policymakers who want co-production to be more than a slogan.",
            "The findings caution against treating co-production as a quick fix.",
        )
    )
    return " ".join((background, method, result, close))


def _participants(rng: random.Random) -> str:
    p, q, u = rng.randint(3, 12), rng.randint(5, 20), rng.randint(6, 24)
    forms = (
        f"{p + q + u} interviews: {p} policymakers, {q} practitioners and {u} service users",
        f"{rng.randint(4, 9)} focus groups with {p + q + u} participants",
        f"observation of {rng.randint(12, 40)} meetings and {p + q} interviews",
    )
    return rng.choice(forms)


OFF_TOPIC = (
    # (template, field, keywords); {c} condition, {p} place, {x} extra slot
    (
        "Co-design of a smartphone app for {c} self-management: usability testing with patients",
        "health",
        ("mHealth", "co-design", "usability"),
    ),
    (
        "Patient and public involvement in a randomised trial of {x} for {c}: a reflective account",
        "health",
        ("patient and public involvement", "clinical trials"),
    ),
    (
        "{X} delivered by community nurses for people with {c}: a randomised controlled trial",
        "health",
        ("randomised controlled trial", "nursing"),
    ),
    ("Citizen science for monitoring {env} in {p}", "other", ("citizen science", "monitoring")),
    (
        "Value co-creation in {industry}: a service-dominant logic perspective",
        "other",
        ("value co-creation", "service-dominant logic"),
    ),
    (
        "Knowledge co-production for {env} adaptation in {p}: a bibliometric analysis",
        "other",
        ("knowledge co-production", "climate adaptation"),
    ),
    (
        "Interprofessional education for {students}: a before-and-after study",
        "health",
        ("interprofessional education", "students"),
    ),
    (
        "Co-production of {fuel} and {fuel2} from {feedstock}: process optimisation",
        "other",
        ("coproduction", "bioenergy"),
    ),
    (
        "Performance management and accountability in {agency}: a panel data analysis",
        "policy",
        ("performance management", "accountability"),
    ),
    (
        "Practitioners' views of {c} care pathways: a national survey",
        "health",
        ("survey", "care pathways"),
    ),
    (
        "Shared decision-making in {c} consultations: a cross-sectional study",
        "health",
        ("shared decision-making", "consultation"),
    ),
    (
        "Volunteering and civic participation among older adults in {p}",
        "policy",
        ("volunteering", "civic participation"),
    ),
    (
        "Digital government and citizen satisfaction in {p}: evidence from a national survey",
        "policy",
        ("e-government", "citizen satisfaction"),
    ),
    ("Co-production: {buzz}? An editorial", "policy", ("co-production", "editorial")),
    (
        "Implementing {x} in primary care: barriers reported by general practitioners",
        "health",
        ("implementation", "general practice"),
    ),
    (
        "Public attitudes to {c} screening in {p}: a discrete choice experiment",
        "health",
        ("discrete choice experiment", "screening"),
    ),
)
CONDITIONS = (
    "type 2 diabetes",
    "heart failure",
    "chronic obstructive pulmonary disease",
    "asthma",
    "chronic kidney disease",
    "rheumatoid arthritis",
    "multiple sclerosis",
    "epilepsy",
    "depression",
    "anxiety",
    "psoriasis",
    "hypertension",
    "knee osteoarthritis",
    "stroke",
    "colorectal cancer",
    "breast cancer",
    "obesity",
    "insomnia",
    "chronic pain",
    "dementia",
)
EXTRAS = (
    "physiotherapy",
    "motivational interviewing",
    "exercise referral",
    "telemonitoring",
    "peer support",
    "medication review",
    "group education",
    "a falls prevention programme",
)
ENVS = (
    "air quality",
    "urban flooding",
    "river water quality",
    "coastal erosion",
    "biodiversity loss",
    "urban heat",
    "drought",
    "noise pollution",
)
INDUSTRIES = (
    "hotel services",
    "banking apps",
    "higher education",
    "festival tourism",
    "online retail",
    "car sharing",
    "airline loyalty schemes",
    "fitness clubs",
)
STUDENTS = (
    "medical and nursing students",
    "pharmacy students",
    "social work students",
    "paramedic students",
    "dental students",
)
FUELS = ("hydrogen", "methane", "bioethanol", "biogas", "lactic acid", "biochar")
FEEDSTOCKS = (
    "food waste",
    "rice straw",
    "brewery spent grain",
    "sewage sludge",
    "cassava peel",
    "olive mill wastewater",
)
AGENCIES = (
    "English local authorities",
    "Italian municipalities",
    "US school districts",
    "Dutch water boards",
    "Korean public hospitals",
    "Brazilian municipalities",
)
BUZZ = (
    "panacea or placebo",
    "buzzword or paradigm",
    "the emperor's new clothes",
    "a word that means everything",
    "old wine in new bottles",
)


OFF_TOPIC_DETAILS = {
    # first keyword of an OFF_TOPIC template -> (methods sentence, results sentence)
    "mHealth": (
        "{k} patients tested a prototype in think-aloud sessions and completed the System "
        "Usability Scale.",
        "Usability improved over three iterations; patients asked for simpler reminders.",
    ),
    "patient and public involvement": (
        "We describe how a panel of {k} patients contributed to trial design and materials.",
        "Panel members improved the participant information sheet and recruitment letters.",
    ),
    "randomised controlled trial": (
        "{n} participants were randomised to the intervention or usual care for 12 months.",
        "The primary outcome did not differ between groups; adherence was {pct}%.",
    ),
    "citizen science": (
        "{n} volunteers collected measurements with low-cost sensors over one year.",
        "Volunteer data agreed closely with reference stations.",
    ),
    "value co-creation": (
        "We surveyed {n} customers and estimated a structural equation model.",
        "Customer participation increased satisfaction and loyalty intentions.",
    ),
    "knowledge co-production": (
        "We analysed {n} publications indexed between 2000 and 2022.",
        "Output grew rapidly after 2015 and concentrated in a few countries.",
    ),
    "interprofessional education": (
        "{n} students completed a two-day simulation and readiness questionnaires.",
        "Readiness for interprofessional learning rose after the course.",
    ),
    "coproduction": (
        "Batch experiments tested temperature, pH and loading rate.",
        "The optimum conditions raised combined yield by {pct}%.",
    ),
    "performance management": (
        "We analysed panel data on {n} organisations over ten years.",
        "Performance regimes were associated with small gains in measured outputs.",
    ),
    "survey": (
        "An online questionnaire was completed by {n} practitioners.",
        "Most respondents supported the pathway but reported long waiting times.",
    ),
    "shared decision-making": (
        "{n} recorded consultations were rated with the OPTION scale.",
        "Shared decision-making scores were low and varied between clinicians.",
    ),
    "volunteering": (
        "We used survey data from {n} adults aged 60 and over.",
        "Volunteering was associated with better self-rated health.",
    ),
    "e-government": (
        "A national survey of {n} residents measured use of online public services.",
        "Satisfaction was higher among frequent users of digital services.",
    ),
    "co-production": (
        "This editorial introduces a special issue on public service reform.",
        "We ask whether the term still helps research and practice.",
    ),
    "implementation": (
        "We interviewed {k} general practitioners about a new guideline.",
        "Time pressure and unclear responsibilities were the main barriers.",
    ),
    "discrete choice experiment": (
        "{n} adults completed a discrete choice experiment with six attributes.",
        "Respondents valued accuracy most and were willing to travel further for it.",
    ),
}


def _off_topic(rng: random.Random, used: set[str]) -> tuple[str, str, tuple[str, ...], str]:
    for _ in range(200):
        template, field_, keywords = rng.choice(OFF_TOPIC)
        fuel, fuel2 = rng.sample(FUELS, 2)
        extra = rng.choice(EXTRAS)
        title = template.format(
            c=rng.choice(CONDITIONS),
            p=rng.choice(rng.choice(COUNTRIES)[1]),
            x=extra,
            X=_cap(extra),
            env=rng.choice(ENVS),
            industry=rng.choice(INDUSTRIES),
            students=rng.choice(STUDENTS),
            fuel=fuel,
            fuel2=fuel2,
            feedstock=rng.choice(FEEDSTOCKS),
            agency=rng.choice(AGENCIES),
            buzz=rng.choice(BUZZ),
        )
        if title.lower() not in used:
            used.add(title.lower())
            break
    subject = title.split(":")[0]
    subject = subject[:1].lower() + subject[1:]
    method, result = OFF_TOPIC_DETAILS[keywords[0]]
    slots = {"n": rng.randint(24, 480), "pct": rng.randint(12, 64), "k": rng.randint(6, 30)}
    opening = rng.choice(
        (
            f"This paper reports on {subject}.",
            f"We studied {subject}.",
            f"Little is known about {subject}.",
        )
    )
    abstract = " ".join((opening, method.format(**slots), result.format(**slots)))
    return title, field_, keywords, abstract


def _journal_for(rng: random.Random, field_: str) -> Journal:
    if field_ == "health":
        pool = [j for j in JOURNALS if j.field == "health" and j.name != "Gaceta Sanitaria"]
    elif field_ == "other":
        pool = [j for j in JOURNALS if j.field == "other"]
    else:
        pool = [j for j in POLICY_JOURNALS if j.field == "policy" and j.name not in SECTOR_JOURNALS]
    return rng.choice(pool)


SECTOR_JOURNALS = {
    "Housing Studies": "housing",
    "Disability & Society": "disability",
    "Journal of Mental Health": "mental health",
}


def _journals_for_sector(sector: str, health: bool) -> list[Journal]:
    """Journals a study of ``sector`` could appear in (field journals only for their field)."""
    pool = [
        j
        for j in POLICY_JOURNALS
        if SECTOR_JOURNALS.get(j.name, sector) == sector and (j.field == "health") == health
    ]
    return pool


def _relevant_studies(rng: random.Random, used: set[str]) -> list[DemoStudy]:
    studies: list[DemoStudy] = []
    plan = [(t, r) for t, r, n in RELEVANT_FT for _ in range(n)]
    for truth, reason in plan:
        sector = rng.choice(sorted(SECTORS))
        nouns, settings, health = SECTORS[sector]
        country, places = rng.choice(COUNTRIES)
        noun, place = rng.choice(nouns), rng.choice(places)
        design, design_label = rng.choice(DESIGNS)
        actors = rng.choice(ACTORS + ACTORS_BY_SECTOR.get(sector, ()))
        if reason == "Not a primary study":
            design_label = "Review"
        for _ in range(50):
            title = _relevant_title(rng, noun, place, design, actors)
            if reason == "Not a primary study":
                title = f"{_cap(rng.choice(ACTIVITIES).format(noun=noun))}: a scoping review"
                title += rng.choice(("", " of international evidence", " and research agenda"))
            if title.lower() not in used:
                used.add(title.lower())
                break
        themes = tuple(rng.sample(THEMES, rng.randint(2, 4)))
        participants = _participants(rng)
        year = rng.randint(2010, 2024)
        journal = rng.choice(_journals_for_sector(sector, health and rng.random() < 0.7))
        volume, issue, first, last, art = _issue_and_pages(rng, journal, year)
        keywords = (
            "co-production",
            sector,
            rng.choice(
                (
                    "participation",
                    "power",
                    "public services",
                    "lived experience",
                    "policy making",
                    "partnership",
                )
            ),
        )
        studies.append(
            DemoStudy(
                key="",
                title=title,
                authors=_authors(rng),
                year=year,
                journal=journal,
                volume=volume,
                issue=issue,
                first_page=first,
                last_page=last,
                article_number=art,
                doi=_doi(rng, journal, year) if rng.random() < 0.92 else "",
                abstract=_relevant_abstract(
                    rng, truth, reason, noun, place, design, actors, themes, participants
                ),
                keywords=keywords,
                kind="review" if reason == "Not a primary study" else "article",
                ta_truth="include",
                ft_truth=truth,
                ft_reason=reason,
                themes=themes if truth == "include" else (),
                country=country,
                sector=sector,
                setting=rng.choice(settings),
                design=design_label,
                participants=participants,
            )
        )
    # a few of them read as unclear from the abstract: reviewers type "maybe"
    for index in rng.sample(range(len(studies)), 6):
        studies[index] = replace(studies[index], ta_truth="maybe")
    return studies


def _hard_cases(rng: random.Random, used: set[str]) -> list[DemoStudy]:
    """Pairs that look alike but are different studies; dedupe must keep them apart."""
    cases: list[DemoStudy] = []
    # 1. a two-part paper: same authors, journal, year and volume; consecutive pages
    authors = _authors(rng, 3)
    journal = _JOURNAL["Disability & Society"]
    base = "Co-producing social care policy with disabled people in Wales, part {n}: {sub}"
    for n, sub, first, last in (
        (1, "building the partnership", "1204", "1219"),
        (2, "sustaining change", "1220", "1236"),
    ):
        title = base.format(n=n, sub=sub)
        used.add(title.lower())
        cases.append(
            DemoStudy(
                key="",
                title=title,
                authors=authors,
                year=2019,
                journal=journal,
                volume="34",
                issue="8",
                first_page=first,
                last_page=last,
                article_number="",
                doi=f"10.5555/09687599.2019.15{n}0{n}23",
                abstract=(
                    f"This is part {n} of a two-part account of a four-year partnership between "
                    "Welsh Government officials, social workers and disabled people's "
                    "organisations. "
                    + (
                        "We describe how the partnership was set up, who was invited and how "
                        "power was shared in the first year."
                        if n == 1
                        else "We follow the partnership through a change of minister and a "
                        "budget cut, and draw lessons about sustaining co-production."
                    )
                ),
                keywords=("co-production", "disability", "social care", "Wales"),
                ta_truth="include",
                ft_truth="include",
                themes=("culture", "expectations") if n == 1 else ("resourcing", "culture"),
                country="United Kingdom",
                sector="disability",
                setting="national disability policy",
                design="Participatory action research",
                participants="46 partnership meetings; 31 interviews",
                role=f"part{n}",
            )
        )
    # 2. a conference abstract and its later journal article (only the article is included)
    authors = _authors(rng, 4)
    title = (
        "Paying service users for their time in co-produced commissioning: findings from "
        "a realist evaluation in Greater Manchester"
    )
    used.add(title.lower())
    article = DemoStudy(
        key="",
        title=title,
        authors=authors,
        year=2018,
        journal=_JOURNAL["Health & Social Care in the Community"],
        volume="26",
        issue="5",
        first_page="705",
        last_page="714",
        article_number="",
        doi="10.5555/hsc.12581",
        abstract=(
            "Payment for service users' time is recommended in co-production guidance but rarely "
            "studied. We conducted a realist evaluation of co-produced commissioning in Greater "
            "Manchester (42 interviews with commissioners, practitioners and service users). "
            "Payment signalled respect but created new risks when benefits rules were unclear. "
            "We draw lessons on resourcing co-production properly."
        ),
        keywords=("co-production", "commissioning", "payment", "realist evaluation"),
        ta_truth="include",
        ft_truth="include",
        themes=("resourcing", "expectations", "culture"),
        country="United Kingdom",
        sector="social care",
        setting="clinical commissioning groups",
        design="Realist evaluation",
        participants="42 interviews: 9 commissioners, 15 practitioners, 18 service users",
        role="conference_article",
    )
    abstract_title = (
        "Paying service users for their time in co-produced commissioning: "
        "early findings from a realist evaluation"
    )
    used.add(abstract_title.lower())
    conference = replace(
        article,
        title=abstract_title,
        year=2017,
        journal=_JOURNAL["International Journal of Integrated Care"],
        volume="17",
        issue="5",
        first_page="A312",
        last_page="",
        doi="10.5555/ijic.3619",
        abstract=(
            "Introduction: payment for service users' time is recommended but rarely studied. "
            "Methods: realist evaluation, first 20 interviews. Results: payment signalled respect "
            "but raised questions about benefits rules. Conference abstract."
        ),
        kind="conference_abstract",
        ta_truth="maybe",
        ft_truth="exclude",
        ft_reason="Conference abstract only",
        themes=(),
        role="conference_abstract",
    )
    cases += [conference, article]
    # 3. a correction notice of an included article
    authors = _authors(rng, 5)
    title = (
        "Co-production of mental health crisis care with service users and police in "
        "Ontario: a qualitative study"
    )
    used.add(title.lower())
    original = DemoStudy(
        key="",
        title=title,
        authors=authors,
        year=2021,
        journal=_JOURNAL["BMJ Open"],
        volume="11",
        issue="6",
        first_page="",
        last_page="",
        article_number="e047312",
        doi="10.5555/bmjopen-2020-047312",
        abstract=(
            "Crisis care reform in Ontario asked police, clinicians, policymakers and service "
            "users to co-produce new protocols. We interviewed 38 participants. Different words "
            "for the same crisis hid disagreements, and unrealistic timelines undermined trust. "
            "Lessons for language and expectations in co-production are discussed."
        ),
        keywords=("co-production", "crisis care", "mental health", "police"),
        ta_truth="include",
        ft_truth="include",
        themes=("language", "expectations", "culture"),
        country="Canada",
        sector="mental health",
        setting="crisis care services",
        design="Qualitative interviews",
        participants="38 interviews: 7 policymakers, 17 practitioners, 14 service users",
        role="corrected_article",
    )
    erratum = replace(
        original,
        title=f"Correction: {title}",
        year=2021,
        issue="9",
        article_number="e047312corr1",
        doi="10.5555/bmjopen-2020-047312corr1",
        abstract="",
        keywords=(),
        kind="erratum",
        authors=(),
        ta_truth="exclude",
        ft_truth="",
        themes=(),
        role="erratum",
    )
    cases += [original, erratum]
    # 4. two different studies whose titles differ by a few words
    for n, (where, year, journal_name) in enumerate(
        (
            ("community mental health teams", 2016, "Journal of Mental Health"),
            ("acute mental health wards", 2022, "Health Expectations"),
        ),
        start=1,
    ):
        title = (
            f"Co-production in mental health services: a qualitative study of service user "
            f"and practitioner perspectives in {where}"
        )
        used.add(title.lower())
        journal = _JOURNAL[journal_name]
        volume, issue, first, last, art = _issue_and_pages(rng, journal, year)
        include = n == 1
        cases.append(
            DemoStudy(
                key="",
                title=title,
                authors=_authors(rng, 3),
                year=year,
                journal=journal,
                volume=volume,
                issue=issue,
                first_page=first,
                last_page=last,
                article_number=art,
                doi=_doi(rng, journal, year) if n == 1 else "",
                abstract=(
                    f"We interviewed service users and practitioners in {where} about "
                    "co-producing care plans"
                    + (
                        " with managers and local policymakers. Jargon and short-term funding "
                        "were the main risks; shared training was the main lesson."
                        if include
                        else ". Policymakers were not involved, and the study focused on "
                        "individual care planning between two parties."
                    )
                ),
                keywords=("co-production", "mental health", "qualitative"),
                ta_truth="include",
                ft_truth="include" if include else "exclude",
                ft_reason="" if include else "Wrong participants",
                themes=("language", "resourcing", "culture") if include else (),
                country="United Kingdom" if include else "Norway",
                sector="mental health",
                setting=where,
                design="Qualitative interviews",
                participants="22 interviews" if include else "18 interviews",
                role=f"similar_{'ab'[n - 1]}",
            )
        )
    # 5. a Spanish article: PubMed shows it as "[English title]." with the original in TT
    title = (
        "Co-production of primary care services with patients and local councils in "
        "Catalonia: a qualitative study"
    )
    used.add(title.lower())
    cases.append(
        DemoStudy(
            key="",
            title=title,
            authors=(
                Author("García-López", "Marta"),
                Author("Puig", "Jordi"),
                Author("Serra", "Núria A."),
            ),
            year=2020,
            journal=_JOURNAL["Gaceta Sanitaria"],
            volume="34",
            issue="4",
            first_page="356",
            last_page="362",
            article_number="",
            doi="10.5555/gaceta.2019.04.011",
            abstract=(
                "Objective: to explore how patients, primary care professionals and local "
                "councils co-produced services in Catalonia. Method: 27 interviews and four "
                "focus groups. Results: a single regional model did not fit rural practices, and "
                "patients' time was not paid. Conclusions: co-production must be adapted locally "
                "and resourced."
            ),
            keywords=("co-production", "primary care", "Spain"),
            language="Spanish",
            original_title=(
                "Coproducción de servicios de atención primaria con pacientes y "
                "ayuntamientos en Cataluña: estudio cualitativo"
            ),
            ta_truth="include",
            ft_truth="include",
            themes=("one_size", "resourcing"),
            country="Spain",
            sector="primary care",
            setting="primary care teams",
            design="Qualitative interviews and focus groups",
            participants="27 interviews; 4 focus groups",
            role="spanish",
        )
    )
    return cases


def _citation_only(rng: random.Random, used: set[str]) -> list[DemoStudy]:
    """Studies found only by backward citation searching: they skip title/abstract screening."""
    specs = (
        (
            "report",
            "Co-production in practice: what works when councils, staff and residents "
            "share decisions",
            2014,
            "include",
            "",
            ("culture", "language", "expectations"),
        ),
        (
            "chapter",
            "Resourcing co-production: the hidden work of service user involvement",
            2012,
            "include",
            "",
            ("resourcing", "one_size"),
        ),
        (
            "article",
            "Talking past each other: language and power in co-produced housing policy",
            2015,
            "include",
            "",
            ("language", "one_size", "culture"),
        ),
        (
            "article",
            "The co-production of public services: a review of concepts",
            2011,
            "exclude",
            "Not a primary study",
            (),
        ),
        (
            "article",
            "Researchers and practitioners as co-producers of evaluation in youth work",
            2013,
            "exclude",
            "Wrong participants",
            (),
        ),
    )
    studies = []
    for kind, title, year, truth, reason, themes in specs:
        used.add(title.lower())
        journal = (
            _JOURNAL["Housing Studies"] if "housing" in title else _JOURNAL["Policy & Politics"]
        )
        volume, issue, first, last, _ = _issue_and_pages(rng, journal, year)
        sector = "housing" if "housing" in title else "local government"
        studies.append(
            DemoStudy(
                key="",
                title=title,
                authors=_authors(rng, rng.randint(1, 3)),
                year=year,
                journal=journal,
                volume=volume,
                issue=issue,
                first_page=first,
                last_page=last,
                article_number="",
                doi=_doi(rng, journal, year) if kind == "article" else "",
                abstract="",
                keywords=(),
                kind=kind,
                found_in=("citations",),
                ta_truth="",
                ft_truth=truth,
                ft_reason=reason,
                themes=themes,
                country="United Kingdom",
                sector=sector,
                setting="local authority" if sector != "housing" else "housing associations",
                design="Case study" if kind != "chapter" else "Qualitative interviews",
                participants=_participants(rng),
                role="citation_only",
            )
        )
    return studies


def _off_topic_studies(rng: random.Random, used: set[str], n: int) -> list[DemoStudy]:
    studies = []
    for _ in range(n):
        title, field_, keywords, abstract = _off_topic(rng, used)
        year = rng.randint(2008, 2024)
        journal = _journal_for(rng, field_)
        volume, issue, first, last, art = _issue_and_pages(rng, journal, year)
        studies.append(
            DemoStudy(
                key="",
                title=title,
                authors=_authors(rng),
                year=year,
                journal=journal,
                volume=volume,
                issue=issue,
                first_page=first,
                last_page=last,
                article_number=art,
                doi=_doi(rng, journal, year) if rng.random() < 0.85 else "",
                abstract=abstract,
                keywords=keywords,
                kind="editorial" if "editorial" in title else "article",
                ta_truth="exclude",
            )
        )
    return studies


def _databases_for(rng: random.Random, study: DemoStudy) -> tuple[str, ...]:
    """Which databases index a study: PubMed only health journals; Scopus nearly all."""
    found = []
    if rng.random() < 0.66:
        found.append("scopus")
    if study.journal.in_pubmed and rng.random() < 0.66:
        found.append("pubmed")
    if rng.random() < 0.44:
        found.append("wos")
    if not found:
        found.append(rng.choice(("scopus", "wos")))
    return tuple(found)


def build_studies(seed: int = DEMO_SEED, n_off_topic: int = 124) -> list[DemoStudy]:
    """Every study of the demo review with its truth, in a stable order, keys D001..."""
    rng = random.Random(seed)
    used: set[str] = set()
    relevant = _relevant_studies(rng, used)
    hard = _hard_cases(rng, used)
    citation_only = _citation_only(rng, used)
    off_topic = _off_topic_studies(rng, used, n_off_topic)
    studies = relevant + hard + off_topic
    rng.shuffle(studies)
    placed: list[DemoStudy] = []
    for study in studies:
        found = _databases_for(rng, study)
        if study.role == "conference_abstract":
            found = ("wos",)  # meeting abstracts: Web of Science indexes them
        elif study.role == "spanish" or study.role == "erratum":
            found = ("scopus", "pubmed")
        elif study.role in ("part1", "part2", "similar_a", "similar_b", "corrected_article"):
            found = tuple(sorted(set(found) | {"scopus", "wos"}))
            if study.journal.in_pubmed:
                found = (*found, "pubmed")
        found = tuple(s for s in DATABASE_SEARCHES if s in found)
        placed.append(replace(study, found_in=found))
    # included studies whose reference lists were searched are found again in citations
    included = [s for s in placed if s.ft_truth == "include" and not s.role.startswith("part")]
    for study in rng.sample(included, 6):
        index = placed.index(study)
        placed[index] = replace(study, found_in=(*study.found_in, "citations"))
    placed += citation_only
    return [replace(s, key=f"D{i:03d}") for i, s in enumerate(placed, start=1)]


# ---------------------------------------------------------------------------------------
# Records: one study as each search shows it
# ---------------------------------------------------------------------------------------


def _eid(rng: random.Random, year: int) -> str:
    return f"2-s2.0-{84900000000 + (year - 2008) * 4000000 + rng.randint(0, 3999999)}"


def _pmid(rng: random.Random, year: int) -> str:
    return str(18000000 + (year - 2008) * 1300000 + rng.randint(0, 1299999))


def _ut(rng: random.Random, year: int) -> str:
    return f"WOS:000{(year - 2000) * 20000000 + rng.randint(0, 19999999):012d}"


def _bib_key(study: DemoStudy) -> str:
    surname = study.authors[0].surname if study.authors else "anon"
    word = next(
        (
            w
            for w in re.findall(r"[a-z]+", study.title.lower())
            if w not in {"a", "an", "the", "of", "in", "and", "with"}
        ),
        "untitled",
    )
    return re.sub(r"[^a-z]", "", _ascii(surname).lower()) + f"_{word}_{study.year}"


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _record(rng: random.Random, search: str, study: DemoStudy) -> DemoRecord:
    variant: dict[str, str] = {}
    title = study.title
    doi = study.doi
    if search == "scopus":
        native = _eid(rng, study.year)
        title = _title_case_after_colon(title)
        if study.role == "spanish":
            variant["language"] = "Spanish"
        if doi and rng.random() < 0.04:
            variant["doi_form"] = "url"
    elif search == "pubmed":
        native = _pmid(rng, study.year)
        if study.role == "spanish":
            title = f"[{title}]"
        title = title.rstrip(".") + "."
        if doi and rng.random() < 0.08:
            doi = ""  # older MEDLINE records without the DOI in LID/AID
    elif search == "wos":
        native = _ut(rng, study.year)
        if rng.random() < 0.1 and ": " in title:
            title = title.replace(": ", " - ", 1)  # subtitle separator as WoS sometimes has it
        if doi and rng.random() < 0.1:
            doi = ""
    else:
        native = _bib_key(study)
        if doi and rng.random() < 0.35:
            variant["doi_form"] = "url"
    return DemoRecord(search, study, native, title, doi, tuple(sorted(variant.items())))


def build_records(
    studies: Sequence[DemoStudy], seed: int = DEMO_SEED
) -> dict[str, list[DemoRecord]]:
    """Each search's records in file order, with within-database duplicates and quirks."""
    rng = random.Random(seed + 1)
    records: dict[str, list[DemoRecord]] = {s: [] for s in EXPORT_FILES}
    for study in studies:
        for search in study.found_in:
            records[search].append(_record(rng, search, study))
    for search in DATABASE_SEARCHES:
        rng.shuffle(records[search])  # databases sort by their own relevance, not by ours
    _add_quirks(rng, records)
    return records


def _swap(records: list[DemoRecord], index: int, **changes: str) -> None:
    record = records[index]
    variant = dict(record.variant)
    for name, value in changes.items():
        if name in ("title", "doi"):
            record = replace(record, **{name: value})
        else:
            variant[name] = value
    records[index] = replace(record, variant=tuple(sorted(variant.items())))


def _add_quirks(rng: random.Random, records: dict[str, list[DemoRecord]]) -> None:
    """The traps real exports contain, each placed once or twice at a stable position."""
    scopus, pubmed, wos = records["scopus"], records["pubmed"], records["wos"]

    def first(rows: list[DemoRecord], test) -> int:
        return next(i for i, r in enumerate(rows) if test(r))

    relevant = [i for i, r in enumerate(scopus) if r.study.ft_truth and not r.study.role]
    # an HTML tag in a Scopus title
    i = relevant[0]
    title = scopus[i].title
    head, sep, tail = title.partition(": ")
    _swap(scopus, i, title=f"<i>{head}</i>{sep}{tail}" if sep else f"<i>{title}</i>")
    # an abstract with a hard line break whose next line starts with "ER" (emergency room)
    i = next(i for i in relevant if "No risks" in scopus[i].study.ft_reason)
    _swap(
        scopus,
        i,
        abstract_extra="ER attendances by service users fell after the pilot, "
        "but the change was not sustained.",
    )
    # DOI written as a URL; a missing DOI
    _swap(scopus, relevant[2], doi_form="url")
    _swap(scopus, relevant[3], doi="")
    # within-database duplicates: Scopus "article in press" versions next to the final record
    for i in (relevant[4], relevant[5]):
        record = scopus[i]
        aip = replace(
            record, native_id=_eid(rng, record.study.year - 1), variant=(("article_in_press", "1"),)
        )
        scopus.insert(i + 1, aip)
    # a PubMed record downloaded twice (two result pages saved into one file)
    i = first(pubmed, lambda r: r.study.ta_truth == "exclude")
    pubmed.insert(min(i + 40, len(pubmed)), pubmed[i])
    # a Web of Science record indexed twice under two accession numbers
    i = first(wos, lambda r: r.study.ft_truth == "include" and not r.study.role)
    wos.insert(i + 7, replace(wos[i], native_id=_ut(rng, wos[i].study.year)))
    # an old-style upper-case title in Web of Science
    i = first(wos, lambda r: r.study.ta_truth == "exclude" and r.study.year < 2011)
    _swap(wos, i, title=wos[i].title.upper())


def build_review(seed: int = DEMO_SEED) -> DemoReview:
    """The whole demo review: studies with their truth, and every search's records."""
    studies = build_studies(seed)
    return DemoReview(seed=seed, studies=studies, records=build_records(studies, seed))


# ---------------------------------------------------------------------------------------
# Writers: each export exactly as the database writes it
# ---------------------------------------------------------------------------------------

MONTHS = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")


def _month(record: DemoRecord) -> int:
    digest = hashlib.sha1(f"{record.study.key}-month".encode()).digest()
    return digest[0] % 12 + 1


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _doi_as_written(record: DemoRecord) -> str:
    if not record.doi:
        return ""
    if record.get("doi_form") == "url":
        return f"https://doi.org/{record.doi}"
    return record.doi


def _fake_references(record: DemoRecord, n: int) -> list[str]:
    rng = random.Random(f"refs-{record.study.key}")
    lines = []
    for _ in range(n):
        people = _authors(rng, rng.randint(1, 4))
        journal = rng.choice(POLICY_JOURNALS)
        year = rng.randint(1996, max(1997, record.study.year - 1))
        words = rng.choice(HOOKS).rstrip("?")
        lines.append(
            ", ".join(a.scopus() for a in people)
            + f", {words} ({year}) {journal.name}, {rng.randint(1, 40)}, "
            + f"pp. {(p := rng.randint(1, 900))}-{p + rng.randint(5, 20)}; "
        )
    return lines


def _affiliation(author: Author, country: str) -> str:
    rng = random.Random(f"aff-{author.surname}-{author.given}")
    department = rng.choice(
        (
            "Department of Social Policy",
            "School of Public Health",
            "Institute of Public Administration",
            "Department of Sociology",
            "Centre for Health Services Research",
            "School of Social Work",
        )
    )
    city = rng.choice(("Northfield", "Eastbridge", "Westhaven", "Southmoor", "Riverton"))
    return f"{department}, {city} University (fictional), {country or 'United Kingdom'}"


def format_scopus_ris(records: Iterable[DemoRecord], export_date: str = "3 February 2025") -> str:
    """Scopus RIS: TY/TI/T2/J2..., N1 notes, untagged reference lines, LF, blank line."""
    out: list[str] = []
    for record in records:
        s = record.study
        aip = record.get("article_in_press") == "1"
        kind = {"erratum": "Erratum", "review": "Review", "editorial": "Editorial"}.get(
            s.kind, "Article"
        )
        lines = [
            "TY  - JOUR",
            f"TI  - {record.title}",
            f"T2  - {s.journal.name}",
            f"J2  - {s.journal.abbrev}",
        ]
        if not aip:
            lines.append(f"VL  - {s.volume}")
            if s.issue:
                lines.append(f"IS  - {s.issue}")
            if s.first_page:
                lines.append(f"SP  - {s.first_page}")
            if s.last_page:
                lines.append(f"EP  - {s.last_page}")
        lines.append(f"PY  - {s.year if not aip else s.year - 1}")
        if record.doi:
            lines.append(f"DO  - {_doi_as_written(record)}")
        lines.append(f"SN  - {s.journal.issn.replace('-', '')} (ISSN) ")
        for author in s.authors:
            lines.append(f"AU  - {author.scopus()}")
        for author in s.authors[:2]:
            lines.append(f"AD  - {_affiliation(author, s.country)}")
        if s.abstract:
            copyright_line = f" © {s.year} {FICTIONAL}."
            lines.append(f"AB  - {s.abstract}{copyright_line}")
            if record.get("abstract_extra"):
                lines.append(record.get("abstract_extra"))
        for keyword in s.keywords:
            lines.append(f"KW  - {keyword}")
        lines.append(f"PB  - {s.journal.publisher}")
        if not aip and (s.key[-1] in "13579"):
            lines.append(f"N1  - Cited By :{int(s.key[1:]) % 17 + 1}")
        lines += [f"N1  - Export Date: {export_date}", f"M3  - {kind}", "DB  - Scopus"]
        if s.article_number and not aip:
            lines.append(f"C7  - {s.article_number}")
        lines.append(f"LA  - {record.get('language') or 'English'}")
        if aip:
            lines.append("N1  - Article in Press")
        if s.authors:
            lead = s.authors[0]
            email = re.sub(r"[^a-z]", "", _ascii(lead.surname).lower())
            lines.append(
                f"N1  - Correspondence Address: {lead.scopus()}; "
                f"{_affiliation(lead, s.country)}; email: {email}@example.org"
            )
        if s.kind not in ("erratum", "editorial"):
            refs = _fake_references(record, 3 + int(s.key[1:]) % 5)
            lines.append(f"N1  - References: {refs[0]}")
            lines += refs[1:]
        encoded_doi = record.doi.replace("/", "%2f")
        url = f"https://www.scopus.com/inward/record.uri?eid={record.native_id}"
        if record.doi:
            url += f"&doi={encoded_doi}"
        url += f"&partnerID=40&md5={_md5(record.native_id)}"
        lines += [f"UR  - {url}", "ER  - ", ""]
        out += lines
    return "\n".join(out) + "\n"


def _medline_pages(first: str, last: str) -> str:
    """MEDLINE abbreviates page ranges: 73-76 -> 73-6, 1204-1219 -> 1204-19."""
    if not last:
        return first
    if len(first) != len(last) or not (first.isdigit() and last.isdigit()):
        return f"{first}-{last}"
    i = 0
    while i < len(first) - 1 and first[i] == last[i]:
        i += 1
    return f"{first}-{last[i:]}"


def _medline_field(tag: str, value: str, width: int = 82) -> list[str]:
    """A MEDLINE field wrapped as PubMed does: 6-space continuation lines, trailing space."""
    prefix = f"{tag:<4}- "
    wrapped = textwrap.wrap(
        value, width=width - 6, break_long_words=False, break_on_hyphens=False
    ) or [""]
    lines = [prefix + wrapped[0]]
    lines += ["      " + part for part in wrapped[1:]]
    return [line + " " for line in lines[:-1]] + [lines[-1]]


def format_pubmed_medline(records: Iterable[DemoRecord]) -> str:
    """PubMed "PubMed format" (MEDLINE): tagged, wrapped, CRLF line ends like a download."""
    out: list[str] = []
    for record in records:
        s = record.study
        month = _month(record)
        stat = "MEDLINE"
        if s.journal.name in (
            "International Journal of Integrated Care",
            "Research Involvement and Engagement",
        ):
            stat = "PubMed-not-MEDLINE"
        if s.year >= 2024:
            stat = "In-Process"
        lines = [f"PMID- {record.native_id}", "OWN - NLM", f"STAT- {stat}"]
        if stat == "MEDLINE":
            lines.append(f"DCOM- {s.year + 1}{month:02d}15")
        lines.append(f"LR  - {s.year + 1}{month:02d}20")
        lines += [f"IS  - {s.journal.issn} (Electronic)", f"IS  - {s.journal.issn} (Linking)"]
        lines.append(f"VI  - {s.volume}")
        if s.issue:
            lines.append(f"IP  - {s.issue}")
        lines.append(f"DP  - {s.year} {MONTHS[month - 1]}")
        lines += _medline_field("TI", record.title)
        if s.article_number:
            lines.append(f"PG  - {s.article_number}")
            lines.append(f"LID - {s.article_number} [pii]")
        else:
            lines.append(f"PG  - {_medline_pages(s.first_page, s.last_page)}")
        if record.doi:
            lines.append(f"LID - {record.doi} [doi]")
        if s.abstract:
            lines += _medline_field("AB", s.abstract)
            lines += _medline_field("CI", f"(c) {s.year} {FICTIONAL}.")
        for author in s.authors:
            lines += [f"FAU - {author.medline_full()}", f"AU  - {author.medline()}"]
            lines += _medline_field("AD", _affiliation(author, s.country))
        lines.append("LA  - " + ("spa" if s.language == "Spanish" else "eng"))
        if s.kind == "erratum":
            lines.append("PT  - Published Erratum")
        else:
            lines.append("PT  - Journal Article")
            if s.kind == "review":
                lines.append("PT  - Review")
            lines.append("PT  - Research Support, Non-U.S. Gov't")
        if s.original_title:
            lines += _medline_field("TT", s.original_title)
        lines.append(f"DEP - {s.year}{month:02d}0{1 + int(s.key[1:]) % 9}")
        lines += [
            "PL  - England",
            f"TA  - {s.journal.abbrev}",
            f"JT  - {s.journal.name}",
            f"JID - 1{int(s.journal.issn[:4]):07d}",
        ]
        if stat == "MEDLINE":
            lines.append("SB  - IM")
            headings = (
                "Humans",
                "Community Participation/*methods",
                "Qualitative Research",
                "Health Policy",
            )
            if s.ta_truth == "exclude":
                headings = ("Female", "Humans", "Male", "Middle Aged")
            lines += [f"MH  - {heading}" for heading in headings]
        if s.keywords:
            lines.append("OTO - NOTNLM")
            lines += [f"OT  - {k}" for k in s.keywords]
        stamp = f"{s.year}/{month:02d}/0{1 + int(s.key[1:]) % 9}"
        lines += [
            f"EDAT- {stamp} 06:00",
            f"MHDA- {stamp} 06:01",
            f"CRDT- {stamp} 05:33",
            f"PHST- {stamp} 06:00 [pubmed]",
            f"PHST- {stamp} 06:00 [entrez]",
        ]
        if record.doi:
            lines.append(f"AID - {record.doi} [doi]")
        lines.append("PST - ppublish")
        so = f"{s.journal.abbrev}. {s.year} {MONTHS[month - 1]};{s.volume}"
        so += f"({s.issue})" if s.issue else ""
        so += f":{lines_pages(s)}."
        if record.doi:
            so += f" doi: {record.doi}."
        lines += _medline_field("SO", so)
        lines.append("")
        out += lines
    return "\r\n".join(out) + "\r\n"


def lines_pages(study: DemoStudy) -> str:
    """Pages as the MEDLINE SO line writes them."""
    if study.article_number:
        return study.article_number
    return _medline_pages(study.first_page, study.last_page)


def _wos_multi(tag: str, values: Sequence[str]) -> list[str]:
    if not values:
        return []
    return [f"{tag} {values[0]}"] + [f"   {v}" for v in values[1:]]


def _wos_wrapped(tag: str, value: str, width: int = 72) -> list[str]:
    parts = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
    return _wos_multi(tag, parts)


def format_wos_plaintext(records: Iterable[DemoRecord]) -> str:
    """Web of Science "Plain text file" export: FN/VR header, 3-space continuations, EF."""
    out = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for record in records:
        s = record.study
        meeting = s.kind == "conference_abstract"
        lines = ["PT J"]
        lines += _wos_multi("AU", [a.wos() for a in s.authors])
        lines += _wos_multi("AF", [a.medline_full() for a in s.authors])
        lines += _wos_wrapped("TI", record.title)
        lines += _wos_wrapped("SO", s.journal.name.upper())
        lines.append("LA " + ("Spanish" if s.language == "Spanish" else "English"))
        lines.append(
            "DT "
            + {
                "conference_abstract": "Meeting Abstract",
                "review": "Review",
                "editorial": "Editorial Material",
            }.get(s.kind, "Article")
        )
        if s.keywords:
            lines += _wos_wrapped("DE", "; ".join(s.keywords))
        if s.abstract:
            lines.append(f"AB {s.abstract}")
        if s.authors:
            lines += _wos_multi(
                "C1", [f"[{a.medline_full()}] {_affiliation(a, s.country)}" for a in s.authors[:2]]
            )
            lead = s.authors[0]
            lines.append(
                f"RP {lead.wos()} (corresponding author), {_affiliation(lead, s.country)}."
            )
        refs = _fake_references(record, 3)
        lines += _wos_multi(
            "CR", [r.split(", ")[0] + f", {2000 + i}, FICTIONAL REF" for i, r in enumerate(refs)]
        )
        lines += [
            f"NR {len(refs)}",
            f"TC {int(s.key[1:]) % 23}",
            f"Z9 {int(s.key[1:]) % 25}",
            "U1 0",
            "U2 3",
            f"PU {s.journal.publisher.upper()}",
            f"SN {s.journal.issn}",
            f"J9 {s.journal.abbrev.upper().rstrip('.')}",
            f"JI {s.journal.abbrev}",
            f"PD {MONTHS[_month(record) - 1].upper()}",
            f"PY {s.year}",
            f"VL {s.volume}",
        ]
        if s.issue:
            lines.append(f"IS {s.issue}")
        if meeting:
            lines += ["SU S", f"BP {s.first_page}", f"EP {s.first_page}"]
        elif s.article_number:
            lines.append(f"AR {s.article_number}")
        else:
            lines += [f"BP {s.first_page}", f"EP {s.last_page}"]
        if record.doi:
            lines.append(f"DI {record.doi}")
        category = {"health": "Health Policy & Services", "other": "Environmental Sciences"}.get(
            s.journal.field, "Public Administration"
        )
        lines += [
            f"WC {category}; Social Sciences, Interdisciplinary",
            f"SC {category}",
            f"GA {_md5(record.native_id)[:5].upper()}",
            f"UT {record.native_id}",
            "DA 2025-02-04",
            "ER",
            "",
        ]
        out += lines
    out.append("EF")
    return "\ufeff" + "\n".join(out) + "\n"


def _bib_protect(title: str) -> str:
    """Zotero wraps words with capitals (not the first word) in braces to keep their case."""
    words = title.split(" ")
    out = [words[0]]
    for word in words[1:]:
        core = word.strip(":?,.")
        out.append(word.replace(core, "{" + core + "}") if re.search(r"[A-Z]", core) else word)
    return " ".join(out)


def _bib_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%")


def format_zotero_bibtex(records: Iterable[DemoRecord]) -> str:
    """BibTeX as Zotero exports it: leading newline, tab indent, Zotero's field order."""
    out: list[str] = []
    for record in records:
        s = record.study
        entry = {"article": "article", "report": "techreport", "chapter": "incollection"}.get(
            s.kind, "article"
        )
        fields: list[tuple[str, str]] = [("title", _bib_protect(_bib_escape(record.title)))]
        if entry == "article":
            fields += [("volume", s.volume), ("issn", s.journal.issn)]
        if record.doi:
            fields.append(("url", f"https://doi.org/{record.doi}"))
            fields.append(("doi", _doi_as_written(record)))
        if s.abstract:
            fields.append(("abstract", _bib_escape(s.abstract)))
        fields.append(("language", "en"))
        if entry == "article":
            if s.issue:
                fields.append(("number", s.issue))
            fields += [("urldate", "2025-03-10"), ("journal", _bib_escape(s.journal.name))]
        elif entry == "techreport":
            fields += [
                ("address", "London"),
                ("institution", "Centre for Public Service Partnerships (fictional)"),
            ]
        else:
            fields += [
                ("address", "Bristol"),
                ("publisher", "Policy Press"),
                ("booktitle", "Co-production and public services (fictional)"),
            ]
        fields.append(("author", " and ".join(a.bibtex() for a in s.authors)))
        if entry == "article":
            fields.append(("month", MONTHS[_month(record) - 1].lower()))
        fields.append(("year", str(s.year)))
        fields.append(("note", FICTIONAL))
        if s.article_number:
            fields.append(("pages", s.article_number))
        elif s.first_page and entry != "techreport":
            fields.append(
                ("pages", f"{s.first_page}--{s.last_page}" if s.last_page else s.first_page)
            )
        lines = [f"@{entry}{{{record.native_id},"]
        for name, value in fields:
            if name == "month":
                lines.append(f"\t{name} = {value},")
            else:
                lines.append(f"\t{name} = {{{value}}},")
        lines.append("}")
        out += ["", *lines]
    return "\n".join(out) + "\n"


WRITERS = {
    "scopus": format_scopus_ris,
    "pubmed": format_pubmed_medline,
    "wos": format_wos_plaintext,
    "citations": format_zotero_bibtex,
}


def write_exports(review: DemoReview, raw_dir: str | Path) -> dict[str, Path]:
    """Write the four export files of the demo into ``raw_dir``; returns search -> path."""
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for search, name in EXPORT_FILES.items():
        text = WRITERS[search](review.records[search])
        path = raw_dir / name
        path.write_bytes(text.encode("utf-8"))
        paths[search] = path
    return paths


def build_update_search(
    review: DemoReview,
    *,
    search: str = "pubmed_update",
    seed: int = DEMO_SEED + 100,
    n_new: int = 12,
    n_known: int = 4,
    year: int = 2025,
) -> list[DemoRecord]:
    """A fictional update search in PubMed: ``n_new`` studies published in ``year`` and
    ``n_known`` studies the first PubMed search found already (same PMIDs), in file order.

    Write it with ``format_pubmed_medline``; its new studies are off topic unless a test
    changes their truth, and their keys continue after the review's (D185, ...).
    """
    rng = random.Random(seed)
    used = {s.title.lower() for s in review.studies}
    first = len(review.studies) + 1
    new = [
        replace(s, key=f"D{first + i:03d}", year=year, found_in=(search,))
        for i, s in enumerate(_off_topic_studies(rng, used, n_new))
    ]
    known = [replace(r, search=search) for r in rng.sample(review.records["pubmed"], n_known)]
    records = [_record(rng, "pubmed", s) for s in new]
    records = [replace(r, search=search) for r in records] + known
    rng.shuffle(records)
    return records


def ground_truth(review: DemoReview) -> dict[str, object]:
    """The numbers an end-to-end test can assert without trusting the pipeline."""
    studies = review.studies
    ta = [s for s in studies if s.ta_truth]
    ft = [s for s in studies if s.ft_truth]
    return {
        "records": {k: len(v) for k, v in review.records.items()},
        "records_total": sum(len(v) for v in review.records.values()),
        "studies": len(studies),
        "title_abstract_screened": len(ta),
        "title_abstract_include": sum(s.ta_truth == "include" for s in ta),
        "title_abstract_maybe": sum(s.ta_truth == "maybe" for s in ta),
        "title_abstract_exclude": sum(s.ta_truth == "exclude" for s in ta),
        "citation_only": sum(not s.ta_truth for s in studies),
        "full_text_candidates": len(ft),
        "full_text_include": sum(s.ft_truth == "include" for s in ft),
        "full_text_not_retrieved": sum(s.ft_truth == "not_retrieved" for s in ft),
        "full_text_exclude": {
            reason: sum(s.ft_reason == reason for s in ft) for reason in FT_REASONS
        },
    }


# ---------------------------------------------------------------------------------------
# From the pipeline's studies back to the truth (phase 2: the human sheets)
# ---------------------------------------------------------------------------------------


def _line_number(source_line: str) -> int:
    tail = str(source_line).rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def match_records(review: DemoReview, records: pd.DataFrame) -> dict[str, DemoRecord]:
    """``record_id -> DemoRecord``: the pipeline's records matched to ours by file order."""
    matched: dict[str, DemoRecord] = {}
    for search, ours in review.records.items():
        theirs = records[records["search"] == search].copy()
        theirs["_line"] = theirs["source_line"].map(_line_number)
        theirs = theirs.sort_values("_line", kind="stable")
        if len(theirs) != len(ours):
            raise ValueError(
                f"search {search}: the pipeline imported {len(theirs)} records, the demo wrote "
                f"{len(ours)}; the importer and the demo disagree about this file"
            )
        for record_id, record in zip(theirs["record_id"], ours, strict=True):
            matched[record_id] = record
    return matched


@dataclass
class StudyMatch:
    """The pipeline's studies read against the truth: which demo study each one is."""

    truth: dict[str, DemoStudy]  # study_id -> the demo study of its anchor's record
    merged_wrongly: dict[str, list[str]]  # study_id -> demo keys it wrongly joins
    split_wrongly: dict[str, list[str]]  # demo key -> study ids it was split into


def match_studies(review: DemoReview, records: pd.DataFrame) -> StudyMatch:
    """Map every study id of ``records.csv`` (with study_id) to its demo study."""
    by_record = match_records(review, records)
    keys_of: dict[str, set[str]] = {}
    ids_of: dict[str, set[str]] = {}
    for record_id, study_id in zip(records["record_id"], records["study_id"], strict=True):
        key = by_record[record_id].study.key
        keys_of.setdefault(study_id, set()).add(key)
        ids_of.setdefault(key, set()).add(study_id)
    truth = {}
    for study_id, keys in sorted(keys_of.items()):
        truth[study_id] = review.study(min(keys))
    return StudyMatch(
        truth=truth,
        merged_wrongly={i: sorted(k) for i, k in keys_of.items() if len(k) > 1},
        split_wrongly={k: sorted(i) for k, i in ids_of.items() if len(i) > 1},
    )


# How each fictional reviewer types a decision: alice mostly in words, ben in shorthand.
TYPING = {
    "alice": {
        "include": ("include", "include", "include", "Include", "included"),
        "exclude": ("exclude", "exclude", "exclude", "Exclude", "excluded"),
        "maybe": ("maybe", "maybe", "unsure"),
        "not_retrieved": ("not retrieved",),
    },
    "ben": {
        "include": ("Yes", "yes", "I", "INCLUDE", "include", "y"),
        "exclude": ("No", "no", "E", "EXCLUDE", "exclude", "excl"),
        "maybe": ("?", "Maybe", "unclear"),
        "not_retrieved": ("Not retrieved", "NR"),
    },
}
TA_REASONS = {
    "editorial": "editorial",
    "erratum": "erratum",
    "other": "off topic",
    "health": "not co-production (clinical)",
    "policy": "not co-production",
}
TA_NOTES = {
    "maybe": (
        "abstract does not say who took part",
        "policymakers involved? check full text",
        "could be consultation rather than co-production",
    ),
    "erratum": "correction notice of an included article",
    "conference_abstract": "conference abstract; look for the full paper",
    "part": "two-part paper: screen both parts",
}


def _typed(rng: random.Random, reviewer: str, decision: str) -> str:
    return rng.choice(TYPING.get(reviewer, TYPING["alice"])[decision])


def _other_decision(rng: random.Random, truth: str) -> str:
    return rng.choice(
        {
            "include": ("exclude", "maybe"),
            "exclude": ("include", "maybe"),
            "maybe": ("include", "exclude"),
        }[truth]
    )


def _ta_reason(study: DemoStudy) -> str:
    if study.kind in ("editorial", "erratum"):
        return TA_REASONS[study.kind]
    return TA_REASONS[study.journal.field]


def title_abstract_rows(
    rng: random.Random, sheet: pd.DataFrame, truth: dict[str, DemoStudy], reviewers: Sequence[str]
) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    """Fill the title/abstract sheets as two reviewers would, and chidi's resolutions."""
    study_ids = list(sheet["study_id"])
    relevant = [i for i in study_ids if truth[i].ft_truth]
    off_topic = [i for i in study_ids if not truth[i].ft_truth]
    disputed = set(rng.sample(relevant, 11)) | set(rng.sample(off_topic, 7))
    rows: dict[str, list[dict[str, str]]] = {r: [] for r in reviewers}
    resolutions = []
    for study_id in study_ids:
        study = truth[study_id]
        said = {r: study.ta_truth for r in reviewers}
        if study_id in disputed:
            said[rng.choice(list(reviewers))] = _other_decision(rng, study.ta_truth)
        for reviewer in reviewers:
            decision = said[reviewer]
            reason, note = "", ""
            if decision == "exclude" and (reviewer == "alice" or rng.random() < 0.3):
                reason = _ta_reason(study) if study.ta_truth == "exclude" else "not co-production"
            if reviewer == "alice":
                if study.role == "erratum":
                    note = TA_NOTES["erratum"]
                elif study.role == "conference_abstract":
                    note = TA_NOTES["conference_abstract"]
                elif study.role.startswith("part"):
                    note = TA_NOTES["part"]
                elif decision == "maybe":
                    note = rng.choice(TA_NOTES["maybe"])
            elif decision == "maybe" and rng.random() < 0.5:
                note = rng.choice(TA_NOTES["maybe"])
            rows[reviewer].append(
                {
                    "study_id": study_id,
                    "decision": _typed(rng, reviewer, decision),
                    "reason": reason,
                    "note": note,
                }
            )
        if len(set(said.values())) > 1:
            resolutions.append(
                {
                    "study_id": study_id,
                    "decision": study.ta_truth,
                    "reason": _ta_reason(study) if study.ta_truth == "exclude" else "",
                    "resolved_by": "chidi",
                    "note": "discussed at screening meeting" if rng.random() < 0.5 else "",
                }
            )
    return rows, resolutions


def full_text_rows(
    rng: random.Random, sheet: pd.DataFrame, truth: dict[str, DemoStudy], reviewers: Sequence[str]
) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    """Fill the full-text sheets: include, exclude with a reason, one report not retrieved."""
    study_ids = list(sheet["study_id"])
    judged = [i for i in study_ids if truth[i].ft_truth in ("include", "exclude")]
    excluded = [i for i in judged if truth[i].ft_truth == "exclude"]
    included = [i for i in judged if truth[i].ft_truth == "include"]
    flip = set(rng.sample(included, 2)) | set(rng.sample(excluded, 2))
    other_reason = set(rng.sample([i for i in excluded if i not in flip], 2))
    rows: dict[str, list[dict[str, str]]] = {r: [] for r in reviewers}
    resolutions = []
    for study_id in study_ids:
        study = truth[study_id]
        said = {r: (study.ft_truth, study.ft_reason) for r in reviewers}
        odd = rng.choice(list(reviewers))
        if study_id in flip:
            said[odd] = (
                ("exclude", "No risks, limits or lessons reported")
                if study.ft_truth == "include"
                else ("include", "")
            )
        elif study_id in other_reason:
            said[odd] = (
                "exclude",
                next(r for r in FT_REASONS[:3] if r != study.ft_reason),
            )
        for reviewer in reviewers:
            decision, reason = said[reviewer]
            if reason and rng.random() < 0.2:
                reason = reason.lower()
            note = ""
            if decision == "not_retrieved":
                note = "requested from the authors and by interlibrary loan; no copy found"
            elif decision == "include" and reviewer == "alice" and rng.random() < 0.25:
                note = rng.choice(
                    (
                        "rich on lessons",
                        "good quotes in Discussion",
                        "only partly about policymakers",
                    )
                )
            rows[reviewer].append(
                {
                    "study_id": study_id,
                    "decision": _typed(rng, reviewer, decision),
                    "reason": reason,
                    "note": note,
                }
            )
        if len(set(said.values())) > 1:
            resolutions.append(
                {
                    "study_id": study_id,
                    "decision": study.ft_truth,
                    "reason": study.ft_reason,
                    "resolved_by": "chidi",
                    "note": "agreed after discussion",
                }
            )
    return rows, resolutions


QUOTES = {
    ("culture", "risk"): (
        "We were invited in once and never asked back, so people stopped trusting the {forum}.",
        "Officials still saw the {forum} as a place to tell us what had been decided.",
    ),
    ("culture", "limit"): (
        "A {forum} cannot undo years of services doing things to people rather than with them.",
        "Equal partnership stopped at the door of the budget meeting.",
    ),
    ("culture", "lesson"): (
        "Meeting regularly over a long time, not only when a decision was due, built trust.",
        "Senior sponsors who stayed in post made it safe for staff to share power.",
    ),
    ("expectations", "risk"): (
        "People expected their ideas to be adopted and felt used when the plan did not change.",
        "Early promises about influence could not be kept once the {forum} met the budget cycle.",
    ),
    ("expectations", "limit"): (
        "Some decisions were fixed by national policy and could never be co-produced locally.",
        "The {forum} could shape how the service was delivered, not whether it was funded.",
    ),
    ("expectations", "lesson"): (
        "Say at the start what is open to change and what is not, and repeat it.",
        "Report back on what happened to every suggestion, including the ones not taken up.",
    ),
    ("one_size", "risk"): (
        "The national toolkit assumed everyone could attend daytime meetings in the town hall.",
        "A single model of involvement suited confident speakers and excluded others.",
    ),
    ("one_size", "limit"): (
        "What worked in the city did not transfer to rural areas with no public transport.",
        "No single method reached both young carers and older residents.",
    ),
    ("one_size", "lesson"): (
        "Let each locality choose its own methods and meeting times.",
        "Offer several ways to take part: online, in person, and through trusted groups.",
    ),
    ("language", "risk"): (
        "Acronyms and policy jargon kept service users silent in the {forum}.",
        "Calling a consultation 'co-production' made people cynical about the word.",
    ),
    ("language", "limit"): (
        "Plain language alone could not remove the power gap between professionals and users.",
        "Translating documents did not make the {forum} feel less formal.",
    ),
    ("language", "lesson"): (
        "A shared glossary, written together, helped partners notice when they disagreed.",
        "Name who decided what, instead of saying 'we co-produced this'.",
    ),
    ("resourcing", "risk"): (
        "Service users gave hours of unpaid time while everyone else at the table was paid.",
        "When the grant ended, the {forum} stopped and trust was lost.",
    ),
    ("resourcing", "limit"): (
        "Benefits rules meant some people could not accept payment for taking part.",
        "Short funding cycles limited what a {forum} could achieve.",
    ),
    ("resourcing", "lesson"): (
        "Budget for payment, travel, childcare and facilitation from the start.",
        "A named coordinator with protected time kept the {forum} going.",
    ),
}
FORUMS = (
    "partnership board",
    "steering group",
    "advisory panel",
    "working group",
    "co-design group",
)
SPEAKERS = (
    "",
    "",
    "Service user: ",
    "Policy officer: ",
    "Practitioner: ",
    "Carer: ",
    "Manager: ",
    "Authors: ",
)
LOCATIONS = ("Findings", "Discussion", "Table 2", "Results, theme 2", "Conclusion")


def coding_rows(
    rng: random.Random, included: Sequence[tuple[str, DemoStudy]], codebook_labels: dict[str, str]
) -> list[dict[str, str]]:
    """2-6 coded excerpts per included study; every theme x kind at least once; a few
    studies double-coded by ben, who codes some excerpts differently."""
    cells = [(t, k) for t in THEMES for k in KINDS]
    uncovered = list(cells)
    rows = []
    for study_id, study in included:
        themes = study.themes or tuple(rng.sample(THEMES, 2))
        n = max(2, min(6, len(themes) + rng.randint(0, 2)))
        picked: list[tuple[str, str]] = []
        for i in range(n):
            theme = themes[i % len(themes)]
            open_kinds = [k for k in KINDS if (theme, k) in uncovered]
            kind = open_kinds[0] if open_kinds else rng.choice(KINDS)
            if (theme, kind) in picked:
                continue
            picked.append((theme, kind))
            if (theme, kind) in uncovered:
                uncovered.remove((theme, kind))
        for theme, kind in picked:
            quote = rng.choice(QUOTES[(theme, kind)]).format(forum=rng.choice(FORUMS))
            page = rng.randint(3, 18)
            location = rng.choice((f"p. {page}", f"{rng.choice(LOCATIONS)}, p. {page}"))
            speaker = rng.choice(SPEAKERS)
            rows.append(
                {
                    "study_id": study_id,
                    "theme": theme,
                    "kind": kind,
                    "excerpt": f'{speaker}"{quote}"' if speaker else quote,
                    "location": location,
                    "coder": "alice",
                    "note": "",
                }
            )
    # cells no study's themes reached: code them where a quote fits best (first studies)
    for (theme, kind), (study_id, _) in zip(uncovered, included, strict=False):
        quote = rng.choice(QUOTES[(theme, kind)]).format(forum=rng.choice(FORUMS))
        rows.append(
            {
                "study_id": study_id,
                "theme": theme,
                "kind": kind,
                "excerpt": quote,
                "location": f"p. {rng.randint(3, 18)}",
                "coder": "alice",
                "note": "theme raised in passing",
            }
        )
    # ben double-codes three studies, typing theme labels. He reads one excerpt as another
    # kind, leaves out the last excerpt of the second study, and codes one more theme in the
    # third: the disagreements a coder-agreement table should show.
    for number, (study_id, _) in enumerate(rng.sample(list(included), 3)):
        mine = [r for r in rows if r["study_id"] == study_id and r["coder"] == "alice"]
        if number == 1 and len(mine) > 2:
            mine = mine[:-1]
        for index, row in enumerate(mine):
            theme, kind = row["theme"], row["kind"]
            note = ""
            if index == 1:
                kind = next(k for k in KINDS if k != kind)
                note = "read this as a " + kind
            rows.append(
                {
                    **row,
                    "theme": codebook_labels.get(theme, theme),
                    "kind": kind,
                    "coder": "ben",
                    "note": note,
                }
            )
        if number == 2:
            coded = {r["theme"] for r in mine}
            extra = next(t for t in THEMES if t not in coded)
            rows.append(
                {
                    "study_id": study_id,
                    "theme": codebook_labels.get(extra, extra),
                    "kind": "lesson",
                    "excerpt": rng.choice(QUOTES[(extra, "lesson")]).format(
                        forum=rng.choice(FORUMS)
                    ),
                    "location": "Discussion",
                    "coder": "ben",
                    "note": "alice did not code this",
                }
            )
    return rows


def characteristics_rows(included: Sequence[tuple[str, DemoStudy]]) -> list[dict[str, str]]:
    return [
        {
            "study_id": study_id,
            "country": s.country,
            "sector": s.sector,
            "setting": s.setting,
            "design": s.design,
            "participants": s.participants,
        }
        for study_id, s in included
    ]


RESOLUTION_COLUMNS = ("study_id", "decision", "reason", "resolved_by", "note")
DUPLICATE_COLUMNS = ("record_id_a", "record_id_b", "verdict", "note")
CODING_COLUMNS = ("study_id", "theme", "kind", "excerpt", "location", "coder", "note")
CHARACTERISTICS_COLUMNS = ("study_id", "country", "sector", "setting", "design", "participants")
DEDUPE_OUTPUTS = ("records", "studies", "merges", "to_check", "counts", "overlap")


def _run_import_and_dedupe(
    review: DemoReview, work: Path, config: dict, verdicts: Path | None
) -> dict[str, Path]:
    """Import the demo exports and group them into studies, all inside ``work``."""
    from prismake.dedupe import dedupe_review
    from prismake.importers import import_search

    write_exports(review, work / "data" / "raw")
    files = []
    for search in config["searches"]:
        entry = {**search, "file": str(work / search["file"])}
        out = work / "processed" / "records" / f"{search['name']}.csv"
        import_search(
            search=entry,
            records_out=str(out),
            report_out=str(work / "processed" / "import" / f"{search['name']}.md"),
        )
        files.append(str(out))
    outputs = {name: work / "processed" / "dedupe" / f"{name}.csv" for name in DEDUPE_OUTPUTS}
    dedupe_review(
        record_files=files,
        searches=config["searches"],
        settings=config["dedupe"],
        verdicts_path=str(verdicts) if verdicts else None,
        outputs={k: str(v) for k, v in outputs.items()},
    )
    return outputs


def _sheet_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _fill(sheet: pd.DataFrame, rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    typed = {r["study_id"]: r for r in rows}
    return [{**record, **typed[record["study_id"]]} for record in sheet.to_dict("records")]


def _duplicate_verdicts(
    review: DemoReview, records: pd.DataFrame, to_check: pd.DataFrame
) -> list[dict[str, str]]:
    """Verdicts on (up to two) pairs the engine asks about, and on hard pairs kept apart."""
    by_record = match_records(review, records)
    verdicts = []
    for a, b in zip(to_check["record_id_a"], to_check["record_id_b"], strict=True):
        same = by_record[a].study.key == by_record[b].study.key
        verdicts.append(
            {
                "record_id_a": a,
                "record_id_b": b,
                "verdict": "same" if same else "different",
                "note": "same article: in-press and final versions" if same else "different papers",
            }
        )
        if len(verdicts) == 2:
            break
    first_of: dict[tuple[str, str], str] = {}
    for record_id in sorted(by_record):
        record = by_record[record_id]
        first_of.setdefault((record.study.role, record.search), record_id)
    for role_a, role_b, search, note in (
        ("part1", "part2", "scopus", "part 1 and part 2 of a two-part paper: two reports"),
        (
            "conference_abstract",
            "conference_article",
            "wos",
            "conference abstract and the later journal article: two reports",
        ),
    ):
        a, b = first_of.get((role_a, search)), first_of.get((role_b, search))
        if a and b:
            verdicts.append(
                {"record_id_a": a, "record_id_b": b, "verdict": "different", "note": note}
            )
    return verdicts[:3]


def write_sheets(
    root: str | Path, config: dict, seed: int = DEMO_SEED, work: str | Path | None = None
) -> dict[str, object]:
    """Write the demo's human sheets into ``root/data`` from the pipeline's own study ids.

    Runs import, dedupe and screening in a scratch folder (never in ``root``), maps the
    pipeline's studies back to the demo's truth through each record's place in its export,
    and types the decisions two reviewers would. Returns what it wrote and the counts.
    """
    import tempfile

    from prismake.csvio import read_table, write_sheet
    from prismake.extraction.codebook import load_codebook
    from prismake.screening import screen_stage, sync_sheets

    root = Path(root)
    review = build_review(seed)
    rng = random.Random(seed + 2)
    scratch = tempfile.TemporaryDirectory(prefix="prismake-demo-")
    work = Path(work) if work else Path(scratch.name)
    screening = config["screening"]
    # 1. records -> studies, then a second dedupe run with the duplicate verdicts
    outputs = _run_import_and_dedupe(review, work, config, None)
    records = read_table(outputs["records"])
    verdicts = _duplicate_verdicts(review, records, read_table(outputs["to_check"]))
    duplicates_path = root / "data" / "screening" / "duplicates.csv"
    write_sheet(
        pd.DataFrame(verdicts, columns=list(DUPLICATE_COLUMNS)), duplicates_path, DUPLICATE_COLUMNS
    )
    outputs = _run_import_and_dedupe(review, work, config, duplicates_path)
    records = read_table(outputs["records"])
    match = match_studies(review, records)
    truth = match.truth
    report: dict[str, object] = {
        "merged_wrongly": match.merged_wrongly,
        "split_wrongly": match.split_wrongly,
        "duplicate_verdicts": len(verdicts),
    }
    previous: Path | None = None
    for stage in ("title_abstract", "full_text"):
        reviewers = list(screening["stages"][stage]["reviewers"])
        sheet_dir = work / "sheets" / stage
        sync_sheets(
            stage=stage,
            studies_path=outputs["studies"],
            previous_decisions_path=previous,
            removed_path=None,
            sheet_dir=sheet_dir,
            backup_dir=work / "backups",
            screening=screening,
            searches=config["searches"],
            added_out=work / "processed" / stage / "added.csv",
        )
        from prismake.screening.sheets import new_sheet_bytes
        from prismake.screening.stage import SHEET_COLUMNS

        blank = _sheet_frame(sheet_dir / f"{reviewers[0]}.csv")
        fill = title_abstract_rows if stage == "title_abstract" else full_text_rows
        rows, resolutions = fill(rng, blank, truth, reviewers)
        target = root / "data" / "screening" / stage
        target.mkdir(parents=True, exist_ok=True)
        for reviewer in reviewers:
            sheet = _sheet_frame(sheet_dir / f"{reviewer}.csv")
            data = new_sheet_bytes(SHEET_COLUMNS[stage], _fill(sheet, rows[reviewer]))
            (target / f"{reviewer}.csv").write_bytes(data)
            (sheet_dir / f"{reviewer}.csv").write_bytes(data)
        frame = pd.DataFrame(resolutions, columns=list(RESOLUTION_COLUMNS))
        write_sheet(frame, target / "resolutions.csv", RESOLUTION_COLUMNS)
        write_sheet(frame, sheet_dir / "resolutions.csv", RESOLUTION_COLUMNS)
        decided = {
            name: work / "results" / stage / f"{name}.csv"
            for name in ("decisions", "reviewer_decisions", "conflicts", "orphans")
        }
        screen_stage(
            stage=stage,
            studies_path=outputs["studies"],
            previous_decisions_path=previous,
            removed_path=None,
            sheet_dir=sheet_dir,
            screening=screening,
            outputs=decided,
        )
        decisions = read_table(decided["decisions"])
        report[stage] = decisions["decision"].value_counts().sort_index().to_dict()
        report[f"{stage}_conflicts_resolved"] = len(resolutions)
        report[f"{stage}_candidates"] = len(blank)
        previous = decided["decisions"]
        if stage == "full_text":
            included_ids = sorted(decisions.loc[decisions["decision"] == "include", "study_id"])
    codebook = load_codebook(config["extraction"]["codebook"])
    labels = {theme.id: theme.label for theme in codebook.themes}
    included = [(i, truth[i]) for i in included_ids]
    extraction = root / "data" / "extraction"
    write_sheet(
        pd.DataFrame(coding_rows(rng, included, labels), columns=list(CODING_COLUMNS)),
        extraction / "coding.csv",
        CODING_COLUMNS,
    )
    write_sheet(
        pd.DataFrame(characteristics_rows(included), columns=list(CHARACTERISTICS_COLUMNS)),
        extraction / "characteristics.csv",
        CHARACTERISTICS_COLUMNS,
    )
    report["full_text_included_ids"] = included_ids
    scratch.cleanup()
    return report


def load_demo_config(root: str | Path) -> dict:
    """The review's config checked with paths relative to ``root`` (not the cwd)."""
    import yaml

    from prismake.config import check_config

    path = Path(root) / "config" / "config.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return check_config(raw, source=str(path), base_dir=root)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m prismake.demo [--sheets]``: regenerate the demo's files in ``--root``."""
    parser = argparse.ArgumentParser(
        prog="python -m prismake.demo",
        description="Write the FICTIONAL demo review's exports into data/raw and, with "
        "--sheets, its reviewer, resolution, duplicate and coding sheets.",
    )
    parser.add_argument("--root", default=".", help="repository root to write data/ into")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--sheets", action="store_true", help="also write the human sheets")
    args = parser.parse_args(argv)
    review = build_review(args.seed)
    paths = write_exports(review, Path(args.root) / "data" / "raw")
    for search, path in paths.items():
        print(f"{search}: {len(review.records[search])} records -> {path}")
    print("truth:", ground_truth(review))
    if args.sheets:
        config = load_demo_config(args.root)
        print("sheets:", write_sheets(args.root, config, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
