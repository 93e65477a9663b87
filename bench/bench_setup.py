"""The data time of `make run` on a fresh clone: the embedded default (SQLite, tasks in-process) set up from nothing.

Usage: .venv/bin/python bench/bench_setup.py [--runs 3]
Each run creates a new SQLite file and runs what `make setup` runs: `manage.py setup_site`, one process for migrate,
load_territories, load_bundled_releases (HETRE then CHANTERELLE imported and published) and load_bundled_series.
Prints each step's time (as the command reports it) and the whole process's, then the median and worst of the runs.
Target: under 15 s.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
STEP_DONE = re.compile(r"Étape (\w+) terminée en ([\d,]+) s\.")


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    totals = []
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="bench-setup-") as folder:
            unset = ("CELERY_BROKER_URL", "REDIS_URL")  # the embedded default: no broker, no Redis
            env = {
                **{name: value for name, value in os.environ.items() if name not in unset},
                "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
                "DJANGO_SETTINGS_MODULE": "observatory.settings.base",
            }
            started = time.perf_counter()
            command = [sys.executable, "manage.py", "setup_site"]
            output = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
            totals.append(time.perf_counter() - started)
        steps = ", ".join(f"{step} {seconds.replace(',', '.')} s" for step, seconds in STEP_DONE.findall(output))
        print(f"run {run}: {steps}; whole process {totals[-1]:.1f} s")
    print(
        f"Embedded default set up from nothing (SQLite), {runs} runs: median {statistics.median(totals):.1f} s, "
        f"worst {max(totals):.1f} s (target < 15 s)"
    )


if __name__ == "__main__":
    main()
