#!/usr/bin/env bash
# Runs a single-node SLURM (slurmctld + slurmd + munged) on this machine, for tests and CI.
#
#   local-slurm.sh start    install if needed, configure, start, wait until the node is idle
#   local-slurm.sh stop     stop the daemons by their PID files, in reverse start order
#   local-slurm.sh status   print whether each daemon runs and what sinfo says
#   local-slurm.sh env      print `export SLURM_CONF=... EXD_LIVE_SLURM=1` (eval "$(local-slurm.sh env)"):
#                           the tests talk to a live controller only when EXD_LIVE_SLURM=1
#
# A second cluster beside the shared one (a test that needs another configuration) takes its own
# state directory and ports: EXD_SLURM_DIR, EXD_SLURM_CTLD_PORT (default 6817), EXD_SLURM_D_PORT
# (default 6818); EXD_SLURM_MIN_JOB_AGE sets MinJobAge (default 600 seconds).
#
# Every piece of state lives in one short directory ($EXD_SLURM_DIR, default /tmp/exd-slurm): the
# munge socket path must stay under the 108-byte limit of a Unix socket address. Runs as root.
# Idempotent: `start` on a running cluster changes nothing; `stop` on a stopped one is a no-op.
set -euo pipefail

STATE_DIR="${EXD_SLURM_DIR:-/tmp/exd-slurm}"
CONF="$STATE_DIR/slurm.conf"
GRES_CONF="$STATE_DIR/gres.conf"
MUNGE_DIR="$STATE_DIR/munge"
MUNGE_SOCKET="$MUNGE_DIR/munge.socket.2"
MUNGE_PID="$MUNGE_DIR/munged.pid"
CTLD_PID="$STATE_DIR/slurmctld.pid"
SLURMD_PID="$STATE_DIR/slurmd.pid"
MUNGE_KEY=/etc/munge/munge.key
# Enough fake GPUs for a 4-GPU fine-tune (Llama-3.3-70B) to be accepted by sbatch.
FAKE_GPU_DEVICES=(/dev/null /dev/zero /dev/full /dev/random)
GPUS=${#FAKE_GPU_DEVICES[@]}
CLUSTER=${EXD_SLURM_CLUSTER:-exd}
CTLD_PORT=${EXD_SLURM_CTLD_PORT:-6817}
SLURMD_PORT=${EXD_SLURM_D_PORT:-6818}
MIN_JOB_AGE=${EXD_SLURM_MIN_JOB_AGE:-600}
MAX_MEMORY_MB=65536

log() { printf 'local-slurm: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# A PID file names a live process (of any name: we never look processes up by name).
running() {
    local pid_file=$1 pid
    [[ -s $pid_file ]] || return 1
    pid=$(<"$pid_file")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

install_packages() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
        && command -v sbatch >/dev/null; then
        return
    fi
    [[ $(id -u) == 0 ]] || die "slurm-wlm and munge are not installed and installing them needs root"
    log "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

ensure_munge_key() {
    if [[ ! -s $MUNGE_KEY ]]; then
        log "creating $MUNGE_KEY"
        install -d -o munge -g munge -m 0700 /etc/munge
        mungekey --create --keyfile="$MUNGE_KEY"
    fi
    chown munge:munge "$MUNGE_KEY"
    chmod 0400 "$MUNGE_KEY"
}

start_munge() {
    running "$MUNGE_PID" && return
    # munged refuses a socket directory that others cannot enter (0700: "Socket is inaccessible").
    install -d -o munge -g munge -m 0755 "$MUNGE_DIR"
    rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
    runuser -u munge -- munged --socket="$MUNGE_SOCKET" --pid-file="$MUNGE_PID" \
        --log-file="$MUNGE_DIR/munged.log" --seed-file="$MUNGE_DIR/munged.seed"
    wait_for "munged socket" test -S "$MUNGE_SOCKET"
}

memory_mb() {
    local kb
    kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
    # Leave room for the OS, and never offer 80G: a job's --mem above RealMemory is rejected at
    # submit, so a script that kept the catalogue's 80G instead of a test override fails loudly.
    local mb=$(( kb / 1024 * 9 / 10 ))
    echo $(( mb < MAX_MEMORY_MB ? mb : MAX_MEMORY_MB ))
}

write_config() {
    local host cpus mem tmp
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(memory_mb)
    install -d -m 0755 "$STATE_DIR" "$STATE_DIR/spool" "$STATE_DIR/state"
    tmp=$(mktemp "$STATE_DIR/.slurm.conf.XXXXXX")
    cat >"$tmp" <<CONF
# Written by tools/slurm/local-slurm.sh: a single-node cluster for tests.
ClusterName=$CLUSTER
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$STATE_DIR/slurmctld.log
SlurmdLogFile=$STATE_DIR/slurmd.log
SlurmdSpoolDir=$STATE_DIR/spool
StateSaveLocation=$STATE_DIR/state
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE_DIR/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default a job with no --mem takes the whole node and every job runs alone.
DefMemPerCPU=256
# Without it a job whose afterok parent failed stays PENDING forever.
DependencyParameters=kill_invalid_depend
# How long finished jobs stay visible to scontrol (ten minutes unless a test asks for less).
MinJobAge=$MIN_JOB_AGE
GresTypes=gpu
NodeName=$host CPUs=$cpus RealMemory=$mem Gres=gpu:$GPUS State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    mv -f "$tmp" "$CONF"
    tmp=$(mktemp "$STATE_DIR/.gres.conf.XXXXXX")
    # A gres without File= makes the node INVAL, a regular file is rejected, and one device
    # named twice is a fatal "duplicate device file": so each fake GPU is a distinct harmless
    # character device (task/none never constrains devices, so jobs never touch them).
    {
        echo "AutoDetect=off"
        for device in "${FAKE_GPU_DEVICES[@]}"; do
            echo "NodeName=$host Name=gpu File=$device"
        done
    } >"$tmp"
    mv -f "$tmp" "$GRES_CONF"
    chmod 0644 "$CONF" "$GRES_CONF"
}

wait_for() {
    local what=$1; shift
    for ((i = 0; i < 200; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "timed out waiting for $what"
}

node_state() { SLURM_CONF=$CONF sinfo -h -N -o %t 2>/dev/null | head -n1; }

node_ready() {
    local state
    state=$(node_state)
    [[ $state == idle || $state == mix || $state == alloc ]]
}

start() {
    install_packages
    ensure_munge_key
    install -d -m 0755 "$STATE_DIR"
    if running "$MUNGE_PID" && running "$CTLD_PID" && running "$SLURMD_PID" && node_ready; then
        log "already running ($CONF)"
        return
    fi
    start_munge
    if ! running "$CTLD_PID" || ! running "$SLURMD_PID"; then
        write_config
    fi
    if ! running "$CTLD_PID"; then
        # Saved state is kept (no -c) so job ids keep growing across restarts, as on a real
        # cluster: a state file from an earlier session never names a different job.
        slurmctld -f "$CONF" || die "slurmctld failed to start; see $STATE_DIR/slurmctld.log"
        wait_for "slurmctld" running "$CTLD_PID"
    fi
    if ! running "$SLURMD_PID"; then
        slurmd -f "$CONF" || die "slurmd failed to start; see $STATE_DIR/slurmd.log"
        wait_for "slurmd" running "$SLURMD_PID"
    fi
    wait_for "the node to become idle (see $STATE_DIR/slurmctld.log)" node_ready
    log "running: SLURM_CONF=$CONF"
}

stop_one() {
    local name=$1 pid_file=$2 pid
    if running "$pid_file"; then
        pid=$(<"$pid_file")
        kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name ($pid) did not stop; sending KILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pid_file"
}

stop() {
    stop_one slurmd "$SLURMD_PID"
    stop_one slurmctld "$CTLD_PID"
    stop_one munged "$MUNGE_PID"
}

status() {
    local code=0
    for entry in "munged:$MUNGE_PID" "slurmctld:$CTLD_PID" "slurmd:$SLURMD_PID"; do
        if running "${entry#*:}"; then
            echo "${entry%%:*}: running (pid $(<"${entry#*:}"))"
        else
            echo "${entry%%:*}: stopped"
            code=1
        fi
    done
    if [[ $code == 0 ]]; then
        echo "node: $(node_state)"
    fi
    return $code
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) echo "export SLURM_CONF=$CONF EXD_LIVE_SLURM=1" ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
