"""Per-unit areas, reference densities and stocks (METHOD.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .bundle import ARTIFICIAL_SPLIT_FROM_DATA
from .common import (
    ART_ARB,
    ART_ENH,
    ART_IMP,
    BIOMASS,
    CLC_BUILT,
    CLC_TREED,
    DEAD_WOOD,
    FORESTS,
    HEDGES,
    INDUSTRIAL_WOOD,
    LAND_USE_CLC_CLASS,
    LAND_USE_SOIL_CLASS,
    LAND_USES,
    LITTER,
    LIVE_BIOMASS,
    LUMBER,
    N_AREA_CLC_CLASSES,
    N_CLC_CLASSES,
    N_LAND_USES,
    NON_FOREST,
    SOIL,
    WOOD_PRODUCTS,
    InputQuantity,
    clc_classes,
    group_sum,
    input_quantity,
)
from .forest import ForestFigures
from .options import CONSUMPTION, Options
from .rules import RuleSet
from .rules.base import HedgeFigures
from .specs import LAND_USE_AREAS

# (land use, reservoir) of every stock figure, in output order.
STOCK_COLUMNS = (
    *[(LAND_USES[land_use], reservoir) for land_use in NON_FOREST for reservoir in (SOIL, BIOMASS)],
    *[
        (LAND_USES[land_use], reservoir)
        for land_use in FORESTS
        for reservoir in (SOIL, LIVE_BIOMASS, DEAD_WOOD, LITTER)
    ],
    (HEDGES, BIOMASS),
    (WOOD_PRODUCTS, LUMBER),
    (WOOD_PRODUCTS, INDUSTRIAL_WOOD),
)
# The stock figures that are area × density, whose densities are reported per hectare.
DENSITY_COLUMNS = STOCK_COLUMNS[:-3]
TREED_THRESHOLD = 0.2
"""Share of treed artificial soil from which the area split stops using the impermeable share (METHOD.md §2.1): ALDO
writes 0.2 in its stock code (calculations/stocks/index.js) whatever share the user chooses; its flux code uses
1 − share (METHOD.md §3.1, `adjust_artificial_changes`). Both are 0.2 at the default share."""


@dataclass(frozen=True)
class StockFigures:
    """Per unit; the column axes follow LAND_USES, STOCK_COLUMNS or DENSITY_COLUMNS."""

    area: np.ndarray
    area_rebuilt: np.ndarray
    land_use_read: InputQuantity
    """The unit land-use areas read (non-forest land uses)."""
    densities: np.ndarray
    """(units, DENSITY_COLUMNS): tC/ha of each reservoir of each land use."""
    stocks: np.ndarray
    stocks_rebuilt: np.ndarray
    hedges: HedgeFigures
    soil_density: np.ndarray
    """(units, land uses) soil tC/ha, used by deforestation and details."""
    biomass_density: np.ndarray
    """(units, land uses) non-forest biomass tC/ha, truncated as ALDO does; 0 for forests."""
    wood_shares: np.ndarray
    """(units, [BO, BI]) share of France's wood products (`wood_product_shares`)."""


def per_unit_reference(bundle, table: str, value: str, column: str, names, unit_keys: pd.Series) -> np.ndarray:
    """(units, names) matrix of `value` looked up by the unit's key and `column`; 0 where nothing is found."""

    def wide_table() -> tuple[pd.Index, np.ndarray]:
        rows = bundle.tables[table].drop_duplicates(["key", column])
        wide = rows.pivot(index="key", columns=column, values=value).reindex(columns=list(names))
        return wide.index, wide.to_numpy(dtype=float)

    keys, wide = bundle.derived(("per_unit_reference", table, value, column, tuple(names)), wide_table)
    row = keys.get_indexer(unit_keys)
    matrix = np.where(row[:, None] >= 0, wide[np.maximum(row, 0)], np.nan)
    return np.nan_to_num(matrix, nan=0.0)


def unit_land_use_areas(
    bundle, unit_ids: pd.Index, share_impermeable: float
) -> tuple[np.ndarray, np.ndarray, InputQuantity]:
    """(units, land uses) non-forest areas in ha (forests: 0), whether a non-original row contributed, and the areas
    read: from land_use_areas.csv as given, or from clc_areas.csv with the artificial-soil split of METHOD.md §2.1."""
    if bundle.artificial_split == ARTIFICIAL_SPLIT_FROM_DATA:
        return land_use_areas(bundle, unit_ids)
    class_area, class_rebuilt, read = clc_class_areas(bundle, unit_ids)
    area = class_area[:, LAND_USE_CLC_CLASS]
    area_rebuilt = class_rebuilt[:, LAND_USE_CLC_CLASS]
    area[:, ART_IMP], area[:, ART_ENH], area[:, ART_ARB] = split_artificial(
        class_area[:, CLC_BUILT], class_area[:, CLC_TREED], share_impermeable
    )
    artificial_rebuilt = class_rebuilt[:, CLC_BUILT] | class_rebuilt[:, CLC_TREED]
    for land_use in (ART_IMP, ART_ENH, ART_ARB):
        area_rebuilt[:, land_use] = artificial_rebuilt
    area[:, list(FORESTS)] = 0.0
    return area, area_rebuilt, read


def land_use_areas(bundle, unit_ids: pd.Index) -> tuple[np.ndarray, np.ndarray, InputQuantity]:
    """The non-forest areas of land_use_areas.csv, already split into artificial soils."""
    areas = bundle.tables[LAND_USE_AREAS]
    unit = bundle.row_units(LAND_USE_AREAS, "territory_id", unit_ids)
    land_use = bundle.derived("land_use_area_rows", lambda: pd.Index(LAND_USES).get_indexer(areas["land_use"]))
    keep = (unit >= 0) & (land_use >= 0) & ~np.isin(land_use, FORESTS)
    cell = unit[keep] * N_LAND_USES + land_use[keep]
    size = len(unit_ids) * N_LAND_USES
    area_ha, not_original = bundle.row_quantities(LAND_USE_AREAS, "area_ha")
    area = group_sum(cell, area_ha[keep], size).reshape(-1, N_LAND_USES)
    rebuilt = np.bincount(cell, weights=not_original[keep], minlength=size).reshape(-1, N_LAND_USES) > 0
    return area, rebuilt, input_quantity(np.where(keep, unit, -1), area_ha, not_original, len(unit_ids))


def clc_class_areas(bundle, unit_ids: pd.Index) -> tuple[np.ndarray, np.ndarray, InputQuantity]:
    """(units, CLC classes) areas in ha, whether a non-original row contributed, and the unit land-use areas read
    (the rows of the classes that give areas)."""
    areas = bundle.tables["clc_areas.csv"]
    unit = bundle.row_units("clc_areas.csv", "territory_id", unit_ids)
    clc_class = bundle.derived("clc_area_classes", lambda: clc_classes(areas["clc_code"]))
    keep = (unit >= 0) & (clc_class >= 0)
    cell = unit[keep] * N_CLC_CLASSES + clc_class[keep]
    size = len(unit_ids) * N_CLC_CLASSES
    area_ha, not_original = bundle.row_quantities("clc_areas.csv", "area_ha")
    area = group_sum(cell, area_ha[keep], size)
    rebuilt = np.bincount(cell, weights=not_original[keep], minlength=size)
    area_unit = np.where(keep & (clc_class < N_AREA_CLC_CLASSES), unit, -1)
    read = input_quantity(area_unit, area_ha, not_original, len(unit_ids))
    return area.reshape(-1, N_CLC_CLASSES), rebuilt.reshape(-1, N_CLC_CLASSES) > 0, read


def split_artificial(built: np.ndarray, treed: np.ndarray, share_impermeable: float) -> tuple[np.ndarray, ...]:
    """Impermeable / grassy-shrubby / treed artificial areas from the built (111…142 without 141) and treed (141) CLC
    areas, METHOD.md §2.1. Not linear: apply it per computation unit."""
    total = built + treed
    impermeable = np.where(treed < TREED_THRESHOLD * total, share_impermeable * total, built - treed)
    grassy = np.where(treed < TREED_THRESHOLD * (impermeable + treed), (1 - share_impermeable) * total - treed, 0.0)
    return impermeable, grassy, treed


def stock_figures(
    bundle, rules: RuleSet, units: pd.DataFrame, forest: ForestFigures, options: Options
) -> StockFigures:
    constants = bundle.constants
    unit_ids = pd.Index(units["id"])
    area, area_rebuilt, land_use_read = unit_land_use_areas(bundle, unit_ids, options.share(constants))
    area[:, list(FORESTS)] = forest.area
    area_rebuilt[:, list(FORESTS)] = forest.rebuilt

    soil_classes = sorted(set(LAND_USE_SOIL_CLASS))
    soil_by_class = per_unit_reference(
        bundle, "ref_soil_stocks.csv", "tC_per_ha", "soil_class", soil_classes, units[rules.soil_key_column]
    )
    soil_density = soil_by_class[:, [soil_classes.index(name) for name in LAND_USE_SOIL_CLASS]]
    # ALDO reads these densities with parseInt: truncated to an integer, blank = 0.
    biomass_density = np.trunc(
        per_unit_reference(
            bundle,
            "ref_biomass_stocks.csv",
            "tC_per_ha",
            "land_use",
            LAND_USES,
            units[rules.biomass_key_column],
        )
    )
    biomass_density[:, list(FORESTS)] = 0.0

    litter = np.full(len(units), constants["forest_litter_stock"])
    density_parts = []
    for land_use in NON_FOREST:
        density_parts += [soil_density[:, land_use], biomass_density[:, land_use]]
    for position, land_use in enumerate(FORESTS):
        density_parts += [
            soil_density[:, land_use],
            forest.live_density[:, position],
            forest.dead_density[:, position],
            litter,
        ]
    densities = np.column_stack(density_parts)
    density_land_use = np.array([LAND_USES.index(name) for name, _ in DENSITY_COLUMNS])
    area_stocks = area[:, density_land_use] * densities

    hedges = rules.hedge_figures(bundle, unit_ids, forest.live_density, forest.rebuilt)
    wood_shares = wood_product_shares(constants, units, forest, options.wood_products)
    lumber = wood_shares[:, 0] * constants["france_wood_stock_bo"]
    industrial = wood_shares[:, 1] * constants["france_wood_stock_bi"]
    stocks = np.column_stack([area_stocks, hedges.stock, lumber, industrial])
    any_forest_rebuilt = forest.rebuilt.any(axis=1)
    stocks_rebuilt = np.column_stack(
        [area_rebuilt[:, density_land_use], hedges.rebuilt, any_forest_rebuilt, any_forest_rebuilt]
    )
    return StockFigures(
        area=area,
        area_rebuilt=area_rebuilt,
        land_use_read=land_use_read,
        densities=densities,
        stocks=stocks,
        stocks_rebuilt=stocks_rebuilt,
        hedges=hedges,
        soil_density=soil_density,
        biomass_density=biomass_density,
        wood_shares=wood_shares,
    )


def wood_product_shares(constants, units: pd.DataFrame, forest: ForestFigures, approach: str) -> np.ndarray:
    """(units, [lumber BO, industrial wood BI]): each unit's share of France's wood products, which gives its wood
    product stock and sink. Harvest approach (METHOD.md §2.6, §3.8): its harvest over France's; consumption approach:
    its population over France's (a blank population counts 0, as in ALDO)."""
    if approach == CONSUMPTION:
        population = units["population"].fillna(0.0).to_numpy(dtype=float) / constants["france_population"]
        return np.column_stack([population, population])
    return np.column_stack(
        [
            forest.harvest_lumber / constants["france_wood_harvest_bo"],
            forest.harvest_industrial / constants["france_wood_harvest_bi"],
        ]
    )
