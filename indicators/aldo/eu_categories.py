"""EU LULUCF accounting categories (regulation (EU) 2018/841 as amended, article 2) of ALDO's flux entries.

Every flux entry has an initial land use (none for forest growth and wood products) and a final one; the pair gives
its accounting category of land. Each entry falls in exactly one category, so a territory's categories add up to its
net flux. The rules, by the IPCC land category of each ALDO land use:

* forest becoming forest, forest growth and harvested wood products: managed forest land (annex I places harvested
  wood products in the afforested and managed forest land categories; ALDO does not tell them apart);
* anything else becoming forest: afforested land; forest becoming anything else: deforested land;
* anything becoming cropland (orchards and vineyards are cropland): managed cropland; likewise grassland;
* cropland becoming wetland or settlements: managed cropland; likewise grassland;
* wetland remaining wetland, settlements becoming wetland and wetland becoming settlements: managed wetland (an
  accounting category from 2026);
* what the regulation leaves out, such as settlements remaining settlements: outside the accounting categories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .common import ARTIFICIAL, CULTURES, FORESTS, N_LAND_USES, PRAIRIES, VERGERS, VIGNES, ZONES_HUMIDES
from .fluxes import FLUX_TARGETS, PRAIRIES_PARENT_TARGET, WOOD_TARGET, FluxEntries

FOREST, CROPLAND, GRASSLAND, WETLAND, SETTLEMENT = "forest", "cropland", "grassland", "wetland", "settlement"

# IPCC land category of each final land use of a flux entry (FLUX_TARGETS): the 14 land uses, wood products (from the
# forest) and HETRE's parent "prairies".
TARGET_CATEGORY = [""] * len(FLUX_TARGETS)
for _positions, _category in (
    ((CULTURES, VERGERS, VIGNES), CROPLAND),
    ((*PRAIRIES, PRAIRIES_PARENT_TARGET), GRASSLAND),
    ((ZONES_HUMIDES,), WETLAND),
    (ARTIFICIAL, SETTLEMENT),
    ((*FORESTS, WOOD_TARGET), FOREST),
):
    for _position in _positions:
        TARGET_CATEGORY[_position] = _category


@dataclass(frozen=True)
class EuCategory:
    slug: str
    label: str
    rule: str
    """French: which entries the category holds, as the regulation defines it."""


EU_CATEGORIES = (
    EuCategory(
        "terres_boisees",
        "Terres boisées",
        "Terres cultivées, prairies, zones humides ou sols artificiels devenus forêt (article 2, i).",
    ),
    EuCategory(
        "terres_deboisees",
        "Terres déboisées",
        "Forêt devenue culture, prairie, zone humide ou sol artificiel : défrichement de la biomasse, sol, litière "
        "et N2O (article 2, ii).",
    ),
    EuCategory(
        "terres_cultivees",
        "Terres cultivées gérées",
        "Terres devenues cultures, vergers ou vignes, et cultures devenues zones humides ou sols artificiels "
        "(article 2, iii).",
    ),
    EuCategory(
        "prairies",
        "Prairies gérées",
        "Terres devenues prairies, et prairies devenues zones humides ou sols artificiels (article 2, iv).",
    ),
    EuCategory(
        "terres_forestieres",
        "Terres forestières gérées",
        "Forêt demeurant forêt : croissance nette des forêts, et produits bois, que l'annexe I rattache aux terres "
        "boisées et forestières gérées (article 2, v).",
    ),
    EuCategory(
        "zones_humides",
        "Zones humides gérées",
        "Zones humides demeurant zones humides, sols artificiels devenus zones humides et zones humides devenues "
        "sols artificiels : catégorie comptable à partir de 2026 (article 2, paragraphe 2).",
    ),
    EuCategory(
        "hors_categories",
        "Hors catégories comptables",
        "Ce que le règlement ne compte pas, par exemple un sol artificiel devenu un autre sol artificiel.",
    ),
)
CATEGORY_SLUGS = tuple(category.slug for category in EU_CATEGORIES)
(AFFORESTED, DEFORESTED, MANAGED_CROPLAND, MANAGED_GRASSLAND, MANAGED_FOREST, MANAGED_WETLAND, OUTSIDE) = range(
    len(EU_CATEGORIES)
)


def category_of(initial: str | None, final: str) -> int:
    """Position in EU_CATEGORIES of an entry from IPCC land category ``initial`` (None: no initial land use, i.e.
    forest growth or wood products) to ``final``."""
    if initial is None or (initial == FOREST and final == FOREST):
        return MANAGED_FOREST
    if final == FOREST:
        return AFFORESTED
    if initial == FOREST:
        return DEFORESTED
    for category, position in ((CROPLAND, MANAGED_CROPLAND), (GRASSLAND, MANAGED_GRASSLAND)):
        if final == category:
            return position
    for category, position in ((CROPLAND, MANAGED_CROPLAND), (GRASSLAND, MANAGED_GRASSLAND)):
        if initial == category:
            return position
    if WETLAND in (initial, final):
        return MANAGED_WETLAND
    return OUTSIDE


def _category_table() -> np.ndarray:
    """(1 + land uses, FLUX_TARGETS) table: the category of an entry from ``source + 1`` (0: no source) to target."""
    initial_categories = [None, *TARGET_CATEGORY[:N_LAND_USES]]  # sources are the land uses
    return np.array(
        [[category_of(initial, final) for final in TARGET_CATEGORY] for initial in initial_categories], dtype=np.int64
    )


CATEGORY_TABLE = _category_table()


def entry_categories(entries: FluxEntries) -> np.ndarray:
    """The position in EU_CATEGORIES of each entry."""
    return CATEGORY_TABLE[entries.source + 1, entries.target]
