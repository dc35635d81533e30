"""Load and check config/config.yaml, with messages a reviewer can act on.

The schema (workflow/schemas/config.schema.yaml) says what is allowed; this module turns
every violation into one plain sentence, adds the checks a schema cannot express
(unique names, files that exist, reviewers that are listed), fills the defaults, and
reports everything at once.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import difflib
import os
import re
from functools import partial
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from prismake.errors import ConfigError
from prismake.errors import Problem as _Problem

# config problems name a setting (searches[2].file), not a spreadsheet column
Problem = partial(_Problem, column_label="setting")

DEFAULT_SYNONYMS = {
    "include": ["include", "included", "incl", "yes", "y", "i", "1"],
    "exclude": ["exclude", "excluded", "excl", "no", "n", "e", "0"],
    "maybe": ["maybe", "unsure", "unclear", "m", "?"],
    "not_retrieved": ["not retrieved", "not_retrieved", "nr", "unavailable"],
}


def project_root() -> Path:
    """The repository root when run from a checkout (schemas live in workflow/schemas)."""
    env = os.environ.get("PRISMAKE_ROOT")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "workflow" / "schemas").is_dir():
            return parent
    return Path.cwd()


def schema_path(name: str) -> Path:
    """Path of ``workflow/schemas/<name>.schema.yaml``, from the working dir or the checkout."""
    for root in (Path.cwd(), project_root()):
        path = root / "workflow" / "schemas" / f"{name}.schema.yaml"
        if path.exists():
            return path
    raise FileNotFoundError(f"schema {name}.schema.yaml not found under workflow/schemas")


def _where(error: jsonschema.ValidationError) -> str:
    parts = []
    for p in error.absolute_path:
        parts.append(f"[{p + 1}]" if isinstance(p, int) else (("." if parts else "") + str(p)))
    return "".join(parts) or "(top level)"


def _explain(error: jsonschema.ValidationError) -> tuple[str, str | None]:
    """One sentence for one schema violation, with the field's description as a hint."""
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"'{missing}' is missing", None
    if v == "additionalProperties":
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties") or {})
        unknown = sorted(set(error.instance) - set(allowed)) if allowed else []
        close = [m for u in unknown for m in difflib.get_close_matches(u, allowed, 1, 0.6)]
        hint = f"Did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        hint += (
            f"The settings here are: {', '.join(allowed)} (see the README)"
            if allowed
            else "Check the spelling (see the README)"
        )
        return f"unknown setting ({error.message.split('(')[-1].rstrip(')')})", hint
    if v == "enum":
        allowed = ", ".join(str(x) for x in error.validator_value)
        return f"{error.instance!r} is not allowed; use one of: {allowed}", None
    if v == "pattern":
        return f"{error.instance!r} is not in the expected form", description
    if v == "type":
        return f"{error.instance!r} should be a {error.validator_value}", description
    if v in {"minimum", "maximum"}:
        return f"{error.instance!r} is out of range ({v} {error.validator_value})", description
    if v in {"minItems", "minLength"}:
        return "is empty", description
    return error.message, description


def _fill_defaults(config: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(config)
    for search in config.get("searches", []):
        search.setdefault("source", "database")
        search.setdefault("format", "auto")
        search.setdefault("query", "")
        search.setdefault("round", 1)
    screening = config.setdefault("screening", {})
    screening.setdefault("stages", {})
    synonyms = screening.setdefault("decision_synonyms", {})
    for key, words in DEFAULT_SYNONYMS.items():
        synonyms.setdefault(key, list(words))
    screening.setdefault("full_text_exclusion_reasons", [])
    for stage in screening["stages"].values():
        stage.setdefault("double_fraction", 0.2)
    dedupe = config.setdefault("dedupe", {})
    dedupe.setdefault("maybe_threshold", 0.8)
    dedupe.setdefault("duplicate_threshold", 0.93)
    extraction = config.setdefault("extraction", {})
    extraction.setdefault("codebook", "config/codebook.yaml")
    extraction.setdefault("characteristics", [])
    extraction.setdefault("quotes_per_cell", 2)
    prisma = config.setdefault("prisma", {})
    prisma.setdefault("template", "auto")
    prisma.setdefault("dpi", 300)
    prisma.setdefault("previous_review", None)
    return config


def check_config(
    config: dict[str, Any], source: str = "config/config.yaml", base_dir: str | os.PathLike = "."
) -> dict[str, Any]:
    """Validate ``config``, fill defaults; raise ConfigError listing every problem."""
    schema = yaml.safe_load(schema_path("config").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(
        validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path]
    ):
        message, hint = _explain(error)
        problems.append(Problem(file=source, column=_where(error), message=message, hint=hint))
    if problems:  # still look for the mistakes the schema cannot see: all at once
        # (a part too malformed to check further is explained by the schema's problems)
        with contextlib.suppress(KeyError, TypeError, AttributeError, ValueError):
            _check_meaning(_fill_defaults(copy.deepcopy(config)), source, base_dir, problems)
        raise ConfigError(f"{source} is not valid", problems)
    config = _fill_defaults(config)
    _check_meaning(config, source, base_dir, problems)
    if problems:
        raise ConfigError(f"{source} is not valid", problems)
    return config


def _check_meaning(
    config: dict[str, Any], source: str, base_dir: str | os.PathLike, problems: list[Problem]
) -> None:
    """What the schema cannot check: names used twice, files, reviewers, synonyms."""
    base = Path(base_dir)
    names: set[str] = set()
    for i, search in enumerate(config["searches"], 1):
        where = f"searches[{i}]"
        if search["name"] in names:
            problems.append(
                Problem(
                    source,
                    f"search name '{search['name']}' is used twice",
                    column=where + ".name",
                    hint="Give every search its own name",
                )
            )
        names.add(search["name"])
        date = str(search.get("date_searched") or "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):  # the form is the schema's to check
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                problems.append(
                    Problem(
                        source,
                        f"'{date}' is not a date in the calendar",
                        column=where + ".date_searched",
                        hint="Write the day the search was run as YYYY-MM-DD, in quotes",
                    )
                )
        if (base / search["file"]).is_dir():
            problems.append(
                Problem(
                    source,
                    f"'{search['file']}' is a folder, not a file",
                    column=where + ".file",
                    hint="Give the path of the export file inside it",
                )
            )
        elif not (base / search["file"]).is_file():
            problems.append(
                Problem(
                    source,
                    f"file '{search['file']}' does not exist",
                    column=where + ".file",
                    hint="Put the export in data/raw; give its path from the repository root",
                )
            )
    reviewer_ids = [r["id"] for r in config["reviewers"]]
    if len(set(reviewer_ids)) != len(reviewer_ids):
        problems.append(Problem(source, "a reviewer id is listed twice", column="reviewers"))
    for stage_name, stage in config["screening"]["stages"].items():
        where = f"screening.stages.{stage_name}"
        for rid in stage["reviewers"]:
            if rid not in reviewer_ids:
                problems.append(
                    Problem(
                        source,
                        f"reviewer '{rid}' is not listed under reviewers",
                        column=where + ".reviewers",
                    )
                )
        if stage["mode"] in {"dual", "split"} and len(stage["reviewers"]) < 2:
            problems.append(
                Problem(
                    source,
                    f"{stage['mode']} screening needs at least two reviewers",
                    column=where + ".reviewers",
                )
            )
    seen_words: dict[str, str] = {}
    for decision, words in config["screening"]["decision_synonyms"].items():
        for word in words:
            key = str(word).strip().lower()
            if key in seen_words and seen_words[key] != decision:
                problems.append(
                    Problem(
                        source,
                        f"'{word}' means both {seen_words[key]} and {decision}",
                        column="screening.decision_synonyms",
                    )
                )
            seen_words[key] = decision


def read_yaml(path: str | os.PathLike) -> Any:
    """The YAML in ``path``; a ConfigError naming the line of a syntax mistake."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(
            f"{path} is a folder",
            [Problem(str(path), "a folder, where a YAML file is expected")],
        )
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path} is missing",
            [Problem(str(path), "file not found", hint="Run prismake from the repository root")],
        ) from None
    except yaml.YAMLError as exc:
        from prismake.screening.sheets import merge_conflict_lines

        markers = merge_conflict_lines(path.read_text(encoding="utf-8", errors="replace"))
        if markers:  # the file git merges most: say so, not what the YAML parser saw
            raise ConfigError(
                f"{path} holds a git merge that was not finished",
                [
                    Problem(
                        str(path),
                        "git merge conflict markers (<<<<<<<, =======, >>>>>>>) on lines "
                        + ", ".join(str(n) for n in markers[:9]),
                        hint="Keep the settings you want from both sides, delete the marker "
                        "lines, then git add the file and run again",
                    )
                ],
            ) from None
        mark = getattr(exc, "problem_mark", None)
        opened = getattr(exc, "context_mark", None)  # where an unclosed [ { or quote began
        row = mark.line + 1 if mark else None
        text = str(getattr(exc, "problem", exc))
        if opened is not None and mark is not None and opened.line != mark.line:
            text += f" (line {mark.line + 1}), in what {exc.context} on this line"
            row = opened.line + 1
        raise ConfigError(
            f"{path} is not valid YAML",
            [
                Problem(
                    str(path),
                    text,
                    row=row,
                    hint="Check indentation and quotes on that line",
                )
            ],
        ) from None


def exit_on_yaml_error(path: str | os.PathLike) -> None:
    """Before Snakemake reads the config (its own message names no line): stop with ours."""
    if Path(path).exists():
        try:
            read_yaml(path)
        except ConfigError as error:
            raise SystemExit(f"prismake: {error}") from None


def load_config(path: str | os.PathLike = "config/config.yaml") -> dict[str, Any]:
    """Read, check and complete a config file; paths in it are relative to the cwd."""
    raw = read_yaml(path) or {}
    return check_config(raw, source=str(path))


def search_order(config: dict[str, Any]) -> dict[str, int]:
    """Search name -> its position in config (anchors study ids, see prismake.ids)."""
    return {s["name"]: i for i, s in enumerate(config["searches"])}
