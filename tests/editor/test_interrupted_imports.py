"""Two imports at once, or a worker dying mid-job, never leave a half-written or half-published release."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DataError, connection
from django.urls import reverse
from django.utils import timezone

from indicators import job_locks, services
from indicators.models import ImportJob, IndicatorValue, Release, TerritoryResult
from tests.aldo.malformed import sample_bundle_files, write_zip
from tests.conftest import load_full_database


@pytest.fixture
def small_bundle(tmp_path):
    """A valid one-EPCI CHANTERELLE bundle: computes in a moment."""
    return write_zip(sample_bundle_files(), tmp_path / "petit.zip")


def published_state() -> set:
    return {
        (release.pk, release.status, release.is_current, release.values.count())
        for release in Release.objects.published()
    }


@pytest.mark.django_db
def test_a_worker_crash_in_the_middle_of_writing_leaves_nothing_and_the_retry_completes(
    editor_client, releases, small_bundle, monkeypatch
):
    before = published_state()
    real_write_values = services.write_values

    def crash_after_a_partial_write(rows):
        real_write_values(rows.head(len(rows) // 2))
        raise SystemExit("worker killed")  # what a dying worker looks like from inside the task

    monkeypatch.setattr(services, "write_values", crash_after_a_partial_write)
    job = services.start_import(small_bundle, "essai")  # enqueued on commit: the test runs it by hand
    with pytest.raises(SystemExit):
        services.run_import_job(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportJob.State.COMPUTING, 1)
    assert not Release.objects.filter(slug="essai").exists()
    assert not IndicatorValue.objects.filter(release__slug="essai").exists()
    assert not TerritoryResult.objects.filter(release__slug="essai").exists()
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert "Calcul en cours" in page

    monkeypatch.setattr(services, "write_values", real_write_values)
    services.run_import_job(job.pk)  # the broker redelivers the task (acks_late + reject_on_worker_lost)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportJob.State.READY, 2)
    release = Release.objects.get(slug="essai")
    assert release.status == Release.Status.STAGED
    assert IndicatorValue.objects.filter(release=release).exists()
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert "interrompu puis relancé automatiquement" in page
    assert "tentative n° 2" in page
    assert published_state() == before


@pytest.mark.django_db
def test_a_job_left_computing_by_a_dead_worker_is_recomputed_from_the_start(releases, small_bundle):
    job = services.start_import(small_bundle, "essai")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.COMPUTING, progress=30, attempts=1)

    services.run_import_job(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress) == (ImportJob.State.READY, 2, 100)
    assert Release.objects.filter(slug="essai").count() == 1


def leave_stalled(job, attempts: int) -> None:
    """What a job looks like when its worker died and the broker lost the task: no news for half an hour."""
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.COMPUTING,
        progress=30,
        attempts=attempts,
        updated_at=timezone.now() - timedelta(minutes=30),
    )


@pytest.mark.django_db
def test_beat_sends_a_stalled_job_back_to_a_worker_and_leaves_running_ones_alone(
    releases, small_bundle, django_capture_on_commit_callbacks
):
    stalled = services.start_import(small_bundle, "essai")
    leave_stalled(stalled, attempts=1)
    running = services.start_import(small_bundle, "autre essai")
    ImportJob.objects.filter(pk=running.pk).update(state=ImportJob.State.COMPUTING, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stalled_imports() == [stalled.pk]

    stalled.refresh_from_db()
    assert (stalled.state, stalled.attempts) == (ImportJob.State.READY, 2)
    running.refresh_from_db()
    assert (running.state, running.attempts) == (ImportJob.State.COMPUTING, 1)


@pytest.mark.django_db
def test_a_job_interrupted_again_and_again_ends_failed_and_the_editor_is_told(
    editor_client, releases, small_bundle, django_capture_on_commit_callbacks
):
    before = published_state()
    job = services.start_import(small_bundle, "essai")
    leave_stalled(job, attempts=services.MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        services.recover_stalled_imports()

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert not Release.objects.filter(slug="essai").exists()
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert f"interrompu {services.MAX_ATTEMPTS} fois" in page
    assert published_state() == before


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_time_both_end_ready_with_distinct_revisions(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write")
    if not Release.objects.published().exists():
        load_full_database()
    before = published_state()
    # two different files (the same file twice would be one import): the same figures, under distinct folders
    archives = [
        write_zip(sample_bundle_files(), tmp_path / f"petit-{index}.zip", folder=f"envoi-{index}/")
        for index in range(2)
    ]
    start = threading.Barrier(len(archives))
    job_ids, errors = [], []

    def upload(archive):
        try:
            start.wait()
            job_ids.append(services.start_import(archive, "essai concurrent").pk)  # runs the job on commit (eager)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(archive,)) for archive in archives]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not errors, errors
    jobs = ImportJob.objects.filter(pk__in=job_ids).select_related("release")
    assert [job.state for job in jobs] == [ImportJob.State.READY] * 2, [(job.message, job.report) for job in jobs]
    assert sorted(job.release.revision for job in jobs) == [1, 2]
    assert {job.release.status for job in jobs} == {Release.Status.STAGED}
    first, second = (IndicatorValue.objects.filter(release=job.release).count() for job in jobs)
    assert first == second > 0
    assert published_state() == before


@pytest.mark.django_db
def test_an_unexpected_error_while_saving_fails_the_job_at_once_with_a_true_message(
    editor_client, releases, small_bundle, monkeypatch
):
    before = published_state()

    def refused_by_the_database(*arguments):
        raise DataError("value too long for type character varying(40)")

    monkeypatch.setattr(services, "_create_staged_release", refused_by_the_database)
    job = services.start_import(small_bundle, "essai")
    services.run_import_job(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportJob.State.FAILED, 1)
    assert job.message.startswith("L'import a échoué à l'étape « enregistrement des chiffres »")
    assert not Release.objects.filter(slug="essai").exists()
    assert "rien n&#x27;a été publié" in editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert published_state() == before


@pytest.mark.django_db
def test_a_job_the_broker_never_received_waits_visibly_and_recovery_sends_it(editor_client, releases, small_bundle):
    job = services.start_import(small_bundle, "essai")  # its send, on commit, never ran: as with the broker down
    job.refresh_from_db()
    assert job.waits_for_broker
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert "momentanément injoignable" in page
    assert services.start_import(small_bundle, "essai") == job  # the same file again: the same job

    assert services.recover_stalled_imports() == [job.pk]

    job.refresh_from_db()
    assert job.state == ImportJob.State.READY and job.queued_at is not None


@pytest.mark.django_db
def test_the_page_of_a_job_whose_worker_died_says_it_will_be_relaunched(editor_client, releases, small_bundle):
    job = services.start_import(small_bundle, "essai")
    leave_stalled(job, attempts=1)
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert "sera relancé automatiquement depuis le début" in page


@contextmanager
def held_by_another_worker(job):
    """The job's lock, taken by another database connection: what a worker running it looks like."""
    other = connection.copy()
    other.connect()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [job_locks.JOB_LOCK_CLASS, job.pk])
        yield
    finally:
        other.close()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_job_another_worker_holds_is_neither_run_twice_nor_called_stalled(editor_client, releases, small_bundle):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: job locks are PostgreSQL advisory locks")
    job = services.start_import(small_bundle, "essai")
    with held_by_another_worker(job):
        services.run_import_job(job.pk)  # a redelivered copy of the task
        job.refresh_from_db()
        assert (job.state, job.attempts) == (ImportJob.State.RECEIVED, 0)
        leave_stalled(job, attempts=1)
        assert services.recover_stalled_imports() == []
        page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
        assert "sera relancé automatiquement" not in page

    assert services.recover_stalled_imports() == [job.pk]  # its worker is gone: sent again at once
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportJob.State.READY, 2)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (MemoryError(), "Mémoire insuffisante à l'étape « calcul des indicateurs »"),
        (SoftTimeLimitExceeded(), "L'import a dépassé sa durée maximale (15 minutes) à l'étape « calcul des"),
    ],
)
@pytest.mark.django_db
def test_a_job_out_of_memory_or_time_ends_failed_saying_so(error, message, releases, small_bundle, monkeypatch):
    def computation_that_fails(bundle):
        raise error

    monkeypatch.setattr(services, "_compute_every_territory", computation_that_fails)
    job = services.start_import(small_bundle, "essai")
    services.run_import_job(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ImportJob.State.FAILED, 1)
    assert job.message.startswith(message)
