"""What a reader must know before trusting a territory's figures: one assessment, read by every surface.

At import, each computed territory gets its data-quality *facts* (``facts``), from the bundle and the territory data
alone: the land-use area the engine read against the official area, and for each input (land-use areas, forest areas,
hedges, land-use changes) the part that comes from rebuilt rows and the part that is an equal share of an EPCI total
the territory does not hold whole. ``assess`` turns facts into a level with its reasons in French; the level is
stored so that maps, rankings and peers can leave incomplete territories out.
"""

from dataclasses import dataclass

from territories.models import Territory, TerritoryKind

from .aldo import INPUT_LABELS
from .numbers import format_number, format_percent, plural

# ALDO's own warning: below about ten communes its reference values are regional averages.
FEW_COMMUNES = 10
# Below this share of its official area covered by land-use data, a territory's figures are incomplete.
COVERAGE_THRESHOLD = 0.9
# From this share of its land-use and forest areas being equal shares of EPCI totals it does not hold whole,
# a territory's figures are estimates (a commune: all of them; a département: the few EPCIs crossing its border).
SHARED_THRESHOLD = 0.05
AREA_INPUTS = ("land_use_areas", "forest_areas")


@dataclass(frozen=True)
class Level:
    slug: str
    label: str
    meaning: str


RELIABLE = Level(
    "fiable",
    "Fiable",
    "Les surfaces d'occupation des sols couvrent le territoire et ne sont pas des parts d'un total plus grand ; "
    "les chiffres restent ceux de la méthode ALDO, avec ses propres incertitudes.",
)
ESTIMATE = Level(
    "estimation",
    "Estimation",
    "Une part notable des surfaces d'occupation des sols du territoire est une répartition égale entre communes "
    f"d'un total connu pour leur intercommunalité (au moins {format_percent(SHARED_THRESHOLD)}) : le chiffre est un "
    "ordre de grandeur ; l'intercommunalité de 2018, où le total est connu, a des chiffres fiables.",
)
INCOMPLETE = Level(
    "incomplet",
    "Incomplet",
    f"Les données d'occupation des sols couvrent moins de {format_percent(COVERAGE_THRESHOLD)} de la surface "
    "officielle du territoire : les chiffres sous-estiment les stocks et les flux. Le territoire est affiché mais "
    "laissé hors des échelles de couleur des cartes, des classements et des territoires comparables.",
)
LEVELS = {level.slug: level for level in (RELIABLE, ESTIMATE, INCOMPLETE)}


@dataclass(frozen=True)
class Assessment:
    level: Level
    reasons: tuple[str, ...]
    """Why, in French, most important first (the level's cause, then rebuilt inputs and scope)."""


def facts(
    *, n_units: int, unit_kind: str, basis, official_area: float | None, land_use_area: float, inputs: dict
) -> dict:
    """The facts stored with a territory's result (JSON): ``inputs`` maps each input of the engine's
    ``EngineResult.inputs`` to its total, rebuilt and shared quantities and unit."""
    return {
        "unit_kind": unit_kind,
        "units": n_units,
        "communes": basis.n_communes,
        "communes_outside_region": basis.n_communes_outside_region,
        "official_area_ha": official_area,
        "land_use_area_ha": land_use_area,
        "inputs": inputs,
    }


def combined(parts: list[dict]) -> dict:
    """The facts of a set made of disjoint parts (whole EPCIs, communes): counts, areas and input quantities add up;
    an official area is known only if every part's is."""
    if not parts:
        return {}
    areas = [part.get("official_area_ha") for part in parts]
    inputs: dict[str, dict] = {}
    for part in parts:
        for name, values in part.get("inputs", {}).items():
            summed = inputs.setdefault(name, {"total": 0.0, "rebuilt": 0.0, "shared": 0.0, "unit": values["unit"]})
            for key in ("total", "rebuilt", "shared"):
                summed[key] += values.get(key, 0.0)
    return {
        "unit_kind": parts[0]["unit_kind"],
        "units": sum(part["units"] for part in parts),
        "communes": sum(part["communes"] for part in parts),
        "communes_outside_region": sum(part.get("communes_outside_region", 0) for part in parts),
        "official_area_ha": None if None in areas else sum(areas),
        "land_use_area_ha": sum(part["land_use_area_ha"] for part in parts),
        "inputs": inputs,
    }


def coverage(facts: dict) -> float | None:
    official = facts.get("official_area_ha")
    return facts["land_use_area_ha"] / official if official else None


def shared_share(facts: dict) -> float:
    """The part of the land-use and forest areas read that are equal shares of EPCI totals not held whole."""
    inputs = facts.get("inputs", {})
    read = sum(inputs.get(name, {}).get("total", 0.0) for name in AREA_INPUTS)
    shared = sum(inputs.get(name, {}).get("shared", 0.0) for name in AREA_INPUTS)
    return shared / read if read else 0.0


def assess(facts: dict) -> Assessment:
    inputs = facts.get("inputs", {})
    land_use = inputs.get("land_use_areas", {})
    official = facts.get("official_area_ha")
    area_words = f"{format_number(facts['land_use_area_ha'])} ha"
    official_words = f"{format_number(official)} ha" if official else "une surface officielle inconnue"
    if not land_use.get("total"):
        level = INCOMPLETE
        first = (
            "Les données de ce millésime ne donnent aucune surface d'occupation des sols hors forêt pour ce "
            f"territoire : seules les forêts sont comptées ({area_words} sur {official_words}). Stocks et flux sont "
            "très sous-estimés."
        )
    elif (share := shared_share(facts)) >= SHARED_THRESHOLD:
        level = ESTIMATE
        first = (
            f"{format_percent(share)} des surfaces d'occupation des sols de ce territoire sont des parts égales de "
            "totaux d'intercommunalités de 2018 qu'il ne couvre qu'en partie (données reconstituées, faute de données "
            "publiées par commune) : ses chiffres sont des ordres de grandeur ; ceux d'une intercommunalité de 2018 "
            "entière sont fiables."
        )
    elif (covered := coverage(facts)) is not None and covered < COVERAGE_THRESHOLD:
        level = INCOMPLETE
        first = (
            f"Les données d'occupation des sols ne couvrent que {format_percent(covered)} de la surface officielle "
            f"du territoire ({area_words} sur {official_words}) : stocks et flux sont sous-estimés."
        )
    else:
        level, first = RELIABLE, ""
    reasons = [first] if first else []
    rebuilt = [
        f"{INPUT_LABELS[name]} ({format_percent(values['rebuilt'] / values['total'], 0)})"
        for name, values in inputs.items()
        if values.get("total") and values.get("rebuilt")
    ]
    if rebuilt:
        reasons.append(
            "Une partie des données d'entrée de ce millésime a été reconstituée (données ALDO non publiées) : "
            + ", ".join(rebuilt)
            + " ; les chiffres qui en dépendent sont approchés."
        )
    if outside := facts.get("communes_outside_region"):
        reasons.append(
            "Ce territoire s'étend au-delà des Hauts-de-France : ses chiffres couvrent tout son périmètre, dont "
            f"{plural(outside, 'commune')} hors région."
        )
    return Assessment(level, tuple(reasons))


def assessment(result) -> Assessment | None:
    """The assessment of a stored ``TerritoryResult`` (None when it has no figures or no facts)."""
    if result is None or not result.available or not result.facts:
        return None
    return assess(result.facts)


def commune_count(territory: Territory, result=None) -> int:
    if result is not None and result.facts:
        return result.facts["communes"]
    return 1 if territory.kind == TerritoryKind.COMMUNE else territory.memberships.count()


def caveats(territory: Territory, result) -> list[str]:
    """French sentences to read before the figures, most important first; empty when nothing needs saying."""
    found = list(assessment(result).reasons) if assessment(result) else []
    n_communes = commune_count(territory, result)
    if 0 < n_communes < FEW_COMMUNES:
        found.append(
            f"Ce territoire compte {plural(n_communes, 'commune')}. En dessous d'une dizaine de communes, l'ADEME "
            "prévient qu'ALDO n'est pas l'outil adéquat : les valeurs de référence sont des moyennes régionales, "
            "prenez ces chiffres comme des ordres de grandeur."
        )
    return found
