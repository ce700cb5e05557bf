#!/usr/bin/env python3
"""Times whole commands (processes), alternating them round by round so that a busy machine or the
VM's file-creation slowdowns hit every command alike; prints the median, fastest and slowest wall
time of each, and the load average. '{new}' in a command becomes a directory name not used before,
so a scaffold or a copy can go to a fresh directory every round. Those directories are left in
place: deleting thousands of files between rounds would slow the next round's file creations.
Each command's CPU time (user + system, all its processes) and peak resident memory (the largest
process it started) come from wait4's rusage and are printed next to its time: on a machine other
people load, the CPU time still says what the command costs. --under /dev/shm takes the disk out of the picture (tmpfs): what is left
is the command's own cost, and the `cp -r` of the same tree is the floor it is compared with.

Example (docs/PERFORMANCE.md's process numbers, here for the 10,000-run experiment):
  dotnet build -c Release examples/LargeSweep
  dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll scaffold -e large_sweep_10000 --dir /dev/shm/ls-ref
  tools/bench/alternate.py --rounds 6 --under /dev/shm \\
    'dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll scaffold -e large_sweep_10000 --dir {new}' \\
    'cp -r /dev/shm/ls-ref {new}' \\
    'dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll scaffold -e large_sweep_10000 --dir /dev/shm/ls-ref' \\
    'dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll plan -e large_sweep_10000 --dir /dev/shm/ls-ref --no-diff'
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commands", nargs="+", help="shell commands to time; '{new}' is replaced by a fresh directory name")
    parser.add_argument("--rounds", type=int, default=6, help="rounds; each runs every command once (default 6)")
    parser.add_argument("--under", default=tempfile.gettempdir(), help="where '{new}' directories are made (default: the temp directory)")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    times = {command: [] for command in args.commands}
    peaks = {command: [] for command in args.commands}
    cpus = {command: [] for command in args.commands}
    for _ in range(args.rounds):
        for command in args.commands:
            fresh = tempfile.mkdtemp(prefix="alternate-", dir=args.under)
            os.rmdir(fresh)  # a name nobody uses: the command creates the directory itself
            exit_code, elapsed, cpu, peak_kib, stderr = run_timed(command.replace("{new}", fresh))
            if exit_code != 0:
                print(f"error: exit code {exit_code} from: {command}\n{stderr[-2000:]}", file=sys.stderr)
                return 1
            times[command].append(elapsed)
            peaks[command].append(peak_kib)
            cpus[command].append(cpu)

    for command, samples in times.items():
        peak_mib = max(peaks[command]) / 1024
        print(f"{statistics.median(samples):7.3f} s median  [{min(samples):.3f} .. {max(samples):.3f}]  "
              f"CPU {statistics.median(cpus[command]):7.3f} s  peak RSS {peak_mib:6.1f} MiB  {command}")
    with open("/proc/loadavg", encoding="ascii") as load:
        print("load average:", " ".join(load.read().split()[:3]))
    return 0


def run_timed(command: str) -> tuple[int, float, float, int, str]:
    """Runs a shell command; returns its exit code, wall time, CPU time, peak RSS in KiB and its stderr.

    wait4's rusage of the shell covers every process below it that has ended: ru_maxrss is the
    largest of them (the command itself, not the shell), in KiB on Linux.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, shell=True, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return process.returncode, elapsed, cpu, usage.ru_maxrss, err.read().decode("utf-8", "replace")


if __name__ == "__main__":
    sys.exit(main())
