"""Context of the territory page's national and European frames: the SNBC frame and the compensation share
(``indicators.frames``), and the method page's section on both and on the EU accounting categories."""

from ..aldo import EU_CATEGORIES
from ..frames import FLUX_YEARS, SUBSECTORS, territory_frames
from ..lulucf import FOREST_REFERENCE_NOTE, POOLS_NOTE, REGULATION, WOOD_PRODUCTS_NOTE
from .html_tables import html_table


def frames_context(figures) -> dict:
    """What ``pages/_snbc_frame.html`` and ``pages/_compensation.html`` show, from the territory's figures."""
    frames = territory_frames(figures)
    return {
        "snbc_frame": {
            "table": html_table(frames.snbc),
            "mapping": [(subsector.label, subsector.rule) for subsector in SUBSECTORS],
            "flux_years": FLUX_YEARS,
        },
        "compensation": frames.compensation,
    }


def method_frames() -> dict:
    """What the method page's section ``pages/_method_frames.html`` states."""
    return {
        "snbc_mapping": [(subsector.label, subsector.rule) for subsector in SUBSECTORS],
        "eu_categories": EU_CATEGORIES,
        "eu_regulation": REGULATION,
        "eu_notes": [POOLS_NOTE, WOOD_PRODUCTS_NOTE, FOREST_REFERENCE_NOTE],
        "flux_years": FLUX_YEARS,
    }
