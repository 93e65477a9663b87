"""CHANTERELLE rules (commit 697f921): computed per commune, any territory is a set of communes."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
)
from .base import ZERO, Formula, HedgeFigures, RuleSet

ORCHARDS_AND_VINES = (VERGERS, VIGNES)


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


def hedge_figures(bundle, unit_ids: pd.Index, live_density: np.ndarray, forest_rebuilt: np.ndarray) -> HedgeFigures:
    """Length (km) × tC/km of the département, matched as strings: Aisne "02" misses "2" and gets the default."""
    hedges = bundle.tables["hedges.csv"]
    carbon = bundle.tables["ref_hedge_carbon.csv"].drop_duplicates("dep_code").set_index("dep_code")
    density = hedges["dep_code"].map(carbon["tC_per_km_total"]).fillna(bundle.constants["hedge_default_tC_per_km"])
    unit = unit_ids.get_indexer(hedges["territory_id"])
    known = unit >= 0
    size = len(unit_ids)
    length = hedges["length_km"].fillna(0.0).to_numpy()[known]
    return HedgeFigures(
        measure=np.bincount(unit[known], weights=length, minlength=size),
        stock=np.bincount(unit[known], weights=length * density.to_numpy()[known], minlength=size),
        rebuilt=np.bincount(
            unit[known], weights=(hedges["provenance"] != "original").to_numpy()[known], minlength=size
        )
        > 0,
    )


CHANTERELLE_RULES = RuleSet(
    name=CHANTERELLE,
    soil_key_column="zpc",
    biomass_key_column="inter_region",
    forest_row_units=forest_row_units,
    pair_considered=pair_considered,
    soil_flux_formulas=soil_flux_formulas,
    soil_flux_spread=soil_flux_spread,
    forest_density_plain_mean_without_area=True,
    keep_zero_flux_entries=False,
    deforestation_into_prairies_parent=False,
    hedge_unit="km",
    hedge_figures=hedge_figures,
)
