"""The one table model: what a territory's figures look like as a table, for pages, charts, files and the API.

A ``Table`` has text and number columns (the unit in its own field), rows that keep each row's key (land use id,
reservoir or component), an optional total row and the chart that draws it. Values keep full precision; each unit
says how many decimals the site shows. Pages show the columns marked ``on_page``; files and the API show them all.
"""

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
    LAND_USE_CHANGE,
    RESERVOIRS,
    STOCK,
    STOCK_PER_HECTARE,
    direction,
)
from .numbers import format_number
from .series.validation import NATIONAL, Point, SeriesMetadata


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


def _share(part: float, whole: float) -> float | None:
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


# Indicator series (``indicators.series``): a territory's values, and a whole series, in the same table model.
MAX_CHART_ROWS = 30


def _value_column(key: str, label: str, meta: SeriesMetadata) -> Column:
    # The periods (or places) of a series head its value columns; the unit is named once, in the first column.
    return Column(key, label, meta.unit, unit_in_header=False, digits=meta.decimals)


def _chronological(periods) -> list[str]:
    """Distinct periods, "1990" before "2019-2023" before "2024" (by first year, then last year)."""
    return sorted(dict.fromkeys(periods), key=lambda period: tuple(int(year) for year in period.split("-")))


def _series_chart(meta: SeriesMetadata, table_rows: list[dict], value_columns: list[Column], over_time: bool):
    if not value_columns or not table_rows or len(table_rows) > MAX_CHART_ROWS:
        return None
    kind = meta.chart or ("line" if over_time else "bar")
    if over_time is False and kind != "bar":
        kind = "bar"  # one period: nothing to draw over time
    keys = tuple(column.key for column in value_columns)
    single = len(keys) == 1 and kind == "bar"
    return Chart(
        kind,
        f"{meta.name} ({meta.unit})",
        keys,
        axis_title=meta.unit,
        colors="sign" if single and meta.in_words else "series",
        signed=meta.in_words,
        by_row=kind in ("line", "column"),
    )


def _series_table(
    meta: SeriesMetadata,
    title: str,
    rows: dict[tuple, dict],
    first_header: str,
    value_columns: list[Column],
    text_columns: tuple[Column, ...],
    over_time: bool,
    note: str,
) -> Table:
    table_rows = list(rows.values())
    words = meta.in_words and len(value_columns) == 1
    if words:
        for row in table_rows:
            value = row.get(value_columns[0].key)
            row["direction"] = "" if value is None else direction(value)
    return Table(
        slug=meta.slug,
        title=title,
        unit_note=meta.unit,
        columns=(
            Column("label", f"{first_header} (valeurs en {meta.unit})"),
            *text_columns,
            *value_columns,
            *((Column("direction", "En clair"),) if words else ()),
        ),
        rows=table_rows,
        chart=_series_chart(meta, table_rows, value_columns, over_time),
        note=" ".join(part for part in (note, meta.note) if part),
        value_key=value_columns[0].key if value_columns else "",
    )


def series_territory_table(meta: SeriesMetadata, figures: Figures) -> Table:
    """A territory's values of a series: a row per dimension values (or per place, without dimensions), a column per
    period, and per place when several apply (an EPCI across two former regions); the national values of the same
    dimensions come as a reference column."""
    found = figures.series.get(meta.slug)
    points = list(found.points) if found else []
    dimension_keys = {point.dimensions for point in points}
    periods = _chronological(point.period for point in points)
    if meta.dimensions:
        reference = (
            [p for p in found.reference if p.dimensions in dimension_keys and p.period in periods] if found else []
        )
        places = list(dict.fromkeys(point.zone for point in [*points, *reference]))
    else:  # rows are places: the national values are one more row
        reference = [p for p in found.reference if p.period in periods] if found else []
        places = [None]
    columns: dict[tuple, Column] = {}
    for place in places:
        for period in periods:
            if place is None or len(places) == 1:
                label = period
            else:
                name = (meta.reference_label or place.name) if place.kind == NATIONAL else place.name
                label = name if len(periods) == 1 else f"{name} {period}"
            columns[(place, period)] = _value_column(f"v{len(columns)}", label, meta)
    rows: dict[tuple, dict] = {}
    dimension_labels = " – ".join(dimension.label for dimension in meta.dimensions)
    for point in [*points, *reference]:
        row_key = point.dimensions if meta.dimensions else (point.zone.kind, point.zone.code)
        if meta.dimensions:
            label = " – ".join(point.dimensions)
        else:
            label = (meta.reference_label or point.zone.name) if point.zone.kind == NATIONAL else point.zone.name
        row = rows.setdefault(row_key, {"key": "|".join(row_key), "label": label})
        row.update(dict(zip((d.column for d in meta.dimensions), point.dimensions, strict=True)))
        column = columns[(point.zone if meta.dimensions else None, point.period)]
        row[column.key] = point.value
    zones = found.zones if found else []
    note = ""
    if found and found.inherited:
        names = " et ".join(zone.name for zone in zones)
        note = (
            f"Ce territoire s'étend sur {names} : les valeurs des deux sont données."
            if len(zones) > 1
            else f"Valeurs publiées pour {names}, dont fait partie ce territoire."
        )
    return _series_table(
        meta,
        meta.name,
        rows,
        dimension_labels or "Territoire",
        list(columns.values()),
        tuple(Column(d.column, d.label, on_page=False) for d in meta.dimensions),
        over_time=len(periods) > 1,
        note=note,
    )


def series_tables(meta: SeriesMetadata, points: list[Point]) -> list[Table]:
    """A whole series as its indicator page and file show it: a row per place and dimension values, a column per
    period; one table per value of the dimension ``meta.tables_by`` names, when it names one."""
    split = [d.column for d in meta.dimensions].index(meta.tables_by) if meta.tables_by else None
    groups: dict[str, list[Point]] = {}
    for point in points:
        groups.setdefault("" if split is None else point.dimensions[split], []).append(point)
    others = [position for position in range(len(meta.dimensions)) if position != split]
    tables = []
    for group, group_points in groups.items():
        periods = _chronological(point.period for point in group_points)
        columns = {period: _value_column(f"v{position}", period, meta) for position, period in enumerate(periods)}
        several_places = len({point.zone for point in group_points}) > 1
        rows: dict[tuple, dict] = {}
        for point in group_points:
            parts = [point.dimensions[position] for position in others]
            label = " – ".join(([point.zone.name] if several_places or not parts else []) + parts)
            row = rows.setdefault(
                (point.zone, *parts),
                {
                    "key": "|".join((point.zone.kind, point.zone.code, *parts)),
                    "label": label,
                    "kind": point.zone.kind,
                    "code": point.zone.code,
                    "place": point.zone.name,
                    **{meta.dimensions[position].column: point.dimensions[position] for position in others},
                },
            )
            row[columns[point.period].key] = point.value
        headers = [meta.dimensions[position].label for position in others]
        tables.append(
            _series_table(
                meta,
                f"{meta.name} : {group}" if group else meta.name,
                rows,
                " – ".join((["Territoire"] if several_places or not headers else []) + headers),
                list(columns.values()),
                (
                    Column("kind", "Type de territoire", on_page=False),
                    Column("code", "Code", on_page=False),
                    Column("place", "Territoire", on_page=False),
                    *(
                        Column(meta.dimensions[position].column, meta.dimensions[position].label, on_page=False)
                        for position in others
                    ),
                ),
                over_time=len(periods) > 1,
                note="",
            )
        )
    return tables
