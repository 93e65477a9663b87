"""The site's reference pages: method, data and API, about and contact, legal notice, accessibility statement."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import quality, registry
from ..measures import SIGN_CONVENTION, SOURCE
from ..selectors import published_releases
from .frames import method_frames


@require_GET
def method(request):
    context = {
        "indicators": registry.indicators(),
        "releases": published_releases(),
        "sign_convention": SIGN_CONVENTION,
        "source": SOURCE,
        "levels": quality.LEVELS,
        "coverage_threshold": quality.COVERAGE_THRESHOLD,
        "few_communes": quality.FEW_COMMUNES,
    }
    context.update(method_frames())
    return render(request, "pages/method.html", context)


@require_GET
def data(request):
    return render(
        request,
        "pages/data.html",
        {"indicators": registry.indicators(), "releases": published_releases()},
    )


@require_GET
def about(request):
    return render(request, "pages/about.html")


@require_GET
def legal(request):
    return render(request, "pages/legal.html")


@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")
