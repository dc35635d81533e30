"""Import speed on generated exports: records/s per format, and BibTeX vs bibtexparser.

Generates N records (default 100,000; seeded, so every run reads the same files), writes
them as RIS, MEDLINE, WoS plain text and BibTeX with prismake.importers.writers, then
times the whole import of each file on one core: decoding, parsing, normalisation,
record ids and writing the records CSV and report. Each import runs in a fresh Python
process, as Snakemake runs one job per search, and the figure is that process's CPU time
(time.process_time) for ``import_search`` alone, with its peak memory. For BibTeX it also
times bibtexparser's own ``parse_string`` on the same text, in a process of its own, and
prints the ratio (target: at most 1.5).

    .venv/bin/python benchmarks/import_bench.py [--n 100000] [--formats ris medline ...]

To compare two versions on a noisy machine, give the other version's ``src`` folder
(``git archive main src | tar -x -C /tmp/main``): each import then runs alternately with
this version and that one, ``--repeat`` times, and the best time of each is compared.

    .venv/bin/python benchmarks/import_bench.py --baseline /tmp/main/src --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bibtexparser

from prismake.importers import import_search
from prismake.importers.writers import WRITERS


def _words(text: str, sep: str) -> tuple[str, ...]:
    return tuple(text.split(sep))


WORDS = _words(
    "co-production policy practitioners service users risks limits lessons culture "
    "expectations language resourcing evaluation health care social community design "
    "participation trust power knowledge implementation outcomes qualitative review "
    "randomised trial cohort mental primary public local government evidence",
    " ",
)
SURNAMES = _words(
    "Smith|Jones|Müller|García|Oliver|Nguyen|Kowalski|Rossi|O'Brien|Dubois|Andersson|"
    "Tanaka|Silva|Novak|Ahmed|Schmidt|Martin|Brown|Lee|Walker|Hall|van der Berg|de la Cruz",
    "|",
)
SYLLABLES = _words("a e i o u an ber cal dor es fin gar hol ik jo ka lum mor nes ov pra", " ")
GIVEN = _words("Anna Ben Chidi Dana Eva Femi Gita Hugo Ines Jon Kate Luis Mia Nils Olu Pia", " ")
JOURNALS = ("Evidence & Policy", "Public Administration Review", "BMJ Open", "Health Expect")


def generate(n: int, seed: int = 20250203) -> list[dict[str, str]]:
    """N plausible records with every field filled, deterministic for a seed."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        n_auth = rng.randint(1, 6)
        # mostly distinct people, as in real exports (no flattering name cache hits)
        authors = "; ".join(
            f"{rng.choice(SURNAMES)}{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}, "
            f"{rng.choice(GIVEN)} {rng.choice('ABCDEFGH')}."
            for _ in range(n_auth)
        )
        start = rng.randint(1, 900)
        records.append(
            {
                "title": " ".join(rng.choices(WORDS, k=rng.randint(6, 16))).capitalize(),
                "authors": authors,
                "year": str(rng.randint(1990, 2025)),
                "journal": rng.choice(JOURNALS),
                "volume": str(rng.randint(1, 60)),
                "issue": str(rng.randint(1, 12)),
                "pages": f"{start}-{start + rng.randint(5, 30)}",
                "doi": f"10.{rng.randint(1000, 9999)}/bench.{i}",
                "abstract": " ".join(rng.choices(WORDS, k=rng.randint(120, 250))),
                "keywords": "; ".join(rng.sample(WORDS, 5)),
                "url": f"https://example.org/record/{i}",
                "issn": f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                "language": "English",
                "type": "article",
                "pmid": str(30_000_000 + i),
            }
        )
    return records


def _calibration() -> float:
    """CPU seconds of a plain Python loop, to compare machines (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for k in range(10_000_000):
            total += k
        best = min(best, time.process_time() - start)
    return best


def time_import(path: Path, fmt: str, out: Path) -> tuple[float, int]:
    """CPU seconds of ``import_search`` (what the Snakemake rule runs) and records read."""
    search = {"name": "bench", "database": "Bench", "file": str(path), "format": fmt}
    start = time.process_time()
    result = import_search(search=search, records_out=str(out), report_out=str(out) + ".md")
    return time.process_time() - start, len(result.records)


def _peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec, unlike
    ru_maxrss, which a child started by fork inherits from its (large) parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(task: str, fmt: str, path: Path, out: Path) -> None:
    """In a fresh process: time one import (or bibtexparser alone), print JSON."""
    if task == "import":
        seconds, n = time_import(path, fmt, out)
    else:
        text = path.read_text(encoding="utf-8")
        start = time.process_time()
        n = len(bibtexparser.parse_string(text).entries)
        seconds = time.process_time() - start
    print(json.dumps({"seconds": seconds, "records": n, "peak_mb": _peak_mb()}))


def _in_fresh_process(
    task: str, fmt: str, path: Path, out: Path, source: str | None = None
) -> dict:
    """Run one timing in a new process; ``source``: another prismake's src folder."""
    args = [sys.executable, __file__, "--child", task, fmt, str(path), str(out)]
    env = {**os.environ, "PYTHONPATH": source} if source else None
    done = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", default=list(WRITERS))
    parser.add_argument("--baseline", help="src folder of another version to compare with")
    parser.add_argument("--repeat", type=int, default=1, help="runs per version (best kept)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, fmt, path, out = args.child
        _child(task, fmt, Path(path), Path(out))
        return
    print(f"prismake import benchmark: {args.n:,} generated records per format, one core")
    print("CPU seconds (time.process_time) of import_search in a fresh process: read,")
    print("detect, parse, normalise, assign record ids, write the records CSV and the report")
    print(f"machine calibration: a 10,000,000-step Python loop takes {_calibration():.2f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        records = generate(args.n)
        for fmt in args.formats:
            (Path(tmp) / f"bench.{fmt}").write_text(WRITERS[fmt](records), encoding="utf-8")
        del records
        for fmt in args.formats:
            path = Path(tmp) / f"bench.{fmt}"
            runs, base = [], []
            for _ in range(max(1, args.repeat)):  # alternate, so both see the same load
                runs.append(_in_fresh_process("import", fmt, path, Path(tmp) / f"{fmt}.csv"))
                if args.baseline:
                    out = Path(tmp) / f"{fmt}.base.csv"
                    base.append(_in_fresh_process("import", fmt, path, out, args.baseline))
            got = min(runs, key=lambda r: r["seconds"])
            seconds, n = got["seconds"], got["records"]
            assert n == args.n, f"{fmt}: {n} records read, {args.n} written"
            mb = path.stat().st_size / 1e6
            line = f"{fmt:8} {mb:7.1f} MB  {seconds:6.2f} s  {n / seconds:9,.0f} records/s"
            line += f"  peak {got['peak_mb']:,.0f} MB"
            if fmt == "bibtex":
                own = _in_fresh_process("bibtexparser", fmt, path, path)["seconds"]
                line += f"  (bibtexparser.parse_string alone {own:.2f} s;"
                line += f" ratio {seconds / own:.2f})"
            if base:
                best = min(r["seconds"] for r in base)
                line += f"  [baseline {best:.2f} s: this/baseline {seconds / best:.3f}]"
            print(line, flush=True)


if __name__ == "__main__":
    main()
