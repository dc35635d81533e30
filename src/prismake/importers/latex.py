"""LaTeX escapes and braces in BibTeX values, turned into plain Unicode text.

A small table-driven decoder, not a TeX engine: it covers what exports actually carry
(accents, ``\\&``, ``\\textit{}``, ``--``, protective braces) and is fast enough for
100,000 entries, where pylatexenc-based decoding is the slowest step of an import.
Symbol commands (``\\alpha``, ``\\geq``, ``\\textpm`` ...) are looked up in pylatexenc's
table of ~900 (bibtexparser's own dependency), read once; a command no table knows is
kept as written (``\\foo``), never deleted unseen.
"""

from __future__ import annotations

import functools
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
    r"\\(?:textit|textbf|textrm|textsf|texttt|textsc|textup|textsl|textmd|textnormal|emph|"
    r"mathrm|mathit|mathbf|mathsf|mathtt|mathnormal|boldsymbol|mbox|url|text|ensuremath|"
    r"textsuperscript|textsubscript|uppercase|lowercase|MakeUppercase|MakeLowercase)\s*\{"
)
_OTHER_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
# what pylatexenc's table lacks or gets wrong for text (\textperiodcentered is "·")
_MORE_SYMBOLS = {
    "textgreater": ">",
    "textless": "<",
    "degree": "°",
    "ne": "≠",
    "textperiodcentered": "·",
    "textminus": "−",
    "textunderscore": "_",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "pounds": "£",
    "euro": "€",
    "texteuro": "€",
    "micro": "µ",
    "checkmark": "✓",
}
# font switches and spacing that mean nothing in plain text
_NOTHING = frozenset(
    "it bf em rm sc sf tt sl up md normalfont itshape bfseries scshape upshape mdseries "  # noqa: SIM905
    "relax protect noopsort newblock nobreak unskip displaystyle textstyle scriptstyle "
    "left right bigl bigr Bigl Bigr big Big mathstrut strut null".split()
)


@functools.cache
def symbols() -> dict[str, str]:
    """Command name -> text, for commands without arguments (read on first use)."""
    from pylatexenc.latex2text import get_default_latex_context_db as text_db
    from pylatexenc.latexwalker import get_default_latex_context_db as parse_db

    table: dict[str, str] = {}
    specs, takes = text_db(), parse_db()
    for category in specs.categories():
        for spec in specs.iter_macro_specs([category]):
            repl, name = spec.simplify_repl, spec.macroname
            parsed = takes.get_macro_spec(name)
            if getattr(getattr(parsed, "args_parser", None), "argspec", ""):
                continue  # takes arguments: not a symbol
            if isinstance(repl, str) and "%" not in repl and name not in table:
                table[name] = repl
    table.update(_MORE_SYMBOLS)
    table.update(dict.fromkeys(_NOTHING, ""))
    return table


def _command(match: re.Match[str]) -> str:
    """A symbol's text; an unknown command stays as written, so the reader sees it.

    The space after a command is eaten, as TeX does, unless one stood before it too
    ("a \\times b" reads "a × b", "37\\textdegree C" "37°C")."""
    text = symbols().get(match.group(1))
    if text is None:
        return match.group(0)
    at, whole = match.start(), match.string
    if text and at and whole[at - 1].isspace() and match.end(1) < match.end():
        return text + " "
    return text


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
        value = _OTHER_COMMAND.sub(_command, value)
    if "--" in value:
        value = value.replace("---", "\u2014").replace("--", "\u2013")
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    if "~" in value:
        value = value.replace("~", " ")
    if "$" in value and value.count("$") % 2 == 0:
        value = value.replace("$", "")
    return value.translate(_PARKED) if parked else value
