"""The vocabulary of the stored figures: measures, reservoirs and flux components, units, sign convention.

A measure is what an ``IndicatorValue`` row measures; indicators (``indicators.registry``) are views over measures.
Adding a measure is one declaration here: the database column has no choices, so no migration is needed.
"""

from dataclasses import dataclass

from .aldo import EU_CATEGORIES, EU_CATEGORY_FLUX

SIGN_CONVENTION = (
    "Convention de signe de l'observatoire : une séquestration nette (le territoire absorbe du carbone) "
    "est comptée négativement, une émission nette positivement."
)
STOCK_SIGN = "Les stocks de carbone et les surfaces sont toujours positifs. " + SIGN_CONVENTION
SOURCE = "ADEME, outil ALDO ; calculs de l'Observatoire Climat Hauts-de-France"
TOTAL = "total"
HEDGES = "haies"


@dataclass(frozen=True)
class Measure:
    slug: str
    label: str
    unit: str
    # What its rows are split by; a measure split by EU accounting category stores no territory total.
    detail_label: str = "Occupation des sols"
    has_total: bool = True


STOCK = "stock"
AREA = "surface"
STOCK_PER_HECTARE = "stock_hectare"
FLUX = "flux"
LAND_USE_CHANGE = "surface_changee"

MEASURES = {
    measure.slug: measure
    for measure in (
        Measure(STOCK, "Stock de carbone", "tC"),
        Measure(AREA, "Surface", "ha"),
        Measure(STOCK_PER_HECTARE, "Stock de carbone par hectare", "tC/ha"),
        Measure(FLUX, "Flux de carbone", "tCO2e/an"),
        Measure(LAND_USE_CHANGE, "Surface ayant changé d'occupation des sols 2012-2018", "ha/an"),
        Measure(
            EU_CATEGORY_FLUX,
            "Flux de carbone par catégorie comptable de l'UE (UTCATF)",
            "tCO2e/an",
            detail_label="Catégorie comptable de l'UE",
            has_total=False,
        ),
    )
}

# Units in words (read-me sheets, API) and the decimals the site shows; files keep full precision.
UNIT_WORDS = {
    "tC": "tC : tonnes de carbone",
    "ha": "ha : hectares",
    "km": "km : kilomètres de linéaire",
    "ha/an": "ha/an : hectares par an (surface changée entre 2012 et 2018, ramenée à l'année)",
    "tC/ha": "tC/ha : tonnes de carbone par hectare",
    "tCO2e/an": "tCO2e/an : tonnes équivalent CO2 par an (moyenne annuelle 2012-2018)",
    "tCO2e": "tCO2e : tonnes équivalent CO2 (cumul sur plusieurs années)",
    "%": "% : pourcentage",
    "ktCO2e/an": "ktCO2e/an : milliers de tonnes équivalent CO2 par an",
    "MtCO2e/an": "MtCO2e/an : millions de tonnes équivalent CO2 par an",
    "gCO2e/MJ": "gCO2e/MJ : grammes équivalent CO2 par mégajoule d'énergie produite",
    "GWh": "GWh : gigawattheures",
    "GWh/an": "GWh/an : gigawattheures par an",
}
DECIMALS = {
    "tC": 0,
    "ha": 0,
    "km": 0,
    "ha/an": 1,
    "tC/ha": 1,
    "tCO2e/an": 0,
    "tCO2e": 0,
    "%": 1,
    "ktCO2e/an": 1,
    "MtCO2e/an": 1,
    "gCO2e/MJ": 1,
    "GWh": 0,
    "GWh/an": 0,
}
# Units of greenhouse-gas emissions an indicator series may use, in tonnes CO2e per year each (compensation share).
TONNES_CO2E_PER_YEAR = {"tCO2e/an": 1.0, "ktCO2e/an": 1e3, "MtCO2e/an": 1e6}
# The period of the ALDO fluxes (CORINE Land Cover changes 2012-2018, as an annual average), both releases.
FLUX_PERIOD = (2012, 2018)


def unit_of(measure: str, detail: str = "") -> str:
    """The unit of a stored figure: hedges are stored as an area row whose detail names their own unit (km or ha)."""
    if measure == AREA and detail:
        return detail
    return MEASURES[measure].unit


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
DETAIL_LABELS = {**RESERVOIRS, **FLUX_COMPONENTS}
# The flux components caused by land-use change (soil, litter and non-forest biomass; deforestation; N2O): their sum
# is the land-use-change emission the observatory publishes beside the net flux (METHOD.md §3.10).
LAND_USE_CHANGE_COMPONENTS = ("changement_occupation_sol", "deforestation_biomasse", "n2o_destockage_sol")
# The land_use of a flux_categorie_ue figure is the slug of its EU accounting category.
EU_CATEGORY_LABELS = {category.slug: category.label for category in EU_CATEGORIES}


def direction(value: float) -> str:
    """The sign of a flux in words, so that no reader depends on the sign (or a colour) alone."""
    if value < 0:
        return "séquestration nette"
    if value > 0:
        return "émission nette"
    return "flux nul"
