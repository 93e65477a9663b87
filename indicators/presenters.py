"""Page context of the territory figures, the indicator pages and the home map, built from selectors.

Indicator pages and the home map are cached here with ``version=generation()`` (publishing a release invalidates
them all at once); territory pages are cached whole by their view. Values are stored figures
(``IndicatorValue``); the only arithmetic is adding level-2 land uses into their level-1 group and shares.
"""

import math

import pandas as pd
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from observatory.cache import generation
from territories import land_uses, vintages
from territories.models import Territory, TerritoryKind
from territories.selectors import parents

from . import charts, selectors
from .catalog import FLUX_COMPONENTS, INDICATORS, RESERVOIRS, SIGN_CONVENTION, SOURCE, TOTAL, describe_flux
from .models import MEASURE_UNITS, Indicator, IndicatorValue, Measure, Release, TerritoryResult

CACHE_TIMEOUT = 24 * 3600  # also used by the templates' {% cache %} fragments
FEW_COMMUNES = 10
PEER_COUNT = 4
# Level-1 groups whose "area" is not a share of the territory (hedges are a length in CHANTERELLE, wood products
# have none): they are left out of area shares and of stock per hectare.
NOT_AN_AREA = {land_uses.level1_slug("haies"), land_uses.level1_slug("produits bois")}
MINUS = "\u2212"
NARROW_SPACE = "\u202f"

METHOD_NOTE = (
    "HETRE et CHANTERELLE reposent sur la même occupation des sols (Corine Land Cover 2018, changements 2012-2018) : "
    "leurs écarts viennent de la méthode, pas d'une évolution du territoire. CHANTERELLE calcule commune par commune "
    "(répartition des sols artificiels, nouvelles références de stocks des sols, haies en kilomètres de linéaire, "
    "potentiel de réchauffement du N2O de 273 au lieu de 298) alors que HETRE calcule par EPCI de 2018. "
    "Ne lisez pas l'écart entre deux millésimes comme une tendance."
)
AVAILABILITY = (
    "Données disponibles avec environ cinq ans de décalage (N+5) : occupation des sols 2018, flux 2012-2018."
)
UPDATE_FREQUENCY = "Tous les 3 à 6 ans, à chaque nouveau millésime de l'outil ALDO (ADEME)."
SCALE = (
    "Commune, intercommunalité (EPCI 2018 et EPCI actuels), département, région, parc naturel régional. "
    "ALDO n'est pas adapté aux territoires de moins d'une dizaine de communes."
)


# --- formatting ------------------------------------------------------------------------------------------------


def format_number(value: float | None, decimals: int = 0) -> str:
    """French figure: narrow no-break space between thousands, decimal comma, true minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{abs(value):,.{decimals}f}".replace(",", NARROW_SPACE).replace(".", ",")
    return f"{MINUS}{text}" if round(value, decimals) < 0 else text


def format_percent(share: float) -> str:
    return f"{format_number(100 * share, 1)}\u00a0%"


def describe_stock(value_tc: float) -> str:
    if value_tc >= 1e6:
        return f"{format_number(value_tc / 1e6, 2)} millions de tonnes de carbone"
    return f"{format_number(value_tc / 1e3, 1)} milliers de tonnes de carbone"


def _enumerate(parts: list[str]) -> str:
    """Join as French prose: « a », « a et b », « a, b et c »."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _cell(value: float | None, decimals: int = 0) -> dict:
    return {"text": format_number(value, decimals), "value": None if value is None else round(value, decimals)}


def flux_words(value: float) -> str:
    return "séquestration" if value < 0 else "émission" if value > 0 else "nul"


# --- URLs ------------------------------------------------------------------------------------------------------


def territory_url(territory: Territory, release: Release | None = None) -> str:
    """Shareable page URL, naming the release unless it is the current one."""
    url = territory.get_absolute_url()
    if release is None or release.is_current:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'millesime': release.slug})}"


def indicator_url(slug: str) -> str:
    return reverse("indicators:detail", args=[slug])


# --- stored figures as tables ----------------------------------------------------------------------------------


def _level2_order(slugs) -> list[str]:
    return sorted(slugs, key=lambda slug: (land_uses.ORDER.get(slug, 999), slug))


def _group_of(slug: str) -> str:
    return land_uses.PARENT_OF.get(slug, slug)


class StoredFigures:
    """The stored figures of one territory and release, read as land use × detail tables."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        # Split once: a page asks for the same measures and totals dozens of times.
        self._by_measure = {measure: rows for measure, rows in frame.groupby("measure")}
        totals = frame[(frame["land_use"] == TOTAL) & (frame["detail"] == "")]
        self._totals = dict(zip(totals["measure"], totals["value"], strict=True))

    def _rows(self, measure: str) -> pd.DataFrame:
        return self._by_measure.get(measure, self.frame.iloc[0:0])

    def by_land_use(self, measure: str) -> pd.Series:
        """Level-2 land use → value (summed over details), totals excluded."""
        rows = self._rows(measure)
        rows = rows[rows["land_use"] != TOTAL]
        if measure == Measure.STOCK_PER_HECTARE:
            rows = rows[rows["detail"] == ""]
        series = rows.groupby("land_use")["value"].sum()
        return series.reindex(_level2_order(series.index))

    def by_detail(self, measure: str) -> pd.DataFrame:
        """Level-2 land use × detail (reservoir or component), totals excluded, zero when not stored."""
        rows = self._rows(measure)
        rows = rows[(rows["land_use"] != TOTAL) & (rows["detail"] != "")]
        table = rows.groupby(["land_use", "detail"])["value"].sum().unstack("detail", fill_value=0.0)
        return table.reindex(_level2_order(table.index))

    def total(self, measure: str) -> float:
        """The stored territory total, or the sum of the land uses when no total row was stored (zero)."""
        if measure in self._totals:
            return float(self._totals[measure])
        if measure == Measure.STOCK_PER_HECTARE:
            area = self.total(Measure.AREA)
            return self.total(Measure.STOCK) / area if area else 0.0
        return float(self.by_land_use(measure).sum())


def _ordered_details(columns, labels: dict[str, str]) -> list[str]:
    known = [key for key in labels if key in columns]
    return known + sorted(key for key in columns if key not in labels)


def _table(caption: str, head: list[str], rows: list[dict], total: dict | None = None) -> dict:
    return {"caption": caption, "head": head, "rows": rows, "total": total}


# --- territory page --------------------------------------------------------------------------------------------


def territory_figures(territory: Territory, release: Release | None) -> dict:
    """Everything the territory page shows for ``release`` (the page itself is cached whole by its view)."""
    if release is None:
        return {"release": None}
    result = selectors.territory_result(release, territory)
    context = {
        "release": {"slug": release.slug, "name": str(release), "rule_set": release.get_rule_set_display()},
        "source": SOURCE,
        "releases": [
            {"slug": r.slug, "name": str(r), "selected": r.pk == release.pk} for r in selectors.published_releases()
        ],
        "available": bool(result and result.available),
        "unavailable_reason": (
            result.unavailable_reason
            if result
            else "Ce territoire n'a pas été calculé pour ce millésime (il n'existait pas dans les données importées)."
        ),
        "caveats": _caveats(territory, result),
        "computed_from": f"{result.n_units} {result.computed_from}" if result and result.n_units else "",
    }
    if not context["available"]:
        return context
    figures = StoredFigures(selectors.values_frame(release, [territory.pk]))
    context["key_figures"] = _key_figures(figures)
    context["land_use_shares"] = _land_use_shares(figures)
    context["indicators"] = [
        _stock_section(figures),
        _stock_by_land_use_section(figures),
        _stock_per_hectare_section(figures),
        _flux_section(figures),
        _flux_by_land_use_section(figures),
    ]
    context["comparison"] = _comparison(territory, release)
    context["release_comparison"] = _release_comparison(territory)
    return context


def _caveats(territory: Territory, result: TerritoryResult | None) -> list[str]:
    caveats = []
    n_communes = 1 if territory.kind == TerritoryKind.COMMUNE else territory.memberships.count()
    if 0 < n_communes < FEW_COMMUNES:
        caveats.append(
            f"Ce territoire compte {n_communes} commune{'s' if n_communes > 1 else ''}. En dessous d'une dizaine de "
            "communes, l'ADEME prévient qu'ALDO n'est pas l'outil adéquat : les valeurs de référence sont des "
            "moyennes régionales, prenez ces chiffres comme des ordres de grandeur."
        )
    if territory.kind == TerritoryKind.EPCI and (territory.attributes or {}).get("interregional"):
        caveats.append(
            "Cette intercommunalité s'étend au-delà des Hauts-de-France : ses chiffres couvrent tout son périmètre, "
            "communes hors région comprises."
        )
    if result and result.available and result.has_rebuilt_inputs:
        caveats.append(
            "Une partie des données d'entrée de ce millésime a été reconstituée (données ALDO non publiées, "
            "comme les surfaces forestières par commune) : les chiffres concernés sont approchés."
        )
    return caveats


def _key_figures(figures: StoredFigures) -> dict:
    stock, area = figures.total(Measure.STOCK), figures.total(Measure.AREA)
    per_hectare, flux = figures.total(Measure.STOCK_PER_HECTARE), figures.total(Measure.FLUX)
    return {
        "stock": {"text": format_number(stock), "unit": MEASURE_UNITS[Measure.STOCK], "words": describe_stock(stock)},
        "area": {"text": format_number(area), "unit": MEASURE_UNITS[Measure.AREA]},
        "stock_per_hectare": {"text": format_number(per_hectare, 1), "unit": MEASURE_UNITS[Measure.STOCK_PER_HECTARE]},
        "flux": {
            "text": format_number(flux),
            "unit": MEASURE_UNITS[Measure.FLUX],
            "words": describe_flux(flux),
            "is_sequestration": flux < 0,
        },
    }


def _by_group(series: pd.Series) -> pd.Series:
    grouped = series.groupby(series.index.map(_group_of)).sum()
    return grouped.reindex(sorted(grouped.index, key=lambda slug: land_uses.ORDER.get(slug, 999)))


def _land_use_shares(figures: StoredFigures) -> dict:
    stock = _by_group(figures.by_land_use(Measure.STOCK))
    area = _by_group(figures.by_land_use(Measure.AREA)).drop(labels=list(NOT_AN_AREA), errors="ignore")
    stock_total, area_total = stock.sum(), area.sum()
    rows = []
    for group in _level2_order(set(stock.index) | set(area.index)):
        group_area = area.get(group)
        rows.append(
            {
                "label": land_uses.label(group),
                "cells": [
                    {
                        "text": format_percent(group_area / area_total)
                        if group_area is not None and area_total
                        else "—",
                        "value": None,
                    },
                    {
                        "text": format_percent(stock.get(group, 0.0) / stock_total) if stock_total else "—",
                        "value": None,
                    },
                ],
            }
        )
    return _table(
        "Part de chaque occupation des sols dans la surface et dans le stock de carbone du territoire",
        ["Occupation des sols", "Part de la surface", "Part du stock de carbone"],
        rows,
    )


def _section(slug: str, figure: dict, text: str, table: dict) -> dict:
    info = INDICATORS[slug]
    return {
        "slug": slug,
        "title": info.title,
        "unit": info.unit,
        "figure": figure,
        "figure_id": f"figure-{slug}",
        "text": text,
        "table": table,
        "method_url": indicator_url(slug),
    }


def _stock_section(figures: StoredFigures) -> dict:
    unit = MEASURE_UNITS[Measure.STOCK]
    by_reservoir = figures.by_detail(Measure.STOCK).sum()
    total = figures.total(Measure.STOCK)
    reservoirs = [
        (key, RESERVOIRS.get(key, key), float(by_reservoir[key]))
        for key in _ordered_details(by_reservoir.index, RESERVOIRS)
    ]
    reservoirs = [row for row in reservoirs if row[2]]
    rows = [
        {
            "label": label,
            "cells": [_cell(value), {"text": format_percent(value / total) if total else "—", "value": None}],
        }
        for _, label, value in reservoirs
    ]
    largest = max(reservoirs, key=lambda row: row[2], default=None)
    text = f"Le territoire stocke {format_number(total)} {unit}, soit {describe_stock(total)}."
    if largest and total:
        text += f" Le premier réservoir est « {largest[1]} », avec {format_percent(largest[2] / total)} du stock."
    table = _table(
        f"Stock de carbone par réservoir ({unit})",
        ["Réservoir", f"Stock ({unit})", "Part du stock"],
        rows,
        {"label": "Total", "cells": [_cell(total), {"text": "100\u00a0%" if total else "—", "value": None}]},
    )
    return _section(Indicator.STOCK, charts.stock_by_reservoir(reservoirs, unit), text, table)


def _stock_by_land_use_section(figures: StoredFigures) -> dict:
    unit = MEASURE_UNITS[Measure.STOCK]
    table = figures.by_detail(Measure.STOCK)
    table = table[table.sum(axis=1) != 0]
    reservoirs = _ordered_details(table.columns, RESERVOIRS)
    labels = [land_uses.label(slug) for slug in table.index]
    totals = table.sum(axis=1)
    total = figures.total(Measure.STOCK)
    rows = [
        {
            "label": land_uses.label(slug),
            "cells": [_cell(table.at[slug, r]) for r in reservoirs] + [_cell(totals[slug])],
        }
        for slug in table.index
    ]
    groups = _by_group(totals).sort_values(ascending=False).head(3)
    parts = [
        f"{land_uses.label(group).lower()} ({format_percent(value / total)})"
        for group, value in groups.items()
        if total
    ]
    text = "Le stock se répartit surtout entre " + _enumerate(parts) + "." if parts else ""
    figure = charts.stock_by_land_use(
        labels, [(r, RESERVOIRS.get(r, r), [float(v) for v in table[r]]) for r in reservoirs], unit
    )
    data = _table(
        f"Stock de carbone par occupation des sols et par réservoir ({unit})",
        ["Occupation des sols", *(RESERVOIRS.get(r, r) for r in reservoirs), "Total"],
        rows,
        {"label": "Total", "cells": [_cell(table[r].sum()) for r in reservoirs] + [_cell(total)]},
    )
    return _section(Indicator.STOCK_BY_LAND_USE, figure, text, data)


def _stock_per_hectare_section(figures: StoredFigures) -> dict:
    unit = MEASURE_UNITS[Measure.STOCK_PER_HECTARE]
    per_hectare = figures.by_land_use(Measure.STOCK_PER_HECTARE)
    area = figures.by_land_use(Measure.AREA)
    # ALDO gives a reference density even for land uses absent from the territory; only present ones are shown.
    per_hectare = per_hectare[(per_hectare != 0) & (area.reindex(per_hectare.index).fillna(0) > 0)]
    average = figures.total(Measure.STOCK_PER_HECTARE)
    rows = [
        {"label": land_uses.label(slug), "cells": [_cell(area.get(slug)), _cell(value, 1)]}
        for slug, value in per_hectare.items()
    ]
    text = f"Un hectare du territoire stocke en moyenne {format_number(average, 1)} {unit}."
    if not per_hectare.empty:
        richest, poorest = per_hectare.idxmax(), per_hectare.idxmin()
        text += (
            f" L'occupation la plus riche en carbone est « {land_uses.label(richest)} » "
            f"({format_number(per_hectare[richest], 1)} {unit}), la plus pauvre « {land_uses.label(poorest)} » "
            f"({format_number(per_hectare[poorest], 1)} {unit})."
        )
    figure = charts.stock_per_hectare(
        [
            (land_uses.label(slug), float(value), land_uses.COLORS.get(slug, "#777777"))
            for slug, value in per_hectare.items()
        ],
        average,
        unit,
    )
    data = _table(
        f"Stock de carbone par hectare de chaque occupation des sols ({unit})",
        ["Occupation des sols", "Surface (ha)", f"Stock par hectare ({unit})"],
        rows,
        {"label": "Moyenne du territoire", "cells": [_cell(figures.total(Measure.AREA)), _cell(average, 1)]},
    )
    return _section(Indicator.STOCK_PER_HECTARE, figure, text, data)


def _flux_components(figures: StoredFigures) -> pd.Series:
    by_component = figures.by_detail(Measure.FLUX).sum()
    return by_component.reindex([key for key in FLUX_COMPONENTS if key in by_component.index])


def _flux_section(figures: StoredFigures) -> dict:
    unit = MEASURE_UNITS[Measure.FLUX]
    components = _flux_components(figures)
    components = components[components != 0]
    total = figures.total(Measure.FLUX)
    rows = [
        {"label": FLUX_COMPONENTS[key], "cells": [_cell(value), {"text": flux_words(value), "value": None}]}
        for key, value in components.items()
    ]
    text = f"Le territoire présente une {describe_flux(total)}." if total else "Le flux net du territoire est nul."
    sinks, sources = components[components < 0], components[components > 0]
    if not sinks.empty:
        text += f" Le premier puits est « {FLUX_COMPONENTS[sinks.idxmin()]} » ({format_number(sinks.min())} {unit})"
        text += "." if sources.empty else ","
    if not sources.empty:
        text += (
            f"{' la' if not sinks.empty else ' La'} première source « {FLUX_COMPONENTS[sources.idxmax()]} » "
            f"({format_number(sources.max())} {unit})."
        )
    figure = charts.flux_by_component(
        [(FLUX_COMPONENTS[key], float(value)) for key, value in components.items()], unit
    )
    data = _table(
        f"Flux annuel de carbone par composante ({unit}, séquestration négative)",
        ["Composante", f"Flux ({unit})", "Sens"],
        rows,
        {"label": "Flux net", "cells": [_cell(total), {"text": flux_words(total), "value": None}]},
    )
    return _section(Indicator.FLUX, figure, text, data)


def _flux_by_land_use_section(figures: StoredFigures) -> dict:
    unit = MEASURE_UNITS[Measure.FLUX]
    table = figures.by_detail(Measure.FLUX)
    components = [key for key in FLUX_COMPONENTS if key in table.columns]
    table = table[components]
    table = table[(table != 0).any(axis=1)]
    totals = table.sum(axis=1)
    rows = [
        {
            "label": land_uses.label(slug),
            "cells": [_cell(table.at[slug, c]) for c in components]
            + [_cell(totals[slug]), {"text": flux_words(round(totals[slug])), "value": None}],
        }
        for slug in table.index
    ]
    groups = _by_group(totals)
    text_parts = []
    if (groups < 0).any():
        text_parts.append(
            f"Les {land_uses.label(groups.idxmin()).lower()} séquestrent le plus "
            f"({format_number(groups.min())} {unit})"
        )
    if (groups > 0).any():
        text_parts.append(
            f"les {land_uses.label(groups.idxmax()).lower()} émettent le plus ({format_number(groups.max())} {unit})"
        )
    text = (" ; ".join(text_parts) + ".") if text_parts else "Aucun flux n'est rattaché aux occupations des sols."
    text = text[0].upper() + text[1:]
    total = figures.total(Measure.FLUX)
    figure = charts.flux_by_land_use(
        [land_uses.label(slug) for slug in table.index],
        [(c, FLUX_COMPONENTS[c], [float(v) for v in table[c]]) for c in components],
        unit,
    )
    data = _table(
        f"Flux annuel de carbone par occupation des sols et par composante ({unit}, séquestration négative)",
        ["Occupation des sols", *(FLUX_COMPONENTS[c] for c in components), "Flux net", "Sens"],
        rows,
        {
            "label": "Total",
            "cells": [_cell(table[c].sum()) for c in components]
            + [_cell(total), {"text": flux_words(total), "value": None}],
        },
    )
    return _section(Indicator.FLUX_BY_LAND_USE, figure, text, data)


def _totals_by_territory(release: Release, territory_ids: list[int]) -> dict[int, StoredFigures]:
    frame = selectors.values_frame(release, territory_ids)
    return {pk: StoredFigures(frame[frame["territory_id"] == pk]) for pk in territory_ids}


def _peers(territory: Territory, release: Release) -> list[Territory]:
    """Territories of the same kind in the same département, closest in population, computed for ``release``."""
    attributes = territory.attributes or {}
    candidates = (
        Territory.objects.filter(kind=territory.kind, geography=territory.geography, in_region=True)
        .filter(results__release=release, results__available=True)
        .exclude(pk=territory.pk)
        .defer("geometry")
    )
    departement = attributes.get("departement") or attributes.get("departement_siege")
    if territory.kind == TerritoryKind.COMMUNE:
        candidates = candidates.filter(attributes__departement=departement)
    elif territory.kind == TerritoryKind.EPCI:
        candidates = candidates.filter(attributes__departement_siege=departement)
    population = territory.population or 0
    return sorted(candidates, key=lambda t: (abs((t.population or 0) - population), t.name))[:PEER_COUNT]


def _comparison(territory: Territory, release: Release) -> dict:
    enclosing = [
        t
        for t in parents(territory)
        if t.kind in (TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT, TerritoryKind.REGION)
    ]
    peers = _peers(territory, release)
    others = [(t, "Territoire englobant") for t in enclosing] + [(t, "Territoire comparable") for t in peers]
    computed = set(
        TerritoryResult.objects.filter(
            release=release, available=True, territory__in=[t for t, _ in others]
        ).values_list("territory_id", flat=True)
    )
    others = [(t, role) for t, role in others if t.pk in computed]
    rows_of = [(territory, "Ce territoire")] + others
    figures = _totals_by_territory(release, [t.pk for t, _ in rows_of])
    rows = []
    for other, role in rows_of:
        stored = figures[other.pk]
        flux = stored.total(Measure.FLUX)
        rows.append(
            {
                "name": other.name,
                "url": None if other.pk == territory.pk else territory_url(other, release),
                "kind": other.get_kind_display(),
                "role": role,
                "cells": [
                    _cell(stored.total(Measure.STOCK)),
                    _cell(stored.total(Measure.AREA)),
                    _cell(stored.total(Measure.STOCK_PER_HECTARE), 1),
                    _cell(flux),
                    {"text": flux_words(flux), "value": None},
                ],
            }
        )
    return {
        "caption": "Chiffres clés du territoire, de ses territoires englobants et de territoires comparables",
        "head": [
            "Territoire",
            "Type",
            "Stock (tC)",
            "Surface (ha)",
            "Stock par hectare (tC/ha)",
            "Flux net (tCO2e/an)",
            "Sens",
        ],
        "rows": rows,
        "peers_rule": (
            "Territoires comparables : même type, même département, population la plus proche." if peers else ""
        ),
    }


def _release_comparison(territory: Territory) -> dict | None:
    releases = list(selectors.published_releases())
    if len(releases) < 2:
        return None
    results = {r.release_id: r for r in TerritoryResult.objects.filter(release__in=releases, territory=territory)}
    rows = []
    for release in releases:
        result = results.get(release.pk)
        if not (result and result.available):
            rows.append({"name": str(release), "method": release.get_rule_set_display(), "cells": None})
            continue
        stored = StoredFigures(
            selectors.values_frame(
                release, [territory.pk], [Measure.STOCK, Measure.AREA, Measure.STOCK_PER_HECTARE, Measure.FLUX]
            )
        )
        flux = stored.total(Measure.FLUX)
        rows.append(
            {
                "name": str(release),
                "method": release.get_rule_set_display(),
                "cells": [
                    _cell(stored.total(Measure.STOCK)),
                    _cell(stored.total(Measure.STOCK_PER_HECTARE), 1),
                    _cell(flux),
                    {"text": flux_words(flux), "value": None},
                ],
            }
        )
    return {
        "caption": "Chiffres clés de ce territoire selon chaque millésime publié",
        "head": ["Millésime", "Méthode", "Stock (tC)", "Stock par hectare (tC/ha)", "Flux net (tCO2e/an)", "Sens"],
        "rows": rows,
        "note": METHOD_NOTE,
    }


# --- indicator pages and maps ----------------------------------------------------------------------------------

GEOGRAPHY_CHOICES = [
    (vintages.CURRENT.code, "EPCI actuels (2025)"),
    (vintages.ALDO.code, "EPCI de 2018 (ALDO)"),
]
INDICATOR_MEASURES = {
    Measure.STOCK: [Measure.STOCK],
    Measure.STOCK_PER_HECTARE: [Measure.STOCK, Measure.AREA, Measure.STOCK_PER_HECTARE],
    Measure.FLUX: [Measure.FLUX],
}


def geography_from(value: str | None) -> str:
    return value if value in vintages.CODES else vintages.CURRENT.code


def outlines_url(geography: str) -> str:
    return reverse("indicators:outlines", args=[geography])


def epci_outlines(geography: str) -> dict:
    """GeoJSON FeatureCollection of the EPCIs of ``geography``, keyed by SIREN in ``properties.code``."""
    key = f"indicators:outlines:{geography}"
    collection = cache.get(key, version=generation())
    if collection is None:
        territories = Territory.objects.filter(kind=TerritoryKind.EPCI, geography=geography, geometry__isnull=False)
        collection = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"code": code}, "geometry": geometry}
                for code, geometry in territories.order_by("code").values_list("code", "geometry")
            ],
        }
        cache.set(key, collection, timeout=CACHE_TIMEOUT, version=generation())
    return collection


def _by_territory_and_group(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Territory × level-1 group sums of ``measure`` (land-use rows only), zero when not stored."""
    rows = frame[(frame["measure"] == measure) & (frame["land_use"] != TOTAL)]
    if measure == Measure.STOCK_PER_HECTARE:
        rows = rows[rows["detail"] == ""]
    grouped = rows.assign(group=rows["land_use"].map(_group_of)).groupby(["territory_id", "group"])["value"].sum()
    return grouped.unstack(fill_value=0.0)


def _stored_totals(frame: pd.DataFrame, measure: str) -> pd.Series:
    """Territory → stored total of ``measure``; for territories without a total row, the sum of the land uses."""
    rows = frame[frame["measure"] == measure]
    stored = rows[(rows["land_use"] == TOTAL) & (rows["detail"] == "")].groupby("territory_id")["value"].first()
    if measure == Measure.STOCK_PER_HECTARE:
        fallback = _stored_totals(frame, Measure.STOCK) / _stored_totals(frame, Measure.AREA).replace(0, float("nan"))
    else:
        fallback = rows[rows["land_use"] != TOTAL].groupby("territory_id")["value"].sum()
    return stored.combine_first(fallback)


def _indicator_columns(frame: pd.DataFrame, measure: str, groups: list[str]) -> pd.DataFrame:
    """Territory × [total, *groups]; stock per hectare of a group is its stock over its area."""
    columns = {TOTAL: _stored_totals(frame, measure)}
    if groups:
        if measure == Measure.STOCK_PER_HECTARE:
            stock = _by_territory_and_group(frame, Measure.STOCK)
            area = _by_territory_and_group(frame, Measure.AREA).replace(0, float("nan"))
            values = stock.div(area)
        else:
            values = _by_territory_and_group(frame, measure)
        for group in groups:
            columns[group] = values[group] if group in values.columns else pd.Series(0.0, index=values.index)
    return pd.DataFrame(columns)


def _value_words(measure: str, value: float | None, unit: str, decimals: int) -> str:
    if value is None:
        return "non disponible"
    if measure == Measure.FLUX:
        return f"{format_number(value, decimals)} {unit} : {describe_flux(value)}"
    return f"{format_number(value, decimals)} {unit}"


def _epci_rows(release: Release, geography: str, measure: str, groups: list[str]) -> list[dict]:
    """Every EPCI of ``geography`` with its total and group values (None when not computed for ``release``)."""
    epcis = list(
        Territory.objects.filter(kind=TerritoryKind.EPCI, geography=geography).defer("geometry").order_by("name")
    )
    available = set(
        TerritoryResult.objects.filter(release=release, territory__in=epcis, available=True).values_list(
            "territory_id", flat=True
        )
    )
    rows = IndicatorValue.objects.filter(
        release=release, territory_id__in=available, measure__in=INDICATOR_MEASURES[measure]
    )
    columns = ["territory_id", "measure", "land_use", "detail", "value"]
    frame = pd.DataFrame.from_records(rows.values_list(*columns), columns=columns)
    table = _indicator_columns(frame, measure, groups).reindex(list(available)).fillna({TOTAL: 0.0})
    result = []
    for epci in epcis:
        values = None
        if epci.pk in available:
            values = [None if pd.isna(v) else float(v) for v in table.loc[epci.pk, [TOTAL, *groups]]]
        result.append({"territory": epci, "values": values})
    return result


def indicator_page(slug: str, release: Release | None, geography: str, group: str | None) -> dict:
    """Context of an indicator page: map and sortable table of every EPCI of ``geography`` for ``release``."""
    info = INDICATORS[slug]
    context = {
        "indicator": info,
        "sign_convention": SIGN_CONVENTION if info.is_flux else "",
        "scale": SCALE,
        "availability": AVAILABILITY,
        "update_frequency": UPDATE_FREQUENCY,
        "source": SOURCE,
        "perimeter_details": list((FLUX_COMPONENTS if info.is_flux else RESERVOIRS).values()),
        "perimeter_title": "Composantes du flux" if info.is_flux else "Réservoirs",
        "land_uses": [entry.label for entry in land_uses.LEVEL1],
        "geography": geography,
        "geography_choices": GEOGRAPHY_CHOICES,
        "groups": [(entry.slug, entry.label) for entry in land_uses.LEVEL1] if info.by_land_use else [],
        "group": group,
        "map": None,
    }
    if release is None:
        return context
    key = f"indicators:indicator:{slug}:{release.pk}:{geography}:{group}"
    version = generation()
    data = cache.get(key, version=version)
    if data is None:
        data = _indicator_data(info, release, geography, group)
        data["fragment_key"] = f"{slug}:{release.pk}:{geography}:{group}:{version}"
        cache.set(key, data, timeout=CACHE_TIMEOUT, version=version)
    context.update(data)
    return context


def _indicator_data(info, release: Release, geography: str, group: str | None) -> dict:
    decimals = 1 if info.measure == Measure.STOCK_PER_HECTARE else 0
    groups = [entry.slug for entry in land_uses.LEVEL1] if info.by_land_use else []
    if info.measure == Measure.STOCK_PER_HECTARE:
        groups = [g for g in groups if g not in NOT_AN_AREA]
    rows = _epci_rows(release, geography, info.measure, groups)
    mapped = groups.index(group) + 1 if group in groups else 0
    map_label = "Total du territoire" if mapped == 0 else land_uses.label(group)
    table_rows = []
    for row in rows:
        territory, values = row["territory"], row["values"]
        table_rows.append(
            {
                "name": territory.name,
                "code": territory.code,
                "url": territory_url(territory, release),
                "cells": [_cell(v, decimals) for v in values]
                if values
                else [_cell(None) for _ in range(len(groups) + 1)],
                "available": values is not None,
            }
        )
    map_value = [row["values"][mapped] if row["values"] else None for row in rows]
    figure = charts.epci_map(
        outlines_url(geography),
        [row["territory"].code for row in rows],
        [row["territory"].name for row in rows],
        map_value,
        [territory_url(row["territory"], release) for row in rows],
        unit=info.unit,
        decimals=decimals,
        diverging=info.is_flux,
        value_words=[_value_words(info.measure, value, info.unit, decimals) for value in map_value],
    )
    return {
        "release_name": str(release),
        "map": figure,
        "map_label": map_label,
        "table": {
            "caption": f"{info.title} ({info.unit}) de chaque intercommunalité, millésime {release}",
            "head": ["Intercommunalité", "SIREN", "Total" if groups else f"Valeur ({info.unit})"]
            + [land_uses.label(g) for g in groups],
            "rows": table_rows,
        },
        "n_unavailable": sum(1 for row in table_rows if not row["available"]),
    }


def home_map(release: Release | None) -> dict | None:
    """The home page map: today's EPCIs coloured by their stock per hectare, each linking to its page."""
    if release is None:
        return None
    page = indicator_page(Indicator.STOCK_PER_HECTARE, release, vintages.CURRENT.code, None)
    return {
        "figure": page["map"],
        "table": page["table"],
        "release_name": page["release_name"],
        "fragment_key": page["fragment_key"],
    }
