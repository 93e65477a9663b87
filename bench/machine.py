"""The machine's speed when a benchmark ran: a fixed pure-Python loop, timed the same way in every benchmark.

The machines are shared and their speed swings within minutes; a benchmark's figures are read beside this one
(a slower loop means every figure of that run is slower too). Run alone: .venv/bin/python bench/machine.py
"""

import os
import statistics
import time

LOOP_LENGTH = 2_000_000


def _loop_seconds() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(LOOP_LENGTH):
        total += i * i
    return time.perf_counter() - started


def report() -> None:
    """Print the median time of the reference loop over 5 runs and the load average."""
    seconds = statistics.median(_loop_seconds() for _ in range(5))
    print(
        f"machine: reference loop ({LOOP_LENGTH:,} multiply-adds in Python) {seconds * 1000:.0f} ms, "
        f"median of 5; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    report()
