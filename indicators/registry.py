"""The indicators the observatory publishes, read by every surface through ``indicators()`` and ``get(slug)``.

Two sources, one shape. An ALDO indicator built on stored measures is one ``Indicator`` declared here with
``register`` (into ``INDICATORS``): its table (the one table model of ``indicators.tables``, which also carries its
chart), the reading sentence under its chart, and how a territory's value is read for maps and rankings. An indicator
series is data: each series an editor publishes (``indicators.series``) becomes an ``Indicator`` too, read from the
database once per publication. Pages, indicator pages, downloads, the API and the editor iterate ``indicators()``;
nothing counts them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from territories import land_uses

from . import readings
from .aldo import EU_CATEGORIES
from .figures import Figures
from .measures import AREA, EU_CATEGORY_FLUX, FLUX, SIGN_CONVENTION, STOCK, STOCK_PER_HECTARE, STOCK_SIGN
from .series.selectors import PublishedSeries, published_series
from .series.tables import series_territory_table
from .tables import (
    Table,
    eu_category_table,
    flux_by_land_use_table,
    flux_table,
    stock_by_land_use_table,
    stock_per_hectare_table,
    stock_table,
)

# Level-1 groups whose "area" is not a share of the territory (hedges are a length in CHANTERELLE, wood products
# have none): no stock per hectare for them.
WITHOUT_AREA = frozenset({land_uses.level1_slug("haies"), land_uses.level1_slug("produits bois")})


def measure_value(measure: str) -> Callable[[Figures, str | None], float | None]:
    """A territory's value of ``measure``: its total, or the sum of a level-1 group's land uses."""

    def value(figures: Figures, group: str | None) -> float | None:
        return figures.total(measure) if group is None else figures.of_group(measure, group)

    return value


def stock_per_hectare_value(figures: Figures, group: str | None) -> float | None:
    """Total stock per hectare; a group's is its stock over its area (None where the group has no area)."""
    if group is None:
        return figures.total(STOCK_PER_HECTARE)
    area = figures.of_group(AREA, group)
    return figures.of_group(STOCK, group) / area if area else None


@dataclass(frozen=True)
class Indicator:
    slug: str
    title: str
    sheet_name: str  # Excel allows 31 characters
    definition: str
    unit: str
    measures: tuple[str, ...]  # the stored measures it reads
    table: Callable[[Figures], Table]
    reading: Callable[[Table], str]  # the sentence under the chart, from the table
    value: Callable[[Figures, str | None], float | None]  # maps and rankings: total (None) or a level-1 group
    is_flux: bool = False
    by_land_use: bool = False
    groups: tuple[str, ...] = field(default=())  # level-1 groups a map can show
    # What its figures are split into, as the indicator page lists it (default: reservoirs, or flux components).
    perimeter: tuple[str, tuple[str, ...]] | None = None
    series: PublishedSeries | None = None  # set for a published indicator series, None for an ALDO indicator

    @property
    def sign_convention(self) -> str:
        if self.series:
            return self.series.metadata.sign_convention
        return SIGN_CONVENTION if self.is_flux else STOCK_SIGN

    def shows(self, figures: Figures) -> bool:
        """Whether a territory's page and files show it: an ALDO indicator always, a series where it has values."""
        return self.series is None or self.slug in figures.series


INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if len(indicator.sheet_name) > 31:
        raise ValueError(f"{indicator.slug}: sheet name over Excel's 31 characters")
    INDICATORS[indicator.slug] = indicator
    return indicator


def unregister(slug: str) -> None:
    INDICATORS.pop(slug, None)


def _not_mapped(figures: Figures, group: str | None) -> None:
    """Series have no EPCI map: their indicator page shows their own tables."""
    return None


def series_indicator(series: PublishedSeries) -> Indicator:
    meta = series.metadata
    dimensions = tuple(dimension.label for dimension in meta.dimensions)
    return Indicator(
        slug=meta.slug,
        title=meta.name,
        sheet_name=meta.sheet_name,
        definition=meta.definition,
        unit=meta.unit,
        measures=(),
        table=partial(series_territory_table, meta),
        reading=readings.series,
        value=_not_mapped,
        is_flux=meta.in_words,
        perimeter=("Dimensions", dimensions) if dimensions else None,
        series=series,
    )


def indicators(source: str | None = None) -> list[Indicator]:
    """Every indicator in display order: the ALDO ones, then the published series (``source``: "aldo" or "serie"
    for one kind only)."""
    aldo = list(INDICATORS.values()) if source in (None, "aldo") else []
    series = [series_indicator(found) for found in published_series()] if source in (None, "serie") else []
    return aldo + series


def get(slug: str) -> Indicator | None:
    """The indicator of ``slug`` (ALDO or published series), None if there is none."""
    if slug in INDICATORS:
        return INDICATORS[slug]
    return next((indicator for indicator in indicators("serie") if indicator.slug == slug), None)


ALL_GROUPS = tuple(entry.slug for entry in land_uses.LEVEL1)

register(
    Indicator(
        slug="stock-carbone",
        title="Stock de carbone : bilan global",
        sheet_name="Stock",
        definition=(
            "Quantité totale de carbone stockée sur le territoire dans les sols (0-30 cm), la biomasse, la litière "
            "et le bois mort des forêts, les haies et les produits bois."
        ),
        unit="tC",
        measures=(STOCK,),
        table=stock_table,
        reading=readings.stock,
        value=measure_value(STOCK),
    )
)
register(
    Indicator(
        slug="stock-carbone-occupation",
        title="Stock de carbone par occupation des sols",
        sheet_name="Stock par occupation",
        definition=(
            "Répartition du stock de carbone entre les occupations des sols (cultures, prairies, forêts, sols "
            "artificiels…) et entre les réservoirs (sol, biomasse, litière, produits bois)."
        ),
        unit="tC",
        measures=(STOCK,),
        table=stock_by_land_use_table,
        reading=readings.stock_by_land_use,
        value=measure_value(STOCK),
        by_land_use=True,
        groups=ALL_GROUPS,
    )
)
register(
    Indicator(
        slug="stock-carbone-hectare",
        title="Stock de carbone par occupation des sols par hectare",
        sheet_name="Stock par hectare",
        definition=(
            "Stock de carbone moyen par hectare de chaque occupation des sols : il dépend du type de sol, du "
            "climat et de la végétation, et permet de comparer les territoires indépendamment de leur taille."
        ),
        unit="tC/ha",
        measures=(STOCK_PER_HECTARE, AREA, STOCK),
        table=stock_per_hectare_table,
        reading=readings.stock_per_hectare,
        value=stock_per_hectare_value,
        by_land_use=True,
        groups=tuple(group for group in ALL_GROUPS if group not in WITHOUT_AREA),
    )
)
register(
    Indicator(
        slug="flux-carbone",
        title="Flux de carbone : bilan global",
        sheet_name="Flux",
        definition=(
            "Bilan annuel moyen (2012-2018) des échanges de carbone entre le territoire et l'atmosphère : "
            "croissance des forêts, produits bois, changements d'occupation des sols et N2O associé."
        ),
        unit="tCO2e/an",
        measures=(FLUX,),
        table=flux_table,
        reading=readings.flux,
        value=measure_value(FLUX),
        is_flux=True,
    )
)
register(
    Indicator(
        slug="flux-carbone-occupation",
        title="Flux de carbone par occupation des sols",
        sheet_name="Flux par occupation",
        definition=(
            "Flux annuel de carbone rattaché à l'occupation des sols finale (par exemple un défrichement vers "
            "des cultures est compté dans les cultures), par composante."
        ),
        unit="tCO2e/an",
        measures=(FLUX,),
        table=flux_by_land_use_table,
        reading=readings.flux_by_land_use,
        value=measure_value(FLUX),
        is_flux=True,
        by_land_use=True,
        groups=ALL_GROUPS,
    )
)
register(
    Indicator(
        slug="flux-carbone-categories-ue",
        title="Flux de carbone par catégorie comptable de l'UE",
        sheet_name="Catégories UE",
        definition=(
            "Le flux net du territoire réparti entre les catégories comptables de terres de l'article 2 du règlement "
            "(UE) 2018/841 modifié (terres boisées, terres déboisées, terres cultivées, prairies, terres forestières "
            "et zones humides gérées), selon l'occupation des sols initiale et finale de chaque flux ; ce que le "
            "règlement ne compte pas est à part. Les catégories s'additionnent exactement au flux net."
        ),
        unit="tCO2e/an",
        measures=(EU_CATEGORY_FLUX,),
        table=eu_category_table,
        reading=readings.eu_categories,
        value=measure_value(EU_CATEGORY_FLUX),
        is_flux=True,
        perimeter=("Catégories comptables", tuple(category.label for category in EU_CATEGORIES)),
    )
)
