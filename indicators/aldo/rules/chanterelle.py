"""CHANTERELLE rules (commit 697f921): computed per commune, any territory is a set of communes; soil references
keyed by pedoclimatic zone (ZPC), non-forest biomass by inter-region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import (
    Frames,
    ProblemCollector,
    check_allowed,
    check_format,
    check_known,
    check_known_codes,
    check_not_blank,
    check_reference_keys,
    check_unit_references,
)
from ..common import (
    ART_ARB,
    ART_ENH,
    ART_IMP,
    ARTIFICIAL,
    CHANTERELLE,
    CULTURES,
    FORESTS,
    LAND_USE_FLUX_ID,
    PRAIRIES,
    VERGERS,
    VIGNES,
    ZONES_HUMIDES,
    group_sum,
    input_quantity,
)
from ..specs import (
    COMMON_CONSTANTS,
    COUNT,
    DEPARTEMENT_CODE,
    INSEE_CODE,
    INTER_REGION,
    INTER_REGIONS,
    LENGTH,
    REGION_CODE,
    SIREN,
    UNIT_AREA_FILES,
    ZPC_CODE,
    NumberRule,
    ReferenceKey,
    TableSpec,
    hedges_table,
    one_of,
    reference_tables,
    unit_tables,
)
from .base import ZERO, Formula, HedgeFigures, Practice, RuleSet

ORCHARDS_AND_VINES = (VERGERS, VIGNES)
METHOD_NOTE = (
    "CHANTERELLE calcule commune par commune, puis additionne les communes de chaque territoire : la répartition des "
    "sols artificiels se fait dans chaque commune, les stocks et flux des sols viennent de nouvelles références par "
    "zone pédoclimatique, les haies sont comptées en kilomètres de linéaire et le potentiel de réchauffement du N2O "
    "vaut 273 au lieu de 298."
)
TERRITORIES = TableSpec(
    columns=(
        "territory_id",
        "territory_type",
        "name",
        "epci_siren",
        "departement",
        "region",
        "population",
        "zpc",
        "inter_region",
        "in_hdf",
        "n_communes",
    ),
    codes=("territory_id", "territory_type"),
    numbers={"population": COUNT, "n_communes": COUNT},
    allowed={"territory_type": one_of("commune", "epci"), "in_hdf": one_of("True", "False")},
    unique_key=("territory_id",),
)
"""Checks that depend on the kind of row (commune or EPCI) are in `check_territories`."""
HEDGE_CARBON = TableSpec(
    columns=("dep_code", "tC_per_km_aboveground", "tC_per_km_total"),
    codes=("dep_code",),
    numbers=dict.fromkeys(
        ("tC_per_km_aboveground", "tC_per_km_total"), NumberRule(non_negative=True, quantity="densité")
    ),
    unique_key=("dep_code",),
)
PRACTICES = {
    "prairies_extension": Practice(
        "Intégration ou allongement de prairies temporaires dans les rotations de cultures", "cultures", 0.14, 0.0
    ),
    "prairies_intensification": Practice(
        "Intensification modérée des prairies peu productives (hors alpages et estives)", "prairies", 0.39, 0.0
    ),
    "agroforesterie_cultures": Practice("Agroforesterie en grandes cultures", "cultures", 0.3, 0.7),
    "agroforesterie_prairies": Practice("Agroforesterie en prairies", "prairies", 0.3, 0.7),
    "cultures_intermediaires": Practice("Couverts intermédiaires (CIPAN) en grandes cultures", "cultures", 0.24, 0.0),
    "haies_cultures": Practice("Haies sur cultures (60 mètres linéaires par ha)", "cultures", 0.06, 0.09),
    "haies_prairies": Practice("Haies sur prairies (100 mètres linéaires par ha)", "prairies", 0.1, 0.15),
    "bandes_enherbees": Practice("Bandes enherbées", "cultures", 0.49, 0.0),
    "couverts_vignes": Practice("Couverts intercalaires en vignes", "vignes", 0.32, 0.0),
    "couverts_vergers": Practice("Couverts intercalaires en vergers", "vergers", 0.49, 0.0),
}
"""METHOD.md §3.9, as calculations/flux/agriculturalPractices.js and calculations/constants.js give them (tC/ha/yr,
soil then biomass; the land use the flux is reported on)."""
COMMUNES_WHERE = "territories.csv (lignes territory_type = commune)"
EPCIS_WHERE = "territories.csv (lignes territory_type = epci)"


def strip_leading_zero(codes: pd.Series) -> pd.Series:
    """ALDO's IGN file writes INSEE codes without their leading "0" (02198 -> 2198) and ALDO matches on that."""
    return codes.str.replace(r"^0", "", regex=True)


def forest_row_units(forest_rows: pd.DataFrame, unit_ids: pd.Index) -> np.ndarray:
    """Position of each IGN row's commune in `unit_ids` (-1 if none), matching ALDO's stripped INSEE codes."""
    return pd.Index(strip_leading_zero(unit_ids.to_series())).get_indexer(forest_rows["ign_commune_code"])


def pair_considered(source: int, target: int) -> bool:
    """Only pairs with different flux ids: no soil flux from prairie to prairie or from forest to forest."""
    return LAND_USE_FLUX_ID[source] != LAND_USE_FLUX_ID[target]


def soil_flux_formulas(source: int, target: int) -> list[Formula]:
    """METHOD.md §3.2, CHANTERELLE table: the matching rules in order, then the table value."""
    to_id = LAND_USE_FLUX_ID[target]
    candidates: list[Formula] = []
    if source == CULTURES and target in ORCHARDS_AND_VINES:
        candidates.append(ZERO)
    if source in PRAIRIES and target == ART_ARB:
        candidates.append((("prai", "for"),))
    if source in PRAIRIES and target == ART_ENH:
        candidates.append(ZERO)
    if source in FORESTS and target == ART_ARB:
        candidates.append(ZERO)
    if source == ZONES_HUMIDES:
        by_target = {
            VERGERS: (("zh", "cult"),),
            VIGNES: (("zh", "cult"),),
            ART_IMP: (("zh", "cult"), ("cult", "art_imp")),
            ART_ENH: (("zh", "prai"),),
            ART_ARB: (("zh", "for"),),
        }
        if target in by_target:
            candidates.append(by_target[target])
    if source in ORCHARDS_AND_VINES and target in (CULTURES, *ORCHARDS_AND_VINES):
        candidates.append(ZERO)
    if source in ORCHARDS_AND_VINES and target in (ZONES_HUMIDES, *ARTIFICIAL):
        candidates.append((("cult", to_id),))
    substitute_source = {ART_IMP: "cult", ART_ENH: "prai", ART_ARB: "for"}
    if source in substitute_source:
        candidates.append(((substitute_source[source], to_id),))
    candidates.append(((LAND_USE_FLUX_ID[source], to_id),))
    return candidates


def soil_flux_spread(source: int, target: int) -> bool:
    return not (ZONES_HUMIDES in (source, target) or target in ARTIFICIAL)


def hedge_densities(bundle) -> np.ndarray:
    """tC/km of each row of hedges.csv: its département's, else the default."""
    carbon = bundle.tables["ref_hedge_carbon.csv"].drop_duplicates("dep_code").set_index("dep_code")
    density = bundle.tables["hedges.csv"]["dep_code"].map(carbon["tC_per_km_total"])
    return density.fillna(bundle.constants["hedge_default_tC_per_km"]).to_numpy()


def hedge_figures(bundle, unit_ids: pd.Index, live_density: np.ndarray, forest_rebuilt: np.ndarray) -> HedgeFigures:
    """Length (km) × tC/km of the département, matched as strings: Aisne "02" misses "2" and gets the default."""
    density = bundle.derived("hedge_densities", lambda: hedge_densities(bundle))
    unit = bundle.row_units("hedges.csv", "territory_id", unit_ids)
    known = unit >= 0
    size = len(unit_ids)
    length, not_original = bundle.row_quantities("hedges.csv", "length_km")
    return HedgeFigures(
        quantity=input_quantity(unit, length, not_original, size),
        stock=group_sum(unit[known], length[known] * density[known], size),
        rebuilt=group_sum(unit[known], not_original[known], size) > 0,
    )


def check_references(frames: Frames, collector: ProblemCollector) -> None:
    """Commune and EPCI rows of territories.csv, then the unit ids of the other tables, which are communes."""
    territories = frames.get("territories.csv")
    if territories is None:
        return
    communes = territories[territories["territory_type"] == "commune"]
    epcis = territories[territories["territory_type"] == "epci"]
    check_territories(communes, epcis, frames, collector)

    commune_ids = set(communes["territory_id"])
    check_unit_references(frames, commune_ids, INSEE_CODE, COMMUNES_WHERE, collector)
    if "forest_areas.csv" in frames:
        forest = frames["forest_areas.csv"]
        check_known_codes("forest_areas.csv", forest, "insee", INSEE_CODE, commune_ids, COMMUNES_WHERE, collector)
        epci_ids = set(epcis["territory_id"])
        check_known_codes("forest_areas.csv", forest, "epci_siren", SIREN, epci_ids, EPCIS_WHERE, collector)


def check_territories(
    communes: pd.DataFrame, epcis: pd.DataFrame, frames: Frames, collector: ProblemCollector
) -> None:
    name = "territories.csv"
    for column in ("epci_siren", "departement", "region", "zpc", "inter_region", "in_hdf"):
        check_not_blank(name, communes, column, collector)
    bad_siren = check_format(name, communes["epci_siren"], "epci_siren", SIREN, collector)
    check_format(name, communes["territory_id"], "territory_id", INSEE_CODE, collector)
    check_format(name, communes["departement"], "departement", DEPARTEMENT_CODE, collector)
    check_format(name, communes["region"], "region", REGION_CODE, collector)
    bad_zpc = check_format(name, communes["zpc"], "zpc", ZPC_CODE, collector)
    check_format(name, epcis["territory_id"], "territory_id", SIREN, collector)
    check_allowed(name, communes["inter_region"], "inter_region", INTER_REGION, collector)

    epci_ids = set(epcis["territory_id"])
    check_known(name, communes["epci_siren"], "epci_siren", epci_ids, EPCIS_WHERE, collector, ignore=bad_siren)
    check_reference_keys(
        communes["zpc"], "zpc", frames, ("ref_soil_stocks.csv", "ref_soil_flux.csv"), collector, ignore=bad_zpc
    )
    check_reference_keys(
        communes["inter_region"],
        "inter_region",
        frames,
        ("ref_biomass_stocks.csv", "ref_biomass_flux.csv"),
        collector,
        ignore=~communes["inter_region"].isin(INTER_REGIONS),
    )


CHANTERELLE_RULES = RuleSet(
    name=CHANTERELLE,
    label="calcul par commune",
    method_note=METHOD_NOTE,
    unit_kind="commune",
    hedge_unit="km",
    tables={
        "territories.csv": TERRITORIES,
        **unit_tables(unit_id=INSEE_CODE, epci_id=SIREN),
        # dep_code is kept exactly as ALDO matches it ("02" vs "2", METHOD.md §2.5): no format check.
        "hedges.csv": hedges_table(INSEE_CODE, "length_km", "km", LENGTH, "dep_code"),
        **reference_tables(
            soil=ReferenceKey("zpc", formats={"key": ZPC_CODE}),
            biomass=ReferenceKey("inter_region", allowed={"key": INTER_REGION}),
        ),
        "ref_hedge_carbon.csv": HEDGE_CARBON,
    },
    exclusive_tables=(UNIT_AREA_FILES,),
    constants=(*COMMON_CONSTANTS, "hedge_default_tC_per_km"),
    check_references=check_references,
    soil_key_column="zpc",
    biomass_key_column="inter_region",
    forest_row_units=forest_row_units,
    pair_considered=pair_considered,
    soil_flux_formulas=soil_flux_formulas,
    soil_flux_spread=soil_flux_spread,
    forest_density_plain_mean_without_area=True,
    keep_zero_flux_entries=False,
    deforestation_into_prairies_parent=False,
    hedge_figures=hedge_figures,
    practices=PRACTICES,
)
