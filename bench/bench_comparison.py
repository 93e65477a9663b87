"""Release comparison: the editor's review page of every territory, and the land-use decomposition of one territory.

Usage: DATABASE_URL=… .venv/bin/python bench/bench_comparison.py [--runs 7]
The database must hold the bundled releases (``make setup`` or ``load_bundled_releases``); it is only read, but for a
throw-away editor account, removed at the end. Prints the median and worst of ``--runs`` requests of the review of
CHANTERELLE against HETRE (the whole page as an editor gets it: comparison, quality summary, rendering) for each
review an editor can ask for, the widest being the stock of every land use of every territory, every figure listed;
then the comparison of every 2018 EPCI page. Targets: the widest review page under 500 ms, under 50 ms per territory.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timings(runs: int, action) -> list[float]:
    measured = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        measured.append(time.perf_counter() - start)
    return measured


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    import observatory.wsgi  # noqa: F401 -- the application as the web server loads it (views, gc.freeze)

    # isort: split
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from indicators.comparison import compare_territory
    from indicators.editor.permissions import add_editor
    from indicators.models import Release
    from territories.models import Territory

    old, new = (Release.objects.published().get(slug=slug) for slug in ("hetre", "chanterelle"))
    job = new.jobs.order_by("-created_at").first()
    setup_test_environment()  # the client then gives each response's template context (the number of rows listed)
    editor = get_user_model().objects.create_user("bench-comparison-editor")
    try:
        add_editor(editor)
        client = Client(HTTP_HOST="localhost")
        client.force_login(editor)
        url = reverse("editor:job", args=[job.pk])
        reviews = {
            "stock totals, every territory": {"mesure": "stock"},
            "stock by land use, every territory": {"mesure": "stock", "occupation": "toutes"},
            "stock by land use, every territory, every figure listed": {
                "mesure": "stock",
                "occupation": "toutes",
                "inchanges": "1",
            },
            "flux by land use, EPCIs": {"mesure": "flux", "type": "epci", "occupation": "toutes"},
        }
        for name, query in reviews.items():
            response = client.get(url, query)
            assert response.status_code == 200, response.status_code
            rows = response.context["page"].paginator.count
            measured = timings(runs, lambda query=query: client.get(url, query))
            print(
                f"review page, {name}: {rows} rows listed, median {1000 * statistics.median(measured):.0f} ms, "
                f"worst {1000 * max(measured):.0f} ms"
            )
        print("target: the widest review page under 500 ms")
    finally:
        editor.delete()
    epcis = list(Territory.objects.filter(kind="epci", geography="2018").defer("geometry"))
    seconds = statistics.median(timings(runs, lambda: [compare_territory(epci, old, new) for epci in epcis]))
    print(f"compare_territory, {len(epcis)} EPCIs: median {1000 * seconds / len(epcis):.1f} ms per territory")


if __name__ == "__main__":
    main()
