"""Citation labels of studies: "Surname (Year)", "Surname & Other (Year)", "Surname et al. (Year)".

Labels name studies in every table, figure and reference export, so they must be unique
and the same on every run: studies that share authors and year get 2019a, 2019b ... in
the order of their titles (then study ids), never in file order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from string import ascii_lowercase

from prismake.records import normalise_author, split_authors


def _initials(token: str) -> bool:
    """Up to four capitals, accented ones too ("AB", "É", "ÖZ"): a name's initials."""
    return 0 < len(token) <= 4 and token.isalpha() and all(map(str.isupper, token))


def surname(author_norm: str) -> str:
    """The surname of a normalised author ('van der Berg AB' -> 'van der Berg')."""
    parts = author_norm.strip().split(" ")
    if len(parts) > 1 and _initials(parts[-1]):
        parts = parts[:-1]
    return " ".join(parts)


def _surnames(authors_norm: str, authors: str) -> list[str]:
    names = [n for n in (authors_norm or "").split(";") if n.strip()]
    if not names:
        names = [normalise_author(a) for a in split_authors(authors or "")]
    return [s for s in (surname(n) for n in names if n) if s]


def _year(value: object) -> str:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b", str(value or ""))
    return match.group(1) if match else "n.d."


def author_part(authors_norm: str, authors: str, title: str = "") -> str:
    """'Smith', 'Smith & Jones' or 'Smith et al.'; the title's first words with no author."""
    names = _surnames(authors_norm, authors)
    if not names:
        words = (title or "").split()
        if not words:
            return "Anonymous"
        short = " ".join(words[:4])
        return short + ("..." if len(words) > 4 else "")
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def _letters(n: int) -> str:
    """a, b, ..., z, aa, ab ...: the n-th (0-based) suffix."""
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = ascii_lowercase[rest] + text
    return text


_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i"}
)  # fmt: skip


def sort_key(text: str) -> str:
    """Alphabetical order as a reference list has it: Łukasik among the L's, case ignored."""
    text = unicodedata.normalize("NFKD", str(text or "")).translate(_FOLD)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _sort_key(title: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", sort_key(title)).strip()


def citation_labels(
    studies: Iterable[Mapping[str, object]], taken: Iterable[str] = ()
) -> dict[str, str]:
    """Study id -> a unique label, for studies with study_id, authors(_norm), year, title.

    ``taken`` are labels already in use elsewhere (e.g. the included studies when labelling
    excluded ones): a study never gets one of them.
    """
    taken_labels = set(taken)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for study in studies:
        names = author_part(
            str(study.get("authors_norm") or ""),
            str(study.get("authors") or ""),
            str(study.get("title") or ""),
        )
        key = (names, _year(study.get("year")))
        groups.setdefault(key, []).append(
            (_sort_key(str(study.get("title") or "")), str(study["study_id"]))
        )
    labels: dict[str, str] = {}
    for (names, year), members in sorted(groups.items()):
        members.sort()
        plain = f"{names} ({year})"
        prefix = f"{names} ({year}"
        clash = any(t == plain or (t.startswith(prefix) and t.endswith(")")) for t in taken_labels)
        if len(members) == 1 and not clash:
            labels[members[0][1]] = plain
            continue
        n = 0
        for _, study_id in members:
            while True:
                suffix = _letters(n)
                label = (
                    f"{names} ({year}-{suffix})" if year == "n.d." else f"{names} ({year}{suffix})"
                )
                n += 1
                if label not in taken_labels:
                    break
            labels[study_id] = label
    return labels


def citation_key(label: str) -> str:
    """A BibTeX-safe key from a label: 'Müller et al. (2019a)' -> 'MullerEtAl2019a'.

    Letters with no accent to drop (Ø, Ł, Đ) are folded as in sorting, not dropped."""
    text = unicodedata.normalize("NFKD", label.translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("et al.", "EtAl").replace("&", "")
    return re.sub(r"[^A-Za-z0-9]+", "", text) or "study"


def citation_keys(labels: Mapping[str, str]) -> dict[str, str]:
    """Study id -> unique BibTeX key; the rare clash after simplifying gets a number."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for study_id, label in sorted(labels.items(), key=lambda item: (item[1], item[0])):
        key = base = citation_key(label)
        n = 2
        while key.casefold() in used:
            key = f"{base}x{n}"
            n += 1
        used.add(key.casefold())
        keys[study_id] = key
    return keys
