"""Annual land-use change areas per unit (METHOD.md §3.1): clc_changes.csv read into (units, from, to) arrays, the
artificial-soil rules, and a scenario's factors on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import (
    ART_ARB,
    ART_ENH,
    ART_IMP,
    ARTIFICIAL,
    FORESTS,
    LAND_USE_CLC_CLASS,
    LAND_USES,
    N_LAND_USES,
    NON_ARTIFICIAL,
    NON_FOREST,
    PRAI_ARBO,
    PRAI_ARBU,
    VERGERS,
    VIGNES,
    ZONES_HUMIDES,
    InputQuantity,
    clc_classes,
    group_sum,
    input_quantity,
)
from .options import Options

# Land uses that gain no treed artificial soil (METHOD.md §3.1).
NO_CHANGE_TO_TREED_ARTIFICIAL = [ART_ENH, PRAI_ARBO, PRAI_ARBU, VERGERS, VIGNES, ZONES_HUMIDES]


def _pairs(left: tuple[int, ...], reached: tuple[int, ...]) -> np.ndarray:
    """(from, to) mask of the changes from one of ``left`` to one of ``reached``."""
    pairs = np.zeros((N_LAND_USES, N_LAND_USES), dtype=bool)
    pairs[np.ix_(left, reached)] = True
    return pairs


# What a scenario's factors scale: a non-artificial land use turned into an artificial soil (artificialisation, as
# the Climat et résilience law counts it), a forest turned into another land use (défrichement). Changes between
# artificial soils, or between forest types, are neither.
ARTIFICIALISATION_PAIRS = _pairs(NON_ARTIFICIAL, ARTIFICIAL)
DEFORESTATION_PAIRS = _pairs(FORESTS, NON_FOREST)
_POSITION = {name: position for position, name in enumerate(LAND_USES)}


def area_of_pairs(changes: Iterable[tuple[str, str, float]], pairs: np.ndarray) -> float:
    """The total area of those (land use left, land use reached, area) ``changes`` that ``pairs`` holds, land uses
    named as the engine names them (e.g. a territory's stored « surface_changee » figures)."""
    return sum(
        area
        for left, reached, area in changes
        if left in _POSITION and reached in _POSITION and pairs[_POSITION[left], _POSITION[reached]]
    )


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
    """Annual change areas (..., from, to) after the artificial-soil rules, with the scenario's factors on the
    artificialisation and deforestation pairs (both on forest -> artificial). Every land-use change flux (soil,
    litter, biomass, N2O, deforestation) is linear in its pair's area."""
    changes = adjust_artificial_changes(raw, options.share(constants))
    if options.artificialisation != 1:
        changes[..., ARTIFICIALISATION_PAIRS] *= options.artificialisation
    if options.deforestation != 1:
        changes[..., DEFORESTATION_PAIRS] *= options.deforestation
    return changes


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
