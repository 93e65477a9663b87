"""ALDO quirks reproduced on purpose (METHOD.md §7), and ALDO's rule unit tests (ALDO_TEST_CASES.md §2)."""

import numpy as np
import pytest

from indicators.aldo import compute, load_bundle
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.common import (
    ART_ARB,
    ART_ENH,
    ART_IMP,
    CULTURES,
    FLUX_ID_POSITION,
    FLUX_IDS,
    FOR_FEUILLU,
    FOR_MIXTE,
    N_LAND_USES,
    PRAI_ARBO,
    PRAI_HERB,
    VERGERS,
    VIGNES,
    ZONES_HUMIDES,
)
from indicators.aldo.land_use_changes import adjust_artificial_changes
from indicators.aldo.pair_references import evaluate_formulas, litter_direction
from indicators.aldo.rules import rules_for
from indicators.aldo.stocks import split_artificial

from .synthetic import FIXTURES, read_table, subset_files, write_table

AISNE_COMMUNE, NORD_COMMUNE = "02198", "59350"


@pytest.fixture(scope="module")
def hdf_chanterelle():
    return load_bundle(FIXTURES / "chanterelle")


@pytest.fixture(scope="module")
def hdf_hetre():
    return load_bundle(FIXTURES / "hetre")


def value(result, territory, measure, land_use, detail=""):
    values = result.values
    selected = values[
        (values["territory"] == territory)
        & (values["measure"] == measure)
        & (values["land_use"] == land_use)
        & (values["detail"] == detail)
    ]
    return selected["value"].sum()


def test_sign_convention_net_sequestration_is_negative(hdf_chanterelle):
    result = compute(hdf_chanterelle, {"59350": ["59350"]}, details=True)
    entries = result.details["flux_entries"]
    growth = entries[entries["component"] == "croissance_biomasse_foret"]
    assert (growth["aldo_value"] > 0).all() and (growth["value"] < 0).all()
    assert value(result, "59350", "flux", "total") == pytest.approx(-entries["aldo_value"].sum())


def test_biomass_stock_density_is_truncated_like_parseint():
    files = subset_files("chanterelle", [NORD_COMMUNE])
    biomass = read_table(files, "ref_biomass_stocks.csv")
    treed = (biomass["key"] == "NORD-OUEST") & (biomass["land_use"] == "prairies zones arborées")
    biomass.loc[treed, "tC_per_ha"] = "48.97"
    write_table(files, "ref_biomass_stocks.csv", biomass)
    result = compute(bundle_from_files(files), {"c": [NORD_COMMUNE]}, details=True)
    densities = result.details["densities"].set_index(["land_use", "reservoir"])["density"]
    assert densities["prairies zones arborées", "biomasse"] == 48


def test_ign_rows_match_on_the_insee_code_without_its_leading_zero():
    files = subset_files("chanterelle", [AISNE_COMMUNE])
    matched = compute(bundle_from_files(files), {"c": [AISNE_COMMUNE]})
    assert value(matched, "c", "surface", "forêt feuillu") > 0
    forest = read_table(files, "forest_areas.csv")
    assert (forest["ign_commune_code"] == AISNE_COMMUNE.removeprefix("0")).all()
    forest["ign_commune_code"] = AISNE_COMMUNE  # with its leading 0, ALDO would not find the rows
    write_table(files, "forest_areas.csv", forest)
    unmatched = compute(bundle_from_files(files), {"c": [AISNE_COMMUNE]})
    assert value(unmatched, "c", "surface", "forêt feuillu") == 0


def test_aisne_hedges_get_the_default_density_because_02_is_not_2(hdf_chanterelle):
    result = compute(hdf_chanterelle, {"aisne": [AISNE_COMMUNE], "nord": [NORD_COMMUNE]})
    hedges = read_table(subset_files("chanterelle", [AISNE_COMMUNE, NORD_COMMUNE]), "hedges.csv")
    length = hedges.set_index("territory_id")["length_km"].astype(float)
    default = hdf_chanterelle.constants["hedge_default_tC_per_km"]
    nord = hdf_chanterelle.tables["ref_hedge_carbon.csv"].set_index("dep_code").loc["59", "tC_per_km_total"]
    assert "2" in set(hdf_chanterelle.tables["ref_hedge_carbon.csv"]["dep_code"])
    assert value(result, "aisne", "stock", "haies", "biomasse") == pytest.approx(length[AISNE_COMMUNE] * default)
    assert value(result, "nord", "stock", "haies", "biomasse") == pytest.approx(length[NORD_COMMUNE] * nord)


def test_hetre_counts_forest_to_prairies_twice(hdf_hetre):
    result = compute(hdf_hetre, details=True)
    entries = result.details["flux_entries"]
    deforestation = entries[entries["component"] == "deforestation_biomasse"]
    parent = deforestation[deforestation["land_use"] == "prairies"]
    assert not parent.empty
    children = deforestation[deforestation["land_use"].str.startswith("prairies zones")]
    children_area = children.groupby(["territory", "from_land_use"])["area"].sum()
    parent_area = parent.set_index(["territory", "from_land_use"])["area"]
    np.testing.assert_allclose(parent_area, children_area[parent_area.index])
    flux_rows = result.values[(result.values["measure"] == "flux") & (result.values["land_use"] == "prairies")]
    assert set(flux_rows["detail"]) == {"deforestation_biomasse"}


def test_chanterelle_counts_forest_to_prairies_once(hdf_chanterelle):
    result = compute(hdf_chanterelle, details=True)
    assert "prairies" not in set(result.details["flux_entries"]["land_use"])


def test_chanterelle_splits_artificial_soils_per_commune(hdf_chanterelle):
    """The split is not linear: an EPCI's impermeable area is the sum of its communes' split areas."""
    members = hdf_chanterelle.epci_members()
    territories = {siren: ids for siren, ids in members.items()}
    result = compute(hdf_chanterelle, territories).values
    imp = result[(result["measure"] == "surface") & (result["land_use"] == "sols artificiels imperméabilisés")]
    communes = compute(hdf_chanterelle).values
    commune_imp = communes[
        (communes["measure"] == "surface")
        & (communes["land_use"] == "sols artificiels imperméabilisés")
        & ~communes["territory"].str.startswith("epci:")
    ].set_index("territory")["value"]
    for siren, ids in list(territories.items())[:10]:
        assert imp.set_index("territory")["value"][siren] == pytest.approx(commune_imp[ids].sum())


def test_hetre_n2o_uses_gwp_298_and_chanterelle_273(hdf_hetre, hdf_chanterelle):
    assert hdf_hetre.constants["n2o_gwp"] == 298
    assert hdf_chanterelle.constants["n2o_gwp"] == 273
    result = compute(hdf_hetre, details=True)
    n2o = result.details["flux_entries"].query("gas == 'N2O'")
    np.testing.assert_allclose(n2o["aldo_value"], n2o["value_native"] * 298)


# ALDO_TEST_CASES.md §2: rule unit tests with small fixtures.


def soil_table(**values) -> np.ndarray:
    table = np.full((1, len(FLUX_IDS), len(FLUX_IDS)), np.nan)
    for pair, number in values.items():
        source, target = pair.rsplit("_", 1) if pair.count("_") == 1 else pair.split("__")
        table[0, FLUX_ID_POSITION[source], FLUX_ID_POSITION[target]] = number
    return table


CHANTERELLE_TABLE = soil_table(
    prai_cult=-2, prai_for=3, zh_cult=-5, cult__art_imp=-7, zh_prai=-11, zh_for=13, cult_for=17, prai__art_arb=19
)


def chanterelle_soil(source, target):
    rules = rules_for("CHANTERELLE")
    return evaluate_formulas(CHANTERELLE_TABLE, rules.soil_flux_formulas(source, target))[0]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        (PRAI_ARBO, CULTURES, -2),  # fixture prai_cult = -2
        (CULTURES, VIGNES, 0),
        (CULTURES, VERGERS, 0),
        (PRAI_HERB, ART_ARB, 3),  # prairies -> arborés = prairies -> forêt
        (FOR_FEUILLU, ART_ARB, 0),
        (ZONES_HUMIDES, VERGERS, -5),  # zh -> cult
        (ZONES_HUMIDES, ART_IMP, -12),  # zh -> cult + cult -> imp
        (ZONES_HUMIDES, ART_ENH, -11),  # zh -> prai
        (ZONES_HUMIDES, ART_ARB, 13),  # zh -> for
        (VERGERS, CULTURES, 0),
        (VIGNES, VERGERS, 0),
        (VERGERS, ART_IMP, -7),  # cult -> imp
        (ART_IMP, FOR_MIXTE, 17),  # from imp: cult -> x
        (ART_ENH, CULTURES, -2),  # from enh: prai -> x
    ],
)
def test_chanterelle_soil_flux_exceptions(source, target, expected):
    assert chanterelle_soil(source, target) == expected


def test_annual_change_area_and_artificial_splits():
    share = 0.8
    raw = np.zeros((N_LAND_USES, N_LAND_USES))
    raw[CULTURES, ART_IMP] = raw[CULTURES, ART_ENH] = 10.0  # same CLC codes
    raw[CULTURES, ART_ARB] = 1.0
    raw[ART_ENH, ART_IMP] = 5.0
    raw[FOR_FEUILLU, ART_ENH] = raw[FOR_FEUILLU, ART_IMP] = 4.0
    raw[VERGERS, ART_ARB] = 2.0
    raw[PRAI_HERB, ART_IMP] = raw[PRAI_HERB, ART_ENH] = 1.0
    raw[PRAI_HERB, ART_ARB] = 3.0  # a large change to arborés
    changes = adjust_artificial_changes(raw, share)
    assert changes[CULTURES, ART_IMP] == pytest.approx(share * 11)  # p·(raw + arborés)
    assert changes[CULTURES, ART_ENH] == pytest.approx((1 - share) * 11 - 1)  # (1−p)·total − arborés
    assert changes[ART_ENH, ART_IMP] == 0
    assert changes[ART_IMP, ART_ENH] == 0
    assert changes[FOR_FEUILLU, ART_ENH] == pytest.approx((1 - share) * 4)
    assert changes[VERGERS, ART_ARB] == 0
    assert changes[PRAI_HERB, ART_IMP] == 1.0  # raw CLC value
    assert changes[PRAI_HERB, ART_ENH] == 0
    assert changes[PRAI_HERB, ART_ARB] == 3.0
    assert adjust_artificial_changes(raw, 0.5)[CULTURES, ART_IMP] == pytest.approx(0.5 * 11)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [(CULTURES, FOR_MIXTE, 1), (FOR_MIXTE, CULTURES, -1), (ZONES_HUMIDES, CULTURES, 0), (CULTURES, ART_ARB, 1)]
    + [(ART_ARB, CULTURES, 0)],
)
def test_forest_litter_direction(source, target, expected):
    assert litter_direction(source, target) == expected


def test_artificial_area_split():
    impermeable, grassy, treed = split_artificial(np.array([90.0, 70.0]), np.array([10.0, 30.0]), 0.8)
    np.testing.assert_allclose(impermeable, [80.0, 40.0])  # p·total, or built − treed when trees ≥ 20 %
    np.testing.assert_allclose(grassy, [10.0, 0.0])
    np.testing.assert_allclose(treed, [10.0, 30.0])
