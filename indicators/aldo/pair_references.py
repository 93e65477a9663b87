"""What each (from, to) pair of land uses reads (METHOD.md §3.2-3.4): soil and non-forest biomass references by
reference key, litter directions, the year multipliers; built once per bundle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import (
    ART_ARB,
    ART_ENH,
    ART_IMP,
    CULTURES,
    FLUX_ID_POSITION,
    FLUX_IDS,
    FORESTS,
    LAND_USES,
    N_LAND_USES,
    PRAI_ARBO,
    PRAI_ARBU,
    PRAI_HERB,
    VERGERS,
    VIGNES,
    ZONES_HUMIDES,
)
from .rules import RuleSet

# Non-forest biomass pairs read under another pair's column (METHOD.md §3.4).
BIOMASS_LOOKUP_RENAMES = {
    (PRAI_ARBU, PRAI_ARBO): (PRAI_ARBU, ART_ARB),
    (PRAI_HERB, PRAI_ARBO): (PRAI_HERB, ART_ARB),
    (PRAI_ARBO, PRAI_ARBU): (PRAI_ARBO, ART_ENH),
    (PRAI_HERB, PRAI_ARBU): (PRAI_HERB, ART_ENH),
    (PRAI_ARBO, PRAI_HERB): (PRAI_ARBO, ART_IMP),
    (PRAI_ARBU, PRAI_HERB): (PRAI_ARBU, ART_IMP),
    (ART_ARB, ART_ENH): (ART_ARB, PRAI_ARBU),
    (ART_ARB, ART_IMP): (ART_ARB, PRAI_HERB),
    (ART_ENH, ART_ARB): (ZONES_HUMIDES, PRAI_ARBO),
    (ART_ENH, ART_IMP): (ZONES_HUMIDES, PRAI_HERB),
    (ART_IMP, ART_ARB): (ART_IMP, PRAI_ARBO),
    (ART_IMP, ART_ENH): (ART_IMP, PRAI_ARBU),
}


def biomass_flux_spread(source: int, target: int) -> bool:
    """Year multiplier of non-forest biomass, first matching rule (same in both releases): True = 20, False = 1."""
    rules = (
        (source == ART_IMP, True),
        (target == ART_IMP, False),
        (target == PRAI_ARBO, True),
        (source == PRAI_ARBO, False),
        (source == ZONES_HUMIDES, True),
        (target == ZONES_HUMIDES, False),
        (source == CULTURES, True),
        (target == CULTURES, False),
        (source == ART_ARB, False),
        (target == ART_ARB, True),
        (source == PRAI_HERB, True),
        (target == PRAI_HERB, False),
        (source == VERGERS, False),
        (target == VERGERS, True),
        (source == VIGNES, True),
        (target == VIGNES, False),
        (source == PRAI_ARBU, False),
        (target == PRAI_ARBU, True),
    )
    return next((spread for matches, spread in rules if matches), False)


def litter_direction(source: int, target: int) -> int:
    """+1 when a non-forest land use becomes forest (or treed artificial), −1 when forest leaves, else 0."""
    into_forest = target in FORESTS or target == ART_ARB
    if source not in FORESTS and source not in (ART_ARB, ART_IMP) and into_forest:
        return 1
    if source in FORESTS and not into_forest:
        return -1
    return 0


def evaluate_formulas(flux_table: np.ndarray, candidates) -> np.ndarray:
    """Per unit value of the first candidate formula that gives a number (NaN if none does)."""
    result = np.full(flux_table.shape[0], np.nan)
    for formula in candidates:
        value = np.zeros(flux_table.shape[0])
        for from_id, to_id in formula:
            value = value + flux_table[:, FLUX_ID_POSITION[from_id], FLUX_ID_POSITION[to_id]]
        result = np.where(np.isnan(result), value, result)
    return result


def pair_table_by_key(bundle, table_name: str, from_column: str, to_column: str, names) -> tuple[pd.Index, np.ndarray]:
    """The reference keys of a table and its values as a (keys + 1, names, names) array; NaN where the table has
    nothing, and in the extra last row, which serves units without a key."""
    table = bundle.tables[table_name]
    keys = pd.Index(pd.unique(table["key"]))
    name_index = pd.Index(names)
    key = keys.get_indexer(table["key"])
    source = name_index.get_indexer(table[from_column])
    target = name_index.get_indexer(table[to_column])
    known = (source >= 0) & (target >= 0)
    size = len(names)
    by_key = np.full((len(keys) + 1, size, size), np.nan)
    by_key[key[known], source[known], target[known]] = table["value"].to_numpy()[known]
    return keys, by_key


@dataclass(frozen=True)
class PairReferences:
    """What each (from, to) pair of land uses reads (METHOD.md §3.2-3.4), for every reference key of a bundle: the
    same for all its computations, so built once per bundle."""

    considered: np.ndarray
    """(from, to): whether soil and litter are evaluated."""
    soil_multiplier: np.ndarray
    biomass_multiplier: np.ndarray
    litter_reference: np.ndarray
    soil_keys: pd.Index
    soil_by_key: np.ndarray
    """(soil keys + 1, from, to) soil reference f, after the method's exceptions; the last row: no key (NaN)."""
    biomass_keys: pd.Index
    biomass_by_key: np.ndarray
    """(biomass keys + 1, from, to) non-forest biomass reference, after the renamed lookups; NaN with a forest."""

    def soil(self, unit_keys) -> np.ndarray:
        return self.soil_by_key[self.soil_keys.get_indexer(unit_keys)]

    def biomass(self, unit_keys) -> np.ndarray:
        return self.biomass_by_key[self.biomass_keys.get_indexer(unit_keys)]


def pair_references(bundle, rules: RuleSet) -> PairReferences:
    constants = bundle.constants
    soil_keys, soil_table = pair_table_by_key(bundle, "ref_soil_flux.csv", "from_flux_id", "to_flux_id", FLUX_IDS)
    biomass_keys, biomass_table = pair_table_by_key(
        bundle, "ref_biomass_flux.csv", "from_land_use", "to_land_use", LAND_USES
    )
    soil_by_key = np.full((len(soil_keys) + 1, N_LAND_USES, N_LAND_USES), np.nan)
    soil_multiplier = np.ones((N_LAND_USES, N_LAND_USES))
    biomass_multiplier = np.ones((N_LAND_USES, N_LAND_USES))
    litter_reference = np.zeros((N_LAND_USES, N_LAND_USES))
    considered = np.zeros((N_LAND_USES, N_LAND_USES), dtype=bool)
    biomass_source = np.zeros((N_LAND_USES, N_LAND_USES), dtype=int)
    biomass_target = np.zeros((N_LAND_USES, N_LAND_USES), dtype=int)
    transition_years = constants["soil_transition_years"]
    for source in range(N_LAND_USES):
        for target in range(N_LAND_USES):
            if rules.pair_considered(source, target):
                considered[source, target] = True
                soil_by_key[:, source, target] = evaluate_formulas(
                    soil_table, rules.soil_flux_formulas(source, target)
                )
                litter_reference[source, target] = litter_direction(source, target) * constants["forest_litter_flux"]
            if rules.soil_flux_spread(source, target):
                soil_multiplier[source, target] = transition_years
            if biomass_flux_spread(source, target):
                biomass_multiplier[source, target] = transition_years
            biomass_source[source, target], biomass_target[source, target] = BIOMASS_LOOKUP_RENAMES.get(
                (source, target), (source, target)
            )
    biomass_by_key = biomass_table[:, biomass_source, biomass_target]
    involves_forest = np.zeros((N_LAND_USES, N_LAND_USES), dtype=bool)
    involves_forest[list(FORESTS), :] = involves_forest[:, list(FORESTS)] = True
    biomass_by_key[:, involves_forest | np.eye(N_LAND_USES, dtype=bool)] = np.nan
    return PairReferences(
        considered=considered,
        soil_multiplier=soil_multiplier,
        biomass_multiplier=biomass_multiplier,
        litter_reference=litter_reference,
        soil_keys=soil_keys,
        soil_by_key=soil_by_key,
        biomass_keys=biomass_keys,
        biomass_by_key=biomass_by_key,
    )
