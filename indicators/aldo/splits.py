"""Which rebuilt inputs are an EPCI's total shared equally between its communes, read from the bundle alone.

A rebuilt file may give each commune an equal share of a total known only for its EPCI (the CHANTERELLE bundles'
land-use areas, forest areas and hedges are built that way). Such a share is exact once all the communes of the EPCI
are added up, and only an estimate for a territory that holds part of the EPCI (a commune, a grouping that cuts
through it). The bundle shows it: every commune of the EPCI carries the same rebuilt quantity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .specs import CLC_AREAS, LAND_USE_AREAS

# Per input of EngineResult.inputs: (file, unit column, quantity column).
SHARED_INPUTS = {
    "land_use_areas": ((CLC_AREAS, "territory_id", "area_ha"), (LAND_USE_AREAS, "territory_id", "area_ha")),
    "forest_areas": (("forest_areas.csv", "insee", "area_ha"),),
    "hedges": (("hedges.csv", "territory_id", "length_km"),),
}


def equal_share_epcis(bundle) -> dict[str, frozenset[str]]:
    """Input → the EPCIs (SIREN) whose communes (two or more) all carry rebuilt rows of that input adding up to the
    same quantity: an EPCI total shared equally (real data never gives every commune of an EPCI the same area).

    Only bundles computed per commune can share an EPCI total between units; HETRE units are the EPCIs themselves.
    """
    if bundle.unit_kind != "commune":
        return {name: frozenset() for name in SHARED_INPUTS}
    units = bundle.units
    unit_ids = pd.Index(units["id"])
    epcis = units["epci_siren"].to_numpy(dtype=str)
    shared = {}
    for name, sources in SHARED_INPUTS.items():
        found: set[str] = set()
        for file, unit_column, quantity in sources:
            table = bundle.tables.get(file)
            if table is not None and quantity in table:
                found |= _equal_share_groups(table, unit_ids, epcis, unit_column, quantity)
        shared[name] = frozenset(found)
    return shared


def _equal_share_groups(table: pd.DataFrame, unit_ids: pd.Index, epcis: np.ndarray, unit_column, quantity) -> set:
    rebuilt = (table["provenance"] != "original").to_numpy()
    unit = unit_ids.get_indexer(table[unit_column])
    read = rebuilt & (unit >= 0)
    size = len(unit_ids)
    per_unit = np.bincount(unit[read], weights=table[quantity].fillna(0.0).to_numpy()[read], minlength=size)
    has_rows = np.bincount(unit[read], minlength=size) > 0
    units = pd.DataFrame({"epci": epcis, "total": per_unit, "has_rows": has_rows})
    groups = (
        units[units["epci"] != ""]
        .groupby("epci")
        .agg(low=("total", "min"), high=("total", "max"), all_have_rows=("has_rows", "all"), size=("total", "size"))
    )
    equal = np.isclose(groups["low"], groups["high"], rtol=1e-9, atol=1e-9)
    return set(groups.index[equal & groups["all_have_rows"] & (groups["size"] >= 2) & (groups["high"] > 0)])
