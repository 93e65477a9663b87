"""A territory page that is not cached yet costs a fixed, small number of queries: the same for a metropolis and a
village, a complete territory and an incomplete one, the release shown by default and an older one."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.cache import forget_generation_values

pytestmark = pytest.mark.django_db

# The generation, the territory, its results and figures in every release, the totals and quality of the territories
# it is compared with; a group's members, a département's or région's subdivisions.
MAX_QUERIES = 7
# Read by the first page a process renders in a generation, then kept: the published releases, the published series,
# their values by zone and their national values, the SNBC series of the national frame, the territories and their
# memberships and crosswalk, the comparable territories of the page's kind and release, a commune's reliable EPCIs.
SHARED_READS = 10
# By kind: territories as different as the region allows (size, quality level, geography, release).
PAGES = {
    "commune": [
        "/territoire/commune/59350/",  # Lille
        "/territoire/commune/80021/",  # Amiens, an estimate
        "/territoire/commune/02001/",  # a village
        "/territoire/commune/62193/?geographie=2018",  # Calais
    ],
    "epci": [
        "/territoire/epci/200093201/",  # Métropole Européenne de Lille
        "/territoire/epci/200071892/",  # incomplete
        "/territoire/epci/200071892/?geographie=2018",
        "/territoire/epci/200093201/?millesime=hetre",
    ],
    "departement": ["/territoire/departement/59/", "/territoire/departement/80/", "/territoire/departement/60/"],
    "region": ["/territoire/region/32/", "/territoire/region/32/?geographie=2018"],  # no peers: an empty list
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_cold_territory_page_costs_the_same_few_queries_whatever_the_territory(client, releases, kind):
    first, cold = {}, {}
    for path in PAGES[kind]:
        cache.clear()  # nothing cached: not the page, not the list of releases or series, in Redis or in the process
        forget_generation_values()
        first[path] = count_queries(client, path)
        cache.clear()  # the page is cold again, the values every page reads are kept by the process
        cold[path] = count_queries(client, path)
    assert len(set(cold.values())) == 1, cold
    assert max(cold.values()) <= MAX_QUERIES, cold
    assert max(first.values()) <= MAX_QUERIES + SHARED_READS, first


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)
