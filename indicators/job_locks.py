"""Which import jobs are running: each is held, while it runs, by a PostgreSQL lock of the process running it.

The lock goes with the worker's database connection when the worker dies, however it dies (killed, out of memory,
machine restart): a job whose lock is free is running nowhere, and can be sent to a worker again at once.
"""

from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import RUNNING_STATES, ImportJob

JOB_LOCK_CLASS = 0x4A4F42  # first key of the advisory locks of import jobs ("JOB")
# A job that nobody holds and that has not moved for this long was interrupted.
STALLED_AFTER = timedelta(minutes=2)
# Without PostgreSQL nothing tells whether a worker holds a job: wait past the task's hard time limit.
STALLED_AFTER_WITHOUT_LOCKS = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5 * 60)


@contextmanager
def job_lock(job_id: int):
    """Held by the process running a job, for as long as it runs; yields False when another process holds it.

    A PostgreSQL session lock: it goes with the worker's connection when the worker dies, however it dies, so a
    job whose lock is free is not running anywhere. Other databases have no such lock (yields True).
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_CLASS, job_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_CLASS, job_id])


def locked_job_ids() -> set[int] | None:
    """Ids of the jobs a worker is running now; None when the database cannot tell (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks JOIN pg_database ON pg_database.oid = pg_locks.database "
            "WHERE datname = current_database() AND locktype = 'advisory' AND classid = %s AND objsubid = 2 "
            "AND granted",
            [JOB_LOCK_CLASS],
        )
        return {row[0] for row in cursor.fetchall()}


def stalled_jobs() -> QuerySet[ImportJob]:
    """Jobs to send to a worker: received while the broker was down, or left behind, unfinished, by a worker that
    died without the broker redelivering them (nobody holds them and they have not moved for a while)."""
    now = timezone.now()
    locked = locked_job_ids()
    quiet_for = STALLED_AFTER if locked is not None else STALLED_AFTER_WITHOUT_LOCKS
    never_sent = Q(state=ImportJob.State.RECEIVED, queued_at__isnull=True)
    interrupted = Q(state__in=RUNNING_STATES, updated_at__lt=now - quiet_for)
    return ImportJob.objects.filter(never_sent | interrupted).exclude(pk__in=locked or ())
