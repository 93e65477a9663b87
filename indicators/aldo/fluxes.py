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
    BIOMASS,
    DEFORESTATION,
    FOREST_GROWTH,
    FORESTS,
    INDUSTRIAL_WOOD,
    LAND_USE_CHANGE,
    LAND_USES,
    LITTER,
    LUMBER,
    N2O_DESTOCKING,
    N_LAND_USES,
    NON_FOREST,
    PRAIRIES,
    PRAIRIES_PARENT,
    SOIL,
    WOOD_FLUX,
    WOOD_PRODUCTS,
)
from .forest import ForestFigures
from .land_use_changes import LandUseChanges
from .options import Options
from .pair_references import pair_references
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
