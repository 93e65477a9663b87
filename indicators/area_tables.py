"""The land-use areas of a territory in the one table model (``indicators.tables``): each group's share of the area
and of the stock, the areas by land use, the areas that changed use."""

from territories import land_uses

from .figures import Figures
from .measures import (
    AREA,
    LAND_USE_CHANGE,
    STOCK,
)
from .numbers import format_number
from .tables import Chart, Column, Table, group_label, share_percent


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
            "area_share": share_percent(figures.of_group(AREA, entry.slug), area_total)
            if figures.of_group(AREA, entry.slug)
            else None,
            "stock_share": share_percent(figures.of_group(STOCK, entry.slug), stock_total),
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
            "share": share_percent(area, total),
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
