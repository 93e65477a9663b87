"""What a reader must know before trusting a territory's figures: one function, read by pages, files and the API."""

from territories.models import Territory, TerritoryKind

from .models import TerritoryResult

# ALDO's own warning: below about ten communes its reference values are regional averages.
FEW_COMMUNES = 10


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
