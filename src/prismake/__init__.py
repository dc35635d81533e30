"""prismake: a Snakemake pipeline for systematic reviews.

From database exports to the PRISMA 2020 flow diagram: import, deduplicate, screen,
code risks/limits/lessons, and report. The logic lives here; Snakemake rules only wire
files to these functions, so the same code runs from Snakemake, the CLI and pytest.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
