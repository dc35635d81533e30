"""Packaging: conda users get what pip users get, and a reviewer's install stays lean."""

from __future__ import annotations

import re
import tomllib

import yaml


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _project(root) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]


def test_environment_yml_pins_every_dependency_and_extra_as_pyproject_does(root):
    project = _project(root)
    wanted = dict(_name_and_spec(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(_name_and_spec(r) for r in extra if not r.startswith("prismake["))
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


def test_running_a_review_installs_no_test_or_lint_tools_but_does_install_scikit_learn(root):
    runtime = {_name_and_spec(r)[0] for r in _project(root)["dependencies"]}
    assert "scikit-learn" in runtime, "prioritised screening needs scikit-learn at run time"
    assert not runtime & {"pytest", "hypothesis", "ruff", "snakefmt"}


def test_the_test_extra_holds_what_the_test_suite_runs(root):
    test = {_name_and_spec(r)[0] for r in _project(root)["optional-dependencies"]["test"]}
    assert {"pytest", "hypothesis", "ruff", "snakefmt"} <= test


def _bash_blocks(root) -> list[list[str]]:
    """The commands of each ```bash block of the README, comments dropped."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    return [
        [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
        for block in blocks
    ]


def test_the_readmes_first_command_installs_what_a_review_needs_and_runs_the_demo(root):
    first = _bash_blocks(root)[0]
    assert len(first) == 1, "one command installs and runs the demo review"
    steps = [step.strip() for step in first[0].split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    assert "pip install -e ." in steps[1]
    assert not any("[test]" in step or "[dev]" in step for step in steps)
    assert steps[-1].endswith("snakemake"), "plain snakemake: the default profile sets the cores"


def test_the_readmes_second_command_runs_the_full_test_suite(root):
    second = _bash_blocks(root)[1]
    assert len(second) == 1
    assert 'pip install -e ".[test]"' in second[0]
    assert second[0].endswith("pytest"), "the full suite: no marker filter"


def test_ci_runs_exactly_the_readmes_test_command(root):
    test_block = next(
        b for b in _bash_blocks(root) if any('pip install -e ".[test]"' in line for line in b)
    )
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    after = ci.split("# The README's test command:\n", 1)[1]
    ci_commands = [line.strip() for line in after.splitlines() if line.strip()]
    assert ci_commands == test_block
