"""Indicator series in the one table model (``indicators.tables``): a territory's values, and a whole series."""

from ..figures import Figures
from ..measures import (
    direction,
)
from ..tables import Chart, Column, Table
from .model import NATIONAL, Point, SeriesMetadata

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
