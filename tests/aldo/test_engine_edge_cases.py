"""Engine behaviour on small synthetic bundles: missing forest, unknown units, empty territories, invariants."""

import numpy as np
import pandas as pd
import pytest

from indicators.aldo import Bundle, EngineResult, compute, load_bundle

from .synthetic import FIXTURES, read_table, subset_files, write_bundle, write_table

COMMUNES = ["59350", "59009", "02198"]  # Lille, Villeneuve-d'Ascq (MEL), and an Aisne commune
MEL = "245900410"  # Métropole Européenne de Lille (2018)


@pytest.fixture(scope="module")
def chanterelle_bundle(tmp_path_factory) -> Bundle:
    files = subset_files("chanterelle", COMMUNES)
    forest = read_table(files, "forest_areas.csv")
    write_table(files, "forest_areas.csv", forest[forest["insee"] != "59009"])  # a commune without forest
    return load_bundle(write_bundle(files, tmp_path_factory.mktemp("chanterelle")))


@pytest.fixture(scope="module")
def hetre_bundle() -> Bundle:
    return load_bundle(FIXTURES / "hetre")


def rows(result: EngineResult, territory: str, measure: str) -> pd.DataFrame:
    values = result.values
    return values[(values["territory"] == territory) & (values["measure"] == measure)]


def test_public_api_shape(chanterelle_bundle):
    assert chanterelle_bundle.rule_set == "CHANTERELLE"
    assert chanterelle_bundle.unit_kind == "commune"
    assert set(chanterelle_bundle.units["id"]) == set(COMMUNES)
    assert chanterelle_bundle.epci_members()[MEL] == ["59009", "59350"]
    result = compute(chanterelle_bundle, {"mel": ["59350", "59009"]})
    assert list(result.values.columns) == ["territory", "measure", "land_use", "detail", "value", "provenance"]
    assert result.values["value"].dtype == np.float64
    assert not result.values["value"].isna().any()
    assert set(result.values["provenance"]) <= {"original", "rebuilt"}


def test_commune_without_forest(chanterelle_bundle):
    result = compute(chanterelle_bundle, {"59009": ["59009"]})
    surfaces = rows(result, "59009", "surface").set_index("land_use")["value"]
    assert surfaces[["forêt feuillu", "forêt conifere", "forêt mixte", "forêt peupleraie"]].eq(0).all()
    fluxes = rows(result, "59009", "flux")
    assert "croissance_biomasse_foret" not in set(fluxes["detail"])
    assert "produits_bois" not in set(fluxes["detail"])
    stocks = rows(result, "59009", "stock").set_index(["land_use", "detail"])["value"]
    assert stocks.loc["produits bois"].eq(0).all()
    assert not result.values["value"].isna().any()


def test_unknown_unit_makes_the_territory_unavailable(chanterelle_bundle):
    result = compute(chanterelle_bundle, {"ok": ["59350"], "partial": ["59350", "99999", "99998"]})
    assert set(result.unavailable) == {"partial"}
    assert "99999" in result.unavailable["partial"] and "99998" in result.unavailable["partial"]
    assert "absente(s) du millésime CHANTERELLE" in result.unavailable["partial"]
    assert set(result.values["territory"]) == {"ok"}


def test_empty_mapping_and_empty_territory(chanterelle_bundle):
    empty = compute(chanterelle_bundle, {})
    assert empty.values.empty and empty.unavailable == {}
    assert list(empty.values.columns) == ["territory", "measure", "land_use", "detail", "value", "provenance"]
    result = compute(chanterelle_bundle, {"vide": []})
    assert result.values.empty
    assert "vide" in result.unavailable["vide"]


def test_duplicate_units_count_once(chanterelle_bundle):
    once = compute(chanterelle_bundle, {"t": ["59350"]}).values
    twice = compute(chanterelle_bundle, {"t": ["59350", "59350"]}).values
    pd.testing.assert_frame_equal(once, twice)


def test_group_is_sum_of_its_communes(chanterelle_bundle):
    result = compute(chanterelle_bundle, {"mel": ["59350", "59009"], "a": ["59350"], "b": ["59009"]})
    values = result.values[result.values["measure"].isin(["stock", "surface", "flux"])]
    table = values.pivot_table(index=["measure", "land_use", "detail"], columns="territory", values="value")
    table = table.fillna(0.0)
    np.testing.assert_allclose(table["mel"], table["a"] + table["b"], rtol=1e-12, atol=1e-9)


def test_default_territories(chanterelle_bundle, hetre_bundle):
    keys = set(compute(chanterelle_bundle).values["territory"])
    assert keys == set(COMMUNES) | {f"epci:{siren}" for siren in chanterelle_bundle.epci_members()}
    hetre_keys = set(compute(hetre_bundle).values["territory"])
    assert hetre_keys == set(hetre_bundle.units["id"])


def test_hetre_totals_are_sums_of_parts(hetre_bundle):
    values = compute(hetre_bundle).values
    parts = values[values["land_use"] != "total"]
    totals = values[values["land_use"] == "total"].set_index(["territory", "measure"])["value"]
    stock = parts[parts["measure"] == "stock"].groupby("territory")["value"].sum()
    np.testing.assert_allclose(totals.xs("stock", level="measure")[stock.index], stock, rtol=1e-12)
    area = parts[(parts["measure"] == "surface") & (parts["land_use"] != "haies")].groupby("territory")["value"].sum()
    np.testing.assert_allclose(totals.xs("surface", level="measure")[area.index], area, rtol=1e-12)
    flux = parts[parts["measure"] == "flux"].groupby("territory")["value"].sum()
    np.testing.assert_allclose(totals.xs("flux", level="measure")[flux.index], flux, rtol=1e-9, atol=1e-6)
    per_hectare = totals.xs("stock", level="measure") / totals.xs("surface", level="measure")
    np.testing.assert_allclose(totals.xs("stock_hectare", level="measure")[per_hectare.index], per_hectare)


def test_hetre_provenance(hetre_bundle):
    values = compute(hetre_bundle, {"e": ["200018083"]}).values
    surfaces = values[values["measure"] == "surface"].set_index("land_use")["provenance"]
    assert surfaces["cultures"] == "original"  # HETRE CLC areas are original
    assert surfaces["forêt feuillu"] == "rebuilt"  # forest areas are rebuilt
    hedge_stock = values[(values["measure"] == "stock") & (values["land_use"] == "haies")]
    assert hedge_stock["provenance"].iloc[0] == "rebuilt"  # hedge density comes from rebuilt forest rows
