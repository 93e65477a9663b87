"""What each of the five indicators is, in the observatory's words, and which stored measures it reads."""

from dataclasses import dataclass

from .models import MEASURE_UNITS, Indicator, Measure

SIGN_CONVENTION = (
    "Convention de signe de l'observatoire : une séquestration nette (le territoire absorbe du carbone) "
    "est comptée négativement, une émission nette positivement."
)
SOURCE = "ADEME, outil ALDO ; calculs de l'Observatoire Climat Hauts-de-France"

# Stock reservoirs and flux components as ALDO names them, with their French labels, in display order.
RESERVOIRS = {
    "sol": "Sol (0-30 cm)",
    "biomasse": "Biomasse",
    "biomasse vivante": "Biomasse vivante",
    "biomasse morte": "Bois mort",
    "litière": "Litière",
    "BO": "Produits bois : bois d'œuvre",
    "BI": "Produits bois : bois d'industrie",
}
FLUX_COMPONENTS = {
    "changement_occupation_sol": "Changement d'occupation des sols (sol, litière, biomasse)",
    "deforestation_biomasse": "Défrichement (biomasse)",
    "n2o_destockage_sol": "N2O lié au déstockage des sols",
    "croissance_biomasse_foret": "Croissance nette de la forêt",
    "produits_bois": "Produits bois",
}
TOTAL = "total"


@dataclass(frozen=True)
class IndicatorInfo:
    slug: str
    title: str
    measure: str
    unit: str
    by_land_use: bool
    definition: str

    @property
    def is_flux(self) -> bool:
        return self.measure == Measure.FLUX


INDICATORS = {
    info.slug: info
    for info in (
        IndicatorInfo(
            Indicator.STOCK,
            Indicator.STOCK.label,
            Measure.STOCK,
            MEASURE_UNITS[Measure.STOCK],
            False,
            "Quantité totale de carbone stockée sur le territoire dans les sols (0-30 cm), la biomasse, la litière "
            "et le bois mort des forêts, les haies et les produits bois.",
        ),
        IndicatorInfo(
            Indicator.STOCK_BY_LAND_USE,
            Indicator.STOCK_BY_LAND_USE.label,
            Measure.STOCK,
            MEASURE_UNITS[Measure.STOCK],
            True,
            "Répartition du stock de carbone entre les occupations des sols (cultures, prairies, forêts, sols "
            "artificiels…) et entre les réservoirs (sol, biomasse, litière, produits bois).",
        ),
        IndicatorInfo(
            Indicator.STOCK_PER_HECTARE,
            Indicator.STOCK_PER_HECTARE.label,
            Measure.STOCK_PER_HECTARE,
            MEASURE_UNITS[Measure.STOCK_PER_HECTARE],
            True,
            "Stock de carbone moyen par hectare de chaque occupation des sols : il dépend du type de sol, du "
            "climat et de la végétation, et permet de comparer les territoires indépendamment de leur taille.",
        ),
        IndicatorInfo(
            Indicator.FLUX,
            Indicator.FLUX.label,
            Measure.FLUX,
            MEASURE_UNITS[Measure.FLUX],
            False,
            "Bilan annuel moyen (2012-2018) des échanges de carbone entre le territoire et l'atmosphère : "
            "croissance des forêts, produits bois, changements d'occupation des sols et N2O associé. "
            + SIGN_CONVENTION,
        ),
        IndicatorInfo(
            Indicator.FLUX_BY_LAND_USE,
            Indicator.FLUX_BY_LAND_USE.label,
            Measure.FLUX,
            MEASURE_UNITS[Measure.FLUX],
            True,
            "Flux annuel de carbone rattaché à l'occupation des sols finale (par exemple un défrichement vers "
            "des cultures est compté dans les cultures), par composante. " + SIGN_CONVENTION,
        ),
    )
}


def describe_flux(value_tco2e: float) -> str:
    """The net flux in words, as the observatory writes it."""
    kilotonnes = abs(value_tco2e) / 1000
    amount = f"{kilotonnes:,.1f}".replace(",", "\u202f").replace(".", ",")
    if value_tco2e < 0:
        return f"séquestration nette de {amount} kt éq. CO2 par an"
    if value_tco2e > 0:
        return f"émission nette de {amount} kt éq. CO2 par an"
    return "flux net nul"
