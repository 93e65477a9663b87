"""Reading: the files a vintages declaration names → the desired state of the territories (no database access).

Every value is read through the declaration's column maps (``vintages.toml``); nothing here knows a file or a
column name. Errors name the file, the line and the column.
"""

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import declaration
from .declaration import Column, CrosswalkFile, MemberFile, SourceError, SourceFile, Vintage
from .models import TerritoryKind
from .text import normalize

Key = tuple[str, str, str]  # (kind, code, geography): a territory's natural key


@dataclass
class TerritorySpec:
    """A territory as the source describes it."""

    kind: str
    code: str
    geography: str
    name: str
    origin: str  # file and line, for messages
    population: int | None = None
    area_ha: float | None = None
    in_region: bool = True
    attributes: dict = field(default_factory=dict)
    geometry: dict | None = None

    @property
    def key(self) -> Key:
        return (self.kind, self.code, self.geography)

    def values(self) -> dict:
        return {
            "name": self.name,
            "search_text": f"{normalize(self.name)} {self.code.lower()}"[:300],
            "population": self.population,
            "area_ha": self.area_ha,
            "in_region": self.in_region,
            "attributes": self.attributes,
            "geometry": self.geometry,
        }


@dataclass(frozen=True)
class Member:
    """A commune's membership of a group, and where it comes from."""

    status: str
    origin: str


@dataclass(frozen=True)
class Link:
    """A crosswalk pair's area shares (see ``Correspondence``) and where they come from."""

    share_of_source: float
    share_of_target: float
    origin: str


@dataclass
class Plan:
    """The desired state: territories, memberships and the crosswalk of the declared vintages."""

    vintages: tuple[Vintage, ...]
    specs: dict[Key, TerritorySpec] = field(default_factory=dict)
    memberships: dict[tuple[Key, Key], Member] = field(default_factory=dict)  # (group, commune) → status
    correspondences: dict[tuple[Key, Key], Link] = field(default_factory=dict)  # (ALDO, other) → shares

    @property
    def geographies(self) -> tuple[str, ...]:
        return tuple(vintage.code for vintage in self.vintages)

    @property
    def aldo(self) -> Vintage:
        return next(vintage for vintage in self.vintages if vintage.is_aldo)

    @property
    def kinds(self) -> set[str]:
        return {file.kind for vintage in self.vintages for file in vintage.files}

    def add(self, spec: TerritorySpec) -> None:
        if spec.key in self.specs:
            raise SourceError(f"{spec.origin}: {spec.key} is already in {self.specs[spec.key].origin}")
        self.specs[spec.key] = spec


def read_source(source: Path) -> Plan:
    """Parse the declaration of ``source`` and every file it names into the desired state."""
    source = Path(source)
    plan = Plan(declaration.read(source / declaration.FILE_NAME))
    _check_kinds(plan.vintages)
    folder = _Folder(source)
    for vintage in plan.vintages:
        for file in vintage.files:
            _read_territories(folder, vintage, file, plan)
    for vintage in plan.vintages:
        _read_commune_crosswalk(folder, vintage, plan)
        for crosswalk in vintage.crosswalks:
            _read_crosswalk(folder, vintage, crosswalk, plan)
    _add_member_totals(plan)
    return plan


def _check_kinds(vintages: tuple[Vintage, ...]) -> None:
    for vintage in vintages:
        files = [(file.path, file.kind) for file in vintage.files]
        files += [(file.path, kind) for file in vintage.files for kind, _ in file.member_of]
        files += [(file.path, file.kind) for file in vintage.crosswalks]
        for path, kind in files:
            if kind not in TerritoryKind.values:
                raise SourceError(
                    f"{declaration.FILE_NAME}, vintage {vintage.code}, {path}: unknown kind {kind!r} "
                    f"(kinds: {', '.join(TerritoryKind.values)})"
                )


# --- files -------------------------------------------------------------------------------------------------------


def _int(text: str) -> int:
    return int(float(text))


def _bool(text: str) -> bool:
    return text.lower() in {"true", "1", "yes", "oui"}


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(";") if code.strip()]


#: Column type → how a cell's stripped text is read (text is kept verbatim; an empty number is None).
_READERS = {"int": _int, "float": float, "bool": _bool, "codes": _codes}


class _Table:
    """A CSV file (UTF-8, header row) read once, whose cells are read through declared ``Column``s."""

    def __init__(self, path: Path):
        if not path.is_file():
            raise SourceError(f"missing reference file: {path}")
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            self.rows = [(reader.line_num, row) for row in reader]
            self.header = reader.fieldnames or []
        self.name = path.name

    def require(self, columns) -> None:
        missing = sorted({column.name for column in columns if column and column.name not in self.header})
        if missing:
            raise SourceError(f"{self.name}: missing column(s) {missing} (declared in {declaration.FILE_NAME})")

    def where(self, line: int, column: Column | None = None) -> str:
        return f"{self.name} line {line}" + (f", column {column.name}" if column else "")

    def read(self, line: int, row: dict, column: Column | None):
        if column is None:
            return None
        text = row[column.name] or ""
        if column.type == "text":
            return text
        if column.type in ("int", "float") and not text.strip():
            return None
        try:
            return _READERS[column.type](text.strip())
        except ValueError as error:
            raise SourceError(f"{self.where(line, column)}: {text!r} is not a number") from error


class _Folder:
    """The source folder; a file named by several vintages (départements, région…) is read once."""

    def __init__(self, path: Path):
        self.path = path
        self._tables: dict[str, _Table] = {}
        self._geometries: dict[str, dict[str, dict]] = {}

    def table(self, name: str, columns) -> _Table:
        if name not in self._tables:
            self._tables[name] = _Table(self.path / name)
        self._tables[name].require(columns)
        return self._tables[name]

    def geometries(self, name: str | None) -> dict[str, dict]:
        """GeoJSON geometries by ``properties.code``."""
        if name is None:
            return {}
        if name not in self._geometries:
            path = self.path / name
            if not path.is_file():
                raise SourceError(f"missing reference file: {path}")
            with path.open(encoding="utf-8") as handle:
                features = json.load(handle)["features"]
            self._geometries[name] = {str(feature["properties"]["code"]): feature["geometry"] for feature in features}
        return self._geometries[name]


# --- territories and memberships ---------------------------------------------------------------------------------


def _read_territories(folder: _Folder, vintage: Vintage, file: SourceFile, plan: Plan) -> None:
    columns = [file.code, file.name, file.population, file.area_ha, file.aldo_communes]
    columns += [column for _, column in (*file.attributes, *file.member_of)]
    table = folder.table(file.path, columns)
    geometries = folder.geometries(file.geometry)
    members = _MemberList(folder, file.members, table) if file.members else None
    codes = set()
    for line, row in table.rows:
        spec = TerritorySpec(
            file.kind,
            table.read(line, row, file.code),
            vintage.code,
            table.read(line, row, file.name),
            origin=table.where(line),
            population=table.read(line, row, file.population),
            area_ha=table.read(line, row, file.area_ha),
            in_region=file.in_region,
            attributes={name: table.read(line, row, column) for name, column in file.attributes},
        )
        if not spec.code:
            raise SourceError(f"{table.where(line, file.code)}: empty code")
        spec.geometry = geometries.get(spec.code)
        plan.add(spec)
        codes.add(spec.code)
        for group_kind, column in file.member_of:
            for group_code in table.read(line, row, column):
                plan.memberships[((group_kind, group_code, vintage.code), spec.key)] = Member(
                    "", table.where(line, column)
                )
        if members:
            members.apply(spec, table.read(line, row, file.members.listed), plan)
    if members:
        members.check_groups(codes)


class _MemberList:
    """The member file of a group file (PNR): memberships of the member rows, facts counted per group."""

    def __init__(self, folder: _Folder, members: MemberFile, groups: _Table):
        self.members, self.groups = members, groups
        self.table = folder.table(members.path, [members.group, members.communes, members.status, members.source_url])
        groups.require([members.listed])
        self.rows_of: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for line, row in self.table.rows:
            self.rows_of[self.table.read(line, row, members.group)].append((line, row))

    def apply(self, group: TerritorySpec, listed: bool, plan: Plan) -> None:
        read, members = self.table.read, self.members
        rows = self.rows_of.get(group.code, [])
        statuses = Counter(read(line, row, members.status) for line, row in rows)
        member_rows = [(line, row) for line, row in rows if read(line, row, members.status) == members.member_status]
        for line, row in member_rows:
            for commune in read(line, row, members.communes):
                plan.memberships[(group.key, (TerritoryKind.COMMUNE.value, commune, group.geography))] = Member(
                    members.member_status, self.table.where(line, members.communes)
                )
        known = listed and bool(member_rows)
        group.attributes["membership_known"] = known
        group.attributes["source_urls"] = sorted(
            {url for line, row in member_rows if (url := read(line, row, members.source_url))}
        )
        for status, attribute in members.counts:
            group.attributes[attribute] = statuses[status] if known else None

    def check_groups(self, group_codes: set[str]) -> None:
        for code, rows in self.rows_of.items():
            if code not in group_codes:
                line = rows[0][0]
                raise SourceError(
                    f"{self.table.where(line, self.members.group)}: {code!r} is not a group of {self.groups.name}"
                )


def _add_member_totals(plan: Plan) -> None:
    """A group with a member file and no population/area of its own (PNR) gets its member communes' totals."""
    with_member_file = {
        (file.kind, vintage.code)
        for vintage in plan.vintages
        for file in vintage.files
        if file.members and not (file.population or file.area_ha)
    }
    members: dict[Key, list[Key]] = defaultdict(list)
    for group, commune in plan.memberships:
        members[group].append(commune)
    for key, spec in plan.specs.items():
        if (spec.kind, spec.geography) in with_member_file and members.get(key):
            communes = [plan.specs[commune] for commune in members[key] if commune in plan.specs]
            spec.population = sum(commune.population or 0 for commune in communes)
            spec.area_ha = round(sum(commune.area_ha or 0.0 for commune in communes), 1)


# --- crosswalk from the ALDO vintage -----------------------------------------------------------------------------


def _read_commune_crosswalk(folder: _Folder, vintage: Vintage, plan: Plan) -> None:
    """Commune pairs from the ``aldo_communes`` column; area shares (no many-to-many piece: its area is unknown)."""
    commune, aldo = TerritoryKind.COMMUNE.value, plan.aldo.code
    sources_of: dict[str, list[str]] = defaultdict(list)  # this vintage's commune → ALDO communes
    targets_of: dict[str, list[str]] = defaultdict(list)  # ALDO commune → this vintage's communes
    origin: dict[tuple[str, str], str] = {}
    for file in vintage.files:
        if file.aldo_communes is None:
            continue
        table = folder.table(file.path, [file.aldo_communes])
        for line, row in table.rows:
            target = table.read(line, row, file.code)
            for source in table.read(line, row, file.aldo_communes):
                sources_of[target].append(source)
                targets_of[source].append(target)
                origin[(source, target)] = table.where(line, file.aldo_communes)

    def area(code: str, geography: str) -> float | None:
        spec = plan.specs.get((commune, code, geography))
        return spec.area_ha if spec else None

    for (source, target), where in origin.items():
        source_area, target_area = area(source, aldo), area(target, vintage.code)
        if len(targets_of[source]) == 1:
            shares = (1.0, _share(source_area, target_area) if len(sources_of[target]) > 1 else 1.0)
        elif len(sources_of[target]) == 1:
            shares = (_share(target_area, source_area), 1.0)
        else:
            raise SourceError(f"{where}: many-to-many commune correspondence {source} → {target} is not supported")
        plan.correspondences[((commune, source, aldo), (commune, target, vintage.code))] = Link(*shares, where)


def _share(part: float | None, whole: float | None) -> float:
    if not part or not whole:
        return 0.0
    return round(min(part / whole, 1.0), 4)


def _read_crosswalk(folder: _Folder, vintage: Vintage, crosswalk: CrosswalkFile, plan: Plan) -> None:
    """Pairs with their published area shares."""
    columns = [crosswalk.aldo_code, crosswalk.code, crosswalk.share_of_source, crosswalk.share_of_target]
    table = folder.table(crosswalk.path, columns)
    for line, row in table.rows:
        source = (crosswalk.kind, table.read(line, row, crosswalk.aldo_code), plan.aldo.code)
        target = (crosswalk.kind, table.read(line, row, crosswalk.code), vintage.code)
        shares = [table.read(line, row, column) for column in (crosswalk.share_of_source, crosswalk.share_of_target)]
        if None in shares:
            raise SourceError(f"{table.where(line)}: both shares are needed")
        plan.correspondences[(source, target)] = Link(*shares, table.where(line))
