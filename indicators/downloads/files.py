"""The downloadable files, as bytes: indicator sheets (.xlsx, .csv), the PCAET workbook, the regional workbook.

Pure functions of the tables (``indicators.tables``, the same tables the pages show) and their metadata; the views
gather both from the database.
"""

import csv
import io

import numpy as np

from territories import land_uses

from ..figures import Figures
from ..measures import FLUX, FLUX_COMPONENTS, SIGN_CONVENTION, STOCK, direction
from ..registry import INDICATORS
from ..scenarios import (
    NATIONAL_SOURCE,
    SCENARIO_METHOD,
    Scenario,
    cumulated_sentence,
    flux_by_component_table,
    flux_by_group_table,
    flux_sentence,
    lever_lines,
    levers_table,
    national_comparison,
    stock_by_group_table,
    stock_sentence,
    trajectory_table,
)
from ..tables import Column, Table, area_table, flux_by_land_use_table, land_use_change_area_table
from .metadata import ExportInfo, common_lines, indicator_lines, territory_lines
from .safety import neutralise
from .xlsx import WorkbookWriter

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
# Rows of the PCAET deposit grid ("Partie 2 - Données sur la séquestration de dioxyde de carbone"), as ALDO's
# own export lays them out, by level-1 land use. Wood products are outside the deposit grid.
DEPOSIT_ROWS = {
    "Forêt": {"forêts"},
    "Sols agricoles (terres cultivées et prairies)": {"cultures", "prairies", "vergers", "vignes", "haies"},
    "Autres sols": {"zones humides", "sols artificiels"},
}
WOOD_PRODUCTS = "produits bois"
PERIOD = "moyenne annuelle 2012-2018"
CSV_DIALECT = {"delimiter": ";", "lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}


def pcaet_deposit_table(figures: Figures) -> Table:
    """Net flux by the deposit grid's rows, then wood products, then the territory's net flux."""
    by_group: dict[str, float] = {}
    for land_use in figures.land_uses(FLUX):
        group = land_uses.PARENT_OF.get(land_use, "").removeprefix(land_uses.LEVEL1_PREFIX)
        by_group[group] = by_group.get(group, 0.0) + figures.of_land_use(FLUX, land_use)

    def row(label: str, value: float) -> dict:
        return {"key": label, "label": label, "flux": value, "direction": direction(value), "period": PERIOD}

    rows = [row(label, sum(by_group.get(g, 0.0) for g in groups)) for label, groups in DEPOSIT_ROWS.items()]
    rows.append(row("Total du cadre de dépôt (hors produits bois)", sum(r["flux"] for r in rows)))
    rows.append(row("Produits bois (hors cadre de dépôt)", by_group.get(WOOD_PRODUCTS, 0.0)))
    return Table(
        slug="cadre-de-depot",
        title="Partie 2 - Données sur la séquestration de dioxyde de carbone",
        unit_note="tCO2e/an",
        columns=(
            Column("label", "Estimation de la séquestration nette de dioxyde de carbone"),
            Column("flux", "Flux net de CO2 (séquestration nette < 0)", "tCO2e/an"),
            Column("direction", "En clair"),
            Column("period", "Période de référence"),
        ),
        rows=rows,
        total=row("Flux net du territoire (produits bois compris)", figures.get(FLUX)),
        note=(
            "Diagnostic tenant compte des changements d'affectation des terres. Signe de l'observatoire : une "
            "séquestration nette est négative ; pour un cadre qui compte la séquestration positivement, changer "
            "le signe."
        ),
    )


def indicator_workbook(slug: str, figures: Figures, info: ExportInfo) -> bytes:
    """The indicator sheet ("fiche"): read-me, the table and its chart."""
    indicator = INDICATORS[slug]
    writer = WorkbookWriter()
    lines = territory_lines(info) + indicator_lines(indicator) + common_lines(info)
    writer.add_readme(f"Fiche indicateur : {indicator.title}", lines)
    writer.add_table_sheet(indicator.sheet_name, [indicator.table(figures)], heading=_heading(info))
    return writer.close()


def pcaet_workbook(figures: Figures, info: ExportInfo) -> bytes:
    """The PCAET workbook: the deposit grid, every indicator, areas and land-use change fluxes."""
    writer = WorkbookWriter()
    contents = [
        f"{DEPOSIT_SHEET} : séquestration nette par grand type d'occupation des sols, puis par occupation et "
        "composante.",
        *(f"{indicator.sheet_name} : {indicator.title}." for indicator in INDICATORS.values()),
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
    for indicator in INDICATORS.values():
        writer.add_table_sheet(indicator.sheet_name, [indicator.table(figures)], heading=heading)
    writer.add_table_sheet(AREA_SHEET, [area_table(figures)], heading=heading)
    change = flux_by_land_use_table(
        figures,
        components=[c for c in LAND_USE_CHANGE_COMPONENTS if c in FLUX_COMPONENTS],
        title="Flux dus aux changements d'occupation des sols 2012-2018",
    )
    writer.add_table_sheet(
        CHANGE_SHEET, [change.with_note(LAND_USE_CHANGE_NOTE), land_use_change_area_table(figures)], heading=heading
    )
    return writer.close()


def regional_table(indicator, epcis: list[dict], figures: dict[int, Figures]) -> Table:
    """Every EPCI × one indicator: a column per row of the indicator's table (its headline value), then the total.

    ``epcis`` hold territory_id, code, name and note (why an EPCI has no figure)."""
    tables = {territory_id: indicator.table(territory_figures) for territory_id, territory_figures in figures.items()}
    total_label = next(iter(tables.values())).total_label if tables else "Total du territoire"
    keys: dict[str, str] = {}
    for table in tables.values():
        for row in table.rows:
            keys.setdefault(row["key"], row["label"])
    unit = indicator.unit
    columns = [Column(key, label, unit) for key, label in keys.items()]
    rows = []
    for epci in epcis:
        values = {}
        table = tables.get(epci["territory_id"])
        if table is not None:
            values = {row["key"]: row[table.value_key] for row in table.rows}
            values["total"] = table.total[table.value_key] if table.total else None
        rows.append({"key": epci["code"], "code": epci["code"], "name": epci["name"], **values, "note": epci["note"]})
    return Table(
        slug=indicator.slug,
        title=indicator.title,
        unit_note=unit,
        columns=(
            Column("code", "Code (SIREN)"),
            Column("name", "EPCI"),
            *columns,
            Column("total", total_label, unit),
            Column("note", "Remarque"),
        ),
        rows=rows,
    )


def regional_workbook(sheets: list[tuple[str, list[dict], dict[int, Figures]]], info: ExportInfo) -> bytes:
    """Every EPCI × every indicator; ``sheets`` holds (geography label, EPCIs, their figures) triples."""
    writer = WorkbookWriter()
    contents = []
    built = []
    for label, epcis, figures in sheets:
        for indicator in INDICATORS.values():
            table = regional_table(indicator, epcis, figures)
            name = f"{label} {indicator.sheet_name}"[:31]
            contents.append(f"{name} : {table.title}, {len(table.rows)} EPCI.")
            built.append((name, table))
    lines = territory_lines(info) + [("Convention de signe", SIGN_CONVENTION), *common_lines(info)]
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


def scenario_workbook(scenario: Scenario, info: ExportInfo) -> bytes:
    """The scenario sheet a PCAET author pastes into the plan: read-me with every lever and the address, reference
    against scenario (fluxes with their charts, trajectory, stock), the levers."""
    writer = WorkbookWriter()
    levers = [(f"Levier : {label}", value) for label, value in lever_lines(scenario)]
    lines = territory_lines(info) + [
        ("Scénario", flux_sentence(scenario.reference.get(FLUX), scenario.figures.get(FLUX))),
        ("Stock", stock_sentence(scenario.reference.get(STOCK), scenario.figures.get(STOCK))),
        *levers,
        ("Trajectoire", cumulated_sentence(scenario)),
        ("SNBC", national_comparison(scenario)),
        ("Source SNBC", NATIONAL_SOURCE),
        ("Méthode", SCENARIO_METHOD),
        ("Convention de signe", SIGN_CONVENTION),
        *common_lines(info),
    ]
    sheets = [
        ("Flux", [flux_by_component_table(scenario), flux_by_group_table(scenario)]),
        ("Trajectoire", [trajectory_table(scenario)]),
        ("Stock", [stock_by_group_table(scenario)]),
        ("Leviers", [levers_table(scenario)]),
    ]
    contents = [f"{name} : {' ; '.join(table.title for table in tables)}." for name, tables in sheets]
    writer.add_readme(f"Scénario « Et si… ? » : {info.territory_name}", lines, contents)
    for name, tables in sheets:
        writer.add_table_sheet(name, tables, heading=_heading(info))
    return writer.close()
