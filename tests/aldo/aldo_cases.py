"""Helpers shared by the ports of ALDO's own test cases (ALDO_TEST_CASES.md)."""

import dataclasses

import pandas as pd

from indicators.aldo import Bundle

PRAIRIES = ("prairies zones herbacées", "prairies zones arbustives", "prairies zones arborées")
CULTURES_CODES = {"211", "212", "213", "241", "242", "243", "244"}
PRAIRIES_HERBACEES_CODES = {"231", "321"}
CASE_EPCIS = {
    "HETRE": ("200007177", "200015162", "200040798", "200042992", "200055887", "245700398", "200000172", "249500513"),
    "CHANTERELLE": ("200007177", "200015162", "200040798", "200042992", "200055887", "245700398", "200000172"),
}


def case_territories(bundle: Bundle) -> dict[str, list[str]]:
    """The EPCIs of ALDO's test cases, each as the set of its units, as ALDO's `getCommunes({ epci })` does."""
    members = bundle.epci_members()
    return {siren: members[siren] for siren in CASE_EPCIS[bundle.rule_set]}


def within(actual: float, expected: float, decimals: int) -> bool:
    """jest's toBeCloseTo(expected, decimals): |diff| < 0.5·10^-decimals."""
    return abs(actual - expected) < 0.5 * 10**-decimals


def aldo_summary(result, territory: str, land_use: str) -> float | None:
    """ALDO's summary[land_use].totalSequestration (ALDO sign), None when no flux goes into that land use."""
    values = result.values
    rows = values[
        (values["territory"] == territory) & (values["measure"] == "flux") & (values["land_use"] == land_use)
    ]
    return None if rows.empty else -rows["value"].sum()


def carbon_into(result, territory: str, land_use: str) -> float:
    """ALDO's summary[land_use].totalCarbonSequestration: carbon entries (tC/yr) ending in that land use."""
    entries = result.details["flux_entries"]
    selected = entries[
        (entries["territory"] == territory)
        & (entries["land_use"] == land_use)
        & (entries["gas"] == "C")
        & entries["component"].isin(["changement_occupation_sol", "deforestation_biomasse"])
    ]
    return selected["value_native"].sum()


def entries_of(result, territory: str) -> pd.DataFrame:
    entries = result.details["flux_entries"]
    return entries[entries["territory"] == territory]


def soil_entries_into_cultures(result, territory):
    """ALDO's entry list of a territory holds the entries of each of its units."""
    entries = result.details["unit_flux_entries"]
    entries = entries[entries["territory"] == territory]
    return entries[(entries["land_use"] == "cultures") & (entries["gas"] == "C") & (entries["reservoir"] == "sol")]


def without_prairie_to_cultures_changes(bundle: Bundle, unit_ids) -> Bundle:
    """The bundle with ΔA(prairies zones herbacées -> cultures) = 0 for these units (ALDO's areaChanges override)."""
    changes = bundle.tables["clc_changes.csv"]
    drop = (
        changes["territory_id"].isin(set(unit_ids))
        & changes["clc_code_2012"].isin(PRAIRIES_HERBACEES_CODES)
        & changes["clc_code_2018"].isin(CULTURES_CODES)
    )
    return dataclasses.replace(bundle, tables={**bundle.tables, "clc_changes.csv": changes[~drop]})


def with_second_forest_rows(bundle: Bundle, siren: str, communes: int, groupeser: str) -> Bundle:
    """The real IGN layout (one row per localisation-code combination) for `communes` communes of the EPCI: half of
    each of their forest rows moves to a second row in another groupeser (the bundles have one row per commune)."""
    forest = bundle.tables["forest_areas.csv"]
    chosen = sorted(set(forest.loc[forest["epci_siren"] == siren, "insee"]))[:communes]
    split = forest["insee"].isin(chosen)
    halves = forest[split].assign(area_ha=forest.loc[split, "area_ha"] / 2)
    rows = pd.concat([forest[~split], halves, halves.assign(code_groupeser=groupeser)], ignore_index=True)
    return dataclasses.replace(bundle, tables={**bundle.tables, "forest_areas.csv": rows})
