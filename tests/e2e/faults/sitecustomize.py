"""Test-only fault injection: a full disk for files written under one folder.

tests/e2e/test_stale_state.py puts this folder on PYTHONPATH and sets
PRISMAKE_TEST_FULL_DISK=<folder>; every Python process of the run (Snakemake's jobs
too) then fails to write files there with ENOSPC, as on a full disk. Without the
variable it does nothing.
"""

import errno
import os

_FOLDER = os.environ.get("PRISMAKE_TEST_FULL_DISK")

if _FOLDER:
    _replace = os.replace
    _copyfile = None

    def _full(target: object) -> bool:
        return os.path.abspath(str(target)).startswith(os.path.abspath(_FOLDER) + os.sep)

    def replace(src, dst, *args, **kwargs):
        if _full(dst):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return _replace(src, dst, *args, **kwargs)

    os.replace = replace
