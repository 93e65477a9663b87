"""Which rebuilt inputs are an EPCI's total shared equally between its communes, read from the bundle alone.

A rebuilt file may give each commune an equal share of a total known only for its EPCI (the CHANTERELLE bundles'
land-use areas, forest areas and hedges are built that way). Such a share is exact once all the communes of the EPCI
are added up, and only an estimate for a territory that holds part of the EPCI (a commune, a grouping that cuts
through it). The bundle shows it: every commune of the EPCI carries the same rebuilt values, key by key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .specs import CLC_AREAS, LAND_USE_AREAS

# Per input of EngineResult.inputs: (file, unit column, key column or None, quantity column).
SHARED_INPUTS = {
    "land_use_areas": (
        (CLC_AREAS, "territory_id", "clc_code", "area_ha"),
        (LAND_USE_AREAS, "territory_id", "land_use", "area_ha"),
    ),
    "forest_areas": (("forest_areas.csv", "insee", "composition", "area_ha"),),
    "hedges": (("hedges.csv", "territory_id", None, "length_km"),),
}


def equal_share_epcis(bundle) -> dict[str, frozenset[str]]:
    """Input → the EPCIs (SIREN) whose communes (two or more) all carry identical rebuilt rows of that input.

    Only bundles computed per commune can share an EPCI total between units; HETRE units are the EPCIs themselves.
    """
    if bundle.unit_kind != "commune":
        return {name: frozenset() for name in SHARED_INPUTS}
    units = bundle.units
    epci_of = dict(zip(units["id"], units["epci_siren"], strict=True))
    size_of = units[units["epci_siren"] != ""].groupby("epci_siren").size()
    shared = {}
    for name, sources in SHARED_INPUTS.items():
        found: set[str] = set()
        for file, unit_column, key_column, quantity in sources:
            table = bundle.tables.get(file)
            if table is None or quantity not in table:
                continue
            found |= _equal_share_groups(table, unit_column, key_column, quantity, epci_of, size_of)
        shared[name] = frozenset(found)
    return shared


def _equal_share_groups(table, unit_column, key_column, quantity, epci_of, size_of) -> set[str]:
    rows = table[table["provenance"] != "original"]
    if rows.empty:
        return set()
    keys = rows[key_column] if key_column else pd.Series("", index=rows.index)
    cells = pd.DataFrame(
        {
            "epci": rows[unit_column].map(epci_of),
            "unit": rows[unit_column],
            "key": keys,
            "value": rows[quantity].fillna(0.0).to_numpy(),
        }
    ).dropna(subset=["epci"])
    cells = cells[cells["epci"] != ""]
    per_unit = cells.groupby(["epci", "key", "unit"])["value"].sum().reset_index()
    spread = per_unit.groupby(["epci", "key"])["value"].agg(["min", "max", "count"])
    units_with_rows = per_unit.groupby("epci")["unit"].nunique()
    size = size_of.reindex(units_with_rows.index).fillna(0)
    # Every commune of the EPCI has rows, and each key has the same value in all of them.
    complete = (units_with_rows == size) & (size >= 2)
    spread = spread.join(size.rename("size"), on="epci")
    equal = np.isclose(spread["min"], spread["max"], rtol=1e-9, atol=1e-9) & (spread["count"] == spread["size"])
    equal_epcis = equal.groupby(level="epci").all()
    return set(equal_epcis[equal_epcis & complete.reindex(equal_epcis.index, fill_value=False)].index)
