"""The review of a staged release: what its figures change from the baseline, territory by territory, filtered and
paginated, with where its data comes from."""

import numpy as np
from django.core.paginator import Paginator

from indicators import registry
from indicators.aldo.specs import FILE_LABELS
from indicators.comparison import baseline_for, compare_releases
from indicators.measures import DECIMALS, EU_CATEGORY_FLUX, EU_CATEGORY_LABELS, FLUX, MEASURES, STOCK, direction
from indicators.models import Provenance, Release
from territories import land_uses
from territories.models import TerritoryKind

from . import selectors

PAGE_SIZE = 50


def review_measures() -> dict[str, str]:
    """The measures the published indicators read, as the review offers them."""
    slugs = dict.fromkeys(measure for indicator in registry.indicators("aldo") for measure in indicator.measures)
    return {slug: f"{MEASURES[slug].label} ({MEASURES[slug].unit})" for slug in slugs}


def review(request, release: Release, release_actions: list) -> dict:
    """Old and new figures of every territory, largest changes first; figures that read the same on the site are
    counted, and listed only on request."""
    choices = review_measures()
    measure = request.GET.get("mesure")
    measure = measure if measure in choices else STOCK
    kind = request.GET.get("type")
    kind = kind if kind in TerritoryKind.values else None
    # A measure without a territory total (EU categories) is always listed by its details.
    by_land_use = request.GET.get("occupation") == "toutes" or not MEASURES[measure].has_total
    with_unchanged = request.GET.get("inchanges") == "1"
    decimals = DECIMALS[MEASURES[measure].unit]
    baseline = baseline_for(release)
    changes = compare_releases(
        baseline, release, kind=kind, measures=[measure], land_uses=None if by_land_use else ["total"]
    )
    # Identical as the site shows them: rounded to the decimals of the unit.
    identical = changes["old"].round(decimals).eq(changes["new"].round(decimals))
    # Positions of the rows listed; only the page's rows are taken from the frame.
    listed = np.arange(len(changes)) if with_unchanged else np.flatnonzero(~identical.to_numpy())
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = changes.iloc[page.object_list]
    page.object_list = shown.astype(object).where(shown.notna(), None).to_dict("records")
    for row in page.object_list:
        _describe(row)
    query = request.GET.copy()
    query.pop("page", None)
    both = changes["old"].notna() & changes["new"].notna()
    return {
        "release": release,
        "release_actions": release_actions,
        "baseline": baseline,
        "page": page,
        "filters": {"measure": measure, "kind": kind or "", "by_land_use": by_land_use, "unchanged": with_unchanged},
        "detail_label": MEASURES[measure].detail_label,
        "has_total": MEASURES[measure].has_total,
        "filter_query": query.urlencode(),
        "measure_choices": choices,
        "measure_label": choices[measure],
        "unit": MEASURES[measure].unit,
        "decimals": decimals,
        "kind_choices": TerritoryKind.choices,
        "summary": {
            "compared": changes["territory_id"].nunique(),
            "changed": int((both & ~identical).sum()),
            "changed_1pct": int((changes["change_pct"].abs() >= 1).sum()),
            "identical": int(identical.sum()),
            "appeared": int(changes["old"].isna().sum()),
            "disappeared": int(changes["new"].isna().sum()),
        },
        "quality": selectors.quality_summary(release, baseline),
        "rebuilt_territories": selectors.rebuilt_territory_count(release),
        "rebuilt_files": [
            {"file": name, "label": FILE_LABELS.get(name, ""), "note": note}
            for name, note in (release.manifest or {}).get("rebuilt_files", {}).items()
        ],
    }


def _describe(row: dict) -> None:
    """Labels of a review row: territory kind, land use, provenance, and fluxes in words."""
    row["kind_label"] = TerritoryKind(row["territory_kind"]).label
    row["land_use_label"] = EU_CATEGORY_LABELS.get(row["land_use"]) or land_uses.label(row["land_use"])
    row["provenance_label"] = Provenance(row["provenance"]).label
    if row["measure"] in (FLUX, EU_CATEGORY_FLUX):
        row["old_words"] = "" if row["old"] is None else direction(row["old"])
        row["new_words"] = "" if row["new"] is None else direction(row["new"])
