"""Territory pages served by gunicorn (2 workers) on PostgreSQL, with the page cache cold and warm.

Usage: .venv/bin/python bench/bench_pages.py [--runs 3] [--database-url postgres://…]

The pages: every EPCI of both geographies, the départements, the région, the PNR, 300 communes, and the EPCIs again
for the older release (``?millesime=``): every kind, release and geography a first visitor may open. Each run
1. empties the page cache, then one visitor opens 200 of them one after the other (server time p50 / p95);
2. empties the page cache, then 16 visitors open all of them at once (pages/s, server time p95);
3. 16 visitors open all of them again, now cached (pages/s).
Without --database-url it creates a throw-away database (bench_pages_<pid>) on 127.0.0.1:5432, sets it up as
`make setup` does, and drops it at the end. Redis (REDIS_URL, default redis://127.0.0.1:6379/15) is the
shared page cache of the two workers, as in production. Requests only go to 127.0.0.1. Server time is gunicorn's own
request duration (access log ``%(D)s``).
Targets: cold, one visitor p95 < 100 ms; cold, 16 visitors ≥ 50 pages/s; warm ≥ 200 pages/s.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = 8957
CONCURRENCY = 16
ONE_VISITOR_PAGES = 200
COMMUNES = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare_database(url: str) -> list[str]:
    """Set the database up if it holds no published release; return the paths of the pages to open."""
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    from indicators.models import Release
    from territories.models import Territory

    call_command("setup_site", verbosity=0)  # what `make setup` runs; idempotent on a database already set up
    older = Release.objects.published().filter(is_current=False).order_by("-published_at").first()
    places = Territory.objects.order_by("geography", "code")
    epcis = [t.get_absolute_url() for t in places.filter(kind="epci")]
    others = [t.get_absolute_url() for t in places.filter(kind__in=["departement", "region", "pnr"])]
    communes = [t.get_absolute_url() for t in places.filter(kind="commune")]
    communes = communes[:: max(1, len(communes) // COMMUNES)][:COMMUNES]
    older_epcis = [f"{path}?millesime={older.slug}" for path in epcis] if older else []
    paths = epcis + others + communes + older_epcis
    # Interleaved, so that the one-visitor sample and every run mix kinds, releases and geographies.
    return paths[::2] + paths[1::2]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            urllib.request.urlopen(f"{base}/indicateurs/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def fetch(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")


class AccessLog:
    """Server times (ms) of the territory pages gunicorn logged since the last read."""

    def __init__(self, path: Path):
        self.path, self.offset = path, path.stat().st_size

    def read(self) -> list[float]:
        time.sleep(0.3)  # let gunicorn flush its access log
        with self.path.open() as handle:
            handle.seek(self.offset)
            lines = handle.read().splitlines()
            self.offset = handle.tell()
        return [int(line.split()[1]) / 1000 for line in lines if line.startswith("/territoire/")]


def visit(urls: list[str], visitors: int) -> float:
    """Open every URL with ``visitors`` clients at once; pages per second."""
    started = time.perf_counter()
    with ThreadPoolExecutor(visitors) as pool:
        list(pool.map(fetch, urls))
    return len(urls) / (time.perf_counter() - started)


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="an existing database (set up if it has no published release)")
    args = parser.parse_args()

    throwaway = None if args.database_url else f"bench_pages_{os.getpid()}"
    if throwaway:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {throwaway}"], check=True
        )
    database_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/{throwaway}"
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    server = None
    log_path = Path(tempfile.mkdtemp(prefix="bench-pages-")) / "access.log"
    try:
        paths = prepare_database(database_url)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "observatory.wsgi", "--workers", "2",
                "--bind", f"127.0.0.1:{PORT}", "--access-logfile", str(log_path), "--access-logformat", "%(U)s %(D)s",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base, server)
        urls = [base + path for path in paths]
        log = AccessLog(log_path)

        def empty_cache() -> None:
            subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], check=True, capture_output=True)

        visit(urls[:50], CONCURRENCY)  # workers import their modules and open their connections: not counted
        log.read()
        figures: dict[str, list[float]] = {name: [] for name in ("p50", "p95", "cold_rate", "cold_p95", "warm_rate")}
        for run in range(1, args.runs + 1):
            empty_cache()
            visit(urls[:ONE_VISITOR_PAGES], 1)
            alone = log.read()
            empty_cache()
            cold_rate = visit(urls, CONCURRENCY)
            crowded = log.read()
            warm_rate = visit(urls, CONCURRENCY)
            log.read()
            run_figures = {
                "p50": percentile(alone, 0.5),
                "p95": percentile(alone, 0.95),
                "cold_rate": cold_rate,
                "cold_p95": percentile(crowded, 0.95),
                "warm_rate": warm_rate,
            }
            for name, value in run_figures.items():
                figures[name].append(value)
            print(
                f"run {run}: cold, one visitor ({len(alone)} pages) p50 {run_figures['p50']:.1f} ms, "
                f"p95 {run_figures['p95']:.1f} ms; cold, {CONCURRENCY} visitors ({len(crowded)} pages) "
                f"{cold_rate:.0f} pages/s, p95 {run_figures['cold_p95']:.0f} ms; warm {warm_rate:.0f} pages/s"
            )
        median = {name: statistics.median(values) for name, values in figures.items()}
        print(
            f"Territory pages ({len(urls)}: EPCIs of both geographies, départements, région, PNR, {COMMUNES} "
            f"communes, EPCIs of the older release), gunicorn 2 workers + PostgreSQL, median of {args.runs} runs:\n"
            f"  cold, one visitor: p50 {median['p50']:.1f} ms, p95 {median['p95']:.1f} ms (target p95 < 100 ms)\n"
            f"  cold, {CONCURRENCY} visitors: {median['cold_rate']:.0f} pages/s, "
            f"server p95 {median['cold_p95']:.0f} ms (target ≥ 50 pages/s)\n"
            f"  warm, {CONCURRENCY} visitors: {median['warm_rate']:.0f} pages/s (target ≥ 200 pages/s)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        from django.db import connections

        connections.close_all()
        if throwaway:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {throwaway}"]
            )


if __name__ == "__main__":
    main()
