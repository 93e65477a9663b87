"""Thin views of the public pages: home and search, "Mon territoire", indicator pages, release comparison."""

import hashlib

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from observatory.cache import cached_page
from territories import selectors as places
from territories import vintages
from territories.groupings import InvalidMembers
from territories.models import Territory, TerritoryKind

from .. import quality, registry
from ..comparison import compare_territory
from ..models import Release
from ..selectors import UnknownRelease, published_releases, release_for, territory_result
from . import grouping, indicator, scenario, territory
from .home import headline

SEARCH_PAGE_LIMIT = 50
SEARCH_JSON_LIMIT = 10


def requested_geography(request) -> str | None:
    value = request.GET.get("geographie")
    return value if value in vintages.CODES else None


def requested_release(request) -> Release | None:
    """The release named by ``?millesime=`` (the current one without it); raises ``UnknownRelease``."""
    return release_for(request.GET.get("millesime"))


def unknown_release(request, unknown: UnknownRelease) -> HttpResponse:
    """404 page naming the millésime asked for and linking the same page for each published one."""
    query = request.GET.copy()
    links = []
    for release in published_releases():
        query["millesime"] = release.slug
        links.append({"name": str(release), "url": f"{request.path}?{query.urlencode()}"})
    context = {"slug": unknown.slug[:40], "links": links}
    return render(request, "pages/unknown_release.html", context, status=404)


def not_found(query: str = "") -> HttpResponse:
    """Helpful 404: says what was not found and offers the search box."""
    return render(None, "404.html", {"query": query[: places.MAX_QUERY_LENGTH]}, status=404)


@require_GET
def home(request):
    try:
        release = requested_release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    return cached_page(
        page_key("home", release.pk if release else None),
        lambda: render(
            None,
            "pages/home.html",
            {
                "overview": places.overview_territories(),
                "headline": headline(release),
                "home_map": indicator.home_map(release),
            },
        ),
    )


@require_GET
def search(request):
    """Results of the search box; an exact code, or a name only one territory bears (in the geography shown by
    default, when several bear it), opens that territory's page."""
    query = request.GET.get("q", "")[: places.MAX_QUERY_LENGTH]
    results = places.search_territories(query, limit=SEARCH_PAGE_LIMIT) if query.strip() else []
    exact = [t for t in results if t.match_rank in (places.EXACT_CODE, places.EXACT_NAME)]
    if exact and exact[0].match_rank == places.EXACT_CODE:
        return redirect(exact[0].get_absolute_url())
    # A name borne in several geographies (an EPCI of 2018 and its successor) opens the one shown by default.
    shown = exact if len(exact) == 1 else [t for t in exact if t.vintage and t.vintage.is_default]
    if len(shown) == 1:
        return redirect(shown[0].get_absolute_url())
    return render(request, "pages/search_results.html", {"query": query, "results": results})


@require_GET
def search_json(request):
    """Suggestions of the search box; ``types`` (comma-separated kinds) and ``geographie`` narrow them (the grouping
    composer asks for communes and EPCIs of one geography)."""
    kinds = [kind for kind in request.GET.get("types", "").split(",") if kind in TerritoryKind.values] or None
    results = places.search_territories(
        request.GET.get("q", ""), limit=SEARCH_JSON_LIMIT, kinds=kinds, geography=requested_geography(request)
    )
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


def page_key(*parts) -> str:
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@require_GET
def territory_detail(request, kind: str, code: str):
    """The page is the same for every visitor: cached whole, per territory, geography and release shown."""
    geography = requested_geography(request)
    try:
        release = requested_release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    return territory_response(kind, code, geography, release)


def territory_response(kind: str, code: str, geography: str | None, release: Release | None) -> HttpResponse:
    key = page_key("territory", kind, code, geography, release.pk if release else None)
    return cached_page(key, lambda: territory_page(kind, code, geography, release))


def territory_page(kind: str, code: str, geography: str | None, release: Release | None) -> HttpResponse:
    found = places.get_territory(kind, code, geography) or (geography and places.get_territory(kind, code))
    if not found:
        return not_found(query=code)
    return render(None, "pages/territory.html", territory.page_context(found, release, geography))


@require_GET
def drawn_grouping(request):
    """Any set of communes and EPCIs (``?communes=…&epcis=…``, any order): the "Mon territoire" page of the set, its
    figures summed on request. The page depends on the URL only: cached whole, per list of members."""
    try:
        release = requested_release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    if "communes" not in request.GET and "epcis" not in request.GET:
        return compose_response(request, release)
    try:
        drawn = grouping.drawn_grouping(request.GET)
    except InvalidMembers as invalid:
        return compose_response(request, release, invalid.message, invalid.status)
    # the members as given: a duplicate, or their order, shows on the page (notes, links)
    key = page_key("drawn-grouping", drawn.geography, tuple(drawn.members), release.pk if release else None)
    return cached_page(key, lambda: drawn_grouping_page(request, drawn, release))


def drawn_grouping_page(request, drawn: grouping.DrawnGrouping, release: Release | None) -> HttpResponse:
    unknown = drawn.resolution.unknown
    if unknown:
        return compose_response(request, release, " ".join(member.problem for member in unknown), 404)
    return render(None, "pages/grouping.html", grouping.page_context(drawn, release))


@require_GET
def compose_grouping(request):
    """Where a grouping is composed from the search box, the map or the list of EPCIs (a plain GET form)."""
    try:
        release = requested_release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    return compose_response(request, release)


def compose_response(request, release: Release | None, error: str = "", status: int = 200) -> HttpResponse:
    context = grouping.compose_context(request.GET, release, error)
    return render(request, "pages/grouping_compose.html", context, status=status)


@require_GET
def indicator_list(request):
    return render(request, "pages/indicator_list.html", {"indicators": registry.indicators()})


@require_GET
def indicator_detail(request, slug: str):
    chosen = registry.get(slug)
    if chosen is None:
        raise Http404("Indicateur inconnu")
    if chosen.series:  # a series does not depend on the ALDO release: its own page, cached until a publication
        return cached_page(
            page_key("series", slug),
            lambda: render(None, "pages/series_detail.html", indicator.series_page(chosen)),
        )
    try:
        release = requested_release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    geography = indicator.geography_from(request.GET.get("geographie"))
    group = request.GET.get("occupation") or None
    key = page_key("indicator", slug, release.pk if release else None, geography, group)
    return cached_page(
        key,
        lambda: render(
            None, "pages/indicator_detail.html", indicator.indicator_page(chosen, release, geography, group)
        ),
    )


@require_GET
@cache_control(public=True, max_age=3600)
def outlines(request, kind: str, geography: str):
    if geography not in vintages.CODES or kind not in indicator.OUTLINED_KINDS:
        raise Http404("Contours inconnus")
    return JsonResponse(indicator.outlines(kind, geography))


def pick_releases(published: list[Release], old_slug: str | None, new_slug: str | None):
    """The two releases to compare: the ones asked for, else the current one against the other published ones."""
    by_slug = {release.slug: release for release in published}
    current = next((release for release in published if release.is_current), published[-1] if published else None)
    new = by_slug.get(new_slug) or current
    old = by_slug.get(old_slug) or next((release for release in published if release != new), None)
    return old, new


@require_GET
def territory_comparison(request, kind: str, code: str):
    found: Territory | None = places.get_territory(kind, code, requested_geography(request))
    if found is None:
        return not_found(query=code)
    published = published_releases()
    for parameter in ("de", "a"):
        slug = request.GET.get(parameter)
        if slug and slug not in {release.slug for release in published}:
            return unknown_release(request, UnknownRelease(slug))
    old, new = pick_releases(published, request.GET.get("de"), request.GET.get("a"))
    context = {
        "territory": found,
        "published": published,
        "old": old,
        "new": new,
        "comparison": compare_territory(found, old, new) if old and new and old != new else None,
        "qualities": [_quality_of(found, release) for release in (old, new) if release],
    }
    return render(request, "pages/release_comparison.html", context)


def _quality_of(found: Territory, release: Release) -> dict:
    """How far the figures of a release can be trusted for the territory: its level and the first reason."""
    assessed = quality.assessment(territory_result(release, found))
    return {
        "release": release,
        "level": assessed.level if assessed else None,
        "reasons": assessed.reasons[:1] if assessed else (),
    }


@require_GET
def scenario_page(request, kind: str, code: str):
    """« Et si… ? » : not cached, the query string is a scenario; the engine answers in milliseconds."""
    return _scenario_response(request, kind, code, "pages/scenario.html", whole_page=True)


@require_GET
def scenario_results(request, kind: str, code: str):
    """The results of the scenario page alone, for its script: same query string, same statuses."""
    return _scenario_response(request, kind, code, "pages/_scenario_results.html", whole_page=False)


def _scenario_response(request, kind: str, code: str, template: str, whole_page: bool) -> HttpResponse:
    try:
        release = requested_release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    found = places.get_territory(kind, code, requested_geography(request))
    if found is None:
        return not_found(query=code)
    context, status = scenario.scenario_context(request, found, release, whole_page)
    return render(request, template, context, status=status)
