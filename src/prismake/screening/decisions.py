"""The screening vocabulary: which decisions exist, at which stage, and what people may type.

Reviewers type "Yes", " include ", "I" or "Not retrieved"; the pipeline only ever sees the
canonical words below. The synonyms come from config ``screening.decision_synonyms``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STAGES: tuple[str, ...] = ("title_abstract", "full_text")

INCLUDE, EXCLUDE, MAYBE, NOT_RETRIEVED = "include", "exclude", "maybe", "not_retrieved"
CONFLICT, PENDING = "conflict", "pending"
REMOVED_AUTOMATION, REMOVED_OTHER = "removed_automation", "removed_other"
# Never screened because the team stopped prioritised screening (screening/prioritise.py)
EXCLUDED_AUTOMATION = "excluded_automation"
# The bases of final decisions on studies no reviewer screened at the stage: removed before
# screening (removed_before_screening.csv) and never screened (the team stopped). A
# decision a reviewer typed for one all the same stays in reviewer_decisions.csv (what
# people typed), but counts toward neither the records screened nor agreement's n.
NOT_SCREENED_BASES: tuple[str, ...] = ("removed", "automation")

# What a reviewer may decide at each stage (final decisions add conflict, pending, removed_*).
TYPED_DECISIONS: dict[str, tuple[str, ...]] = {
    "title_abstract": (INCLUDE, EXCLUDE, MAYBE),
    "full_text": (INCLUDE, EXCLUDE, NOT_RETRIEVED),
}
# The categories agreement statistics are computed over (not_retrieved is not a judgement).
AGREEMENT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "title_abstract": (INCLUDE, EXCLUDE, MAYBE),
    "full_text": (INCLUDE, EXCLUDE),
}
STAGE_LABEL = {"title_abstract": "title/abstract", "full_text": "full text"}


def squeeze(text: object) -> str:
    """Lower case, outer spaces dropped, inner runs of spaces/underscores as one space."""
    if text is None:
        return ""
    return re.sub(r"[\s_]+", " ", str(text).replace("\u00a0", " ")).strip().lower()


@dataclass
class Vocabulary:
    """What the people of one review may type, built from config ``screening``."""

    words: dict[str, str] = field(default_factory=dict)  # squeezed word -> decision
    reasons: dict[str, str] = field(default_factory=dict)  # squeezed reason -> as in config

    @classmethod
    def from_config(cls, screening: Mapping[str, Any]) -> Vocabulary:
        words: dict[str, str] = {}
        synonyms = screening.get("decision_synonyms") or {}
        for decision in (INCLUDE, EXCLUDE, MAYBE, NOT_RETRIEVED):
            words[squeeze(decision)] = decision
        for decision, typed in synonyms.items():
            for word in typed or []:
                if isinstance(word, bool):  # a bare YAML yes/no
                    word = "yes" if word else "no"
                words[squeeze(word)] = decision
        reasons = {
            squeeze(r): str(r).strip() for r in screening.get("full_text_exclusion_reasons") or []
        }
        return cls(words=words, reasons=reasons)

    def decision(self, typed: object) -> str | None:
        """The canonical decision for what was typed; ``""`` for blank, None if unknown."""
        key = squeeze(typed)
        if not key:
            return ""
        return self.words.get(key)

    def reason(self, typed: object) -> str | None:
        """The reason as spelled in config; the typed text if config lists none; None if unknown."""
        key = squeeze(typed)
        if not self.reasons:
            return str(typed).strip()
        return self.reasons.get(key)

    def words_for(self, stage: str) -> str:
        """The words a reviewer may type at ``stage``, for error hints."""
        allowed = TYPED_DECISIONS[stage]
        shown = sorted({w for w, d in self.words.items() if d in allowed})
        return ", ".join(shown)
