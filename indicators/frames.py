"""The territory in its national frame: its flux on the land-sector sub-sectors of the national low-carbon strategy
(SNBC) beside the national trajectory, and the share of its greenhouse-gas emissions that its net sink offsets.

Both read published indicator series: the SNBC's land-sector trajectory (``snbc-trajectoire-utcatf``, national), and
any series whose role is "emissions" for the territory's own emissions (the région's ships with the product; editors
who import EPCI emissions get the share for every EPCI).
"""

from dataclasses import dataclass

from territories import land_uses

from .figures import Figures
from .measures import FLUX, FLUX_PERIOD, TONNES_CO2E_PER_YEAR, TOTAL, direction
from .numbers import describe_flux, format_percent, scaled
from .series.model import EMISSIONS_ROLE, NATIONAL
from .series.selectors import published, published_series, series_points
from .tables import Column, Table

SNBC_TRAJECTORY = "snbc-trajectoire-utcatf"
OBSERVED, PROJECTED = "observé (Secten 2020)", "projeté (AMS 2018)"
SNBC_TOTAL = "UTCATF (total)"
NATIONAL_COLUMNS = (
    ("france_2015", OBSERVED, "2015", "France 2015 (observé)"),
    ("france_2030", PROJECTED, "2030", "France 2030 (projeté)"),
    ("france_2050", PROJECTED, "2050", "France 2050 (projeté)"),
)
ARTIFICIAL_GROUP = land_uses.level1_slug("sols artificiels")
FOREST_GROWTH, WOOD_PRODUCTS = "croissance_biomasse_foret", "produits_bois"
FLUX_YEARS = f"{FLUX_PERIOD[0]}-{FLUX_PERIOD[1]}"


@dataclass(frozen=True)
class SubSector:
    slug: str
    label: str
    """As the SNBC names it (the ``poste`` of the trajectory series)."""
    rule: str
    """French: which of the territory's flux components it gathers."""


SUBSECTORS = (
    SubSector("foret", "Forêt", "la croissance nette des forêts"),
    SubSector("produits_bois", "Produits bois", "les produits bois"),
    SubSector(
        "artificialisation",
        "Artificialisation",
        "les changements d'occupation des sols vers les sols artificiels (sol, litière, biomasse, défrichement) et "
        "le N2O qu'ils émettent",
    ),
    SubSector(
        "utilisation_sols",
        "Utilisation des sols",
        "les autres changements d'occupation des sols (vers les cultures, prairies, zones humides, forêts…, "
        "défrichement compris) et le N2O qu'ils émettent",
    ),
)


def subsector_of(land_use: str, component: str) -> str:
    """The SNBC sub-sector of a flux figure, from its final land use and its component."""
    if component == FOREST_GROWTH:
        return "foret"
    if component == WOOD_PRODUCTS:
        return "produits_bois"
    if land_uses.PARENT_OF.get(land_use) == ARTIFICIAL_GROUP:
        return "artificialisation"
    return "utilisation_sols"


def snbc_subsectors(figures: Figures) -> dict[str, float]:
    """The territory's net flux split into the SNBC sub-sectors; they add up to it."""
    values = dict.fromkeys((subsector.slug for subsector in SUBSECTORS), 0.0)
    for (_, land_use, component), value in figures.items(FLUX):
        if land_use != TOTAL:
            values[subsector_of(land_use, component)] += value
    return values


def snbc_national() -> dict[tuple[str, str, str], float]:
    """(poste, données, période) → national value (MtCO2e/an) of the published SNBC trajectory (empty without it)."""
    series = published(SNBC_TRAJECTORY)
    if series is None:
        return {}
    points = series_points(series.version_id, series.metadata.geography)
    return {(*point.dimensions, point.period): point.value for point in points if point.zone.kind == NATIONAL}


def snbc_frame_table(figures: Figures, national: dict[tuple[str, str, str], float]) -> Table:
    """The territory's flux by SNBC sub-sector, its share of the national 2015 value, and the national trajectory."""
    values = snbc_subsectors(figures)

    def row(key: str, label: str, poste: str, value: float, rule: str) -> dict:
        reference = national.get((poste, OBSERVED, "2015"))
        same_sign = reference is not None and reference * value > 0
        return {
            "key": key,
            "label": label,
            "territory": value,
            "direction": direction(value),
            "share": value / (reference * TONNES_CO2E_PER_YEAR["MtCO2e/an"]) * 100 if same_sign else None,
            **{column: national.get((poste, data, period)) for column, data, period, _ in NATIONAL_COLUMNS},
            "rule": rule,
        }

    rows = [row(s.slug, s.label, s.label, values[s.slug], s.rule) for s in SUBSECTORS]
    net = figures.get(FLUX)
    return Table(
        slug="cadre-snbc",
        title="Le flux du territoire et la trajectoire nationale du secteur des terres (SNBC)",
        unit_note=f"territoire en tCO2e/an, moyenne {FLUX_YEARS} ; France en MtCO2e/an ; séquestration négative",
        columns=(
            Column("label", "Sous-secteur UTCATF de la SNBC"),
            Column("territory", f"Territoire, moyenne {FLUX_YEARS}", "tCO2e/an"),
            Column("direction", "En clair"),
            Column("share", "Part de la valeur nationale 2015", "%", digits=2),
            *(Column(key, label, "MtCO2e/an") for key, _, _, label in NATIONAL_COLUMNS),
            Column("rule", "Composantes du flux du territoire", on_page=False),
        ),
        rows=rows,
        total=row("total", "Total UTCATF (flux net)", SNBC_TOTAL, net, "toutes les composantes"),
        note=(
            "Valeurs nationales : SNBC, répartition indicative par sous-secteur (annexe II du guide des trajectoires "
            "de décarbonation), observé 2015 selon l'inventaire Secten 2020, projeté selon le scénario AMS 2018."
            if national
            else "La trajectoire nationale (série « snbc-trajectoire-utcatf ») n'est pas publiée : seules les "
            "valeurs du territoire sont données."
        ),
        value_key="territory",
    )


@dataclass(frozen=True)
class Compensation:
    """How the territory's net flux compares with its emissions of a comparable year."""

    net_flux: float
    """tCO2e/an, observatory sign (sequestration < 0)."""
    emissions: float
    """tCO2e/an."""
    year: str
    series_name: str
    source: str

    @property
    def share(self) -> float:
        """The part of the emissions the net sink offsets (or, for a net emission, the part it adds)."""
        return abs(self.net_flux) / self.emissions

    @property
    def sentence(self) -> str:
        emissions = f"{scaled(self.emissions, 't éq. CO2')} en {self.year}"
        if self.net_flux < 0:
            return (
                f"Le puits net du territoire ({describe_flux(self.net_flux)}, moyenne {FLUX_YEARS}) compense "
                f"{format_percent(self.share)} de ses émissions directes de gaz à effet de serre ({emissions})."
            )
        return (
            f"Le territoire n'a pas de puits net : son flux ({describe_flux(self.net_flux)}, moyenne {FLUX_YEARS}) "
            f"ajoute {format_percent(self.share)} à ses émissions directes de gaz à effet de serre ({emissions})."
        )


def compensation(figures: Figures) -> Compensation | None:
    """The share of the territory's emissions its net flux offsets, when a published emissions series gives the
    territory's own emissions for a year of the flux period (2012-2018); the latest such year."""
    net = figures.get(FLUX)
    candidates = []
    for series in published_series():
        meta = series.metadata
        found = figures.series.get(meta.slug)
        if meta.role != EMISSIONS_ROLE or found is None or found.inherited:
            continue
        for point in found.points:
            if point.period.isdigit() and FLUX_PERIOD[0] <= int(point.period) <= FLUX_PERIOD[1]:
                tonnes = point.value * TONNES_CO2E_PER_YEAR[meta.unit]
                candidates.append((int(point.period), tonnes, meta))
    candidates = [candidate for candidate in candidates if candidate[1] > 0]
    if not net or not candidates:
        return None
    year, tonnes, meta = max(candidates, key=lambda candidate: candidate[0])
    return Compensation(net, tonnes, str(year), meta.name, meta.source)


def compensation_table(found: Compensation) -> Table:
    """The compensation share as a small table, for files."""
    rows = [
        {"key": "flux", "label": f"Flux net du territoire (moyenne {FLUX_YEARS})", "value": found.net_flux}
        | {"unit": "tCO2e/an", "words": direction(found.net_flux)},
        {"key": "emissions", "label": f"Émissions directes de GES ({found.year})", "value": found.emissions}
        | {"unit": "tCO2e/an", "words": found.source},
    ]
    return Table(
        slug="compensation",
        title="Part des émissions compensée par le puits net",
        unit_note="",
        columns=(
            Column("label", "Grandeur"),
            Column("value", "Valeur", "tCO2e/an"),
            Column("words", "En clair ou source"),
        ),
        rows=rows,
        note=found.sentence,
    )


@dataclass(frozen=True)
class Frames:
    snbc: Table
    compensation: Compensation | None


def territory_frames(figures: Figures) -> Frames:
    """The SNBC frame and the compensation share of the territory whose figures (with series) are ``figures``."""
    return Frames(snbc_frame_table(figures, snbc_national()), compensation(figures))
