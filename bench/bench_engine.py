"""The ALDO engine alone: load_bundle, then compute every unit and every EPCI of a bundle, one bundle per process.

Run: .venv/bin/python bench/bench_engine.py [--runs 5]
Each run of each bundle is a fresh Python process (so that one bundle's memory never counts for another): it loads,
computes once and reports its times and its own peak memory (ru_maxrss). Prints median and worst of the runs.
Targets: HdF CHANTERELLE compute < 0.5 s; France CHANTERELLE load + compute < 6 s with a peak < 1.5 GiB.
The France bundles come from ../shared (skipped, and said so, without it).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import machine

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_BUNDLES = REPOSITORY.parent / "shared" / "aldo" / "bundles"
BUNDLES = {
    "chanterelle": REPOSITORY / "fixtures" / "aldo" / "chanterelle",
    "hetre": REPOSITORY / "fixtures" / "aldo" / "hetre",
    "chanterelle_france": SHARED_BUNDLES / "chanterelle_france",
    "hetre_france": SHARED_BUNDLES / "hetre_france",
}
TARGETS = {"chanterelle": "compute < 0.5 s", "chanterelle_france": "load + compute < 6 s, peak < 1.5 GiB"}


def one_run(path: str) -> None:
    """In the child process: load and compute once, print the figures as JSON."""
    sys.path.insert(0, str(REPOSITORY))
    from indicators.aldo import compute, load_bundle

    start = time.perf_counter()
    bundle = load_bundle(path)
    loaded = time.perf_counter()
    result = compute(bundle)
    computed = time.perf_counter()
    print(
        json.dumps(
            {
                "load": loaded - start,
                "compute": computed - loaded,
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "territories": int(result.values["territory"].nunique()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        one_run(args.child)
        return
    machine.report()
    for name, path in BUNDLES.items():
        if not path.is_dir():
            print(f"{name:19} skipped: {path} not found")
            continue
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--child", str(path)], check=True, capture_output=True, text=True
                ).stdout
            )
            for _ in range(args.runs)
        ]

        def stats(key: str, runs=runs) -> str:
            values = [run[key] for run in runs]
            return f"median {statistics.median(values):.2f}, worst {max(values):.2f}"

        total = [run["load"] + run["compute"] for run in runs]
        print(
            f"{name:19} load {stats('load')} s | compute {stats('compute')} s | load + compute median "
            f"{statistics.median(total):.2f} s | peak {statistics.median(run['peak_mib'] for run in runs):.0f} MiB "
            f"| {runs[0]['territories']} territories | {args.runs} runs"
            + (f" | target: {TARGETS[name]}" if name in TARGETS else "")
        )


if __name__ == "__main__":
    main()
