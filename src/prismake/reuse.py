"""Reuse a job's outputs when nothing it reads has changed since its last run.

Snakemake reruns a job when one of its input files is newer than its outputs, even when
the input holds the same bytes as last time. After a reviewer edits one title/abstract
decision, the full-text decisions come out byte for byte as before, yet extraction,
tables, figures and references all run again, each in a fresh Python process. Every
prismake output is a byte-reproducible function of the job's input files, parameters
and code (DESIGN.md invariant 6), so when all of those are what they were at the job's
last successful run, so are its outputs: a copy kept after that run is put back, with
its log, instead of computing them again.

What "the same" covers (the job's key): the rule and wildcards, every input file's bytes,
the output paths, the parameters and arguments, prismake's source, the workflow's
schemas, Python's version and the installed packages with their versions. One copy per
job is kept under .snakemake/prismake-reuse/ (Snakemake's own working folder). Only rules
whose outputs depend on nothing else use it; ``PRISMAKE_REUSE=0`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import prismake

STORE = Path(".snakemake") / "prismake-reuse"
FORMAT = "prismake-reuse 1"


def enabled() -> bool:
    return os.environ.get("PRISMAKE_REUSE", "1") != "0"


def _file_digest(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree_digest(folder: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _installed() -> list[str]:
    """Installed distributions with their versions, as their metadata folders are named."""
    folders = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    names = []
    for folder in sorted(folders):
        if os.path.isdir(folder):
            names += [n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))]
    return sorted(names)


def job_key(
    *,
    rule: str,
    wildcards: Mapping[str, str],
    inputs: Sequence[str],
    outputs: Sequence[str],
    params: Mapping[str, Any],
    arguments: Mapping[str, Any],
) -> str:
    """A digest of everything a job's outputs can depend on (see the module docstring)."""
    package = Path(prismake.__file__).parent
    parts = {
        "format": FORMAT,
        "rule": rule,
        "wildcards": sorted(wildcards.items()),
        "inputs": [(str(p), _file_digest(p)) for p in inputs],
        "outputs": [str(p) for p in outputs],
        "params": params,
        "arguments": arguments,
        "prismake": _tree_digest(package, "*.py"),
        "schemas": _tree_digest(Path("workflow") / "schemas", "*"),
        "python": sys.version,
        "installed": _installed(),
    }
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _slot(rule: str, wildcards: Mapping[str, str]) -> Path:
    """The folder that keeps one job's last outputs."""
    label = json.dumps([rule, sorted(wildcards.items())])
    return STORE / f"{rule}-{hashlib.sha1(label.encode()).hexdigest()[:12]}"


def restore(
    key: str, rule: str, wildcards: Mapping[str, str], outputs: Sequence[str]
) -> str | None:
    """Put back the outputs kept for ``key``; return the log they were made with, else None."""
    slot = _slot(rule, wildcards)
    try:
        if (slot / "key").read_text(encoding="utf-8") != key:
            return None
        kept = [slot / "files" / f"{n}" for n in range(len(outputs))]
        if not all(p.is_file() for p in kept):
            return None
        for source, target in zip(kept, outputs, strict=True):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)  # a fresh mtime: newer than the inputs
        return (slot / "log").read_text(encoding="utf-8")
    except OSError:
        return None


def keep(
    key: str, rule: str, wildcards: Mapping[str, str], outputs: Sequence[str], log: str
) -> None:
    """Keep a copy of a successful job's outputs and log under ``key`` (replacing the last)."""
    slot = _slot(rule, wildcards)
    STORE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{slot.name}-", dir=STORE))
    try:
        (staging / "files").mkdir()
        for n, output in enumerate(outputs):
            shutil.copyfile(output, staging / "files" / f"{n}")
        (staging / "log").write_text(log, encoding="utf-8")
        (staging / "key").write_text(key, encoding="utf-8")
        shutil.rmtree(slot, ignore_errors=True)
        os.replace(staging, slot)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
