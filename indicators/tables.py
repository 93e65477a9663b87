"""The one table model: what a territory's figures look like as a table, for pages, charts, files and the API.

A ``Table`` has text and number columns (the unit in its own field), rows that keep each row's key (land use id,
reservoir or component), an optional total row and the chart that draws it. Values keep full precision; each unit
says how many decimals the site shows. Pages show the columns marked ``on_page``; files and the API show them all.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from territories import land_uses

from .figures import Figures
from .measures import (
    AREA,
    DECIMALS,
    FLUX,
    FLUX_COMPONENTS,
    LAND_USE_CHANGE,
    RESERVOIRS,
    STOCK,
    STOCK_PER_HECTARE,
    direction,
)
from .numbers import format_number


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""  # "" for a text column
    on_page: bool = True

    @property
    def is_number(self) -> bool:
        return bool(self.unit)

    @property
    def decimals(self) -> int:
        return DECIMALS[self.unit]

    @property
    def header(self) -> str:
        """The header of files and the API, which carries the unit (pages give it in the caption)."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: categories are the rows' labels, one series per named number column."""

    kind: str  # "bar" (horizontal), "pie" (the site draws pies as bars) or "line" (categories along x, e.g. years)
    title: str
    series: tuple[str, ...]
    stacked: bool = False  # several series: stacked, else side by side
    axis_title: str = ""
    colors: str = "rows"  # "rows": a colour per row key; "series": per series key; "sign": by sign of the value
    signed: bool = False  # fluxes: the sign is said in words, negative bars run left of zero
    reference: str = ""  # a number column whose total-row value is drawn as a line ("moyenne du territoire")


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

    def with_note(self, note: str) -> "Table":
        return replace(self, note=note)


def _share(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


def group_label(land_use: str) -> str:
    parent = land_uses.PARENT_OF.get(land_use)
    return land_uses.LABELS[parent] if parent else ""


def _groups(land_use_keys: Iterable[str]) -> dict[str, str]:
    return {key: land_uses.PARENT_OF[key] for key in land_use_keys if key in land_uses.PARENT_OF}


def stock_table(figures: Figures) -> Table:
    """Stock de carbone : bilan global, by reservoir."""
    total = figures.get(STOCK)
    rows = [
        {
            "key": reservoir,
            "label": RESERVOIRS.get(reservoir, reservoir),
            "stock": value,
            "share": _share(value, total),
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
        row["share"] = _share(row["stock"], total)
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
        chart=Chart(
            "bar",
            "Flux de carbone par composante (tCO2e/an ; séquestration < 0)",
            ("flux",),
            axis_title="tCO2e/an — ← séquestration | émission →",
            colors="sign",
            signed=True,
        ),
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
            {"key": land_use, "label": land_uses.label(land_use), "group": group_label(land_use), **values}
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
        chart=Chart(
            "bar",
            "Flux de carbone par occupation des sols (tCO2e/an ; séquestration < 0)",
            tuple(components),
            stacked=True,
            axis_title="tCO2e/an — ← séquestration | émission →",
            colors="series",
            signed=True,
        ),
        value_key="flux",
        total_label="Flux net",
        groups=_groups(row["key"] for row in rows),
    )


def land_use_share_table(figures: Figures) -> Table:
    """Share of each level-1 group in the land-use area and in the stock (hedges and wood products have no area)."""
    area_total, stock_total = figures.get(AREA), figures.get(STOCK)
    groups = [
        entry
        for entry in land_uses.LEVEL1
        if figures.of_group(AREA, entry.slug) or figures.of_group(STOCK, entry.slug)
    ]
    rows = [
        {
            "key": entry.slug,
            "label": entry.label,
            "area_share": _share(figures.of_group(AREA, entry.slug), area_total)
            if figures.of_group(AREA, entry.slug)
            else None,
            "stock_share": _share(figures.of_group(STOCK, entry.slug), stock_total),
        }
        for entry in groups
    ]
    return Table(
        slug="parts",
        title="Part de chaque occupation des sols dans la surface et dans le stock de carbone du territoire",
        unit_note="",
        columns=(
            Column("label", "Occupation des sols"),
            Column("area_share", "Part de la surface", "%"),
            Column("stock_share", "Part du stock de carbone", "%"),
        ),
        rows=rows,
    )


def area_table(figures: Figures) -> Table:
    """Land-use areas (ha) and their shares; hedges, a length in km (or an area outside the land uses), apart."""
    total = figures.get(AREA)
    rows = [
        {
            "key": land_use,
            "label": land_uses.label(land_use),
            "group": group_label(land_use),
            "area": (area := figures.of_land_use(AREA, land_use)),
            "share": _share(area, total),
        }
        for land_use in figures.land_uses(AREA)
    ]
    note = "Surfaces de 2018 (CORINE Land Cover 2018 et BD Forêt de l'IGN pour les forêts)."
    hedges = figures.hedges()
    if hedges:
        value, unit = hedges
        what = "linéaire de" if unit == "km" else "surface de"
        note += (
            f" Haies : {what} {format_number(value)} {unit}, hors des surfaces ci-dessus et de leurs parts (les haies "
            "bordent les parcelles)."
        )
    return Table(
        slug="surfaces",
        title="Surfaces par occupation des sols",
        unit_note="ha",
        columns=(
            Column("label", "Occupation des sols"),
            Column("group", "Groupe"),
            Column("area", "Surface", "ha"),
            Column("share", "Part de la surface", "%"),
        ),
        rows=rows,
        total={"key": "total", "label": "Total", "group": "", "area": total, "share": 100.0 if total else None},
        chart=Chart("bar", "Surfaces par occupation des sols (ha)", ("area",), axis_title="ha"),
        note=note,
        value_key="area",
    )


def land_use_change_area_table(figures: Figures) -> Table:
    """Areas that changed land use between 2012 and 2018, one row per (land use left, land use reached)."""
    changes = sorted(
        ((left, reached, value) for (_, reached, left), value in figures.items(LAND_USE_CHANGE)),
        key=lambda change: -change[2],
    )
    rows = [
        {"key": f"{left}>{reached}", "from": land_uses.label(left), "to": land_uses.label(reached), "area": value}
        for left, reached, value in changes
    ]
    return Table(
        slug="changements-occupation",
        title="Surfaces ayant changé d'occupation des sols entre 2012 et 2018 (moyenne annuelle)",
        unit_note="ha/an",
        columns=(
            Column("from", "Occupation des sols en 2012"),
            Column("to", "Occupation des sols en 2018"),
            Column("area", "Surface changée", "ha/an"),
        ),
        rows=rows,
        total={"key": "total", "from": "Total", "to": "", "area": sum(value for _, _, value in changes)},
        note=(
            "Changements mesurés par CORINE Land Cover entre 2012 et 2018, ramenés à l'année, après la répartition "
            "des sols artificiels de la méthode ALDO : ce sont les surfaces qui portent les flux de la feuille."
        ),
        value_key="area",
    )
