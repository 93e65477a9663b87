"""End to end on the real services: PostgreSQL, Redis and a real Celery worker process."""

import os
import time
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from indicators.models import ImportJob, IndicatorValue, Release
from indicators.services import publish_release, start_import
from observatory.celery import app as celery_app
from tests.faults.processes import CeleryProcess, celery_environment

pytestmark = [pytest.mark.celery_worker, pytest.mark.xdist_group("celery_worker")]


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker or connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL on PostgreSQL and CELERY_BROKER_URL (as .ci/run sets them)")
    # The run's broker is shared by both pytest workers: this test's jobs go to a queue of its own, which only its
    # worker consumes (no other process can take them, no job left by another can reach it).
    queue = f"tests-{uuid.uuid4().hex[:8]}"
    worker = CeleryProcess(tmp_path, "worker", celery_environment(broker))
    worker.start_worker(queue=queue)
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    try:
        worker.wait_until_ready()  # jobs are sent to a worker that consumes, as a web process finds it in production
        yield worker
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = True, default_queue
        worker.stop()
        print(worker.tail(4000))


def wait_for(job: ImportJob, timeout: float = 240) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (ImportJob.State.READY, ImportJob.State.FAILED):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job still {job.state} after {timeout} s")


def test_a_worker_imports_a_bundle_then_the_release_is_published_and_readable(celery_worker_process):
    call_command("load_territories", verbosity=0)

    job = start_import(settings.FIXTURES_DIR / "aldo" / "chanterelle", "chanterelle", original_filename="chanterelle")
    seen_states = {job.state}
    deadline = time.monotonic() + 240
    while job.state not in (ImportJob.State.READY, ImportJob.State.FAILED) and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
        seen_states.add(job.state)
    assert job.state == ImportJob.State.READY, (job.message, job.report)
    assert job.attempts == 1
    assert seen_states & {ImportJob.State.RECEIVED, ImportJob.State.VALIDATING, ImportJob.State.COMPUTING}

    publish_release(job.release)
    assert Release.objects.current() == job.release
    stock = IndicatorValue.objects.get(
        release=job.release,
        territory__kind="epci",
        territory__code="200035442",
        territory__geography="2018",
        measure="stock",
        land_use="total",
    ).value
    assert stock == pytest.approx(2651282.710708654, rel=1e-6)  # ALDO's own output (reference/chanterelle_totals.csv)


def test_a_worker_reports_a_broken_bundle(celery_worker_process, tmp_path):
    broken = tmp_path / "bundle.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    job = wait_for(start_import(broken, "cassé"))
    assert job.state == ImportJob.State.FAILED
    assert job.report and "zip" in job.report[0]["message"].lower()


def test_a_worker_computes_the_figures_of_published_groupings(celery_worker_process):
    from indicators.grouping_services import check_groupings, publish_groupings
    from indicators.groupings import grouping_sum
    from indicators.models import GroupingImport, TerritoryResult
    from territories.groupings import Member, resolve

    call_command("load_territories", verbosity=0)
    release = publish_release(wait_for(start_import(settings.FIXTURES_DIR / "aldo" / "hetre", "hetre")).release)
    content = (
        "kind,code,name,member_kind,member_code,geography\n"
        "pays,PAYS-T,Pays de test,epci,248000531,2018\n"
        "pays,PAYS-T,Pays de test,epci,200071785,2018\n"
    )
    record = publish_groupings(check_groupings(content.encode(), "pays.csv"))
    deadline = time.monotonic() + 120
    while record.computed_at is None and time.monotonic() < deadline:
        time.sleep(0.5)
        record.refresh_from_db()
    assert record.state == GroupingImport.State.PUBLISHED and record.computed_at, record.message

    result = TerritoryResult.objects.get(release=release, territory__kind="pays", territory__code="PAYS-T")
    assert result.available and result.n_units == 2
    expected = grouping_sum(
        release, resolve([Member("epci", "248000531"), Member("epci", "200071785")], "2018").composition
    )
    stored = IndicatorValue.objects.get(release=release, territory=result.territory, measure="stock", land_use="total")
    assert stored.value == pytest.approx(expected.figures.total("stock"))
