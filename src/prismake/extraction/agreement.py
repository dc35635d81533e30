"""Agreement between coders who coded the same study (double coding).

For each pair of coders and each theme, over the studies both coded: is the theme present
(coded with any kind) for each coder? Agreement is Cohen's kappa over that yes/no, with the
plain percentage beside it (kappa is undefined when both coders said yes, or both no, for
every study). Disagreements are listed per study, theme and kind, with what each coded.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import pandas as pd

from prismake.extraction.codebook import Codebook
from prismake.extraction.coding import CodedExcerpt

AGREEMENT_COLUMNS: tuple[str, ...] = (
    "theme",
    "theme_label",
    "coder_a",
    "coder_b",
    "n_studies",
    "both_present",
    "only_a",
    "only_b",
    "both_absent",
    "percent_agreement",
    "kappa",
)
DISAGREEMENT_COLUMNS: tuple[str, ...] = (
    "study_id",
    "citation_label",
    "theme",
    "kind",
    "coder_a",
    "coder_b",
    "coder_a_excerpts",
    "coder_b_excerpts",
)
ALL_THEMES = "all"


def cohen_kappa(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """Cohen's kappa of two raters' yes/no; None when chance agreement is already total."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None
    observed = (both + neither) / n
    yes_a, yes_b = (both + only_a) / n, (both + only_b) / n
    expected = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def _double_coded(excerpts: Sequence[CodedExcerpt]) -> dict[tuple[str, str], list[str]]:
    """(coder_a, coder_b) -> the studies both coded, for every pair of named coders."""
    coders_of: dict[str, set[str]] = {}
    for e in excerpts:
        if e.coder:
            coders_of.setdefault(e.study_id, set()).add(e.coder)
    pairs: dict[tuple[str, str], list[str]] = {}
    for study, coders in sorted(coders_of.items()):
        for pair in combinations(sorted(coders), 2):
            pairs.setdefault(pair, []).append(study)
    return pairs


def coder_agreement(excerpts: Sequence[CodedExcerpt], codebook: Codebook) -> pd.DataFrame:
    """One row per coder pair and theme (and an 'all' row pooling themes), in codebook order."""
    present = {(e.study_id, e.coder, e.theme) for e in excerpts}
    rows = []
    for (a, b), studies in sorted(_double_coded(excerpts).items()):
        pooled = [0, 0, 0, 0]
        for theme in codebook.themes:
            cells = [0, 0, 0, 0]  # both, only a, only b, neither
            for study in studies:
                in_a = (study, a, theme.id) in present
                in_b = (study, b, theme.id) in present
                cells[0 if in_a and in_b else 1 if in_a else 2 if in_b else 3] += 1
            pooled = [p + c for p, c in zip(pooled, cells, strict=True)]
            rows.append(_row(theme.id, theme.label, a, b, len(studies), cells))
        rows.append(_row(ALL_THEMES, "All themes (pooled)", a, b, len(studies), pooled))
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


def _row(theme: str, label: str, a: str, b: str, n: int, cells: list[int]) -> dict[str, object]:
    kappa = cohen_kappa(*cells)
    total = sum(cells)
    return {
        "theme": theme,
        "theme_label": label,
        "coder_a": a,
        "coder_b": b,
        "n_studies": n,
        "both_present": cells[0],
        "only_a": cells[1],
        "only_b": cells[2],
        "both_absent": cells[3],
        "percent_agreement": f"{100 * (cells[0] + cells[3]) / total:.1f}" if total else "",
        "kappa": "" if kappa is None else f"{kappa:.3f}",
    }


def coder_disagreements(
    excerpts: Sequence[CodedExcerpt], codebook: Codebook, labels: dict[str, str]
) -> pd.DataFrame:
    """Each study, theme and kind that one coder of a pair coded and the other did not."""
    coded: dict[tuple[str, str, str, str], list[str]] = {}
    for e in excerpts:
        coded.setdefault((e.study_id, e.coder, e.theme, e.kind), []).append(e.excerpt)
    rows = []
    for (a, b), studies in sorted(_double_coded(excerpts).items()):
        for study in studies:
            for theme in codebook.theme_ids:
                for kind in codebook.kind_ids:
                    by_a = coded.get((study, a, theme, kind), [])
                    by_b = coded.get((study, b, theme, kind), [])
                    if bool(by_a) != bool(by_b):
                        rows.append(
                            {
                                "study_id": study,
                                "citation_label": labels.get(study, ""),
                                "theme": theme,
                                "kind": kind,
                                "coder_a": a,
                                "coder_b": b,
                                "coder_a_excerpts": " | ".join(by_a),
                                "coder_b_excerpts": " | ".join(by_b),
                            }
                        )
    return pd.DataFrame(rows, columns=list(DISAGREEMENT_COLUMNS))
