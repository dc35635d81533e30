"""Packaging hook: the review workflow goes inside the package, for `prismake init`.

The workflow a review runs (Snakefile, workflow/, profiles/, environment.yml) lives at
the top of the repository, where the demo review runs it. Building the package copies it
into prismake/_workflow, so `prismake init` works from a plain `pip install`, not only
from a clone (an editable install reads it from the checkout). Everything else about the
package is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

WORKFLOW = ("Snakefile", "environment.yml", "workflow", "profiles")


class BuildPyWithWorkflow(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "prismake" / "_workflow"
        for name in WORKFLOW:
            if Path(name).is_dir():
                shutil.copytree(
                    name,
                    target / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                )
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(name, target / name)


setup(cmdclass={"build_py": BuildPyWithWorkflow})
