"""The downloadable files, as bytes: indicator sheets (.xlsx, .csv), the PCAET workbook, the regional workbook.

Pure functions of the tables and their metadata; the views gather both from the database.
"""

import csv
import io
from dataclasses import replace

import numpy as np
import pandas as pd

from ..catalog import FLUX_COMPONENTS, INDICATORS, SIGN_CONVENTION
from ..models import Indicator
from .metadata import ExportInfo, common_lines, indicator_lines, territory_lines
from .safety import neutralise
from .tables import (
    Figures,
    Table,
    area_table,
    flux_by_land_use_table,
    indicator_table,
    land_use_change_area_table,
    pcaet_deposit_table,
    regional_tables,
)
from .xlsx import WorkbookWriter

# Short sheet names (Excel allows 31 characters).
SHEET_NAMES = {
    Indicator.STOCK: "Stock",
    Indicator.STOCK_BY_LAND_USE: "Stock par occupation",
    Indicator.STOCK_PER_HECTARE: "Stock par hectare",
    Indicator.FLUX: "Flux",
    Indicator.FLUX_BY_LAND_USE: "Flux par occupation",
}
DEPOSIT_SHEET = "Cadre de dépôt PCAET"
AREA_SHEET = "Surfaces"
CHANGE_SHEET = "Changements d'occupation"
# Flux components caused by land-use change (the others are forest growth and wood products).
LAND_USE_CHANGE_COMPONENTS = ("changement_occupation_sol", "deforestation_biomasse", "n2o_destockage_sol")
LAND_USE_CHANGE_NOTE = (
    "Flux annuels moyens 2012-2018 dus aux changements d'occupation des sols, par occupation des sols finale et par "
    "composante ; le tableau suivant donne les surfaces changées entre chaque paire d'occupations (ha/an)."
)
DEPOSIT_NOTE = (
    "La feuille « Cadre de dépôt PCAET » reprend la « Partie 2 - Données sur la séquestration de dioxyde de "
    "carbone » comme l'export de l'outil ALDO la présente (Forêt ; Sols agricoles ; Autres sols ; Produits bois hors "
    "cadre de dépôt), puis le détail par occupation des sols et par composante du flux. Le flux n'est pas stocké par "
    "réservoir (sol, litière, biomasse) : la composante « changement d'occupation des sols » les regroupe. "
    "Hypothèse : haies, vergers et vignes sont comptés dans les sols agricoles, zones humides et sols artificiels "
    "dans les autres sols."
)
CSV_DIALECT = {"delimiter": ";", "lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}


def indicator_workbook(slug: str, figures: Figures, info: ExportInfo) -> bytes:
    """The indicator sheet ("fiche"): read-me, the table and its chart."""
    indicator = INDICATORS[slug]
    table = indicator_table(slug, figures)
    writer = WorkbookWriter()
    lines = territory_lines(info) + indicator_lines(indicator) + common_lines(info)
    writer.add_readme(f"Fiche indicateur : {indicator.title}", lines)
    writer.add_table_sheet(SHEET_NAMES[slug], [table], heading=_heading(info))
    return writer.close()


def pcaet_workbook(figures: Figures, info: ExportInfo) -> bytes:
    """The PCAET workbook: the deposit grid, the five indicators, areas and land-use change fluxes."""
    writer = WorkbookWriter()
    contents = [
        f"{DEPOSIT_SHEET} : séquestration nette par grand type d'occupation des sols, puis par occupation et "
        "composante.",
        *(f"{SHEET_NAMES[slug]} : {info_.title}." for slug, info_ in INDICATORS.items()),
        f"{AREA_SHEET} : surfaces 2018 par occupation des sols.",
        f"{CHANGE_SHEET} : flux et surfaces des changements d'occupation des sols 2012-2018.",
    ]
    lines = territory_lines(info) + [
        (
            "Unités",
            "tC (stocks), tCO2e/an (flux, moyenne annuelle 2012-2018), ha (surfaces), ha/an (surfaces changées), "
            "tC/ha",
        ),
        ("Convention de signe", SIGN_CONVENTION),
        ("Cadre de dépôt", DEPOSIT_NOTE),
        ("Changements d'occupation", LAND_USE_CHANGE_NOTE),
        *common_lines(info),
    ]
    writer.add_readme("Classeur PCAET : séquestration carbone du territoire", lines, contents)
    heading = _heading(info)
    writer.add_table_sheet(
        DEPOSIT_SHEET,
        [pcaet_deposit_table(figures), flux_by_land_use_table(figures, title="Détail par occupation et composante")],
        heading=heading,
    )
    for slug in INDICATORS:
        writer.add_table_sheet(SHEET_NAMES[slug], [indicator_table(slug, figures)], heading=heading)
    writer.add_table_sheet(AREA_SHEET, [area_table(figures)], heading=heading)
    change = flux_by_land_use_table(
        figures,
        components=[c for c in LAND_USE_CHANGE_COMPONENTS if c in FLUX_COMPONENTS],
        title="Flux dus aux changements d'occupation des sols 2012-2018",
    )
    writer.add_table_sheet(
        CHANGE_SHEET, [_with_note(change, LAND_USE_CHANGE_NOTE), land_use_change_area_table(figures)], heading=heading
    )
    return writer.close()


def regional_workbook(sheets: list[tuple[str, pd.DataFrame, pd.DataFrame]], info: ExportInfo) -> bytes:
    """Every EPCI × every indicator; ``sheets`` holds (geography label, EPCI frame, values frame) triples."""
    writer = WorkbookWriter()
    contents = []
    built = []
    for label, epcis, frame in sheets:
        for table in regional_tables(epcis, frame):
            name = f"{label} {SHEET_NAMES[table.slug]}"
            contents.append(f"{name} : {table.title}, {len(table.rows)} EPCI.")
            built.append((name, table))
    lines = territory_lines(info) + [
        ("Convention de signe", SIGN_CONVENTION),
        *common_lines(info),
    ]
    writer.add_readme("Indicateurs carbone de tous les EPCI des Hauts-de-France", lines, contents)
    for name, table in built:
        writer.add_table_sheet(name, [table])
    return writer.close()


def table_csv(table: Table, info: ExportInfo) -> bytes:
    """A table as CSV for French Excel: UTF-8 with BOM, ";" separator, decimal comma, full precision.

    Each row starts with the territory and the release so that files of several territories can be stacked.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, **CSV_DIALECT)
    writer.writerow(["Code territoire", "Territoire", "Millésime", *(column.header for column in table.columns)])
    context = [neutralise(info.territory_code), neutralise(info.territory_name), neutralise(info.release)]
    for row in table.all_rows():
        cells = []
        for column in table.columns:
            value = row.get(column.key)
            if value is None:
                cells.append("")
            elif column.is_number:
                cells.append(french_number(value))
            else:
                cells.append(neutralise(str(value)))
        writer.writerow(context + cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def french_number(value: float) -> str:
    """Full precision, positional notation, decimal comma: what French Excel reads as a number."""
    return np.format_float_positional(float(value), trim="-").replace(".", ",")


def _heading(info: ExportInfo) -> str:
    return f"{info.territory_name} ({info.territory_code}) - millésime {info.release}"


def _with_note(table: Table, note: str) -> Table:
    return replace(table, note=note)
