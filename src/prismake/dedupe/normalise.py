"""Matching keys: the comparable form of every field a duplicate check looks at.

Exports of the same article differ in case, accents, HTML or LaTeX markup, a bracketed
translation note ("[Chinese]"), a trailing period, author format ("Surname, Anna B." vs
"Surname AB"), journal abbreviation ("Nat Rev Nephrol" vs "Nature Reviews Nephrology")
and page style ("73-6" vs "73-76"). Everything here is put into one form so that the
blocking and scoring code compares like with like.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from prismake.dedupe.venues import ABSTRACT_PAGES, meeting_signal, page_span, volume_parts
from prismake.doi import doi_is_wellformed, normalise_doi
from prismake.records import split_authors

_TAG = re.compile(r"<[^>]{0,40}>")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\s*(?=\{)|\\[a-zA-Z]+|\\.")
_TRANSLATION_NOTE = re.compile(
    r"\s*[\[(](?:article in |text in |in )?(?:chinese|german|french|spanish|japanese|russian|"
    r"italian|portuguese|polish|dutch|korean|czech|hungarian|turkish|danish|swedish|"
    r"norwegian|finnish|greek|hebrew|croatian|serbian|persian|arabic|ukrainian|romanian|"
    r"english abstract|author'?s? transl[a-z.]*|[a-z ]{0,20}? abstract)[^\])]{0,40}[\])]\s*\.?\s*$",
    re.IGNORECASE,
)
_ANNOTATION = re.compile(
    r"\s*[\[(][^\[\]()]*?(?:erratum|errata|\brefs?\b|review|comment|article in|abstract|"
    r"published|\bsee\b|letter|editorial|retract|correct|translat|author|english|\bnote\b)"
    r"[^\[\]()]*(?:[\])]|$)\s*\.?\s*$",
    re.IGNORECASE,
)
_CUT_ANNOTATION = re.compile(
    r"\s*\.?\s*\[\s*(?:erratum|errata|published erratum|review|see |comment|retract|correct|"
    r"corrigend|update in|\d+ refs)",
    re.IGNORECASE,
)
# Web of Science "(vol 85, pg 553, 2010)" and Embase "(Journal (2009) 360 (542-544))" errata
_ERRATUM_SUFFIX = re.compile(
    r"\s*\((?:vol\.?\s*\d+\s*,\s*pg|[^()]{3,120}\(\d{4}\)\s*\d+)[^\[]*$", re.IGNORECASE
)
_NOTICE_PREFIX = re.compile(
    r"^(?:erratum|errata|corrigendum|corrigenda|correction|retraction|retracted|notice of "
    r"retraction|retraction notice|author correction|publisher correction)"
    r"(?:\s+(?:to|for|of|on|notice|article))?\s*[:.\-]\s*",
    re.IGNORECASE,
)
# A letter, reply or commentary about an article often takes the article's title after
# a word and a colon ("Re: ...", "Response to: ...", "Commentary: ..." as Frontiers
# titles them): the kind of notice each prefix word makes. A review Cochrane withdrew is
# titled "WITHDRAWN: ..." under its own DOI, like an article marked "RETRACTED:".
_ABOUT_PREFIX = re.compile(
    r"^(?P<word>re|regarding|response|responses|in response|response to|in response to|reply|"
    r"replies|reply to|in reply|in reply to|authors?'? reply|authors?'? response|comment|"
    r"comments|comment on|comments on|commentary|commentary on|invited commentary|invited "
    r"commentary on|editorial comment|editorial comment on|letter|letter to the editor|"
    r"correspondence|addendum|expression of concern|withdrawn|withdrawal)\s*:\s*"
    r"|^(?P<letter>letter to the editor (?:regarding|re|on|about|concerning)\b)\s*"
    # phrases that say so without a colon (an export that dropped the punctuation)
    r"|^(?P<phrase>invited commentary(?: on)?|in response to|in reply to|authors?'? reply to"
    r"|commentary on|comments on|expression of concern(?: regarding| about| on)?)\s+",
    re.IGNORECASE,
)
_ABOUT_LETTERS = frozenset("RrIiCcLlAaEeWw")
_ABOUT_KIND = {
    "re": "reply", "regarding": "reply", "response": "reply", "responses": "reply",
    "reply": "reply", "replies": "reply", "author": "reply", "authors": "reply",
    "in": "reply", "comment": "comment", "comments": "comment", "commentary": "comment",
    "invited": "comment", "letter": "comment",
    "correspondence": "comment", "addendum": "correction", "expression": "retraction",
    "withdrawn": "retracted", "withdrawal": "retraction",
}  # fmt: skip
# ... or a prefix word without the colon ("Re Effect of X on Y", "Re. ...", "Response to
# Effect of ..."): a letter only if what follows is another record's title, for a title
# may begin with the word itself ("Response to treatment ...", "Comment on ..." as a
# phrase of its own); vetoes.pair_notices compares it. Not "Re-evaluation", "Reassessing".
_BARE_ABOUT = re.compile(
    r"^(?P<word>re|regarding|(?:in\s+)?(?:response|responses|reply|replies)(?:\s+to)?"
    r"|authors?'?\s+(?:reply|response)(?:\s+to)?|comments?(?:\s+on)?|commentary(?:\s+on)?)"
    r"(?:\s*\.\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_BARE_LETTERS = frozenset("RrCcIiAa")
# ... or after it: "X: erratum", "X - corrigendum", "X [Erratum]", "X: reply"
_SUFFIX_WORDS = re.compile(r"errat|corrig|retract|reply|comment", re.IGNORECASE)  # to look
_NOTICE_WORD = r"erratum|errata|corrigendum|corrigenda|retraction|retraction notice|reply|comment"
_NOTICE_SUFFIX = re.compile(
    rf"(?:\s*[:\u2013\u2014-]\s*(?P<word>{_NOTICE_WORD})|\s*[\[(](?P<bracketed>{_NOTICE_WORD})[\])])"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-")
)
_DIGIT_GROUPS = re.compile(r"(\d)[ ,\u2009\u202f\u00a0](\d{3})\b")
_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "κ": "kappa",
    "μ": "mu",
    "ω": "omega",
    "τ": "tau",
    "ε": "epsilon",
    "λ": "lambda",
    "σ": "sigma",
    "θ": "theta",
}
_GREEK_RE = re.compile("|".join(_GREEK))
_JOURNAL_STOP = {
    "the", "of", "and", "a", "an", "for", "in", "on", "de", "la", "und", "et", "du", "y", "e",
    "i", "der", "die", "das", "des", "fur", "le", "les", "el", "di", "della", "official",
    "journal", "j", "electronic", "resource", "online", "print",
}  # fmt: skip
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_WORD_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "first": 1}
_SERIES = re.compile(
    r"\b(?:part|paper|study|report|series|section|phase|volume|vol|chapter|book)\s+"
    r"([0-9]+|[ivx]{1,4}|one|two|three|four|five|six|[a-d])\b"
)
_TRAILING_ROMAN = re.compile(r"(?:^|\s)(ii|iii|iv|vi|vii|viii|ix)$")
# "First report: ...", "the second part of ...": the number before the word
_ORDINAL_SERIES = re.compile(
    r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+"
    r"(?:part|report|paper|series|phase|update)\b"
)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_NOTICE_WORDS = (
    "errat",
    "retract",
    "correction",
    "corrigend",
    "repl",
    "respon",
    "comment",
    "rejoind",
)
# notices recognised in a title key (after "Erratum:"-style prefixes are handled)
_NOTICE_ANY = re.compile(
    r"(?P<retraction>^(?:notice of )?retraction\b|^retracted\b)"
    r"|(?P<erratum>^(?:erratum|errata|corrigendum|corrigenda)\b|\berratum (?:to|for)\b)"
    r"|(?P<correction>^(?:correction|author correction|publisher correction) (?:to|of)\b)"
    r"|(?P<reply>^(?:reply|in reply|authors? reply|authors? response)\b|\breply to\b"
    r"|^response to (?:the )?(?:comment|letter|editor|correspondence|critique)"
    r"|\b(?:response|reply|rejoinder)$)"
    r"|(?P<comment>^(?:comment|commentary) (?:on|to)\b|\bcomment on\b)"
)
_CONFERENCE_TYPE = re.compile(r"conf|proceed|meeting|abstract|congress|symposium|poster", re.I)
_CONFERENCE_VENUE = re.compile(
    r"\b(?:conference|symposium|congress|meeting|workshop|colloquium|annual "
    r"hawaii|amcis|icis|ecis|pacis|hicss)\b",
    re.I,
)
# "Proceedings" names a meeting's book only with a number, a year or "annual" beside it
# ("Proceedings of the 21st ...", "ICIS 2005 Proceedings"); alone it is a journal's name
# ("Proceedings of the National Academy of Sciences", "Transplantation Proceedings")
_PROCEEDINGS_OF_MEETING = re.compile(
    r"\bproceedings\b.*(?:\d|\bannual\b|\b(?:first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|eleventh|twelfth)\b)|\d.*\bproceedings\b",
    re.I,
)
_ARTICLE_TYPE = re.compile(
    r"^(?:article|journal article|jour|journal|review|letter|editorial)$", re.I
)


def ascii_fold(text: str) -> str:
    """Lower case, accents dropped, Greek letters spelled out (alpha, beta, ...)."""
    if text.isascii():
        return text.lower()
    text = _GREEK_RE.sub(lambda m: _GREEK[m.group(0)], text.lower())
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def strip_markup(text: str) -> str:
    """Remove HTML entities and tags and LaTeX commands and braces, keeping the words."""
    text = html.unescape(html.unescape(text)) if "&" in text else text
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "\\" in text or "{" in text or "$" in text:
        text = _LATEX_CMD.sub("", text)
        text = text.replace("{", "").replace("}", "").replace("$", "")
    return text


# British spellings as American ones, in keys only: "paediatric oesophageal tumours",
# "paediatric" and "pediatric" are one word to blocking and scoring (a title keeps its own
# spelling everywhere a person reads it). Both titles of a pair change alike, so words
# made odd ("exercize") still compare as they should.
_BRITISH = re.compile(
    r"ae|oe|sulph|isation|is(?:e|ed|es|ing)\b|ys(?:e|ed|es|ing)\b|our(?=s?\b)"
    r"|(?<=[a-z])tre(?=s?\b)|ogue(?=s?\b)|(?<=[a-z])ll(?=ing\b|ed\b)"
)
_BRITISH_HINT = re.compile("ae|oe|sulph|is[aei]|ys[ei]|our|tre|ogue|ll[ie]")
_AMERICAN = {"ae": "e", "oe": "e", "sulph": "sulf", "isation": "ization", "our": "or",
             "tre": "ter", "ogue": "og", "ll": "l"}  # fmt: skip


def _american(match: re.Match[str]) -> str:
    found = match[0]
    if found[:2] in ("is", "ys") and found not in _AMERICAN:
        return found[0] + "z" + found[2:]  # "randomise(d)" -> "randomize(d)", "analyse"
    return _AMERICAN[found]


def title_key(title: object) -> str:
    """A title as lower-case ASCII words separated by single spaces (see title_parts)."""
    return title_parts(title)[0]


def title_parts(title: object) -> tuple[str, str]:
    """(title key, notice kind) of an exported title, in one pass.

    The key is the title as lower-case ASCII words. MEDLINE notes ("[Review] [45 refs]",
    "[Erratum appears in ...]"), a bracketed translation note ("[Chinese]"), the
    brackets around a translated title and the "Erratum:" of a notice are dropped, so
    all exports of one article (and its notices) give one key; the notice kind
    (prismake.dedupe.vetoes) keeps the notices apart.
    """
    text = str(title or "").strip()
    if not text:
        return "", ""
    if "&" in text or "<" in text or "\\" in text or "{" in text or "$" in text:
        text = strip_markup(text).strip()
    notice = ""
    suffix = _NOTICE_SUFFIX.search(text) if _SUFFIX_WORDS.search(text, len(text) - 24) else None
    if suffix is not None and suffix.start() >= 20:
        word = (suffix.group("word") or suffix.group("bracketed")).lower().split()[0]
        notice = word if word in ("retraction", "reply", "comment") else "erratum"
        text = text[: suffix.start()].strip()
    bracketed = "[" in text or "(" in text
    if bracketed:
        cut = _CUT_ANNOTATION.search(text)
        if cut and cut.start() > 20:
            text = text[: cut.start()].strip()
    if text[:1] in "EeCcRrNnAaPp" and _NOTICE_PREFIX.match(text):
        word = text.split()[0].lower().rstrip(":.")
        if word == "retracted":
            # Elsevier's "RETRACTED:", Springer's "RETRACTED ARTICLE:" mark the article
            # itself (same DOI); Hindawi titles its notices so (their own DOI): vetoes.py
            notice = "retracted"
        elif word.startswith(("retract", "notice")):
            notice = "retraction"
        else:
            notice = "correction" if word.startswith("correction") else "erratum"
        text = _NOTICE_PREFIX.sub("", text)
    if "  " in text:  # "Invited  commentary" once a tag is gone
        text = " ".join(text.split())
    for _ in range(2):  # "Response: Commentary: ..."
        about = _ABOUT_PREFIX.match(text) if text[:1] in _ABOUT_LETTERS else None
        if about is None or len(text) - about.end() < 20:
            break
        first = about.group("word") or about.group("letter") or about.group("phrase")
        first = first.split()[0].lower()
        notice = notice or _ABOUT_KIND.get(first.rstrip("'s").rstrip("'"), "comment")
        text = text[about.end() :].strip().strip('"\u201c\u201d')
    if bracketed:
        if len(text) > 30 and _ERRATUM_SUFFIX.search(text):
            notice = notice or "erratum"
            text = _ERRATUM_SUFFIX.sub("", text)
        text = text.strip().rstrip(".").strip()
        for _ in range(4):
            before = text
            note = _ANNOTATION.search(text)
            if note and note.start() >= 20:
                text = text[: note.start()].strip().rstrip(".").strip()
            note = _TRANSLATION_NOTE.search(text)
            if note and note.start() >= 10:
                text = text[: note.start()].strip()
            if text == before:
                break
        if text.startswith("[") and "]" in text:
            text = text.replace("[", " ").replace("]", " ")
    folded = _DIGIT_GROUPS.sub(r"\1\2", ascii_fold(text))  # "10 000" = "10,000" = "10000"
    key = _NON_ALNUM.sub(" ", folded).strip()
    if _BRITISH_HINT.search(key):  # a quick look first: most titles have none
        key = _BRITISH.sub(_american, key)
    if not notice and any(word in key for word in _NOTICE_WORDS):
        found = _NOTICE_ANY.search(key)
        if found:
            notice = found.lastgroup or ""
    return key, notice


_ET_AL = re.compile(r"(?i)et\.?\s*al\.?|others|and others|anonymous|anon\.?")
_MEDLINE_INITIALS = re.compile(r"[A-Z]{1,3}")
_NOT_LETTER = re.compile(r"[^a-z]")


def surname_key(name: str) -> str:
    """The surname of one author as lower-case ASCII letters (for comparing, not showing)."""
    name = name.strip()
    if not name:
        return ""
    if _ET_AL.fullmatch(name):
        return ""
    if "," in name:
        surname = name.split(",", 1)[0]
    else:
        parts = name.split()
        initials = 0  # MEDLINE "Surname AB", Embase "Surname A. B."
        while len(parts) - initials > 1 and _MEDLINE_INITIALS.fullmatch(
            parts[-1 - initials].replace(".", "")
        ):
            initials += 1
        if initials:
            surname = " ".join(parts[:-initials])
        elif len(parts) > 1:
            surname = parts[-1]  # "Anna B. Surname"
        else:
            surname = parts[0]
    if surname.isascii() and surname.isalpha():
        return surname.lower()
    if "&" in surname or "<" in surname or "\\" in surname or "{" in surname:
        surname = strip_markup(surname)
    return _NOT_LETTER.sub("", ascii_fold(surname))


def author_surnames(authors: object) -> list[str]:
    """Surnames in order ("et al." and empty names dropped)."""
    names = split_authors(str(authors or ""))
    if len(names) == 1 and names[0].count(",") > 1:  # "Smith, J., Jones, K." style
        chunks = [c.strip() for c in names[0].split(",")]
        names = [", ".join(chunks[i : i + 2]) for i in range(0, len(chunks), 2)]
    keys = (surname_key(n) for n in names)
    return [k for k in keys if k]


_CORPORATE = re.compile(
    r"group|study|committee|consortium|collaborat|investigator|trial|network|society|"
    r"association|organi[sz]ation|council|institute|working|task force|panel|anonymous|"
    r"\binc\b|\bltd\b|\bllc\b|gmbh|pharmaceutical|corporation|\bcompany\b|university|"
    r"hospital|foundation|ministry|agency|department|\bcent(?:re|er)\b|authors?\b",
    re.I,
)


def is_corporate(authors: object) -> bool:
    """True when the author field names a group ("ALTS Group", "WHO Working Group")."""
    text = str(authors or "")
    return bool(text) and bool(_CORPORATE.search(text.split(";")[0].split(" and ")[0]))


def author_words(authors: object) -> str:
    """Every word of the author field (folded, 3+ letters), for a loose "any name shared"."""
    words = re.sub(r"[^a-z]+", " ", ascii_fold(strip_markup(str(authors or "")))).split()
    return " ".join(sorted({w for w in words if len(w) >= 3 and w != "and"}))


_CONFERENCE_PART = re.compile(
    r"\s*[.;:]?\s*(?:conference|meeting|congress|abstracts?)\s*:.*$", re.I
)


def journal_name(journal: object) -> str:
    """The journal a record appeared in, without Embase's ". Conference: <meeting>" part."""
    return _CONFERENCE_PART.sub("", str(journal or "")).strip()


def journal_key(journal: object) -> str:
    """A journal's initials without small words: "Nat Rev Nephrol" = "Nature Reviews Nephrology"."""
    words = _NON_ALNUM.sub(" ", ascii_fold(strip_markup(str(journal or "")))).split()
    words = [w for w in words if w not in _JOURNAL_STOP and not w.isdigit()]
    return "".join(w[0] for w in words)


def journal_words(journal: object) -> str:
    """A journal name as lower-case words without small words, for fuzzy comparison."""
    words = _NON_ALNUM.sub(" ", ascii_fold(strip_markup(str(journal or "")))).split()
    return " ".join(w for w in words if w not in _JOURNAL_STOP)


def page_range(pages: object) -> tuple[str, str]:
    """(first, last) page; "73-6" gives ("73", "76"); letters and leading zeros kept out."""
    text = str(pages or "").strip()
    if not text:
        return "", ""
    text = text.translate(_DASHES)  # "187‐192" (U+2010) as "187-192"
    text = re.split(r"[,;]", text, maxsplit=1)[0]  # "532, 534-536": the first part
    parts = re.split(r"\s*(?:-+|–|—|to)\s*", text, maxsplit=1)
    if re.search(r"[A-Za-z]", parts[0]):
        return "", ""  # e-locators (e12724), supplements (S78): not comparable as pages
    first = re.sub(r"[^0-9]", "", parts[0]).lstrip("0")
    last = re.sub(r"[^0-9]", "", parts[1]) if len(parts) > 1 else ""
    if first and last and len(last) < len(first):  # "1200-05" is 1200-1205
        last = first[: len(first) - len(last)] + last
    return first, last.lstrip("0")


# a range with one letter before both numbers ("c37-c42", "e1-e8", "S345-S353")
_LETTERED_RANGE = re.compile(r"^\s*([A-Za-z])\s?(\d+)\s*-+\s*([A-Za-z])\s?(\d+)\s*$")


def section_pages(pages: object) -> tuple[str, str]:
    """(letter, "first-last") of a page range written with a section's letter before both
    numbers, ("", "first-last") of a plain range, ("", "") of anything else (one page, an
    article number "c1804", a supplement's "Suppl-29").

    Karger printed Nephron in three sections, each paged with its letter in one volume:
    Clinical Practice on "c37-c42", Experimental Nephrology on "e1-e8", Physiology on
    "p1-p6"; a database may give "37-42". So "c37-c42" and "37-42" can be the same pages
    (scoring.py asks that of sister journals), while "c37-c42" and "e37-e42" are two
    articles: the letter is not dropped here (page_range keeps such pages out).
    """
    text = str(pages or "").strip().translate(_DASHES)
    lettered = _LETTERED_RANGE.match(text)
    if lettered:
        if lettered.group(1).lower() != lettered.group(3).lower():
            return "", ""
        first, last = page_range(f"{lettered.group(2)}-{lettered.group(4)}")
        return lettered.group(1).lower(), f"{first}-{last}"
    first, last = page_range(text)
    return ("", f"{first}-{last}") if first and last and first != last else ("", "")


_PAGE_TOKEN = re.compile(r"^\s*([A-Za-z]{0,3}\d+[A-Za-z]?)\b")


def page_label(pages: object) -> str:
    """The first page as written, lower case ("S354" -> "s354", "56A" -> "56a"), else "".

    "" too when a word stands where the first page should ("Suppl-29": the page is lost).
    """
    match = _PAGE_TOKEN.match(str(pages or ""))
    return match.group(1).lower().lstrip("0") if match else ""


def _label_number(label: str) -> int:
    digits = "".join(c for c in label if c.isdigit())[:9]
    return int(digits) if digits else -1


def issue_key(value: object) -> str:
    """Issue number as digits; a supplement as "s" + its number ("Suppl. 2" -> "s2")."""
    text = str(value or "")
    digits = number_key(text)
    return f"s{digits}" if "supp" in text.lower() or re.match(r"\s*[Ss]\s?\d", text) else digits


def number_key(value: object) -> str:
    """Volume or issue as digits only ("Vol. 12" -> "12"); "" when there are none."""
    digits = re.findall(r"\d+", str(value or ""))
    return digits[0].lstrip("0") if digits else ""


def year_of(value: object) -> int:
    """The four-digit year in a field, or 0 when there is none."""
    match = re.search(r"(1[5-9]|20)\d\d", str(value or ""))
    return int(match.group(0)) if match else 0


def series_number(key: str) -> str:
    """The part/series number of a title key ("part 2", "part ii" -> "2"), else ""."""
    found = _SERIES.findall(key)
    if found:
        values = []
        for raw in found:
            if raw.isdigit():
                values.append(str(int(raw)))
            elif raw in _ROMAN:
                values.append(str(_ROMAN[raw]))
            elif raw in _WORD_NUMBER:
                values.append(str(_WORD_NUMBER[raw]))
            else:
                values.append(raw)
        return ",".join(values)
    ordinal = _ORDINAL_SERIES.search(key)
    if ordinal:
        word = ordinal.group(1)
        return str(_ORDINAL.get(word) or int(word[:-2]))
    trailing = _TRAILING_ROMAN.search(key)
    return str(_ROMAN[trailing.group(1)]) if trailing else ""


def notice_kind(title: object) -> str:
    """erratum / correction / retraction / comment / reply when the title says so, else "".

    Reads the title as exported: MEDLINE's "[Erratum appears in ...]" note on an
    article does not make the article a notice; "Erratum: ..." and Web of Science's
    "... (vol 85, pg 553, 2010)" do.
    """
    return title_parts(title)[1]


def bare_notice(title: object) -> tuple[str, str]:
    """(notice kind, title key of the rest) of a title that starts with a notice word
    without its colon ("Re Effect of ...": "reply", "effect of ..."); ("", "") for
    another title. A letter only when the rest is another record's title (vetoes.py)."""
    text = str(title or "").strip()
    about = _BARE_ABOUT.match(text) if text[:1] in _BARE_LETTERS else None
    if about is None:
        return "", ""
    rest = title_key(text[about.end() :])
    if len(rest) < 20:  # "Reply to reviewers", "Response to treatment": too short a title
        return "", ""
    word = about.group("word").lower()
    return ("comment" if word.startswith("comment") else "reply"), rest


def venue_kind(record_type: object, journal: object, booktitle: object) -> str:
    """ "conference" for a conference abstract or paper, "journal" for an article, else ""."""
    rtype = str(record_type or "").strip()
    if rtype and _CONFERENCE_TYPE.search(rtype):
        return "conference"
    if str(booktitle or "").strip():
        return "conference"
    venue = str(journal or "")
    if _CONFERENCE_VENUE.search(venue) or _PROCEEDINGS_OF_MEETING.search(venue):
        return "conference"
    if rtype and _ARTICLE_TYPE.match(rtype) and str(journal or "").strip():
        return "journal"
    return ""


_NUMBER = re.compile(r"\b\d+\b")


def title_numbers(key: str) -> str:
    """The numbers written in a title, sorted ("2019", "19" ...), as one string."""
    return " ".join(sorted(set(_NUMBER.findall(key))))


_REGISTRY = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR[-A-Za-z0-9]{6,20}|DRKS\d{8}|"
    r"EUCTR\d{4}-\d{6}-\d{2}|IRCT\d{6,20}N?\d*|CTRI/\d{4}/\d+/\d+|JPRN-[A-Za-z]+\d+)"
)


def registry_ids(text: str) -> str:
    """Trial registration ids named in a title or URL, sorted ("NCT00838513")."""
    return " ".join(sorted(set(_REGISTRY.findall(text))))


def pmid_key(value: object) -> str:
    """A PubMed id as digits without leading zeros; "" when the field holds none."""
    text = str(value or "").strip()
    return text.lstrip("0") if text.isdigit() else ""


def first_surname(authors: object) -> str:
    """The first author's surname key (what blocking needs of the author list)."""
    names = split_authors(str(authors or ""))
    if len(names) == 1 and names[0].count(",") > 1:
        return author_surnames(authors)[0] if author_surnames(authors) else ""
    for name in names:
        key = surname_key(name)
        if key:
            return key
    return ""


@dataclass
class MatchTable:
    """The matching keys of every record, as parallel arrays (index = record position).

    Keys that blocking and vetoes need are computed for every record; those only
    scoring needs (author lists, journal words, abstracts) are filled by ``prepare``
    for the records that appear in a plausible pair, which at scale is a small part.
    """

    record_id: np.ndarray
    search: np.ndarray
    title: np.ndarray  # title_key
    title_len: np.ndarray
    doi: np.ndarray
    pmid: np.ndarray  # PubMed id, digits
    registry: np.ndarray  # trial registration ids in title or URL ("NCT00838513")
    first_author: np.ndarray
    year: np.ndarray
    journal: np.ndarray  # initials key
    volume: np.ndarray
    issue: np.ndarray
    page_first: np.ndarray
    page_last: np.ndarray
    page_lo: np.ndarray  # int, -1 when unknown
    page_hi: np.ndarray
    series: np.ndarray
    notice: np.ndarray
    # a notice word without its colon ("Re ..."): its kind and the key of the rest, a
    # notice when the rest is the other record's title (vetoes.pair_notices)
    bare_notice: np.ndarray
    bare_key: np.ndarray
    venue: np.ndarray
    meeting_abstract: np.ndarray  # bool: carries a meeting abstract's signals (venues.py)
    supplement: np.ndarray  # bool: a meeting abstract or another item of a supplement
    article: np.ndarray  # bool: in a journal, no supplement, more pages than an abstract
    one_page: np.ndarray  # bool: a page or two at most (or no pages)
    page_span: np.ndarray  # pages a range covers (1 for one page or none)
    page_number: np.ndarray  # int: the number in page_label ("s354" -> 354), -1 when none
    issue_number: np.ndarray  # issue digits without a supplement's "s" ("s1" -> "1")
    page_label: np.ndarray  # first page as written, folded ("s354", "56a", "e0192222")
    # a range's numbers and the section letter written before both ("c37-c42": "c",
    # "37-42"; "37-42": "", "37-42"), see section_pages
    section_letter: np.ndarray
    section_range: np.ndarray
    numbers: np.ndarray
    raw_authors: np.ndarray
    raw_abstract: np.ndarray
    raw_title: np.ndarray  # as exported: one search spells one record one way
    # bool: the pages field holds only an abstract's number ("Abstract 1234")
    abstract_number: np.ndarray
    venue_name: np.ndarray
    surnames: np.ndarray  # "smith jones lee" (space-joined surname keys)
    author_words: np.ndarray  # lazy
    corporate: np.ndarray  # lazy
    journal_words: np.ndarray  # lazy
    abstract: np.ndarray  # lazy
    prepared: np.ndarray  # bool: lazy keys computed

    def __len__(self) -> int:
        return len(self.record_id)

    def prepare(self, positions: np.ndarray) -> None:
        """Compute the scoring-only keys of the records at ``positions`` (once each)."""
        todo = np.unique(positions)
        todo = todo[~self.prepared[todo]]
        if len(todo) == 0:
            return
        authors = [str(a) for a in self.raw_authors[todo]]
        self.author_words[todo] = _cached(author_words, authors)
        self.corporate[todo] = _cached(is_corporate, authors)
        self.journal_words[todo] = _cached(journal_words, [str(v) for v in self.venue_name[todo]])
        self.abstract[todo] = [
            _NON_ALNUM.sub(" ", ascii_fold(a[:400])).strip() if a else ""
            for a in self.raw_abstract[todo]
        ]
        self.prepared[todo] = True


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return ["" if v is None or v != v else str(v) for v in frame[name].tolist()]


def _cached(function, values: list[str]) -> list:  # type: ignore[no-untyped-def]
    """Apply ``function`` once per distinct value (journals and years repeat a lot)."""
    cache = {value: function(value) for value in dict.fromkeys(values)}
    return [cache[value] for value in values]


def _cached_rows(function, *columns: list[str]) -> list:  # type: ignore[no-untyped-def]
    """``function`` of each row of ``columns``, once per distinct row (venues repeat)."""
    cache: dict[tuple[str, ...], object] = {}
    out = []
    for row in zip(*columns, strict=True):
        if row not in cache:
            cache[row] = function(*row)
        out.append(cache[row])
    return out


def match_table(records: pd.DataFrame) -> MatchTable:
    """Matching keys for a record table (RECORD_COLUMNS; missing columns are empty)."""
    raw_titles = _column(records, "title")
    parts = [title_parts(t) for t in raw_titles]
    bare = [bare_notice(t) if t[:1] in _BARE_LETTERS else ("", "") for t in raw_titles]
    titles = [p[0] for p in parts]
    authors = _column(records, "authors")
    # every surname once: the first one blocks, the list scores (first_surname's reading)
    surnames = _cached(lambda a: " ".join(author_surnames(a)), authors)
    journals = _column(records, "journal")
    booktitles = _column(records, "booktitle")
    venue_names = [j or b for j, b in zip(_cached(journal_name, journals), booktitles, strict=True)]
    # an article number ("e008123", Scopus's own column) stands where pages would
    raw_pages = [
        p or a
        for p, a in zip(_column(records, "pages"), _column(records, "article_number"), strict=True)
    ]
    pages = _cached(page_range, raw_pages)
    labels = _cached(page_label, raw_pages)
    sections = _cached(section_pages, raw_pages)
    types = [
        t or e for t, e in zip(_column(records, "type"), _column(records, "entrytype"), strict=True)
    ]
    first = np.array([int(p[0]) if p[0].isdigit() else -1 for p in pages], dtype=np.int64)
    last = np.array([int(p[1]) if p[1].isdigit() else -1 for p in pages], dtype=np.int64)
    last = np.where(last < 0, first, last)
    lo, hi = np.minimum(first, last), np.maximum(first, last)
    years = _cached(year_of, _column(records, "year"))
    raw_volumes, raw_issues = _column(records, "volume"), _column(records, "issue")
    # "13 (2)" is volume 13, issue 2; "1)" is junk (venues.volume_parts)
    volume_split = _cached(volume_parts, raw_volumes)
    volumes = [v for v, _, _ in volume_split]
    # a year typed into the volume field ("2016") is no volume number
    volumes = ["" if v and v == str(y) else v for v, y in zip(volumes, years, strict=True)]
    issues = _cached(
        issue_key, [i or inner for i, (_, inner, _) in zip(raw_issues, volume_split, strict=True)]
    )
    meeting = [
        meeting_signal(t, j or b, v, i, p)
        for t, j, b, v, i, p in zip(
            types, journals, booktitles, raw_volumes, raw_issues, raw_pages, strict=True
        )
    ]
    n = len(titles)
    obj = np.array
    spans = np.array(_cached(page_span, raw_pages), dtype=np.int32)
    kinds = _cached_rows(venue_kind, types, journals, booktitles)
    supplement = np.array([m != "" for m in meeting], dtype=bool)
    article = ~supplement & (spans > ABSTRACT_PAGES)
    article &= np.array([bool(v) for v in venue_names], dtype=bool) & (
        np.array(kinds, dtype=object) != "conference"
    )
    return MatchTable(
        record_id=obj(_column(records, "record_id"), dtype=object),
        search=obj(_column(records, "search"), dtype=object),
        title=obj(titles, dtype=object),
        title_len=np.array([len(t) for t in titles], dtype=np.int32),
        doi=obj(_cached(_usable_doi, _column(records, "doi")), dtype=object),
        pmid=obj(_cached(pmid_key, _column(records, "pmid")), dtype=object),
        registry=obj(
            [
                registry_ids(f"{t} {u}") if ("NCT" in t + u or "TR" in t + u) else ""
                for t, u in zip(_column(records, "title"), _column(records, "url"), strict=True)
            ],
            dtype=object,
        ),
        first_author=obj([x.split(" ", 1)[0] for x in surnames], dtype=object),
        year=np.array(years, dtype=np.int32),
        journal=obj(_cached(journal_key, venue_names), dtype=object),
        volume=obj(volumes, dtype=object),
        issue=obj(issues, dtype=object),
        page_first=obj([p[0] for p in pages], dtype=object),
        page_last=obj([p[1] for p in pages], dtype=object),
        page_lo=lo,
        page_hi=hi,
        series=obj([series_number(t) for t in titles], dtype=object),
        notice=obj([p[1] for p in parts], dtype=object),
        bare_notice=obj([b[0] for b in bare], dtype=object),
        bare_key=obj([b[1] for b in bare], dtype=object),
        venue=obj(kinds, dtype=object),
        meeting_abstract=np.array([m == "abstract" for m in meeting], dtype=bool),
        supplement=supplement,
        article=article,
        one_page=spans <= ABSTRACT_PAGES,
        page_span=spans,
        page_label=obj(labels, dtype=object),
        section_letter=obj([x[0] for x in sections], dtype=object),
        section_range=obj([x[1] for x in sections], dtype=object),
        page_number=np.array(_cached(_label_number, labels), dtype=np.int64),
        issue_number=obj([x.lstrip("s") for x in issues], dtype=object),
        numbers=obj([title_numbers(t) for t in titles], dtype=object),
        raw_authors=obj(authors, dtype=object),
        raw_abstract=obj(_column(records, "abstract"), dtype=object),
        raw_title=obj(raw_titles, dtype=object),
        abstract_number=np.array([bool(_ABSTRACT_NUMBER.match(p)) for p in raw_pages], bool),
        venue_name=obj(venue_names, dtype=object),
        surnames=obj(surnames, dtype=object),
        author_words=np.full(n, "", dtype=object),
        corporate=np.zeros(n, dtype=bool),
        journal_words=np.full(n, "", dtype=object),
        abstract=np.full(n, "", dtype=object),
        prepared=np.zeros(n, dtype=bool),
    )


_ABSTRACT_NUMBER = re.compile(r"^\s*(?:abstract|abs\.?|poster)\s*(?:no\.?\s*)?[a-z]?\d+\s*$", re.I)


def _usable_doi(value: str) -> str:
    """The DOI of a record as evidence: "" when it is too short or broken to name anything."""
    doi = normalise_doi(value)
    return doi if doi_is_wellformed(doi) else ""


CONTAINER_TITLE = 0.8  # records sharing a DOI with titles less alike than this ...


def drop_container_dois(table: MatchTable) -> int:
    """Forget DOIs that name a container, not a record; return how many records had one.

    A conference supplement or a book has one DOI that exports copy onto every
    abstract or chapter in it. Records that share a DOI yet differ in title and in first
    page are such items: their DOI says nothing about whether they are one report.
    """
    doi = table.doi
    has = np.flatnonzero(doi != "")
    if len(has) < 2:
        return 0
    order = has[np.argsort(doi[has], kind="stable")]
    keys = doi[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    group_first = np.repeat(order[starts], sizes)
    shared = np.repeat(sizes > 1, sizes) & (group_first != order)
    a, b = group_first[shared], order[shared]
    if len(a) == 0:
        return 0
    sim = cpdist(list(table.title[a]), list(table.title[b]), scorer=fuzz.ratio, workers=1) / 100.0
    pa, pb = table.page_label[a], table.page_label[b]
    apart = (sim < CONTAINER_TITLE) & (pa != "") & (pb != "") & (pa != pb)
    containers = set(doi[a[apart]])
    if not containers:
        return 0
    hit = np.fromiter((d in containers for d in doi), dtype=bool, count=len(doi))
    table.doi[hit] = ""
    return int(hit.sum())


def concat_tables(tables: list[MatchTable]) -> MatchTable:
    """One table from the tables of consecutive chunks of records."""
    return MatchTable(
        **{f.name: np.concatenate([getattr(t, f.name) for t in tables]) for f in fields(MatchTable)}
    )
