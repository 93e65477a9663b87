"""HETRE rules (commit 866dbeb, April 2023): computed per EPCI, one EPCI at a time; references keyed by EPCI."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import Frames, ProblemCollector, check_known_codes, check_reference_keys, check_unit_references
from ..common import (
    ART_ARB,
    ART_ENH,
    ART_IMP,
    ARTIFICIAL,
    CULTURES,
    FOR_MIXTE,
    FORESTS,
    HETRE,
    LAND_USE_FLUX_ID,
    PRAIRIES,
    VERGERS,
    VIGNES,
    ZONES_HUMIDES,
    group_sum,
    input_quantity,
)
from ..specs import (
    AREA,
    COMMON_CONSTANTS,
    COUNT,
    HETRE_EPCI_ID,
    REGION_CODE_LIST,
    UNIT_AREA_FILES,
    ReferenceKey,
    TableSpec,
    hedges_table,
    one_of,
    reference_tables,
    unit_tables,
)
from .base import Formula, HedgeFigures, RuleSet
from .chanterelle import PRACTICES as CHANTERELLE_PRACTICES

METHOD_NOTE = (
    "HETRE calcule par EPCI de 2018, un EPCI à la fois : la répartition des sols artificiels se fait sur l'EPCI "
    "entier, les stocks et flux des sols viennent de références propres à chaque EPCI, les haies sont comptées en "
    "hectares et le potentiel de réchauffement du N2O vaut 298. Comme dans l'outil ALDO, la conversion de forêts en "
    "prairies y est comptée deux fois."
)
TERRITORIES = TableSpec(
    columns=(
        "territory_id",
        "territory_type",
        "name",
        "population",
        "n_communes",
        "regions",
        "soil_ref_key",
        "biomass_ref_key",
    ),
    codes=("territory_id", "territory_type", "soil_ref_key", "biomass_ref_key"),
    numbers={"population": COUNT, "n_communes": COUNT},
    formats={"territory_id": HETRE_EPCI_ID, "regions": REGION_CODE_LIST},
    allowed={"territory_type": one_of("epci")},
    unique_key=("territory_id",),
)

PRACTICES = {name: practice for name, practice in CHANTERELLE_PRACTICES.items() if name != "prairies_intensification"}
"""METHOD.md §3.9: the same reference values as CHANTERELLE, without the intensification of prairies (commented out
in HETRE's calculations/flux/agriculturalPractices.js: "currently not used in excel format")."""


def forest_row_units(forest_rows: pd.DataFrame, unit_ids: pd.Index) -> np.ndarray:
    """HETRE selects the IGN rows by the EPCI code of the commune."""
    return unit_ids.get_indexer(forest_rows["epci_siren"])


def pair_considered(source: int, target: int) -> bool:
    """Every pair, including pairs with the same flux id (those find no reference and give nothing)."""
    return True


def soil_flux_formulas(source: int, target: int) -> list[Formula]:
    """METHOD.md §3.2, HETRE: the first matching rule decides; a missing term makes the flux NaN (dropped)."""
    to_id = LAND_USE_FLUX_ID[target]
    if source == ART_ENH:
        return [] if target == ZONES_HUMIDES else [(("prai", to_id),)]
    if source == ART_ARB:
        return []
    if target in ARTIFICIAL and source in (VERGERS, VIGNES):
        return [(("cult", to_id),)]
    if target == ART_IMP and source == ZONES_HUMIDES:
        return [(("zh", "cult"), ("cult", "art_imp"))]
    if target == ART_ENH and source in PRAIRIES:
        return []
    if target == ART_ENH and source == ZONES_HUMIDES:
        return [(("zh", "prai"),)]
    if target == ART_ARB and source == ZONES_HUMIDES:
        return []
    return [((LAND_USE_FLUX_ID[source], to_id),)]


def soil_flux_spread(source: int, target: int) -> bool:
    """The first matching rule of METHOD.md §3.2 (HETRE multipliers)."""
    rules = (
        (source == ART_IMP, True),
        (target == ART_IMP, False),
        (ZONES_HUMIDES in (source, target), False),
        (target == ART_ARB, False),
        (source == ART_ENH, True),
        (target == ART_ENH, False),
        (source == ART_ARB, True),
        (source in FORESTS or target in FORESTS, True),
        (source in PRAIRIES or target in PRAIRIES, True),
        (source == CULTURES, True),
    )
    return next((spread for matches, spread in rules if matches), False)


def hedge_figures(bundle, unit_ids: pd.Index, live_density: np.ndarray, forest_rebuilt: np.ndarray) -> HedgeFigures:
    """Hedge area (ha, first row of the EPCI) × live biomass density of forêt mixte of the EPCI."""
    hedges = bundle.tables["hedges.csv"].drop_duplicates("territory_id", keep="first")
    unit = unit_ids.get_indexer(hedges["territory_id"])
    known = unit >= 0
    size = len(unit_ids)
    not_original = (hedges["provenance"] != "original").to_numpy()
    area = input_quantity(unit, hedges["area_ha"].fillna(0.0).to_numpy(), not_original, size)
    mixte = FORESTS.index(FOR_MIXTE)
    return HedgeFigures(
        quantity=area,
        stock=area.total * live_density[:, mixte],
        rebuilt=(group_sum(unit[known], not_original[known], size) > 0) | forest_rebuilt[:, mixte],
    )


def check_references(frames: Frames, collector: ProblemCollector) -> None:
    """Unit ids and reference keys of territories.csv, where the units are the EPCIs."""
    territories = frames.get("territories.csv")
    if territories is None:
        return
    units = set(territories["territory_id"])
    where = "territories.csv"
    check_unit_references(frames, units, HETRE_EPCI_ID, where, collector)
    if "forest_areas.csv" in frames:
        check_known_codes(
            "forest_areas.csv", frames["forest_areas.csv"], "epci_siren", HETRE_EPCI_ID, units, where, collector
        )
    check_reference_keys(
        territories["soil_ref_key"], "soil_ref_key", frames, ("ref_soil_stocks.csv", "ref_soil_flux.csv"), collector
    )
    check_reference_keys(
        territories["biomass_ref_key"],
        "biomass_ref_key",
        frames,
        ("ref_biomass_stocks.csv", "ref_biomass_flux.csv"),
        collector,
    )


HETRE_RULES = RuleSet(
    name=HETRE,
    label="calcul par EPCI",
    method_note=METHOD_NOTE,
    unit_kind="epci",
    hedge_unit="ha",
    tables={
        "territories.csv": TERRITORIES,
        **unit_tables(unit_id=HETRE_EPCI_ID, epci_id=HETRE_EPCI_ID),
        "hedges.csv": hedges_table(HETRE_EPCI_ID, "area_ha", "ha", AREA),
        **reference_tables(soil=ReferenceKey("epci"), biomass=ReferenceKey("epci")),
    },
    exclusive_tables=(UNIT_AREA_FILES,),
    constants=COMMON_CONSTANTS,
    check_references=check_references,
    soil_key_column="soil_ref_key",
    biomass_key_column="biomass_ref_key",
    forest_row_units=forest_row_units,
    pair_considered=pair_considered,
    soil_flux_formulas=soil_flux_formulas,
    soil_flux_spread=soil_flux_spread,
    forest_density_plain_mean_without_area=False,
    keep_zero_flux_entries=True,
    deforestation_into_prairies_parent=True,
    hedge_figures=hedge_figures,
    practices=PRACTICES,
)
