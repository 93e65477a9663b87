"""The tables behind the downloads, built from a territory's stored figures (pure pandas, no database).

Each table is what a PCAET author re-uses: a first text column (the category), number columns with their
unit in the header, an optional total row and the chart that draws it. Values keep full precision; each
number column says how many decimals the site shows, and the writers use it as the display format.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from territories import land_uses

from ..catalog import FLUX_COMPONENTS, RESERVOIRS, TOTAL
from ..models import Indicator, Measure

# Decimals shown on the site, per unit; exports store full precision and display this rounding.
DECIMALS = {"tC": 0, "ha": 0, "ha/an": 1, "tC/ha": 1, "tCO2e/an": 0, "%": 1}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    unit: str = ""  # "" for a text column

    @property
    def is_number(self) -> bool:
        return bool(self.unit)

    @property
    def decimals(self) -> int:
        return DECIMALS[self.unit]


@dataclass(frozen=True)
class Chart:
    kind: str  # XlsxWriter chart type: "column", "bar" or "pie"
    title: str
    series: tuple[str, ...]  # keys of the plotted number columns; categories are the first column
    stacked: bool = False
    axis_title: str = ""


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: list[dict]
    total: dict | None = None
    chart: Chart | None = None
    note: str = ""
    slug: str = ""

    def all_rows(self) -> list[dict]:
        return self.rows + ([self.total] if self.total else [])


def direction(value: float) -> str:
    """The sign of a flux in words, so that no reader depends on the sign (or a colour) alone."""
    if value < 0:
        return "séquestration nette"
    if value > 0:
        return "émission nette"
    return "flux nul"


class Figures:
    """Lookup over one territory's stored figures (a ``values_frame``); a missing figure reads as 0."""

    def __init__(self, frame: pd.DataFrame):
        grouped = frame.groupby(["measure", "land_use", "detail"])["value"].sum()
        self._values: dict[tuple[str, str, str], float] = grouped.to_dict()

    def get(self, measure: str, land_use: str = TOTAL, detail: str = "") -> float:
        return self._values.get((measure, land_use, detail), 0.0)

    def land_uses(self, measure: str) -> list[str]:
        """Level-2 land uses with a figure for ``measure``, in display order."""
        present = {lu for m, lu, _ in self._values if m == measure and lu != TOTAL}
        return sorted(present, key=lambda lu: (land_uses.ORDER.get(lu, 10_000), lu))

    def details(self, measure: str, order: Iterable[str]) -> list[str]:
        """Details (reservoirs or flux components) present for ``measure``: known ones in ``order``, then others."""
        present = {d for m, lu, d in self._values if m == measure and lu != TOTAL and d}
        known = [d for d in order if d in present]
        return known + sorted(present - set(known))

    def items(self, measure: str) -> list[tuple[tuple[str, str, str], float]]:
        """Every stored (measure, land use, detail) → value of ``measure``."""
        return [(key, value) for key, value in self._values.items() if key[0] == measure]

    def of_land_use(self, measure: str, land_use: str) -> float:
        """A land use's figure: its undetailed row if stored, else the sum of its details."""
        if (measure, land_use, "") in self._values:
            return self._values[(measure, land_use, "")]
        return sum(v for (m, lu, d), v in self._values.items() if m == measure and lu == land_use)

    def of_detail(self, measure: str, detail: str) -> float:
        """A reservoir's (or component's) figure summed over the land uses."""
        return sum(v for (m, lu, d), v in self._values.items() if m == measure and lu != TOTAL and d == detail)


def _label(labels: Mapping[str, str], key: str) -> str:
    return labels.get(key, key)


def _share(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


def land_use_group(slug: str) -> str:
    parent = land_uses.PARENT_OF.get(slug)
    return land_uses.LABELS[parent] if parent else ""


def stock_table(figures: Figures) -> Table:
    """Stock de carbone : bilan global, by reservoir."""
    total = figures.get(Measure.STOCK)
    rows = [
        {"label": _label(RESERVOIRS, reservoir), "stock": value, "share": _share(value, total)}
        for reservoir in figures.details(Measure.STOCK, RESERVOIRS)
        if (value := figures.of_detail(Measure.STOCK, reservoir))
    ]
    return Table(
        title="Stock de carbone par réservoir",
        slug=Indicator.STOCK,
        columns=(
            Column("label", "Réservoir"),
            Column("stock", "Stock de carbone (tC)", "tC"),
            Column("share", "Part du stock total (%)", "%"),
        ),
        rows=rows,
        total={"label": "Total", "stock": total, "share": 100.0 if total else None},
        chart=Chart("pie", "Stock de carbone par réservoir (tC)", ("stock",)),
    )


def stock_by_land_use_table(figures: Figures) -> Table:
    """Stock de carbone par occupation des sols, one column per reservoir."""
    reservoirs = figures.details(Measure.STOCK, RESERVOIRS)
    total = figures.get(Measure.STOCK)
    rows = []
    for land_use in figures.land_uses(Measure.STOCK):
        row = {"label": land_uses.label(land_use), "group": land_use_group(land_use)}
        row.update({r: figures.get(Measure.STOCK, land_use, r) for r in reservoirs})
        row["stock"] = figures.of_land_use(Measure.STOCK, land_use)
        row["share"] = _share(row["stock"], total)
        rows.append(row)
    total_row = {"label": "Total", "group": ""}
    total_row.update({r: figures.of_detail(Measure.STOCK, r) for r in reservoirs})
    total_row.update(stock=total, share=100.0 if total else None)
    return Table(
        title="Stock de carbone par occupation des sols et par réservoir",
        slug=Indicator.STOCK_BY_LAND_USE,
        columns=(
            Column("label", "Occupation des sols"),
            Column("group", "Groupe"),
            *(Column(r, f"{_label(RESERVOIRS, r)} (tC)", "tC") for r in reservoirs),
            Column("stock", "Stock total (tC)", "tC"),
            Column("share", "Part du stock total (%)", "%"),
        ),
        rows=rows,
        total=total_row,
        chart=Chart(
            "bar", "Stock de carbone par occupation des sols (tC)", tuple(reservoirs), stacked=True, axis_title="tC"
        ),
    )


def stock_per_hectare_table(figures: Figures) -> Table:
    """Stock de carbone par hectare, with the area and stock it divides."""
    rows = [
        {
            "label": land_uses.label(land_use),
            "group": land_use_group(land_use),
            "area": figures.of_land_use(Measure.AREA, land_use),
            "stock": figures.of_land_use(Measure.STOCK, land_use),
            "stock_hectare": figures.of_land_use(Measure.STOCK_PER_HECTARE, land_use),
        }
        for land_use in figures.land_uses(Measure.STOCK_PER_HECTARE)
        # ALDO gives a reference density even for land uses absent from the territory; only present ones are shown.
        if figures.of_land_use(Measure.AREA, land_use)
    ]
    return Table(
        title="Stock de carbone par hectare selon l'occupation des sols",
        slug=Indicator.STOCK_PER_HECTARE,
        columns=(
            Column("label", "Occupation des sols"),
            Column("group", "Groupe"),
            Column("area", "Surface (ha)", "ha"),
            Column("stock", "Stock de carbone (tC)", "tC"),
            Column("stock_hectare", "Stock par hectare (tC/ha)", "tC/ha"),
        ),
        rows=rows,
        total={
            "label": "Moyenne du territoire",
            "group": "",
            "area": figures.get(Measure.AREA),
            "stock": figures.get(Measure.STOCK),
            "stock_hectare": figures.get(Measure.STOCK_PER_HECTARE),
        },
        chart=Chart("bar", "Stock de carbone par hectare (tC/ha)", ("stock_hectare",), axis_title="tC/ha"),
        note=(
            "La moyenne du territoire est le stock total (haies et produits bois compris) divisé par la surface "
            "totale des occupations des sols."
        ),
    )


def flux_table(figures: Figures) -> Table:
    """Flux de carbone : bilan global, by component."""
    rows = []
    for component in figures.details(Measure.FLUX, FLUX_COMPONENTS):
        value = figures.of_detail(Measure.FLUX, component)
        if value:
            rows.append({"label": _label(FLUX_COMPONENTS, component), "flux": value, "direction": direction(value)})
    total = figures.get(Measure.FLUX)
    return Table(
        title="Flux de carbone par composante",
        slug=Indicator.FLUX,
        columns=(
            Column("label", "Composante"),
            Column("flux", "Flux (tCO2e/an)", "tCO2e/an"),
            Column("direction", "En clair"),
        ),
        rows=rows,
        total={"label": "Flux net du territoire", "flux": total, "direction": direction(total)},
        chart=Chart("bar", "Flux de carbone par composante (tCO2e/an ; séquestration < 0)", ("flux",)),
    )


def flux_by_land_use_table(figures: Figures, components: Iterable[str] | None = None, title: str = "") -> Table:
    """Flux de carbone par occupation des sols (finale), one column per component."""
    components = list(components or figures.details(Measure.FLUX, FLUX_COMPONENTS))
    rows = []
    for land_use in figures.land_uses(Measure.FLUX):
        values = {c: figures.get(Measure.FLUX, land_use, c) for c in components}
        if not any(values.values()):
            continue
        flux = sum(values.values())
        rows.append(
            {"label": land_uses.label(land_use), "group": land_use_group(land_use), **values, "flux": flux}
            | {"direction": direction(flux)}
        )
    total = {c: figures.of_detail(Measure.FLUX, c) for c in components}
    total_flux = sum(total.values())
    return Table(
        title=title or "Flux de carbone par occupation des sols et par composante",
        slug=Indicator.FLUX_BY_LAND_USE,
        columns=(
            Column("label", "Occupation des sols (finale)"),
            Column("group", "Groupe"),
            *(Column(c, f"{_label(FLUX_COMPONENTS, c)} (tCO2e/an)", "tCO2e/an") for c in components),
            Column("flux", "Flux total (tCO2e/an)", "tCO2e/an"),
            Column("direction", "En clair"),
        ),
        rows=rows,
        total={"label": "Total", "group": "", **total, "flux": total_flux, "direction": direction(total_flux)},
        chart=Chart(
            "bar",
            "Flux de carbone par occupation des sols (tCO2e/an ; séquestration < 0)",
            tuple(components),
            stacked=True,
            axis_title="tCO2e/an",
        ),
    )


def area_table(figures: Figures) -> Table:
    total = figures.get(Measure.AREA)
    rows = [
        {
            "label": land_uses.label(land_use),
            "group": land_use_group(land_use),
            "area": (area := figures.of_land_use(Measure.AREA, land_use)),
            "share": _share(area, total),
        }
        for land_use in figures.land_uses(Measure.AREA)
    ]
    return Table(
        title="Surfaces par occupation des sols",
        slug="surfaces",
        columns=(
            Column("label", "Occupation des sols"),
            Column("group", "Groupe"),
            Column("area", "Surface (ha)", "ha"),
            Column("share", "Part de la surface (%)", "%"),
        ),
        rows=rows,
        total={"label": "Total", "group": "", "area": total, "share": 100.0 if total else None},
        chart=Chart("bar", "Surfaces par occupation des sols (ha)", ("area",), axis_title="ha"),
        note="Surfaces de 2018 (CORINE Land Cover 2018 et BD Forêt de l'IGN pour les forêts).",
    )


def land_use_change_area_table(figures: Figures) -> Table:
    """Areas that changed land use between 2012 and 2018, one row per (land use left, land use reached)."""
    changes = sorted(
        ((left, reached, value) for (measure, reached, left), value in figures.items(Measure.LAND_USE_CHANGE)),
        key=lambda change: -change[2],
    )
    rows = [
        {"from": land_uses.label(left), "to": land_uses.label(reached), "area": value}
        for left, reached, value in changes
    ]
    return Table(
        title="Surfaces ayant changé d'occupation des sols entre 2012 et 2018 (moyenne annuelle)",
        slug="changements-occupation",
        columns=(
            Column("from", "Occupation des sols en 2012"),
            Column("to", "Occupation des sols en 2018"),
            Column("area", "Surface changée (ha/an)", "ha/an"),
        ),
        rows=rows,
        total={"from": "Total", "to": "", "area": sum(value for _, _, value in changes)},
        note=(
            "Changements mesurés par CORINE Land Cover entre 2012 et 2018, ramenés à l'année, après la répartition "
            "des sols artificiels de la méthode ALDO : ce sont les surfaces qui portent les flux de la feuille."
        ),
    )


INDICATOR_TABLES = {
    Indicator.STOCK: stock_table,
    Indicator.STOCK_BY_LAND_USE: stock_by_land_use_table,
    Indicator.STOCK_PER_HECTARE: stock_per_hectare_table,
    Indicator.FLUX: flux_table,
    Indicator.FLUX_BY_LAND_USE: flux_by_land_use_table,
}


def indicator_table(slug: str, figures: Figures) -> Table:
    return INDICATOR_TABLES[slug](figures)


# Rows of the PCAET deposit grid ("Partie 2 - Données sur la séquestration de dioxyde de carbone"), as ALDO's
# own export lays them out, by level-1 land use. Wood products are outside the deposit grid.
DEPOSIT_ROWS = {
    "Forêt": {"forêts"},
    "Sols agricoles (terres cultivées et prairies)": {"cultures", "prairies", "vergers", "vignes", "haies"},
    "Autres sols": {"zones humides", "sols artificiels"},
}
WOOD_PRODUCTS = "produits bois"
PERIOD = "moyenne annuelle 2012-2018"


def pcaet_deposit_table(figures: Figures) -> Table:
    """Net flux by the deposit grid's rows, then wood products, then the territory's net flux."""
    by_group: dict[str, float] = {}
    for land_use in figures.land_uses(Measure.FLUX):
        group = land_uses.PARENT_OF.get(land_use, "").removeprefix(land_uses.LEVEL1_PREFIX)
        by_group[group] = by_group.get(group, 0.0) + figures.of_land_use(Measure.FLUX, land_use)

    def row(label: str, value: float) -> dict:
        return {"label": label, "flux": value, "direction": direction(value), "period": PERIOD}

    rows = [row(label, sum(by_group.get(g, 0.0) for g in groups)) for label, groups in DEPOSIT_ROWS.items()]
    rows.append(row("Total du cadre de dépôt (hors produits bois)", sum(r["flux"] for r in rows)))
    rows.append(row("Produits bois (hors cadre de dépôt)", by_group.get(WOOD_PRODUCTS, 0.0)))
    return Table(
        title="Partie 2 - Données sur la séquestration de dioxyde de carbone",
        slug="cadre-de-depot",
        columns=(
            Column("label", "Estimation de la séquestration nette de dioxyde de carbone"),
            Column("flux", "Flux net de CO2 (tCO2e/an ; séquestration nette < 0)", "tCO2e/an"),
            Column("direction", "En clair"),
            Column("period", "Période de référence"),
        ),
        rows=rows,
        total=row("Flux net du territoire (produits bois compris)", figures.get(Measure.FLUX)),
        note=(
            "Diagnostic tenant compte des changements d'affectation des terres. Signe de l'observatoire : une "
            "séquestration nette est négative ; pour un cadre qui compte la séquestration positivement, changer "
            "le signe."
        ),
    )


def _wide_table(title: str, slug: str, epcis: pd.DataFrame, columns: Sequence[Column], rows_values: dict) -> Table:
    rows = [
        {"code": epci.code, "name": epci.name, **rows_values.get(epci.territory_id, {}), "note": epci.note}
        for epci in epcis.itertuples(index=False)
    ]
    return Table(
        title=title,
        slug=slug,
        columns=(Column("code", "Code (SIREN)"), Column("name", "EPCI"), *columns, Column("note", "Remarque")),
        rows=rows,
    )


def regional_tables(epcis: pd.DataFrame, frame: pd.DataFrame) -> list[Table]:
    """Every EPCI × every indicator, one wide table per indicator.

    ``epcis`` has columns territory_id, code, name, available, reason; ``frame`` is their ``values_frame``.
    """
    epcis = epcis.assign(
        note=[
            ("" if available else f"Non disponible : {reason}")
            for available, reason in zip(epcis["available"], epcis["reason"], strict=True)
        ]
    )
    figures = {territory_id: Figures(rows) for territory_id, rows in frame.groupby("territory_id")}
    everything = Figures(frame)
    reservoirs = everything.details(Measure.STOCK, RESERVOIRS)
    components = everything.details(Measure.FLUX, FLUX_COMPONENTS)
    stock_uses = everything.land_uses(Measure.STOCK)
    hectare_uses = everything.land_uses(Measure.STOCK_PER_HECTARE)
    flux_uses = everything.land_uses(Measure.FLUX)

    def per_epci(build) -> dict:
        return {territory_id: build(f) for territory_id, f in figures.items()}

    return [
        _wide_table(
            Indicator.STOCK.label,
            Indicator.STOCK,
            epcis,
            (
                *(Column(r, f"{_label(RESERVOIRS, r)} (tC)", "tC") for r in reservoirs),
                Column("stock", "Stock total (tC)", "tC"),
                Column("area", "Surface totale (ha)", "ha"),
            ),
            per_epci(
                lambda f: (
                    {r: f.of_detail(Measure.STOCK, r) for r in reservoirs}
                    | {"stock": f.get(Measure.STOCK), "area": f.get(Measure.AREA)}
                )
            ),
        ),
        _wide_table(
            Indicator.STOCK_BY_LAND_USE.label,
            Indicator.STOCK_BY_LAND_USE,
            epcis,
            tuple(Column(lu, f"{land_uses.label(lu)} (tC)", "tC") for lu in stock_uses),
            per_epci(lambda f: {lu: f.of_land_use(Measure.STOCK, lu) for lu in stock_uses}),
        ),
        _wide_table(
            Indicator.STOCK_PER_HECTARE.label,
            Indicator.STOCK_PER_HECTARE,
            epcis,
            (
                *(Column(lu, f"{land_uses.label(lu)} (tC/ha)", "tC/ha") for lu in hectare_uses),
                Column("stock_hectare", "Moyenne du territoire (tC/ha)", "tC/ha"),
            ),
            per_epci(
                lambda f: (
                    {
                        lu: f.of_land_use(Measure.STOCK_PER_HECTARE, lu) if f.of_land_use(Measure.AREA, lu) else None
                        for lu in hectare_uses
                    }
                    | {"stock_hectare": f.get(Measure.STOCK_PER_HECTARE)}
                )
            ),
        ),
        _wide_table(
            Indicator.FLUX.label,
            Indicator.FLUX,
            epcis,
            (
                *(Column(c, f"{_label(FLUX_COMPONENTS, c)} (tCO2e/an)", "tCO2e/an") for c in components),
                Column("flux", "Flux net (tCO2e/an)", "tCO2e/an"),
                Column("direction", "En clair"),
            ),
            per_epci(
                lambda f: (
                    {c: f.of_detail(Measure.FLUX, c) for c in components}
                    | {"flux": f.get(Measure.FLUX), "direction": direction(f.get(Measure.FLUX))}
                )
            ),
        ),
        _wide_table(
            Indicator.FLUX_BY_LAND_USE.label,
            Indicator.FLUX_BY_LAND_USE,
            epcis,
            tuple(Column(lu, f"{land_uses.label(lu)} (tCO2e/an)", "tCO2e/an") for lu in flux_uses),
            per_epci(lambda f: {lu: f.of_land_use(Measure.FLUX, lu) for lu in flux_uses}),
        ),
    ]
