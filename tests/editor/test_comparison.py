"""Comparing two releases: the editor's review of every territory, and one territory's land-use decomposition."""

import re

import pandas as pd
import pytest
from django.urls import reverse

from indicators import comparison as cmp
from indicators.comparison import compare_releases, compare_territory
from indicators.models import Release, TerritoryResult
from indicators.storage import VALUE_COLUMNS, write_values
from territories.models import Territory

pytestmark = pytest.mark.django_db


def make_release(slug: str, territories: dict, unavailable=()) -> Release:
    """``territories``: {territory: {(measure, land_use, detail): value}}."""
    release = Release.objects.create(slug=slug, name=slug.upper(), rule_set="CHANTERELLE")
    for territory, figures in territories.items():
        TerritoryResult.objects.create(release=release, territory=territory, available=True)
        write_values(  # as an import writes them, with their land-use figures
            pd.DataFrame(
                [
                    (release.pk, territory.pk, measure, land_use, detail, value, "original")
                    for (measure, land_use, detail), value in figures.items()
                ],
                columns=VALUE_COLUMNS,
            )
        )
    for territory in unavailable:
        TerritoryResult.objects.create(release=release, territory=territory, available=False, unavailable_reason="non")
    return release


@pytest.fixture
def places(db):
    return [
        Territory.objects.create(kind="epci", code=code, geography="2018", name=name, search_text=name.lower())
        for code, name in [("999000001", "Test Un"), ("999000002", "Test Deux"), ("999000003", "Test Trois")]
    ]


def land_use_figures(area: float, density: float, land_use: str = "cultures") -> dict:
    return {
        ("surface", land_use, ""): area,
        ("stock_hectare", land_use, ""): density,
        # stored by reservoir only: the comparison adds them up
        ("stock", land_use, "sol"): area * density * 0.75,
        ("stock", land_use, "biomasse"): area * density * 0.25,
    }


def test_compare_releases_orders_by_largest_change_and_reads_missing_figures_as_zero(places):
    one, two, three = places
    old = make_release(
        "essai-avant",
        {one: {("stock", "total", ""): 1000.0}, two: {("stock", "total", ""): 500.0}},
        unavailable=[three],
    )
    new = make_release(
        "essai-apres",
        {
            one: {("stock", "total", ""): 1100.0, ("flux", "total", ""): -40.0},
            two: {},  # computed, every figure zero
            three: {("stock", "total", ""): 7.0},
        },
    )

    frame = compare_releases(old, new, kind="epci", measures=["stock", "flux"])

    stock = frame[frame["measure"] == "stock"].set_index("territory_code")
    assert list(stock.index) == ["999000003", "999000002", "999000001"]  # appeared, then -500, then +100
    assert stock.loc["999000001", ["old", "new", "change"]].tolist() == [1000.0, 1100.0, 100.0]
    assert stock.loc["999000001", "change_pct"] == pytest.approx(10.0)
    assert stock.loc["999000002", ["new", "change_pct"]].tolist() == [0.0, -100.0]
    assert stock.loc["999000003", "old"] != stock.loc["999000003", "old"]  # NaN: not computed before
    flux = frame[frame["measure"] == "flux"].set_index("territory_code")
    assert flux.loc["999000001", ["old", "new"]].tolist() == [0.0, -40.0]
    assert flux.loc["999000001", "unit"] == "tCO2e/an"


def test_compare_territory_splits_a_stock_change_into_areas_and_coefficients(places):
    one = places[0]
    old = make_release(
        "essai-avant",
        {
            one: {
                **land_use_figures(100, 50, "cultures"),
                **land_use_figures(10, 200, "forêt feuillu"),
                **land_use_figures(30, 80, "prairies zones herbacées"),
                ("stock", "produits bois", "BO"): 300.0,
                ("stock", "total", ""): 5000 + 2000 + 2400 + 300.0,
            }
        },
    )
    new = make_release(
        "essai-apres",
        {
            one: {
                **land_use_figures(120, 50, "cultures"),  # only the area changes
                **land_use_figures(10, 260, "forêt feuillu"),  # only the density changes
                **land_use_figures(30, 80, "prairies zones herbacées"),  # nothing changes
                ("stock", "produits bois", "BO"): 360.0,  # no area at all
                **land_use_figures(5, 40, "vergers"),  # a new land use
                ("stock", "total", ""): 6000 + 2600 + 2400 + 360 + 200.0,
            }
        },
    )

    comparison = compare_territory(one, old, new)

    assert comparison.available
    by_land_use = {change.land_use: change for change in comparison.land_uses}
    names = ["cultures", "forêt feuillu", "prairies zones herbacées", "produits bois", "vergers"]
    crops, forest, grass, wood, orchards = (by_land_use[name] for name in names)
    assert (crops.stock_change, crops.area_effect, crops.density_effect) == pytest.approx((1000, 1000, 0))
    assert crops.cause == cmp.CAUSE_AREA
    assert (forest.stock_change, forest.area_effect, forest.density_effect) == pytest.approx((600, 0, 600))
    assert forest.cause == cmp.CAUSE_DENSITY
    assert grass.cause == cmp.CAUSE_NONE
    assert (wood.other_effect, wood.cause) == (pytest.approx(60), cmp.CAUSE_OTHER)
    assert (orchards.area_effect, orchards.density_effect, orchards.cause) == (pytest.approx(200), 0, cmp.CAUSE_AREA)
    for change in comparison.land_uses:  # the parts always add up to the change
        assert change.area_effect + change.density_effect + change.other_effect == pytest.approx(change.stock_change)
    assert comparison.main_cause == cmp.CAUSE_AREA  # +1200 from areas against +600 from coefficients
    assert comparison.totals[0].change == pytest.approx(1860)
    assert [change.label for change in comparison.land_uses][:2] == ["Cultures", "Prairies – zones herbacées"]


def test_compare_territory_says_why_a_territory_cannot_be_compared(places):
    one, two = places[:2]
    old = make_release("essai-avant", {two: {}}, unavailable=[one])
    new = make_release("essai-apres", {one: {}, two: {}})
    comparison = compare_territory(one, old, new)
    assert not comparison.available
    assert comparison.unavailable_reasons == ["ESSAI-AVANT : non"]


def test_the_public_comparison_page_explains_hetre_to_chanterelle_for_an_epci(client, releases):
    url = reverse("pages:comparison", args=["epci", "200035442"])
    response = client.get(url, {"de": "hetre", "a": "chanterelle", "geographie": "2018"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce qui change entre HETRE et CHANTERELLE" in page
    assert "Écart dû aux surfaces" in page and "Écart dû aux coefficients" in page
    assert "Ce changement vient surtout des" in page
    comparison = response.context["comparison"]
    assert comparison.available
    stock = comparison.totals[0]
    explained = comparison.area_effect + comparison.density_effect + comparison.other_effect
    assert explained == pytest.approx(stock.change, rel=1e-6)


def test_the_public_comparison_page_defaults_to_the_current_release_and_answers_404_for_unknown_places(
    client, releases
):
    response = client.get(reverse("pages:comparison", args=["region", "32"]))
    assert response.status_code == 200
    assert response.context["new"] == releases["chanterelle"]
    assert response.context["old"] == releases["hetre"]
    assert client.get(reverse("pages:comparison", args=["epci", "000000000"])).status_code == 404


def test_the_public_comparison_page_says_how_far_each_release_can_be_trusted(client, releases):
    url = reverse("pages:comparison", args=["epci", "200071892"])  # CA du Saint-Quentinois: no land-use rows
    page = client.get(url, {"de": "hetre", "a": "chanterelle", "geographie": "2018"}).content.decode()
    for release in ("HETRE", "CHANTERELLE"):
        assert re.search(
            rf"{release}[^<]* : qualité des chiffres <span class=\"quality quality--incomplet\">Incomplet", page
        )
    assert "seules les forêts sont comptées" in page
