"""Reads of the editor area: releases with the actions they allow, recent jobs and the action log; imported groupings
and the changes a groupings file would make."""

from django.conf import settings
from django.utils import timezone

from indicators.models import ActionLog, GroupingImport, ImportJob, Release, TerritoryResult
from territories import vintages
from territories.models import Grouping, Territory

RECENT_JOBS = 30
RECENT_ACTIONS = 50
RUNNING_STATES = (ImportJob.State.RECEIVED, ImportJob.State.VALIDATING, ImportJob.State.COMPUTING)


def releases():
    return Release.objects.exclude(status=Release.Status.DISCARDED).order_by("slug", "-revision")


def recent_jobs():
    return ImportJob.objects.select_related("created_by", "release")[:RECENT_JOBS]


def recent_actions():
    return ActionLog.objects.select_related("user", "release", "job")[:RECENT_ACTIONS]


def is_running(job: ImportJob) -> bool:
    return job.state in RUNNING_STATES


def looks_interrupted(job: ImportJob) -> bool:
    """A running job older than Celery's hard time limit: its worker died and nothing picked it up again."""
    started = job.started_at or job.created_at
    return is_running(job) and (timezone.now() - started).total_seconds() > settings.CELERY_TASK_TIME_LIMIT


def rebuilt_territory_count(release: Release) -> int:
    return TerritoryResult.objects.filter(release=release, available=True, has_rebuilt_inputs=True).count()


def groupings():
    """The groupings the editors imported, active ones first."""
    return Grouping.objects.order_by("-is_active", "kind", "name")


def grouping_imports():
    return GroupingImport.objects.select_related("created_by")[:RECENT_JOBS]


def grouping_changes(record: GroupingImport) -> list[dict]:
    """Each grouping of a checked file beside what is published: new, taken over from the reference files (a PNR
    named without its communes), or updated, with the 2018 communes it adds and removes."""
    changes = []
    for grouping in record.groupings:
        key = {"kind": grouping["kind"], "code": grouping["code"]}
        if Grouping.objects.filter(**key, is_active=True).exists():
            status = "mis à jour"
        elif Territory.objects.filter(**key).exists():
            status = "repris des fichiers de référence"
        else:
            status = "nouveau"
        current = set(
            Territory.objects.filter(
                member_of__group__kind=grouping["kind"],
                member_of__group__code=grouping["code"],
                member_of__group__geography=vintages.ALDO.code,
            ).values_list("code", flat=True)
        )
        new = set(grouping["communes_2018"])
        changes.append(
            {
                **grouping,
                "status": status,
                "added": len(new - current),
                "removed": len(current - new),
                "n_members": len(grouping["members"]),
            }
        )
    return changes
