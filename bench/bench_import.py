"""Full import of a bundle on PostgreSQL: parse, validate, compute every territory, write, publish.

Usage: .venv/bin/python bench/bench_import.py [--bundle fixtures/aldo/chanterelle] [--repeat 3]
Creates a throw-away database (bench_import_<pid>) on DATABASE_URL's server (default 127.0.0.1:5432),
loads the territories once, then times each import and publication separately (the job runs in a thread of this
process, as on the embedded default: no broker queue is timed) and prints the median and worst. Target: < 8 s for
Hauts-de-France CHANTERELLE.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    machine.report()
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", type=Path, default=ROOT / "fixtures" / "aldo" / "chanterelle")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    database = f"bench_import_{os.getpid()}"
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {database}"], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.pop("CELERY_BROKER_URL", None)  # the import runs in this process: we time the work, not the queue
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from indicators.models import ImportJob, IndicatorValue
        from indicators.services import publish_release, start_import

        call_command("migrate", verbosity=0)
        call_command("load_territories", verbosity=0)
        durations = []
        for run in range(args.repeat):
            started = time.perf_counter()
            job = start_import(args.bundle, "bench")
            while job.state not in (ImportJob.State.READY, ImportJob.State.FAILED):  # it runs in a thread
                time.sleep(0.05)
                job.refresh_from_db()
            assert job.state == ImportJob.State.READY, (job.message, job.report[:5])
            publish_release(job.release)
            durations.append(time.perf_counter() - started)
            rows = IndicatorValue.objects.filter(release=job.release).count()
            print(f"run {run + 1}: {durations[-1]:.2f} s ({rows} figures written)")
        print(
            f"full import of {args.bundle.name} on PostgreSQL: median {statistics.median(durations):.2f} s "
            f"over {len(durations)} runs, worst {max(durations):.2f} s (target < 8 s)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {database}"])


if __name__ == "__main__":
    main()
