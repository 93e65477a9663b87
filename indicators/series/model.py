"""What an indicator series is, once read: its metadata, rows, places (zones) and points, and what its values are
checked against (``Reference``). Plain data, shared by validation, storage and the surfaces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

NATIONAL = "national"
FORMER_REGION = "ancienne_region"
EMISSIONS_ROLE = "emissions"


@dataclass(frozen=True)
class Zone:
    """A place a value is given for: a territory of the site, or a reference zone (France, a former region)."""

    kind: str
    code: str
    name: str
    departements: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)


@dataclass(frozen=True)
class Dimension:
    column: str
    label: str


@dataclass(frozen=True)
class SeriesMetadata:
    slug: str
    name: str
    definition: str
    unit: str
    sign_convention: str
    source: str
    licence: str
    geography: str
    frequency: str
    short_name: str = ""
    dimensions: tuple[Dimension, ...] = ()
    tables_by: str = ""
    role: str = ""
    chart: str = ""  # "" (chosen from the periods), "bar", "line" or "column"
    note: str = ""
    reference_label: str = ""
    in_words: bool = False
    decimals: int | None = None

    @property
    def sheet_name(self) -> str:
        return self.short_name or self.slug[:31]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> SeriesMetadata:
        return cls(**{**data, "dimensions": tuple(Dimension(**dimension) for dimension in data.get("dimensions", ()))})


@dataclass(frozen=True)
class SeriesRow:
    kind: str
    code: str
    period: str
    dimensions: tuple[str, ...]
    value: float
    line: int


@dataclass(frozen=True)
class SeriesFile:
    metadata: SeriesMetadata
    rows: list[SeriesRow]


@dataclass(frozen=True)
class Point:
    """One stored value, with its place."""

    zone: Zone
    period: str
    dimensions: tuple[str, ...]
    value: float


@dataclass(frozen=True)
class TerritorySeries:
    """One series as one territory sees it."""

    points: tuple[Point, ...]
    """The territory's own values, or those of the reference zones it lies in (a former region)."""
    reference: tuple[Point, ...]
    """The series' national values (context for the points above)."""

    @property
    def zones(self) -> list[Zone]:
        return list(dict.fromkeys(point.zone for point in self.points))

    @property
    def inherited(self) -> bool:
        """True when the values are those of a zone the territory lies in, not the territory's own."""
        return any(zone.kind == FORMER_REGION for zone in self.zones)


@dataclass(frozen=True)
class Reference:
    """What a series is checked against."""

    territories: Mapping[str, frozenset[tuple[str, str]]]
    """Geography code → (kind, code) of every territory of that geography."""
    territory_kinds: frozenset[str]
    zones: Mapping[tuple[str, str], Zone]
    units: frozenset[str]
    emission_units: frozenset[str]
    """Units an emissions series may use (convertible to t CO2e per year)."""
    reserved_slugs: frozenset[str] = field(default_factory=frozenset)
