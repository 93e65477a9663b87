"""Median time of `validate_bundle_files` on the CHANTERELLE bundles (Hauts-de-France and France).

Run: .venv/bin/python bench/bench_validation.py [repetitions]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import machine

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from indicators.aldo.sources import read_bundle_files  # noqa: E402
from indicators.aldo.validation import validate_bundle_files  # noqa: E402

BUNDLES = REPOSITORY.parent / "shared" / "aldo" / "bundles"


def median_seconds(function, repetitions: int) -> float:
    durations = []
    for _ in range(repetitions):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def main() -> None:
    machine.report()
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for bundle in ("chanterelle", "chanterelle_france"):
        path = BUNDLES / bundle
        if not path.is_dir():
            print(f"{bundle}: absent ({path})")
            continue
        files = read_bundle_files(path)
        size_mb = sum(len(content) for content in files.values()) / 1e6
        problems = validate_bundle_files(files)
        seconds = median_seconds(lambda files=files: validate_bundle_files(files), repetitions)
        print(f"{bundle:20} {size_mb:5.1f} MB  median {seconds:.2f} s ({repetitions} runs, {len(problems)} problems)")


if __name__ == "__main__":
    main()
