"""Turning export bytes into text: byte-order marks, UTF-16, UTF-8, cp1252 and Latin-1.

Databases write whatever their platform likes: Web of Science UTF-16 with a BOM, Embase
UTF-8 with a BOM glued to the first tag, old EndNote cp1252. The encoding found is named
in the import report so a user can check accents came through.
"""

from __future__ import annotations

import codecs
import mmap
import re
from collections.abc import Iterator

from prismake.errors import ImportFileError


def decode(data: bytes | mmap.mmap, file: str) -> tuple[str, str]:
    """``(text, encoding)``; text has LF line ends and no BOM. Never fails on odd bytes.

    ``data`` is any bytes-like object (``read_text`` maps the file rather than copy it).
    """
    if data[:3] == codecs.BOM_UTF8:
        encoding, text = "utf-8 (with BOM)", str(memoryview(data)[3:], "utf-8", "replace")
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding, text = "utf-16 (with BOM)", str(data, "utf-16", "replace")
    elif _looks_utf16(data):
        le = data[1:2] == b"\x00"
        encoding = "utf-16-le" if le else "utf-16-be"
        text = str(data, encoding, "replace")
    else:
        try:
            encoding, text = "utf-8", str(data, "utf-8")
        except UnicodeDecodeError:
            encoding, text = _not_utf8(data)
    text = text.lstrip("\ufeff")
    if "\ufeff" in text:  # exports joined by ``cat``: each one's BOM, glued to its first tag
        text = text.replace("\ufeff", "")
    if "\x00" in text:
        raise ImportFileError(
            file,
            "it contains binary data (NUL bytes), not text",
            hint="Export the records again as a text format (RIS, MEDLINE, BibTeX, CSV ...).",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _not_utf8(data: bytes | mmap.mmap) -> tuple[str, str]:
    """Mostly UTF-8 with a few stray bytes (two exports pasted together) stays UTF-8 with
    the stray bytes replaced and counted; otherwise it is a Windows (cp1252) file."""
    text = str(data, "utf-8", "replace")
    bad = text.count("\ufffd") - str(data, "utf-8", "ignore").count("\ufffd")
    good = len(_UTF8_SEQUENCE.findall(data))
    if good > bad:
        return f"utf-8 ({bad} invalid byte{'s' if bad != 1 else ''} replaced by \ufffd)", text
    declared = _xml_encoding(data)
    if declared:
        try:
            return f"{declared} (as its XML declaration says)", str(data, declared)
        except UnicodeDecodeError:
            pass
    try:
        return "cp1252", str(data, "cp1252")
    except UnicodeDecodeError:
        return "latin-1", str(data, "latin-1")


_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")


def _xml_encoding(data: bytes | mmap.mmap) -> str:
    """The 8-bit encoding an XML file that is not UTF-8 declares ("ISO-8859-1",
    "windows-1251"), if Python knows it; '' otherwise."""
    match = _XML_DECLARATION.match(data[:200])
    if not match:
        return ""
    name = match.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return ""
    return "" if codec.name.startswith(("utf", "mbcs")) else name


def _looks_utf16(data: bytes | mmap.mmap) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    head = data[:400]
    if len(head) < 4:
        return False
    nul_even = head[0::2].count(0)
    nul_odd = head[1::2].count(0)
    half = len(head) // 2
    return max(nul_even, nul_odd) > 0.4 * half and min(nul_even, nul_odd) < 0.05 * half


MISSING_FILE_HINT = "Check the file's name and the folder it is in."


def read_text(path: str, display: str | None = None) -> tuple[str, str]:
    """Read and decode a file; a missing or unreadable file is an ``ImportFileError``."""
    shown = display or path
    try:
        with open(path, "rb") as handle:
            try:  # decoded straight from the file's pages: no 200 MB copy in between
                data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file, a pipe
                data = handle.read()
            try:
                return decode(data, shown)
            finally:
                if isinstance(data, mmap.mmap):
                    data.close()
    except FileNotFoundError:
        raise ImportFileError(shown, "the file does not exist", hint=MISSING_FILE_HINT) from None
    except IsADirectoryError:
        raise ImportFileError(shown, "it is a folder, not a file") from None
    except OSError as error:
        raise ImportFileError(shown, f"it cannot be opened ({error.strerror})") from None


def blocks(text: str, size: int = 1 << 20, end: str = "\n") -> Iterator[str]:
    """``text`` cut at line breaks into pieces of about ``size`` characters.

    Splitting piece by piece gives the same lines as ``text.split("\\n")`` without a list
    of every line of a 200 MB export in memory at once. With ``end="\\n\\n"`` pieces are
    cut only at a blank line, so no MEDLINE record is split between two of them.
    """
    start, stop = 0, len(text)
    while True:
        cut = text.find(end, start + size) if start + size < stop else -1
        if cut < 0:
            yield text[start:]
            return
        yield text[start:cut]
        start = cut + len(end)
