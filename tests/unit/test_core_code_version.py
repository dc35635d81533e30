"""A rule reruns when the code it runs changes: its ``code=code_version(...)`` parameter
(workflow/rules/common.smk) hashes the package modules it lists, and Snakemake compares
parameters between runs. A module the step's code imports but the list lacks changes what
the step writes without rerunning it: the methods paragraph describes the prioritisation
model of screening/priority.py, and the PRISMA diagram is drawn by plotting.py.

Checked without running Snakemake: for every rule with a script, the module the script
calls (``"prismake.x:function"``, or ``from prismake.x import``) and every prismake module
that module imports by name are among the files its code_version hashes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "prismake"
RULES = ROOT / "workflow" / "rules"

# modules whose changes cannot change what a step writes: a step need not rerun for them
LOG_ONLY = {"progress.py"}  # progress lines for the log and the terminal


def _module_file(name: str) -> Path | None:
    """src/prismake/<...>.py or <...>/__init__.py of a dotted prismake module name."""
    path = PACKAGE.joinpath(*name.split(".")[1:])
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _imports(file: Path) -> set[Path]:
    """The prismake modules ``file`` imports by name, anywhere in it (also inside a
    function, where heavy modules are imported late)."""
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            module = _module_file(name) if name.startswith("prismake.") else None
            if module is not None:
                found.add(module)
    return found


def _always_hashed() -> tuple[str, ...]:
    """The modules code_version hashes for every rule (its tuple in common.smk)."""
    text = (RULES / "common.smk").read_text(encoding="utf-8")
    source = re.search(r"^def code_version\(.*?(?=^\S)", text, re.M | re.S)
    assert source, "code_version not found in workflow/rules/common.smk"
    loop = next(n for n in ast.walk(ast.parse(source.group(0))) if isinstance(n, ast.For))
    return tuple(ast.literal_eval(loop.iter.left))


def _rules() -> list[tuple[str, str, tuple[str, ...] | None]]:
    """(rule, its script, the parts its code_version lists or None) for every rule with a
    script."""
    found = []
    for smk in sorted(RULES.glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        for match in re.finditer(r"^rule (\w+):\n(.*?)(?=^\S|\Z)", text, re.M | re.S):
            name, body = match.groups()
            script = re.search(r'^\s+script:\s*\n\s+"\.\./scripts/([\w.]+)"', body, re.M)
            if script is None:
                continue
            call = re.search(r"\bcode=(code_version\(.*?\))", body, re.S)
            parts = None
            if call:
                expression = ast.parse(call.group(1), mode="eval").body
                assert isinstance(expression, ast.Call)
                parts = tuple(ast.literal_eval(a) for a in expression.args)
            found.append((name, script.group(1), parts))
    return found


def _hashed(parts: tuple[str, ...]) -> set[Path]:
    """The files code_version(*parts) reads, as common.smk reads them."""
    files = set()
    for part in _always_hashed() + parts:
        path = PACKAGE / part
        files |= set(path.rglob("*.py")) if path.is_dir() else {path}
    return files


def _step_modules(script: str) -> set[Path]:
    text = (ROOT / "workflow" / "scripts" / script).read_text(encoding="utf-8")
    names = set(re.findall(r'"(prismake(?:\.\w+)+):\w+"', text))
    names |= set(re.findall(r"^from (prismake(?:\.\w+)*) import", text, re.M))
    names.discard("prismake.runner")  # runs the step (and reuse keys on all the source)
    modules = {_module_file(n) for n in names}
    assert None not in modules and modules, f"{script}: no prismake step module found"
    return modules  # type: ignore[return-value]


RULE_LIST = _rules()


def test_every_rule_with_a_script_was_found():
    names = {name for name, _, _ in RULE_LIST}
    assert {"screen", "extract", "database_yield", "prisma_diagram"} <= names


@pytest.mark.parametrize(("rule", "script", "parts"), RULE_LIST, ids=[r[0] for r in RULE_LIST])
def test_a_rule_reruns_when_a_module_its_step_imports_changes(rule, script, parts):
    assert parts is not None, f"rule {rule} has no code=code_version(...) parameter"
    needed = set()
    for module in _step_modules(script):
        needed |= {module} | _imports(module)
    missing = sorted(
        str(p.relative_to(PACKAGE)) for p in needed - _hashed(parts) if p.name not in LOG_ONLY
    )
    assert not missing, f"rule {rule}: add {missing} to its code_version(...)"
