"""The one table model: what a territory's figures look like as a table, for pages, charts, files and the API.

A ``Table`` has text and number columns (the unit in its own field), rows that keep each row's key (land use id,
reservoir or component), an optional total row and the chart that draws it. Values keep full precision; each unit
says how many decimals the site shows. Pages show the columns marked ``on_page``; files and the API show them all.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from territories import land_uses

from . import lulucf
from .aldo import EU_CATEGORIES
from .figures import Figures
from .measures import (
    AREA,
    DECIMALS,
    EU_CATEGORY_FLUX,
    FLUX,
    FLUX_COMPONENTS,
    RESERVOIRS,
    STOCK,
    STOCK_PER_HECTARE,
    direction,
)

UNIT_SEPARATORS = re.compile(r"[\s,;()]+")  # between the units a caption names


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""  # "" for a text column
    on_page: bool = True
    unit_in_header: bool = True  # False for period columns, whose unit the table's first column names
    digits: int | None = None  # decimals shown, when not the unit's (measures.DECIMALS)

    @property
    def is_number(self) -> bool:
        return bool(self.unit)

    @property
    def decimals(self) -> int:
        return DECIMALS[self.unit] if self.digits is None else self.digits

    @property
    def header(self) -> str:
        """The header of files and the API, which carries the unit (pages give it in the caption)."""
        return f"{self.label} ({self.unit})" if self.unit and self.unit_in_header else self.label


@dataclass(frozen=True)
class Chart:
    """How a table is drawn.

    "bar" (horizontal bars) and "pie": categories are the rows' labels, one series per named number column; several
    series are grouped side by side unless ``stacked``. "line" draws one line per named column along the rows (years).
    ``by_row`` (a time series, "line" or "column"): the categories are the named number columns (periods, left to
    right), one series per row.
    """

    kind: str  # "bar", "pie" (the site draws pies as bars), "line" or "column"
    title: str
    series: tuple[str, ...]
    stacked: bool = False  # several series: stacked, else side by side
    axis_title: str = ""
    colors: str = "rows"  # "rows": a colour per row key; "series": per series key; "sign": by sign of the value
    signed: bool = False  # fluxes: the sign is said in words, negative bars run left of zero
    reference: str = ""  # a number column whose total-row value is drawn as a line ("moyenne du territoire")
    categories: str = ""  # the text column naming the bars (default: the first column)
    by_row: bool = False  # one series per row over the named columns (time series), rather than one per column


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    unit_note: str
    columns: tuple[Column, ...]
    rows: list[dict]
    total: dict | None = None
    chart: Chart | None = None
    note: str = ""
    value_key: str = ""  # the column holding each row's headline value (maps, regional workbook)
    total_label: str = "Total du territoire"  # what the total row's headline value is called on its own
    groups: dict[str, str] = field(default_factory=dict)  # row key → level-1 group slug

    @property
    def caption(self) -> str:
        return f"{self.title} ({self.unit_note})" if self.unit_note else self.title

    def all_rows(self) -> list[dict]:
        return self.rows + ([self.total] if self.total else [])

    def page_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.on_page)

    def page_header(self, column: Column) -> str:
        """A column's header on a page: the caption names the table's units, so a column says its unit only when
        the caption does not (a share in %, the areas of a table of tC/ha)."""
        named = set(UNIT_SEPARATORS.split(self.unit_note))
        shown = column.unit and column.unit_in_header and column.unit not in named
        return f"{column.label} ({column.unit})" if shown else column.label

    def with_note(self, note: str) -> "Table":
        return replace(self, note=note)


# HETRE books the deforestation of forests into grassland a second time, under the level-1 name "prairies"
# (METHOD.md §3.6 and §7): the row is reproduced as ALDO has it, labelled and explained.
DOUBLE_COUNTED = "prairies"
DOUBLE_COUNTED_LABEL = "Prairies (défrichement compté une seconde fois par ALDO HETRE)"
DOUBLE_COUNTED_NOTE = (
    "HETRE compte deux fois le défrichement de forêts en prairies (une fois par type de prairie, une fois pour les "
    "prairies dans leur ensemble) : la ligne « " + DOUBLE_COUNTED_LABEL + " » reproduit ce double compte de l'outil "
    "ALDO, que CHANTERELLE a corrigé."
)


def land_use_label(land_use: str) -> str:
    return DOUBLE_COUNTED_LABEL if land_use == DOUBLE_COUNTED else land_uses.label(land_use)


def flux_chart(title: str, series: tuple[str, ...] = ("flux",)) -> Chart:
    """Bars of a flux (tCO2e/an): negative bars (sequestration) run left of zero; one colour per sign, or per
    component when several components are stacked."""
    stacked = len(series) > 1
    return Chart(
        "bar",
        f"{title} (tCO2e/an ; séquestration < 0)",
        series,
        stacked=stacked,
        axis_title="tCO2e/an — ← séquestration | émission →",
        colors="series" if stacked else "sign",
        signed=True,
    )


def share_percent(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole``; none of nothing."""
    return part / whole * 100 if whole else None


def _group(land_use: str) -> str | None:
    if land_use == DOUBLE_COUNTED:
        return land_uses.level1_slug(DOUBLE_COUNTED)
    return land_uses.PARENT_OF.get(land_use)


def group_label(land_use: str) -> str:
    parent = _group(land_use)
    return land_uses.LABELS[parent] if parent else ""


def _groups(land_use_keys: Iterable[str]) -> dict[str, str]:
    return {key: group for key in land_use_keys if (group := _group(key))}


def stock_table(figures: Figures) -> Table:
    """Stock de carbone : bilan global, by reservoir."""
    total = figures.get(STOCK)
    rows = [
        {
            "key": reservoir,
            "label": RESERVOIRS.get(reservoir, reservoir),
            "stock": value,
            "share": share_percent(value, total),
        }
        for reservoir in figures.details(STOCK, RESERVOIRS)
        if (value := figures.of_detail(STOCK, reservoir))
    ]
    return Table(
        slug="stock-carbone",
        title="Stock de carbone par réservoir",
        unit_note="tC",
        columns=(
            Column("label", "Réservoir"),
            Column("stock", "Stock de carbone", "tC"),
            Column("share", "Part du stock total", "%"),
        ),
        rows=rows,
        total={"key": "total", "label": "Total", "stock": total, "share": 100.0 if total else None},
        chart=Chart("pie", "Stock de carbone par réservoir (tC)", ("stock",), axis_title="tC"),
        value_key="stock",
        total_label="Stock total",
    )


def stock_by_land_use_table(figures: Figures) -> Table:
    """Stock de carbone par occupation des sols, one column per reservoir."""
    reservoirs = figures.details(STOCK, RESERVOIRS)
    total = figures.get(STOCK)
    rows = []
    for land_use in figures.land_uses(STOCK):
        row = {"key": land_use, "label": land_uses.label(land_use), "group": group_label(land_use)}
        row.update({r: figures.get(STOCK, land_use, r) for r in reservoirs})
        row["stock"] = figures.of_land_use(STOCK, land_use)
        row["share"] = share_percent(row["stock"], total)
        if row["stock"]:
            rows.append(row)
    total_row = {"key": "total", "label": "Total", "group": ""}
    total_row.update({r: figures.of_detail(STOCK, r) for r in reservoirs})
    total_row.update(stock=total, share=100.0 if total else None)
    return Table(
        slug="stock-carbone-occupation",
        title="Stock de carbone par occupation des sols et par réservoir",
        unit_note="tC",
        columns=(
            Column("label", "Occupation des sols"),
            Column("group", "Groupe", on_page=False),
            *(Column(r, RESERVOIRS.get(r, r), "tC") for r in reservoirs),
            Column("stock", "Stock total", "tC"),
            Column("share", "Part du stock total", "%", on_page=False),
        ),
        rows=rows,
        total=total_row,
        chart=Chart(
            "bar",
            "Stock de carbone par occupation des sols (tC)",
            tuple(reservoirs),
            stacked=True,
            axis_title="tC",
            colors="series",
        ),
        value_key="stock",
        total_label="Stock total",
        groups=_groups(row["key"] for row in rows),
    )


def stock_per_hectare_table(figures: Figures) -> Table:
    """Stock de carbone par hectare, with the area and stock it divides."""
    rows = [
        {
            "key": land_use,
            "label": land_uses.label(land_use),
            "group": group_label(land_use),
            "area": area,
            "stock": figures.of_land_use(STOCK, land_use),
            "stock_hectare": figures.of_land_use(STOCK_PER_HECTARE, land_use),
        }
        for land_use in figures.land_uses(STOCK_PER_HECTARE)
        # ALDO gives a reference density even for land uses absent from the territory; only present ones are shown.
        if (area := figures.of_land_use(AREA, land_use))
    ]
    return Table(
        slug="stock-carbone-hectare",
        title="Stock de carbone par hectare de chaque occupation des sols",
        unit_note="tC/ha",
        columns=(
            Column("label", "Occupation des sols"),
            Column("group", "Groupe", on_page=False),
            Column("area", "Surface", "ha"),
            Column("stock", "Stock de carbone", "tC", on_page=False),
            Column("stock_hectare", "Stock par hectare", "tC/ha"),
        ),
        rows=rows,
        total={
            "key": "total",
            "label": "Moyenne du territoire",
            "group": "",
            "area": figures.get(AREA),
            "stock": figures.get(STOCK),
            "stock_hectare": figures.total(STOCK_PER_HECTARE),
        },
        chart=Chart(
            "bar",
            "Stock de carbone par hectare (tC/ha)",
            ("stock_hectare",),
            axis_title="tC/ha",
            reference="stock_hectare",
        ),
        note=(
            "La moyenne du territoire est le stock total (haies et produits bois compris) divisé par la surface "
            "totale des occupations des sols."
        ),
        value_key="stock_hectare",
        total_label="Moyenne du territoire",
        groups=_groups(row["key"] for row in rows),
    )


def flux_table(figures: Figures) -> Table:
    """Flux de carbone : bilan global, by component."""
    rows = []
    for component in figures.details(FLUX, FLUX_COMPONENTS):
        value = figures.of_detail(FLUX, component)
        if value:
            rows.append(
                {
                    "key": component,
                    "label": FLUX_COMPONENTS.get(component, component),
                    "flux": value,
                    "direction": direction(value),
                }
            )
    total = figures.get(FLUX)
    return Table(
        slug="flux-carbone",
        title="Flux annuel de carbone par composante",
        unit_note="tCO2e/an, séquestration négative",
        columns=(
            Column("label", "Composante"),
            Column("flux", "Flux", "tCO2e/an"),
            Column("direction", "En clair"),
        ),
        rows=rows,
        total={"key": "total", "label": "Flux net du territoire", "flux": total, "direction": direction(total)},
        chart=flux_chart("Flux de carbone par composante"),
        value_key="flux",
        total_label="Flux net",
    )


def flux_by_land_use_table(figures: Figures, components: Iterable[str] | None = None, title: str = "") -> Table:
    """Flux de carbone par occupation des sols (finale), one column per component."""
    components = list(components or figures.details(FLUX, FLUX_COMPONENTS))
    rows = []
    for land_use in figures.land_uses(FLUX):
        values = {c: figures.get(FLUX, land_use, c) for c in components}
        if not any(values.values()):
            continue
        flux = sum(values.values())
        rows.append(
            {"key": land_use, "label": land_use_label(land_use), "group": group_label(land_use), **values}
            | {"flux": flux, "direction": direction(flux)}
        )
    total = {c: figures.of_detail(FLUX, c) for c in components}
    total_flux = sum(total.values())
    return Table(
        slug="flux-carbone-occupation",
        title=title or "Flux annuel de carbone par occupation des sols et par composante",
        unit_note="tCO2e/an, séquestration négative",
        columns=(
            Column("label", "Occupation des sols (finale)"),
            Column("group", "Groupe", on_page=False),
            *(Column(c, FLUX_COMPONENTS.get(c, c), "tCO2e/an") for c in components),
            Column("flux", "Flux total", "tCO2e/an"),
            Column("direction", "En clair"),
        ),
        rows=rows,
        total={"key": "total", "label": "Total", "group": "", **total, "flux": total_flux}
        | {"direction": direction(total_flux)},
        chart=flux_chart("Flux de carbone par occupation des sols", tuple(components)),
        note=DOUBLE_COUNTED_NOTE if any(row["key"] == DOUBLE_COUNTED for row in rows) else "",
        value_key="flux",
        total_label="Flux net",
        groups=_groups(row["key"] for row in rows),
    )


def eu_category_table(figures: Figures) -> Table:
    """The net flux by EU LULUCF accounting category (regulation (EU) 2018/841, article 2); they add up to it."""
    rows = [
        {
            "key": category.slug,
            "label": category.label,
            "flux": value,
            "direction": direction(value),
            "rule": category.rule,
        }
        for category in EU_CATEGORIES
        if (value := figures.get(EU_CATEGORY_FLUX, category.slug))
    ]
    total = figures.total(EU_CATEGORY_FLUX)
    return Table(
        slug="flux-carbone-categories-ue",
        title="Flux annuel de carbone par catégorie comptable de terres de l'UE",
        unit_note="tCO2e/an, séquestration négative",
        columns=(
            Column("label", "Catégorie comptable (règlement (UE) 2018/841)"),
            Column("flux", "Flux", "tCO2e/an"),
            Column("direction", "En clair"),
            Column("rule", "Ce que la catégorie comprend", on_page=False),
        ),
        rows=rows,
        total={"key": "total", "label": "Flux net du territoire", "flux": total, "direction": direction(total)}
        | {"rule": "Somme des catégories : le flux net du territoire."},
        chart=flux_chart("Flux de carbone par catégorie comptable de l'UE"),
        note=f"{lulucf.POOLS_NOTE} {lulucf.WOOD_PRODUCTS_NOTE}",
        value_key="flux",
        total_label="Flux net",
    )
