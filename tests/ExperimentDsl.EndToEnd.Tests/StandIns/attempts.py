"""One attempt of a training job, as the trainer stand-ins see it: the record of what it trained and
the faults a test injects into it through the environment.

A fault applies to every run directory (the job's working directory) unless EXD_TUNE_FAULT_RUNS names
some, comma-separated; the tune and axolotl stand-ins share that variable, so one test setting limits both.
"""
import os
import sys
import time
from pathlib import Path


def fault(name):
    """An injected fault's value for this run directory, or None."""
    runs = os.environ.get("EXD_TUNE_FAULT_RUNS")
    if runs and os.path.basename(os.getcwd()) not in runs.split(","):
        return None
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else None


def out_of_memory_if_above(variable, setting, batch):
    """With `variable`=N injected and a batch above N: CUDA's out-of-memory error at the first step, as
    torch raises it (torch.OutOfMemoryError), exit 1 before anything is written."""
    limit = fault(variable)
    if limit is not None and batch > limit:
        print("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total "
              f"capacity of 79.15 GiB of which 1.06 GiB is free. (stand-in: {setting} {batch} > {limit})",
              file=sys.stderr)
        sys.exit(1)


def hang_if_after(variable, epoch):
    """With `variable`=N injected, hangs once epoch N is saved, so a short --time ends the job TIMEOUT
    or a test requeues it."""
    if fault(variable) == epoch:
        print(f"stand-in: hanging after epoch {epoch} ({variable})", flush=True)
        time.sleep(3600)


def record_trained(path: Path, epoch, **settings):
    """Appends one trained epoch to `path`: job id, restart count, epoch, then the given settings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    attempt = f"job={os.environ.get('SLURM_JOB_ID', '')} restart={os.environ.get('SLURM_RESTART_COUNT', '0')}"
    fields = " ".join(f"{key}={value}" for key, value in settings.items())
    with path.open("a", encoding="utf-8") as record:
        record.write(f"{attempt} epoch={epoch} {fields}\n")
