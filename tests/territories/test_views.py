"""Search pages, JSON autocomplete, territory pages and the helpful 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("loaded_territories")


def test_home_has_search_form_and_external_script(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'action="/recherche/"' in html
    assert 'data-autocomplete-url="/recherche.json"' in html
    assert "/static/js/search.js" in html and "<script>" not in html


def test_search_page_lists_results(client):
    response = client.get(reverse("pages:search"), {"q": "lill"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lille" in html and "59350" in html and "/territoire/epci/245900410/?geographie=2018" in html


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("200093201", "/territoire/epci/200093201/"),
        ("62", "/territoire/departement/62/"),
        ("lille", "/territoire/commune/59350/"),
        ("SAINT OMER", "/territoire/commune/62765/"),
        ("Métropole Européenne de Lille", "/territoire/epci/200093201/"),  # also the name of its 2018 twin
    ],
)
def test_an_exact_code_or_a_single_exact_name_opens_the_page_of_the_default_geography(client, query, page):
    response = client.get(reverse("pages:search"), {"q": query})
    assert response.status_code == 302 and response["Location"] == page


def test_results_rank_exact_name_then_whole_words_then_larger_kinds(client):
    names = [(item["name"], item["kind"]) for item in client.get(reverse("pages:search_json"), {"q": "Lille"}).json()]
    assert names[0] == ("Lille", "commune")
    assert names[1] == ("Métropole Européenne de Lille", "epci")
    assert names.index(("Lillers", "commune")) > names.index(("Marquette-lez-Lille", "commune"))


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "'; DROP TABLE x; --", "%", "_", "x" * 5000])
def test_search_page_escapes_hostile_input(client, query):
    response = client.get(reverse("pages:search"), {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content
    if query.startswith("<script>"):
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_search_json(client):
    response = client.get(reverse("pages:search_json"), {"q": "Saint-Omer"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    first = response.json()[0]
    assert first == {
        "name": "Saint-Omer",
        "kind": "commune",
        "kind_label": "Commune",
        "code": "62765",
        "geography": "2026",
        "url": "/territoire/commune/62765/",
    }
    assert client.get(reverse("pages:search_json"), {"q": "<script>"}).json() == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/territoire/commune/59350/", "Lille"),
        ("/territoire/commune/02198/", "02198"),
        ("/territoire/epci/200093201/", "Métropole Européenne de Lille"),
        ("/territoire/departement/62/", "Pas-de-Calais"),
        ("/territoire/region/32/", "Hauts-de-France"),
        ("/territoire/pnr/FR8000037/", "Scarpe-Escaut"),
        ("/territoire/pnr/FR8000036/", "liste des communes de ce parc"),
        ("/territoire/commune/27010/", "pas en Hauts-de-France"),
    ],
)
def test_territory_pages(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_mel_pages_link_the_two_vintages(client):
    html = client.get("/territoire/epci/200093201/").content.decode()
    assert "/territoire/epci/245900410/?geographie=2018" in html
    assert "/territoire/epci/245901061/?geographie=2018" in html
    old = client.get("/territoire/epci/245901061/").content.decode()
    assert "CC de la Haute-Deûle" in old and 'href="/territoire/epci/200093201/"' in old


def test_same_siren_different_perimeter_defaults_to_current(client):
    response = client.get("/territoire/epci/200042190/")
    assert response.context["territory"].geography == "2026"
    assert "/territoire/epci/200042190/?geographie=2018" in response.content.decode()
    assert client.get("/territoire/epci/200042190/?geographie=2018").context["territory"].geography == "2018"


def test_missing_geography_falls_back_with_notice(client):
    response = client.get("/territoire/epci/200093201/?geographie=2018")
    assert response.status_code == 200
    assert response.context["requested_missing"] and response.context["territory"].geography == "2026"


@pytest.mark.parametrize("url", ["/territoire/commune/99999/", "/territoire/scot/1/", "/territoire/foo/59350/"])
def test_unknown_territory_gives_helpful_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'role="search"' in html and 'name="q"' in html


def test_admin_pages(admin_client):
    for name in ("territory", "membership", "correspondence"):
        assert admin_client.get(f"/admin/territories/{name}/").status_code == 200
    # Land uses are code (territories.land_uses): no admin page offers edits the site would ignore.
    assert admin_client.get("/admin/territories/landuse/").status_code == 404
    assert admin_client.get("/admin/territories/territory/", {"q": "lille"}).status_code == 200


def test_home_links_region_and_departements(client):
    html = client.get("/").content.decode()
    assert 'href="/territoire/region/32/"' in html and 'href="/territoire/departement/02/"' in html
