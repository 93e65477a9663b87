"""Engine options (scenarios): the same computation with other choices, checked against figures worked by hand from
the bundle's own rows and METHOD.md."""

import numpy as np
import pandas as pd
import pytest

from indicators.aldo import CONSUMPTION, DEFAULT_OPTIONS, Options, compute, load_bundle
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.engine import default_territories
from indicators.aldo.sources import read_bundle_files

from .synthetic import FIXTURES, read_table, subset_files, with_land_use_areas, write_table

BUILT_CODES = ("111", "112", "121", "122", "123", "124", "131", "132", "133", "142")  # METHOD.md §2.1: N
TREED_CODE = "141"  # T
ARTIFICIAL = (
    "sols artificiels imperméabilisés",
    "sols artificiels arbustifs",
    "sols artificiels arborés et buissonants",
)
FORESTS = ("forêt feuillu", "forêt conifere", "forêt mixte", "forêt peupleraie")
LAND_USE_CHANGE_COMPONENTS = ("changement_occupation_sol", "n2o_destockage_sol", "deforestation_biomasse")
ENTRY_KEY = ["from_land_use", "land_use", "component", "reservoir", "gas"]


@pytest.fixture(scope="module", params=["hetre", "chanterelle"])
def bundle(request):
    return load_bundle(FIXTURES / request.param)


@pytest.fixture(scope="module")
def chanterelle():
    return load_bundle(FIXTURES / "chanterelle")


def figure(result, measure, land_use="total", detail=""):
    values = result.values
    rows = values[(values["measure"] == measure) & (values["land_use"] == land_use) & (values["detail"] == detail)]
    assert len(rows) <= 1
    return float(rows["value"].sum())


def region(bundle) -> dict[str, list[str]]:
    return {"region": list(bundle.units["id"])}


def epcis(bundle) -> dict[str, list[str]]:
    """Every EPCI of the bundle as a territory (HETRE: one unit each; CHANTERELLE: its communes)."""
    territories = default_territories(bundle).items()
    return {key: units for key, units in territories if bundle.unit_kind == "epci" or key.startswith("epci:")}


def test_every_territory_computed_alone_has_the_figures_it_has_among_all_others(bundle):
    """A scenario computes one territory: its figures must not depend on the others computed with it (a unit
    without any land-use row once read as whole hectares of forest)."""
    territories = epcis(bundle)
    together = compute(bundle, territories).values.set_index(["territory", "measure", "land_use", "detail"])["value"]
    for key, units in territories.items():
        alone = compute(bundle, {key: units}).values.set_index(["territory", "measure", "land_use", "detail"])
        pd.testing.assert_series_equal(alone["value"], together.loc[[key]], check_exact=True, obj=key)


def test_default_options_are_the_published_computation(bundle):
    default = compute(bundle, region(bundle)).values
    share = bundle.constants["default_share_impermeable"]
    explicit = compute(bundle, region(bundle), options=Options(share_impermeable=share, practices={})).values
    pd.testing.assert_frame_equal(default, explicit, check_exact=True)


def test_one_thousand_hectares_of_hedges_on_crops_store_550_tco2e_a_year(bundle):
    """METHOD.md §3.9: 1 000 × (0,06 + 0,09) × 44/12 = 550 tCO2e/yr more sequestration, reported on crops."""
    reference = compute(bundle, region(bundle))
    scenario = compute(bundle, region(bundle), options=Options(practices={"haies_cultures": 1000.0}))
    assert figure(scenario, "flux") - figure(reference, "flux") == pytest.approx(-550.0, abs=1e-5)
    assert figure(scenario, "flux", "cultures", "pratiques_agricoles") == pytest.approx(-550.0, abs=1e-5)
    entries = compute(
        bundle, region(bundle), details=True, options=Options(practices={"haies_cultures": 1000.0})
    ).details["flux_entries"]
    practice = entries[entries["component"] == "pratiques_agricoles"].set_index("reservoir")["value"]
    assert practice["sol"] == pytest.approx(-1000 * 0.06 * 44 / 12, abs=1e-5)
    assert practice["biomasse"] == pytest.approx(-1000 * 0.09 * 44 / 12, abs=1e-5)


def test_prairie_intensification_is_a_chanterelle_practice_only():
    hetre = load_bundle(FIXTURES / "hetre")
    with pytest.raises(ValueError, match="prairies_intensification"):
        compute(hetre, region(hetre), options=Options(practices={"prairies_intensification": 10.0}))


@pytest.mark.parametrize(
    "options",
    [
        Options(share_impermeable=1.5),
        Options(wood_products="x"),
        Options(artificialisation=-1),
        Options(practices={"haies_cultures": float("nan")}),
    ],
)
def test_options_outside_their_domain_are_refused(chanterelle, options):
    with pytest.raises(ValueError):
        compute(chanterelle, region(chanterelle), options=options)


def _entries(bundle, options=DEFAULT_OPTIONS) -> pd.DataFrame:
    entries = compute(bundle, region(bundle), details=True, options=options).details["flux_entries"]
    return entries.set_index(ENTRY_KEY)["value"]


def test_no_artificialisation_removes_exactly_the_land_use_change_entries_that_artificialise_land(bundle):
    reference = _entries(bundle)
    scenario = _entries(bundle, Options(artificialisation=0.0))
    final, initial = (reference.index.get_level_values(level) for level in ("land_use", "from_land_use"))
    changes = reference.index.get_level_values("component").isin(LAND_USE_CHANGE_COMPONENTS)
    towards = final.isin(ARTIFICIAL) & ~initial.isin(ARTIFICIAL) & changes
    assert towards.any() and (reference[towards] != 0).any()
    # Changes between artificial soils are not artificialisation: they are among the entries left as they were.
    assert (reference[final.isin(ARTIFICIAL) & initial.isin(ARTIFICIAL) & changes] != 0).any()
    # Gone (HETRE lists its zero soil, litter and biomass entries, as ALDO does: they stay, at 0).
    assert (scenario.reindex(reference.index[towards]).fillna(0.0) == 0).all()
    others = scenario[~scenario.index.isin(reference.index[towards])]
    pd.testing.assert_series_equal(others.sort_index(), reference[~towards].sort_index(), check_exact=True)

    halved = _entries(bundle, Options(artificialisation=0.5))
    np.testing.assert_allclose(halved[reference.index[towards]], 0.5 * reference[towards], rtol=1e-12)


def test_no_deforestation_removes_the_entries_of_changes_out_of_forests_not_between_forest_types(bundle):
    reference = _entries(bundle)
    scenario = _entries(bundle, Options(deforestation=0.0))
    final, initial = (reference.index.get_level_values(level).isin(FORESTS) for level in ("land_use", "from_land_use"))
    out_of_forest = initial & ~final
    assert (reference[out_of_forest] != 0).any()
    assert (scenario.reindex(reference.index[out_of_forest]).fillna(0.0) == 0).all()
    others = scenario[~scenario.index.isin(reference.index[out_of_forest])]
    pd.testing.assert_series_equal(others.sort_index(), reference[~out_of_forest].sort_index(), check_exact=True)


def test_no_deforestation_keeps_the_changes_between_forest_types(bundle):
    def between_forests(options) -> pd.Series:
        values = compute(bundle, region(bundle), options=options).values
        changed = values[
            (values["measure"] == "surface_changee")
            & values["land_use"].isin(FORESTS)
            & values["detail"].isin(FORESTS)
        ]
        return changed.set_index(["land_use", "detail"])["value"].sort_index()

    reference = between_forests(DEFAULT_OPTIONS)
    assert (reference > 0).any()  # forests of one type becoming another: no défrichement
    pd.testing.assert_series_equal(between_forests(Options(deforestation=0.0)), reference, check_exact=True)


def _artificial_clc_areas(bundle) -> pd.DataFrame:
    """Per commune, N and T of METHOD.md §2.1, summed from clc_areas.csv rows by this test."""
    rows = bundle.tables["clc_areas.csv"]
    built = rows[rows["clc_code"].isin(BUILT_CODES)].groupby("territory_id")["area_ha"].sum()
    treed = rows[rows["clc_code"] == TREED_CODE].groupby("territory_id")["area_ha"].sum()
    return pd.DataFrame({"N": built, "T": treed}).fillna(0.0)


def test_impermeable_share_follows_method_2_1_on_both_sides_of_the_treed_threshold(chanterelle):
    """METHOD.md §2.1 with p = 0,5 for a commune with few trees (T < 0,2·(N+T)) and one with many: no commune of the
    bundle has that many, so one is given as much treed (141) as built area."""
    few_trees, many_trees = _artificial_clc_areas(chanterelle).query("T > 0").index[:2]
    files = subset_files("chanterelle", [few_trees, many_trees])
    clc = read_table(files, "clc_areas.csv")
    built = clc["clc_code"].isin(BUILT_CODES) & (clc["territory_id"] == many_trees)
    treed_row = (clc["clc_code"] == TREED_CODE) & (clc["territory_id"] == many_trees)
    clc.loc[treed_row, "area_ha"] = str(clc.loc[built, "area_ha"].astype(float).sum())
    write_table(files, "clc_areas.csv", clc)
    bundle = bundle_from_files(files)
    areas = _artificial_clc_areas(bundle)

    share = 0.5
    territories = {few_trees: [few_trees], many_trees: [many_trees]}
    result = compute(bundle, territories, options=Options(share_impermeable=share))
    default = compute(bundle, territories)

    def area(which, commune, land_use):
        values = which.values
        selected = (values["territory"] == commune) & (values["measure"] == "surface")
        return float(values.loc[selected & (values["land_use"] == land_use), "value"].sum())

    imp, enh, arb = ARTIFICIAL
    n, t = areas.loc[few_trees, "N"], areas.loc[few_trees, "T"]
    assert t < 0.2 * (n + t)
    expected_imp = share * (n + t)  # the share splits the whole artificial area
    assert area(result, few_trees, imp) == pytest.approx(expected_imp)
    expected_enh = (1 - share) * (n + t) - t if t < 0.2 * (expected_imp + t) else 0.0
    assert area(result, few_trees, enh) == pytest.approx(expected_enh)
    assert area(result, few_trees, arb) == pytest.approx(t)
    assert area(result, few_trees, imp) != pytest.approx(area(default, few_trees, imp))

    n, t = areas.loc[many_trees, "N"], areas.loc[many_trees, "T"]
    assert t >= 0.2 * (n + t)
    assert area(result, many_trees, imp) == pytest.approx(n - t)  # N − T, whatever the share
    assert area(result, many_trees, imp) == pytest.approx(area(default, many_trees, imp))
    assert area(result, many_trees, enh) == 0
    assert area(result, many_trees, arb) == pytest.approx(t)


def test_consumption_approach_gives_wood_products_the_population_share(bundle):
    epci, units = max(epcis(bundle).items(), key=lambda item: len(item[1]))
    population = bundle.units.set_index("id").loc[units, "population"].fillna(0).sum()
    share = population / bundle.constants["france_population"]
    result = compute(bundle, {epci: units}, options=Options(wood_products=CONSUMPTION))
    constants = bundle.constants
    expected_flux = -share * (constants["france_wood_flux_bo"] + constants["france_wood_flux_bi"])
    assert figure(result, "flux", "produits bois", "produits_bois") == pytest.approx(expected_flux)
    assert figure(result, "stock", "produits bois", "BO") == pytest.approx(share * constants["france_wood_stock_bo"])
    assert figure(result, "stock", "produits bois", "BI") == pytest.approx(share * constants["france_wood_stock_bi"])
    harvest = compute(bundle, {epci: units})
    assert figure(result, "stock", "forêt feuillu", "sol") == figure(harvest, "stock", "forêt feuillu", "sol")


def test_when_the_release_gives_the_artificial_split_the_share_only_splits_the_changes():
    bundle = bundle_from_files(with_land_use_areas(read_bundle_files(FIXTURES / "hetre")))
    assert bundle.artificial_split == "data"
    default = compute(bundle, region(bundle)).values
    other = compute(bundle, region(bundle), options=Options(share_impermeable=0.5)).values
    areas = [frame[frame["measure"] == "surface"].reset_index(drop=True) for frame in (default, other)]
    pd.testing.assert_frame_equal(*areas, check_exact=True)
    changed = [frame[frame["measure"] == "surface_changee"]["value"].to_numpy() for frame in (default, other)]
    assert not np.array_equal(*changed)
