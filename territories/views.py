"""Thin views: search and the "Mon territoire" pages. Reads go through ``selectors``."""

import hashlib

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from indicators.presenters import territory_figures
from indicators.selectors import published_slugs, release_for
from observatory.cache import cached_page

from . import selectors, vintages
from .models import TerritoryKind

URL_KINDS = {
    TerritoryKind.COMMUNE.value,
    TerritoryKind.EPCI.value,
    TerritoryKind.DEPARTEMENT.value,
    TerritoryKind.REGION.value,
    TerritoryKind.PNR.value,
}
GEOGRAPHY_LABELS = {vintage.code: vintage.short_label for vintage in vintages.VINTAGES}
EPCI_NATURES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "ME": "Métropole",
    "METRO": "Métropole",
}
WARMED_KINDS = [TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT, TerritoryKind.REGION, TerritoryKind.PNR]
MAX_LISTED_MEMBERS = 1000
SEARCH_PAGE_LIMIT = 50
SEARCH_JSON_LIMIT = 10


def home(request):
    return render(request, "home.html", {"overview": selectors.overview_territories()})


def search(request):
    query = request.GET.get("q", "")[: selectors.MAX_QUERY_LENGTH]
    results = selectors.search_territories(query, limit=SEARCH_PAGE_LIMIT) if query.strip() else []
    return render(
        request,
        "territories/search_results.html",
        {"query": query, "results": results},
    )


def search_json(request):
    results = selectors.search_territories(request.GET.get("q", ""), limit=SEARCH_JSON_LIMIT)
    return JsonResponse(
        [
            {
                "name": t.name,
                "kind": t.kind,
                "kind_label": t.get_kind_display(),
                "code": t.code,
                "geography": t.geography,
                "url": t.get_absolute_url(),
            }
            for t in results
        ],
        safe=False,
    )


def territory_detail(request, kind: str, code: str):
    """The page is the same for every visitor: cached whole, per territory, geography and release shown."""
    requested = request.GET.get("geographie")
    geography = requested if requested in vintages.CODES else None
    release_slug = request.GET.get("millesime")
    release_slug = release_slug if release_slug in published_slugs() else None
    return cached_page(
        _page_key(kind, code, geography, release_slug), lambda: territory_page(kind, code, geography, release_slug)
    )


def warm_territory_pages() -> int:
    """Put the default page of every grouping (EPCI, département, région, PNR) in the page cache, so that the
    first visitors after a publication do not wait for it; pages already cached cost a cache read."""
    groupings = selectors.territories_of_kinds(WARMED_KINDS)
    for territory in groupings:
        geography = territory.geography if territory.geography != vintages.CURRENT.code else None
        cached_page(
            _page_key(territory.kind, territory.code, geography, None),
            lambda t=territory, g=geography: territory_page(t.kind, t.code, g, None),
        )
    return len(groupings)


def _page_key(kind: str, code: str, geography: str | None, release_slug: str | None) -> str:
    return "page:territory:" + hashlib.sha256(repr((kind, code, geography, release_slug)).encode()).hexdigest()


def territory_page(kind: str, code: str, geography: str | None, release_slug: str | None) -> HttpResponse:
    """The "Mon territoire" page; it depends on the URL only (no user, no form token), hence cacheable."""
    territory = selectors.get_territory(kind, code, geography) if kind in URL_KINDS else None
    requested_missing = False
    if territory is None and geography is not None and kind in URL_KINDS:
        territory = selectors.get_territory(kind, code)
        requested_missing = territory is not None
    if territory is None:
        return not_found(query=code)

    counterpart = selectors.counterpart(territory)
    members = selectors.members(territory) if territory.kind != TerritoryKind.COMMUNE else None
    member_count = members.count() if members is not None else 0
    context = {
        "territory": territory,
        "geography_label": GEOGRAPHY_LABELS[territory.geography],
        "requested_missing": requested_missing,
        "requested_geography_label": GEOGRAPHY_LABELS.get(geography, ""),
        "parents": selectors.parents(territory),
        "subdivisions": selectors.subdivisions(territory),
        "counterpart": counterpart,
        "member_count": member_count,
        "members": list(members.defer("geometry")[:MAX_LISTED_MEMBERS]) if member_count else [],
        "members_truncated": member_count > MAX_LISTED_MEMBERS,
        "epci_nature": EPCI_NATURES.get((territory.attributes or {}).get("nature", ""), ""),
        "is_current": territory.geography == vintages.CURRENT.code,
        "figures": territory_figures(territory, release_for(release_slug)),
    }
    return render(None, "territories/territory_detail.html", context)


def not_found(query: str = "") -> HttpResponse:
    """Helpful 404: says what was not found and offers the search box."""
    return render(None, "404.html", {"query": query[: selectors.MAX_QUERY_LENGTH]}, status=404)
