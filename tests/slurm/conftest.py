"""The SLURM tests' fixture: a real single-node cluster, started once per session.

The cluster is started once per session from Debian's packages (tests/slurm/install.sh)
and stopped at the end, even when a test fails. Where it cannot be started (packages
missing, not root, a machine that already belongs to a cluster) the tests skip and say
why; set PRISMAKE_REQUIRE_SLURM=1 to make that a failure instead (for a CI that must
prove the cluster run).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cluster import ClusterUnavailable, SlurmCluster


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[SlurmCluster]:
    """A running single-node SLURM cluster; its clients need `cluster.env()`."""
    # A short path: the munge socket lives here and Unix socket paths are limited.
    folder = Path(tempfile.mkdtemp(prefix="prismake-slurm-"))
    cluster = SlurmCluster(folder)
    try:
        cluster.start()
    except ClusterUnavailable as problem:
        shutil.rmtree(folder, ignore_errors=True)
        message = f"a SLURM test cluster could not be started here: {problem}"
        if os.environ.get("PRISMAKE_REQUIRE_SLURM") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
