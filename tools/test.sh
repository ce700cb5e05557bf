#!/usr/bin/env bash
# Runs every test of the solution on this machine, the way CI does:
#
#   1. installs what the tests need and is missing (Debian packages, as root; it prints the list
#      before installing and asks nothing): shellcheck, python3-yaml, python3-omegaconf,
#      python3-pytest, and slurm-wlm + munge for the local cluster;
#   2. starts a private single-node SLURM (its own state directory and ports, never the machine's
#      cluster: see tools/slurm/local-slurm.sh) and points the tests at it;
#   3. runs `dotnet test ExperimentDsl.sln` once, and prints one closing line
#      "N passed, N failed, N skipped";
#   4. stops the SLURM daemons it started (a cluster that was already running is left as it was).
#
# Exit status: 0 only when nothing failed and nothing was skipped. Every test must run here: a
# test skipped for a missing tool counts as a failure of this command (its name is printed).
# Safe to run twice in a row and beside a running SLURM. Extra arguments go to `dotnet test`
# (e.g. --filter), for a narrower run with the same set-up.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The private cluster: a state directory and ports no default SLURM installation uses.
export EXD_SLURM_DIR=${EXD_TEST_SLURM_DIR:-/tmp/exd-slurm-tests}
export EXD_SLURM_CTLD_PORT=${EXD_TEST_SLURM_CTLD_PORT:-16817}
export EXD_SLURM_D_PORT=${EXD_TEST_SLURM_D_PORT:-16818}
export EXD_SLURM_CLUSTER=${EXD_TEST_SLURM_CLUSTER:-exdtests}

say() { printf 'test.sh: %s\n' "$*" >&2; }
finish() { echo "$1 passed, $2 failed, $3 skipped"; exit "$4"; }

# 1. What the tests need. Each entry: a Debian package and the check that shows it is usable.
missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
/usr/bin/python3 -c 'import omegaconf' 2>/dev/null || missing+=(python3-omegaconf)
/usr/bin/python3 -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
{ command -v slurmctld && command -v slurmd && command -v sbatch; } >/dev/null || missing+=(slurm-wlm)
command -v munged >/dev/null || missing+=(munge)
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        say "these Debian packages are missing and installing them needs root: ${missing[*]}"
        say "install them (sudo apt-get install ${missing[*]}) or run this command as root"
        finish 0 1 0 1
    fi
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
        say "apt-get could not install: ${missing[*]}"
        finish 0 1 0 1
    fi
fi

# 2. The private SLURM; stopped on exit only if this command started it.
was_running=0
tools/slurm/local-slurm.sh status 2>/dev/null | grep -q '^slurmctld: running' && was_running=1
if ! tools/slurm/local-slurm.sh start; then
    say "could not start the local SLURM (see $EXD_SLURM_DIR/*.log)"
    finish 0 1 0 1
fi
if ((!was_running)); then
    trap 'tools/slurm/local-slurm.sh stop >/dev/null 2>&1 || true' EXIT
fi
eval "$(tools/slurm/local-slurm.sh env)"

# 3. One dotnet test over the solution, results counted from its TRX files.
results="$repo/TestResults/all"
rm -rf "$results"
mkdir -p "$results"
dotnet test ExperimentDsl.sln --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$repo/TestResults/test.log"
status=${PIPESTATUS[0]}

read -r passed failed skipped < <(/usr/bin/python3 tools/test-results.py "$results")
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # The build or a test host failed before any result was written: count it as a failure.
    say "dotnet test exited $status without a failed test: the build or a test host failed (see TestResults/test.log)"
    failed=1
fi
code=0
[[ $status -eq 0 && $failed -eq 0 && $skipped -eq 0 ]] || code=1
finish "$passed" "$failed" "$skipped" "$code"
