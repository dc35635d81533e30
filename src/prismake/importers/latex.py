"""LaTeX escapes and braces in BibTeX values, turned into plain Unicode text.

A small table-driven decoder, not a TeX engine: it covers what exports actually carry
(accents, ``\\&``, ``\\textit{}``, ``--``, protective braces) and is fast enough for
100,000 entries, where pylatexenc-based decoding is the slowest step of an import.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "c": "\u0327",
    "k": "\u0328",
}
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
# escaped characters that later steps would eat are parked on control characters
_SYMBOLS = {"&": "&", "%": "%", "$": "\x03", "_": "_", "#": "#", "{": "\x01", "}": "\x02", " ": " "}
_PARKED = str.maketrans(
    {"\x01": "{", "\x02": "}", "\x03": "$", "\x04": "\\", "\x05": "~", "\x06": "^"}
)

_ACCENT = re.compile(r"\\([`'^~=.\"])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_ACCENT_WORD = re.compile(r"\\([uvHckr])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+(\\?[A-Za-z]))")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*(?:\{\})?")
_SYMBOL = re.compile(r"\\([&%$_#{} ])")
_COMMAND = re.compile(
    r"\\(?:textit|textbf|textrm|textsf|texttt|textsc|textup|emph|mathrm|mathit|mathbf|"
    r"mbox|url|text|ensuremath)\s*\{"
)
_OTHER_COMMAND = re.compile(r"\\[A-Za-z]+\s*")


def _base(letter: str) -> str:
    return {"\\i": "i", "\\j": "j"}.get(letter, letter)


def _accent(match: re.Match[str]) -> str:
    letter = _base(match.group(2) or match.group(3))
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def latex_to_text(value: str) -> str:
    """Plain text from a BibTeX value: ``{\\"o}`` -> ö, ``\\&`` -> &, braces dropped."""
    parked = "\\" in value
    if parked:
        if "{}" in value:
            value = value.replace("\\textbackslash{}", "\x04")
            value = value.replace("\\~{}", "\x05").replace("\\^{}", "\x06")
        value = _ACCENT.sub(_accent, value)
        value = _ACCENT_WORD.sub(_accent, value)
        value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
        value = _COMMAND.sub("{", value)
        value = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], value)
        value = _OTHER_COMMAND.sub("", value)
    if "--" in value:
        value = value.replace("---", "\u2014").replace("--", "\u2013")
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    if "~" in value:
        value = value.replace("~", " ")
    if "$" in value and value.count("$") % 2 == 0:
        value = value.replace("$", "")
    return value.translate(_PARKED) if parked else value
