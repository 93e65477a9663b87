"""The home page leads with the région's headline figures for the current release, as the observatory does."""

from territories import vintages
from territories.models import Territory, TerritoryKind

from .. import quality, selectors
from ..measures import FLUX, STOCK, STOCK_PER_HECTARE
from ..models import Release
from ..numbers import describe_flux, format_with_unit, scaled


def headline(release: Release | None) -> dict | None:
    """Stock, stock per hectare, net flux and land-use-change emissions of the région (None without figures)."""
    region = Territory.objects.filter(kind=TerritoryKind.REGION, geography=vintages.CURRENT.code).first()
    if release is None or region is None:
        return None
    result = selectors.territory_result(release, region)
    if result is None or not result.available:
        return None
    figures = selectors.figures_of(release, [region.pk])[region.pk]
    net, land_use_change = figures.total(FLUX), figures.land_use_change_flux()
    assessed = quality.assessment(result)
    return {
        "region": region,
        "release_name": str(release),
        "quality": assessed.level if assessed else None,
        "figures": [
            {
                "label": "Carbone stocké",
                "value": scaled(figures.total(STOCK), "tC"),
                "words": "sols, biomasse, litière, haies et produits bois",
            },
            {
                "label": "Stock moyen par hectare",
                "value": format_with_unit(figures.total(STOCK_PER_HECTARE), "tC/ha", 1),
                "words": "toutes occupations des sols confondues",
            },
            {
                "label": "Flux net annuel",
                "value": scaled(net, "t éq. CO2/an", signed=True),
                "words": describe_flux(net),
            },
            {
                "label": "Dont changements d'occupation des sols",
                "value": scaled(land_use_change, "t éq. CO2/an", signed=True),
                "words": describe_flux(land_use_change),
            },
        ],
    }
