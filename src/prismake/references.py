"""The included studies as BibTeX and RIS, for the authors' reference manager.

Each reference carries the study's citation label (the label the tables and figures use):
as the BibTeX key made key-safe ("Smith et al. (2019a)" -> ``SmithEtAl2019a``) and in a
``citationlabel`` field; as the RIS ``ID`` (same key) and ``LB`` (the label itself), and
again in a note (``N1``), because Zotero drops ``ID`` and ``LB`` on import.

What a reference manager or a BibTeX style needs, from all the records of a study:

- every field any of its records has (abstract, publisher, address, ISSN, article
  number ...): the study's own value first, else the first record that has one;
- the journal as the best-cased spelling among its records ("Journal of Social Policy",
  not Web of Science's "JOURNAL OF SOCIAL POLICY"), title-cased when all are capitals;
- page ranges written out (PubMed's "705-14" is 705-714), languages by one name
  ("English" for English, eng, en);
- BibTeX names as "Surname, A. B." (initials spaced, so abbreviating styles keep the
  middle one; MEDLINE's "Surname AB" made explicit; accented letters as LaTeX accents,
  which abbreviating styles and sorting need) and titles with every capitalised
  word braced, so styles that lower-case titles keep "Helsinki", "NHS" and "COVID-19".
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field

from prismake.csvio import read_table, was_cut
from prismake.extraction.citations import citation_keys
from prismake.records import MULTI_SEPARATOR, expand_pages, page_range, split_authors
from prismake.tableformats import latex_escape

# (words in the record's type column, BibTeX entry type, RIS type); first match wins
_TYPES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("chap", "section", "incollection", "inbook"), "incollection", "CHAP"),
    (("conf", "proceed", "cpaper", "meeting"), "inproceedings", "CPAPER"),
    (("thes", "dissert"), "phdthesis", "THES"),
    (("rprt", "report", "grey", "gray"), "techreport", "RPRT"),
    (("book",), "book", "BOOK"),
    (("jour", "article", "review", "jfull", "letter", "editorial"), "article", "JOUR"),
)
# where the journal column goes for each BibTeX type
_CONTAINER = {
    "article": "journal",
    "incollection": "booktitle",
    "inproceedings": "booktitle",
    "techreport": "institution",
    "phdthesis": "school",
    "book": "publisher",
    "misc": "howpublished",
}
# fields a reference takes from any record of its study when the study row lacks them
FIELDS = (
    "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract",
    "keywords", "url", "issn", "isbn", "language", "type", "publisher", "address",
    "article_number",
)  # fmt: skip
_LANGUAGES = {
    "English": ("en", "eng"), "French": ("fr", "fre", "fra"), "German": ("de", "ger", "deu"),
    "Spanish": ("es", "spa"), "Portuguese": ("pt", "por"), "Italian": ("it", "ita"),
    "Dutch": ("nl", "dut", "nld"), "Swedish": ("sv", "swe"), "Norwegian": ("no", "nor"),
    "Danish": ("da", "dan"), "Finnish": ("fi", "fin"), "Polish": ("pl", "pol"),
    "Russian": ("ru", "rus"), "Chinese": ("zh", "chi", "zho"), "Japanese": ("ja", "jpn"),
    "Korean": ("ko", "kor"), "Arabic": ("ar", "ara"), "Turkish": ("tr", "tur"),
    "Greek": ("el", "gre", "ell"), "Czech": ("cs", "cze", "ces"), "Hungarian": ("hu", "hun"),
    "Hebrew": ("he", "heb"), "Persian": ("fa", "per", "fas"), "Icelandic": ("is", "ice", "isl"),
}  # fmt: skip
_LANGUAGE_OF = {code: name for name, codes in _LANGUAGES.items() for code in codes}
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "de", "for", "from", "in", "of", "on"}
_SMALL_WORDS |= {"or", "the", "to", "with", "und", "et", "la", "le", "du", "des", "van"}


def reference_type(record_type: str, journal: str) -> tuple[str, str]:
    """(BibTeX type, RIS type) for a record's ``type`` ("JOUR", "Journal Article", ...)."""
    word = record_type.casefold()
    for needles, bibtex_type, ris_type in _TYPES:
        if any(n in word for n in needles):
            return bibtex_type, ris_type
    if not word and journal:
        return "article", "JOUR"
    return "misc", "GEN"


# --- One reference from the records of a study ---------------------------------------


def language_name(language: str) -> str:
    """One name per language: "English" for English, english, eng and en."""
    names = []
    for part in re.split(r"\s*[;,]\s*", str(language).strip()):
        if part:
            name = _LANGUAGE_OF.get(part.casefold(), part[:1].upper() + part[1:].lower())
            if name not in names:
                names.append(name)
    return "; ".join(names)


def _cased(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return any(c.isupper() for c in letters) and any(c.islower() for c in letters)


def title_case(text: str, acronyms: frozenset[str] = frozenset()) -> str:
    """A journal name in title case ("JOURNAL OF SOCIAL POLICY", "Journal of social policy").

    Small words stay lower case, words without a vowel are acronyms (BMJ, NHS), as are the
    words in ``acronyms`` (``review_acronyms``: ASME, IEEE), and a word already cased
    inside (eLife, mBio) is kept as written.
    """
    out = []
    for i, word in enumerate(text.split(" ")):
        if (
            not text.isupper()
            and any(c.isupper() for c in word[1:])
            and word[1:] != word[1:].upper()
        ):
            out.append(word)
            continue
        word = word.lower()
        if i and word in _SMALL_WORDS:
            out.append(word)
        elif word.isalpha() and not re.search(r"[aeiouy]", word):
            out.append(word.upper())
        else:
            # each part of ACM/IEEE or Health-System; the first letter, after any "("
            out.append(
                "".join(
                    part.upper()
                    if _NOT_LETTERS.sub("", part).upper() in acronyms
                    else _FIRST_LETTER.sub(lambda m: m[0].upper(), part, count=1)
                    for part in re.split(r"([-/])", word)
                )
            )
    return " ".join(out)


_NOT_LETTERS = re.compile(r"[^A-Za-z]")
_FIRST_LETTER = re.compile(r"^\W*\w")  # "(isscc)" -> "(Isscc)"; "10th" stays


def review_acronyms(names: Iterable[str], prose: Iterable[str] = ()) -> frozenset[str]:
    """Words the review's own records write in capitals inside cased journal names
    ("ASME Joint Rail Conference", "IEEE Access"), and never otherwise: in a name exported
    all in capitals ("ASME JOINT RAIL CONFERENCE") they stay acronyms when title-cased.

    A word the records' titles and abstracts (``prose``) also write in lower case is an
    English word whatever a journal's style ("PLoS ONE", "IT Professional"): not taken.
    """
    upper, other = set(), set()
    for text in prose:
        other.update(w.upper() for w in re.findall(r"\b[A-Za-z][a-z]+\b", str(text)))
    for name in dict.fromkeys(str(n) for n in names):
        words = [w for w in re.findall(r"[A-Za-z]+", name) if len(w) > 1]
        capitals = [w for w in words if w.isupper()]
        # a name mostly in capitals ("SENSORS IN THE AGE OF ...: Technologies") is no evidence
        if not capitals or 2 * len(capitals) > len(words):
            other.update(w.upper() for w in words if not w.isupper())
            continue
        upper.update(capitals)
        other.update(w.upper() for w in words if not w.isupper())
    return frozenset(upper - other)


def _capitalised_share(name: str) -> float:
    """How many of a name's significant words start with a capital (title case: 1.0)."""
    words = [w for w in name.split(" ") if w and w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    return sum(w[0].isupper() for w in words) / len(words) if words else 1.0


def _journal_key(name: str) -> str:
    return " ".join(str(name).casefold().split())


def review_spellings(names: Iterable[str]) -> dict[str, str]:
    """Journal name (any case) -> its best-cased spelling in the review's own records, for
    names some record writes in title case ("PLoS ONE" for "PLOS ONE", "JMIR mHealth and
    uHealth" for "JMIR MHEALTH AND UHEALTH"): better than any title-casing rule."""
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(" ".join(str(n).split()) for n in names):
        if name:
            groups.setdefault(_journal_key(name), []).append(name)
    spellings = {}
    for key, group in groups.items():
        # title case, or a brand's own inner capitals (mHealth, PLoS); not sentence case
        titled = [
            n
            for n in group
            if _cased(n)
            and (_capitalised_share(n) >= 0.5 or re.search(r"\b[a-z]+[A-Z]|\b[A-Z][a-z]+[A-Z]", n))
        ]
        if titled:
            spellings[key] = max(titled, key=lambda n: (_capitalised_share(n), -group.index(n)))
    return spellings


def best_journal(
    names: Sequence[str],
    acronyms: frozenset[str] = frozenset(),
    spellings: Mapping[str, str] | None = None,
) -> str:
    """The journal as its best-cased spelling among a study's records.

    The full name beats an abbreviation ("J Soc Policy"); among spellings of the full
    name, title case beats sentence case, capitals or lower case. When no record has it
    in title case, the full name is title-cased ("JOURNAL OF SOCIAL POLICY" -> "Journal of
    Social Policy").
    """
    names = [n for n in dict.fromkeys(" ".join(str(n).split()) for n in names) if n]
    if not names:
        return ""
    longest = max(len(n) for n in names)
    full = [n for n in names if len(n) >= 0.8 * longest]
    titled = [n for n in full if _cased(n) and _capitalised_share(n) >= 0.5]
    if titled:
        return max(titled, key=lambda n: (_capitalised_share(n), len(n), -names.index(n)))
    longest_full = max(full, key=lambda n: (len(n), -names.index(n)))
    spelt = (spellings or {}).get(_journal_key(longest_full))
    return spelt if spelt is not None else title_case(longest_full, acronyms)


def merged_reference(
    study: Mapping[str, str],
    records: Sequence[Mapping[str, str]],
    acronyms: frozenset[str] = frozenset(),
    spellings: Mapping[str, str] | None = None,
) -> dict:
    """The study's fields, each filled from its records where the study row has none
    (``acronyms``, ``spellings``: see ``review_acronyms``, ``review_spellings``)."""
    merged = {name: str(study.get(name, "") or "") for name in (*FIELDS, "citation_label")}
    for name in FIELDS:
        if was_cut(merged[name]):  # cut to fit Excel: the whole text from its record
            start = merged[name][:200]
            whole = (str(r[name]) for r in records if str(r.get(name) or "").startswith(start))
            merged[name] = next(whole, merged[name])
        if not merged[name]:
            merged[name] = next((str(r[name]) for r in records if r.get(name)), "")
    merged["journal"] = best_journal(
        [merged["journal"], *(str(r.get("journal", "")) for r in records)], acronyms, spellings
    )
    merged["pages"] = expand_pages(merged["pages"]) if merged["pages"] else ""
    merged["language"] = language_name(merged["language"])
    return merged


# --- BibTeX --------------------------------------------------------------------------

# Letters as BibTeX styles need them in names: a brace group starting with a command is
# one "special character" to BibTeX, so abbreviating styles (abbrv, apalike, alpha) cut
# "{\'E}mile" to "{\'E}." (raw UTF-8 "Émile" lost its second byte, which pdflatex refuses)
# and sorting reads it as its letter ("{\"O}zt{\"u}rk" among the O's, not after Z).
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
    "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H",
    "\u030c": "v", "\u0323": "d", "\u0327": "c", "\u0328": "k", "\u0331": "b",
}  # fmt: skip
_BELOW = {"\u0323", "\u0327", "\u0328", "\u0331"}
# letters of their own, which BibTeX's purify$ sorts as the letters in their names
_LETTERS = {
    "ß": r"\ss", "æ": r"\ae", "Æ": r"\AE", "œ": r"\oe", "Œ": r"\OE", "ø": r"\o",
    "Ø": r"\O", "ł": r"\l", "Ł": r"\L", "å": r"\aa", "Å": r"\AA", "ı": r"\i", "ȷ": r"\j",
    # T1's (pdflatex's usual font encoding); purify$ drops these, so they sort by what follows
    "Đ": r"\DJ", "đ": r"\dj", "Ð": r"\DH", "ð": r"\dh", "Þ": r"\TH", "þ": r"\th",
    "Ŋ": r"\NG", "ŋ": r"\ng",
}  # fmt: skip


def _tex_letter(char: str) -> str | None:
    """``{\\'E}`` for "É", ``{\\L}`` for "Ł"; None for a letter with no such command."""
    if char in _LETTERS:
        return f"{{{_LETTERS[char]}}}"
    base, *marks = unicodedata.normalize("NFD", char)
    if not base.isascii() or not marks or any(m not in _ACCENTS for m in marks):
        return None
    text = base
    if base in "ij" and marks[0] not in _BELOW:  # dotless under an accent above: {\'\i}
        text = "\\" + base
    for mark in marks:  # inner mark first: "ệ" is {\^{\d{e}}}
        command = _ACCENTS[mark]
        plain = not command.isalpha() and (len(text) == 1 or text in (r"\i", r"\j"))
        text = f"\\{command}{text}" if plain else f"\\{command}{{{text}}}"
    return f"{{{text}}}"


def tex_name(text: str) -> str:
    """A name as LaTeX: each accented letter an accent command in braces, any other
    non-ASCII letter behind ``\\relax`` in braces, so BibTeX keeps either whole when it
    abbreviates (a bare "Ħ" or a UTF-8 letter in plain braces lost its second byte)."""
    pieces = re.split(r"([^\W\d_])", unicodedata.normalize("NFC", text))
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 and not piece.isascii():
            escaped = latex_escape(piece)  # what pdflatex cannot print: its nearest form
            out.append(_tex_letter(piece) or f"{{\\relax {escaped}}}")
        elif piece:
            out.append(latex_escape(piece))
    return "".join(out)


def _initials(token: str) -> bool:
    return 0 < len(token) <= 3 and token.isalpha() and all(map(str.isupper, token))


def bibtex_name(name: str) -> str:
    """A name as BibTeX parses it right: "Surname, A. B." with the initials spaced.

    "Nguyen, M.W." -> "Nguyen, M. W." (BibTeX reads "M.W." as one given name);
    MEDLINE's "Nguyen MW" -> "Nguyen, M. W." (BibTeX would take MW as the surname).
    Accented letters become accent commands (``tex_name``), so that abbreviating styles
    abbreviate "Émile" to "É." and sorting puts "Öztürk" among the O's.
    """
    name = " ".join(name.split())
    if "," in name:
        surname, _, given = name.partition(",")
    else:
        parts = name.split(" ")
        if len(parts) > 1 and _initials(parts[-1].replace(".", "")):
            surname, given = " ".join(parts[:-1]), " ".join(parts[-1].replace(".", ""))
        else:
            return tex_name(name)
    given = re.sub(r"\.(?=[^\s.-])", ". ", given.strip())
    given = re.sub(r"(?<!\w)([^\W\d_])(?=\s|$)", _initial, given)  # "A B" -> "A. B."
    return f"{tex_name(surname.strip())}, {tex_name(given)}".rstrip(", ")


def _initial(match: re.Match[str]) -> str:
    return match[1] + "." if match[1].isupper() else match[1]


def protected_title(title: str) -> str:
    """A title with each capitalised word in braces, so styles keep its capitals.

    The first word keeps its case unprotected when only its first letter is a capital
    (styles capitalise the first word anyway).
    """
    words = " ".join(str(title).split()).split(" ")
    out = []
    for i, word in enumerate(words):
        text = latex_escape(word)
        capitals = [c for c in word if c.isupper()]
        plain_first = i == 0 and word[:1].isupper() and len(capitals) == 1
        out.append(f"{{{text}}}" if capitals and not plain_first else text)
    return " ".join(out)


_VOLUME_OR_NUMBER = frozenset({"inproceedings", "incollection", "book", "inbook"})


def bibtex_entry(study: Mapping[str, str], key: str) -> Entry:
    """One BibTeX entry; text is LaTeX-escaped, DOI and URL are kept verbatim."""
    entry_type, _ = reference_type(study.get("type", ""), study.get("journal", ""))
    start, end = page_range(study.get("pages", ""))
    container = _CONTAINER[entry_type]
    publisher = study.get("publisher", "")
    if entry_type in ("techreport", "phdthesis") and not study.get("journal"):
        container_value = publisher  # the institution or school published it
        publisher = ""
    else:
        container_value = study.get("journal", "")
    article_number = study.get("article_number", "")
    pages = f"{start}--{end}" if end else start
    # a book or proceedings' volume and number are alternatives in the standard styles
    # (bibtex warns "can't use both volume and number fields"): the volume names it
    number = study.get("issue", "")
    if entry_type in _VOLUME_OR_NUMBER and study.get("volume", ""):
        number = ""
    text_fields = {
        "title": study.get("title", ""),
        "year": study.get("year", ""),
        container: container_value,
        "volume": study.get("volume", ""),
        "number": number,
        "pages": pages or article_number,
        "eid": article_number,
        "publisher": publisher if container != "publisher" else "",
        "address": study.get("address", ""),
        "issn": study.get("issn", ""),
        "isbn": study.get("isbn", ""),
        "language": study.get("language", ""),
        "keywords": ", ".join(k.strip() for k in study.get("keywords", "").split(";") if k.strip()),
        "abstract": study.get("abstract", ""),
        "citationlabel": study.get("citation_label", ""),
    }
    fields = []
    authors = split_authors(study.get("authors", ""))
    if authors:
        fields.append(Field("author", " and ".join(bibtex_name(a) for a in authors)))
    for name, value in text_fields.items():
        if value:
            text = protected_title(value) if name == "title" else latex_escape(value)
            fields.append(Field(name, text))
    for name in ("doi", "url"):
        value = study.get(name, "").split(MULTI_SEPARATOR)[0].strip()
        if value and not re.search(r"[{}\s\\]", value):
            fields.append(Field(name, value))
    return Entry(entry_type, key, fields)


# --- RIS -----------------------------------------------------------------------------


def ris_entry(study: Mapping[str, str], key: str) -> dict[str, object]:
    """One RIS reference as rispy writes it; ID is the BibTeX key, LB the citation label."""
    _, ris_type = reference_type(study.get("type", ""), study.get("journal", ""))
    start, end = page_range(study.get("pages", ""))
    label = study.get("citation_label", "")
    reference: dict[str, object] = {
        "type_of_reference": ris_type,
        "id": key,
        "label": label,
        "authors": [
            re.sub(r"\.(?=[^\s.-])", ". ", a) for a in split_authors(study.get("authors", ""))
        ],
        "title": study.get("title", ""),
        "year": study.get("year", ""),
        "secondary_title": study.get("journal", ""),
        "volume": study.get("volume", ""),
        "number": study.get("issue", ""),
        "start_page": start,
        "end_page": end,
        "custom7": study.get("article_number", ""),
        "publisher": study.get("publisher", ""),
        "place_published": study.get("address", ""),
        "issn": study.get("issn", "") or study.get("isbn", ""),
        "doi": study.get("doi", "").split(MULTI_SEPARATOR)[0].strip(),
        "urls": [u.strip() for u in study.get("url", "").split(MULTI_SEPARATOR) if u.strip()],
        "abstract": study.get("abstract", ""),
        "keywords": [k.strip() for k in study.get("keywords", "").split(";") if k.strip()],
        "language": study.get("language", ""),
        # Zotero keeps neither ID nor LB: the key and label travel in a note too
        "notes": [f"prismake citation key: {key}; label: {label}"],
    }
    return {name: _one_line(value) for name, value in reference.items() if value}


def _one_line(value: object) -> object:
    """RIS is line-based: a newline inside a value would start a bogus tag."""
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    return re.sub(r"\s*[\r\n]+\s*", " ", value) if isinstance(value, str) else value


class _RisWriter(rispy.RisWriter):
    """rispy's RIS writer without the "1." line it puts before each reference."""

    def set_header(self, count: int) -> str:
        return ""


def _records_by_study(records_path: str | os.PathLike | None) -> dict[str, list[dict]]:
    if not records_path or not Path(records_path).exists():
        return {}
    records = read_table(records_path)
    if "study_id" not in records.columns:
        return {}
    grouped: dict[str, list[dict]] = {}
    for record in records.to_dict("records"):
        grouped.setdefault(record["study_id"], []).append(record)
    return grouped


def write_included_references(
    *,
    included_path: str | os.PathLike,
    bib_out: str | os.PathLike,
    ris_out: str | os.PathLike,
    records_path: str | os.PathLike | None = None,
) -> None:
    """Write results/included.bib and results/included.ris in citation-label order.

    ``records_path`` (data/processed/records.csv, with study_id): the records the
    references take missing fields and the best-cased journal from, and whose cased
    journal names tell which words are acronyms.
    """
    included = read_table(included_path, neutralised=True)
    by_study = _records_by_study(records_path)
    records = [r for group in by_study.values() for r in group]
    acronyms = review_acronyms(
        (str(r.get("journal", "")) for r in records),
        (f"{r.get('title', '')} {r.get('abstract', '')}" for r in records),
    )
    spellings = review_spellings(str(r.get("journal", "")) for r in records)
    studies = [
        merged_reference(s, by_study.get(s["study_id"], []), acronyms, spellings)
        | {"study_id": s["study_id"]}
        for s in included.to_dict("records")
    ]
    keys = citation_keys({s["study_id"]: s.get("citation_label", "") for s in studies})
    library = bibtexparser.Library()
    for study in studies:
        library.add(bibtex_entry(study, keys[study["study_id"]]))
    bib_text = bibtexparser.write_string(library) if studies else ""
    references = [ris_entry(s, keys[s["study_id"]]) for s in studies]
    ris_text = rispy.dumps(references, implementation=_RisWriter)
    for path, text in ((bib_out, bib_text), (ris_out, ris_text)):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8", newline="\n")


__all__ = ["bibtex_entry", "ris_entry", "write_included_references"]
