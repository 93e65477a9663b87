"""Plotly figures as plain JSON dicts: a table's chart, and the EPCI maps.

Built without plotly.py objects and without a Plotly template (plotly.js needs neither): every figure shares the
site layout below. The page passes a figure with ``json_script`` and ``static/js/charts.js`` draws it.
Colour is never the only carrier of meaning: every bar is named on its axis or in the legend, hover texts carry the
value in French format with its sign in words, and the table under the chart gives every number.
"""

from territories import land_uses

from ..measures import direction
from ..numbers import format_number
from ..tables import Table

# Paul Tol's "bright" scheme (colour-blind safe) for reservoirs and flux components.
SERIES_COLORS = {
    "sol": "#996633",
    "biomasse": "#228833",
    "biomasse vivante": "#66CCEE",
    "biomasse morte": "#CCBB44",
    "litière": "#EE7733",
    "BO": "#AA3377",
    "BI": "#EE6677",
    "changement_occupation_sol": "#EE6677",
    "deforestation_biomasse": "#AA3377",
    "n2o_destockage_sol": "#CCBB44",
    "croissance_biomasse_foret": "#228833",
    "produits_bois": "#4477AA",
    "pratiques_agricoles": "#CCBB44",
    # a reference and the scenario drawn against it
    "reference": "#BBBBBB",
    "scenario": "#4477AA",
}
SEQUESTRATION_COLOR = "#4477AA"
EMISSION_COLOR = "#CC3311"
OTHER_COLOR = "#777777"
# Paul Tol's "bright" scheme then "muted" extras, for the rows of a time series (cycled beyond).
ROW_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB", "#332288", "#117733")
# Decimal comma and narrow no-break space, as French figures are written (numbers.py).
SEPARATORS = ",\u202f"
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 13, "color": "#1b1b1f"}
BAR_HEIGHT = 32


def site_layout(**overrides) -> dict:
    layout = {
        "separators": SEPARATORS,
        "font": FONT,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hoverlabel": {"namelength": -1},
    }
    layout.update(overrides)
    return layout


def _value_axis(title: str) -> dict:
    return {
        "title": {"text": title},
        "zeroline": True,
        "zerolinecolor": "#4a4a55",
        "gridcolor": "#e3e5ea",
        "tickformat": ",.0f",
        "exponentformat": "none",
    }


def _hover_texts(values: list[float], unit: str, decimals: int, signed: bool) -> list[str]:
    texts = []
    for value in values:
        text = f"{format_number(value, decimals)}\u00a0{unit}"
        texts.append(f"{text} ({direction(value)})" if signed else text)
    return texts


def table_figure(table: Table) -> dict:
    """The chart of ``table``: horizontal bars, one per row (first row on top), grouped or stacked when it has
    several series; a time series (``by_row``) has the periods on its x axis and one trace per row; a "line" chart
    draws one line per series along the rows."""
    spec = table.chart
    if spec.by_row:
        return _time_series_figure(table)
    if spec.kind == "line":
        return _line_figure(table)
    columns = {column.key: column for column in table.columns}
    labels = [row["label"] for row in table.rows]
    signed = spec.signed
    traces = []
    for position, key in enumerate(spec.series):
        column = columns[key]
        values = [float(row.get(key) or 0.0) for row in table.rows]
        if spec.colors == "rows":
            color = [
                land_uses.COLORS.get(row["key"], SERIES_COLORS.get(row["key"], OTHER_COLOR)) for row in table.rows
            ]
        elif spec.colors == "sign":
            color = [SEQUESTRATION_COLOR if value < 0 else EMISSION_COLOR for value in values]
        else:
            color = SERIES_COLORS.get(key, ROW_COLORS[position % len(ROW_COLORS)])
        trace = {
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": labels,
            "marker": {"color": color},
            "customdata": _hover_texts(values, column.unit, column.decimals, signed),
            "hovertemplate": "%{y} : %{customdata}<extra></extra>",
        }
        if len(spec.series) > 1:
            trace["name"] = column.label
            trace["hovertemplate"] = "%{y} – " + column.label + " : %{customdata}<extra></extra>"
        traces.append(trace)
    layout = site_layout(
        xaxis=_value_axis(spec.axis_title),
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "automargin": True},
        height=max(260, 60 + BAR_HEIGHT * len(labels)),
        showlegend=len(spec.series) > 1,
    )
    if len(spec.series) > 1:
        layout["barmode"] = ("relative" if signed else "stack") if spec.stacked else "group"
    if spec.reference and table.total:
        _add_reference_line(layout, float(table.total[spec.reference]), "moyenne du territoire")
    return {"data": traces, "layout": layout}


def _time_series_figure(table: Table) -> dict:
    """Lines (or vertical bars) over the periods named by the chart's series, one trace per row; a missing value is a
    gap, never a zero."""
    spec = table.chart
    columns = [column for column in table.columns if column.key in spec.series]
    periods = [column.label for column in columns]
    traces = []
    for position, row in enumerate(table.rows):
        values = [row.get(column.key) for column in columns]
        color = SERIES_COLORS.get(row["key"], ROW_COLORS[position % len(ROW_COLORS)])
        shown = [float(value) for value in values if value is not None]
        hover = iter(_hover_texts(shown, columns[0].unit, columns[0].decimals, spec.signed))
        trace = {
            "type": "scatter" if spec.kind == "line" else "bar",
            "x": periods,
            "y": [None if value is None else float(value) for value in values],
            "name": row["label"],
            "marker": {"color": color},
            "customdata": ["" if value is None else next(hover) for value in values],
            "hovertemplate": "%{x} – " + row["label"] + " : %{customdata}<extra></extra>",
        }
        if spec.kind == "line":
            trace.update(mode="lines+markers" if len(shown) > 1 else "markers", line={"color": color, "width": 2})
        traces.append(trace)
    layout = site_layout(
        xaxis={"type": "category", "automargin": True},
        yaxis={**_value_axis(spec.axis_title), "automargin": True},
        height=420,
        showlegend=len(table.rows) > 1,
    )
    if spec.kind == "column":
        layout["barmode"] = "group"
    return {"data": traces, "layout": layout}


def _line_figure(table: Table) -> dict:
    """One line per series along the rows (years), each point's hover text in French with its sign in words."""
    spec = table.chart
    columns = {column.key: column for column in table.columns}
    labels = [row["label"] for row in table.rows]
    traces = []
    for key in spec.series:
        column = columns[key]
        values = [float(row.get(key) or 0.0) for row in table.rows]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": column.label,
                "x": labels,
                "y": values,
                "line": {
                    "color": SERIES_COLORS.get(key, OTHER_COLOR),
                    "width": 3,
                    "dash": "dot" if key == "reference" else "solid",
                },
                "customdata": _hover_texts(values, column.unit, column.decimals, spec.signed),
                "hovertemplate": "%{x} – " + column.label + " : %{customdata}<extra></extra>",
            }
        )
    layout = site_layout(
        xaxis={"type": "category", "nticks": 8, "title": {"text": table.columns[0].label}, "automargin": True},
        yaxis=_value_axis(spec.axis_title) | {"automargin": True, "rangemode": "tozero"},
        margin={"l": 10, "r": 30, "t": 10, "b": 40},
        height=360,
        showlegend=True,
        hovermode="x unified",
    )
    return {"data": traces, "layout": layout}


def _add_reference_line(layout: dict, value: float, text: str) -> None:
    layout["shapes"] = [
        {
            "type": "line",
            "x0": value,
            "x1": value,
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": {"color": "#1b1b1f", "dash": "dash", "width": 2},
        }
    ]
    layout["annotations"] = [
        {"x": value, "yref": "paper", "y": 1, "yanchor": "bottom", "text": text, "showarrow": False}
    ]
    layout["margin"] = {**layout["margin"], "t": 30}


INCOMPLETE_COLOR = "#aeb4bd"
MISSING_COLOR = "#d0d3d9"


def epci_map(
    geojson_url: str, rows: list[dict], *, unit: str, decimals: int, diverging: bool, borders: tuple[str, list[str]]
) -> dict:
    """Choropleth of EPCIs, outlines fetched from ``geojson_url`` (served by the site). ``rows`` hold code, name,
    url, value, words (the hover text) and ``comparable`` (False for incomplete figures). Only comparable values set
    the colour scale; incomplete territories are drawn in a darker grey and territories without a figure in a light
    grey, so the map has no hole and one gap cannot wash out the others. ``borders`` (GeoJSON URL, codes): the
    départements drawn over the EPCIs, lines only, transparent to the pointer."""
    known = [row for row in rows if row["value"] is not None and row["comparable"]]
    incomplete = [row for row in rows if row["value"] is not None and not row["comparable"]]
    missing = [row for row in rows if row["value"] is None]
    scale_values = [row["value"] for row in known]

    def trace(selected: list[dict], **style) -> dict:
        return {
            "type": "choropleth",
            "geojson": geojson_url,
            "featureidkey": "properties.code",
            "locations": [row["code"] for row in selected],
            "text": [row["name"] for row in selected],
            "customdata": [[row["url"], row["words"]] for row in selected],
            "hovertemplate": "<b>%{text}</b><br>%{customdata[1]}<extra></extra>",
            "marker": {"line": {"color": "#ffffff", "width": 0.8}},
            **style,
        }

    low, high = (min(scale_values), max(scale_values)) if scale_values else (0.0, 1.0)
    scale = {"colorscale": "YlGn", "zmin": low, "zmax": high}
    if diverging:
        # Sequestration (negative) in blue, emission (positive) in red, zero in white: the colour range follows the
        # values (no half of it spent on emissions no territory has), white stays on zero.
        scale = {"colorscale": diverging_scale(low, high), "zmin": min(low, 0.0), "zmax": max(high, 0.0)}
    title = f"{unit}<br>< 0 : séquestration<br>> 0 : émission" if diverging else unit
    traces = [
        trace(
            known,
            z=[row["value"] for row in known],
            colorbar={
                "title": {"text": title, "side": "top"},
                "thickness": 14,
                "len": 0.8,
                "x": 0.9,
                "tickformat": f",.{decimals}~f",  # trailing zeros dropped: "70", "75,5"
            },
            **scale,
        )
    ]
    for rows_of, color in ((incomplete, INCOMPLETE_COLOR), (missing, MISSING_COLOR)):
        if rows_of:
            traces.append(trace(rows_of, z=[0] * len(rows_of), colorscale=[[0, color], [1, color]], showscale=False))
    border_url, border_codes = borders
    traces.append(
        {
            "type": "choropleth",
            "geojson": border_url,
            "featureidkey": "properties.code",
            "locations": border_codes,
            "z": [0] * len(border_codes),
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            "showscale": False,
            "marker": {"line": {"color": "#1b1b1f", "width": 1.6}},
            "hoverinfo": "skip",
            "name": "départements",
        }
    )
    layout = site_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=600,
        dragmode=False,
        showlegend=False,
        geo={
            "scope": "europe",
            "resolution": 110,
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
        },
    )
    return {"data": traces, "layout": layout}


BLUES = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0"]
REDS = ["#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"]


def diverging_scale(low: float, high: float) -> list[list]:
    """Blue below zero, white at zero, red above, over [min(low, 0), max(high, 0)]: each side keeps its full range of
    shades, however unequal the two sides are."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    zero = -low / span
    stops = []
    if zero > 0:
        stops += [[zero * step / len(BLUES), color] for step, color in enumerate(BLUES)]
    stops.append([zero, "#f7f7f7"])
    if zero < 1:
        stops += [[zero + (1 - zero) * (step + 1) / len(REDS), color] for step, color in enumerate(REDS)]
    return stops
