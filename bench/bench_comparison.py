"""Release comparison: the editor's review of every territory, and the land-use decomposition of one territory.

Usage: DATABASE_URL=… .venv/bin/python bench/bench_comparison.py [--runs 5]
The database must hold the bundled releases (``make setup`` or ``load_bundled_releases``); it is only read.
Prints the median of ``--runs`` runs of HETRE → CHANTERELLE for each review the editor can ask for, and of the
comparison of every 2018 EPCI page. Target: under 2 s for the widest review, under 50 ms per territory.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def median_seconds(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    import django

    django.setup()
    from indicators.comparison import compare_releases, compare_territory
    from indicators.models import Release
    from territories.models import Territory

    old, new = (Release.objects.published().get(slug=slug) for slug in ("hetre", "chanterelle"))
    reviews = {
        "stock totals, every territory": {"measures": ["stock"]},
        "stock by land use, every territory": {"measures": ["stock"], "land_uses": None},
        "areas by land use, every territory": {"measures": ["surface"], "land_uses": None},
        "flux by land use, EPCIs": {"measures": ["flux"], "kind": "epci", "land_uses": None},
    }
    for name, options in reviews.items():
        rows = len(compare_releases(old, new, **options))
        seconds = median_seconds(runs, lambda options=options: compare_releases(old, new, **options))
        print(f"compare_releases, {name}: {rows} rows, median {seconds:.2f} s")
    epcis = list(Territory.objects.filter(kind="epci", geography="2018").defer("geometry"))
    seconds = median_seconds(runs, lambda: [compare_territory(epci, old, new) for epci in epcis])
    print(f"compare_territory, {len(epcis)} EPCIs: median {1000 * seconds / len(epcis):.1f} ms per territory")


if __name__ == "__main__":
    main()
