"""Figures of any set of ALDO units, summed from their stored figures, and what ALDO warns about a grouping.

ALDO computes every figure per unit (a 2018 commune for CHANTERELLE, a 2018 EPCI for HETRE) and a territory's figures
are the sum of its units' figures (``indicators.aldo.engine``), except stocks per hectare: per land use the stock over
the area (where the set has none of a land use, the mean of its units' reference values, as the engine does), and in
total the total stock over the total area. So a grouping's figures are read from the stored figures of its units, on
request for a grouping a visitor draws and by a job for the groupings editors import, and they equal what the engine
computes for the same set.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from territories import vintages
from territories.groupings import Composition, composition_of
from territories.models import GROUPING_KINDS, Territory, TerritoryKind
from territories.selectors import NOT_EPCI_UNION

from . import quality
from .aldo import rules_for
from .figures import Figures, Row
from .measures import AREA, STOCK, STOCK_PER_HECTARE, TOTAL
from .models import Provenance, Release, TerritoryResult, units_text
from .quality import FEW_COMMUNES
from .selectors import summed_value_rows, value_rows

MAX_LISTED = 10
FEW_COMMUNES_WARNING = (
    "ALDO prévient : « Vous avez sélectionné un territoire jugé trop petit compte tenu de l'incertitude. Les valeurs "
    "moyennes de stocks et de flux de référence à l'hectare sont calculées à l'échelle de vastes domaines "
    "géographiques ; elles peuvent masquer des situations locales hétérogènes : en dessous d'une dizaine de communes, "
    "on considère qu'ALDO n'est pas l'outil adéquat pour fournir ces résultats. »"
)
DISTANT_WARNING = (
    "ALDO prévient : « La sélection de territoires trop éloignés géographiquement n'est pas pertinente (les valeurs "
    "de référence des stocks et flux de carbone à l'hectare varient selon l'emplacement du territoire). Nous vous "
    "recommandons d'obtenir vos résultats de manière séparée pour chacun des territoires sélectionnés pour avoir une "
    "vision plus contrastée et localisée des spécificités locales. »"
)


def unit_kind(release: Release) -> str:
    """What the release computes per: "commune" (CHANTERELLE) or "epci" (HETRE)."""
    return rules_for(release.rule_set).unit_kind


@dataclass(frozen=True)
class UnitSum:
    """The figures of a set of units of a release, or why there are none."""

    rows: list[Row]
    n_units: int
    computed_from: str
    unavailable_reason: str = ""
    facts: dict = field(default_factory=dict)  # data-quality facts of the set (indicators.quality)

    @property
    def available(self) -> bool:
        return not self.unavailable_reason

    @property
    def has_rebuilt_inputs(self) -> bool:
        return any(provenance != Provenance.ORIGINAL for *_, provenance in self.rows)

    @property
    def figures(self) -> Figures:
        return Figures(self.rows)


def grouping_sum(release: Release, composition: Composition) -> UnitSum:
    """The figures of ``release`` for a set of 2018 communes, read from stored figures: those of its whole 2018 EPCIs
    (an EPCI's figures are the sum of its units') and of its other communes. HETRE computes per 2018 EPCI: only a
    union of whole EPCIs has figures."""
    kind = unit_kind(release)
    n_units = len(composition.communes) if kind == "commune" else len(composition.epcis)
    if kind == "epci" and not composition.epci_union:
        return UnitSum([], n_units, "", NOT_EPCI_UNION)  # no figures: computed from nothing
    parts = dict(
        Territory.objects.filter(geography=vintages.ALDO.code)
        .filter(
            Q(kind=TerritoryKind.EPCI, code__in=composition.whole_epcis)
            | Q(kind=TerritoryKind.COMMUNE, code__in=composition.loose)
        )
        .values_list("id", "code")
    )
    results = TerritoryResult.objects.filter(release=release, territory_id__in=parts, available=True)
    n_units_of, facts_of = {}, []
    for territory_id, units, facts in results.values_list("territory_id", "n_units", "facts"):
        n_units_of[territory_id] = units
        facts_of.append(facts)
    missing = sorted(code for pk, code in parts.items() if pk not in n_units_of)
    if missing or not parts:
        listed = ", ".join(missing[:MAX_LISTED]) + (" …" if len(missing) > MAX_LISTED else "")
        return UnitSum([], n_units, "", f"Territoires sans chiffres dans {release} : {listed}.")

    def means(land_uses: list[str]) -> dict[str, float]:
        """Unit-weighted means of the parts' stocks per hectare (each part's value is the mean over its units)."""
        summed: dict[str, float] = defaultdict(float)
        for territory_id, _, land_use, _, value, _ in value_rows(release, n_units_of, [STOCK_PER_HECTARE], land_uses):
            summed[land_use] += value * n_units_of[territory_id]
        return {land_use: value / sum(n_units_of.values()) for land_use, value in summed.items()}

    rows = with_stocks_per_hectare(summed_value_rows(release, n_units_of), means)
    # Whole EPCIs and communes of other EPCIs: their facts add up to those of the set (shared parts included).
    return UnitSum(rows, n_units, units_text(kind, n_units), facts=quality.combined(facts_of) if all(facts_of) else {})


def with_stocks_per_hectare(rows: Iterable[Row], means: Callable[[list[str]], dict[str, float]]) -> list[Row]:
    """Rows summed over units, their stocks per hectare made right: stock over area by land use and in total; for a
    land use the set has no area of, the mean of its units' values (``means``), as the engine computes it."""
    stocks: dict[str, float] = defaultdict(float)
    areas: dict[str, float] = {}
    rebuilt_totals: set[str] = set()
    per_hectare: dict[str, str] = {}  # land use → provenance
    kept: list[Row] = []
    for row in rows:
        measure, land_use, detail, value, provenance = row
        if measure == STOCK_PER_HECTARE:
            per_hectare[land_use] = provenance
            continue
        kept.append(row)
        if measure == STOCK:
            stocks[land_use] += value
        elif measure == AREA and not detail:
            areas[land_use] = value
        if land_use == TOTAL and measure in (STOCK, AREA) and provenance != Provenance.ORIGINAL:
            rebuilt_totals.add(measure)
    if TOTAL in per_hectare:
        per_hectare[TOTAL] = Provenance.REBUILT if rebuilt_totals else Provenance.ORIGINAL
    without_area = means([land_use for land_use in per_hectare if land_use != TOTAL and not areas.get(land_use)])
    for land_use, provenance in per_hectare.items():
        area = areas.get(land_use, 0.0)
        value = stocks[land_use] / area if area > 0 else without_area.get(land_use, 0.0)
        if value:
            kept.append((STOCK_PER_HECTARE, land_use, "", value, provenance))
    return kept


def territory_warnings(territory: Territory) -> list[str]:
    """ALDO's warnings for a stored grouping (SCoT, Pays, PNR, named grouping); other kinds have none. Its number of
    communes is already a caveat of every territory (``quality``)."""
    if territory.kind not in GROUPING_KINDS:
        return []
    found = composition_of(territory)
    return warnings(found, few_communes=False) if found.communes else []


def warnings(composition: Composition, counted_once: Sequence[str] = (), *, few_communes: bool = True) -> list[str]:
    """What ALDO says about a grouping before its figures are read, in French, most important first."""
    found = []
    n_communes = len(composition.communes)
    if few_communes and 0 < n_communes < FEW_COMMUNES:
        plural = "s" if n_communes > 1 else ""
        found.append(f"Ce regroupement compte {n_communes} commune{plural} de 2018. {FEW_COMMUNES_WARNING}")
    n_departements, n_epcis = len(composition.departements), len(composition.epcis)
    if n_departements > 1 or n_epcis > 1:
        departements = f"de {n_departements} départements" if n_departements > 1 else "d'un seul département"
        epcis = f"de {n_epcis} intercommunalités" if n_epcis > 1 else "d'une seule intercommunalité"
        found.append(f"Ce regroupement réunit des communes {departements} et {epcis} de 2018. {DISTANT_WARNING}")
    if counted_once:
        listed = " ; ".join(counted_once[:MAX_LISTED]) + (" ; …" if len(counted_once) > MAX_LISTED else "")
        found.append(f"Membres comptés une seule fois : {listed}.")
    outside = composition.outside_region
    if outside:
        names = ", ".join(commune.name for commune in outside[:MAX_LISTED]) + (
            " …" if len(outside) > MAX_LISTED else ""
        )
        found.append(
            f"{len(outside)} commune{'s' if len(outside) > 1 else ''} hors des Hauts-de-France ({names}) : elles "
            "appartenaient en 2018 à une intercommunalité interrégionale et leurs chiffres sont comptés."
        )
    for release in Release.objects.published().order_by("published_at"):
        if unit_kind(release) == "epci" and not composition.epci_union:
            found.append(
                f"{release} ({release.method_label}) ne calcule que des réunions d'intercommunalités entières de "
                "2018 : ce regroupement n'en est pas une, ses chiffres ne sont pas disponibles pour ce millésime."
            )
    return found
