"""EU LULUCF accounting categories: the rule for each pair of land uses, and two worked examples on real inputs."""

import pandas as pd
import pytest

from indicators.aldo import EU_CATEGORY_FLUX, compute, load_bundle
from indicators.aldo.eu_categories import (
    AFFORESTED,
    CROPLAND,
    DEFORESTED,
    FOREST,
    GRASSLAND,
    MANAGED_CROPLAND,
    MANAGED_FOREST,
    MANAGED_GRASSLAND,
    MANAGED_WETLAND,
    OUTSIDE,
    SETTLEMENT,
    TARGET_CATEGORY,
    WETLAND,
    category_of,
)
from indicators.aldo.fluxes import FLUX_TARGETS

from .synthetic import read_table, subset_files, write_bundle, write_table

COMMUNE = "02198"  # an Aisne commune with forest: its growth and wood products stay in managed forest land


@pytest.mark.parametrize(
    ("initial", "final", "category"),
    [
        (None, FOREST, MANAGED_FOREST),  # forest growth
        (None, "produits bois", MANAGED_FOREST),  # harvested wood products
        (FOREST, FOREST, MANAGED_FOREST),
        (CROPLAND, FOREST, AFFORESTED),
        (SETTLEMENT, FOREST, AFFORESTED),
        (FOREST, CROPLAND, DEFORESTED),
        (FOREST, SETTLEMENT, DEFORESTED),
        (GRASSLAND, CROPLAND, MANAGED_CROPLAND),
        (SETTLEMENT, CROPLAND, MANAGED_CROPLAND),
        (CROPLAND, SETTLEMENT, MANAGED_CROPLAND),
        (CROPLAND, WETLAND, MANAGED_CROPLAND),
        (CROPLAND, GRASSLAND, MANAGED_GRASSLAND),
        (WETLAND, GRASSLAND, MANAGED_GRASSLAND),
        (GRASSLAND, SETTLEMENT, MANAGED_GRASSLAND),
        (WETLAND, SETTLEMENT, MANAGED_WETLAND),
        (SETTLEMENT, WETLAND, MANAGED_WETLAND),
        (SETTLEMENT, SETTLEMENT, OUTSIDE),
    ],
)
def test_category_of_a_pair(initial, final, category):
    final = TARGET_CATEGORY[FLUX_TARGETS.index(final)] if final == "produits bois" else final
    assert category_of(initial, final) == category


def test_orchards_vineyards_and_hetre_prairies_parent_have_their_land_category():
    assert TARGET_CATEGORY[FLUX_TARGETS.index("vergers")] == CROPLAND
    assert TARGET_CATEGORY[FLUX_TARGETS.index("vignes")] == CROPLAND
    assert TARGET_CATEGORY[FLUX_TARGETS.index("prairies")] == GRASSLAND
    assert TARGET_CATEGORY[FLUX_TARGETS.index("sols artificiels arborés et buissonants")] == SETTLEMENT
    assert all(TARGET_CATEGORY), "every final land use has a land category"


def bundle_with_one_change(tmp_path, clc_2012: str, clc_2018: str, area_ha: float):
    """The commune's real inputs, with one land-use change 2012 → 2018 as its only change."""
    files = subset_files("chanterelle", [COMMUNE])
    changes = read_table(files, "clc_changes.csv")
    only = pd.DataFrame(
        [[COMMUNE, clc_2012, clc_2018, str(area_ha), "original"]],
        columns=["territory_id", "clc_code_2012", "clc_code_2018", "area_ha", "provenance"],
    )
    write_table(files, "clc_changes.csv", only[changes.columns])
    return load_bundle(write_bundle(files, tmp_path / "bundle"))


def categories_and_entries(bundle):
    result = compute(bundle, {COMMUNE: [COMMUNE]}, details=True)
    values = result.values
    categories = values[values["measure"] == EU_CATEGORY_FLUX].set_index("land_use")["value"]
    total = values[(values["measure"] == "flux") & (values["land_use"] == "total")]["value"].item()
    return categories, result.details["flux_entries"], total


def test_worked_example_forest_to_cropland(tmp_path):
    """72 ha of broadleaf forest (CLC 311) cleared for crops (CLC 211) over 2012-2018, 12 ha a year: soil, litter,
    biomass lost and N2O are all deforested land; forest growth and wood products stay in managed forest land."""
    categories, entries, total = categories_and_entries(bundle_with_one_change(tmp_path, "311", "211", 72.0))
    pair = entries[(entries["from_land_use"] == "forêt feuillu") & (entries["land_use"] == "cultures")]
    assert set(pair["component"]) == {"changement_occupation_sol", "deforestation_biomasse", "n2o_destockage_sol"}
    assert pair["area"].max() == pytest.approx(72.0 / 6)  # ha per year over 2012-2018
    assert categories["terres_deboisees"] == pytest.approx(pair["value"].sum())
    assert categories["terres_deboisees"] > 0  # clearing a forest is a net emission
    forest = entries[entries["from_land_use"] == ""]
    assert categories["terres_forestieres"] == pytest.approx(forest["value"].sum())
    assert set(categories.index) == {"terres_deboisees", "terres_forestieres"}
    assert categories.sum() == pytest.approx(total, abs=1e-6)


def test_worked_example_cropland_to_artificial(tmp_path):
    """180 ha of crops (CLC 211) built on (CLC 112) over 2012-2018, 30 ha a year: ALDO splits them into impermeable
    and grassy artificial soils; both stay managed cropland ("cropland converted to settlements"), nothing is outside
    the categories."""
    categories, entries, total = categories_and_entries(bundle_with_one_change(tmp_path, "211", "112", 180.0))
    pair = entries[(entries["from_land_use"] == "cultures") & entries["land_use"].str.startswith("sols artificiels")]
    assert set(pair["land_use"]) == {"sols artificiels imperméabilisés", "sols artificiels arbustifs"}
    assert pair.groupby("land_use")["area"].max().sum() == pytest.approx(180.0 / 6)
    assert categories["terres_cultivees"] == pytest.approx(pair["value"].sum())
    assert categories["terres_cultivees"] > 0  # sealing soils releases their carbon
    assert "hors_categories" not in categories.index and "terres_deboisees" not in categories.index
    assert categories.sum() == pytest.approx(total, abs=1e-6)
