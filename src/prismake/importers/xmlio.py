"""Parsing an XML export safely: defusedxml, from its decoded text.

defusedxml refuses entity expansion and external entities, so an export cannot make the
pipeline read local files or blow up memory. The text is parsed, not the bytes: it is
decoded already, so the declaration's encoding ("ISO-8859-1", "UTF-16") must not be
applied a second time. Blank lines before the declaration (left by a download or an
editor) are not a reason to refuse a file; error lines still count them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from prismake.errors import ImportFileError


def xml_root(text: str, file: str, hint: str) -> ET.Element:
    """The root element of ``text``; ImportFileError (with ``hint``) when it cannot be."""
    body = text.lstrip()
    skipped = text[: len(text) - len(body)].count("\n")
    try:
        return fromstring(body)
    except DefusedXmlException as error:
        raise ImportFileError(
            file, f"it uses XML features refused for safety ({type(error).__name__})"
        ) from None
    except ET.ParseError as error:
        line = error.position[0] + skipped if getattr(error, "position", None) else None
        raise ImportFileError(
            file, f"it is not well-formed XML ({error})", line=line, hint=hint
        ) from None
