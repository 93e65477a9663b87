"""What differs between releases, as a set of small pure functions and flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

Formula = tuple[tuple[str, str], ...]
"""A soil reference flux as a sum of table values f(from flux id -> to flux id); the empty sum is the constant 0."""
ZERO: Formula = ()


@dataclass(frozen=True)
class HedgeFigures:
    measure: np.ndarray
    """Per unit: length in km (CHANTERELLE) or area in ha (HETRE)."""
    stock: np.ndarray
    rebuilt: np.ndarray


@dataclass(frozen=True)
class RuleSet:
    name: str
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
    hedge_unit: str
    hedge_figures: Callable[..., HedgeFigures]
