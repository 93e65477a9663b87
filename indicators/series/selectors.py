"""Reads of indicator series: the published ones (cached per publication), a territory's values, a whole series, and
what a staged version changes against the published one.

A territory's values of a series are its own rows, or the rows of the reference zones it lies in (a former region
for the communes, EPCIs and départements within it); the national rows come with them as a reference. Own rows are
matched in the series' geography, and in any geography for départements and the région, whose perimeters do not
change between the site's vintages.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from observatory.cache import generation_value
from territories.models import Territory, TerritoryKind

from ..models import SeriesValue, SeriesVersion
from .model import NATIONAL, Point, SeriesMetadata, TerritorySeries, Zone
from .zones import ZONES, zones_containing

PUBLISHED_KEY = "series:published"
STABLE_KINDS = frozenset({TerritoryKind.DEPARTEMENT, TerritoryKind.REGION})
MAX_REVIEW_ROWS = 200


@dataclass(frozen=True)
class PublishedSeries:
    version_id: int
    revision: int
    published_at: datetime | None
    metadata: SeriesMetadata


def published_series() -> list[PublishedSeries]:
    """Every published series, by slug; read from the database once per publication (the cache generation)."""
    return generation_value(
        PUBLISHED_KEY,
        lambda: [
            PublishedSeries(row.pk, row.revision, row.published_at, SeriesMetadata.from_dict(row.metadata))
            for row in SeriesVersion.objects.published().order_by("slug")
        ],
    )


def published(slug: str) -> PublishedSeries | None:
    return next((series for series in published_series() if series.metadata.slug == slug), None)


def _point_rows(queryset):
    return queryset.order_by("version_id", "line").values_list(
        "version_id", "zone_kind", "zone_code", "period", "dimensions", "value"
    )


def territory_series(territory: Territory) -> dict[str, TerritorySeries]:
    """Slug → the territory's values of each published series that has some for it."""
    by_version = {series.version_id: series for series in published_series()}
    if not by_version:
        return {}
    own = (territory.kind, territory.code)
    by_zone = _published_rows_by_zone()
    places = dict.fromkeys([own, *(zone.key for zone in zones_containing(territory))])
    rows = sorted((row for place in places for row in by_zone.get(place, ())), key=lambda row: row[:2])  # file order
    points: dict[int, list[Point]] = defaultdict(list)
    for version_id, _, kind, code, period, dimensions, value in rows:
        if (kind, code) == own:
            geography = by_version[version_id].metadata.geography
            if geography != territory.geography and territory.kind not in STABLE_KINDS:
                continue
            zone = Zone(kind, code, territory.name)
        else:
            zone = ZONES[(kind, code)]
        points[version_id].append(Point(zone, period, tuple(dimensions), value))
    reference = national_points()  # kept for the series that have values for the territory
    return {
        by_version[version_id].metadata.slug: TerritorySeries(tuple(found), reference.get(version_id, ()))
        for version_id, found in points.items()
    }


def _published_rows_by_zone() -> dict[tuple[str, str], list[tuple]]:
    """(zone kind, zone code) → the (version id, line, kind, code, period, dimensions, value) rows of the published
    series for that zone: read once per publication (the cache generation), then each page takes its zones' rows."""

    def read() -> dict[tuple[str, str], list[tuple]]:
        published = [series.version_id for series in published_series()]
        by_zone: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        rows = SeriesValue.objects.filter(version_id__in=published).values_list(
            "version_id", "line", "zone_kind", "zone_code", "period", "dimensions", "value"
        )
        for row in rows:
            by_zone[(row[2], row[3])].append(row)
        return dict(by_zone)

    return generation_value("series:rows-by-zone", read)


def national_points() -> dict[int, tuple[Point, ...]]:
    """Version id → the national values of each published series, the reference beside every territory's: read once
    per publication (the cache generation)."""

    def read() -> dict[int, tuple[Point, ...]]:
        published = [series.version_id for series in published_series()]
        found: dict[int, list[Point]] = defaultdict(list)
        rows = SeriesValue.objects.filter(zone_kind=NATIONAL, version_id__in=published)
        for version_id, kind, code, period, dimensions, value in _point_rows(rows):
            found[version_id].append(Point(ZONES[(kind, code)], period, tuple(dimensions), value))
        return {version_id: tuple(points) for version_id, points in found.items()}

    return generation_value("series:national", read)


def series_points(version_id: int, geography: str) -> list[Point]:
    """Every value of a series version, in the order of its file; territories named as in ``geography``. A version's
    values never change: read once per publication (the cache generation)."""
    key = f"series:points:{version_id}:{geography}"
    return generation_value(key, lambda: _read_series_points(version_id, geography))


def _read_series_points(version_id: int, geography: str) -> list[Point]:
    rows = list(_point_rows(SeriesValue.objects.filter(version_id=version_id)))
    names = _territory_names({(kind, code) for _, kind, code, *_ in rows if (kind, code) not in ZONES}, geography)
    return [
        Point(ZONES.get((kind, code)) or Zone(kind, code, names.get((kind, code), code)), period, tuple(dims), value)
        for _, kind, code, period, dims, value in rows
    ]


def _territory_names(keys: set[tuple[str, str]], geography: str) -> dict[tuple[str, str], str]:
    if not keys:
        return {}
    territories = Territory.objects.filter(geography=geography, kind__in={kind for kind, _ in keys})
    return {
        (kind, code): name
        for kind, code, name in territories.values_list("kind", "code", "name")
        if (kind, code) in keys
    }


def territories_with_values(version_id: int, geography: str) -> list[Territory]:
    """The territories a series gives values for by name (not through a reference zone), for links to their pages."""
    keys = set(
        SeriesValue.objects.filter(version_id=version_id)
        .exclude(zone_kind__in={kind for kind, _ in ZONES})
        .values_list("zone_kind", "zone_code")
        .distinct()
    )
    kinds = {kind for kind, _ in keys}
    candidates = (
        Territory.objects.filter(geography=geography, kind__in=kinds).defer("geometry").order_by("kind", "name")
    )
    return [territory for territory in candidates if (territory.kind, territory.code) in keys]


def versions():
    """Every version an editor can act on (discarded ones only stay in the log)."""
    return SeriesVersion.objects.exclude(status=SeriesVersion.Status.DISCARDED).select_related("created_by")


def baseline_for(version: SeriesVersion) -> SeriesVersion | None:
    """What a version is reviewed against: the published revision of the same series, if another one is."""
    return SeriesVersion.objects.published().filter(slug=version.slug).exclude(pk=version.pk).first()


@dataclass(frozen=True)
class SeriesChanges:
    metadata: list[tuple[str, str, str]]
    """(field, old, new) for each metadata field that changes."""
    compared: int
    changed: int
    added: int
    removed: int
    rows: list[dict]
    """The largest changes first (at most MAX_REVIEW_ROWS): place, period, dimensions, old, new, change."""


def compare_versions(baseline: SeriesVersion | None, version: SeriesVersion) -> SeriesChanges:
    """What publishing ``version`` would change against ``baseline`` (everything is new without one)."""
    new = _keyed_values(version)
    old = _keyed_values(baseline) if baseline else {}
    places = {(kind, code) for kind, code, _, _ in new.keys() | old.keys() if (kind, code) not in ZONES}
    names = _territory_names(places, version.metadata["geography"])
    rows = []
    for key in new.keys() | old.keys():
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        kind, code, period, dimensions = key
        change = None if before is None or after is None else after - before
        rows.append(
            {
                "place": ZONES[(kind, code)].name if (kind, code) in ZONES else f"{names.get((kind, code))} ({code})",
                "period": period,
                "dimensions": " – ".join(dimensions),
                "old": before,
                "new": after,
                "change": change,
            }
        )
    rows.sort(key=lambda row: (row["change"] is None, -abs(row["change"] or 0.0), row["place"], row["period"]))
    old_metadata = baseline.metadata if baseline else {}
    return SeriesChanges(
        metadata=[
            (name, str(old_metadata.get(name, "")), str(value))
            for name, value in version.metadata.items()
            if baseline and old_metadata.get(name) != value
        ],
        compared=len(new.keys() & old.keys()),
        changed=sum(1 for row in rows if row["change"] is not None),
        added=len(new.keys() - old.keys()),
        removed=len(old.keys() - new.keys()),
        rows=rows[:MAX_REVIEW_ROWS],
    )


def _keyed_values(version: SeriesVersion) -> dict[tuple, float]:
    rows = version.values.values_list("zone_kind", "zone_code", "period", "dimensions", "value")
    return {(kind, code, period, tuple(dimensions)): value for kind, code, period, dimensions, value in rows}
