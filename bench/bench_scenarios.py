"""Time one « Et si… ? » scenario as the server answers it, for the largest EPCI and for the région.

Usage: .venv/bin/python bench/bench_scenarios.py [--runs 60]
Reads the database of DATABASE_URL (default: the embedded SQLite set up by `make setup`), which must hold the
published bundled releases. For each territory, after one first request (it reads the release's bundle and the
territories' computation units, once per process), `--runs` requests with other levers each time: the JSON API
and the results part the page's script fetches (database read + engine + tables + rendering), then the engine call
alone. Prints the wall-clock median and 95th percentile, the median CPU time of the process, and the load average
(on a shared machine the wall clock also counts the other processes). Targets (p95): under 50 ms for the largest
EPCI, under 200 ms for the région.
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
TARGETS_MS = {"epci": 50, "region": 200}


def summary(times: list[float], cpu: list[float]) -> str:
    """Wall-clock median and 95th percentile, and the median CPU time of this process (what the request costs when
    the machine's other processes leave the core alone)."""
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return (
        f"median {statistics.median(times) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   "
        f"(CPU median {statistics.median(cpu) * 1000:5.1f} ms)"
    )


def timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def check(response) -> None:
    assert response.status_code == 200, response.status_code


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    os.environ["API_ANON_RATE"] = "1000000/min"  # a benchmark is not a visitor to slow down
    import observatory.wsgi  # noqa: F401 -- the application as the web server loads it (views, gc.freeze)

    # isort: split
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from indicators import scenarios
    from indicators.models import Release, TerritoryResult
    from territories import vintages
    from territories.models import Territory

    release = Release.objects.current()
    if release is None:
        sys.exit("No published release: run `make setup` (or set DATABASE_URL) first.")
    available = TerritoryResult.objects.filter(
        release=release, available=True, territory__geography=vintages.CURRENT.code
    )
    largest_epci = (
        Territory.objects.filter(pk__in=available.filter(territory__kind="epci").values("territory"))
        .annotate(communes=Count("memberships"))
        .order_by("-communes")
        .first()
    )
    region = Territory.objects.get(pk=available.filter(territory__kind="region").values("territory")[:1])
    client = Client()
    print(f"Release {release}, {args.runs} runs per line after a first request; load average {os.getloadavg()[0]:.1f}")

    for territory in (largest_epci, region):
        api = reverse("v1:scenario", args=[territory.kind, territory.code])
        fragment = reverse("pages:scenario_results", args=[territory.kind, territory.code])
        first, _ = timed(lambda api=api: check(client.get(api)))
        print(f"{territory.get_kind_display()} {territory.name} ({territory.code}), first request {first:.2f} s")

        for label, url in (("JSON API", api), ("results part (page script)", fragment)):
            runs = []
            for run in range(args.runs):
                params = {"haies_cultures": 10 * run, "artificialisation": 50, "part_impermeabilisee": 0.7}
                runs.append(timed(lambda url=url, params=params: check(client.get(url, params))))
            print(f"  {label:28} {summary(*zip(*runs, strict=True))}")

        setting = scenarios.setting_for(release, territory)
        runs = []
        for run in range(args.runs):
            values = scenarios.parse_levers({"haies_cultures": [str(10 * run)]}, setting.levers, release.rule_set)
            runs.append(timed(lambda values=values, setting=setting: scenarios.run_scenario(setting, values)))
        print(f"  {'engine call alone':28} {summary(*zip(*runs, strict=True))}")
        print(f"  target: p95 under {TARGETS_MS[territory.kind]} ms for the request")


if __name__ == "__main__":
    main()
