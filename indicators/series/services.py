"""Writes of indicator series: import (validate and stage), publish, unpublish, discard. Small atomic services; each
action is logged (ActionLog), a refused import too. Nothing published changes until a staged version is published."""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from observatory.cache import bump_generation
from territories.models import Territory, TerritoryKind

from .. import registry
from ..measures import TONNES_CO2E_PER_YEAR, UNIT_WORDS
from ..models import ActionLog, SeriesValue, SeriesVersion
from ..services import ReleaseActionError
from .model import Reference
from .validation import InvalidSeries, read_series
from .zones import ZONES

STAGING_ATTEMPTS = 5


def reference() -> Reference:
    """What an imported series is checked against: today's territories, zones, units and indicator slugs."""
    territories: dict[str, set[tuple[str, str]]] = {}
    for geography, kind, code in Territory.objects.values_list("geography", "kind", "code"):
        territories.setdefault(geography, set()).add((kind, code))
    return Reference(
        territories={geography: frozenset(places) for geography, places in territories.items()},
        territory_kinds=frozenset(TerritoryKind.values),
        zones=ZONES,
        units=frozenset(UNIT_WORDS),
        emission_units=frozenset(TONNES_CO2E_PER_YEAR),
        reserved_slugs=frozenset(indicator.slug for indicator in registry.indicators("aldo")),
    )


def files_checksum(metadata: bytes, values: bytes) -> str:
    digest = hashlib.sha256(metadata)
    digest.update(b"\0")
    digest.update(values)
    return digest.hexdigest()


def import_series(metadata: bytes, metadata_name: str, values: bytes, values_name: str, *, user=None) -> SeriesVersion:
    """Validate the two files and stage them as a new version of their series; raises ``InvalidSeries`` (logged)."""
    checksum = files_checksum(metadata, values)
    try:
        series = read_series(metadata, metadata_name, values, values_name, reference())
    except InvalidSeries as invalid:
        ActionLog.objects.create(user=user, action="series_import", checksum=checksum, result=f"échec : {invalid}")
        raise
    meta = series.metadata
    for _ in range(STAGING_ATTEMPTS):
        latest = SeriesVersion.objects.filter(slug=meta.slug).aggregate(Max("revision"))["revision__max"] or 0
        try:
            with transaction.atomic():
                version = SeriesVersion.objects.create(
                    slug=meta.slug,
                    revision=latest + 1,
                    name=meta.name,
                    metadata=meta.as_dict(),
                    checksum=checksum,
                    files=f"{metadata_name}, {values_name}",
                    row_count=len(series.rows),
                    created_by=user,
                )
                SeriesValue.objects.bulk_create(
                    (
                        SeriesValue(
                            version=version,
                            zone_kind=row.kind,
                            zone_code=row.code,
                            period=row.period,
                            dimensions=list(row.dimensions),
                            value=row.value,
                            line=row.line,
                        )
                        for row in series.rows
                    ),
                    batch_size=2000,
                )
                ActionLog.objects.create(
                    user=user,
                    action="series_import",
                    series=version,
                    checksum=checksum,
                    result=f"en attente de publication : {len(series.rows)} valeurs",
                )
            return version
        except IntegrityError:  # another import of the same series took this revision: take the next one
            continue
    raise RuntimeError(f"Series {meta.slug}: no free revision after {STAGING_ATTEMPTS} tries")


def _change_status(
    version: SeriesVersion, allowed, status: str, action: str, result: str, refusal: str, user, prepare
):
    """Lock the version, check its state, ``prepare`` it (other rows to update), set its new status, log; pages are
    regenerated once the change is committed."""
    with transaction.atomic():
        version = SeriesVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in allowed:
            raise ReleaseActionError(refusal.format(version=version, state=version.get_status_display()))
        fields = prepare(version)
        version.status = status
        version.save(update_fields=["status", *fields])
        ActionLog.objects.create(user=user, action=action, series=version, result=result)
        transaction.on_commit(bump_generation)
    return version


def publish_series(version: SeriesVersion, *, user=None) -> SeriesVersion:
    """Make a staged (or withdrawn, or superseded) version the published one of its series."""

    def supersede_the_published_one(version: SeriesVersion) -> list[str]:
        published = SeriesVersion.objects.published().filter(slug=version.slug).exclude(pk=version.pk)
        published.update(status=SeriesVersion.Status.SUPERSEDED)
        version.published_at = timezone.now()
        return ["published_at"]

    return _change_status(
        version,
        (SeriesVersion.Status.STAGED, SeriesVersion.Status.WITHDRAWN, SeriesVersion.Status.SUPERSEDED),
        SeriesVersion.Status.PUBLISHED,
        "series_publish",
        "publiée",
        "La série {version} ne peut pas être publiée ({state}).",
        user,
        supersede_the_published_one,
    )


def unpublish_series(version: SeriesVersion, *, user=None) -> SeriesVersion:
    """Withdraw a published version: the series disappears from every page, file and the API."""
    return _change_status(
        version,
        (SeriesVersion.Status.PUBLISHED,),
        SeriesVersion.Status.WITHDRAWN,
        "series_unpublish",
        "dépubliée",
        "La série {version} n'est pas publiée.",
        user,
        lambda version: [],
    )


def discard_series(version: SeriesVersion, *, user=None) -> SeriesVersion:
    """Drop a staged version that will not be published (its values are deleted, the log stays)."""

    def delete_values(version: SeriesVersion) -> list[str]:
        version.values.all().delete()
        return []

    return _change_status(
        version,
        (SeriesVersion.Status.STAGED,),
        SeriesVersion.Status.DISCARDED,
        "series_discard",
        "écartée",
        "Seule une série en attente de publication peut être écartée.",
        user,
        delete_values,
    )
