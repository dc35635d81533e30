#!/usr/bin/env bash
# Install the Debian packages the SLURM tests need (munge, slurmctld, slurmd, slurm-client).
# Idempotent and quiet: does nothing when they are already installed. Used by .ci/run.
set -euo pipefail

packages=(munge slurmctld slurmd slurm-client)
programs=(munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol)

have_all() {
  local program
  for program in "${programs[@]}"; do
    command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ] || return 1
  done
}

if have_all; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "slurm install: apt-get not found; install ${packages[*]} with your package manager" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)
  else
    echo "slurm install: must run as root (or with sudo) to install ${packages[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Nothing is configured or started here: the tests start their own cluster in a temp dir.
if ! { "${sudo[@]}" apt-get update -qq &&
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
  echo "slurm install: apt-get failed:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi

if ! have_all; then
  echo "slurm install: packages installed but programs still missing: ${programs[*]}" >&2
  exit 1
fi
echo "slurm install: installed ${packages[*]}"
