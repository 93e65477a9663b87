"""Plotly figures of the five indicators and of the EPCI maps, built server-side as plain JSON dicts.

Each builder takes figures already read and labelled by ``indicators.presenters`` and returns
``fig.to_plotly_json()``: the page passes it with ``json_script`` and ``static/js/charts.js`` draws it.
Colour is never the only carrier of meaning: every bar is named on its axis or in the legend, and signs are
said in words in the hover text and in the table under the chart.
"""

import plotly.graph_objects as go

# Paul Tol's "bright" scheme (colour-blind safe) for reservoirs and flux components.
RESERVOIR_COLORS = {
    "sol": "#996633",
    "biomasse": "#228833",
    "biomasse vivante": "#228833",
    "biomasse morte": "#CCBB44",
    "litière": "#EE7733",
    "BO": "#AA3377",
    "BI": "#EE6677",
}
COMPONENT_COLORS = {
    "changement_occupation_sol": "#EE6677",
    "deforestation_biomasse": "#AA3377",
    "n2o_destockage_sol": "#CCBB44",
    "croissance_biomasse_foret": "#228833",
    "produits_bois": "#4477AA",
}
SEQUESTRATION_COLOR = "#4477AA"
EMISSION_COLOR = "#CC3311"
# Decimal comma and narrow no-break space, as French figures are written.
SEPARATORS = ",\u202f"
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 13, "color": "#1b1b1f"}


def _layout(**overrides) -> dict:
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


def _horizontal_axes(unit: str, labels: list[str]) -> dict:
    """Land uses (long labels) down the y axis, first one on top; values along x."""
    return {
        "xaxis": {"title": {"text": unit}, "zeroline": True, "zerolinecolor": "#4a4a55", "gridcolor": "#e3e5ea"},
        "yaxis": {"categoryorder": "array", "categoryarray": labels[::-1], "automargin": True},
        "height": max(260, 60 + 32 * len(labels)),
    }


def stock_by_reservoir(reservoirs: list[tuple[str, str, float]], unit: str) -> dict:
    """Total stock split by reservoir: (reservoir id, label, tC)."""
    labels = [label for _, label, _ in reservoirs]
    figure = go.Figure(
        go.Bar(
            x=[value for _, _, value in reservoirs],
            y=labels,
            orientation="h",
            marker={"color": [RESERVOIR_COLORS.get(key, "#777777") for key, _, _ in reservoirs]},
            hovertemplate="%{y} : %{x:,.0f} " + unit + "<extra></extra>",
        ),
        layout=_layout(**_horizontal_axes(unit, labels), showlegend=False),
    )
    return figure.to_plotly_json()


def stock_by_land_use(land_uses: list[str], reservoirs: list[tuple[str, str, list[float]]], unit: str) -> dict:
    """Stacked bars: one bar per land use (labels), one segment per reservoir (id, label, values)."""
    figure = go.Figure(
        [
            go.Bar(
                name=label,
                x=values,
                y=land_uses,
                orientation="h",
                marker={"color": RESERVOIR_COLORS.get(key, "#777777")},
                hovertemplate="%{y} – " + label + " : %{x:,.0f} " + unit + "<extra></extra>",
            )
            for key, label, values in reservoirs
        ],
        layout=_layout(**_horizontal_axes(unit, land_uses), barmode="stack"),
    )
    return figure.to_plotly_json()


def stock_per_hectare(land_uses: list[tuple[str, float, str]], average: float | None, unit: str) -> dict:
    """Stock per hectare of each land use (label, value, colour), with the territory average as a line."""
    labels = [label for label, _, _ in land_uses]
    layout = _layout(**_horizontal_axes(unit, labels), showlegend=False)
    if average is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": average,
                "x1": average,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": "#1b1b1f", "dash": "dash", "width": 2},
            }
        ]
        layout["annotations"] = [
            {
                "x": average,
                "yref": "paper",
                "y": 1,
                "yanchor": "bottom",
                "text": "moyenne du territoire",
                "showarrow": False,
                "font": {"size": 12},
            }
        ]
        layout["margin"] = {**layout["margin"], "t": 30}
    figure = go.Figure(
        go.Bar(
            x=[value for _, value, _ in land_uses],
            y=labels,
            orientation="h",
            marker={"color": [color for _, _, color in land_uses]},
            hovertemplate="%{y} : %{x:,.1f} " + unit + "<extra></extra>",
        ),
        layout=layout,
    )
    return figure.to_plotly_json()


def _sign_words(values: list[float]) -> list[str]:
    return ["séquestration" if value < 0 else "émission" if value > 0 else "nul" for value in values]


def flux_by_component(components: list[tuple[str, float]], unit: str) -> dict:
    """Net flux split by component (label, tCO2e/yr): bars left of zero sequester, right of zero emit."""
    labels = [label for label, _ in components]
    values = [value for _, value in components]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            customdata=_sign_words(values),
            marker={"color": [SEQUESTRATION_COLOR if value < 0 else EMISSION_COLOR for value in values]},
            hovertemplate="%{y} : %{x:,.0f} " + unit + " (%{customdata})<extra></extra>",
        ),
        layout=_layout(**_horizontal_axes(unit, labels), showlegend=False),
    )
    figure.update_xaxes(title_text=f"{unit} — ← séquestration | émission →")
    return figure.to_plotly_json()


def flux_by_land_use(land_uses: list[str], components: list[tuple[str, str, list[float]]], unit: str) -> dict:
    """Bars per land use, one segment per flux component (id, label, values); negative = sequestration."""
    figure = go.Figure(
        [
            go.Bar(
                name=label,
                x=values,
                y=land_uses,
                orientation="h",
                customdata=_sign_words(values),
                marker={"color": COMPONENT_COLORS.get(key, "#777777")},
                hovertemplate="%{y} – " + label + " : %{x:,.0f} " + unit + " (%{customdata})<extra></extra>",
            )
            for key, label, values in components
        ],
        layout=_layout(**_horizontal_axes(unit, land_uses), barmode="relative"),
    )
    figure.update_xaxes(title_text=f"{unit} — ← séquestration | émission →")
    return figure.to_plotly_json()


def epci_map(
    geojson_url: str,
    codes: list[str],
    names: list[str],
    values: list[float | None],
    urls: list[str],
    *,
    unit: str,
    decimals: int,
    diverging: bool,
    value_words: list[str],
) -> dict:
    """Choropleth of EPCIs, the outlines fetched from ``geojson_url`` (served by the site); EPCIs without a
    value are drawn in grey so that the map has no hole."""
    rows = list(zip(codes, names, values, urls, value_words, strict=True))
    known = [row for row in rows if row[2] is not None]
    missing = [row for row in rows if row[2] is None]

    def trace(selected, **style) -> go.Choropleth:
        return go.Choropleth(
            geojson=geojson_url,
            featureidkey="properties.code",
            locations=[row[0] for row in selected],
            text=[row[1] for row in selected],
            customdata=[[row[3], row[4]] for row in selected],
            hovertemplate="<b>%{text}</b><br>%{customdata[1]}<extra></extra>",
            marker={"line": {"color": "#ffffff", "width": 0.8}},
            **style,
        )

    scale = {"colorscale": "YlGn"}
    if diverging:
        # Sequestration (negative) in blue, emission (positive) in red, zero in white.
        limit = max((abs(row[2]) for row in known), default=1) or 1
        scale = {"colorscale": "RdBu", "reversescale": True, "zmid": 0, "zmin": -limit, "zmax": limit}
    traces = [
        trace(
            known,
            z=[row[2] for row in known],
            colorbar={
                "title": {
                    "text": f"{unit}<br>< 0 : séquestration<br>> 0 : émission" if diverging else unit,
                    "side": "top",
                },
                "thickness": 14,
                "len": 0.8,
                "x": 0.9,
                "tickformat": f",.{decimals}f",
            },
            **scale,
        )
    ]
    if missing:
        traces.append(
            trace(missing, z=[0] * len(missing), colorscale=[[0, "#d0d3d9"], [1, "#d0d3d9"]], showscale=False)
        )
    figure = go.Figure(
        traces,
        layout=_layout(
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
        ),
    )
    return figure.to_plotly_json()
