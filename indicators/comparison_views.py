"""Public page comparing two published releases for one territory: what changed, and whether from areas or
per-hectare coefficients."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from territories import vintages
from territories.selectors import get_territory

from .comparison import compare_territory
from .models import Release
from .selectors import published_releases


def pick_releases(published: list[Release], old_slug: str | None, new_slug: str | None):
    """The two releases to compare: the ones asked for, else the current one against the other published ones."""
    by_slug = {release.slug: release for release in published}
    current = next((release for release in published if release.is_current), published[-1] if published else None)
    new = by_slug.get(new_slug) or current
    old = by_slug.get(old_slug) or next((release for release in published if release != new), None)
    return old, new


@require_GET
def territory_comparison(request, kind: str, code: str):
    geography = request.GET.get("geographie")
    territory = get_territory(kind, code, geography if geography in vintages.CODES else None)
    if territory is None:
        raise Http404("Territoire introuvable.")
    published = list(published_releases())
    old, new = pick_releases(published, request.GET.get("de"), request.GET.get("a"))
    context = {
        "territory": territory,
        "published": published,
        "old": old,
        "new": new,
        "comparison": compare_territory(territory, old, new) if old and new and old != new else None,
    }
    return render(request, "indicators/release_comparison.html", context)
