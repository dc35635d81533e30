"""Venues: where a record appeared, and whether it is a meeting abstract rather than an article.

A conference abstract and the journal article that follows it are two reports, and so are
one abstract presented at two meetings. Exports rarely say so in the type field (Embase
and Web of Science call abstracts "Article" or "Journal Article"); the signals they do
carry are a supplement volume or issue ("36 (SUPPL.2)", "Suppl. 1"), page numbers with an
S or A ("S354", "A111", "56A"), a volume cut in two by the export ("1)"), and a venue that
names a meeting or abstracts. Journal names are compared word by word, so
"Ann Thorac Surg" is "Annals of Thoracic Surgery" (each short word starts its long word).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "abbreviates",
    "is_meeting_abstract",
    "meeting_signal",
    "page_span",
    "same_journal",
    "sister_journal",
    "volume_parts",
]

_SUPPLEMENT = re.compile(r"supp|\bs\s?\d+\b", re.I)
# S354, A111, 56A, "339a, Abstract 1351" (not e0192222, nor BMJ's article number a1754)
_LETTER_PAGE = re.compile(r"^\s*(?:[SA]\s?\d+|\d+\s?A)\b|\b[Aa]bstract\b")
_ABSTRACT_NO = re.compile(r"\babstract\b", re.I)  # "389, Abstract 1355": page, abstract number
_MEETING_TYPE = re.compile(r"abstract|meeting|congress|poster|conference", re.I)
_MEETING_VENUE = re.compile(
    r"\b(?:abstracts?|meeting|congress|conference|symposium|colloquium|supplement)\b", re.I
)
_VOLUME = re.compile(r"^\s*(?:vol(?:ume)?\.?\s*)?(\d+)\s*(?:\(\s*([^()]*?)\s*\))?")


def volume_parts(volume: str) -> tuple[str, str, bool]:
    """(volume number, issue written inside it, junk) of an exported volume field.

    "13 (2) (no pagination)" is volume 13, issue 2; "36 (SUPPL.2)" is volume 36, issue
    "SUPPL.2"; "1)" is what is left of "(Suppl 1)" when an export cut the field: junk.
    """
    text = str(volume or "").strip()
    if not text:
        return "", "", False
    if text.count(")") > text.count("("):
        return "", "", True
    match = _VOLUME.match(text)
    if not match:
        return "", "", False
    return match.group(1).lstrip("0"), (match.group(2) or ""), False


def meeting_signal(record_type: str, venue: str, volume: str, issue: str, pages: str) -> str:
    """ "abstract" for a meeting abstract, "supplement" for another item of a supplement
    (an article on pages "S417-S429"), "" for neither (see the module doc)."""
    if _names_a_meeting(record_type, venue):
        return "abstract"
    if (
        (not volume or volume.isdigit())
        and (not issue or issue.isdigit())
        and not (pages and _LETTER.search(pages))
    ):
        return ""  # plain numbers: the common case, decided without the patterns below
    number, inner, junk = volume_parts(volume)
    supplement = (
        junk
        or (bool(volume) and not number and "supp" in volume.lower())
        or bool(_SUPPLEMENT.search(inner))
        or bool(issue and _SUPPLEMENT.search(issue))
        or bool(
            pages
            and (_LETTER_PAGE.match(pages) or "supp" in pages.lower() or _ABSTRACT_NO.search(pages))
        )
    )
    if not supplement:
        return ""
    # a meeting abstract fills a page or two; an article in a supplement spans more
    return "abstract" if page_span(pages) <= ABSTRACT_PAGES else "supplement"


@lru_cache(maxsize=65536)
def _names_a_meeting(record_type: str, venue: str) -> bool:
    """The type or venue says meeting, congress or abstract (types and venues repeat)."""
    return bool(
        (record_type and _MEETING_TYPE.search(record_type))
        or (venue and _MEETING_VENUE.search(venue))
    )


def is_meeting_abstract(record_type: str, venue: str, volume: str, issue: str, pages: str) -> bool:
    """True when a record carries the signals of a meeting abstract (see the module doc)."""
    return meeting_signal(record_type, venue, volume, issue, pages) == "abstract"


ABSTRACT_PAGES = 2
_LETTER = re.compile(r"[A-Za-z]")
_PAGE_NUMBER = re.compile(r"\d+")
_FIRST_PART = re.compile(r"[,;]")


def page_span(pages: str) -> int:
    """How many pages a range covers ("S417-S429" -> 13, "123-9" -> 7); 1 for one page.

    Only the first part counts: "389, Abstract 1355" is page 389 (and an abstract number).
    """
    numbers = _PAGE_NUMBER.findall(_FIRST_PART.split(pages or "", maxsplit=1)[0])
    if len(numbers) < 2:
        return 1
    first, last = numbers[0], numbers[1]
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return abs(int(last) - int(first)) + 1


# What a database adds after a journal's name, or writes between its parts, in the
# ways databases differ: "BMJ (Clinical research ed.)", "JAMA - Journal of the American
# Medical Association", "Stroke; a journal of cerebral circulation", a parallel title after
# "=" (MEDLINE), a subtitle after a colon or a full stop ("Journal of clinical oncology :
# official journal of ...", "Circulation: Heart Failure" as MEDLINE's "Circulation. Heart
# failure"). Only what comes before counts here; what follows a colon, a full stop or a
# dash is read by _part_names (a subtitle, or the rest of a name). A hyphen written
# without spaces joins words ("Journal of Neuro-Oncology", "Breast-Cancer-Res-Treat"), or
# parts of a name as Web of Science writes them ("PSYCHIATRY RESEARCH-NEUROIMAGING",
# "BMJ-BRITISH MEDICAL JOURNAL"): sister_journal reads it where two names part there.
_QUALIFIER = re.compile(r"\s*(?:[(\[;:=].*|\.\s.*|\s[-\u2013\u2014].*|[-\u2013\u2014]\s.*)$")
_DASHES = ("-", "\u2013", "\u2014")
_NAME_WORD = re.compile(r"[a-z0-9]+")
_CONTINUES = frozenset({"of", "and", "for", "in", "on", "the", "de", "du", "des", "la", "et"})
# words a database adds to a journal's own name ("Applied Soft Computing Journal")
_FILLERS = frozenset({"journal", "online", "print", "electronic", "resource"})


def sister_journal(name_a: str, name_b: str) -> bool:
    """Two journals of one family: a name and the same name with a word more ("Blood" and
    "Blood Advances", "JAMA" and "JAMA Oncology", "BMJ" and "BMJ Open"), or after a colon,
    MEDLINE's full stop or a dash ("Neurology" and "Neurology: Clinical Practice",
    "Circulation" and "Circulation. Heart failure", "Psychiatry Research" and Web of
    Science's "Psychiatry Research-Neuroimaging" or another export's "Psychiatry Research -
    Neuroimaging", "Journal of Neurosurgery-Spine" and "Journal of Neurosurgery-Pediatrics").
    Not a qualifier a database adds to a name (after "(" or ";", or a subtitle after a
    colon, full stop or dash: "Stroke; a journal of ...", "JAMA: the journal of ...",
    "BMJ-BRITISH MEDICAL JOURNAL", "APPLIED SCIENCES-BASEL"), nor a name that continues
    ("Proceedings of the National Academy of Sciences" ... "of the United States of
    America")."""
    if _all_words(name_a) == _all_words(name_b):  # "Science China-Information Sciences"
        return False
    words_a, words_b = _name_words(name_a), _name_words(name_b)
    if words_a and words_a == words_b:  # one name before the colon: what follows it?
        return _names_more(name_a, name_b) or _names_more(name_b, name_a)
    shared = 0
    for x, y in zip(words_a, words_b, strict=False):
        if x != y:
            break
        shared += 1
    if not shared:
        return False
    hyphen_a, hyphen_b = _hyphen_part(name_a, shared), _hyphen_part(name_b, shared)
    if shared < min(len(words_a), len(words_b)):  # both go on, each its own way
        # "Journal of Neurosurgery-Spine" / "...-Pediatrics": a part after a hyphen
        return (hyphen_a is not None and _part_more(words_a[:shared], hyphen_a, name_b)) or (
            hyphen_b is not None and _part_more(words_b[:shared], hyphen_b, name_a)
        )
    short, long = sorted((words_a, words_b), key=len)
    part, other = (hyphen_a, name_b) if long is words_a else (hyphen_b, name_a)
    if part is not None:  # "Psychiatry Research-Neuroimaging": what follows the hyphen?
        return _part_more(short, part, other)
    if _WHOSE.intersection(long[len(short) :]):
        # the words more say what the journal is or whose: "CMAJ Canadian Medical
        # Association Journal", "Acta Paediatrica, International Journal of Paediatrics",
        # MEDLINE's "... rehabilitation / Association of Academic Physiatrists"
        return False
    return long[len(short)] not in _CONTINUES and long[len(short)] not in _FILLERS


# What a database writes after a journal's name and a colon (MEDLINE: a full stop) is
# either a subtitle that describes the journal, or the rest of the name of another journal
# of its family: "Neurology: Clinical Practice", "Circulation. Heart failure", "JACC:
# Cardiovascular Imaging" (a subject). A subtitle starts with an article ("Brain: A
# Journal of Neurology", "Disability and Rehabilitation: An International,
# Multidisciplinary Journal"), says what the journal is or whose ("Epigenetics: Official
# Journal of the DNA Methylation Society", "Canadian journal of surgery. Journal canadien
# de chirurgie"), or is the name's initials ("Journal of Acquired Immune Deficiency
# Syndromes: JAIDS") or spells them out ("MIS Quarterly: Management Information Systems").
# A subject can also be a subtitle ("American Journal of Clinical Oncology: Cancer
# Clinical Trials", "Gan to kagaku ryoho. Cancer & chemotherapy"): the sister journals'
# rule asks for the place then (scoring.py), which such a pair in the labelled sets has.
# A dash is read the same way: Web of Science writes a hyphen without spaces
# ("Psychiatry Research-Neuroimaging", "Science China-Life Sciences", "Journal of
# Trauma-Injury Infection & Critical Care", "Chemistry-A European Journal",
# "Haematologica-the Hematology Journal"), other exports " - " ("Nephron - Clinical
# Practice", "JAMA - Journal of the American Medical Association", "Rinsho Ketsueki -
# Japanese Journal of Clinical Hematology"). Web of Science also names the city or country
# that tells two journals of one name apart ("APPLIED SCIENCES-BASEL", "MEDICINA-BUENOS
# AIRES", "JOURNAL OF PHYSIOLOGY-LONDON"), as others do in parentheses: a qualifier; and
# after a part's letter ("Part B-Neuropsychiatric Genetics", "Series C-Applied
# Statistics", "Section D-Biological Crystallography") it gives that part's subject.
# After ";", "(" or "=" comes a qualifier, as before.
_BREAK = re.compile(r"[(\[;:=/]|\.(?:\s|(?=[A-Za-z]))|\s[-\u2013\u2014]\s?|[-\u2013\u2014]\s")
_OPENS_A_NAME = (":", ".", "-", "\u2013", "\u2014")  # "Molecular Immunology.Conference: ..."
_WORD = re.compile(r"[A-Za-z0-9]+")
_ARTICLES = frozenset({"a", "an", "the"})
_DESCRIBES = frozenset(
    {
        "journal", "journals", "official", "organ", "publication", "publications", "bulletin",
        "proceedings", "transactions", "newsletter", "magazine", "revue", "revista", "rivista",
        "zeitschrift", "tijdschrift", "tidsskrift", "zasshi", "giornale", "gazette", "society",
        "societies", "association", "academy", "college", "federation", "foundation",
        "institute", "conference", "congress", "meeting", "symposium", "abstracts",
        "supplement", "abstract", "access", "oficial",
        "officiel", "ufficiale", "offizielles", "publicacao", "publicacion", "sociedade",
        "sociedad", "societe", "societa", "gesellschaft", "organe", "organo", "supplementum",
        "tydskrif", "tidskrift", "dergisi", "zhurnal", "casopis", "czasopismo", "lehti",
        "boletin", "bollettino", "acta", "annals", "annales", "archives", "archiv",
    }
)  # fmt: skip
_SMALL = _CONTINUES | {"a", "an", "to", "with"}
# describing words that may also end a sister journal's own name ("European Heart Journal
# Supplements", "... Abstracts", "... Proceedings"): not evidence of one journal there
_WHOSE = _DESCRIBES - {
    "supplement", "supplementum", "abstract", "abstracts", "conference", "congress",
    "meeting", "symposium", "proceedings", "transactions", "access", "publication",
    "publications", "newsletter", "magazine",
}  # fmt: skip
# the cities and countries Web of Science writes after a hyphen ("CHILDREN-BASEL")
_PLACES = frozenset(
    {"basel", "switzerland", "lithuania", "kaunas", "london", "paris", "oxford", "berlin",
     "stuttgart", "wien", "tokyo", "buenos", "aires", "sao", "paulo", "new", "york"}
)  # fmt: skip
_PARTS = frozenset({"part", "section", "series"})  # "Part B-Neuropsychiatric Genetics"


def _names_more(name: str, other: str) -> bool:
    """``name`` goes on after its colon with words of another journal's name that
    ``other`` (the same name before the colon, or with a subtitle) lacks."""
    more = _colon_name(name)
    return bool(more) and not set(more) <= set(_all_words(other))


def _part_more(main: tuple[str, ...], part: str, other: str) -> bool:
    """``part`` (what follows ``main`` after a hyphen) names words of another journal's
    name that ``other`` lacks."""
    more = _part_names(list(main), part)
    return bool(more) and not set(more) <= set(_all_words(other))


@lru_cache(maxsize=65536)
def _colon_name(name: str) -> tuple[str, ...]:
    """The words after a journal name's colon, full stop or spaced dash when they go on to
    name a journal (see above), up to the next break; () for a subtitle or none."""
    text = _fold(str(name or ""))
    first = _BREAK.search(text)
    if first is None or first.group().strip() not in _OPENS_A_NAME:
        return ()
    head, part = text[: first.start()], _BREAK.split(text[first.end() :], maxsplit=1)[0]
    return _part_names(_NAME_WORD.findall(head.lower().replace("&", " and ")), part)


def _part_names(main: list[str], part: str) -> tuple[str, ...]:
    """The words of ``part`` (what follows the name ``main`` after a colon, full stop or
    dash) when they go on to name a journal; () for a subtitle (see above)."""
    words = _NAME_WORD.findall(part.lower().replace("&", " and "))
    if not words or words[0] in _ARTICLES or _DESCRIBES.intersection(words):
        return ()
    if any(c.isdigit() for c in part):  # a date or a volume: "Stroke. 2019 Mar;50(3)"
        return ()
    content = tuple(w for w in words if w not in _SMALL)
    if not content or set(content) <= set(main) or max(map(len, content)) < 2:
        return ()  # the name again, or initials ("Journal of B.U.ON.")
    if len(words) == 1 and _initials_of(_WORD.findall(part)[0], main):  # "JAIDS", "ChNS"
        return ()
    if len(content) > 1 and "".join(w[0] for w in content) in main:  # "MIS": spelled out
        return ()
    if set(content) <= _PLACES:  # "APPLIED SCIENCES-BASEL": which of two of one name
        return ()
    if len(main) >= 2 and main[-2] in _PARTS and len(main[-1]) <= 2:  # "Series C-Applied"
        return ()
    return content


def _initials_of(word: str, main: list[str]) -> bool:
    """``word`` is an acronym: written in capitals ("ChNS", "SJS"), or its letters are
    initials of the name's words in order ("Apjcp": Asian Pacific Journal of Cancer
    Prevention)."""
    if 2 <= len(word) <= 6 and sum(c.isupper() for c in word) >= 2:
        return True
    initials = iter(w[0] for w in main)
    return len(word) >= 2 and all(c in initials for c in word.lower())


def _fold(name: str) -> str:
    text = html.unescape(name) if "&" in name else name
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _all_words(name: str) -> tuple[str, ...]:
    text = _fold(str(name or ""))
    words = _NAME_WORD.findall(text.lower().replace("&", " and "))
    return tuple(words[1:] if words[:1] == ["the"] else words)


def _name_words(name: str) -> tuple[str, ...]:
    """The words of a name before what a database adds (_QUALIFIER), "the" left out."""
    return _name_parts(name)[0]


def _hyphen_part(name: str, k: int) -> str | None:
    """What follows the name's ``k`` first words (_name_words) when a hyphen without
    spaces joins them to the rest ("PSYCHIATRY RESEARCH-NEUROIMAGING", k = 2:
    "NEUROIMAGING"), up to the next break; None when a space does, or nothing follows, or
    hyphens stand for spaces in a name written without any ("Breast-Cancer-Res-Treat")."""
    words, spans, text = _name_parts(name)
    if not 0 < k < len(words) or text[spans[k - 1][1] : spans[k][0]] not in _DASHES:
        return None
    if not any(c.isspace() for c in text) and sum(text.count(d) for d in _DASHES) > 1:
        return None
    return _BREAK.split(text[spans[k][0] :], maxsplit=1)[0]


@lru_cache(maxsize=65536)
def _name_parts(name: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...], str]:
    """(words, where each is, text) of a name before its qualifier (_QUALIFIER)."""
    text = _QUALIFIER.sub("", _fold(str(name or "")).replace("&", " and ")).strip()
    found = [(m.group().lower(), m.span()) for m in _WORD.finditer(text)]
    if found[:1] and found[0][0] == "the":
        found = found[1:]
    return tuple(w for w, _ in found), tuple(span for _, span in found), text


def same_journal(words_a: str, words_b: str) -> bool:
    """Two journal names (prismake.dedupe.normalise.journal_words) name one journal."""
    if not words_a or not words_b:
        return False
    return (
        words_a == words_b
        or abbreviates(words_a, words_b)
        or abbreviates(words_b, words_a)
        or cut_alike(words_a, words_b)
    )


def cut_alike(a: str, b: str) -> bool:
    """Two abbreviations of one name, word by word ("ann fr anesth" and "annal franc anest")."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) > 0 and all(
        x.startswith(y) or y.startswith(x) for x, y in zip(wa, wb, strict=True)
    )


def abbreviates(short: str, full: str) -> bool:
    """True when the words of ``short`` abbreviate those of ``full`` in order.

    "dtsch med wochenschr" abbreviates "deutsche medizinische wochenschrift": each short
    word starts like a full word and its letters appear in that word in order.
    """
    a, b = short.split(), full.split()
    if not a or not b or len(a) > len(b):
        return False
    k = 0
    for word in a:
        while k < len(b) and not _is_abbreviation(word, b[k]):
            k += 1
        if k == len(b):
            return False
        k += 1
    return True


def _is_abbreviation(word: str, full: str) -> bool:
    if word[0] != full[0]:
        return False
    pos = 0
    for ch in word:
        pos = full.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True
