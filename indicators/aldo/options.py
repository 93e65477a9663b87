"""What a user may change in a computation, as in the "Configuration" tab of ALDO's web app.

The default options give the published figures: a scenario is the same computation with other options, never a
second implementation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

HARVEST, CONSUMPTION = "recolte", "consommation"
WOOD_PRODUCT_APPROACHES = (HARVEST, CONSUMPTION)
"""Wood products (METHOD.md §2.6, §3.8): the harvest of the territory's forests (default), or its population's share
of the national stock and sink."""


@dataclass(frozen=True)
class Options:
    share_impermeable: float | None = None
    """Share of impermeable land in artificial soils (METHOD.md §2.1, §3.1), in [0, 1]; None: the release's
    constant default_share_impermeable."""
    wood_products: str = HARVEST
    """One of WOOD_PRODUCT_APPROACHES."""
    practices: Mapping[str, float] = field(default_factory=dict)
    """Agricultural practice (a key of the rule set's `practices`) -> hectares where it is in place (METHOD.md
    §3.9)."""
    artificialisation: float = 1.0
    """Factor on the land-use changes whose final land use is an artificial soil (1 = as observed 2012-2018)."""
    deforestation: float = 1.0
    """Factor on the land-use changes out of a forest into another land use (1 = as observed 2012-2018)."""

    def check(self, practices: Mapping) -> None:
        """ValueError if an option is outside its domain; `practices` are those of the bundle's rule set."""
        if self.share_impermeable is not None and not 0 <= self.share_impermeable <= 1:
            raise ValueError(f"share_impermeable must be in [0, 1], not {self.share_impermeable!r}")
        if self.wood_products not in WOOD_PRODUCT_APPROACHES:
            raise ValueError(f"wood_products must be one of {WOOD_PRODUCT_APPROACHES}, not {self.wood_products!r}")
        for name, area in self.practices.items():
            if name not in practices:
                raise ValueError(f"unknown practice {name!r} for this rule set; known: {', '.join(practices)}")
            if not (math.isfinite(area) and area >= 0):
                raise ValueError(f"practice {name!r}: the area must be a finite number ≥ 0, not {area!r}")
        for name in ("artificialisation", "deforestation"):
            factor = getattr(self, name)
            if not (math.isfinite(factor) and factor >= 0):
                raise ValueError(f"{name} must be a finite factor ≥ 0, not {factor!r}")

    def share(self, constants: Mapping[str, float]) -> float:
        """The share of impermeable land used: the option, else the release's default."""
        return constants["default_share_impermeable"] if self.share_impermeable is None else self.share_impermeable


DEFAULT_OPTIONS = Options()
