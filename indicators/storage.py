"""Fast bulk writes of territory results and indicator figures (``observatory.bulk``: COPY on PostgreSQL, one
prepared INSERT run by the driver elsewhere).

Each figure row is written with the land-use figures it adds up to (``LandUseFigure``), in the same transaction, and
deleted with them.
"""

import json

import numpy as np
import pandas as pd
from django.db import connection

from observatory.bulk import insert_rows

from .measures import AREA
from .models import IndicatorValue, LandUseFigure, Provenance, TerritoryResult

VALUE_COLUMNS = ["release_id", "territory_id", "measure", "land_use", "detail", "value", "provenance"]
LAND_USE_COLUMNS = ["release_id", "territory_id", "measure", "land_use", "value", "rebuilt"]
RESULT_COLUMNS = [
    "release_id",
    "territory_id",
    "available",
    "unavailable_reason",
    "computed_from",
    "n_units",
    "has_rebuilt_inputs",
    "facts",
    "quality_level",
]


def write_results(results: pd.DataFrame) -> int:
    """Insert ``results`` (columns RESULT_COLUMNS, ``facts`` as dictionaries) into TerritoryResult; must run inside a
    transaction. Returns the number of rows."""
    _insert(TerritoryResult, RESULT_COLUMNS, results.assign(facts=[json.dumps(facts) for facts in results["facts"]]))
    return len(results)


def write_values(rows: pd.DataFrame) -> int:
    """Insert ``rows`` (columns VALUE_COLUMNS) into IndicatorValue, and their land-use figures into LandUseFigure;
    must run inside a transaction. Returns the number of figure rows."""
    # Written in the order of each table's index: the index grows at its end instead of everywhere (SQLite writes
    # faster), and a territory's rows, or a measure's, sit together on disk for the reads that follow.
    _insert(IndicatorValue, VALUE_COLUMNS, rows.sort_values(["release_id", "territory_id"], kind="stable"))
    figures = land_use_figures(rows).sort_values(["release_id", "measure", "territory_id"], kind="stable")
    _insert(LandUseFigure, LAND_USE_COLUMNS, figures)
    return len(rows)


def delete_results(release, territories=None) -> None:
    """Delete what ``release`` computed, for ``territories`` only when given (a QuerySet or ids): territory results,
    figures and land-use figures."""
    for model in (TerritoryResult, IndicatorValue, LandUseFigure):
        rows = model.objects.filter(release=release)
        if territories is not None:
            rows = rows.filter(territory__in=territories)
        rows.delete()


def land_use_figures(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per release × territory × measure × land use (columns LAND_USE_COLUMNS): the land use's undetailed row
    when it has one, else the sum of its details; ``rebuilt`` when a rebuilt row counted. A hedge area stored in
    another unit than hectares (detail "km") is its own land use, "haies (km)", and counts as undetailed."""
    in_other_unit = (rows["measure"].to_numpy() == AREA) & (rows["detail"].to_numpy() != "")
    land_use = rows["land_use"].to_numpy(dtype=object).copy()
    hedges, units = land_use[in_other_unit], rows["detail"].to_numpy()[in_other_unit]
    land_use[in_other_unit] = [f"{name} ({unit})" for name, unit in zip(hedges, units, strict=True)]
    undetailed = (rows["detail"].to_numpy() == "") | in_other_unit
    rebuilt = rows["provenance"].to_numpy() == Provenance.REBUILT
    value = rows["value"].to_numpy(dtype=float)
    keys = ["release_id", "territory_id", "measure", "land_use"]
    parts = pd.DataFrame(
        {
            "release_id": rows["release_id"].to_numpy(),
            "territory_id": rows["territory_id"].to_numpy(),
            "measure": rows["measure"].to_numpy(),
            "land_use": land_use,
            "undetailed": undetailed,
            "undetailed_value": np.where(undetailed, value, 0.0),
            "value": value,
            "undetailed_rebuilt": undetailed & rebuilt,
            "rebuilt": rebuilt,
        }
    )
    # One pass of sums: the undetailed rows' and every row's, the first kept where the land use has undetailed rows.
    sums = parts.groupby(keys, sort=False).sum().reset_index()
    has_undetailed = sums["undetailed"].to_numpy() > 0
    return pd.DataFrame(
        {
            **{key: sums[key].to_numpy() for key in keys},
            "value": np.where(has_undetailed, sums["undetailed_value"], sums["value"]),
            "rebuilt": np.where(has_undetailed, sums["undetailed_rebuilt"], sums["rebuilt"]) > 0,
        }
    )


def _insert(model, columns: list[str], rows: pd.DataFrame) -> None:
    insert_rows(model, columns, zip(*(rows[column].tolist() for column in columns), strict=True))


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see the ~500 000 rows an import has just added (autovacuum comes later): with stale
    statistics the first reads after an import pick nested loops and run several times slower."""
    if connection.vendor == "postgresql":
        tables = (model._meta.db_table for model in (IndicatorValue, LandUseFigure, TerritoryResult))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
