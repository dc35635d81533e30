"""Every Snakemake start and every job imports prismake: what it loads is what a reviewer
waits for on each rerun (issue 12's rerun targets), so the heavy libraries load only
where they are used."""

from __future__ import annotations

import subprocess
import sys

# what the Snakefile (workflow/rules/common.smk) and the jobs' scripts import
STARTUP = (
    "prismake",
    "prismake.config",
    "prismake.errors",
    "prismake.runner",
    "prismake.screening.sheets",
    "prismake.screening",
    "prismake.prisma.methods",
    "prismake.dedupe",
)
HEAVY = ("sklearn", "scipy.stats", "scipy.sparse", "matplotlib")


def test_starting_snakemake_or_a_job_does_not_load_the_heavy_libraries():
    code = (
        f"import sys\nfor m in {STARTUP!r}: __import__(m)\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert loaded == "", f"loaded at start: {loaded} (about 1 s each, on every job)"


def test_ranking_still_loads_what_it_needs():
    code = (
        "import sys\nfrom prismake.screening.priority import ScreeningPool\n"
        "titles = ['co-production with service users', 'co-production with policy makers',\n"
        "          'placebo trial in mice', 'placebo dosage trial', 'service users and policy']\n"
        "pool = ScreeningPool(list('abcde'), titles, [''] * 5)\n"
        "print(pool.rank({'a': 1, 'c': 0})[0])\n"
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    assert out[0] in ("b", "e") and out[1] == "True"  # a co-production study first
