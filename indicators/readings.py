"""The sentence under each chart, read from the indicator's table: what a reader should see first."""

from territories import land_uses

from . import lulucf
from .measures import direction
from .numbers import describe_flux, describe_stock, format_number, format_percent, format_with_unit
from .tables import Table


def _enumerate(parts: list[str]) -> str:
    """Join as French prose: « a », « a et b », « a, b et c »."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _by_group(table: Table) -> dict[str, float]:
    sums: dict[str, float] = {}
    for row in table.rows:
        group = table.groups.get(row["key"], row["key"])
        sums[group] = sums.get(group, 0.0) + row[table.value_key]
    return sums


def stock(table: Table) -> str:
    total = table.total["stock"]
    text = f"Le territoire stocke {format_with_unit(total, 'tC')}, soit {describe_stock(total)}."
    largest = max(table.rows, key=lambda row: row["stock"], default=None)
    if largest and total:
        share = format_percent(largest["stock"] / total)
        text += f" Le premier réservoir est « {largest['label']} », avec {share} du stock."
    return text


def stock_by_land_use(table: Table) -> str:
    total = table.total["stock"]
    if not total:
        return ""
    largest = sorted(_by_group(table).items(), key=lambda item: -item[1])[:3]
    parts = [f"{land_uses.label(group).lower()} ({format_percent(value / total)})" for group, value in largest]
    return "Le stock se répartit surtout entre " + _enumerate(parts) + "." if parts else ""


def stock_per_hectare(table: Table) -> str:
    average = table.total["stock_hectare"]
    text = f"Un hectare du territoire stocke en moyenne {format_with_unit(average, 'tC/ha', 1)}."
    if table.rows:
        richest = max(table.rows, key=lambda row: row["stock_hectare"])
        poorest = min(table.rows, key=lambda row: row["stock_hectare"])
        text += (
            f" L'occupation la plus riche en carbone est « {richest['label']} » "
            f"({format_with_unit(richest['stock_hectare'], 'tC/ha', 1)}), la plus pauvre « {poorest['label']} » "
            f"({format_with_unit(poorest['stock_hectare'], 'tC/ha', 1)})."
        )
    return text


def flux(table: Table) -> str:
    total = table.total["flux"]
    text = f"Le territoire présente une {describe_flux(total)}." if total else "Le flux net du territoire est nul."
    sinks = [row for row in table.rows if row["flux"] < 0]
    sources = [row for row in table.rows if row["flux"] > 0]
    if sinks:
        sink = min(sinks, key=lambda row: row["flux"])
        text += f" Le premier puits est « {sink['label']} » ({format_with_unit(sink['flux'], 'tCO2e/an')})"
        text += "," if sources else "."
    if sources:
        source = max(sources, key=lambda row: row["flux"])
        text += (
            f"{' la' if sinks else ' La'} première source « {source['label']} » "
            f"({format_with_unit(source['flux'], 'tCO2e/an')})."
        )
    return text


def flux_by_land_use(table: Table) -> str:
    groups = _by_group(table)
    parts = []
    if groups and min(groups.values()) < 0:
        group = min(groups, key=groups.get)
        parts.append(
            f"les {land_uses.label(group).lower()} séquestrent le plus ({format_number(groups[group])} tCO2e/an)"
        )
    if groups and max(groups.values()) > 0:
        group = max(groups, key=groups.get)
        parts.append(
            f"les {land_uses.label(group).lower()} émettent le plus ({format_number(groups[group])} tCO2e/an)"
        )
    if not parts:
        return "Aucun flux n'est rattaché aux occupations des sols."
    text = " ; ".join(parts) + "."
    return text[0].upper() + text[1:]


def eu_categories(table: Table) -> str:
    """The largest categories, then the forest sink against France's forest reference level (context only)."""
    total = table.total["flux"]
    if not table.rows:
        return "Aucun flux n'est enregistré par catégorie comptable de l'UE pour ce millésime."
    largest = sorted(table.rows, key=lambda row: -abs(row["flux"]))[:2]
    parts = [
        f"{row['label'].lower()} ({format_with_unit(row['flux'], 'tCO2e/an')}, {row['direction']})" for row in largest
    ]
    text = f"Flux net : {describe_flux(total)} ; les catégories qui pèsent le plus sont " + _enumerate(parts) + "."
    forest = next((row["flux"] for row in table.rows if row["key"] == "terres_forestieres"), 0.0)
    if forest < 0:
        share = format_percent(forest / lulucf.FOREST_REFERENCE_LEVEL, 2)
        text += (
            f" Les terres forestières gérées du territoire ({direction(forest)}) représentent {share} du niveau de "
            f"référence pour les forêts de la France {lulucf.FOREST_REFERENCE_PERIOD} "
            f"({format_with_unit(lulucf.FOREST_REFERENCE_LEVEL, 't CO2e/an')})."
        )
    return text


def series(table: Table) -> str:
    """An indicator series: the first rows, each with its values and what they are (a period or a place)."""
    numbers = [column for column in table.columns if column.is_number]
    if not table.rows or not numbers:
        return "Aucune valeur publiée pour ce territoire."
    signed = any(column.key == "direction" for column in table.columns) or bool(table.chart and table.chart.signed)

    def text(column, value) -> str:
        words = f", {direction(value)}" if signed else ""
        return f"{format_with_unit(value, column.unit, column.decimals)} ({column.label}{words})"

    def values(row: dict) -> str:
        known = [(column, row[column.key]) for column in numbers if row.get(column.key) is not None]
        shown = known if len(known) <= 3 else [known[0], known[-1]]
        return (" … " if len(known) > 3 else ", ").join(text(column, value) for column, value in shown)

    parts = [f"{row['label']} : {values(row)}" for row in table.rows[:2]]
    return " ; ".join(parts) + (" ; …" if len(table.rows) > 2 else "") + "."
