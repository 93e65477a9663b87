"""Lookup over one territory's stored figures, the one shape every table, chart and file is built from.

Plain dictionaries, no pandas: a page reads a few hundred figures and must build its tables in milliseconds.
A missing figure reads as 0 (zero figures are not stored). ``series`` holds the territory's values of the published
indicator series (``indicators.series.selectors.territory_series``), when the reader asked for them.
"""

from collections.abc import Iterable, Mapping

from territories import land_uses

from .measures import AREA, FLUX, HEDGES, LAND_USE_CHANGE_COMPONENTS, STOCK, STOCK_PER_HECTARE, TOTAL

Key = tuple[str, str, str]  # (measure, land use, detail)
Row = tuple[str, str, str, float, str]  # (measure, land use, detail, value, provenance)


def _land_use_order(land_use: str) -> tuple[int, str]:
    return (land_uses.ORDER.get(land_use, 10_000), land_use)


class Figures:
    def __init__(self, rows: Iterable[Row] = (), series: Mapping | None = None):
        self.series = dict(series or {})
        self._values: dict[Key, float] = {}
        self._rebuilt: set[Key] = set()
        for measure, land_use, detail, value, provenance in rows:
            key = (measure, land_use, detail)
            self._values[key] = self._values.get(key, 0.0) + value
            if provenance != "original":
                self._rebuilt.add(key)
        # Sums a table reads for many cells, made once: a land use over its details, a detail over the land uses.
        self._land_use_sums: dict[tuple[str, str], float] = {}
        self._detail_sums: dict[tuple[str, str], float] = {}
        for (measure, land_use, detail), value in self._values.items():
            self._land_use_sums[measure, land_use] = self._land_use_sums.get((measure, land_use), 0.0) + value
            if land_use != TOTAL:
                self._detail_sums[measure, detail] = self._detail_sums.get((measure, detail), 0.0) + value

    def __bool__(self) -> bool:
        return bool(self._values)

    def get(self, measure: str, land_use: str = TOTAL, detail: str = "") -> float:
        return self._values.get((measure, land_use, detail), 0.0)

    def is_rebuilt(self, measure: str, land_use: str = TOTAL, detail: str = "") -> bool:
        return (measure, land_use, detail) in self._rebuilt

    def total(self, measure: str) -> float:
        """The stored territory total, else the sum of the land uses (stock per hectare: total stock / area)."""
        if (measure, TOTAL, "") in self._values:
            return self._values[(measure, TOTAL, "")]
        if measure == STOCK_PER_HECTARE:
            area = self.total(AREA)
            return self.total(STOCK) / area if area else 0.0
        return sum(value for (m, lu, _), value in self._values.items() if m == measure and lu != TOTAL)

    def land_uses(self, measure: str) -> list[str]:
        """Level-2 land uses with a figure for ``measure``, in display order (areas: only those in hectares)."""
        present = {lu for m, lu, d in self._values if m == measure and lu != TOTAL and not (m == AREA and d)}
        return sorted(present, key=_land_use_order)

    def details(self, measure: str, order: Iterable[str]) -> list[str]:
        """Details (reservoirs or flux components) present for ``measure``: known ones in ``order``, then others."""
        present = {d for m, lu, d in self._values if m == measure and lu != TOTAL and d}
        known = [d for d in order if d in present]
        return known + sorted(present - set(known))

    def items(self, measure: str) -> list[tuple[Key, float]]:
        """Every stored (measure, land use, detail) → value of ``measure``."""
        return [(key, value) for key, value in self._values.items() if key[0] == measure]

    def of_land_use(self, measure: str, land_use: str) -> float:
        """A land use's figure: its undetailed row if stored, else the sum of its details. An area is only ever
        the undetailed row: hedges are stored as a detailed area row in their own unit (``hedges``)."""
        if (measure, land_use, "") in self._values or measure == AREA:
            return self._values.get((measure, land_use, ""), 0.0)
        return self._land_use_sums.get((measure, land_use), 0.0)

    def hedges(self) -> tuple[float, str] | None:
        """Hedges as the release measures them: (length, "km") or (area, "ha"); they are not part of the areas."""
        for (measure, land_use, detail), value in self._values.items():
            if measure == AREA and land_use == HEDGES and detail:
                return value, detail
        return None

    def of_detail(self, measure: str, detail: str) -> float:
        """A reservoir's (or component's) figure summed over the land uses."""
        return self._detail_sums.get((measure, detail), 0.0)

    def land_use_change_flux(self) -> float:
        """Emissions (or sequestration) due to land-use change, as one figure: the sum of its flux components."""
        return sum(self.of_detail(FLUX, component) for component in LAND_USE_CHANGE_COMPONENTS)

    def of_group(self, measure: str, group: str) -> float:
        """A level-1 group's figure: the sum of its level-2 land uses."""
        return sum(
            self.of_land_use(measure, lu) for lu in self.land_uses(measure) if land_uses.PARENT_OF.get(lu) == group
        )
