"""Per-unit flux entries (METHOD.md §3): land-use change, N2O, deforestation, forest growth and wood products.

Pair figures are (units, from land use, to land use) arrays; each non-empty figure becomes one entry of a long
table, in ALDO's sign (positive = sequestration), to be pooled over the units of each territory.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import (
    AGRICULTURAL_PRACTICES,
    ART_ARB,
    ART_ENH,
    ART_IMP,
    ARTIFICIAL,
    BIOMASS,
    CULTURES,
    DEFORESTATION,
    FLUX_ID_POSITION,
    FLUX_IDS,
    FOREST_GROWTH,
    FORESTS,
    INDUSTRIAL_WOOD,
    LAND_USE_CHANGE,
    LAND_USE_CLC_CLASS,
    LAND_USES,
    LITTER,
    LUMBER,
    N2O_DESTOCKING,
    N_LAND_USES,
    NON_FOREST,
    PRAI_ARBO,
    PRAI_ARBU,
    PRAI_HERB,
    PRAIRIES,
    PRAIRIES_PARENT,
    SOIL,
    VERGERS,
    VIGNES,
    WOOD_FLUX,
    WOOD_PRODUCTS,
    ZONES_HUMIDES,
    InputQuantity,
    clc_classes,
    group_sum,
    input_quantity,
)
from .forest import ForestFigures
from .options import Options
from .rules import RuleSet
from .stocks import StockFigures

# Final land uses of flux entries: the 14 land uses, wood products, and HETRE's parent "prairies" (its double count).
FLUX_TARGETS = (*LAND_USES, WOOD_PRODUCTS, PRAIRIES_PARENT)
WOOD_TARGET = FLUX_TARGETS.index(WOOD_PRODUCTS)
PRAIRIES_PARENT_TARGET = FLUX_TARGETS.index(PRAIRIES_PARENT)

# Entry kinds: (component, reservoir, gas).
ENTRY_KINDS = (
    (LAND_USE_CHANGE, SOIL, "C"),
    (LAND_USE_CHANGE, LITTER, "C"),
    (LAND_USE_CHANGE, BIOMASS, "C"),
    (N2O_DESTOCKING, "sol et litière", "N2O"),
    (DEFORESTATION, BIOMASS, "C"),
    (FOREST_GROWTH, BIOMASS, "C"),
    (WOOD_FLUX, LUMBER, "CO2"),
    (WOOD_FLUX, INDUSTRIAL_WOOD, "CO2"),
    (AGRICULTURAL_PRACTICES, SOIL, "C"),
    (AGRICULTURAL_PRACTICES, BIOMASS, "C"),
)
(
    SOIL_KIND,
    LITTER_KIND,
    BIOMASS_KIND,
    N2O_KIND,
    DEFORESTATION_KIND,
    GROWTH_KIND,
    LUMBER_KIND,
    INDUSTRIAL_KIND,
    PRACTICE_SOIL_KIND,
    PRACTICE_BIOMASS_KIND,
) = range(len(ENTRY_KINDS))
COMPONENTS = tuple(dict.fromkeys(component for component, _, _ in ENTRY_KINDS))
KIND_COMPONENT = np.array([COMPONENTS.index(component) for component, _, _ in ENTRY_KINDS])

# Land uses that gain no treed artificial soil (METHOD.md §3.1).
NO_CHANGE_TO_TREED_ARTIFICIAL = [ART_ENH, PRAI_ARBO, PRAI_ARBU, VERGERS, VIGNES, ZONES_HUMIDES]

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


def adjust_artificial_changes(raw: np.ndarray, share_impermeable: float) -> np.ndarray:
    """Annual change areas (..., from, to) after the artificial-soil rules of METHOD.md §3.1."""
    other = 1 - share_impermeable
    changes = raw.copy()
    changes[..., NO_CHANGE_TO_TREED_ARTIFICIAL, ART_ARB] = 0.0
    treed = changes[..., ART_ARB]
    total = raw[..., ART_IMP] + treed
    small_treed = treed < other * total
    changes[..., ART_IMP] = np.where(small_treed, share_impermeable * total, raw[..., ART_IMP])
    changes[..., ART_ENH, ART_IMP] = 0.0
    grassy = np.where(small_treed, other * total - treed, 0.0)
    grassy[..., list(FORESTS)] = (other * raw[..., list(FORESTS), ART_ENH]).clip(min=0.0)
    grassy[..., ART_IMP] = 0.0
    changes[..., ART_ENH] = grassy
    return changes


def scenario_changes(raw: np.ndarray, constants, options: Options) -> np.ndarray:
    """Annual change areas (..., from, to) after the artificial-soil rules, with the scenario's factors: on every pair
    whose final land use is an artificial soil, and on every pair that leaves a forest (both on forest -> artificial).
    Every land-use change flux (soil, litter, biomass, N2O, deforestation) is linear in its pair's area."""
    changes = adjust_artificial_changes(raw, options.share(constants))
    if options.artificialisation != 1:
        changes[..., list(ARTIFICIAL)] *= options.artificialisation
    if options.deforestation != 1:
        changes[..., list(FORESTS), :] *= options.deforestation
    return changes


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


@dataclass(frozen=True)
class FluxEntries:
    """One row per (owner, from, to, kind) with a value; `source` is -1 for forest growth and wood products.

    The owner is a unit position for per-unit entries (as ALDO lists them), a territory position once pooled.
    """

    owner: np.ndarray
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    area: np.ndarray
    value_native: np.ndarray
    co2e: np.ndarray
    rebuilt: np.ndarray

    def take(self, rows: np.ndarray) -> FluxEntries:
        return FluxEntries(**{field.name: getattr(self, field.name)[rows] for field in dataclasses.fields(self)})

    def concat(self, other: FluxEntries) -> FluxEntries:
        return FluxEntries(
            **{
                field.name: np.concatenate([getattr(self, field.name), getattr(other, field.name)])
                for field in dataclasses.fields(self)
            }
        )


class EntryCollector:
    def __init__(self, c_to_co2: float, n2o_gwp: float):
        self.parts: list[tuple] = []
        self.co2e_factor = {N2O_KIND: n2o_gwp, LUMBER_KIND: 1.0, INDUSTRIAL_KIND: 1.0}
        self.c_to_co2 = c_to_co2

    def add(self, kind, mask, unit, source, target, area, value, rebuilt) -> None:
        """Add the entries where `mask`; every other argument is an array broadcastable to `mask`, or a scalar."""
        where = np.nonzero(mask)
        columns = [np.broadcast_to(array, mask.shape)[where] for array in (unit, source, target, area, value, rebuilt)]
        self.parts.append((np.full(len(columns[0]), kind), *columns))

    def entries(self) -> FluxEntries:
        kind, unit, source, target, area, value, rebuilt = (
            np.concatenate([part[position] for part in self.parts] or [np.empty(0)]) for position in range(7)
        )
        factor = np.array([self.co2e_factor.get(position, self.c_to_co2) for position in range(len(ENTRY_KINDS))])
        return FluxEntries(
            owner=unit.astype(np.int64),
            source=source.astype(np.int64),
            target=target.astype(np.int64),
            kind=kind.astype(np.int64),
            area=area.astype(float),
            value_native=value.astype(float),
            co2e=value * factor[kind],
            rebuilt=rebuilt.astype(bool),
        )


@dataclass(frozen=True)
class LandUseChanges:
    raw: np.ndarray
    """(units, from, to) annual raw change areas in ha/yr, before the artificial-soil rules."""
    rebuilt: np.ndarray
    """(units, from, to) whether a non-original row contributed."""
    area_read: InputQuantity
    """Per unit: the change areas read, in ha over the whole period (as clc_changes.csv gives them)."""


def land_use_change_rows(changes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row of clc_changes.csv as the (from, to) land-use pairs it counts for, row by row: the built CLC codes
    count for impermeable and grassy artificial soils alike (METHOD.md §3.1). Returns the row of each pair and the
    pair's position in a flattened (from, to) matrix."""
    before, after = clc_classes(changes["clc_code_2012"]), clc_classes(changes["clc_code_2018"])
    rows, pairs = [], []
    for source in range(N_LAND_USES):
        for target in range(N_LAND_USES):
            matching = np.flatnonzero((before == LAND_USE_CLC_CLASS[source]) & (after == LAND_USE_CLC_CLASS[target]))
            rows.append(matching)
            pairs.append(np.full(len(matching), source * N_LAND_USES + target))
    rows, pairs = np.concatenate(rows), np.concatenate(pairs)
    order = np.lexsort((pairs, rows))  # row by row, as the rows are summed
    return rows[order], pairs[order]


def land_use_changes(bundle, unit_ids: pd.Index) -> LandUseChanges:
    changes = bundle.tables["clc_changes.csv"]
    unit = bundle.row_units("clc_changes.csv", "territory_id", unit_ids)
    rows, pairs = bundle.derived("land_use_change_rows", lambda: land_use_change_rows(changes))
    area_ha, not_original = bundle.row_quantities("clc_changes.csv", "area_ha")
    pair_unit = unit[rows]
    kept = pair_unit >= 0
    cell = pair_unit[kept] * N_LAND_USES * N_LAND_USES + pairs[kept]
    size = len(unit_ids) * N_LAND_USES * N_LAND_USES
    area = group_sum(cell, area_ha[rows[kept]] / bundle.constants["clc_change_years"], size)
    rebuilt = np.bincount(cell, weights=not_original[rows[kept]], minlength=size) > 0
    shape = (len(unit_ids), N_LAND_USES, N_LAND_USES)
    read = np.full(len(unit), -1)  # rows whose codes both give a land use
    read[rows[kept]] = pair_unit[kept]
    return LandUseChanges(
        raw=area.reshape(shape),
        rebuilt=rebuilt.reshape(shape),
        area_read=input_quantity(read, area_ha, not_original, len(unit_ids)),
    )


def flux_entries(
    bundle,
    rules: RuleSet,
    units: pd.DataFrame,
    stocks: StockFigures,
    forest: ForestFigures,
    unit_changes: LandUseChanges,
    adjusted_changes: np.ndarray,
) -> FluxEntries:
    """Every flux entry of every unit; `adjusted_changes` are the unit change areas after the artificial-soil rules
    and the scenario's factors (`scenario_changes`)."""
    constants = bundle.constants
    unit_ids = pd.Index(units["id"])
    collector = EntryCollector(constants["c_to_co2"], constants["n2o_gwp"])
    keep_zero = rules.keep_zero_flux_entries

    # Without change rows every land-use change figure is 0: such units only matter when zero entries are kept.
    if keep_zero:
        pair_units = np.arange(len(unit_ids))
    else:
        pair_units = np.unique(bundle.row_units("clc_changes.csv", "territory_id", unit_ids))
        pair_units = pair_units[pair_units >= 0]
    changes, raw_rebuilt = adjusted_changes[pair_units], unit_changes.rebuilt[pair_units]
    # The split into artificial soils also reads the change into treed artificial soil.
    pair_rebuilt = raw_rebuilt.copy()
    for target in (ART_IMP, ART_ENH):
        pair_rebuilt[..., target] |= raw_rebuilt[..., ART_ARB]

    pair_unit_rows = units.iloc[pair_units]
    references = bundle.derived("pair_references", lambda: pair_references(bundle, rules))
    considered, litter_reference = references.considered, references.litter_reference
    soil_reference = references.soil(pair_unit_rows[rules.soil_key_column])
    biomass_reference = references.biomass(pair_unit_rows[rules.biomass_key_column])
    n_pairs = len(pair_units)

    soil = soil_reference * references.soil_multiplier * changes
    litter = np.where(considered, litter_reference, 0.0) * changes
    biomass = biomass_reference * references.biomass_multiplier * changes
    unit = pair_units[:, None, None]
    source = np.arange(N_LAND_USES)[None, :, None]
    target = np.arange(N_LAND_USES)[None, None, :]

    def nonzero_unless_kept(values):
        return np.full(values.shape, True) if keep_zero else values != 0

    soil_mask = considered & ~np.isnan(soil) & nonzero_unless_kept(soil)
    collector.add(SOIL_KIND, soil_mask, unit, source, target, changes, soil, pair_rebuilt)
    litter_mask = considered & (litter_reference != 0) & nonzero_unless_kept(litter)
    collector.add(LITTER_KIND, litter_mask, unit, source, target, changes, litter, pair_rebuilt)
    biomass_mask = ~np.isnan(biomass) & nonzero_unless_kept(biomass)
    collector.add(BIOMASS_KIND, biomass_mask, unit, source, target, changes, biomass, pair_rebuilt)

    # N2O from soil destocking, per unit and pair (not linear): soil (NaN as 0) + litter, emissions only.
    destocked = np.where(considered, np.nan_to_num(soil, nan=0.0) + litter, 0.0)
    per_nitrogen = destocked / constants["n2o_cn_ratio"]
    n2o = per_nitrogen * constants["n2o_ef_direct"] * constants["n2o_n2o_n_to_n2o_direct"] + (
        per_nitrogen * constants["n2o_frac_leach"] * constants["n2o_ef_leach"] * constants["n2o_n2o_n_to_n2o_indirect"]
    )
    collector.add(N2O_KIND, destocked < 0, unit, source, target, 0.0, n2o, pair_rebuilt)

    # Deforestation: biomass lost when forest becomes another land use, with the unit's own densities.
    pair_biomass_density = stocks.biomass_density[pair_units]
    targets = [
        (target, changes[:, :, target], pair_biomass_density[:, target], pair_rebuilt[:, :, target])
        for target in NON_FOREST
    ]
    if rules.deforestation_into_prairies_parent:
        # HETRE bug kept on purpose: the parent "prairies" (biomass 0) counts forest -> prairies a second time.
        prairies = list(PRAIRIES)
        targets.append(
            (
                PRAIRIES_PARENT_TARGET,
                changes[:, :, prairies].sum(axis=2),
                np.zeros(n_pairs),
                pair_rebuilt[:, :, prairies].any(axis=2),
            )
        )
    for position, forest_land_use in enumerate(FORESTS):
        forest_biomass = forest.live_density[pair_units, position] + forest.dead_density[pair_units, position]
        forest_rebuilt = forest.rebuilt[pair_units, position]
        for target, target_changes, target_density, target_rebuilt in targets:
            area = target_changes[:, forest_land_use]
            reference = target_density - forest_biomass
            rebuilt = forest_rebuilt | target_rebuilt[:, forest_land_use]
            mask = (area != 0) & (reference != 0)
            collector.add(
                DEFORESTATION_KIND, mask, pair_units, forest_land_use, target, area, reference * area, rebuilt
            )

    # Forest growth, per unit and composition, at the 2018 stock area.
    all_units = np.arange(len(unit_ids))[:, None]
    forest_targets = np.array(FORESTS)[None, :]
    growth_mask = (forest.row_count > 0) if keep_zero else (forest.growth != 0)
    collector.add(GROWTH_KIND, growth_mask, all_units, -1, forest_targets, forest.area, forest.growth, forest.rebuilt)

    # Wood products (already tCO2e/yr): the unit's share of France's sink, by harvest or by consumption.
    any_forest_rebuilt = forest.rebuilt.any(axis=1)
    for position, kind, flux_name in (
        (0, LUMBER_KIND, "france_wood_flux_bo"),
        (1, INDUSTRIAL_KIND, "france_wood_flux_bi"),
    ):
        wood = stocks.wood_shares[:, position] * constants[flux_name]
        mask = np.full(len(wood), True) if keep_zero else wood != 0
        collector.add(kind, mask, all_units[:, 0], -1, WOOD_TARGET, 0.0, wood, any_forest_rebuilt)
    return collector.entries()


def practice_entries(rules: RuleSet, options: Options, n_territories: int, c_to_co2: float) -> FluxEntries:
    """The declared agricultural practices of every territory (METHOD.md §3.9): hectares × tC/ha/yr, soil and biomass
    apart, on the land use ALDO reports them; only the non-zero ones, as ALDO lists them."""
    collector = EntryCollector(c_to_co2, n2o_gwp=0.0)
    territories = np.arange(n_territories)
    for name, area in options.practices.items():
        practice = rules.practices[name]
        target = FLUX_TARGETS.index(practice.land_use)
        for kind, reference in ((PRACTICE_SOIL_KIND, practice.soil), (PRACTICE_BIOMASS_KIND, practice.biomass)):
            if area * reference:
                collector.add(
                    kind, np.full(n_territories, True), territories, -1, target, area, area * reference, False
                )
    return collector.entries()
