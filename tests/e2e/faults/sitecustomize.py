"""Test-only fault injection: a full disk, or a file locked as Windows locks it.

tests/e2e/test_stale_state.py puts this folder on PYTHONPATH and sets
PRISMAKE_TEST_FULL_DISK=<folder>; every Python process of the run (Snakemake's jobs
too) then fails to write files there with ENOSPC, as on a full disk. With
PRISMAKE_TEST_LOCKED=<file>, replacing that file fails with EACCES, as it does on
Windows while Excel has the file open. Without the variables it does nothing.
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


_LOCKED = os.environ.get("PRISMAKE_TEST_LOCKED")

if _LOCKED:
    _replace_unlocked = os.replace

    def replace_locked(src, dst, *args, **kwargs):
        if os.path.abspath(str(dst)) == os.path.abspath(_LOCKED):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))
        return _replace_unlocked(src, dst, *args, **kwargs)

    os.replace = replace_locked
