"""Reads of the editor area: releases with the actions they allow, recent jobs and the action log; imported groupings
and the changes a groupings file would make."""

from django.db.models import Count

from indicators import quality
from indicators.job_locks import stalled_jobs
from indicators.models import RUNNING_STATES, ActionLog, GroupingImport, ImportJob, Release, TerritoryResult
from indicators.selectors import fetch
from territories import vintages
from territories.models import Grouping, Territory, TerritoryKind

RECENT_JOBS = 30
RECENT_ACTIONS = 50


def releases():
    return Release.objects.exclude(status=Release.Status.DISCARDED).order_by("slug", "-revision")


def recent_jobs():
    return ImportJob.objects.select_related("created_by", "release")[:RECENT_JOBS]


def recent_actions():
    return ActionLog.objects.select_related("user", "release", "job", "series")[:RECENT_ACTIONS]


def is_running(job: ImportJob) -> bool:
    return job.state in RUNNING_STATES


def looks_interrupted(job: ImportJob) -> bool:
    """A started job that no worker runs and that stopped moving: its worker died (recovery sends it again)."""
    return job.state != ImportJob.State.RECEIVED and stalled_jobs().filter(pk=job.pk).exists()


def rebuilt_territory_count(release: Release) -> int:
    return TerritoryResult.objects.filter(release=release, available=True, has_rebuilt_inputs=True).count()


WORST_LISTED = 10
GROUPING_KINDS = ("epci", "departement", "region", "pnr", "scot", "pays", "groupement")


def quality_summary(release: Release, baseline: Release | None) -> dict:
    """What an editor reads before publishing: territories by quality level and kind, the groupings whose land-use
    data covers least of their area, and the territories whose level changes from ``baseline``."""
    results = TerritoryResult.objects.filter(release=release, available=True)
    by_kind: dict[str, dict[str, int]] = {}
    for row in results.values("territory__kind", "quality_level").annotate(count=Count("id")):
        by_kind.setdefault(row["territory__kind"], {})[row["quality_level"]] = row["count"]
    order = list(TerritoryKind.values)
    table = [
        {"kind": TerritoryKind(kind).label, "counts": [by_kind[kind].get(slug, 0) for slug in quality.LEVELS]}
        for kind in sorted(by_kind, key=order.index)
    ]
    # The two areas of every grouping's facts, read by the database (not the whole facts of ~200 groupings); the
    # worst covered ones are then read with their territory.
    groupings = results.filter(territory__kind__in=GROUPING_KINDS)
    areas = groupings.values_list("id", "facts__land_use_area_ha", "facts__official_area_ha")
    covered = [
        (quality.coverage({"land_use_area_ha": land_use, "official_area_ha": official}), pk)
        for pk, land_use, official in areas
    ]
    ranked = sorted(pair for pair in covered if pair[0] is not None)[:WORST_LISTED]
    shown = ("quality_level", *(f"territory__{field}" for field in ("kind", "code", "geography", "name")))
    found = TerritoryResult.objects.select_related("territory").only(*shown).in_bulk([pk for _, pk in ranked])
    worst = [(share, found[pk]) for share, pk in ranked]
    levels_now = dict(fetch(results.values_list("territory_id", "quality_level")))
    levels_before = (
        dict(
            fetch(
                TerritoryResult.objects.filter(release=baseline, available=True).values_list(
                    "territory_id", "quality_level"
                )
            )
        )
        if baseline
        else {}
    )
    changed_ids = [pk for pk, level in levels_now.items() if levels_before.get(pk) not in (None, level)]
    changed = Territory.objects.filter(pk__in=changed_ids[:WORST_LISTED]).defer("geometry").order_by("kind", "name")
    return {
        "levels": list(quality.LEVELS.values()),
        "by_kind": table,
        "worst": [
            {"territory": result.territory, "coverage": share, "level": quality.LEVELS.get(result.quality_level)}
            for share, result in worst
        ],
        "changed": [
            (territory, quality.LEVELS.get(levels_before[territory.pk]), quality.LEVELS.get(levels_now[territory.pk]))
            for territory in changed
        ],
        "n_changed": len(changed_ids),
    }


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
