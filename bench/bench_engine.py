"""Median times of the ALDO engine: load_bundle, then compute every unit and every EPCI of a bundle.

Run: .venv/bin/python bench/bench_engine.py [--repeat 5]
Targets: Hauts-de-France CHANTERELLE < 1 s, France CHANTERELLE < 10 s, peak memory < 2 GiB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from indicators.aldo import compute, load_bundle  # noqa: E402

BUNDLES = REPOSITORY.parent / "shared" / "aldo" / "bundles"
LOCAL_BUNDLES = {
    "chanterelle": REPOSITORY / "fixtures" / "aldo" / "chanterelle",
    "hetre": REPOSITORY / "fixtures" / "aldo" / "hetre",
}


def median_seconds(function, repetitions: int) -> tuple[float, object]:
    durations, result = [], None
    for _ in range(repetitions):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    repetitions = parser.parse_args().repeat
    for name in ("chanterelle", "hetre", "chanterelle_france", "hetre_france"):
        path = BUNDLES / name if (BUNDLES / name).is_dir() else LOCAL_BUNDLES.get(name)
        if path is None or not path.is_dir():
            print(f"{name:20} skipped: {BUNDLES / name} not found")
            continue
        load_time, bundle = median_seconds(lambda path=path: load_bundle(path), repetitions)
        compute_time, result = median_seconds(lambda bundle=bundle: compute(bundle), repetitions)
        territories = result.values["territory"].nunique()
        print(
            f"{name:20} load_bundle {load_time:6.2f} s   compute(all units + EPCIs) {compute_time:6.2f} s   "
            f"{territories} territories, {len(result.values)} rows"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
