"""The reference zones a series may give values for besides the site's territories, declared in
``fixtures/series/zones.csv``: France, and the former regions whose values apply to the territories within them."""

from django.conf import settings

from territories.models import Territory, TerritoryKind

from .model import FORMER_REGION, Zone
from .validation import read_zones

ZONES: dict[tuple[str, str], Zone] = read_zones(settings.FIXTURES_DIR / "series" / "zones.csv")
# Zone kinds whose values apply to every territory of their départements.
CONTAINING_KINDS = frozenset({FORMER_REGION})


def departements_of(territory: Territory) -> frozenset[str]:
    """The départements a territory lies in (a commune's, an EPCI's or a park's, a région's)."""
    attributes = territory.attributes or {}
    if territory.kind == TerritoryKind.DEPARTEMENT:
        return frozenset({territory.code})
    if territory.kind == TerritoryKind.COMMUNE:
        return frozenset(filter(None, [attributes.get("departement")]))
    return frozenset(attributes.get("departements") or ())


def zones_containing(territory: Territory) -> list[Zone]:
    """The reference zones a territory lies in, wholly or partly (an EPCI may straddle two former regions)."""
    departements = departements_of(territory)
    return [zone for zone in ZONES.values() if zone.kind in CONTAINING_KINDS and zone.departements & departements]
