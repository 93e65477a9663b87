"""Data-quality facts of each computed territory: how much of each input it was computed from, how much of that came
from rebuilt rows, and how many computation units it is made of."""

import numpy as np
import pandas as pd
import pytest

from indicators.aldo import INPUT_LABELS, compute, load_bundle
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.validation import validate_bundle_files

from .synthetic import FIXTURES, subset_files, write_table

LILLE, VILLENEUVE, MEL = "59350", "59009", "245900410"
SAINT_QUENTINOIS = "200071892"


def forest_row(insee: str, composition: str, area: float, provenance: str) -> dict:
    return {
        "insee": insee,
        "ign_commune_code": insee,
        "epci_siren": MEL,
        "composition": composition,
        "area_ha": area,
        "code_groupeser": "B2",
        "code_greco": "B",
        "code_rad13": "HDF",
        "code_bassin_populicole": "Nord",
        "provenance": provenance,
    }


@pytest.fixture(scope="module")
def synthetic_facts():
    """Lille has inputs of both provenances (and rows the engine does not read); Villeneuve-d'Ascq has forest only."""
    files = subset_files("chanterelle", [LILLE, VILLENEUVE])
    areas = [
        (LILLE, "211", 10.0, "original"),
        (LILLE, "231", 5.0, "rebuilt"),
        (LILLE, "311", 7.0, "rebuilt"),  # forest CLC codes give no area (forest areas come from forest_areas.csv)
        (LILLE, "331", 2.0, "rebuilt"),  # beaches: not an ALDO land use
    ]
    write_table(
        files, "clc_areas.csv", pd.DataFrame(areas, columns=["territory_id", "clc_code", "area_ha", "provenance"])
    )
    forest = [
        forest_row(LILLE, "Feuillu", 20.0, "original"),
        forest_row(LILLE, "Mixte", 4.0, "rebuilt"),
        forest_row(VILLENEUVE, "Feuillu", 8.0, "original"),
    ]
    write_table(files, "forest_areas.csv", pd.DataFrame(forest))
    hedges = [(LILLE, "59", 3.0, "km", "rebuilt")]
    write_table(
        files,
        "hedges.csv",
        pd.DataFrame(hedges, columns=["territory_id", "dep_code", "length_km", "unit", "provenance"]),
    )
    changes = [
        (LILLE, "211", "112", 6.0, "original"),
        (LILLE, "231", "211", 12.0, "rebuilt"),
        (LILLE, "331", "211", 1.0, "rebuilt"),  # from a class ALDO does not read
    ]
    columns = ["territory_id", "clc_code_2012", "clc_code_2018", "area_ha", "provenance"]
    write_table(files, "clc_changes.csv", pd.DataFrame(changes, columns=columns))
    assert validate_bundle_files(files) == []

    return compute(
        bundle_from_files(files), {"lille": [LILLE], "villeneuve": [VILLENEUVE], "both": [LILLE, VILLENEUVE]}
    )


def facts_of(result, territory: str) -> pd.DataFrame:
    inputs = result.inputs
    return inputs[inputs["territory"] == territory].set_index("input")[["total", "rebuilt", "unit"]]


def test_facts_of_a_commune_with_inputs_of_both_provenances(synthetic_facts):
    expected = pd.DataFrame(
        {
            "total": [15.0, 24.0, 3.0, 18.0],
            "rebuilt": [5.0, 4.0, 3.0, 12.0],
            "unit": ["ha", "ha", "km", "ha"],
        },
        index=pd.Index(["land_use_areas", "forest_areas", "hedges", "land_use_changes"], name="input"),
    )
    pd.testing.assert_frame_equal(facts_of(synthetic_facts, "lille"), expected)


def test_facts_of_a_commune_with_forest_only(synthetic_facts):
    facts = facts_of(synthetic_facts, "villeneuve")
    assert facts["total"].to_dict() == {"land_use_areas": 0, "forest_areas": 8, "hedges": 0, "land_use_changes": 0}
    assert (facts["rebuilt"] == 0).all()


def test_facts_of_a_group_are_the_sums_of_its_units(synthetic_facts):
    facts = facts_of(synthetic_facts, "both")
    assert facts["total"].to_dict() == {"land_use_areas": 15, "forest_areas": 32, "hedges": 3, "land_use_changes": 18}
    assert facts["rebuilt"].to_dict() == {"land_use_areas": 5, "forest_areas": 4, "hedges": 3, "land_use_changes": 12}
    assert synthetic_facts.unit_counts.to_dict() == {"lille": 1, "villeneuve": 1, "both": 2}


@pytest.fixture(scope="module")
def chanterelle():
    bundle = load_bundle(FIXTURES / "chanterelle")
    return bundle, compute(bundle)


def test_saint_quentinois_has_forest_areas_but_no_land_use_areas(chanterelle):
    """The bundle has CLC rows for none of the 39 communes of the CA du Saint-Quentinois: its only area is forest."""
    bundle, result = chanterelle
    key = f"epci:{SAINT_QUENTINOIS}"
    facts = facts_of(result, key)

    assert result.unit_counts[key] == 39 == len(bundle.epci_members()[SAINT_QUENTINOIS])
    assert facts.loc["land_use_areas", "total"] == 0
    assert facts.loc["forest_areas", "total"] == pytest.approx(2857.1)
    surface = result.values.query("territory == @key and measure == 'surface' and land_use == 'total'")["value"]
    assert surface.item() == pytest.approx(facts.loc["forest_areas", "total"])
    complete = facts_of(result, f"epci:{MEL}")  # a complete EPCI, for contrast
    assert complete.loc["land_use_areas", "total"] > 10 * complete.loc["forest_areas", "total"]


def test_bundled_chanterelle_provenance_per_input(chanterelle):
    """Commune land-use areas, forest areas and hedges are rebuilt in the bundled release; the changes are original."""
    _, result = chanterelle
    totals = result.inputs.groupby("input")[["total", "rebuilt"]].sum()
    assert set(totals.index) == set(INPUT_LABELS)
    for rebuilt_input in ("land_use_areas", "forest_areas", "hedges"):
        assert totals.loc[rebuilt_input, "rebuilt"] == pytest.approx(totals.loc[rebuilt_input, "total"])
        assert totals.loc[rebuilt_input, "total"] > 0
    assert totals.loc["land_use_changes", "rebuilt"] == 0 < totals.loc["land_use_changes", "total"]


@pytest.mark.parametrize(("release", "hedge_unit"), [("chanterelle", "km"), ("hetre", "ha")])
def test_forest_and_hedge_facts_are_the_areas_and_lengths_of_the_figures(release, hedge_unit):
    result = compute(load_bundle(FIXTURES / release))
    facts = result.inputs.pivot(index="territory", columns="input", values="total")
    surfaces = result.values[result.values["measure"] == "surface"]
    forest = surfaces[surfaces["land_use"].str.startswith("forêt")].groupby("territory")["value"].sum()
    hedges = surfaces[surfaces["land_use"] == "haies"].set_index("territory")["value"]
    np.testing.assert_allclose(facts["forest_areas"][forest.index], forest, rtol=1e-12)
    np.testing.assert_allclose(facts["hedges"][hedges.index], hedges, rtol=1e-12)
    assert set(result.inputs.loc[result.inputs["input"] == "hedges", "unit"]) == {hedge_unit}
    assert set(result.unit_counts.index) == set(facts.index)
