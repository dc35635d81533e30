"""A throwaway single-node SLURM cluster (munged, slurmctld, slurmd) for the SLURM tests.

Everything lives in one temporary folder: the munge key and socket, slurm.conf, state,
spool, pid and log files. Clients find the cluster through the SLURM_CONF variable that
`SlurmCluster.env()` sets, so nothing under /etc is read or written and a cluster that
may already run on the machine is left alone. `stop()` ends only the daemons that
`start()` launched, each by its own process id.

Run `python tests/slurm/cluster.py` to start a cluster by hand and keep it until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# Where a configless slurmd caches slurm.conf for the SLURM clients on its node.
NODE_CONF_CACHE = Path("/run/slurm/conf")
DAEMONS = ("munged", "mungekey", "slurmctld", "slurmd", "sinfo", "sbatch", "squeue")


class ClusterUnavailable(RuntimeError):
    """The cluster could not be started here (packages missing, not root, daemons failed)."""


def missing_programs() -> list[str]:
    """The SLURM and munge programs this machine lacks (empty when it has them all)."""
    return [name for name in DAEMONS if _which(name) is None]


def _which(name: str) -> str | None:
    found = shutil.which(name)
    if found is None:  # sbin is often not on a user's PATH
        for folder in ("/usr/sbin", "/usr/bin", "/sbin"):
            candidate = Path(folder) / name
            if candidate.exists():
                return str(candidate)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _controller_alive(folder: Path) -> bool:
    """Whether the slurmctld of the test cluster in `folder` is still running."""
    try:
        os.kill(int((folder / "slurmctld.pid").read_text().strip()), 0)
    except (OSError, ValueError):
        return False
    return True


def _machine_memory_mb() -> int:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return pages // (1024 * 1024)


class SlurmCluster:
    """One SLURM controller and one compute node ("localhost", 127.0.0.1) in `folder`."""

    def __init__(self, folder: Path, *, memory_share: float = 0.5) -> None:
        self.folder = Path(folder).resolve()
        self.cpus = os.cpu_count() or 1
        self.memory_mb = int(_machine_memory_mb() * memory_share)
        self.conf = self.folder / "conf" / "slurm.conf"
        self.munge_socket = self.folder / "munge" / "munge.socket"
        self.controller_port = _free_port()
        self.node_port = _free_port()
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._made_run_dir = False

    # -- configuration -------------------------------------------------------------------

    def slurm_conf(self) -> str:
        """A minimal slurm.conf: no accounting, no cgroups, limits enforced at submission."""
        f = self.folder
        host = socket.gethostname().split(".")[0]
        return "\n".join(
            [
                "ClusterName=prismake-test",
                f"SlurmctldHost={host}(127.0.0.1)",
                f"SlurmctldPort={self.controller_port}",
                f"SlurmdPort={self.node_port}",
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                f"AuthInfo=socket={self.munge_socket}",
                f"StateSaveLocation={f / 'state'}",
                f"SlurmdSpoolDir={f / 'spool'}",
                f"SlurmctldPidFile={f / 'slurmctld.pid'}",
                f"SlurmdPidFile={f / 'slurmd.pid'}",
                f"SlurmctldLogFile={f / 'slurmctld.log'}",
                f"SlurmdLogFile={f / 'slurmd.log'}",
                "SlurmctldDebug=info",
                "SlurmdDebug=info",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "SchedulerType=sched/backfill",
                "MpiDefault=none",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                "JobCompType=jobcomp/none",
                # Refuse a job the partition can never run instead of leaving it pending.
                "EnforcePartLimits=ALL",
                # Finished jobs stay visible to squeue this long; the executor plugin
                # uses squeue only when MinJobAge >= 3 x its first status-check delay.
                "MinJobAge=300",
                "ReturnToService=2",
                "SchedulerParameters=sched_interval=2",
                "MailProg=/bin/true",
                f"NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost "
                f"CPUs={self.cpus} RealMemory={self.memory_mb} State=UNKNOWN",
                "PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
                "",
            ]
        )

    def env(self) -> dict[str, str]:
        """The environment for SLURM clients (sbatch, squeue, snakemake) of this cluster."""
        env = dict(os.environ)
        env["SLURM_CONF"] = str(self.conf)
        env["PATH"] = os.pathsep.join([env.get("PATH", ""), "/usr/sbin", "/sbin"])
        for name in [n for n in env if n.startswith("SLURM_") and n != "SLURM_CONF"]:
            del env[name]  # never inherit another job's context
        return env

    # -- life cycle ----------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> SlurmCluster:
        """Start munged, slurmctld and slurmd, and wait until the node is idle."""
        missing = missing_programs()
        if missing:
            raise ClusterUnavailable(
                f"missing programs {', '.join(missing)}: run `bash tests/slurm/install.sh`"
            )
        if os.geteuid() != 0:
            raise ClusterUnavailable("the test cluster runs its daemons as root; not root here")
        if NODE_CONF_CACHE.is_symlink() and not _controller_alive(
            Path(os.readlink(NODE_CONF_CACHE)).parent
        ):
            NODE_CONF_CACHE.unlink()  # left by a test cluster that was killed
        if NODE_CONF_CACHE.is_symlink() and "prismake-slurm-" in os.readlink(NODE_CONF_CACHE):
            raise ClusterUnavailable(
                f"another prismake test cluster is running here ({NODE_CONF_CACHE} -> "
                f"{os.readlink(NODE_CONF_CACHE)}); run the SLURM tests one session at a time"
            )
        for shadow in (Path("/etc/slurm/slurm.conf"), NODE_CONF_CACHE):
            if shadow.exists() or shadow.is_symlink():
                raise ClusterUnavailable(
                    f"{shadow} exists: this machine already belongs to a SLURM cluster, whose "
                    "configuration job steps would read instead of the test cluster's"
                )
        for sub in ("munge", "state", "spool", "conf"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
        self.conf.write_text(self.slurm_conf())
        self.conf.parent.chmod(0o755)
        try:
            # Where a configless slurmd would cache slurm.conf for the clients on its
            # node: job steps find the cluster there, as snakemake's jobstep plugin drops
            # SLURM_CONF from the environment of the step it launches with srun.
            if not NODE_CONF_CACHE.parent.exists():
                NODE_CONF_CACHE.parent.mkdir(parents=True)
                self._made_run_dir = True
            NODE_CONF_CACHE.symlink_to(self.conf.parent)
            self._start_munge()
            self._launch("slurmctld", [_which("slurmctld"), "-D", "-c", "-i", "-f", self.conf])
            self._wait_for(["scontrol", "ping"], "UP", timeout, "slurmctld answering")
            self._launch("slurmd", [_which("slurmd"), "-D", "-N", "localhost", "-f", self.conf])
            self._wait_for(
                ["sinfo", "--noheader", "--format=%t", "--nodes=localhost"],
                "idle",
                timeout,
                "the node to be idle",
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every daemon this cluster started (by pid), the node's jobs first."""
        if "slurmctld" in self._processes and self._processes["slurmctld"].poll() is None:
            subprocess.run(
                ["scancel", "--full", "--quiet", "--nodelist=localhost"],
                env=self.env(),
                capture_output=True,
                timeout=30,
                check=False,
            )
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and self._jobs_alive():
                time.sleep(0.5)
        for name in ("slurmd", "slurmctld", "munged"):
            process = self._processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if NODE_CONF_CACHE.is_symlink() and str(self.folder) in os.readlink(NODE_CONF_CACHE):
            NODE_CONF_CACHE.unlink()
        if self._made_run_dir:
            NODE_CONF_CACHE.parent.rmdir()
            self._made_run_dir = False

    def __enter__(self) -> SlurmCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def logs(self) -> str:
        """The tails of the daemons' logs, to show when something went wrong."""
        parts = []
        for name in ("munged.log", "slurmctld.log", "slurmd.log"):
            path = self.folder / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-30:]
                parts.append(f"--- {path} (last lines) ---\n" + "\n".join(tail))
        return "\n".join(parts)

    # -- helpers -------------------------------------------------------------------------

    def _start_munge(self) -> None:
        key = self.folder / "munge" / "munge.key"
        subprocess.run(
            [_which("mungekey"), "--create", f"--keyfile={key}"],
            check=True,
            capture_output=True,
        )
        key.chmod(0o400)
        self._launch(
            "munged",
            [
                _which("munged"),
                "--foreground",
                "--force",
                f"--socket={self.munge_socket}",
                f"--key-file={key}",
                f"--pid-file={self.folder / 'munge' / 'munged.pid'}",
                f"--seed-file={self.folder / 'munge' / 'munged.seed'}",
                f"--log-file={self.folder / 'munged.log'}",
            ],
        )
        deadline = time.monotonic() + 15
        while not self.munge_socket.exists():
            self._check_alive("munged")
            if time.monotonic() > deadline:
                raise ClusterUnavailable("munged did not create its socket\n" + self.logs())
            time.sleep(0.1)

    def _launch(self, name: str, command: list[object]) -> None:
        log = open(self.folder / f"{name}.stdout", "wb")  # noqa: SIM115 (kept by Popen)
        self._processes[name] = subprocess.Popen(
            [str(part) for part in command],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env(),
            start_new_session=True,
        )
        log.close()

    def _jobs_alive(self) -> bool:
        result = subprocess.run(
            ["squeue", "--noheader", "--states=PENDING,RUNNING,COMPLETING,SUSPENDED"],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        return result.returncode == 0 and bool(result.stdout.strip())

    def _check_alive(self, name: str) -> None:
        process = self._processes[name]
        if process.poll() is not None:
            output = (self.folder / f"{name}.stdout").read_text(errors="replace")
            raise ClusterUnavailable(
                f"{name} exited with code {process.returncode}:\n{output}\n{self.logs()}"
            )

    def _wait_for(self, command: list[str], expected: str, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for name in self._processes:
                self._check_alive(name)
            result = subprocess.run(
                command, env=self.env(), capture_output=True, text=True, check=False
            )
            last = (result.stdout + result.stderr).strip()
            if expected in result.stdout:
                return
            time.sleep(0.5)
        raise ClusterUnavailable(
            f"timed out after {timeout:.0f}s waiting for {what}; `{' '.join(command)}` "
            f"said: {last}\n{self.logs()}"
        )


def main() -> int:
    """Start a cluster in a temporary folder and keep it until Ctrl-C."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="prismake-slurm-") as folder:
        cluster = SlurmCluster(Path(folder))
        started = time.monotonic()
        with cluster:
            print(f"cluster up in {time.monotonic() - started:.1f}s")
            print(f"export SLURM_CONF={cluster.conf}")
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
