"""ALDO land-use nomenclature (METHOD.md §1) as plain data: importable without the database, and the one source of
the labels, display order and colours that pages, charts, files and the API show.

Slugs
    Level-2 slugs are ALDO's own ids, verbatim (``"forêt feuillu"``, ``"prairies zones arborées"``…), so figures
    keyed by ALDO ids join without translation. Six level-1 names are identical to a level-2 id (``cultures``,
    ``zones humides``, ``vergers``, ``vignes``, ``haies``, ``produits bois``), and a slug names one entry, so
    **every level-1 slug is the level-1 name prefixed with ``groupe:``** (``"groupe:cultures"``,
    ``"groupe:forêts"``…). Use :func:`level1_slug` rather than building the string by hand.

Colours
    Level-1 hues come from Paul Tol's "muted" qualitative scheme (https://personal.sron.nl/~pault/#sec:qualitative,
    designed to stay distinguishable with colour-vision deficiencies). Children of a multi-child group are
    darker/lighter shades of their parent's hue (lightness steps chosen by hand around the Tol colour); a group with
    a single child gives it its own colour. Charts must not rely on colour alone (labels, order, patterns).
"""

from dataclasses import dataclass

LEVEL1_PREFIX = "groupe:"


@dataclass(frozen=True)
class LandUseDef:
    slug: str
    level: int
    label: str
    color: str
    display_order: int
    parent: str | None = None  # slug of the level-1 group for level-2 entries


def level1_slug(name: str) -> str:
    """Slug of a level-1 group from ALDO's ``land_use_level1`` name: ``"forêts"`` → ``"groupe:forêts"``."""
    return f"{LEVEL1_PREFIX}{name}"


# (level-1 ALDO name, French label, Tol muted colour, [(level-2 ALDO id, French label, colour), …])
_NOMENCLATURE = [
    ("cultures", "Cultures", "#DDCC77", [("cultures", "Cultures", "#DDCC77")]),
    (
        "prairies",
        "Prairies",
        "#44AA99",
        [
            ("prairies zones herbacées", "Prairies – zones herbacées", "#8FD1C5"),
            ("prairies zones arbustives", "Prairies – zones arbustives", "#44AA99"),
            ("prairies zones arborées", "Prairies – zones arborées", "#2A6E63"),
        ],
    ),
    ("zones humides", "Zones humides", "#88CCEE", [("zones humides", "Zones humides", "#88CCEE")]),
    ("vergers", "Vergers", "#CC6677", [("vergers", "Vergers", "#CC6677")]),
    ("vignes", "Vignes", "#882255", [("vignes", "Vignes", "#882255")]),
    (
        "sols artificiels",
        "Sols artificiels",
        "#332288",
        [
            ("sols artificiels imperméabilisés", "Sols artificiels imperméabilisés", "#1E1452"),
            ("sols artificiels arbustifs", "Sols artificiels enherbés et arbustifs", "#5546B0"),
            ("sols artificiels arborés et buissonants", "Sols artificiels arborés et buissonnants", "#9488D6"),
        ],
    ),
    (
        "forêts",
        "Forêts",
        "#117733",
        [
            ("forêt feuillu", "Forêts de feuillus", "#0A4A20"),
            ("forêt conifere", "Forêts de conifères", "#117733"),
            ("forêt mixte", "Forêts mixtes", "#4FA266"),
            ("forêt peupleraie", "Peupleraies", "#9ACDA5"),
        ],
    ),
    ("haies", "Haies", "#999933", [("haies", "Haies", "#999933")]),
    ("produits bois", "Produits bois", "#AA4499", [("produits bois", "Produits bois", "#AA4499")]),
]


def _build() -> tuple[LandUseDef, ...]:
    entries = []
    for group_index, (name, label, color, children) in enumerate(_NOMENCLATURE, start=1):
        parent = level1_slug(name)
        entries.append(LandUseDef(parent, 1, label, color, group_index * 10))
        for child_index, (slug, child_label, child_color) in enumerate(children, start=1):
            entries.append(LandUseDef(slug, 2, child_label, child_color, group_index * 10 + child_index, parent))
    return tuple(entries)


#: Every land use, level-1 groups immediately followed by their children, in display order.
LAND_USES: tuple[LandUseDef, ...] = _build()
BY_SLUG: dict[str, LandUseDef] = {entry.slug: entry for entry in LAND_USES}
LEVEL1: tuple[LandUseDef, ...] = tuple(entry for entry in LAND_USES if entry.level == 1)
LEVEL2: tuple[LandUseDef, ...] = tuple(entry for entry in LAND_USES if entry.level == 2)
#: ALDO level-2 id → level-1 slug.
PARENT_OF: dict[str, str] = {entry.slug: entry.parent for entry in LEVEL2}
LABELS: dict[str, str] = {entry.slug: entry.label for entry in LAND_USES}
COLORS: dict[str, str] = {entry.slug: entry.color for entry in LAND_USES}
ORDER: dict[str, int] = {entry.slug: entry.display_order for entry in LAND_USES}


def label(land_use: str) -> str:
    """French label of an ALDO land-use id; hedges measured in another unit keep it (``"haies (km)"``)."""
    name, _, unit = land_use.partition(" (")
    text = LABELS.get(name, name)
    return f"{text} ({unit}" if unit else text
