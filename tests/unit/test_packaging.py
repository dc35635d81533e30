"""pyproject.toml and environment.yml pin the same packages: conda users get what pip users get."""

from __future__ import annotations

import re
import tomllib

import yaml


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_pins_every_dependency_as_pyproject_does(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_and_spec(r) for r in project["dependencies"])
    wanted.update(_name_and_spec(r) for r in project["optional-dependencies"]["dev"])
    env = yaml.safe_load((root / "environment.yml").read_text())
    listed: dict[str, str] = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-e") or entry in {"pip"}:
                continue
            name, spec = _name_and_spec(entry)
            listed[name] = spec
    missing = {n: s for n, s in wanted.items() if n not in listed}
    different = {n: (s, listed[n]) for n, s in wanted.items() if n in listed and listed[n] != s}
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not different, f"pins differ (pyproject, environment.yml): {different}"
