"""Load an ALDO release bundle (folder or .zip) into typed DataFrames.

Reading and validation belong to `sources` and `validation`; this module only parses files that passed validation:
codes stay strings (leading zeros matter), measures become float64 and blank measures NaN.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from .problems import InvalidBundle
from .rules import RuleSet, rules_for
from .sources import read_bundle_files
from .specs import LAND_USE_AREAS
from .validation import validate_bundle_files

MANIFEST = "manifest.json"
IGN_KEY_COLUMNS = ("type_localisation", "code_localisation", "nom_localisation", "composition", "surface_ic")
NUMERIC_COLUMNS = {
    "territories.csv": ("population", "n_communes"),
    "clc_areas.csv": ("area_ha",),
    LAND_USE_AREAS: ("area_ha",),
    "clc_changes.csv": ("area_ha",),
    "forest_areas.csv": ("area_ha",),
    "hedges.csv": ("length_km", "area_ha"),
    "ref_soil_stocks.csv": ("tC_per_ha",),
    "ref_soil_flux.csv": ("value",),
    "ref_biomass_stocks.csv": ("tC_per_ha",),
    "ref_biomass_flux.csv": ("value",),
    "ref_wood_region.csv": ("pct_bo", "pct_bi"),
    "ref_hedge_carbon.csv": ("tC_per_km_aboveground", "tC_per_km_total"),
    "constants.csv": ("value",),
}
ARTIFICIAL_SPLIT_FROM_DATA, ARTIFICIAL_SPLIT_FROM_SHARE = "data", "impermeable_share"
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Bundle:
    """All inputs of one ALDO release for one set of territories."""

    manifest: dict
    tables: Mapping[str, pd.DataFrame] = field(repr=False)
    _derived: dict = field(default_factory=dict, init=False, repr=False)

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """What `build` derives from the bundle's tables alone, built on first use and kept: a bundle never changes
        once loaded, and a computation of a few units should not re-read whole tables (a scenario, METHOD.md §3.9)."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def row_quantities(self, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        """Each row's quantity in `column` (a blank reads 0) and whether the row is not original ALDO data."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            rows = self.tables[table]
            return rows[column].fillna(0.0).to_numpy(), (rows["provenance"] != "original").to_numpy()

        return self.derived(("row_quantities", table, column), build)

    @cached_property
    def unit_index(self) -> pd.Index:
        """The ids of the computation units, in the order of `units`."""
        return pd.Index(self.units["id"])

    def row_units(self, table: str, column: str, unit_ids: pd.Index) -> np.ndarray:
        """Position in `unit_ids` of the unit each row of `table` names in `column`; -1 for the rows of other units."""
        row_unit = self.derived(
            ("row_units", table, column), lambda: self.unit_index.get_indexer(self.tables[table][column])
        )
        return self.unit_positions(row_unit, unit_ids)

    def unit_positions(self, row_unit: np.ndarray, unit_ids: pd.Index) -> np.ndarray:
        """Positions in `unit_index` (-1: none) turned into positions in `unit_ids` (-1: a unit not among them)."""
        position = np.full(len(self.unit_index) + 1, -1)  # the last slot answers -1
        indexer = self.unit_index.get_indexer(unit_ids)
        known = indexer >= 0
        position[indexer[known]] = np.flatnonzero(known)
        return position[row_unit]

    @property
    def rule_set(self) -> str:
        return self.manifest["aldo_release"]

    @property
    def rules(self) -> RuleSet:
        return rules_for(self.rule_set)

    @property
    def unit_kind(self) -> str:
        return self.rules.unit_kind

    @property
    def artificial_split(self) -> str:
        """Where the areas of impermeable, grassy-shrubby and treed artificial soils come from: "data" when
        land_use_areas.csv gives them, "impermeable_share" when the rule of METHOD.md §2.1 splits the CLC areas with
        the share of impermeable land (constant default_share_impermeable). The share also splits land-use changes
        into artificial soils (METHOD.md §3.1), whatever the route."""
        return ARTIFICIAL_SPLIT_FROM_DATA if LAND_USE_AREAS in self.tables else ARTIFICIAL_SPLIT_FROM_SHARE

    def artificial_split_note(self) -> str:
        """French: where the artificial-soil split of this release comes from, and what the impermeable share does."""
        share = f"{self.constants['default_share_impermeable'] * 100:g} %"
        if self.artificial_split == ARTIFICIAL_SPLIT_FROM_DATA:
            return (
                "Les surfaces de sols artificiels imperméabilisés, arbustifs et arborés viennent directement des "
                "données du millésime : la part imperméabilisée ne les modifie pas ; elle ne répartit que les "
                f"changements d'occupation des sols vers les sols artificiels (part par défaut : {share})."
            )
        return (
            "Les surfaces de sols artificiels de Corine Land Cover sont réparties entre imperméabilisés, arbustifs et "
            f"arborés selon la part imperméabilisée (part par défaut : {share}), comme leurs changements "
            "d'occupation des sols."
        )

    @cached_property
    def constants(self) -> dict[str, float]:
        table = self.tables["constants.csv"]
        return dict(zip(table["name"], table["value"].astype(float), strict=True))

    @cached_property
    def units(self) -> pd.DataFrame:
        """The computation units (communes or EPCIs), one row each, `id` as a string column."""
        territories = self.tables["territories.csv"]
        units = territories[territories["territory_type"] == self.unit_kind]
        units = units.rename(columns={"territory_id": "id"}).reset_index(drop=True)
        if self.unit_kind == "epci":
            units = units.assign(epci_siren=units["id"])
        return units

    def epci_members(self) -> dict[str, list[str]]:
        """EPCI SIREN -> the ids of its computation units."""
        if self.unit_kind == "epci":
            return {siren: [siren] for siren in self.units["id"]}
        communes = self.units[self.units["epci_siren"] != ""]
        return {siren: list(ids) for siren, ids in communes.groupby("epci_siren", sort=True)["id"]}


def load_bundle(path: str | Path) -> Bundle:
    """Read, validate and parse a bundle; raises InvalidBundle listing every problem found."""
    files = read_bundle_files(path)
    problems = validate_bundle_files(files)
    if problems:
        raise InvalidBundle(problems)
    return bundle_from_files(files)


def bundle_from_files(files: Mapping[str, bytes]) -> Bundle:
    """Parse already validated bundle files (no checks here)."""
    manifest = json.loads(files[MANIFEST])
    tables = {name: _parse_csv(name, data) for name, data in files.items() if name.endswith(".csv")}
    return Bundle(manifest=manifest, tables=tables)


def _parse_csv(name: str, data: bytes) -> pd.DataFrame:
    header = pd.read_csv(io.BytesIO(data), nrows=0).columns
    if name == "ref_forest_ign.csv":
        numeric = [column for column in header if column not in IGN_KEY_COLUMNS]
    else:
        numeric = [column for column in NUMERIC_COLUMNS.get(name, ()) if column in header]
    dtypes = {column: ("float64" if column in numeric else str) for column in header}
    return pd.read_csv(
        io.BytesIO(data),
        dtype=dtypes,
        keep_default_na=False,
        na_values={column: [""] for column in numeric},
        encoding="utf-8-sig",
    )
