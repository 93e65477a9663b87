"""Reads: which release to show, and the stored figures of territories as tidy DataFrames."""

import pandas as pd
from django.core.cache import cache
from django.db.models import Q

from observatory.cache import generation
from territories.models import Territory

from .models import MEASURE_UNITS, IndicatorValue, Release, TerritoryResult


def published_releases():
    return Release.objects.published().order_by("published_at")


def published_slugs() -> frozenset[str]:
    """Slugs of the published releases, cached until the next publication."""
    return cache.get_or_set(
        "indicators:published-slugs",
        lambda: frozenset(Release.objects.published().values_list("slug", flat=True)),
        version=generation(),
    )


def release_for(slug: str | None) -> Release | None:
    """The published release named ``slug``, or the current one when no (known) slug is given."""
    if slug:
        release = Release.objects.published().filter(slug=slug).first()
        if release:
            return release
    return Release.objects.current()


def territory_result(release: Release, territory: Territory) -> TerritoryResult | None:
    return TerritoryResult.objects.filter(release=release, territory=territory).first()


def values_frame(release: Release, territories, measures=None) -> pd.DataFrame:
    """Stored figures of ``territories`` (ids or a queryset) for ``release``, one row per figure."""
    rows = IndicatorValue.objects.filter(release=release, territory__in=territories)
    if measures:
        rows = rows.filter(measure__in=measures)
    columns = ["territory_id", "measure", "land_use", "detail", "value", "provenance"]
    frame = pd.DataFrame.from_records(rows.values_list(*columns), columns=columns)
    frame["unit"] = frame["measure"].map(MEASURE_UNITS)
    return frame


def export_frame(release: Release, kind: str | None = None, code: str | None = None) -> pd.DataFrame:
    """Tidy figures with their territory, for CSV exports and checks."""
    territories = Territory.objects.filter(results__release=release, results__available=True)
    if kind:
        territories = territories.filter(kind=kind)
    if code:
        territories = territories.filter(Q(code=code))
    names = pd.DataFrame.from_records(
        territories.values_list("id", "kind", "code", "geography", "name"),
        columns=["territory_id", "territory_kind", "territory_code", "geography", "territory_name"],
    )
    figures = values_frame(release, territories)
    frame = names.merge(figures, on="territory_id").drop(columns="territory_id")
    frame.insert(4, "release", release.slug)
    return frame.sort_values(["territory_kind", "territory_code", "geography", "measure", "land_use", "detail"])
