"""The EU LULUCF frame (regulation (EU) 2018/841 as amended) that the territory's flux is read against.

Accounting categories come from the engine (``aldo.EU_CATEGORIES``, one per flux entry); this module holds what the
regulation says around them: the greenhouse gases and carbon pools of annex I, the default half-lives of harvested
wood products of annex V and how ALDO's wood products differ, and France's forest reference level of annex IV.
"""

from .numbers import format_number

REGULATION = (
    "Règlement (UE) 2018/841 du 30 mai 2018 relatif à la prise en compte des émissions et des absorptions de gaz à "
    "effet de serre résultant de l'utilisation des terres, du changement d'affectation des terres et de la foresterie "
    "(UTCATF), modifié"
)
GASES = ("dioxyde de carbone (CO2)", "méthane (CH4)", "protoxyde d'azote (N2O)")
POOLS = (
    "biomasse aérienne",
    "biomasse souterraine",
    "litière",
    "bois mort",
    "carbone organique du sol",
    "produits ligneux récoltés (catégories des terres boisées et des terres forestières gérées)",
)
# Annex V: default half-lives of harvested wood products, in years.
HALF_LIVES = (("papier", 2), ("panneaux de bois", 25), ("bois de sciage", 35))
# Annex IV, C: France's forest reference level 2021-2025, t CO2e per year (observatory sign: a sink is negative).
FOREST_REFERENCE_LEVEL = -55_399_290
FOREST_REFERENCE_PERIOD = "2021-2025"

POOLS_NOTE = (
    "Gaz comptés (annexe I) : "
    + ", ".join(GASES)
    + ". Réservoirs de carbone (annexe I) : "
    + ", ".join(POOLS)
    + ". ALDO compte la biomasse (aérienne et racinaire ensemble), la litière et le bois mort des forêts, le sol "
    "sur 30 cm et les produits bois."
)
WOOD_PRODUCTS_NOTE = (
    "Produits bois : le règlement suit chaque catégorie de produits ligneux récoltés avec une fonction de "
    "dégradation de premier ordre et des demi-vies par défaut (annexe V : "
    + ", ".join(f"{product} {years} ans" for product, years in HALF_LIVES)
    + "). ALDO ne refait pas ce calcul : il attribue au territoire une part du flux national des produits bois "
    "(inventaire du CITEPA), au prorata de sa récolte de bois d'œuvre et de bois d'industrie (approche « récolte »), "
    "sans distinguer papier, panneaux et sciages ni l'origine du bois ; l'observatoire range ce flux dans les terres "
    "forestières gérées."
)
FOREST_REFERENCE_NOTE = (
    f"Niveau de référence pour les forêts de la France {FOREST_REFERENCE_PERIOD} (annexe IV) : "
    f"{format_number(FOREST_REFERENCE_LEVEL)} t CO2e par an (séquestration nette). C'est l'aune à laquelle l'UE "
    "compte le puits des terres forestières gérées du pays ; le donner pour un territoire ne sert qu'à situer son "
    "puits forestier."
)
