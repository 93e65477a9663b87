"""The downloadable files, as bytes: indicator sheets (.xlsx, .csv), the PCAET workbook, the regional workbook.

Pure functions of the tables (``indicators.tables``, the same tables the pages show) and their metadata; the views
gather both from the database.
"""

import csv
import io
import re

from territories import land_uses

from .. import registry
from ..area_tables import area_table, land_use_change_area_table
from ..figures import Figures
from ..frames import Frames, compensation_table
from ..measures import FLUX, LAND_USE_CHANGE_COMPONENTS, SIGN_CONVENTION, STOCK, UNIT_WORDS, direction
from ..numbers import spreadsheet_number
from ..registry import Indicator
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
from ..series.model import Point, SeriesMetadata
from ..tables import Chart, Column, Table, flux_by_land_use_table
from .metadata import ExportInfo, Link, common_lines, indicator_lines, series_lines, territory_lines
from .safety import neutralise
from .xlsx import WorkbookWriter

DEPOSIT_SHEET = "Cadre de dépôt PCAET"
AREA_SHEET = "Surfaces"
CHANGE_SHEET = "Changements d'occupation"
FRAME_SHEET = "Cadre national (SNBC)"
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
        group = (land_uses.PARENT_OF.get(land_use) or land_uses.level1_slug(land_use)).removeprefix(
            land_uses.LEVEL1_PREFIX
        )
        by_group[group] = by_group.get(group, 0.0) + figures.of_land_use(FLUX, land_use)

    def row(label: str, value: float) -> dict:
        return {"key": label, "label": label, "flux": value, "direction": direction(value), "period": PERIOD}

    rows = [row(label, sum(by_group.get(g, 0.0) for g in groups)) for label, groups in DEPOSIT_ROWS.items()]
    rows.append(row("Total du cadre de dépôt (hors produits bois)", sum(r["flux"] for r in rows)))
    rows.append(row("Produits bois (hors cadre de dépôt)", by_group.get(WOOD_PRODUCTS, 0.0)))
    rows.append(
        row(
            "Dont changements d'occupation des sols, tous groupes (sols, litière et biomasse hors forêt, "
            "défrichement, N2O)",
            figures.land_use_change_flux(),
        )
    )
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


def indicator_workbook(indicator: Indicator, figures: Figures, info: ExportInfo) -> bytes:
    """The indicator sheet ("fiche"): read-me, the table and its chart."""
    writer = WorkbookWriter()
    lines = territory_lines(info) + indicator_lines(indicator) + common_lines(info)
    writer.add_readme(f"Fiche indicateur : {indicator.title}", lines)
    writer.add_table_sheet(indicator.sheet_name, [indicator.table(figures)], heading=_heading(info))
    return writer.close()


def pcaet_workbook(figures: Figures, info: ExportInfo, frames: Frames) -> bytes:
    """The PCAET workbook: the deposit grid, every indicator (the series with values for the territory too), areas,
    land-use change fluxes, and the territory in the national frame (SNBC, share of its emissions offset)."""
    writer = WorkbookWriter()
    shown = [indicator for indicator in registry.indicators() if indicator.shows(figures)]
    contents = [
        f"{DEPOSIT_SHEET} : séquestration nette par grand type d'occupation des sols, puis par occupation et "
        "composante.",
        *(f"{indicator.sheet_name} : {indicator.title}." for indicator in shown),
        f"{AREA_SHEET} : surfaces 2018 par occupation des sols.",
        f"{CHANGE_SHEET} : flux et surfaces des changements d'occupation des sols 2012-2018.",
        f"{FRAME_SHEET} : le flux du territoire par sous-secteur UTCATF de la SNBC, à côté de la trajectoire "
        "nationale" + (", et la part de ses émissions compensée par son puits net." if frames.compensation else "."),
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
    for indicator in shown:
        writer.add_table_sheet(indicator.sheet_name, [indicator.table(figures)], heading=heading)
    writer.add_table_sheet(AREA_SHEET, [area_table(figures)], heading=heading)
    change = flux_by_land_use_table(
        figures,
        components=LAND_USE_CHANGE_COMPONENTS,
        title="Flux dus aux changements d'occupation des sols 2012-2018",
    )
    writer.add_table_sheet(
        CHANGE_SHEET, [change.with_note(LAND_USE_CHANGE_NOTE), land_use_change_area_table(figures)], heading=heading
    )
    compensation = [compensation_table(frames.compensation)] if frames.compensation else []
    writer.add_table_sheet(FRAME_SHEET, [frames.snbc, *compensation], heading=heading)
    return writer.close()


def regional_table(indicator, epcis: list[dict], figures: dict[int, Figures]) -> Table:
    """Every EPCI × one indicator: a column per row of the indicator's table (its headline value), then the total.

    ``epcis`` hold territory_id, code, name, quality (the level's label) and note (why an EPCI has no figure)."""
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
        rows.append({"key": epci["code"], "code": epci["code"], "name": epci["name"], **values} | epci)
    return Table(
        slug=indicator.slug,
        title=indicator.title,
        unit_note=unit,
        columns=(
            Column("code", "Code (SIREN)"),
            Column("name", "EPCI"),
            *columns,
            Column("total", total_label, unit),
            Column("quality", "Qualité des chiffres"),
            Column("note", "Remarque"),
        ),
        rows=rows,
        chart=Chart("bar", f"{indicator.title} ({unit})", ("total",), axis_title=unit, categories="name"),
    )


def regional_workbook(sheets: list[tuple[str, list[dict], dict[int, Figures]]], info: ExportInfo) -> bytes:
    """Every EPCI × every indicator; ``sheets`` holds (geography label, EPCIs, their figures) triples."""
    writer = WorkbookWriter()
    contents = []
    built = []
    for label, epcis, figures in sheets:
        for indicator in registry.indicators("aldo"):
            table = regional_table(indicator, epcis, figures)
            name = f"{label} {indicator.sheet_name}"[:31]
            contents.append(f"{name} : {table.title}, {len(table.rows)} EPCI.")
            built.append((name, table))
    lines = territory_lines(info) + [("Convention de signe", SIGN_CONVENTION), *common_lines(info)]
    writer.add_readme("Indicateurs carbone de tous les EPCI des Hauts-de-France", lines, contents)
    for name, table in built:
        writer.add_data_sheet(name, table)
    return writer.close()


def series_workbook(meta: SeriesMetadata, tables: list[Table], page_url: str, published: str) -> bytes:
    """A whole series: read-me, then each of its tables (one sheet each) with its chart."""
    writer = WorkbookWriter()
    names = _sheet_names([table.title.removeprefix(f"{meta.name} : ") for table in tables], meta.sheet_name)
    lines = [
        ("Indicateur", meta.name),
        ("Unité", UNIT_WORDS[meta.unit]),
        ("Convention de signe", meta.sign_convention),
        ("Définition", meta.definition),
        ("Publication", published),
        ("Page sur le site", Link(page_url, page_url)),
        *series_lines(meta),
    ]
    contents = [
        f"{name} : {table.title}, {len(table.rows)} lignes." for name, table in zip(names, tables, strict=True)
    ]
    writer.add_readme(f"Série : {meta.name}", lines, contents)
    for name, table in zip(names, tables, strict=True):
        writer.add_table_sheet(name, [table])
    return writer.close()


def _sheet_names(titles: list[str], single: str) -> list[str]:
    """Excel sheet names for the tables of a series: numbered (so unique), 31 characters at most, without the
    characters Excel refuses."""
    if len(titles) == 1:
        return [single]
    names = []
    for position, title in enumerate(titles, start=1):
        cleaned = re.sub(r"[\[\]:*?/\\]", " ", title)
        names.append(f"{position}. {cleaned}"[:31].strip())
    return names


def series_csv(meta: SeriesMetadata, points: list[Point]) -> bytes:
    """Every value of a series, one per row, in the import format's columns plus the place's name and the unit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **CSV_DIALECT)
    dimensions = [dimension.column for dimension in meta.dimensions]
    writer.writerow(["type_territoire", "code_territoire", "territoire", "periode", *dimensions, "valeur", "unite"])
    for point in points:
        writer.writerow(
            [
                point.zone.kind,
                neutralise(point.zone.code),
                neutralise(point.zone.name),
                point.period,
                *(neutralise(value) for value in point.dimensions),
                spreadsheet_number(point.value),
                meta.unit,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_csv(table: Table, info: ExportInfo) -> bytes:
    """A table as CSV for French Excel: UTF-8 with BOM, ";" separator, decimal comma.

    Numbers are rounded as the site shows them, except the table's headline column (its header says « valeur
    exacte »), which keeps full precision for re-use. Each row starts with the territory and the release so that files
    of several territories can be stacked.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, **CSV_DIALECT)
    headers = [
        f"{column.label} ({column.unit}, valeur exacte)" if column.key == table.value_key else column.header
        for column in table.columns
    ]
    writer.writerow(["Code territoire", "Territoire", "Millésime", *headers, "Qualité des chiffres"])
    context = [neutralise(info.territory_code), neutralise(info.territory_name), neutralise(info.release)]
    for row in table.all_rows():
        cells = []
        for column in table.columns:
            value = row.get(column.key)
            if value is None:
                cells.append("")
            elif column.is_number:
                cells.append(spreadsheet_number(value, None if column.key == table.value_key else column.decimals))
            else:
                cells.append(neutralise(str(value)))
        writer.writerow(context + cells + [neutralise(info.quality)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
