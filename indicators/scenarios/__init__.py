"""« Et si… ? » : a territory's figures recomputed by the engine with other options (a scenario), against the
published ones (the reference).

The levers are the query parameters of the scenario page, its file and its API (their names are public): each
becomes an option of the pure engine (``aldo.Options``), so that the default levers give the published figures.
The release's bundle is read and validated once per process, then kept in memory (``release_bundle``): a scenario
is one engine call on the territory's units, a few tens of milliseconds.

Modules: ``levers`` (the query parameters, their bounds, engine options), ``computation`` (bundle, units, engine
call, trajectory), ``presentation`` (the scenario in words and tables). The surfaces import what is named here.
"""

from .computation import (
    BundleUnavailable,
    Scenario,
    ScenarioUnavailable,
    Setting,
    release_bundle,
    run_scenario,
    setting_for,
    territory_units,
)
from .levers import (
    AREA_HA,
    CHOICE,
    FIXED_LEVERS,
    GROUPS,
    HORIZON,
    SHARE,
    InvalidLevers,
    Lever,
    levers_for,
    page_parameters,
    parse_levers,
    query_value,
    scenario_url,
)
from .presentation import (
    NATIONAL_SOURCE,
    SCENARIO_METHOD,
    cumulated_sentence,
    flux_by,
    flux_by_component_table,
    flux_by_group_table,
    flux_sentence,
    lever_lines,
    levers_table,
    national_comparison,
    sides,
    stock_by_group_table,
    stock_sentence,
    trajectory_table,
)

__all__ = [
    "AREA_HA",
    "BundleUnavailable",
    "CHOICE",
    "FIXED_LEVERS",
    "GROUPS",
    "HORIZON",
    "InvalidLevers",
    "Lever",
    "NATIONAL_SOURCE",
    "SCENARIO_METHOD",
    "SHARE",
    "Scenario",
    "ScenarioUnavailable",
    "Setting",
    "cumulated_sentence",
    "flux_by",
    "flux_by_component_table",
    "flux_by_group_table",
    "flux_sentence",
    "lever_lines",
    "levers_for",
    "levers_table",
    "national_comparison",
    "page_parameters",
    "parse_levers",
    "query_value",
    "release_bundle",
    "run_scenario",
    "scenario_url",
    "setting_for",
    "sides",
    "stock_by_group_table",
    "stock_sentence",
    "territory_units",
    "trajectory_table",
]
