"""ALDO's own HETRE test expectations (ALDO_TEST_CASES.md §1, HETRE 866dbeb), on the HETRE France bundle, that
CHANTERELLE does not share (the shared ones are in test_aldo_cases.py)."""

import pytest

from indicators.aldo import compute

from .aldo_cases import (
    aldo_summary,
    entries_of,
    soil_entries_into_cultures,
    within,
    without_prairie_to_cultures_changes,
)

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def hetre_france(france_bundle):
    return france_bundle("HETRE")


@pytest.fixture(scope="module")
def result(case_result):
    return case_result("HETRE")


def value_of(result, territory, measure, land_use, detail=""):
    values = result.values
    row = values[
        (values["territory"] == territory)
        & (values["measure"] == measure)
        & (values["land_use"] == land_use)
        & (values["detail"] == detail)
    ]
    assert len(row) == 1
    return row["value"].iloc[0]


def density_of(result, territory, land_use, reservoir):
    densities = result.details["densities"]
    row = densities[
        (densities["territory"] == territory)
        & (densities["land_use"] == land_use)
        & (densities["reservoir"] == reservoir)
    ]
    return row["density"].iloc[0]


def test_h10_no_prairie_to_cultures_change_means_less_emission(hetre_france, result):
    siren = "245700398"
    modified = compute(without_prairie_to_cultures_changes(hetre_france, [siren]), {siren: [siren]})
    assert aldo_summary(modified, siren, "cultures") > aldo_summary(result, siren, "cultures")


def test_h11_soil_density_of_cultures(result):
    assert density_of(result, "200000172", "cultures", "sol") == pytest.approx(54.63076734, rel=1e-12)


def test_h12_h13_areas_from_clc_codes(result):
    assert value_of(result, "200000172", "surface", "cultures") == pytest.approx(1740.7313534999998, rel=1e-12)
    assert value_of(result, "200000172", "surface", "prairies zones herbacées") == pytest.approx(2522.1652952)


def test_h14_biomass_density_of_treed_prairies(result):
    assert density_of(result, "200000172", "prairies zones arborées", "biomasse") == 57


def test_h15_hedge_area(result):
    assert value_of(result, "249500513", "surface", "haies", "ha") == pytest.approx(33.79485686)


def test_h16_forest_litter_density_is_9_for_every_subtype(result):
    densities = result.details["densities"]
    litter = densities[densities["reservoir"] == "litière"]
    assert set(litter["land_use"]) == {"forêt feuillu", "forêt conifere", "forêt mixte", "forêt peupleraie"}
    assert (litter["density"] == 9).all()


def test_h17_only_known_land_uses_have_an_area(result):
    """ALDO throws on an unknown ground type ('lake'); here the set of land uses is closed."""
    surfaces = result.values[result.values["measure"] == "surface"]
    assert "lake" not in set(surfaces["land_use"])
    assert len(set(surfaces["land_use"]) - {"total", "haies"}) == 14


def test_h19_annual_change_areas_into_cultures(result):
    entries = soil_entries_into_cultures(result, "200007177").set_index("from_land_use")["area"]
    assert within(entries["prairies zones arborées"], 0, 2)
    assert within(entries["prairies zones arbustives"], 3.60, 2)
    assert within(entries["prairies zones herbacées"], 39.57, 2)


def test_h20_artificial_change_split(result):
    entries = entries_of(result, "200007177")
    soil = entries[(entries["reservoir"] == "sol") & (entries["from_land_use"] == "cultures")]
    areas = soil.set_index("land_use")["area"]
    assert within(areas["sols artificiels imperméabilisés"], 1.69, 2)
    assert within(areas["sols artificiels arbustifs"], 0.42, 2)


def test_h22_epci_list_and_france_population(hetre_france):
    assert len(hetre_france.units) == 1248
    assert hetre_france.units["population"].sum() == 65_705_495
    assert hetre_france.constants["france_population"] == 65_705_495


def test_h23_epci_by_name(hetre_france):
    epci = hetre_france.units[hetre_france.units["name"] == "CC Le Grésivaudan"].iloc[0]
    assert epci["id"] == "200018166"
    assert epci["population"] == 104039
