"""Every EPCI page (both geographies) served by gunicorn (2 workers) on PostgreSQL: server time and throughput.

Usage: .venv/bin/python bench/bench_pages.py [--runs 3] [--concurrency 4] [--database-url postgres://…]
Without --database-url it creates a throw-away database (bench_pages_<pid>) on 127.0.0.1:5432, loads the territories
and the bundled releases, and drops it at the end. Redis (REDIS_URL, default redis://127.0.0.1:6379/15) is the
shared page cache of the two workers, as in production; it is flushed first so the first pass is cold.
Requests only go to 127.0.0.1. Server time is gunicorn's own request duration (access log ``%(D)s``).
Targets: p95 < 150 ms and at least 100 pages/s.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = 8957


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare_database(url: str) -> list[str]:
    """Set the database up if it holds no published release; return the path of every EPCI page."""
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    from indicators.models import Release
    from territories.models import Territory

    call_command("migrate", verbosity=0)
    if not Release.objects.published().exists():
        call_command("load_territories", verbosity=0)
        call_command("load_bundled_releases", verbosity=0)
    return [t.get_absolute_url() for t in Territory.objects.filter(kind="epci").order_by("geography", "code")]


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
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")


def read_durations(log: Path, offset: int) -> tuple[list[float], int]:
    """Server times (ms) of the page requests logged after ``offset`` bytes."""
    with log.open() as handle:
        handle.seek(offset)
        lines = handle.read().splitlines()
        end = handle.tell()
    return [int(line.split()[1]) / 1000 for line in lines if line.startswith("/territoire/")], end


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
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
    log = Path(tempfile.mkdtemp(prefix="bench-pages-")) / "access.log"
    try:
        paths = prepare_database(database_url)
        subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], check=True, capture_output=True)
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
                "--bind", f"127.0.0.1:{PORT}", "--access-logfile", str(log), "--access-logformat", "%(U)s %(D)s",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base, server)
        urls = [base + path for path in paths]
        offset = log.stat().st_size
        p50s, p95s, rates = [], [], []
        for run in range(args.runs + 1):  # run 0 fills the cache: reported, not counted
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                list(pool.map(fetch, urls))
            elapsed = time.perf_counter() - started
            time.sleep(0.3)  # let gunicorn flush its access log
            durations, offset = read_durations(log, offset)
            p50, p95, rate = percentile(durations, 0.5), percentile(durations, 0.95), len(urls) / elapsed
            label = "cold cache" if run == 0 else f"run {run}"
            print(
                f"{label}: {len(durations)} pages, server time p50 {p50:.1f} ms, p95 {p95:.1f} ms, {rate:.0f} pages/s"
            )
            if run:
                p50s.append(p50), p95s.append(p95), rates.append(rate)
        print(
            f"EPCI pages ({len(urls)} = both geographies), gunicorn 2 workers, {args.concurrency} clients, median of "
            f"{args.runs} runs: p50 {statistics.median(p50s):.1f} ms, p95 {statistics.median(p95s):.1f} ms, "
            f"{statistics.median(rates):.0f} pages/s (targets: p95 < 150 ms, ≥ 100 pages/s)"
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
