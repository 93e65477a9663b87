"""'Les indicateurs': one page per indicator with its method, a map and a sortable table of every EPCI."""

import json

import pytest

from indicators import measures as Measure
from indicators.registry import INDICATORS
from territories.models import Territory

from .conftest import parse_number, read_tables, stored_total

pytestmark = pytest.mark.django_db


def test_the_list_links_every_indicator(client, releases):
    html = client.get("/indicateurs/").content.decode()
    for slug, info in INDICATORS.items():
        assert f'href="/indicateurs/{slug}/"' in html
        assert info.title in html.replace("&#x27;", "'")


@pytest.mark.parametrize("slug", list(INDICATORS))
def test_indicator_page_describes_the_method_and_maps_every_epci(client, releases, slug):
    response = client.get(f"/indicateurs/{slug}/")
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    for fact in ("Unité", "Périmètre", "Échelle disponible", "N+5", "Tous les 3 à 6 ans", "ADEME"):
        assert fact in html
    if INDICATORS[slug].is_flux:
        assert "séquestration nette" in html and "comptée négativement" in html
    figure = json.loads(html.split('<script id="indicator-map" type="application/json">')[1].split("</script>")[0])
    assert figure["data"][0]["type"] == "choropleth"
    assert figure["data"][0]["geojson"] == "/indicateurs/contours/epci-2026.geojson"
    table = next(rows for caption, rows in read_tables(html).items() if caption.startswith(INDICATORS[slug].title))
    assert len(table) - 1 == Territory.objects.filter(kind="epci", geography="2026").count()
    assert "data-sortable" in html


@pytest.mark.parametrize(
    ("slug", "measure", "decimals"),
    [
        ("stock-carbone", Measure.STOCK, 0),
        ("flux-carbone", Measure.FLUX, 0),
        ("stock-carbone-hectare", Measure.STOCK_PER_HECTARE, 1),
    ],
)
def test_indicator_table_shows_the_stored_totals(client, releases, slug, measure, decimals):
    html = client.get(f"/indicateurs/{slug}/", {"geographie": "2018", "millesime": "hetre"}).content.decode()
    table = next(rows for caption, rows in read_tables(html).items() if caption.startswith(INDICATORS[slug].title))
    assert len(table) - 1 == Territory.objects.filter(kind="epci", geography="2018").count()
    for _name, code, cell, *_ in table[1:6]:
        territory = Territory.objects.get(kind="epci", code=code, geography="2018")
        value = stored_total(releases["hetre"], territory, measure)
        assert abs(parse_number(cell) - value) <= 0.5 * 10**-decimals + 1e-6


def test_by_land_use_indicator_maps_the_chosen_land_use(client, releases):
    html = client.get("/indicateurs/stock-carbone-occupation/", {"occupation": "groupe:forêts"}).content.decode()
    assert '<option value="groupe:forêts" selected>' in html
    assert "forêts" in html.split('id="map-title"')[1].split("</p>")[0]


def test_unknown_indicator_is_a_404(client, releases):
    assert client.get("/indicateurs/inconnu/").status_code == 404


def test_outlines_are_served_by_the_site(client, releases):
    response = client.get("/indicateurs/contours/epci-2018.geojson")
    assert response.status_code == 200
    features = response.json()["features"]
    assert (
        len(features) == Territory.objects.filter(kind="epci", geography="2018", geometry__isnull=False).count() > 90
    )
    assert {"type", "properties", "geometry"} <= set(features[0])
    assert client.get("/indicateurs/contours/epci-1999.geojson").status_code == 404


def test_home_page_has_the_clickable_epci_map(client, releases):
    html = client.get("/").content.decode()
    figure = json.loads(html.split('<script id="home-map" type="application/json">')[1].split("</script>")[0])
    url, _ = figure["data"][0]["customdata"][0]
    assert url.startswith("/territoire/epci/")
    assert 'class="epci-links"' in html
