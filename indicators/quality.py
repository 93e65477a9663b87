"""What a reader must know before trusting a territory's figures: one function, read by pages, files and the API."""

from dataclasses import dataclass

from territories.models import Territory, TerritoryKind

from .models import TerritoryResult
from .numbers import format_percent

# ALDO's own warning: below about ten communes its reference values are regional averages.
FEW_COMMUNES = 10
# Below this share of its official area covered by land-use data, a territory's figures are incomplete.
COVERAGE_THRESHOLD = 0.9


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
    "Une partie des données d'entrée du territoire est une répartition égale entre communes d'un total connu pour "
    "un territoire plus grand (données reconstituées) : le chiffre est un ordre de grandeur, l'échelon où le total "
    "est connu (souvent l'intercommunalité) est fiable.",
)
INCOMPLETE = Level(
    "incomplet",
    "Incomplet",
    f"Les données d'occupation des sols couvrent moins de {format_percent(COVERAGE_THRESHOLD)} de la surface "
    "officielle du territoire : les chiffres sous-estiment les stocks et les flux. Le territoire est affiché mais "
    "laissé hors des échelles de couleur des cartes, des classements et des territoires comparables.",
)
LEVELS = {level.slug: level for level in (RELIABLE, ESTIMATE, INCOMPLETE)}


def commune_count(territory: Territory) -> int:
    return 1 if territory.kind == TerritoryKind.COMMUNE else territory.memberships.count()


def caveats(territory: Territory, result: TerritoryResult | None) -> list[str]:
    """French sentences, most important first; empty when nothing needs saying."""
    found = []
    n_communes = commune_count(territory)
    if 0 < n_communes < FEW_COMMUNES:
        found.append(
            f"Ce territoire compte {n_communes} commune{'s' if n_communes > 1 else ''}. En dessous d'une dizaine de "
            "communes, l'ADEME prévient qu'ALDO n'est pas l'outil adéquat : les valeurs de référence sont des "
            "moyennes régionales, prenez ces chiffres comme des ordres de grandeur."
        )
    if territory.kind == TerritoryKind.EPCI and (territory.attributes or {}).get("interregional"):
        found.append(
            "Cette intercommunalité s'étend au-delà des Hauts-de-France : ses chiffres couvrent tout son périmètre, "
            "communes hors région comprises."
        )
    if result and result.available and result.has_rebuilt_inputs:
        found.append(
            "Une partie des données d'entrée de ce millésime a été reconstituée (données ALDO non publiées, "
            "comme les surfaces forestières par commune) : les chiffres concernés sont approchés."
        )
    return found
