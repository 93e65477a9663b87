"""Reads: which release to show, and the stored figures of territories.

``value_rows`` is the one reader of ``IndicatorValue``: pages and files take its rows as ``Figures`` (plain
dictionaries), reviews and exports of thousands of territories as a DataFrame; ``summed_value_rows`` gives the same
rows summed over many territories by the database (the units of a grouping).
"""

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, Q, Sum

from observatory.cache import generation_value
from territories import vintages
from territories.models import Territory, TerritoryKind
from territories.selectors import directory

from .figures import Figures
from .measures import TOTAL, unit_of
from .models import IndicatorValue, LandUseFigure, Release, TerritoryResult
from .quality import INCOMPLETE, LEVELS, RELIABLE
from .series.selectors import territory_series

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
VALUE_COLUMNS = ["territory_id", "measure", "land_use", "detail", "value", "provenance"]


class UnknownRelease(Exception):
    """A millésime that is not published (unknown, staged, withdrawn…): pages answer 404 listing the published ones."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


PUBLISHED_RELEASES_KEY = "releases:published"


def published_releases() -> list[Release]:
    """The published releases, oldest first; read from the database once per publication (the cache generation,
    which every publication, unpublication or change of the release shown bumps)."""
    return generation_value(PUBLISHED_RELEASES_KEY, lambda: list(Release.objects.published().order_by("published_at")))


def release_for(slug: str | None) -> Release | None:
    """The published release named ``slug``; the current one when no slug is given (None before any publication).

    Raises ``UnknownRelease`` for a slug that names no published release: a reader who asked for a millésime must
    never silently get another one.
    """
    if slug and not SLUG.fullmatch(slug):  # never a lookup of what cannot be a slug (a NUL byte, a long string)
        raise UnknownRelease(slug)
    releases = published_releases()
    if not slug:
        return next((release for release in releases if release.is_current), None)
    release = next((release for release in releases if release.slug == slug), None)
    if release is None:
        raise UnknownRelease(slug)
    return release


def territory_result(release: Release, territory: Territory) -> TerritoryResult | None:
    try:
        return TerritoryResult.objects.get(release=release, territory=territory)
    except TerritoryResult.DoesNotExist:
        return None


# The attribute naming a territory's département, by kind; territories of other kinds are compared region-wide.
PEER_DEPARTEMENT = {TerritoryKind.COMMUNE: "departement", TerritoryKind.EPCI: "departement_siege"}


def peers(territory: Territory, release: Release, count: int) -> list[Territory]:
    """Territories of the same kind in the same département, closest in population, computed for ``release``
    (incomplete ones left out: their figures cannot be compared); from the generation's candidates and the territory
    directory: no query per page."""
    attribute = PEER_DEPARTEMENT.get(territory.kind)
    groups = generation_value(
        f"peers:{release.pk}:{territory.kind}:{territory.geography}",
        lambda: _comparable_by_departement(release, territory.kind, territory.geography),
    )
    candidates = groups.get((territory.attributes or {}).get(attribute) if attribute else None, [])
    own = territory.population or 0
    closest = heapq.nsmallest(
        count,
        (candidate for candidate in candidates if candidate[0] != territory.pk),
        key=lambda candidate: (abs(candidate[1] - own), candidate[2]),  # then by name
    )
    places = directory()
    return [places.territory(pk) for pk, *_ in closest]


def _comparable_by_departement(release: Release, kind: str, geography: str) -> dict[str | None, list[tuple]]:
    """Département (None for kinds compared region-wide) → (id, population, rank of name) of the territories of
    ``kind`` in ``geography`` that ``release`` computed with comparable figures: read once per generation, then each
    page picks its peers among them."""
    comparable = [slug for slug in LEVELS if slug != INCOMPLETE.slug]
    attribute = PEER_DEPARTEMENT.get(kind)
    rows = (
        Territory.objects.filter(kind=kind, geography=geography, in_region=True)
        .filter(results__release=release, results__available=True, results__quality_level__in=comparable)
        .order_by("name")
        .values_list("id", "population", f"attributes__{attribute}" if attribute else "kind")
    )
    groups: dict[str | None, list[tuple]] = defaultdict(list)
    for rank, (pk, population, departement) in enumerate(rows):
        groups[departement if attribute else None].append((pk, population or 0, rank))
    return dict(groups)


def available_territory_ids(release: Release, territories) -> set[int]:
    return set(quality_levels(release, territories))


def reliable_intercommunality(release_id: int, commune: Territory, own: list[Territory]) -> Territory | None:
    """An intercommunality of ``commune`` with reliable figures in the release: one of ``own`` (its EPCIs in its
    geography), else the 2018 one ALDO computed it with (today's may be an estimate itself). Read from the release's
    reliable EPCIs and the territory directory, both kept for the generation: no query per page."""
    reliable = generation_value(f"reliable-epcis:{release_id}", lambda: _reliable_epcis(release_id))
    for epci in sorted(own, key=lambda epci: epci.pk):
        if epci.pk in reliable:
            return epci
    places = directory()
    aldo = vintages.ALDO.code
    commune_of_aldo = places.ids.get((TerritoryKind.COMMUNE, commune.code, aldo))
    for group in (places.territory(pk) for pk in sorted(places.groups_of.get(commune_of_aldo, []))):
        if group.pk in reliable and group.kind == TerritoryKind.EPCI and group.geography == aldo:
            return group
    return None


def _reliable_epcis(release_id: int) -> set[int]:
    """Ids of the EPCIs whose figures are reliable in the release."""
    results = TerritoryResult.objects.filter(
        release_id=release_id, quality_level=RELIABLE.slug, territory__kind=TerritoryKind.EPCI
    )
    return set(results.values_list("territory_id", flat=True))


def releases_computing(territory: Territory, releases: Iterable[Release]) -> list[int]:
    """The ids of those of ``releases`` that have figures for ``territory``."""
    results = TerritoryResult.objects.filter(territory=territory, release__in=list(releases), available=True)
    return list(results.values_list("release_id", flat=True))


def quality_levels(release: Release, territories) -> dict[int, str]:
    """Territory id → its data-quality level slug, for the territories that have figures for ``release``."""
    results = TerritoryResult.objects.filter(release=release, territory__in=territories, available=True)
    return dict(fetch(results.values_list("territory_id", "quality_level")))


def value_rows(release: Release, territories, measures: Iterable[str] | None = None, land_uses=None) -> list[tuple]:
    """Stored figures of ``territories`` (ids or a queryset): (territory_id, measure, land use, detail, value,
    provenance) tuples."""
    rows = IndicatorValue.objects.filter(release=release, territory__in=territories)
    if measures is not None:
        rows = rows.filter(measure__in=list(measures))
    if land_uses is not None:
        rows = rows.filter(land_use__in=list(land_uses))
    return fetch(rows.values_list(*VALUE_COLUMNS))


def fetch(rows) -> list[tuple]:
    """The rows of a ``values_list`` as the driver gives them: figures are floats and texts already, and the ORM's
    row-by-row handling would cost more than the query for the thousands of figures of a workbook or a review."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. no territory asked for: the ORM would answer [] without a query
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def summed_value_rows(release: Release, territory_ids: Iterable[int]) -> list[tuple]:
    """The stored figures of ``territory_ids`` summed over them: (measure, land use, detail, value, provenance) tuples,
    a sum being rebuilt when one of its figures is ("rebuilt" sorts after "original")."""
    rows = IndicatorValue.objects.filter(release=release, territory_id__in=list(territory_ids))
    summed = rows.values("measure", "land_use", "detail").annotate(total=Sum("value"), rebuilt=Max("provenance"))
    return list(summed.order_by().values_list("measure", "land_use", "detail", "total", "rebuilt"))


@dataclass(frozen=True)
class TerritoryReads:
    """What a territory page reads of the stored figures."""

    results: dict[int, TerritoryResult]  # release id → the territory's result
    figures: dict[int, Figures]  # release id → the territory's figures (the shown release's with its series values)
    # compared territory id → (its quality level slug, its totals) in the shown release
    compared: dict[int, tuple[str, Figures]]


def territory_reads(
    territory: Territory, shown: Release, releases: list[Release], compared_ids: list[int], measures: Iterable[str]
) -> TerritoryReads:
    """The results and figures of ``territory`` in each of ``releases`` (``shown`` among them), and the quality level
    and totals of ``measures`` of the ``compared_ids`` territories that ``shown`` computed: two queries, whatever the
    number of releases and territories."""
    results = TerritoryResult.objects.filter(
        Q(territory=territory, release__in=releases) | Q(release=shown, territory__in=compared_ids, available=True)
    )
    own_results, levels = {}, {}
    for result in results:
        if result.territory_id == territory.pk:
            own_results[result.release_id] = result
        else:
            levels[result.territory_id] = result.quality_level
    rows = IndicatorValue.objects.filter(
        Q(territory=territory, release__in=releases)
        | Q(release=shown, territory__in=list(levels), measure__in=list(measures), land_use=TOTAL)
    )
    own_rows: dict[int, list] = defaultdict(list)
    compared_rows = []
    for release_id, territory_id, *row in fetch(rows.values_list("release_id", *VALUE_COLUMNS)):
        if territory_id == territory.pk:
            own_rows[release_id].append(row)
        else:
            compared_rows.append((territory_id, *row))
    series = territory_series(territory)
    return TerritoryReads(
        own_results,
        {r.pk: Figures(own_rows[r.pk], series=series if r == shown else None) for r in releases},
        _compared(levels, compared_rows),
    )


def figures_of(release: Release, territory_ids: Iterable[int], measures: Iterable[str] | None = None):
    """Territory id → its ``Figures`` (empty ``Figures`` for a territory without stored figures)."""
    ids = list(territory_ids)
    grouped: dict[int, list] = defaultdict(list)
    for territory_id, *row in value_rows(release, ids, measures):
        grouped[territory_id].append(row)
    return {territory_id: Figures(grouped[territory_id]) for territory_id in ids}


def totals_with_quality(release: Release, territory_ids: Iterable[int], measures: Iterable[str]) -> dict:
    """Territory id → (its quality level slug, ``Figures`` of its stored totals of ``measures``), for those of
    ``territory_ids`` that ``release`` computed: what a comparison of territories shows. Two plain queries: joined,
    PostgreSQL took longer to plan them than to run both."""
    levels = quality_levels(release, list(territory_ids))
    return _compared(levels, value_rows(release, list(levels), measures, land_uses=[TOTAL]))


def _compared(levels: dict[int, str], rows: Iterable[tuple]) -> dict[int, tuple[str, Figures]]:
    """Territory id → (its quality level slug from ``levels``, ``Figures`` of its ``rows``: (territory id, measure,
    land use, detail, value, provenance) tuples)."""
    grouped: dict[int, list] = defaultdict(list)
    for territory_id, *row in rows:
        grouped[territory_id].append(row)
    return {territory_id: (level, Figures(grouped[territory_id])) for territory_id, level in levels.items()}


def territory_figures(release: Release, territory: Territory) -> Figures:
    """One territory's stored figures for ``release``, with its values of the published indicator series: what its
    page, its files and the API build every indicator's table from."""
    rows = [row for _, *row in value_rows(release, [territory.pk])]
    return Figures(rows, series=territory_series(territory))


def values_frame(release: Release, territories, measures=None, land_uses=None) -> pd.DataFrame:
    """The same rows as a DataFrame, with each figure's unit (hedges: km or ha, as the release measures them)."""
    frame = pd.DataFrame.from_records(value_rows(release, territories, measures, land_uses), columns=VALUE_COLUMNS)
    frame["unit"] = [
        unit_of(measure, detail) for measure, detail in zip(frame["measure"], frame["detail"], strict=True)
    ]
    return frame


def land_use_frame(release: Release, territories, measures, land_uses=None) -> pd.DataFrame:
    """One figure per territory × measure × land use, as stored at import (``LandUseFigure``): the land use's
    undetailed row when it has one, else the sum of its details (reservoirs, components); ``rebuilt`` when a rebuilt
    row counted. Hedges stored in their own unit keep it in their land-use name ("haies (km)")."""
    return _land_use_figures({"": release}, territories, measures, land_uses)


def paired_land_use_frame(old: Release, new: Release, territories, measures, land_uses=None) -> pd.DataFrame:
    """The same figures for two releases side by side, in one pass over their rows: ``value_old``, ``value_new``
    (NaN where a release has no row for the key) and ``rebuilt`` (of the new figure)."""
    return _land_use_figures({"_old": old, "_new": new}, territories, measures, land_uses)


def _land_use_figures(releases: dict[str, Release], territories, measures, land_uses) -> pd.DataFrame:
    """``value<suffix>`` of each release of ``releases`` (suffix → release), and ``rebuilt`` of the last one."""
    keys = ["territory_id", "measure", "land_use"]
    measures, newest = list(measures), list(releases)[-1]
    # Plain reads of one release each, paired here (the database grouping two releases' rows was slower), without
    # the columns the query fixes: the measure when there is one, provenance but for the newest release.
    fixed_measure = measures[0] if len(measures) == 1 else None
    read = ["territory_id", "land_use"] if fixed_measure else keys
    frames = []
    for suffix, release in releases.items():
        rows = LandUseFigure.objects.filter(release=release, measure__in=measures)
        if territories is not None:  # None: every territory (no join)
            rows = rows.filter(territory__in=territories)
        if land_uses is not None:
            rows = rows.filter(land_use__in=list(land_uses))
        figures = ["value", "rebuilt"] if suffix == newest else ["value"]
        frame = pd.DataFrame(fetch(rows.values_list(*read, *figures)), columns=[*read, f"value{suffix}", *figures[1:]])
        # Numbers even when the release has no such figure (an older release without EU categories): no rows
        # would otherwise make an object column.
        frame[f"value{suffix}"] = frame[f"value{suffix}"].astype("float64")
        if fixed_measure:
            frame.insert(1, "measure", fixed_measure)
        frames.append(frame)
    *older, frame = frames  # provenance is read from the newest release (the last one given)
    for other in older:
        frame = _paired(frame, other, keys)
    frame["rebuilt"] = frame["rebuilt"].eq(True)  # False on the rows only an older release has
    return frame


def _paired(frame: pd.DataFrame, other: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` with the value column of ``other`` on the rows of the same keys, and the rows only ``other`` has
    (NaN for ``frame``'s values). The keys are numbered together first: matching numbers is several times faster than
    pandas' merge on text columns."""
    both = pd.concat([frame[keys], other[keys]], ignore_index=True)
    key = np.zeros(len(both), dtype=np.int64)
    for column in keys:
        codes, uniques = pd.factorize(both[column])
        key = key * len(uniques) + codes
    found = pd.Index(key[: len(frame)]).get_indexer(key[len(frame) :])
    (value,) = other.columns.difference([*keys, "rebuilt"])
    values = np.full(len(frame), np.nan)
    values[found[found >= 0]] = other[value].to_numpy()[found >= 0]
    only_other = other.loc[found < 0, [*keys, value]]
    return pd.concat([frame.assign(**{value: values}), only_other], ignore_index=True)


def export_frame(release: Release, kind: str | None = None, code: str | None = None) -> pd.DataFrame:
    """Tidy figures with their territory, for CSV exports and checks."""
    territories = Territory.objects.filter(results__release=release, results__available=True)
    if kind:
        territories = territories.filter(kind=kind)
    if code:
        territories = territories.filter(code=code)
    names = pd.DataFrame.from_records(
        territories.values_list("id", "kind", "code", "geography", "name"),
        columns=["territory_id", "territory_kind", "territory_code", "geography", "territory_name"],
    )
    figures = values_frame(release, territories)
    frame = names.merge(figures, on="territory_id")
    frame.insert(4, "release", release.slug)
    frame["quality_level"] = frame["territory_id"].map(quality_levels(release, territories))
    frame = frame.drop(columns="territory_id")
    return frame.sort_values(["territory_kind", "territory_code", "geography", "measure", "land_use", "detail"])
