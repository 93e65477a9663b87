"""Forest areas, IGN reference lookup, forest densities, growth and harvested wood (METHOD.md §2.4, §2.6, §3.7)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import COMPOSITIONS, N_COMPOSITIONS, VAT_FACTOR_CONSTANTS, InputQuantity, group_sum, input_quantity
from .rules import RuleSet

LOCALISATION_LEVELS = ("code_groupeser", "code_greco", "code_rad13", "code_bassin_populicole")
FRANCE = "France"
SIGNIFICANT = "s"
# Localisation codes the IGN table lacks for some compositions, replaced by a GRECO code.
CODE_SUBSTITUTIONS = (
    ("COR", ("Conifere", "Mixte"), "J"),
    ("HDF", ("Conifere", "Mixte"), "B"),
    ("PDL", ("Mixte",), "A"),
)
IGN_LIVE = "carbone_(tC∙ha-1)"
IGN_DEAD = "bois_mort_carbone_(tC∙ha-1)"
IGN_HARVEST = "prelevement_volume_(m3∙ha-1∙an-1)"
IGN_BALANCE = "bilan_carbone_(tC∙ha-1∙an-1)"
IGN_VALUES = (IGN_LIVE, IGN_DEAD, IGN_HARVEST, IGN_BALANCE)


@dataclass(frozen=True)
class ForestFigures:
    """Per unit × composition (shape (units, 4)) unless said otherwise."""

    area: np.ndarray
    live_density: np.ndarray
    dead_density: np.ndarray
    growth: np.ndarray
    """Net biomass change A × bilan_carbone, tC/yr (ALDO sign: positive = sequestration)."""
    row_count: np.ndarray
    rebuilt: np.ndarray
    harvest_lumber: np.ndarray
    """Per unit: harvest going to lumber (BO), m³/yr."""
    harvest_industrial: np.ndarray
    """Per unit: harvest going to industrial wood (BI), m³/yr."""
    rows: pd.DataFrame
    """The IGN rows used, with `unit` position and the looked-up reference values (for details and tests)."""
    area_read: InputQuantity
    """Per unit: the forest areas read, all compositions."""


def lookup_ign_references(rows: pd.DataFrame, ign: pd.DataFrame) -> pd.DataFrame:
    """Reference values of each row: first significant (composition, code) along the localisation cascade, else France.

    The codes are matched whatever their localisation type, as ALDO does.
    """
    significant = ign[ign["surface_ic"] == SIGNIFICANT].drop_duplicates(["composition", "code_localisation"])
    reference_index = pd.MultiIndex.from_frame(significant[["composition", "code_localisation"]])
    combos = rows[["composition", *LOCALISATION_LEVELS]].drop_duplicates()
    found = np.full(len(combos), -1)
    for level in (*LOCALISATION_LEVELS, None):
        codes = combos[level].to_numpy(dtype=object) if level else np.full(len(combos), FRANCE, dtype=object)
        for code, compositions, substitute in CODE_SUBSTITUTIONS:
            codes = np.where((codes == code) & combos["composition"].isin(compositions).to_numpy(), substitute, codes)
        match = reference_index.get_indexer(pd.MultiIndex.from_arrays([combos["composition"].to_numpy(), codes]))
        found = np.where(found < 0, match, found)
    values = significant[list(IGN_VALUES)].to_numpy()
    found_values = np.where(found[:, None] >= 0, values[np.maximum(found, 0)], np.nan)
    references = pd.DataFrame(found_values, columns=list(IGN_VALUES), index=combos.index)
    references["reference_code"] = np.where(found >= 0, significant["code_localisation"].to_numpy()[found], "")
    combos = pd.concat([combos, references], axis=1)
    return rows.merge(combos, on=["composition", *LOCALISATION_LEVELS], how="left")


HARVEST_LUMBER, HARVEST_INDUSTRIAL = "harvest_lumber", "harvest_industrial"


def referenced_forest_rows(bundle) -> pd.DataFrame:
    """Every IGN area row of a known composition, with its composition index, its reference values and its harvest
    going to lumber and to industrial wood (m³/yr): all depend on the row alone, so they are looked up once per
    bundle."""
    constants = bundle.constants
    forest = bundle.tables["forest_areas.csv"]
    composition = pd.Index(COMPOSITIONS).get_indexer(forest["composition"])
    rows = forest[composition >= 0].assign(composition_index=composition[composition >= 0])
    rows = lookup_ign_references(rows, bundle.tables["ref_forest_ign.csv"]).fillna({name: 0.0 for name in IGN_VALUES})

    # Harvest (m³/yr): H = share_bft·BFT + share_branch·(VAT − BFT), with BFT = harvest volume × area.
    vat_factor = np.array([constants[name] for name in VAT_FACTOR_CONSTANTS])[rows["composition_index"].to_numpy()]
    bft = rows[IGN_HARVEST].to_numpy() * rows["area_ha"].fillna(0.0).to_numpy()
    harvest = constants["harvest_bft_share"] * bft + constants["harvest_branch_share"] * (bft * vat_factor - bft)
    wood_use = bundle.tables["ref_wood_region.csv"].drop_duplicates("code_rad13").set_index("code_rad13")
    for share, column in (("pct_bo", HARVEST_LUMBER), ("pct_bi", HARVEST_INDUSTRIAL)):
        rows[column] = harvest * rows["code_rad13"].map(wood_use[share]).fillna(0.0).to_numpy() / 100
    return rows


def forest_figures(bundle, rules: RuleSet, unit_ids: pd.Index) -> ForestFigures:
    forest = bundle.derived("referenced_forest_rows", lambda: referenced_forest_rows(bundle))
    row_unit = bundle.derived("forest_row_units", lambda: rules.forest_row_units(forest, bundle.unit_index))
    unit = bundle.unit_positions(row_unit, unit_ids)
    rows = forest[unit >= 0].assign(unit=unit[unit >= 0]).reset_index(drop=True)

    size = len(unit_ids) * N_COMPOSITIONS
    cell = rows["unit"].to_numpy() * N_COMPOSITIONS + rows["composition_index"].to_numpy()
    area_per_row = rows["area_ha"].fillna(0.0).to_numpy()

    def per_cell(weights) -> np.ndarray:
        return group_sum(cell, np.asarray(weights, dtype=float), size).reshape(-1, N_COMPOSITIONS)

    area = per_cell(area_per_row)
    not_original = (rows["provenance"] != "original").to_numpy()
    row_count = per_cell(np.ones(len(rows)))
    densities = []
    for column in (IGN_LIVE, IGN_DEAD):
        weighted = per_cell(area_per_row * rows[column].to_numpy())
        plain = per_cell(rows[column].to_numpy())
        with np.errstate(invalid="ignore", divide="ignore"):
            if rules.forest_density_plain_mean_without_area:
                fallback = np.where(row_count > 0, plain / row_count, 0.0)
            else:
                fallback = np.zeros_like(area)
            densities.append(np.where(area > 0, weighted / area, fallback))

    units_count = len(unit_ids)
    harvest = {
        column: group_sum(rows["unit"].to_numpy(), rows[column].to_numpy(), units_count)
        for column in (HARVEST_LUMBER, HARVEST_INDUSTRIAL)
    }

    return ForestFigures(
        area=area,
        live_density=densities[0],
        dead_density=densities[1],
        growth=per_cell(area_per_row * rows[IGN_BALANCE].to_numpy()),
        row_count=row_count,
        rebuilt=per_cell(not_original) > 0,
        harvest_lumber=harvest[HARVEST_LUMBER],
        harvest_industrial=harvest[HARVEST_INDUSTRIAL],
        rows=rows,
        area_read=input_quantity(rows["unit"].to_numpy(), area_per_row, not_original, units_count),
    )
