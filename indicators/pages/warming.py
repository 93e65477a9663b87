"""Pages rendered into the cache after a publication, before the first visitors ask for them."""

from territories import vintages
from territories.models import GROUPING_KINDS, TerritoryKind
from territories.selectors import territories_of_kinds

from ..selectors import release_for
from . import views

WARMED_KINDS = [TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT, TerritoryKind.REGION, *GROUPING_KINDS]


def warm_territory_pages() -> int:
    """Put the default page of every grouping (EPCI, département, région, PNR, SCoT, Pays…) in the page cache; pages
    already cached cost a cache read."""
    release = release_for(None)
    groupings = territories_of_kinds(WARMED_KINDS)
    for territory in groupings:
        geography = None if territory.geography == vintages.CURRENT.code else territory.geography
        views.territory_response(territory.kind, territory.code, geography, release)
    return len(groupings)
