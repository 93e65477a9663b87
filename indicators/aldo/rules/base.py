"""One ALDO calculation method ("rule set"): what users read about it, what its bundles hold, how they are checked and
how they are computed. A release names its method in its manifest (`aldo_release`); a new release of an existing
method needs no code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import Frames, ProblemCollector
from ..common import InputQuantity
from ..specs import TableSpec

Formula = tuple[tuple[str, str], ...]
"""A soil reference flux as a sum of table values f(from flux id -> to flux id); the empty sum is the constant 0."""
ZERO: Formula = ()


@dataclass(frozen=True)
class HedgeFigures:
    quantity: InputQuantity
    """Per unit: length in km (CHANTERELLE) or area in ha (HETRE)."""
    stock: np.ndarray
    rebuilt: np.ndarray
    """Per unit: whether the hedge stock depends on a row whose provenance is not original."""


@dataclass(frozen=True)
class Practice:
    """An agricultural practice a scenario may declare (METHOD.md §3.9): its flux is hectares × (soil + biomass)."""

    label: str
    """French, as ALDO's web app names it."""
    land_use: str
    """Where its flux is reported, as ALDO does: "cultures", "prairies" (the level-1 parent), "vignes", "vergers"."""
    soil: float
    """tC/ha/yr stored in the soil (ALDO sign: positive = sequestration)."""
    biomass: float
    """tC/ha/yr stored in the biomass."""


@dataclass(frozen=True)
class RuleSet:
    # What users read.
    name: str
    """The manifest's `aldo_release` (e.g. "CHANTERELLE")."""
    label: str
    """Short French label, e.g. "calcul par commune"."""
    method_note: str
    """French: what this method computes and how it differs from the other methods."""
    unit_kind: str
    """The computation unit: "commune" or "epci"."""
    hedge_unit: str
    """Unit of the hedge quantity: "km" (length) or "ha" (area)."""

    # What its bundles hold, and how they are checked.
    tables: Mapping[str, TableSpec]
    """Every table its bundles may have, in the order problems are reported; all are required but the
    alternatives of `exclusive_tables`."""
    exclusive_tables: tuple[tuple[str, ...], ...]
    """Groups of alternative tables: a bundle holds exactly one table of each group."""
    constants: tuple[str, ...]
    """Names constants.csv must define."""
    check_references: Callable[[Frames, ProblemCollector], None]
    """Checks across tables: unit ids and lookup keys that must exist elsewhere in the bundle."""

    # How they are computed.
    soil_key_column: str
    """Column of `Bundle.units` holding the key into ref_soil_*."""
    biomass_key_column: str
    """Column of `Bundle.units` holding the key into ref_biomass_*."""
    forest_row_units: Callable[[pd.DataFrame, pd.Index], np.ndarray]
    """forest_areas.csv rows, unit ids -> position of the unit of each row, -1 if none (as ALDO selects rows)."""
    pair_considered: Callable[[int, int], bool]
    """Whether the soil and litter fluxes of a (from, to) pair of land uses are evaluated at all."""
    soil_flux_formulas: Callable[[int, int], list[Formula]]
    """Candidate formulas for f(from -> to), in order; the first that gives a number wins."""
    soil_flux_spread: Callable[[int, int], bool]
    """True when the soil reference is per year over `soil_transition_years` (multiplier 20), False when it is
    a whole-transition value (multiplier 1)."""
    forest_density_plain_mean_without_area: bool
    """Forest live/dead densities when the forest area is 0: plain mean of the rows (True) or 0 (False)."""
    keep_zero_flux_entries: bool
    deforestation_into_prairies_parent: bool
    hedge_figures: Callable[..., HedgeFigures]
    practices: Mapping[str, Practice]
    """The agricultural practices of its web app, by the name scenarios use (e.g. "haies_cultures"), in order."""

    @property
    def choice_label(self) -> str:
        """E.g. "CHANTERELLE (calcul par commune)", for lists of choices."""
        return f"{self.name} ({self.label})"
