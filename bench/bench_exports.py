"""Time the downloads as a user gets them (database read + file build + response), and print their sizes.

Usage: .venv/bin/python bench/bench_exports.py [--epcis 20] [--repeat 5]
Reads the database of DATABASE_URL (default: the embedded SQLite set up by `make setup`), which must hold a
published release. Prints, per kind of file, the median time over `--epcis` EPCIs × `--repeat` runs and the
median size. Targets: an indicator sheet under 200 ms, the PCAET workbook under 1 s, files under 130 KB, the
regional workbook of every EPCI (built as its first reader gets it, before it is cached) under 300 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--epcis", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    import observatory.wsgi  # noqa: F401 -- the application as the web server loads it (views, gc.freeze)

    # isort: split
    from django.test import Client, RequestFactory
    from django.urls import reverse

    from indicators.downloads.views import _regional_workbook
    from indicators.models import Release, TerritoryResult
    from indicators.registry import INDICATORS

    release = Release.objects.current()
    if release is None:
        sys.exit("No published release: run `make setup` (or set DATABASE_URL) first.")
    results = TerritoryResult.objects.filter(release=release, available=True, territory__kind="epci")
    territories = [result.territory for result in results.select_related("territory")[: args.epcis]]
    client = Client()

    def timed(url: str, **params) -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(response.content)

    files = {f"{slug}.xlsx": ("indicator", slug, "xlsx") for slug in INDICATORS}
    files["flux-carbone.csv"] = ("indicator", "flux-carbone", "csv")
    files["pcaet.xlsx"] = ("pcaet",)
    print(f"Release {release}, {len(territories)} EPCIs × {args.repeat} runs (median time, median size)")
    for name, (view, *rest) in files.items():
        times, sizes = [], []
        for territory in territories:
            url = reverse(f"downloads:{view}", args=[territory.kind, territory.code, *rest])
            params = {"millesime": release.slug, "geographie": territory.geography}
            timed(url, **params)  # warm-up
            for _ in range(args.repeat):
                elapsed, size = timed(url, **params)
                times.append(elapsed)
                sizes.append(size)
        print(f"  {name:32} {statistics.median(times) * 1000:7.1f} ms  {statistics.median(sizes) / 1024:7.1f} KB")

    request = RequestFactory().get("/telecharger/region/epci.xlsx")
    times = []
    for _ in range(max(5, args.repeat)):
        started = time.perf_counter()
        content = _regional_workbook(request, release)
        times.append(time.perf_counter() - started)
    print(
        f"  {'regional epci.xlsx (uncached)':32} {statistics.median(times) * 1000:7.1f} ms  "
        f"{len(content) / 1024:7.1f} KB  (median of {len(times)}, worst {max(times) * 1000:.1f} ms; target < 300 ms)"
    )


if __name__ == "__main__":
    main()
