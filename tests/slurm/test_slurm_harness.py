"""The test cluster is the stock cluster the issue describes, and says why when it cannot run.

Fast checks of tests/slurm/cluster.py that start no daemon.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import cluster
import pytest
import yaml

PROFILE = Path(__file__).resolve().parents[2] / "profiles" / "slurm" / "config.yaml"


def settings(conf: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in conf.splitlines() if "=" in line and " " not in line)
    return dict(pairs)


def test_the_test_cluster_has_no_accounting_and_refuses_jobs_it_can_never_run(tmp_path):
    conf = settings(cluster.SlurmCluster(tmp_path).slurm_conf())

    assert conf["AccountingStorageType"] == "accounting_storage/none"
    assert conf["JobAcctGatherType"] == "jobacct_gather/none"
    assert conf["EnforcePartLimits"] == "ALL"
    assert conf["SelectType"] == "select/cons_tres"
    assert conf["ProctrackType"] == "proctrack/linuxproc"
    assert conf["TaskPlugin"] == "task/none"


def test_the_test_cluster_keeps_finished_jobs_listed_long_enough_for_the_profiles_squeue_checks(
    tmp_path,
):
    conf = settings(cluster.SlurmCluster(tmp_path).slurm_conf())
    delay = yaml.safe_load(PROFILE.read_text())["slurm-init-seconds-before-status-checks"]

    # Below 3 x the delay the executor plugin would switch to sacct, which fails here.
    assert int(conf["MinJobAge"]) >= 3 * delay


def test_the_test_node_offers_the_machines_cpus_and_only_part_of_its_memory(tmp_path):
    conf = cluster.SlurmCluster(tmp_path).slurm_conf()
    node = re.search(r"^NodeName=localhost .*CPUs=(\d+) RealMemory=(\d+)", conf, re.MULTILINE)

    assert node, conf
    assert int(node.group(1)) == os.cpu_count()
    assert 0 < int(node.group(2)) < cluster._machine_memory_mb()


def test_a_machine_without_the_slurm_packages_gets_a_reason_naming_the_install_script(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(cluster, "_which", lambda name: None)
    test_cluster = cluster.SlurmCluster(tmp_path)

    with pytest.raises(cluster.ClusterUnavailable, match=r"tests/slurm/install\.sh"):
        test_cluster.start()
    assert not (tmp_path / "conf").exists(), "nothing is set up when the programs are missing"
