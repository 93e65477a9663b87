"""Time a drawn grouping as the server computes it: the "Mon territoire" page (rendered, not from the page cache) and
the API, for every commune of the region (the largest grouping a visitor can draw), every EPCI, and three EPCIs.

Usage: .venv/bin/python bench/bench_groupings.py [--repeat 10]
Reads the database of DATABASE_URL (default: the embedded SQLite set up by `make setup`), which must hold a published
release. Each request is timed `--repeat` times (median and 95th percentile) in two situations:
- "computed": the page is computed and rendered (a set nobody asked for yet), the reference data (communes, EPCIs,
  crosswalk) in the cache as they are after the first request;
- "cache empty": the first request after a publication or a territories load, every cache entry gone.
Target: every commune of the region under 1 s (p95, computed), page and API.
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
TARGET_SECONDS = 1.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    import observatory.wsgi  # noqa: F401 -- the application as the web server loads it (views, gc.freeze)

    # isort: split
    from django.core.cache import cache
    from django.http import QueryDict
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    from indicators.models import Release
    from indicators.pages import grouping, views
    from territories import vintages
    from territories.models import Territory

    release = Release.objects.current()
    if release is None:
        sys.exit("No published release: run `make setup` (or set DATABASE_URL) first.")
    current = Territory.objects.filter(geography=vintages.CURRENT.code)
    communes = ",".join(current.filter(kind="commune").order_by("code").values_list("code", flat=True))
    epcis = ",".join(current.filter(kind="epci").order_by("code").values_list("code", flat=True))
    cases = {
        f"every commune of the region ({communes.count(',') + 1})": {"communes": communes},
        f"every EPCI of the region ({epcis.count(',') + 1})": {"epcis": epcis},
        "three EPCIs": {"epcis": "248000531,200071785,200093201"},
    }
    client = Client()

    def page(params: dict):
        # what the view renders when the page cache does not have it (views.drawn_grouping)
        return views.drawn_grouping_page(None, grouping.drawn_grouping(QueryDict(urlencode(params))), release)

    def api(params: dict):
        return client.get(reverse("v1:groupings"), params)

    print(f"Release {release}, {args.repeat} runs each (median / p95, response size)")
    slowest = 0.0
    for name, params in cases.items():
        for surface, request in (("page", page), ("API", api)):
            for situation in ("computed", "cache empty"):
                request(params)  # reference data in the cache
                times = []
                for _ in range(args.repeat):
                    if situation == "cache empty":
                        cache.clear()
                    started = time.perf_counter()
                    response = request(params)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (name, surface, response.status_code)
                median, p95 = statistics.median(times), percentile(times, 0.95)
                if name.startswith("every commune") and situation == "computed":
                    slowest = max(slowest, p95)
                print(
                    f"  {surface:4} {name:40} {situation:11} {median * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
                    f"{len(response.content) / 1024:7.1f} KB"
                )
    verdict = "met" if slowest < TARGET_SECONDS else "MISSED"
    print(
        f"Target: every commune of the region under {TARGET_SECONDS:.0f} s (p95 computed: {slowest:.2f} s): {verdict}"
    )


if __name__ == "__main__":
    main()
