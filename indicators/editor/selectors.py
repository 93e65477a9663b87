"""Reads of the editor area: releases with the actions they allow, recent jobs and the action log."""

from indicators.job_locks import stalled_jobs
from indicators.models import RUNNING_STATES, ActionLog, ImportJob, Release, TerritoryResult

RECENT_JOBS = 30
RECENT_ACTIONS = 50


def releases():
    return Release.objects.exclude(status=Release.Status.DISCARDED).order_by("slug", "-revision")


def recent_jobs():
    return ImportJob.objects.select_related("created_by", "release")[:RECENT_JOBS]


def recent_actions():
    return ActionLog.objects.select_related("user", "release", "job")[:RECENT_ACTIONS]


def is_running(job: ImportJob) -> bool:
    return job.state in RUNNING_STATES


def looks_interrupted(job: ImportJob) -> bool:
    """A started job that no worker runs and that stopped moving: its worker died (recovery sends it again)."""
    return job.state != ImportJob.State.RECEIVED and stalled_jobs().filter(pk=job.pk).exists()


def rebuilt_territory_count(release: Release) -> int:
    return TerritoryResult.objects.filter(release=release, available=True, has_rebuilt_inputs=True).count()
