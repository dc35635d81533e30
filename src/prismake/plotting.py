"""Reproducible matplotlib output: same inputs, same bytes (DESIGN.md invariant 6).

Fixed font (DejaVu Sans ships with matplotlib, so layout is measured with the same font
everywhere), text kept as text in SVG and PDF so editors can change it, drawn as typed
(no mathtext: a "$" or "\\" in a theme or an author's name prints as itself), no dates,
versions or random ids in file metadata. An SVG names fallbacks after DejaVu Sans (Arial,
Helvetica, Liberation Sans, then any sans-serif): a browser without DejaVu draws the text
in a narrower sans-serif font instead of a serif one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency,
# ordered so neighbouring bars also differ in lightness when printed in grey.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# DejaVu Sans first (measured, embedded in PDF and PNG), then what an SVG viewer may
# have instead: metric-compatible Arial / Helvetica / Liberation Sans are all narrower.
FONT_FAMILY = ["DejaVu Sans", "sans-serif"]
SANS_SERIF = ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"]

RC: dict[str, Any] = {
    "font.family": FONT_FAMILY,
    "font.sans-serif": SANS_SERIF,
    "font.size": 9,
    # labels come from the codebook and the records: "$US and $AU" is text, not math
    "text.parse_math": False,
    "svg.fonttype": "none",  # text stays <text> in SVG
    "svg.hashsalt": "prismake",  # stable element ids
    "pdf.fonttype": 42,  # TrueType text, editable in PDF
    "path.simplify": False,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
}

_METADATA = {
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    ".png": {"Software": None},
}


def style() -> Any:
    """Context manager with prismake's figure settings."""
    return matplotlib.rc_context(RC)


def save_figure(fig: Any, outputs: Iterable[str | os.PathLike], dpi: int = 300) -> None:
    """Save ``fig`` to each path (format from the extension) without volatile metadata."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    for out in outputs:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        with matplotlib.rc_context(RC):
            fig.savefig(path, dpi=dpi, metadata=_METADATA.get(suffix, {}))
