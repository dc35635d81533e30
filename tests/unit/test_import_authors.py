"""normalise_author: the fast version gives exactly what the plain reference gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from prismake.records import normalise_author

_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos"}
_PARTICLES |= {"ó", "ní", "nic", "mac"}


def _initials(token: str) -> bool:
    """One to three capital letters, any alphabet (regex has no Unicode "upper case")."""
    return 1 <= len(token) <= 3 and all(c.isalpha() and c.isupper() for c in token)


def reference_normalise_author(name: str) -> str:
    """The first, regex-only version of records.normalise_author, kept as the reference."""
    name = re.sub(r"\s+", " ", (name or "").replace("\u00a0", " ")).strip().strip(",;")
    if not name or re.fullmatch(r"(?i)et\.?\s*al\.?|others|and others", name):
        return ""
    if "," in name:
        surname, _, given = name.partition(",")
    else:
        parts = name.split(" ")
        if len(parts) > 1 and _initials(parts[-1].replace(".", "")):
            # "Surname A. B." (Embase): every trailing initial belongs to the given names
            cut = len(parts) - 1
            while cut > 1 and _initials(parts[cut - 1].replace(".", "")):
                cut -= 1
            surname, given = " ".join(parts[:cut]), "".join(parts[cut:])
            initials = "".join(c for c in given if c.isupper())
            return f"{surname.strip()} {initials}".strip()
        idx = len(parts) - 1
        while idx > 0 and parts[idx - 1].lower() in _PARTICLES:
            idx -= 1
        surname, given = " ".join(parts[idx:]), " ".join(parts[:idx])
    initials = "".join(
        part[0].upper()
        for part in re.split(r"[\s.\-]+", given.strip())
        if part and part[0].isalpha()
    )
    surname = surname.strip()
    return f"{surname} {initials}".strip() if surname else ""


_PIECES = st.sampled_from(
    [
        "Smith",
        "van",
        "der",
        "Berg",
        "A.",
        "B",
        "JP",
        "Anna",
        "et",
        "al.",
        "others",
        "and",
        ",",
        ";",
        ".",
        "-",
        " ",
        "  ",
        "\u00a0",
        "\t",
        "\n",
        "\x1c",
        "Ø",
        "é",
        "Ő",
        "ab",
        "X.",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=20)))
def test_fast_author_normalisation_agrees_with_the_reference(name):
    assert normalise_author(name) == reference_normalise_author(name)


def test_author_forms_reviewers_meet():
    assert normalise_author("Surname, Anna B.") == "Surname AB"
    assert normalise_author("A. B. van Surname") == "van Surname AB"
    assert normalise_author("Surname AB") == "Surname AB"
    assert normalise_author("et al.") == ""


def test_accented_initials_are_initials_in_every_author_form():
    # MEDLINE's "Surname AB" with an accented initial was read as "Given Surname"
    assert normalise_author("Durand É") == "Durand É"
    assert normalise_author("Öztürk ÖZ") == "Öztürk ÖZ"
    assert normalise_author("Nowak Ł. A.") == "Nowak ŁA"
    assert normalise_author("Ó Briain Á") == "Ó Briain Á"
    assert normalise_author("Ó Briain, Áine") == "Ó Briain Á"
    assert normalise_author("Áine Ó Briain") == "Ó Briain Á"
    assert normalise_author("Émile Durand") == "Durand É"
