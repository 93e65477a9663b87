"""Reads: what changes between two releases, for every territory (editor review) or one territory (public pages).

A land use's stock is ``area × density`` (METHOD.md §2), so a stock change splits exactly into a part due to areas
(land-use data: CLC, IGN forest areas, hedges) and a part due to the per-hectare coefficients (method and reference
data): ``Δstock = Δarea · d_old + area_new · Δd``. What the two parts leave unexplained (wood products, which have no
area, and hedges, measured in ha or in km depending on the release) is reported as "hors surface".
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from territories.land_uses import ORDER as LAND_USE_ORDER
from territories.land_uses import label as land_use_label
from territories.models import Territory

from .measures import AREA, DECIMALS, FLUX, MEASURES, STOCK, STOCK_PER_HECTARE, TOTAL
from .models import Provenance, Release, TerritoryResult
from .numbers import describe_flux
from .selectors import available_territory_ids, fetch, land_use_frame, paired_land_use_frame

TERRITORY_COLUMNS = ("territory_kind", "territory_code", "geography", "territory_name")
# A stock change counts as none when it is float noise or rounds to 0 tC on the page.
UNCHANGED_RELATIVE = 1e-6
UNCHANGED_TONNES = 0.5

TOTAL_LABELS = {
    STOCK: "Stock de carbone",
    STOCK_PER_HECTARE: "Stock de carbone par hectare",
    FLUX: "Flux de carbone",
}
CAUSE_AREA = "surfaces"
CAUSE_DENSITY = "coefficients"
CAUSE_OTHER = "hors surface"
CAUSE_NONE = "inchangé"
CAUSE_LABELS = {
    CAUSE_AREA: "surfaces",
    CAUSE_DENSITY: "coefficients par hectare",
    CAUSE_OTHER: "hors surface",
    CAUSE_NONE: "pas de changement",
}
# Completes "Ce changement vient surtout …".
CAUSE_EXPLANATIONS = {
    CAUSE_AREA: "des surfaces, c'est-à-dire des données d'occupation des sols",
    CAUSE_DENSITY: "des coefficients par hectare, c'est-à-dire de la méthode ou des données de référence",
    CAUSE_OTHER: "d'éléments sans surface en hectares (produits bois, haies mesurées en longueur ou en surface)",
    CAUSE_NONE: "",
}


def baseline_for(release: Release) -> Release | None:
    """What a release is reviewed against: the published revision of its millésime, else its latest earlier
    revision (once it is itself published), else the release shown by default, else any published one."""
    others = Release.objects.exclude(pk=release.pk)
    published = others.filter(status=Release.Status.PUBLISHED)
    return (
        published.filter(slug=release.slug).first()
        or others.filter(slug=release.slug, revision__lt=release.revision)
        .exclude(status=Release.Status.DISCARDED)
        .order_by("-revision")
        .first()
        or published.filter(is_current=True).first()
        or published.order_by("-published_at").first()
    )


def _available(release: Release | None, territories) -> set[int]:
    return set() if release is None else available_territory_ids(release, territories)


def compare_releases(
    old: Release | None,
    new: Release,
    kind: str | None = None,
    measures=(STOCK, FLUX, STOCK_PER_HECTARE),
    land_uses=(TOTAL,),
) -> pd.DataFrame:
    """Old and new figures of every territory computed in either release, largest absolute changes first.

    Columns: territory_id, territory_kind, territory_code, geography, territory_name, measure, unit, land_use,
    old, new, change, change_pct, provenance (of the new figure). ``old`` (``new``) is NaN where the territory is not
    computed in that release; a missing figure of a computed territory is 0. ``change_pct`` is NaN when old is 0.
    ``land_uses=None`` keeps every land use but the territory totals.
    """
    territories = Territory.objects.all() if kind is None else Territory.objects.filter(kind=kind)
    available_old, available_new = _available(old, territories), _available(new, territories)
    of_kind = None if kind is None else territories  # every territory: no join at all
    if old is None:
        frame = land_use_frame(new, of_kind, measures, land_uses).rename(columns={"value": "value_new"})
        frame["value_old"] = np.nan
    else:
        frame = paired_land_use_frame(old, new, of_kind, measures, land_uses)
    ids = frame["territory_id"].to_numpy()
    in_old, in_new = np.isin(ids, list(available_old)), np.isin(ids, list(available_new))
    kept = in_old | in_new
    if land_uses is None:
        kept &= frame["land_use"].to_numpy() != TOTAL
    old_values = np.where(in_old, frame["value_old"].fillna(0), np.nan)[kept]
    new_values = np.where(in_new, frame["value_new"].fillna(0), np.nan)[kept]
    change = new_values - old_values
    frame = frame[kept]

    # Every territory of the kind in alphabetical order (not thousands of ids in a query), looked up by position.
    alphabetical = territories.order_by("name", "code", "geography")
    names = pd.DataFrame.from_records(
        fetch(alphabetical.values_list("id", "kind", "code", "geography", "name")),
        columns=["territory_id", "territory_kind", "territory_code", "geography", "territory_name"],
    )
    position = pd.Index(names["territory_id"]).get_indexer(frame["territory_id"])
    measure_codes, measure_slugs = pd.factorize(frame["measure"], sort=True)
    magnitude = np.nan_to_num(np.abs(change), nan=np.inf)  # a territory that appears or disappears comes first
    # A territory's land uses in the order the site lists them (the total, not in ORDER, last).
    land_use_rank = frame["land_use"].map(LAND_USE_ORDER).fillna(len(LAND_USE_ORDER)).to_numpy()
    # By measure, then largest change, then name, then land use: one sort of plain numbers, the columns taken once.
    order = np.lexsort((land_use_rank, position, -magnitude, measure_codes))
    position = position[order]
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(old_values != 0, 100 * change / np.abs(old_values), np.nan)
    units = np.array([MEASURES[slug].unit for slug in measure_slugs], dtype=object)
    return pd.DataFrame(
        {
            "territory_id": frame["territory_id"].to_numpy()[order],
            **{column: names[column].to_numpy()[position] for column in TERRITORY_COLUMNS},
            "measure": frame["measure"].to_numpy()[order],
            "unit": units[measure_codes[order]],
            "land_use": frame["land_use"].to_numpy()[order],
            "old": old_values[order],
            "new": new_values[order],
            "change": change[order],
            "change_pct": change_pct[order],
            "provenance": np.where(frame["rebuilt"].to_numpy()[order], Provenance.REBUILT, Provenance.ORIGINAL),
        }
    )


@dataclass
class FigureChange:
    label: str
    unit: str
    old: float
    new: float
    is_flux: bool = False

    @property
    def change(self) -> float:
        return self.new - self.old

    @property
    def decimals(self) -> int:
        return DECIMALS[self.unit]

    @property
    def change_pct(self) -> float | None:
        return 100 * self.change / abs(self.old) if self.old else None

    @property
    def old_in_words(self) -> str:
        return describe_flux(self.old) if self.is_flux else ""

    @property
    def new_in_words(self) -> str:
        return describe_flux(self.new) if self.is_flux else ""


@dataclass
class LandUseChange:
    """Stock change of one land use, split into its area part and its per-hectare coefficient part."""

    land_use: str
    label: str
    area_old: float
    area_new: float
    density_old: float
    density_new: float
    stock_old: float
    stock_new: float

    @property
    def stock_change(self) -> float:
        return self.stock_new - self.stock_old

    @property
    def stock_change_pct(self) -> float | None:
        return 100 * self.stock_change / abs(self.stock_old) if self.stock_old else None

    @property
    def has_area(self) -> bool:
        return bool(self.area_old or self.area_new)

    @property
    def area_change(self) -> float:
        return self.area_new - self.area_old

    @property
    def density_change(self) -> float:
        return self.density_new - self.density_old

    @property
    def area_effect(self) -> float:
        """Δarea · d_old; a land use absent from the old release owes all its stock to its new area."""
        density_before = self.density_old if self.area_old else self.density_new
        return self.area_change * density_before

    @property
    def density_effect(self) -> float:
        if not self.area_old:
            return 0.0
        return self.area_new * self.density_change

    @property
    def other_effect(self) -> float:
        return self.stock_change - self.area_effect - self.density_effect

    @property
    def cause(self) -> str:
        noise = max(UNCHANGED_RELATIVE * max(abs(self.stock_old), abs(self.stock_new)), UNCHANGED_TONNES)
        if abs(self.stock_change) < noise:
            return CAUSE_NONE
        effects = {
            CAUSE_AREA: abs(self.area_effect),
            CAUSE_DENSITY: abs(self.density_effect),
            CAUSE_OTHER: abs(self.other_effect),
        }
        return max(effects, key=effects.get)

    @property
    def cause_label(self) -> str:
        return CAUSE_LABELS[self.cause]


@dataclass
class TerritoryComparison:
    territory: Territory
    old_release: Release
    new_release: Release
    unavailable_reasons: list[str] = field(default_factory=list)
    totals: list[FigureChange] = field(default_factory=list)
    land_uses: list[LandUseChange] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return not self.unavailable_reasons

    @property
    def area_effect(self) -> float:
        return sum(change.area_effect for change in self.land_uses)

    @property
    def density_effect(self) -> float:
        return sum(change.density_effect for change in self.land_uses)

    @property
    def other_effect(self) -> float:
        return sum(change.other_effect for change in self.land_uses)

    @property
    def main_cause(self) -> str:
        """What explains most of the total stock change, summed over land uses (with their signs)."""
        effects = {
            CAUSE_AREA: abs(self.area_effect),
            CAUSE_DENSITY: abs(self.density_effect),
            CAUSE_OTHER: abs(self.other_effect),
        }
        if not any(change.cause != CAUSE_NONE for change in self.land_uses):
            return CAUSE_NONE
        return max(effects, key=effects.get)

    @property
    def main_cause_label(self) -> str:
        return CAUSE_LABELS[self.main_cause]

    @property
    def main_cause_explanation(self) -> str:
        return CAUSE_EXPLANATIONS[self.main_cause]


def compare_territory(territory: Territory, old_release: Release, new_release: Release) -> TerritoryComparison:
    """Totals of both releases for ``territory``, and for each land use where its stock change comes from."""
    comparison = TerritoryComparison(territory, old_release, new_release)
    results = {
        result.release_id: result
        for result in TerritoryResult.objects.filter(territory=territory, release__in=[old_release, new_release])
    }
    for release in (old_release, new_release):
        result = results.get(release.pk)
        if result is None or not result.available:
            reason = result.unavailable_reason if result else "territoire non calculé dans ce millésime"
            comparison.unavailable_reasons.append(f"{release} : {reason}")
    if not comparison.available:
        return comparison

    measures = [STOCK, AREA, STOCK_PER_HECTARE, FLUX]
    old = land_use_frame(old_release, [territory.pk], measures).set_index(["measure", "land_use"])["value"]
    new = land_use_frame(new_release, [territory.pk], measures).set_index(["measure", "land_use"])["value"]

    def pair(measure: str, land_use: str) -> tuple[float, float]:
        return float(old.get((measure, land_use), 0.0)), float(new.get((measure, land_use), 0.0))

    comparison.totals = [
        FigureChange(TOTAL_LABELS[measure], MEASURES[measure].unit, *pair(measure, TOTAL), measure == FLUX)
        for measure in TOTAL_LABELS
    ]
    stocked = {land_use for measure, land_use in [*old.index, *new.index] if measure == STOCK} - {TOTAL}
    comparison.land_uses = sorted(
        (
            LandUseChange(
                land_use,
                land_use_label(land_use),
                *pair(AREA, land_use),
                *pair(STOCK_PER_HECTARE, land_use),
                *pair(STOCK, land_use),
            )
            for land_use in stocked
        ),
        key=lambda change: (LAND_USE_ORDER.get(change.land_use, len(LAND_USE_ORDER)), change.land_use),
    )
    return comparison
