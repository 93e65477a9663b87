"""Context of the indicator pages ("Les indicateurs") and of the home map: every EPCI on a map and in a table."""

from django.urls import reverse

from observatory.cache import shared_value
from territories import land_uses, vintages
from territories.models import Territory, TerritoryKind

from .. import quality, registry, selectors
from ..downloads.links import regional_links
from ..measures import DECIMALS, FLUX_COMPONENTS, RESERVOIRS, SOURCE
from ..models import Release
from ..numbers import describe_flux, format_with_unit
from ..registry import Indicator
from ..series.selectors import series_points, territories_with_values
from ..series.tables import series_tables
from .charts import epci_map, table_figure
from .html_tables import html_table, number_cell
from .territory import territory_url

AVAILABILITY = (
    "Données disponibles avec environ cinq ans de décalage (N+5) : occupation des sols 2018, flux 2012-2018."
)
UPDATE_FREQUENCY = "Tous les 3 à 6 ans, à chaque nouveau millésime de l'outil ALDO (ADEME)."
SCALE = (
    "Commune, intercommunalité (EPCI 2018 et EPCI actuels), département, région, parc naturel régional. "
    "ALDO n'est pas adapté aux territoires de moins d'une dizaine de communes."
)
# The default vintage first; labels name both years, as the URL names the vintage by its commune year.
GEOGRAPHY_CHOICES = [
    (vintage.code, vintage.label_with_years) for vintage in sorted(vintages.VINTAGES, key=lambda v: not v.is_default)
]


def geography_from(value: str | None) -> str:
    return value if value in vintages.CODES else vintages.CURRENT.code


OUTLINED_KINDS = (TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT)


def outlines_url(kind: str, geography: str) -> str:
    return reverse("pages:outlines", args=[kind, geography])


def outlines(kind: str, geography: str) -> dict:
    """GeoJSON FeatureCollection of the territories of ``kind`` and ``geography``, keyed by code in
    ``properties.code`` (EPCIs coloured on the maps, départements drawn over them as borders)."""

    def read() -> dict:
        territories = Territory.objects.filter(kind=kind, geography=geography, geometry__isnull=False)
        return {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"code": code}, "geometry": geometry}
                for code, geometry in territories.order_by("code").values_list("code", "geometry")
            ],
        }

    return shared_value(f"pages:outlines:{kind}:{geography}", read)


def _departement_codes(geography: str) -> list[str]:
    return list(
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, geography=geography, geometry__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _words(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "non disponible"
    text = format_with_unit(value, indicator.unit, DECIMALS[indicator.unit])
    return f"{text} : {describe_flux(value)}" if indicator.is_flux else text


def indicator_page(indicator: Indicator, release: Release | None, geography: str, group: str | None) -> dict:
    """Method facts, and for ``release`` a map and a sortable table of every EPCI of ``geography``."""
    perimeter = indicator.perimeter or (
        ("Composantes du flux", tuple(FLUX_COMPONENTS.values()))
        if indicator.is_flux
        else ("Réservoirs", tuple(RESERVOIRS.values()))
    )
    context = {
        "indicator": indicator,
        "scale": SCALE,
        "availability": AVAILABILITY,
        "update_frequency": UPDATE_FREQUENCY,
        "source": SOURCE,
        "perimeter_title": perimeter[0],
        "perimeter_details": list(perimeter[1]),
        "land_uses": [entry.label for entry in land_uses.LEVEL1],
        "geography": geography,
        "geography_choices": GEOGRAPHY_CHOICES,
        "groups": [(slug, land_uses.label(slug)) for slug in indicator.groups],
        "group": group if group in indicator.groups else None,
        "release": release,
        "releases": selectors.published_releases(),
        "map": None,
        "downloads": regional_links(release),
    }
    if release is not None:
        context.update(_epci_data(indicator, release, geography, context["group"]))
    return context


def _epci_data(indicator: Indicator, release: Release, geography: str, group: str | None) -> dict:
    decimals = DECIMALS[indicator.unit]
    epcis = list(
        Territory.objects.filter(kind=TerritoryKind.EPCI, geography=geography).defer("geometry").order_by("name")
    )
    levels = selectors.quality_levels(release, epcis)
    available = set(levels)
    figures = selectors.figures_of(release, sorted(available), indicator.measures)
    columns = [None, *indicator.groups]
    rows = []
    for epci in epcis:
        values = [indicator.value(figures[epci.pk], column) for column in columns] if epci.pk in available else None
        comparable = levels.get(epci.pk) != quality.INCOMPLETE.slug
        rows.append(
            {
                "territory": epci,
                "values": values,
                "level": quality.LEVELS.get(levels.get(epci.pk)),
                "comparable": comparable,
            }
        )
    mapped = columns.index(group)
    map_rows = [
        {
            "code": row["territory"].code,
            "name": row["territory"].name,
            "url": territory_url(row["territory"], release),
            "value": row["values"][mapped] if row["values"] else None,
            "comparable": row["comparable"],
        }
        for row in rows
    ]
    for row in map_rows:
        row["words"] = _words(indicator, row["value"])
        if not row["comparable"]:
            row["words"] += " — chiffres incomplets, hors de l'échelle de couleur"
    figure = epci_map(
        outlines_url(TerritoryKind.EPCI, geography),
        map_rows,
        unit=indicator.unit,
        decimals=decimals,
        diverging=indicator.is_flux,
        borders=(outlines_url(TerritoryKind.DEPARTEMENT, geography), _departement_codes(geography)),
    )
    return {
        "release_name": str(release),
        "map": figure,
        "map_label": "Total du territoire" if group is None else land_uses.label(group),
        "table": {
            "caption": f"{indicator.title} ({indicator.unit}) de chaque intercommunalité, millésime {release}",
            "head": ["Intercommunalité", "SIREN", "Total" if indicator.groups else f"Valeur ({indicator.unit})"]
            + [land_uses.label(g) for g in indicator.groups]
            + ["Qualité des chiffres"],
            "rows": [
                {
                    "name": row["territory"].name,
                    "code": row["territory"].code,
                    "url": territory_url(row["territory"], release),
                    # Incomplete figures are shown but left out of the ranking (no sort value: they stay last).
                    "cells": [
                        number_cell(value, decimals) | ({} if row["comparable"] else {"value": None})
                        for value in (row["values"] or [None] * len(columns))
                    ],
                    "level": row["level"],
                    "available": row["values"] is not None,
                }
                for row in rows
            ],
        },
        "n_unavailable": sum(1 for row in rows if row["values"] is None),
        "n_incomplete": sum(1 for row in rows if row["values"] is not None and not row["comparable"]),
    }


def home_map(release: Release | None) -> dict | None:
    """The home page map: today's EPCIs coloured by their stock per hectare, each linking to its page."""
    if release is None:
        return None
    page = indicator_page(registry.get("stock-carbone-hectare"), release, vintages.CURRENT.code, None)
    return {"figure": page["map"], "table": page["table"], "release_name": page["release_name"]}


def series_page(indicator: Indicator) -> dict:
    """A published series: what it is and where it comes from, then every value, as tables with their charts."""
    series = indicator.series
    meta = series.metadata
    return {
        "indicator": indicator,
        "meta": meta,
        "series": series,
        "geography_label": vintages.get(meta.geography).label,
        "tables": series_sections(meta, series_points(series.version_id, meta.geography)),
        "territories": [
            {"name": territory.name, "kind": territory.get_kind_display(), "url": territory.get_absolute_url()}
            for territory in territories_with_values(series.version_id, meta.geography)
        ],
    }


def series_sections(meta, points) -> list[dict]:
    """The tables of a whole series as a page shows them: title, chart (when the table is small enough) and table."""
    return [
        {
            "title": table.title,
            "figure": table_figure(table) if table.chart else None,
            "figure_id": f"figure-{meta.slug}-{position}",
            "table": html_table(table),
        }
        for position, table in enumerate(series_tables(meta, points), start=1)
    ]
