"""Reads of the editor area: releases with the actions they allow, recent jobs and the action log."""

from django.conf import settings
from django.utils import timezone

from indicators.models import ActionLog, ImportJob, Release, TerritoryResult

RECENT_JOBS = 30
RECENT_ACTIONS = 50
RUNNING_STATES = (ImportJob.State.RECEIVED, ImportJob.State.VALIDATING, ImportJob.State.COMPUTING)


def releases():
    return Release.objects.exclude(status=Release.Status.DISCARDED).order_by("slug", "-revision")


def recent_jobs():
    return ImportJob.objects.select_related("created_by", "release")[:RECENT_JOBS]


def recent_actions():
    return ActionLog.objects.select_related("user", "release", "job", "series")[:RECENT_ACTIONS]


def is_running(job: ImportJob) -> bool:
    return job.state in RUNNING_STATES


def looks_interrupted(job: ImportJob) -> bool:
    """A running job older than Celery's hard time limit: its worker died and nothing picked it up again."""
    started = job.started_at or job.created_at
    return is_running(job) and (timezone.now() - started).total_seconds() > settings.CELERY_TASK_TIME_LIMIT


def rebuilt_territory_count(release: Release) -> int:
    return TerritoryResult.objects.filter(release=release, available=True, has_rebuilt_inputs=True).count()
