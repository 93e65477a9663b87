"""ALDO nomenclature (METHOD.md §1) and small helpers shared by both rule sets.

Land uses are handled as integer positions into `LAND_USES` so that per-unit figures can live in numpy arrays of
shape (units, land uses) or (units, from land use, to land use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

HETRE = "HETRE"
CHANTERELLE = "CHANTERELLE"

# The 14 level-2 land uses that have an area, in ALDO's order.
LAND_USES = (
    "cultures",
    "prairies zones herbacées",
    "prairies zones arbustives",
    "prairies zones arborées",
    "zones humides",
    "vergers",
    "vignes",
    "sols artificiels imperméabilisés",
    "sols artificiels arbustifs",
    "sols artificiels arborés et buissonants",
    "forêt feuillu",
    "forêt conifere",
    "forêt mixte",
    "forêt peupleraie",
)
N_LAND_USES = len(LAND_USES)
(
    CULTURES,
    PRAI_HERB,
    PRAI_ARBU,
    PRAI_ARBO,
    ZONES_HUMIDES,
    VERGERS,
    VIGNES,
    ART_IMP,
    ART_ENH,
    ART_ARB,
    FOR_FEUILLU,
    FOR_CONIFERE,
    FOR_MIXTE,
    FOR_PEUPLERAIE,
) = range(N_LAND_USES)
PRAIRIES = (PRAI_HERB, PRAI_ARBU, PRAI_ARBO)
ARTIFICIAL = (ART_IMP, ART_ENH, ART_ARB)
NON_ARTIFICIAL = tuple(land_use for land_use in range(N_LAND_USES) if land_use not in ARTIFICIAL)
FORESTS = (FOR_FEUILLU, FOR_CONIFERE, FOR_MIXTE, FOR_PEUPLERAIE)
NON_FOREST = tuple(land_use for land_use in range(N_LAND_USES) if land_use not in FORESTS)

HEDGES = "haies"
WOOD_PRODUCTS = "produits bois"
PRAIRIES_PARENT = "prairies"
TOTAL = "total"

# IGN compositions, in the order of FORESTS.
COMPOSITIONS = ("Feuillu", "Conifere", "Mixte", "Peupleraie")
N_COMPOSITIONS = len(COMPOSITIONS)
VAT_FACTOR_CONSTANTS = ("bft_to_vat_feuillu", "bft_to_vat_conifere", "bft_to_vat_mixte", "bft_to_vat_peupleraie")

LAND_USE_FLUX_ID = (
    "cult",
    "prai",
    "prai",
    "prai",
    "zh",
    "verg",
    "vign",
    "art_imp",
    "art_enh",
    "art_arb",
    "for",
    "for",
    "for",
    "for",
)
FLUX_IDS = ("cult", "prai", "zh", "verg", "vign", "art_imp", "art_enh", "art_arb", "for")
FLUX_ID_POSITION = {flux_id: position for position, flux_id in enumerate(FLUX_IDS)}

LAND_USE_SOIL_CLASS = (
    "cultures",
    "prairies",
    "prairies",
    "prairies",
    "zones humides",
    "vergers",
    "vignes",
    "sols artificiels imperméabilisés",
    "sols artificiels enherbés",
    "sols artificiels arborés et buissonants",
    "forêts",
    "forêts",
    "forêts",
    "forêts",
)

# CLC classes: groups of CLC 2018 codes that read as one source of area (METHOD.md §1). Impermeable and grassy
# artificial soils share the "built" codes; 141 is the treed artificial class; forest codes only serve land-use change.
CLC_CLASS_CODES = (
    ("211", "212", "213", "241", "242", "243", "244"),
    ("231", "321"),
    ("322",),
    ("323",),
    ("411", "412", "421", "422", "423", "511", "512", "521", "522", "523"),
    ("222", "223"),
    ("221",),
    ("111", "112", "121", "122", "123", "124", "131", "132", "133", "142"),
    ("141",),
    ("311",),
    ("312",),
    ("313", "324"),
)
CLC_BUILT, CLC_TREED = 7, 8
N_AREA_CLC_CLASSES = CLC_TREED + 1
"""CLC classes 0 … CLC_TREED give unit land-use areas; the forest classes after them only serve land-use change."""
N_CLC_CLASSES = len(CLC_CLASS_CODES) + 1  # the last class is an always-empty one for land uses without CLC codes
NO_CLC_CLASS = N_CLC_CLASSES - 1
CLC_CODE_CLASS = {code: position for position, codes in enumerate(CLC_CLASS_CODES) for code in codes}
LAND_USE_CLC_CLASS = np.array([0, 1, 2, 3, 4, 5, 6, CLC_BUILT, CLC_BUILT, CLC_TREED, 9, 10, 11, NO_CLC_CLASS])

# Stock reservoirs.
SOIL = "sol"
BIOMASS = "biomasse"
LIVE_BIOMASS = "biomasse vivante"
DEAD_WOOD = "biomasse morte"
LITTER = "litière"
LUMBER = "BO"
INDUSTRIAL_WOOD = "BI"

# Flux components (observatory vocabulary).
LAND_USE_CHANGE = "changement_occupation_sol"
DEFORESTATION = "deforestation_biomasse"
N2O_DESTOCKING = "n2o_destockage_sol"
FOREST_GROWTH = "croissance_biomasse_foret"
WOOD_FLUX = "produits_bois"
AGRICULTURAL_PRACTICES = "pratiques_agricoles"  # only in scenarios: no practice is declared in published figures

# Paris, Lyon and Marseille: selecting the commune adds its municipal arrondissements (METHOD.md §5).
ARRONDISSEMENTS = {
    "75056": tuple(str(code) for code in range(75101, 75121)),
    "13055": tuple(str(code) for code in range(13201, 13217)),
    "69123": tuple(str(code) for code in range(69381, 69390)),
}


def clc_classes(codes: pd.Series) -> np.ndarray:
    """The CLC class of each CLC code (-1 for a code that gives no land use)."""
    return codes.map(CLC_CODE_CLASS).fillna(-1).to_numpy(dtype=int)


def group_sum(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Sum `weights` by integer `index` in [0, size), as float64 even when there is nothing to sum (numpy's bincount
    then returns integers, which would truncate the areas later written into the array)."""
    return np.bincount(index, weights=weights, minlength=size)[:size].astype(float)


@dataclass(frozen=True)
class InputQuantity:
    """Per unit: how much of one input the engine read (ha, or km of hedges), and the part of it read from rows
    whose provenance is not original."""

    total: np.ndarray
    rebuilt: np.ndarray


def input_quantity(unit: np.ndarray, quantity: np.ndarray, rebuilt: np.ndarray, size: int) -> InputQuantity:
    """Sum the rows' `quantity` per unit position `unit` in [0, size); rows with unit < 0 are not read."""
    read = unit >= 0
    return InputQuantity(
        total=group_sum(unit[read], quantity[read], size),
        rebuilt=group_sum(unit[read], np.where(rebuilt[read], quantity[read], 0.0), size),
    )
