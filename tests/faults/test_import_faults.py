"""Imports under faults, on real processes: the whole worker killed with kill -9, the broker restarted, an upload
while the broker is down. Every import ends "Prêt" with a true message, the published figures never move, and the
public pages keep showing the published release."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from indicators.editor.views import WAITING_FOR_BROKER
from indicators.job_locks import locked_job_ids
from indicators.models import ImportJob, IndicatorValue, Release
from indicators.services import start_import

from .conftest import SAMPLE_PAGE, finished, published_checksums, sample_archive, shown_release
from .processes import wait_until

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgresql,
    pytest.mark.xdist_group("celery_worker"),  # one real worker at a time on this machine
]

CHANTERELLE = settings.FIXTURES_DIR / "aldo" / "chanterelle"
TAKEN_UP_WITHIN = 5 * 60  # seconds: what the editors are promised


def start_worker(celery_processes, name: str):
    worker = celery_processes("worker", name)
    worker.wait_until_ready()
    return worker


def wait_for_state(job: ImportJob, state: str, timeout: float = 120) -> None:
    def reached():
        job.refresh_from_db()
        return job.state == state

    wait_until(reached, timeout, f"import n° {job.pk} reaching {state}", interval=0.05)


def assert_published_site_unchanged(client, checksums_before: dict[str, str]) -> None:
    assert published_checksums() == checksums_before
    assert shown_release(client.get(SAMPLE_PAGE).content.decode()) == "REFERENCE"


def test_the_whole_worker_killed_mid_import_then_restarted_takes_the_job_up_again(site, celery_processes, client):
    before = published_checksums()
    first = start_worker(celery_processes, "worker-1")
    job = start_import(CHANTERELLE, "chanterelle", original_filename="chanterelle")
    wait_for_state(job, ImportJob.State.COMPUTING)

    first.kill()  # kill -9 of the main process and its pool child at once, no beat running
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportJob.State.COMPUTING, 1)
    wait_until(lambda: job.pk not in locked_job_ids(), 10, "the job's lock going with the worker's connection")

    start_worker(celery_processes, "worker-2")
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).attempts == 2, TAKEN_UP_WITHIN, "the job taken up again")
    taken_up_after = time.monotonic() - killed_at
    job = finished(job)

    print(f"kill -9 of the worker → job taken up again {taken_up_after:.1f} s later (worker restarted at once)")
    assert taken_up_after < TAKEN_UP_WITHIN
    assert (job.state, job.attempts) == (ImportJob.State.READY, 2), job.message
    assert job.message.endswith("valeurs enregistrées.")
    assert Release.objects.get(slug="chanterelle").status == Release.Status.STAGED
    assert_published_site_unchanged(client, before)


def test_the_broker_restarting_mid_import_loses_nothing_and_the_worker_carries_on(
    site, broker, celery_processes, client, tmp_path
):
    before = published_checksums()
    worker = start_worker(celery_processes, "worker")
    job = start_import(CHANTERELLE, "chanterelle", original_filename="chanterelle")
    wait_for_state(job, ImportJob.State.COMPUTING)

    broker.stop()
    time.sleep(2)
    broker.start()
    job = finished(job)

    assert worker.running, "the worker outlives a broker restart"
    assert (job.state, job.attempts) == (ImportJob.State.READY, 1), job.message  # finished once, not recomputed
    assert IndicatorValue.objects.filter(release=Release.objects.get(slug="chanterelle")).exists()  # one revision
    later = finished(start_import(sample_archive(tmp_path), "apres-redemarrage"))
    assert later.state == ImportJob.State.READY, "the worker takes new jobs after the restart"
    assert_published_site_unchanged(client, before)


def upload(client, archive: Path, name: str):
    with archive.open("rb") as handle:
        return client.post(reverse("editor:upload"), {"name": name, "bundle": handle})


def stored_uploads() -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "bundles").glob("*.zip"))


def test_an_upload_while_the_broker_is_down_waits_visibly_and_starts_when_the_broker_is_back(
    site, broker, celery_processes, editor_client, client, tmp_path
):
    before = published_checksums()
    uploads_before = stored_uploads()
    worker = start_worker(celery_processes, "worker")
    beat = celery_processes("beat", "beat")
    archive = sample_archive(tmp_path, "nouveau-millesime.zip")
    broker.stop()

    sent_at = time.monotonic()
    response = upload(editor_client, archive, "nouveau")
    answered_in = time.monotonic() - sent_at
    job = ImportJob.objects.get(release_slug="nouveau")
    assert response.status_code == 302 and response["Location"] == reverse("editor:job", args=[job.pk])
    assert (job.state, job.queued_at) == (ImportJob.State.RECEIVED, None)
    page = editor_client.get(response["Location"])
    assert WAITING_FOR_BROKER in [str(message) for message in page.context["messages"]]
    assert escape(WAITING_FOR_BROKER) in page.content.decode()  # on the job page itself, for as long as it waits
    assert editor_client.get(reverse("editor:job_status", args=[job.pk])).json()["waiting_for_broker"] is True

    dashboard = editor_client.get(reverse("editor:dashboard")).content.decode()
    assert "en attente du serveur de calcul" in dashboard

    again = upload(editor_client, archive, "nouveau")  # the editor tries again: no second job, no second file
    assert again["Location"] == response["Location"]
    assert ImportJob.objects.filter(release_slug="nouveau").count() == 1
    assert len(stored_uploads()) == len(uploads_before) + 1

    broker.start()
    back_at = time.monotonic()
    job = finished(job, timeout=TAKEN_UP_WITHIN)
    started_after = time.monotonic() - back_at

    print(f"upload with the broker down: answered in {answered_in:.1f} s; job done {started_after:.1f} s after")
    assert answered_in < 10
    assert started_after < TAKEN_UP_WITHIN
    assert worker.running and beat.running
    assert (job.state, job.attempts) == (ImportJob.State.READY, 1), job.message
    assert job.queued_at is not None
    assert "Prêt à publier" in editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert_published_site_unchanged(client, before)
