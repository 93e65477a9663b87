"""Context of the "Mon territoire" page: the territory, its parents and vintages, and its carbon figures."""

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import urlencode

from territories import selectors as places
from territories import vintages
from territories.models import Territory, TerritoryKind

from .. import groupings, quality, registry, selectors
from ..aldo import COMPARISON_NOTE
from ..area_tables import land_use_share_table
from ..downloads.links import territory_links
from ..measures import AREA, FLUX, SOURCE, STOCK, STOCK_PER_HECTARE, direction
from ..models import Release
from ..numbers import describe_flux, describe_stock, format_number, signed_number
from .charts import table_figure
from .frames import frames_context
from .html_tables import html_table
from .scenario import scenario_link

EPCI_NATURES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "ME": "Métropole",
    "METRO": "Métropole",
}
MAX_LISTED_MEMBERS = 1000
PEER_COUNT = 4


def territory_url(territory: Territory, release: Release | None = None) -> str:
    """Shareable page URL, naming the release unless it is the current one."""
    url = territory.get_absolute_url()
    if release is None or release.is_current:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'millesime': release.slug})}"


def page_context(territory: Territory, release: Release | None, requested_geography: str | None) -> dict:
    """Everything the page shows; it depends on the URL only (no user, no form token), hence cacheable whole."""
    members, member_count = [], 0
    if territory.kind != TerritoryKind.COMMUNE:
        # The list names and links each member, nothing more; it is counted apart only when too long to be shown.
        found = places.members(territory).only("kind", "code", "geography", "name", "in_region")
        members = list(found[: MAX_LISTED_MEMBERS + 1])
        member_count = found.count() if len(members) > MAX_LISTED_MEMBERS else len(members)
    parents = places.parents(territory)
    return {
        "territory": territory,
        "geography_label": territory.vintage.short_label,
        "requested_missing": requested_geography is not None and requested_geography != territory.geography,
        "requested_geography_label": vintages.get(requested_geography).short_label if requested_geography else "",
        "parents": parents,
        "subdivisions": places.subdivisions(territory),
        "counterpart": places.counterpart(territory),
        "member_count": member_count,
        "members_html": _members_html(members) if member_count <= MAX_LISTED_MEMBERS else "",
        "members_truncated": member_count > MAX_LISTED_MEMBERS,
        "epci_nature": EPCI_NATURES.get((territory.attributes or {}).get("nature", ""), ""),
        "is_current": territory.geography == vintages.CURRENT.code,
        "figures": figures_context(territory, release, parents),
    }


def _members_html(members: list[Territory]) -> str:
    """The list items of the member communes, built here: an EPCI has up to a hundred, a PNR several hundred, which
    the template language renders several times slower."""
    return format_html_join(
        "\n",
        '<li><a href="{}">{}</a> <code>{}</code>{}</li>',
        (
            (
                member.get_absolute_url(),
                member.name,
                member.code,
                "" if member.in_region else " (hors Hauts-de-France)",
            )
            for member in members
        ),
    )


def figures_context(territory: Territory, release: Release | None, parents: list[Territory]) -> dict:
    """The carbon figures of ``territory`` for ``release``: key figures, one section per indicator, comparisons
    with its ``parents`` and similar territories."""
    if release is None:
        return {"release": None}
    releases = [r for r in selectors.published_releases() if r.pk != release.pk] + [release]
    others = compared_territories(territory, release, parents)
    reads = selectors.territory_reads(territory, release, releases, [t.pk for t, _ in others], COMPARED_MEASURES)
    result = reads.results.get(release.pk)
    context = {
        **release_context(release),
        "available": bool(result and result.available),
        "unavailable_reason": (
            result.unavailable_reason
            if result
            else "Ce territoire n'a pas été calculé pour ce millésime (il n'existait pas dans les données importées)."
        ),
        "quality": quality.assessment(result),
        "caveats": quality.caveats(territory, result),
        "reliable_parent": _reliable_parent(territory, result, parents),
        "computed_from": result.computed_from_text if result and result.available else "",
        "grouping": {"warnings": groupings.territory_warnings(territory)},
    }
    if not context["available"]:
        return context
    figures = reads.figures[release.pk]
    context.update(figure_sections(figures, territory, release))
    context.update(frames_context(figures))
    context["comparison"] = comparison_context(
        territory, release, others, reads.compared, figures, result.quality_level
    )
    context["release_comparison"] = _release_comparison(territory, reads.results, reads.figures)
    context["scenario"] = scenario_link(territory, release)
    return context


def _reliable_parent(territory: Territory, result, parents: list[Territory]) -> dict | None:
    """For a commune whose figures are estimates: an intercommunality whose figures are reliable, where the shared
    totals are exact: its own, else the 2018 one of ALDO's computation (today's may itself be an estimate)."""
    assessed = quality.assessment(result)
    if territory.kind != TerritoryKind.COMMUNE or assessed is None or assessed.level != quality.ESTIMATE:
        return None
    own = [parent for parent in parents if parent.kind == TerritoryKind.EPCI]
    epci = selectors.reliable_intercommunality(result.release_id, territory, own)
    return {"name": epci.name, "url": epci.get_absolute_url()} if epci else None


def release_context(release: Release) -> dict:
    """The release shown, its source, and the published ones a reader can switch to."""
    return {
        "release": {"slug": release.slug, "name": str(release), "method": release.method_label},
        "source": SOURCE,
        "releases": [
            {"slug": r.slug, "name": str(r), "selected": r.pk == release.pk} for r in selectors.published_releases()
        ],
    }


def figure_sections(figures, territory, release: Release) -> dict:
    """Key figures, land-use shares and one section per indicator that has figures: the same for a territory or a
    drawn grouping."""
    return {
        "key_figures": _key_figures(figures, territory),
        "downloads": territory_links(release, territory),
        "land_use_shares": html_table(land_use_share_table(figures)),
        "indicators": [
            _section(indicator, figures, release, territory)
            for indicator in registry.indicators()
            if indicator.shows(figures)
        ],
    }


def _key_figures(figures, territory) -> dict:
    stock, area = figures.total(STOCK), figures.total(AREA)
    per_hectare, flux = figures.total(STOCK_PER_HECTARE), figures.total(FLUX)
    land_use_change = figures.land_use_change_flux()
    return {
        "land_use_change": {
            "text": signed_number(land_use_change),
            "unit": "tCO2e/an",
            "words": describe_flux(land_use_change),
        },
        "official_area": format_number(territory.area_ha) if territory.area_ha else "",
        "stock": {"text": format_number(stock), "unit": "tC", "words": describe_stock(stock)},
        "area": {"text": format_number(area), "unit": "ha"},
        "stock_per_hectare": {"text": format_number(per_hectare, 1), "unit": "tC/ha"},
        "flux": {
            "text": format_number(flux),
            "unit": "tCO2e/an",
            "words": describe_flux(flux),
            "is_sequestration": flux < 0,
        },
    }


def _section(indicator, figures, release: Release, territory) -> dict:
    table = indicator.table(figures)
    source = (
        f"Source : {indicator.series.metadata.source.rstrip('.')}"
        if indicator.series
        else f"Millésime {release}. Source : {SOURCE}"
    )
    return {
        "slug": indicator.slug,
        "title": indicator.title,
        "unit": indicator.unit,
        "caption": f"Unité : {indicator.unit}. {source}.",
        "figure": table_figure(table) if table.chart and table.rows else None,
        "figure_id": f"figure-{indicator.slug}",
        "text": indicator.reading(table),
        "table": html_table(table),
        "method_url": reverse("pages:indicator", args=[indicator.slug]),
        "downloads": territory_links(release, territory, indicator.slug, indicator.title),
    }


def _totals_cells(figures) -> list[dict]:
    flux = figures.total(FLUX)
    return [
        {"text": format_number(figures.total(STOCK))},
        {"text": format_number(figures.total(AREA))},
        {"text": format_number(figures.total(STOCK_PER_HECTARE), 1)},
        {"text": signed_number(flux)},  # an emission reads "+175", as in the key figures
        {"text": direction(flux)},
    ]


def _level_cell(level_slug: str | None) -> dict:
    level = quality.LEVELS.get(level_slug or "")
    return {"text": level.label if level else ""}


COMPARED_MEASURES = [STOCK, AREA, STOCK_PER_HECTARE, FLUX]
ENCLOSING, PEER = "Territoire englobant", "Territoire comparable"


def compared_territories(territory, release: Release, parents: list[Territory]) -> list[tuple[Territory, str]]:
    """The territories ``territory`` is compared with, and their role: its enclosing ones and, for a stored
    territory, similar ones."""
    enclosing = [t for t in parents if t.kind in (TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT, TerritoryKind.REGION)]
    peers = selectors.peers(territory, release, PEER_COUNT) if territory.pk else []
    return [(t, ENCLOSING) for t in enclosing] + [(t, PEER) for t in peers]


def comparison_context(territory, release: Release, others: list, compared: dict, figures, own_level: str) -> dict:
    """``territory`` (its ``figures``, its quality level slug) beside the ``others`` (``compared_territories``) that
    ``release`` computed (``compared``: id → their quality level slug and totals); each with how far its figures can
    be trusted."""
    others = [(t, role) for t, role in others if t.pk in compared]
    peers = [t for t, role in others if role == PEER]
    own = {"name": territory.name, "url": None, "kind": territory.get_kind_display(), "role": "Ce territoire"}
    rows = [{**own, "cells": [*_totals_cells(figures), _level_cell(own_level)]}] + [
        {
            "name": other.name,
            "url": territory_url(other, release),
            "kind": other.get_kind_display(),
            "role": role,
            "cells": [*_totals_cells(compared[other.pk][1]), _level_cell(compared[other.pk][0])],
        }
        for other, role in others
    ]
    return {
        "caption": "Chiffres clés du territoire, de ses territoires englobants et de territoires comparables",
        "head": [
            "Territoire",
            "Type",
            "Stock (tC)",
            "Surface couverte par les données (ha)",
            "Stock par hectare (tC/ha)",
            "Flux net (tCO2e/an)",
            "En clair",
            "Qualité des chiffres",
        ],
        "rows": rows,
        "peers_rule": (
            "Territoires comparables : même type, même département, population la plus proche." if peers else ""
        ),
    }


def _release_comparison(territory: Territory, results: dict, figures: dict) -> dict | None:
    """The territory's key figures in each published release (``results``, ``figures``: release id → its
    TerritoryResult, its Figures)."""
    releases = selectors.published_releases()
    if len(releases) < 2:
        return None
    levels = {release_id: result.quality_level for release_id, result in results.items() if result.available}
    rows = []
    for release in releases:
        cells = None
        if release.pk in levels:
            totals = _totals_cells(figures[release.pk])
            cells = [totals[0], totals[2], totals[3], totals[4], _level_cell(levels[release.pk])]
        rows.append(
            {"name": str(release), "method": release.method_label, "note": release.method_note, "cells": cells}
        )
    return {
        "caption": "Chiffres clés de ce territoire selon chaque millésime publié",
        "head": [
            "Millésime",
            "Méthode",
            "Stock (tC)",
            "Stock par hectare (tC/ha)",
            "Flux net (tCO2e/an)",
            "En clair",
            "Qualité des chiffres",
        ],
        "rows": rows,
        "note": COMPARISON_NOTE,
    }
