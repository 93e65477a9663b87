"""The geography vintages as declared in a ``vintages.toml`` (its format is described in the header of
``fixtures/territories/vintages.toml``): parsed and checked, without the database.

``territories.vintages`` reads the site's declaration; ``territories.sources`` reads the one of the folder it loads.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "vintages.toml"
TYPES = ("text", "int", "float", "bool", "codes")
MAX_CODE_LENGTH = 4  # Territory.geography
COMMUNE = "commune"


class SourceError(Exception):
    """A reference file or the vintages declaration is missing or inconsistent (message in English, for operators)."""


@dataclass(frozen=True)
class Column:
    """A CSV column and how its text is read (one of ``TYPES``)."""

    name: str
    type: str = "text"


@dataclass(frozen=True)
class MemberFile:
    """A file listing the communes of groups (PNR): one row per (group, commune, status)."""

    path: str
    group: Column
    communes: Column  # codes, in the vintage of the group
    status: Column
    member_status: str  # rows with another status are counted, not members
    listed: Column  # column of the *group* file: whether this file covers the group
    source_url: Column
    counts: tuple[tuple[str, str], ...]  # (status, attribute receiving the number of rows with that status)


@dataclass(frozen=True)
class SourceFile:
    """One CSV of territories of one kind, with the column of each field."""

    kind: str
    path: str
    code: Column
    name: Column
    population: Column | None = None
    area_ha: Column | None = None
    attributes: tuple[tuple[str, Column], ...] = ()
    geometry: str | None = None
    in_region: bool = True
    member_of: tuple[tuple[str, Column], ...] = ()  # (group kind, column of the group codes)
    aldo_communes: Column | None = None  # ALDO communes each commune comes from
    members: MemberFile | None = None


@dataclass(frozen=True)
class CrosswalkFile:
    """Area shares from the ALDO territories of ``kind`` to a vintage's ones, one row per pair."""

    kind: str
    path: str
    aldo_code: Column
    code: Column
    share_of_source: Column
    share_of_target: Column


@dataclass(frozen=True)
class Vintage:
    """A geography vintage: which commune map (and EPCI membership) a territory is written in."""

    code: str
    label: str
    short_label: str
    commune_year: int
    epci_year: int
    is_aldo: bool = False  # ALDO bundles are written in this vintage
    is_default: bool = False  # shown when a URL names no vintage
    files: tuple[SourceFile, ...] = ()
    crosswalks: tuple[CrosswalkFile, ...] = ()  # from the ALDO vintage

    @property
    def label_with_years(self) -> str:
        """ "actuelle (communes 2026, EPCI 2025)"."""
        return f"{self.short_label} (communes {self.commune_year}, EPCI {self.epci_year})"


def read(path: Path) -> tuple[Vintage, ...]:
    """The vintages declared in ``path``, in order; ``SourceError`` naming the vintage and key when inconsistent."""
    if not path.is_file():
        raise SourceError(f"missing vintages declaration: {path}")
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"{path.name}: {error}") from error
    _Table(document, path.name).keys(required=("vintages",))
    vintages = tuple(_vintage(table, path.name) for table in _Table(document, path.name).tables("vintages"))
    codes = [vintage.code for vintage in vintages]
    if len(set(codes)) != len(codes):
        raise SourceError(f"{path.name}: vintage codes must be unique, not {codes}")
    for flag in ("is_aldo", "is_default"):
        flagged = [vintage.code for vintage in vintages if getattr(vintage, flag)]
        if len(flagged) != 1:
            key = flag.removeprefix("is_")
            raise SourceError(f"{path.name}: exactly one vintage must have `{key} = true`, not {flagged or 'none'}")
    return vintages


class _Table:
    """A TOML table being read, named in error messages by ``where``."""

    def __init__(self, values, where: str):
        if not isinstance(values, dict):
            raise SourceError(f"{where}: a table is expected")
        self.values, self.where = values, where

    def keys(self, required=(), optional=()) -> None:
        missing = [key for key in required if key not in self.values]
        unknown = sorted(set(self.values) - set(required) - set(optional))
        if missing or unknown:
            raise SourceError(f"{self.where}: missing keys {missing}, unknown keys {unknown}")

    def get(self, key: str, kind: type, default=None):
        value = self.values.get(key, default)
        if value is not default and not isinstance(value, kind):
            raise SourceError(f"{self.where}: `{key}` must be a {kind.__name__}, not {value!r}")
        return value

    def table(self, key: str) -> "_Table":
        return _Table(self.values.get(key, {}), f"{self.where}, {key}")

    def tables(self, key: str) -> list["_Table"]:
        return [_Table(value, f"{self.where}, {key} {i}") for i, value in enumerate(self.values.get(key, []), 1)]

    def column(self, key: str, forced_type: str | None = None) -> Column | None:
        spec = self.get(key, str)
        if spec is None:
            return None
        name, _, type_ = spec.partition(":")
        if forced_type and type_ not in ("", forced_type):
            raise SourceError(f"{self.where}: `{key}` is always read as {forced_type}, not {type_}")
        type_ = forced_type or type_ or "text"
        if not name or type_ not in TYPES:
            raise SourceError(f'{self.where}: `{key} = {spec!r}`: expected "column" or "column:type", types {TYPES}')
        return Column(name, type_)

    def columns(self, forced_type: str | None = None) -> tuple[tuple[str, Column], ...]:
        return tuple((key, self.column(key, forced_type)) for key in self.values)


def _vintage(table: _Table, file_name: str) -> Vintage:
    table.keys(
        required=("code", "label", "short_label", "commune_year", "epci_year"),
        optional=("aldo", "default", "files", "crosswalks"),
    )
    code = table.get("code", str)
    if not code or len(code) > MAX_CODE_LENGTH:
        raise SourceError(f"{table.where}: `code` must have 1 to {MAX_CODE_LENGTH} characters, not {code!r}")
    table.where = f"{file_name}, vintage {code}"
    vintage = Vintage(
        code=code,
        label=table.get("label", str),
        short_label=table.get("short_label", str),
        commune_year=table.get("commune_year", int),
        epci_year=table.get("epci_year", int),
        is_aldo=table.get("aldo", bool, False),
        is_default=table.get("default", bool, False),
        files=tuple(_source_file(file) for file in table.tables("files")),
        crosswalks=tuple(_crosswalk(file) for file in table.tables("crosswalks")),
    )
    if vintage.is_aldo and (vintage.crosswalks or any(file.aldo_communes for file in vintage.files)):
        raise SourceError(f"{table.where}: the ALDO vintage has no crosswalk (crosswalks go from it to the others)")
    return vintage


def _source_file(table: _Table) -> SourceFile:
    table.where = f"{table.where} ({table.get('path', str)})"
    table.keys(
        required=("kind", "path", "columns"),
        optional=("geometry", "in_region", "member_of", "aldo_communes", "members"),
    )
    columns = table.table("columns")
    columns.keys(required=("code", "name"), optional=("population", "area_ha", "attributes"))
    kind = table.get("kind", str)
    file = SourceFile(
        kind=kind,
        path=table.get("path", str),
        code=columns.column("code"),
        name=columns.column("name"),
        population=columns.column("population"),
        area_ha=columns.column("area_ha"),
        attributes=columns.table("attributes").columns(),
        geometry=table.get("geometry", str),
        in_region=table.get("in_region", bool, True),
        member_of=table.table("member_of").columns(forced_type="codes"),
        aldo_communes=table.column("aldo_communes", forced_type="codes"),
        members=_member_file(table.table("members")) if "members" in table.values else None,
    )
    if kind != COMMUNE and (file.member_of or file.aldo_communes):
        raise SourceError(f"{table.where}: only commune files have `member_of` and `aldo_communes`")
    return file


def _member_file(table: _Table) -> MemberFile:
    table.keys(required=("path", "group", "communes", "status", "member_status", "listed", "source_url", "counts"))
    counts = table.table("counts")
    return MemberFile(
        path=table.get("path", str),
        group=table.column("group"),
        communes=table.column("communes", forced_type="codes"),
        status=table.column("status"),
        member_status=table.get("member_status", str),
        listed=table.column("listed"),
        source_url=table.column("source_url"),
        counts=tuple((status, counts.get(status, str)) for status in counts.values),
    )


def _crosswalk(table: _Table) -> CrosswalkFile:
    table.keys(required=("kind", "path", "columns"))
    columns = table.table("columns")
    columns.keys(required=("aldo_code", "code", "share_of_source", "share_of_target"))
    return CrosswalkFile(
        kind=table.get("kind", str),
        path=table.get("path", str),
        aldo_code=columns.column("aldo_code"),
        code=columns.column("code"),
        share_of_source=columns.column("share_of_source"),
        share_of_target=columns.column("share_of_target"),
    )
