"""Indicator pages ("Les indicateurs") and the EPCI outlines their maps draw."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from territories import vintages

from . import presenters, selectors
from .catalog import INDICATORS


@require_GET
def indicator_list(request):
    return render(
        request,
        "indicators/indicator_list.html",
        {"indicators": [(info, presenters.indicator_url(info.slug)) for info in INDICATORS.values()]},
    )


@require_GET
def indicator_detail(request, slug):
    if slug not in INDICATORS:
        raise Http404("Indicateur inconnu")
    release = selectors.release_for(request.GET.get("millesime"))
    geography = presenters.geography_from(request.GET.get("geographie"))
    group = request.GET.get("occupation") or None
    context = presenters.indicator_page(slug, release, geography, group)
    context["release"] = release
    context["releases"] = selectors.published_releases()
    return render(request, "indicators/indicator_detail.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def epci_outlines(request, geography):
    if geography not in vintages.CODES:
        raise Http404("Géographie inconnue")
    return JsonResponse(presenters.epci_outlines(geography))
