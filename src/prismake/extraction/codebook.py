"""The codebook: which themes and kinds an excerpt can be coded with (config/codebook.yaml).

Coders type a theme or kind as its id or its label, in any case; sub-codes of a theme
count under the theme. This module validates the file against
workflow/schemas/codebook.schema.yaml and turns what a coder typed into an id.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml

from prismake.config import schema_path
from prismake.errors import ConfigError, Problem


@dataclass(frozen=True)
class Code:
    """One theme, sub-code or kind: the id coders may type and the label readers see."""

    id: str
    label: str
    definition: str = ""
    mark: str = ""  # kinds only: the short mark of the evidence matrix


@dataclass(frozen=True)
class Codebook:
    """Themes and kinds in codebook order (the order of table rows and columns)."""

    themes: tuple[Code, ...]
    kinds: tuple[Code, ...]
    subcodes: dict[str, tuple[Code, ...]] = field(default_factory=dict)  # theme id -> codes

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    @property
    def kind_ids(self) -> list[str]:
        return [k.id for k in self.kinds]

    def theme_label(self, theme_id: str) -> str:
        return next(t.label for t in self.themes if t.id == theme_id)

    def kind_label(self, kind_id: str) -> str:
        return next(k.label for k in self.kinds if k.id == kind_id)

    def kind_mark(self, kind_id: str) -> str:
        return next(k.mark for k in self.kinds if k.id == kind_id)

    def find_theme(self, typed: str) -> str | None:
        """The theme id for what a coder typed (theme or sub-code, id or label), else None
        (also for a sub-code label that sub-codes of two themes share: see sub_codes_named)."""
        themes = {theme_id for theme_id, _ in self._names().get(_word(typed), [])}
        return themes.pop() if len(themes) == 1 else None

    def sub_codes_named(self, typed: str) -> list[tuple[str, str]]:
        """(theme id, sub-code id) of each sub-code whose label is ``typed``, when they are
        of more than one theme ('Other' under trust and under power): a row that types it
        does not say which theme, and must type the sub-code's id. Else []."""
        found = self._names().get(_word(typed), [])
        return found if len({theme_id for theme_id, _ in found}) > 1 else []

    def _names(self) -> dict[str, list[tuple[str, str]]]:
        """Each name a coder may type -> the (theme id, code id) it can mean."""
        words: dict[str, list[tuple[str, str]]] = {}
        for theme in self.themes:
            for name in (theme.id, theme.label):
                words.setdefault(_word(name), []).append((theme.id, theme.id))
        for theme_id, subs in self.subcodes.items():
            for sub in subs:
                for name in (sub.id, sub.label):
                    codes = words.setdefault(_word(name), [])
                    if (theme_id, sub.id) not in codes:
                        codes.append((theme_id, sub.id))
        return words

    def find_kind(self, typed: str) -> str | None:
        """The kind id for what a coder typed (id or label, any case), else None."""
        words = {_word(k.id): k.id for k in self.kinds}
        words.update({_word(k.label): k.id for k in self.kinds})
        return words.get(_word(typed))


def _word(text: object) -> str:
    """Case, spaces, hyphens and underscores ignored: 'One size' == 'one_size' == 'ONE-SIZE'."""
    return re.sub(r"[\s_\-]+", "", str(text or "")).casefold()


def shortest_marks(labels: list[str]) -> list[str]:
    """The shortest start of each label that no other label shares (Risk, Limit -> R, Li)."""
    marks = []
    for label in labels:
        for n in range(1, len(label) + 1):
            start = label[:n].casefold()
            if not any(o.casefold().startswith(start) for o in labels if o != label):
                marks.append(label[:n])
                break
        else:
            marks.append(label)
    return marks


def load_codebook(path: str | os.PathLike) -> Codebook:
    """Read and check a codebook; raise ConfigError listing every problem in it."""
    source = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(
            f"{source} is missing",
            [
                Problem(
                    source, "file not found", hint="Set extraction.codebook in config/config.yaml"
                )
            ],
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"{source} is not valid YAML",
            [
                Problem(
                    source,
                    str(getattr(exc, "problem", exc)),
                    row=mark.line + 1 if mark else None,
                    hint="Check indentation and quotes on that line",
                )
            ],
        ) from None
    schema = yaml.safe_load(schema_path("codebook").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        Problem(source, error.message, column=".".join(str(p) for p in error.absolute_path) or None)
        for error in sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.path])
    ]
    if problems:
        raise ConfigError(f"{source} is not a valid codebook", problems)

    kinds_raw = raw["kinds"]
    marks = shortest_marks([k["label"] for k in kinds_raw])
    kinds = tuple(
        Code(k["id"], k["label"], k.get("definition", ""), k.get("mark") or mark)
        for k, mark in zip(kinds_raw, marks, strict=True)
    )
    themes = tuple(Code(t["id"], t["label"], t.get("definition", "")) for t in raw["themes"])
    subcodes = {
        t["id"]: tuple(Code(s["id"], s["label"], s.get("definition", "")) for s in t["subcodes"])
        for t in raw["themes"]
        if t.get("subcodes")
    }

    # every name a coder may type must lead to one code: an id of one theme that reads
    # like the label of another is as ambiguous as two equal ids. One exception: sub-codes
    # of different themes may share a label ('Other' under trust and under power, ids
    # trust_other and power_other), a row that types it is asked for the id
    theme_names = [("theme", t.id, (("id", t.id), ("label", t.label)), "") for t in themes]
    sub_names = [
        ("sub-code", sub.id, (("id", sub.id), ("label", sub.label)), theme_id)
        for theme_id, subs in subcodes.items()
        for sub in subs
    ]
    problems += _clashes(source, "themes", theme_names + sub_names)
    problems += _clashes(
        source, "kinds", [("kind", k.id, (("id", k.id), ("label", k.label)), "") for k in kinds]
    )
    problems += _clashes(source, "kinds", [("kind", k.id, (("mark", k.mark),), "") for k in kinds])
    if problems:
        raise ConfigError(f"{source} is not a valid codebook", problems)
    return Codebook(themes=themes, kinds=kinds, subcodes=subcodes)


def _clashes(
    source: str, column: str, codes: list[tuple[str, str, tuple[tuple[str, str], ...], str]]
) -> list[Problem]:
    """Two codes a coder could not tell apart: any name (id, label or mark) of one that
    reads like any name of another, ignoring case, spaces, hyphens and underscores; but
    sub-codes of two themes may share a label (a row then types the id).

    ``codes``: (what it is, its id, its names as (which name, value), its theme for a
    sub-code) in codebook order.
    """
    problems = []
    owners: dict[str, list[tuple[int, str, str]]] = {}  # word -> (code, which name, value)
    for i, (what, code_id, names, theme) in enumerate(codes):
        for name, value in names:
            word = _word(value)
            if not word:
                continue
            clash = None
            for first, first_name, first_value in owners.get(word, []):
                first_what, _, _, first_theme = codes[first]
                shared_label = (
                    what == first_what == "sub-code"
                    and name == first_name == "label"
                    and theme != first_theme
                )
                if first != i and not shared_label:  # a code's id and label may read alike
                    clash = (first, first_name, first_value)
                    break
            owners.setdefault(word, []).append((i, name, value))
            if clash is None:
                continue
            first, first_name, first_value = clash
            first_what, first_id, _, _ = codes[first]
            if (what, name) == (first_what, first_name):
                message = f"two {what}s share the {name} '{value}' ({first_id} and {code_id})"
            else:
                message = (
                    f"the {name} of {what} '{code_id}' ('{value}') reads like the "
                    f"{first_name} of {first_what} '{first_id}' ('{first_value}'): a coder "
                    f"who types '{value}' could mean either"
                )
            problems.append(
                Problem(
                    source,
                    message,
                    column=column,
                    hint=(
                        "Rename one of the two, so that no id or label of one code reads "
                        "like an id or label of another (case, spaces, hyphens and "
                        "underscores do not count); then change the rows of the coding "
                        "sheets that used the old name"
                    ),
                )
            )
    return problems
