"""Compute ALDO indicators for territories made of a bundle's computation units.

Every figure is first computed per unit (commune for CHANTERELLE, EPCI for HETRE), including the non-linear rules
that ALDO applies per unit (artificial-soil split, forest densities, N2O, deforestation). A territory is then the sum
of its units, done for all territories at once from a long (territory, unit) membership table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bundle import Bundle
from .common import FORESTS, HEDGES, LAND_USES, N_LAND_USES, TOTAL, InputQuantity
from .eu_categories import CATEGORY_SLUGS, entry_categories
from .fluxes import (
    COMPONENTS,
    ENTRY_KINDS,
    FLUX_TARGETS,
    KIND_COMPONENT,
    FluxEntries,
    flux_entries,
    practice_entries,
)
from .forest import IGN_VALUES, forest_figures
from .land_use_changes import LandUseChanges, land_use_changes, scenario_changes
from .membership import Membership, member_rows, resolve_membership, sum_by_territory
from .options import DEFAULT_OPTIONS, Options
from .splits import equal_share_epcis
from .stocks import DENSITY_COLUMNS, STOCK_COLUMNS, stock_figures

VALUE_COLUMNS = ["territory", "measure", "land_use", "detail", "value", "provenance"]
INPUT_COLUMNS = ["territory", "input", "total", "rebuilt", "shared", "unit"]
EU_CATEGORY_FLUX = "flux_categorie_ue"
"""Measure of the net flux by EU LULUCF accounting category (land_use = the category slug, see eu_categories)."""
PROVENANCES = np.array(["original", "rebuilt"], dtype=object)
"""A figure's provenance, indexed by whether a row not marked original contributed to it."""
INPUT_LABELS = {
    "land_use_areas": "surfaces d'occupation des sols hors forêt",
    "forest_areas": "surfaces forestières",
    "hedges": "haies",
    "land_use_changes": "changements d'occupation des sols 2012-2018",
}
"""The inputs of EngineResult.inputs, in French."""


@dataclass
class EngineResult:
    values: pd.DataFrame
    """Tidy figures: territory, measure, land_use, detail, value (float64), provenance."""
    unavailable: dict[str, str]
    """Territory key -> French reason why it could not be computed."""
    inputs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=INPUT_COLUMNS))
    """What each territory's figures were computed from, one row per territory and input of INPUT_LABELS: total
    (float64, in `unit`: ha, or km of hedges in CHANTERELLE; change areas over the whole 2012-2018 period) and the part
    of it read from bundle rows whose provenance is not original (`rebuilt`)."""
    unit_counts: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    """Territory key -> number of computation units (communes or EPCIs) it is made of."""
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    """With `compute(..., details=True)`, per territory: "flux_entries" (pooled over units, as in the reference
    CSVs), "unit_flux_entries" (per unit, ALDO's entry list), "densities" and "forest_rows"."""


def default_territories(bundle: Bundle) -> dict[str, list[str]]:
    """Every unit alone, plus every EPCI (keyed `epci:<siren>` when units are communes)."""
    territories = {unit_id: [unit_id] for unit_id in bundle.units["id"]}
    if bundle.unit_kind == "commune":
        territories.update({f"epci:{siren}": ids for siren, ids in bundle.epci_members().items()})
    return territories


def compute(
    bundle: Bundle,
    territories: Mapping[str, Collection[str]] | None = None,
    *,
    details: bool = False,
    options: Options = DEFAULT_OPTIONS,
) -> EngineResult:
    """Stocks, areas, stocks per hectare and fluxes of each territory (a set of unit ids of the bundle).

    `options` (a scenario) apply to every territory; the default ones give the published figures. ValueError if an
    option is outside its domain."""
    rules = bundle.rules
    options.check(rules.practices)
    if territories is None:
        territories = default_territories(bundle)
    membership, unavailable = resolve_membership(bundle, territories)
    if not len(membership.keys):
        return EngineResult(values=pd.DataFrame({column: [] for column in VALUE_COLUMNS}), unavailable=unavailable)

    units = bundle.units.set_index("id").loc[membership.unit_ids].reset_index()
    forest = forest_figures(bundle, rules, membership.unit_ids)
    stocks = stock_figures(bundle, rules, units, forest, options)
    changes = land_use_changes(bundle, membership.unit_ids)
    adjusted_changes = scenario_changes(changes.raw, bundle.constants, options)
    entries = flux_entries(bundle, rules, units, stocks, forest, changes, adjusted_changes)

    fixed_values, densities = _stock_and_area_values(membership, stocks, rules.hedge_unit)
    entry_rows, entry_territory = member_rows(membership, entries.owner)
    unit_entries = entries.take(entry_rows)
    pooled = _pool_entries(dataclasses.replace(unit_entries, owner=entry_territory))
    if options.practices:  # declared for each territory as a whole: they join the entries pooled over its units
        practices = practice_entries(rules, options, len(membership.keys), bundle.constants["c_to_co2"])
        pooled = pooled.concat(practices)
    values = pd.concat(
        [
            fixed_values,
            _flux_values(membership, pooled),
            _eu_category_values(membership, pooled),
            _land_use_change_values(membership, changes, adjusted_changes),
        ],
        ignore_index=True,
    )
    inputs = {
        "land_use_areas": (stocks.land_use_read, "ha"),
        "forest_areas": (forest.area_read, "ha"),
        "hedges": (stocks.hedges.quantity, rules.hedge_unit),
        "land_use_changes": (changes.area_read, "ha"),
    }
    unit_counts = np.bincount(membership.territory, minlength=len(membership.keys))
    result = EngineResult(
        values=values,
        unavailable=unavailable,
        inputs=_input_facts(bundle, membership, inputs),
        unit_counts=pd.Series(unit_counts, index=membership.keys, dtype="int64"),
    )
    if details:
        result.details = {
            "flux_entries": _entry_details(membership.keys[pooled.owner], pooled),
            "unit_flux_entries": _entry_details(
                membership.keys[entry_territory], unit_entries, membership.unit_ids.to_numpy()[unit_entries.owner]
            ),
            "densities": densities,
            "forest_rows": _forest_row_details(membership, forest.rows),
        }
    return result


def _land_use_change_values(membership: Membership, changes: LandUseChanges, adjusted: np.ndarray) -> pd.DataFrame:
    """Areas that changed land use between 2012 and 2018 (ha/yr, after the artificial-soil rules and the scenario's
    factors, as the fluxes use them): measure "surface_changee", land_use = the land use reached, detail = the land
    use left."""
    n_units, pairs = len(membership.unit_ids), N_LAND_USES * N_LAND_USES
    area = sum_by_territory(adjusted.reshape(n_units, pairs), membership)
    rebuilt = sum_by_territory(changes.rebuilt.reshape(n_units, pairs).astype(float), membership) > 0
    area[:, np.eye(N_LAND_USES, dtype=bool).reshape(-1)] = np.nan  # staying put is not a change
    area[area == 0] = np.nan
    columns = [
        ("surface_changee", LAND_USES[reached], LAND_USES[left])
        for left in range(N_LAND_USES)
        for reached in range(N_LAND_USES)
    ]
    return _tidy(membership.keys, area, rebuilt, columns)


def _input_facts(bundle: Bundle, membership: Membership, read: dict[str, tuple[InputQuantity, str]]) -> pd.DataFrame:
    """Rows (territory × input) of the quantities read for each input, summed over each territory's units: total,
    the part read from rows not marked original (rebuilt), and the part of that which is an equal share of an EPCI
    total the territory does not hold whole (shared: an estimate at the territory's level)."""
    quantities = [quantity for quantity, _ in read.values()]
    summed = sum_by_territory(
        np.column_stack([quantity.total for quantity in quantities] + [quantity.rebuilt for quantity in quantities]),
        membership,
    )
    n_inputs, n_territories = len(read), len(membership.keys)
    return pd.DataFrame(
        {
            "territory": np.repeat(membership.keys, n_inputs),
            "input": np.tile(np.array(list(read), dtype=object), n_territories),
            "total": summed[:, :n_inputs].reshape(-1),
            "rebuilt": summed[:, n_inputs:].reshape(-1),
            "shared": _shared_parts(bundle, membership, read).reshape(-1),
            "unit": np.tile(np.array([unit for _, unit in read.values()], dtype=object), n_territories),
        }
    )


def _shared_parts(bundle: Bundle, membership: Membership, read: dict[str, tuple[InputQuantity, str]]) -> np.ndarray:
    """(territories, inputs): rebuilt quantity of members whose EPCI shares its total equally between its communes
    (``splits.equal_share_epcis``) while the territory holds only part of that EPCI."""
    shared_epcis = bundle.derived("equal_share_epcis", lambda: equal_share_epcis(bundle))
    n_territories = len(membership.keys)
    parts = np.zeros((n_territories, len(read)))
    if not any(shared_epcis.values()):
        return parts
    units = bundle.units.set_index("id")["epci_siren"]
    epcis, unit_epci = np.unique(
        units.reindex(membership.unit_ids).fillna("").to_numpy(dtype=str), return_inverse=True
    )
    epci_size = units[units != ""].value_counts().reindex(epcis).fillna(0).to_numpy()
    member_epci = unit_epci.reshape(-1)[membership.unit]
    pair = membership.territory.astype(np.int64) * len(epcis) + member_epci
    _, member_pair, held = np.unique(pair, return_inverse=True, return_counts=True)
    held = held[member_pair.reshape(-1)]
    partial = held < epci_size[member_epci]
    for column, (name, (quantity, _)) in enumerate(read.items()):
        shared = np.isin(epcis, list(shared_epcis.get(name, ())))[member_epci] & partial
        parts[:, column] = np.bincount(
            membership.territory, weights=quantity.rebuilt[membership.unit] * shared, minlength=n_territories
        )
    return parts


def _tidy(keys: np.ndarray, matrix: np.ndarray, rebuilt: np.ndarray, columns: list[tuple[str, str, str]]):
    """Rows (territory × column) of a (territories, columns) matrix; NaN values are left out."""
    values = matrix.reshape(-1)
    kept = np.flatnonzero(~np.isnan(values))  # before building rows: most land-use change pairs are empty
    territory, column = np.divmod(kept, matrix.shape[1])
    measure, land_use, detail = (np.array(part, dtype=object) for part in zip(*columns, strict=True))
    # copy=False: the fresh arrays become the frame's columns as they are (consolidating millions of object cells
    # into one block took about a second on the France bundle).
    return pd.DataFrame(
        {
            "territory": keys[territory],
            "measure": measure[column],
            "land_use": land_use[column],
            "detail": detail[column],
            "value": values[kept],
            "provenance": PROVENANCES[rebuilt.reshape(-1)[kept].astype(int)],
        },
        copy=False,
    )


def _stock_and_area_values(membership: Membership, stocks, hedge_unit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_stocks, n_densities = len(STOCK_COLUMNS), len(DENSITY_COLUMNS)
    density_land_use = np.array([LAND_USES.index(name) for name, _ in DENSITY_COLUMNS])
    unit_matrix = np.column_stack(
        [
            stocks.stocks,
            stocks.area,
            stocks.hedges.quantity.total,
            stocks.area[:, density_land_use] * stocks.densities,
            stocks.densities,
            np.ones(len(stocks.area)),
            stocks.stocks_rebuilt,
            stocks.area_rebuilt,
            stocks.hedges.rebuilt,
        ]
    )
    summed = sum_by_territory(unit_matrix, membership)
    stock, area, hedge, weighted, plain, unit_count, stock_rebuilt, area_rebuilt, hedge_rebuilt = np.split(
        summed,
        np.cumsum([n_stocks, N_LAND_USES, 1, n_densities, n_densities, 1, n_stocks, N_LAND_USES]),
        axis=1,
    )
    stock_rebuilt, area_rebuilt, hedge_rebuilt = stock_rebuilt > 0, area_rebuilt > 0, hedge_rebuilt > 0

    # Densities of a group: area-weighted mean over its units, plain mean when the group has no area.
    density_area = area[:, density_land_use]
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(density_area > 0, weighted / density_area, plain / unit_count)
    per_hectare = np.zeros_like(area)
    for column, land_use in enumerate(density_land_use):
        per_hectare[:, land_use] += density[:, column]

    total_stock = stock.sum(axis=1, keepdims=True)
    total_area = area.sum(axis=1, keepdims=True)
    total_stock_rebuilt = stock_rebuilt.any(axis=1, keepdims=True)
    total_area_rebuilt = area_rebuilt.any(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        total_per_hectare = np.where(total_area > 0, total_stock / total_area, np.nan)

    columns = (
        [("stock", land_use, reservoir) for land_use, reservoir in STOCK_COLUMNS]
        + [("stock", TOTAL, "")]
        + [("surface", land_use, "") for land_use in LAND_USES]
        + [("surface", TOTAL, ""), ("surface", HEDGES, hedge_unit)]
        + [("stock_hectare", land_use, "") for land_use in LAND_USES]
        + [("stock_hectare", TOTAL, "")]
    )
    matrix = np.hstack([stock, total_stock, area, total_area, hedge, per_hectare, total_per_hectare])
    rebuilt = np.hstack(
        [
            stock_rebuilt,
            total_stock_rebuilt,
            area_rebuilt,
            total_area_rebuilt,
            hedge_rebuilt,
            area_rebuilt,
            total_stock_rebuilt | total_area_rebuilt,
        ]
    )
    values = _tidy(membership.keys, matrix, rebuilt, columns)
    densities = _tidy(
        membership.keys,
        density,
        np.zeros_like(density, dtype=bool),
        [("density", land_use, reservoir) for land_use, reservoir in DENSITY_COLUMNS],
    )
    densities = densities.drop(columns=["measure", "provenance"]).rename(
        columns={"detail": "reservoir", "value": "density"}
    )
    return values, densities


def _pool_entries(member_entries: FluxEntries) -> FluxEntries:
    """Entries of the members of each territory (owner = territory) summed by (territory, from, to, kind)."""
    n_sources, n_targets, n_kinds = N_LAND_USES + 1, len(FLUX_TARGETS), len(ENTRY_KINDS)
    key = (member_entries.owner * n_sources + member_entries.source + 1) * n_targets + member_entries.target
    key = key * n_kinds + member_entries.kind
    unique_keys, group = np.unique(key, return_inverse=True)
    size = len(unique_keys)

    def summed(values):
        return np.bincount(group, weights=values, minlength=size)

    kind = unique_keys % n_kinds
    rest = unique_keys // n_kinds
    target = rest % n_targets
    rest //= n_targets
    return FluxEntries(
        owner=rest // n_sources,
        source=rest % n_sources - 1,
        target=target,
        kind=kind,
        area=summed(member_entries.area),
        value_native=summed(member_entries.value_native),
        co2e=summed(member_entries.co2e),
        rebuilt=summed(member_entries.rebuilt.astype(float)) > 0,
    )


def _flux_values(membership: Membership, pooled: FluxEntries) -> pd.DataFrame:
    """Fluxes by final land use and component, plus the total, in the observatory sign (sequestration < 0)."""
    n_territories, n_targets, n_components = len(membership.keys), len(FLUX_TARGETS), len(COMPONENTS)
    key = (pooled.owner * n_targets + pooled.target) * n_components + KIND_COMPONENT[pooled.kind]
    unique_keys, group = np.unique(key, return_inverse=True)
    value = -np.bincount(group, weights=pooled.co2e, minlength=len(unique_keys))
    rebuilt = np.bincount(group, weights=pooled.rebuilt, minlength=len(unique_keys)) > 0
    territory = unique_keys // (n_targets * n_components)
    by_land_use = pd.DataFrame(
        {
            "territory": membership.keys[territory],
            "measure": "flux",
            "land_use": np.array(FLUX_TARGETS, dtype=object)[(unique_keys // n_components) % n_targets],
            "detail": np.array(COMPONENTS, dtype=object)[unique_keys % n_components],
            "value": value,
            "provenance": PROVENANCES[rebuilt.astype(int)],
        }
    )
    total_rebuilt = np.bincount(pooled.owner, weights=pooled.rebuilt, minlength=n_territories) > 0
    totals = pd.DataFrame(
        {
            "territory": membership.keys,
            "measure": "flux",
            "land_use": TOTAL,
            "detail": "",
            "value": -np.bincount(pooled.owner, weights=pooled.co2e, minlength=n_territories),
            "provenance": PROVENANCES[total_rebuilt.astype(int)],
        }
    )
    return pd.concat([by_land_use, totals], ignore_index=True)


def _eu_category_values(membership: Membership, pooled: FluxEntries) -> pd.DataFrame:
    """Net flux by EU accounting category (observatory sign): every entry in one category, so they add up to the
    territory's net flux."""
    n_categories = len(CATEGORY_SLUGS)
    key = pooled.owner * n_categories + entry_categories(pooled)
    size = len(membership.keys) * n_categories
    value = -np.bincount(key, weights=pooled.co2e, minlength=size)
    rebuilt = np.bincount(key, weights=pooled.rebuilt, minlength=size) > 0
    has_entries = np.bincount(key, minlength=size) > 0
    matrix = np.where(has_entries, value, np.nan).reshape(len(membership.keys), n_categories)
    columns = [(EU_CATEGORY_FLUX, slug, "") for slug in CATEGORY_SLUGS]
    return _tidy(membership.keys, matrix, rebuilt.reshape(matrix.shape), columns)


def _entry_details(territory_keys: np.ndarray, entries: FluxEntries, unit_ids: np.ndarray | None = None):
    """One row per entry; with `unit_ids`, the unit of each entry too (ALDO's list of commune entries)."""
    kinds = np.array(ENTRY_KINDS, dtype=object)
    columns = {"territory": territory_keys} | ({} if unit_ids is None else {"unit": unit_ids})
    return pd.DataFrame(
        columns
        | {
            "from_land_use": np.array(("", *LAND_USES), dtype=object)[entries.source + 1],
            "land_use": np.array(FLUX_TARGETS, dtype=object)[entries.target],
            "component": kinds[entries.kind, 0],
            "reservoir": kinds[entries.kind, 1],
            "gas": kinds[entries.kind, 2],
            "area": entries.area,
            "value_native": entries.value_native,
            "aldo_value": entries.co2e,
            "value": -entries.co2e,
            "provenance": PROVENANCES[entries.rebuilt.astype(int)],
        }
    )


def _forest_row_details(membership: Membership, forest_rows: pd.DataFrame) -> pd.DataFrame:
    rows, territory = member_rows(membership, forest_rows["unit"].to_numpy())
    columns = ["insee", "composition", "area_ha", "code_groupeser", "code_greco", "code_rad13"]
    columns += ["code_bassin_populicole", "reference_code", *IGN_VALUES, "provenance"]
    details = forest_rows[columns].iloc[rows].reset_index(drop=True)
    details.insert(0, "territory", membership.keys[territory])
    details.insert(
        2,
        "land_use",
        np.array(LAND_USES, dtype=object)[np.array(FORESTS)][forest_rows["composition_index"].to_numpy()[rows]],
    )
    return details
