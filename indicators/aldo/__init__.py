"""ALDO calculation engine: a release bundle in, tidy DataFrames out (no Django here).

bundle = load_bundle(path)            # folder or .zip, validated
result = compute(bundle, {"key": ["59350", "59009"]})
result.values                         # territory, measure, land_use, detail, value, provenance
compute(bundle, territories, options=Options(wood_products=CONSUMPTION))   # a scenario: the same engine, other options

The calculation methods (HETRE, CHANTERELLE) are declared once, in `rules`: RULE_SETS / rules_for(name) give each
one's French label, unit kind, hedge unit and method note (RULE_SET_CHOICES for a list of choices, release_note for
the note of one release from its manifest). `EU_CATEGORIES` are the EU LULUCF accounting categories each flux entry
falls in (measure `EU_CATEGORY_FLUX`).
"""

from .bundle import Bundle, load_bundle
from .engine import EU_CATEGORY_FLUX, INPUT_LABELS, EngineResult, compute
from .eu_categories import EU_CATEGORIES, EuCategory
from .land_use_changes import ARTIFICIALISATION_PAIRS, DEFORESTATION_PAIRS, area_of_pairs
from .options import CONSUMPTION, DEFAULT_OPTIONS, HARVEST, WOOD_PRODUCT_APPROACHES, Options
from .problems import InvalidBundle
from .rules import COMPARISON_NOTE, RULE_SET_CHOICES, RULE_SETS, Practice, RuleSet, release_note, rules_for

__all__ = [
    "ARTIFICIALISATION_PAIRS",
    "DEFORESTATION_PAIRS",
    "COMPARISON_NOTE",
    "EU_CATEGORIES",
    "EU_CATEGORY_FLUX",
    "CONSUMPTION",
    "DEFAULT_OPTIONS",
    "HARVEST",
    "INPUT_LABELS",
    "RULE_SETS",
    "RULE_SET_CHOICES",
    "WOOD_PRODUCT_APPROACHES",
    "Bundle",
    "EngineResult",
    "EuCategory",
    "InvalidBundle",
    "Options",
    "Practice",
    "RuleSet",
    "area_of_pairs",
    "compute",
    "load_bundle",
    "release_note",
    "rules_for",
]
