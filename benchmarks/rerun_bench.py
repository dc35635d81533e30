"""What a reviewer waits for: the demo rerun after one edited cell, and a rerun with no change.

Usage:
    python benchmarks/rerun_bench.py                   # this checkout, 3 edited reruns
    python benchmarks/rerun_bench.py --repeat 5
    python benchmarks/rerun_bench.py --repo /tmp/old   # another checkout (its src/ is used)

Copies the demo review (what a fresh clone holds) to a temporary folder, runs `snakemake`
once, then:
  * edits one decision in a reviewer's title/abstract sheet as Excel saves a CSV in a
    semicolon locale (UTF-8 with BOM, `;`, CRLF), reruns, and prints the wall time and the
    jobs that ran; `--repeat` times, a different study each time (exclude -> include:
    screening and everything after it rerun);
  * reruns with nothing changed and prints its time.
Targets: an edited rerun in 10 s or less, a no-op rerun under 5 s (issue 12). Timings
move with the machine's load: compare runs made in one session.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET = Path("data/screening/title_abstract/alice.csv")
JOB = re.compile(r"^(?:localrule|rule|checkpoint|localcheckpoint) (\w+):", re.MULTILINE)
TOP_LEVEL = ("Snakefile", "environment.yml")
FOLDERS = ("workflow", "profiles", "config", "data")


def copy_demo(repo: Path, target: Path) -> Path:
    """The review as a fresh clone has it: no data/processed, no results, no logs."""
    target.mkdir(parents=True)
    for name in TOP_LEVEL:
        if (repo / name).exists():
            shutil.copy2(repo / name, target / name)
    for folder in FOLDERS:
        if (repo / folder).is_dir():
            shutil.copytree(
                repo / folder,
                target / folder,
                ignore=shutil.ignore_patterns("processed", "__pycache__", "~$*"),
            )
    return target


def run_snakemake(review: Path, repo: Path) -> tuple[float, float, list[str]]:
    """Plain `snakemake` where the checkout has a default profile, else `--cores all`.

    Returns the wall time, the CPU time of snakemake and its jobs, and the jobs that ran.
    """
    args = [] if (repo / "profiles" / "default").is_dir() else ["--cores", "all"]
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=review,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"snakemake failed in {review}:\n{output[-4000:]}")
    return seconds, cpu, JOB.findall(output)


def read_rows(path: Path) -> list[list[str]]:
    """The sheet's rows, whatever delimiter it was last saved with."""
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    return list(csv.reader(io.StringIO(text, newline=""), dialect))


def save_as_excel(path: Path, row: int, decision: str) -> None:
    """Set one decision and save the sheet as Excel does: BOM, `;`, CRLF."""
    rows = read_rows(path)
    rows[row][rows[0].index("decision")] = decision
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def excluded_rows(path: Path, how_many: int) -> list[int]:
    """Rows whose decision is `exclude`: each edited rerun turns a different one round."""
    rows = read_rows(path)
    column = rows[0].index("decision")
    found = [n for n, row in enumerate(rows[1:], 1) if row[column].strip().lower() == "exclude"]
    if len(found) < how_many:
        sys.exit(f"{path} has fewer than {how_many} excluded studies to edit")
    return found[:how_many]


def timing(seconds: float, cpu: float) -> str:
    return f"{seconds:5.1f} s (cpu {cpu:5.1f} s)"


def jobs_text(jobs: list[str]) -> str:
    """'12 jobs: screen x2, ...' (rule `all` included, as Snakemake counts them)."""
    counted = {name: jobs.count(name) for name in dict.fromkeys(jobs)}
    names = ", ".join(f"{n} x{c}" if c > 1 else n for n, c in counted.items())
    return f"{len(jobs)} jobs" + (f": {names}" if names else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout to copy the demo from")
    parser.add_argument("--repeat", type=int, default=3, help="edited reruns (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary review")
    args = parser.parse_args()
    repo = args.repo.resolve()
    folder = Path(tempfile.mkdtemp(prefix="prismake-rerun-"))
    review = copy_demo(repo, folder / "review")
    try:
        print(f"demo from {repo} in {review}; load average {os.getloadavg()[0]:.2f}")
        seconds, cpu, jobs = run_snakemake(review, repo)
        print(f"first run:       {timing(seconds, cpu)}  {len(jobs)} jobs")

        sheet = review / SHEET
        edited = []
        for attempt, row in enumerate(excluded_rows(sheet, args.repeat)):
            save_as_excel(sheet, row, "include")  # one decision changed
            seconds, cpu, jobs = run_snakemake(review, repo)
            edited.append(seconds)
            print(f"edited rerun {attempt + 1}:  {timing(seconds, cpu)}  {jobs_text(jobs)}")

        idle = []
        for attempt in range(2):
            seconds, cpu, jobs = run_snakemake(review, repo)
            idle.append(seconds)
            print(f"no-op rerun {attempt + 1}:   {timing(seconds, cpu)}  {jobs_text(jobs)}")

        print(
            f"edited rerun: median {statistics.median(edited):.1f} s, best {min(edited):.1f} s "
            f"(target 10 s); no-op rerun: best {min(idle):.1f} s (target 5 s); "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    finally:
        if args.keep:
            print(f"kept {review}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
