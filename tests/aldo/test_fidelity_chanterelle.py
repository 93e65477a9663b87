"""CHANTERELLE fidelity: the engine reproduces ALDO's own outputs (reference/) from the bundle they come from."""

import numpy as np
import pandas as pd
import pytest

from indicators.aldo import compute, load_bundle

pytestmark = pytest.mark.shared

RELATIVE, ABSOLUTE = 1e-6, 0.01
WOOD_RESERVOIRS = {"BO (récolte)": "BO", "BI (récolte)": "BI"}


def assert_close(actual: pd.Series, expected: pd.Series, what: str) -> None:
    joined = pd.concat({"actual": actual, "expected": expected}, axis=1).fillna(0.0)
    tolerance = np.maximum(RELATIVE * joined["expected"].abs(), ABSOLUTE)
    wrong = joined[(joined["actual"] - joined["expected"]).abs() > tolerance]
    assert wrong.empty, f"{what}: {len(wrong)} mismatches\n{wrong.head(20)}"


@pytest.fixture(scope="module")
def reference(aldo_dir):
    folder = aldo_dir / "reference"
    return {
        name: pd.read_csv(folder / f"chanterelle_{name}.csv", dtype={"epci_siren": str, "insee": str})
        for name in ("totals", "stocks", "flux", "commune_totals")
    }


@pytest.fixture(scope="module")
def result(aldo_dir, reference):
    bundle = load_bundle(aldo_dir / "bundles" / "chanterelle")
    members = bundle.epci_members()
    territories = {siren: members[siren] for siren in reference["totals"]["epci_siren"]}
    territories.update({insee: [insee] for insee in reference["commune_totals"]["insee"]})
    result = compute(bundle, territories)
    assert result.unavailable == {}
    return result.values.set_index(["territory", "measure", "land_use", "detail"])["value"]


def test_stocks_per_land_use_and_reservoir(reference, result):
    stocks = reference["stocks"]
    stocks = stocks[stocks["included_in_total"].astype(str).str.lower() == "true"]
    reservoir = stocks["reservoir"].replace(WOOD_RESERVOIRS)
    expected = pd.Series(
        stocks["stock_tC"].to_numpy(),
        index=pd.MultiIndex.from_arrays([stocks["epci_siren"], stocks["land_use"], reservoir]),
    )
    actual = result.xs("stock", level="measure").reindex(expected.index)
    assert_close(actual, expected, "stocks")


def test_areas(reference, result):
    stocks = reference["stocks"]
    areas = stocks[stocks["area_unit"].isin(["ha", "km"])].drop_duplicates(["epci_siren", "land_use"])
    detail = np.where(areas["land_use"] == "haies", areas["area_unit"], "").astype(object)
    index = pd.MultiIndex.from_arrays([areas["epci_siren"], areas["land_use"], detail])
    expected = pd.Series(areas["area"].astype(float).to_numpy(), index=index)
    assert_close(result.xs("surface", level="measure").reindex(index), expected, "areas")


def test_stock_per_hectare_is_sum_of_reservoir_densities(reference, result):
    stocks = reference["stocks"]
    stocks = stocks[stocks["area_unit"] == "ha"]
    expected = stocks.groupby(["epci_siren", "land_use"])["density_tC_per_unit"].sum()
    expected.index = pd.MultiIndex.from_arrays(
        [expected.index.get_level_values(0), expected.index.get_level_values(1), [""] * len(expected)]
    )
    actual = result.xs("stock_hectare", level="measure").reindex(expected.index)
    assert_close(actual, expected, "stock per hectare")


def test_fluxes_per_land_use_and_component(reference, result):
    flux = reference["flux"]
    flux = flux[flux["component"] != "produits_bois_consommation"]
    expected = flux.groupby(["epci_siren", "land_use", "component"])["flux_tCO2e_per_year"].sum()
    fluxes = result.xs("flux", level="measure")
    fluxes = fluxes[fluxes.index.get_level_values("land_use") != "total"]
    fluxes = fluxes[fluxes.index.get_level_values("territory").isin(expected.index.get_level_values(0))]
    actual = fluxes.rename_axis(expected.index.names)
    assert_close(actual, expected, "fluxes")
    assert set(actual.index) == set(expected.index)


def test_epci_totals(reference, result):
    totals = reference["totals"].set_index("epci_siren")
    for measure, column in (
        ("stock", "stock_total_tC"),
        ("surface", "area_ha"),
        ("stock_hectare", "stock_tC_per_ha"),
        ("flux", "flux_total_tCO2e"),
    ):
        actual = result.xs((measure, "total", ""), level=["measure", "land_use", "detail"]).reindex(totals.index)
        assert_close(actual, totals[column], f"total {measure}")


def test_commune_totals(reference, result):
    totals = reference["commune_totals"].set_index("insee")
    for measure, column in (("stock", "stock_total_tC"), ("surface", "area_ha"), ("flux", "flux_total_tCO2e")):
        actual = result.xs((measure, "total", ""), level=["measure", "land_use", "detail"]).reindex(totals.index)
        assert_close(actual, totals[column], f"commune total {measure}")


def test_land_use_change_areas_are_those_under_aldo_soil_fluxes(reference, result):
    """ALDO's soil-flux entries carry the changed area of each (left, reached) pair: ours are the same."""
    flux = reference["flux"]
    soil = flux[(flux["component"] == "changement_occupation_sol") & (flux["reservoir"] == "sol")]
    soil = soil.drop_duplicates(["epci_siren", "from_land_use", "land_use"])
    index = pd.MultiIndex.from_arrays([soil["epci_siren"], soil["land_use"], soil["from_land_use"]])
    expected = pd.Series(soil["area_ha"].to_numpy(), index=index)
    assert len(expected) > 100
    assert_close(result.xs("surface_changee", level="measure").reindex(index), expected, "land-use change areas")
