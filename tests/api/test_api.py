"""The open API as a developer uses it: search, territories, releases, indicators, values, CSV, limits."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from indicators.models import IndicatorValue, Release, TerritoryResult
from indicators.registry import indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    return Release.objects.current()


@pytest.fixture
def epci(release):
    result = (
        TerritoryResult.objects.filter(
            release=release, available=True, territory__kind="epci", territory__geography="2018"
        )
        .select_related("territory")
        .order_by("territory__code")
        .first()
    )
    return result.territory


def test_search_finds_a_territory_by_name_without_accents(client, epci):
    response = client.get(reverse("v1:territory-list"), {"q": epci.name.upper(), "kind": "epci"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["name"] == epci.name
    assert results[0]["url"].endswith(f"/api/v1/territories/epci/{epci.code}/?geography={results[0]['geography']}")
    assert all(item["kind"] == "epci" for item in results)


def test_territories_filter_by_kind_and_geography_and_paginate(client):
    response = client.get(reverse("v1:territory-list"), {"kind": "departement", "geography": "2018", "limit": 2})

    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2 and body["next"]
    assert {item["geography"] for item in body["results"]} == {"2018"}
    assert client.get(reverse("v1:territory-list"), {"kind": "planete"}).status_code == 400


def test_territory_detail_lists_members_and_parents(client, epci):
    response = client.get(reverse("v1:territory-detail", args=["epci", epci.code]), {"geography": "2018"})

    body = response.json()
    assert body["name"] == epci.name and body["geography"] == "2018"
    assert len(body["members"]) == epci.members.count() > 0
    assert {"departement", "region"} <= {parent["kind"] for parent in body["parents"]}
    assert client.get(reverse("v1:territory-detail", args=["epci", "000000000"])).status_code == 404


def test_releases_lists_published_releases_only(client, release):
    Release.objects.create(slug="brouillon", name="BROUILLON", rule_set="HETRE")

    slugs = [item["slug"] for item in client.get(reverse("v1:release-list")).json()]

    assert release.slug in slugs and "brouillon" not in slugs
    assert client.get(reverse("v1:release-detail", args=["brouillon"])).status_code == 404


def test_indicators_give_their_metadata(client):
    body = client.get(reverse("v1:indicator-list")).json()

    assert [item["slug"] for item in body] == [indicator.slug for indicator in indicators()]
    flux = client.get(reverse("v1:indicator-detail", args=["flux-carbone"])).json()
    assert flux["unit"] == "tCO2e/an" and "séquestration nette" in flux["sign_convention"]


def test_values_are_the_stored_figures_with_their_breakdown(client, release, epci):
    url = reverse("v1:territory-values", args=["epci", epci.code])
    params = {"release": release.slug, "indicator": "stock-carbone-occupation", "geography": "2018"}

    rows = client.get(url, params).json()

    stored = IndicatorValue.objects.filter(release=release, territory=epci, measure="stock")
    assert len(rows) == stored.count()
    total = next(row for row in rows if row["land_use"] == "total")
    assert total["value"] == stored.get(land_use="total").value
    soil = [row for row in rows if row["detail"] == "sol"]
    assert soil and all(row["detail_label"] == "Sol (0-30 cm)" and row["land_use_label"] for row in soil)
    assert {row["unit"] for row in rows} == {"tC"}


def test_hetre_double_counted_grassland_and_eu_categories_keep_their_own_labels(client):
    hetre = Release.objects.published().get(slug="hetre")
    counted = IndicatorValue.objects.filter(release=hetre, measure="flux", land_use="prairies").first()
    territory = counted.territory
    url = reverse("v1:territory-values", args=[territory.kind, territory.code])
    params = {"release": "hetre", "geography": territory.geography}

    rows = client.get(url, params).json()

    twice = [row for row in rows if row["land_use"] == "prairies" and row["measure"] == "flux"]
    assert twice and all(
        row["land_use_label"].startswith("Prairies (défrichement compté une seconde fois") for row in twice
    )
    assert all(row["land_use_group"] == "Prairies" for row in twice)
    # The EU category of managed grassland has the same id: its own label, no group.
    managed = IndicatorValue.objects.filter(release=hetre, measure="flux_categorie_ue", land_use="prairies").first()
    url = reverse("v1:territory-values", args=[managed.territory.kind, managed.territory.code])
    rows = client.get(url, {**params, "geography": managed.territory.geography}).json()
    categories = [row for row in rows if row["measure"] == "flux_categorie_ue" and row["land_use"] == "prairies"]
    assert categories and all(row["land_use_label"] == "Prairies gérées" for row in categories)
    assert all(row["land_use_group"] == "" for row in categories)


def test_values_as_csv(client, release, epci):
    url = reverse("v1:territory-values", args=["epci", epci.code])
    response = client.get(url, {"indicator": "flux-carbone", "geography": "2018", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    total = next(row for row in rows if row["land_use"] == "total")
    stored = IndicatorValue.objects.get(release=release, territory=epci, measure="flux", land_use="total")
    assert float(total["value"]) == stored.value
    assert total["territory_code"] == epci.code and total["release"] == release.slug


def test_values_reject_unknown_or_unpublished_releases(client, epci):
    url = reverse("v1:territory-values", args=["epci", epci.code])
    assert client.get(url, {"release": "inconnu"}).status_code == 404
    response = client.get(url, {"indicator": "autre", "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"  # errors stay JSON, as documented


def test_csv_cells_from_data_cannot_run_as_formulas(client, epci):
    epci.name = "=1+2"
    epci.save()
    response = client.get(reverse("v1:territory-list"), {"q": epci.code, "format": "csv"})

    assert "'=1+2" in response.content.decode()


def test_anonymous_clients_are_rate_limited_and_read_only(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    url = reverse("v1:indicator-list")

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    cache.clear()  # throttle counters live in the cache
    assert client.post(url, {}).status_code == 405


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_rotating_x_forwarded_for_does_not_escape_the_rate_limit(trusted_proxies, client, monkeypatch, settings):
    settings.TRUSTED_PROXIES = trusted_proxies
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    url = reverse("v1:indicator-list")
    forged = [f"203.0.113.{number}, 198.51.100.7" for number in range(5)]

    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=header).status_code for header in forged]

    assert statuses == [200, 200, 200, 429, 429]
    another_client = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code
    assert another_client == (200 if trusted_proxies else 429)  # without a proxy, everyone is REMOTE_ADDR


def test_options_of_the_api_documentation_is_refused_not_an_error(client):
    assert client.options(reverse("v1:docs")).status_code == 405
    assert client.options(reverse("v1:release-list")).status_code == 200


def test_schema_and_docs_are_served_by_the_site_under_the_csp(client):
    schema = client.get(reverse("v1:schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/territories/{kind}/{code}/values/" in schema.json()["paths"]

    docs = client.get(reverse("v1:docs"))
    html = docs.content.decode()
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert "<script>" not in html  # no inline script: the initialiser is a separate file
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body>")[1]  # nothing from a third-party host
    script = client.get(reverse("v1:docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("v1:schema") in script.content.decode()
