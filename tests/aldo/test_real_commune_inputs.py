"""Real commune inputs as ALDO publishes them: unit land-use areas by ALDO land use (land_use_areas.csv) instead of
CLC codes, and several forest rows per commune (one per IGN localisation-code combination)."""

import pandas as pd
import pytest

from indicators.aldo import compute
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.sources import read_bundle_files
from indicators.aldo.validation import validate_bundle_files

from .synthetic import FIXTURES, read_table, subset_files, with_land_use_areas, write_table

ARTIFICIAL = (
    "sols artificiels imperméabilisés",
    "sols artificiels arbustifs",
    "sols artificiels arborés et buissonants",
)
LILLE = "59350"


def with_constant(files: dict[str, bytes], name: str, value: float) -> dict[str, bytes]:
    files = dict(files)
    constants = read_table(files, "constants.csv")
    constants.loc[constants["name"] == name, "value"] = str(value)
    write_table(files, "constants.csv", constants)
    return files


def surfaces(result, land_uses, measure: str = "surface") -> pd.Series:
    values = result.values
    selected = values[(values["measure"] == measure) & values["land_use"].isin(land_uses)]
    return selected.set_index(["territory", "land_use", "detail"])["value"].sort_index()


@pytest.mark.parametrize("release", ["chanterelle", "hetre"])
def test_land_use_areas_give_the_figures_of_the_clc_areas_they_imply(release):
    """For every territory of both bundled releases (every unit and every EPCI): stocks, areas, stocks per hectare,
    fluxes and change areas, with their provenance, are those of the CLC route, to floating-point rounding."""
    files = read_bundle_files(FIXTURES / release)
    by_land_use = with_land_use_areas(files)
    assert validate_bundle_files(by_land_use) == []
    land_uses = read_table(by_land_use, "land_use_areas.csv").astype({"area_ha": float})
    artificial = land_uses[land_uses["land_use"].isin(ARTIFICIAL)].groupby("land_use")["area_ha"]
    assert (artificial.max() > 0).all() and len(artificial) == 3

    from_clc = compute(bundle_from_files(files)).values
    from_land_uses = compute(bundle_from_files(by_land_use)).values

    assert {"stock", "surface", "stock_hectare", "flux", "surface_changee"} <= set(from_clc["measure"])
    pd.testing.assert_frame_equal(from_land_uses, from_clc, check_exact=False, rtol=1e-12, atol=1e-9)


def test_land_use_areas_give_the_figures_of_clc_areas_whose_treed_share_passes_a_fifth():
    """The bundled releases never reach the second branch of the split (treed artificial soil ≥ 20 %): 40 % here,
    so no grassy-shrubby area and impermeable = built − treed."""
    files = subset_files("chanterelle", [LILLE])
    areas = [(LILLE, "112", 60.0, "original"), (LILLE, "141", 40.0, "original"), (LILLE, "211", 100.0, "rebuilt")]
    columns = ["territory_id", "clc_code", "area_ha", "provenance"]
    write_table(files, "clc_areas.csv", pd.DataFrame(areas, columns=columns))
    by_land_use = with_land_use_areas(files)
    artificial = read_table(by_land_use, "land_use_areas.csv").set_index("land_use")["area_ha"].astype(float)
    assert artificial[list(ARTIFICIAL)].tolist() == [20.0, 0.0, 40.0]

    from_land_uses = compute(bundle_from_files(by_land_use), {"lille": [LILLE]}).values
    pd.testing.assert_frame_equal(from_land_uses, compute(bundle_from_files(files), {"lille": [LILLE]}).values)


def test_the_impermeable_share_does_not_split_given_land_use_areas_again():
    """With land uses given directly, the share of impermeable land no longer changes the areas (METHOD.md §2.1);
    it still splits the land-use changes into artificial soils (§3.1), which come by CLC code in both routes."""
    files = with_land_use_areas(read_bundle_files(FIXTURES / "chanterelle"))
    other_share = with_constant(files, "default_share_impermeable", 0.5)
    default, half = compute(bundle_from_files(files)), compute(bundle_from_files(other_share))

    pd.testing.assert_series_equal(surfaces(half, ARTIFICIAL), surfaces(default, ARTIFICIAL))
    changes = surfaces(default, ARTIFICIAL, "surface_changee")
    assert not surfaces(half, ARTIFICIAL, "surface_changee").equals(changes) and not changes.empty

    clc = read_bundle_files(FIXTURES / "chanterelle")
    clc_half = compute(bundle_from_files(with_constant(clc, "default_share_impermeable", 0.5)))
    assert not surfaces(clc_half, ARTIFICIAL).equals(surfaces(compute(bundle_from_files(clc)), ARTIFICIAL))


def test_the_bundle_says_where_its_artificial_split_comes_from():
    clc = bundle_from_files(read_bundle_files(FIXTURES / "hetre"))
    by_land_use = bundle_from_files(with_land_use_areas(read_bundle_files(FIXTURES / "hetre")))

    assert clc.artificial_split == "impermeable_share"
    assert by_land_use.artificial_split == "data"
    assert "selon la part imperméabilisée (part par défaut : 80 %)" in clc.artificial_split_note()
    assert by_land_use.artificial_split_note().startswith(
        "Les surfaces de sols artificiels imperméabilisés, arbustifs et arborés viennent directement des données"
    )


def test_original_land_use_rows_make_original_land_use_figures():
    """Provenance flows through: real (original) commune land-use rows make original area figures and facts, while
    the rebuilt forest rows keep forest figures rebuilt."""
    files = with_land_use_areas(subset_files("chanterelle", [LILLE]))
    land_uses = read_table(files, "land_use_areas.csv")
    assert set(land_uses["provenance"]) == {"rebuilt"}
    write_table(files, "land_use_areas.csv", land_uses.assign(provenance="original"))

    result = compute(bundle_from_files(files), {"lille": [LILLE]})

    provenance = result.values[result.values["measure"] == "surface"].set_index("land_use")["provenance"]
    assert set(provenance[list(ARTIFICIAL) + ["cultures", "prairies zones herbacées"]]) == {"original"}
    assert provenance["forêt feuillu"] == "rebuilt"
    facts = result.inputs.set_index("input")
    assert facts.loc["land_use_areas", "rebuilt"] == 0 < facts.loc["land_use_areas", "total"]
    assert facts.loc["forest_areas", "rebuilt"] == facts.loc["forest_areas", "total"] > 0


def test_several_forest_rows_of_a_commune_are_area_weighted():
    """Lille's broadleaved forest given as two IGN rows, as in the real file: 30 ha in groupeser B2 (grouped as BX in
    the IGN table, so GRECO B applies: 99.57 tC/ha live, 6.83 dead, 1.05 tC/ha/yr) and 10 ha in groupeser C2 (90.72,
    7.23, 0.78). Densities are area-weighted over the rows, growth is summed."""
    files = subset_files("chanterelle", [LILLE])
    forest = read_table(files, "forest_areas.csv")
    broadleaved = forest[forest["composition"] == "Feuillu"]
    second = broadleaved.assign(area_ha="10", code_groupeser="C2", code_greco="C")
    forest.loc[broadleaved.index, "area_ha"] = "30"
    write_table(files, "forest_areas.csv", pd.concat([forest, second], ignore_index=True))
    assert validate_bundle_files(files) == []

    result = compute(bundle_from_files(files), {"lille": [LILLE]}, details=True)

    rows = result.details["forest_rows"]
    assert len(rows[rows["composition"] == "Feuillu"]) == 2
    assert surfaces(result, ["forêt feuillu"]).item() == 40
    densities = result.details["densities"].set_index(["land_use", "reservoir"])["density"]
    assert densities["forêt feuillu", "biomasse vivante"] == pytest.approx((30 * 99.57 + 10 * 90.72) / 40)
    assert densities["forêt feuillu", "biomasse morte"] == pytest.approx((30 * 6.83 + 10 * 7.23) / 40)
    growth = result.values.query("measure == 'flux' and land_use == 'forêt feuillu'").set_index("detail")["value"]
    c_to_co2 = float(read_table(files, "constants.csv").set_index("name").loc["c_to_co2", "value"])
    assert growth["croissance_biomasse_foret"] == pytest.approx(-(30 * 1.05 + 10 * 0.78) * c_to_co2)
