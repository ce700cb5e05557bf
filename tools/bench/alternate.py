#!/usr/bin/env python3
"""Times whole commands (processes), alternating them round by round so that a busy machine or the
VM's file-creation slowdowns hit every command alike; prints the median, fastest and slowest wall
time of each, and the load average. '{new}' in a command becomes a directory name not used before,
so a scaffold or a copy can go to a fresh directory every round. Those directories are left in
place: deleting thousands of files between rounds would slow the next round's file creations.

Example (the README's process numbers for the 1,000-run experiment):
  dotnet build -c Release examples/LargeSweep
  dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll scaffold -e large_sweep_1000 --dir /tmp/ls-ref
  tools/bench/alternate.py --rounds 6 \\
    'dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll scaffold -e large_sweep_1000 --dir {new}' \\
    'cp -r /tmp/ls-ref {new}' \\
    'dotnet examples/LargeSweep/bin/Release/net10.0/LargeSweep.dll scaffold -e large_sweep_1000 --dir /tmp/ls-ref'
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
    for _ in range(args.rounds):
        for command in args.commands:
            fresh = tempfile.mkdtemp(prefix="alternate-", dir=args.under)
            os.rmdir(fresh)  # a name nobody uses: the command creates the directory itself
            start = time.perf_counter()
            done = subprocess.run(command.replace("{new}", fresh), shell=True, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                print(f"error: exit code {done.returncode} from: {command}\n{done.stderr[-2000:]}", file=sys.stderr)
                return 1
            times[command].append(elapsed)

    for command, samples in times.items():
        print(f"{statistics.median(samples):7.3f} s median  [{min(samples):.3f} .. {max(samples):.3f}]  {command}")
    with open("/proc/loadavg", encoding="ascii") as load:
        print("load average:", " ".join(load.read().split()[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
