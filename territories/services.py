"""Writes: load the territory reference files into the database.

``load_territories`` reads ``fixtures/territories`` (see that folder's README in the shared data) and writes, in one
transaction and idempotently (natural keys ``(kind, code, geography)``; a second run writes nothing):

* geography ``2018`` (ALDO): communes of the ALDO map (Hauts-de-France, plus the Normandy communes of the three
  interregional 2018 EPCIs, ``in_region=False``), the 94 EPCIs of 1 January 2018 with all their communes,
  départements, région, PNR;
* geography ``2026`` (current): COG 2026 communes, DGCL 2025 EPCIs, départements, région, PNR;
* the crosswalk 2018 → current for communes and EPCIs (``Correspondence``).

Memberships and correspondences that are no longer in the source are deleted (only for the kinds this loader owns).
Territories that disappeared from the source are kept (results may point to them) and reported.
"""

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from observatory.cache import bump_generation

from .models import Correspondence, Geography, Membership, Territory, TerritoryKind
from .text import normalize

G2018 = Geography.ALDO_2018.value
G2026 = Geography.CURRENT.value
GEOGRAPHIES = (G2018, G2026)
#: Group kinds whose memberships this loader owns (custom groupings made elsewhere are left alone).
LOADED_GROUP_KINDS = (TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT, TerritoryKind.REGION, TerritoryKind.PNR)
PNR_CLASSIFIED = "classee"
TERRITORY_FIELDS = ("name", "search_text", "population", "area_ha", "in_region", "attributes", "geometry")


class SourceError(Exception):
    """A reference file is missing or inconsistent (message in English, for operators)."""


@dataclass
class LoadSummary:
    counts: Counter = field(default_factory=Counter)  # (kind, geography) → territories in the source
    territories_created: int = 0
    territories_updated: int = 0
    territories_stale: list[str] = field(default_factory=list)
    memberships_created: int = 0
    memberships_updated: int = 0
    memberships_deleted: int = 0
    correspondences_created: int = 0
    correspondences_updated: int = 0
    correspondences_deleted: int = 0
    correspondences_skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.territories_created,
                self.territories_updated,
                self.memberships_created,
                self.memberships_updated,
                self.memberships_deleted,
                self.correspondences_created,
                self.correspondences_updated,
                self.correspondences_deleted,
            )
        )

    def lines(self) -> list[str]:
        kinds = [kind for kind in TerritoryKind.values if any(key[0] == kind for key in self.counts)]
        out = [f"{'kind':<12} {'2018':>6} {'2026':>6}"]
        out += [f"{kind:<12} {self.counts[(kind, G2018)]:>6} {self.counts[(kind, G2026)]:>6}" for kind in kinds]
        out.append(
            f"territories: {self.territories_created} created, {self.territories_updated} updated, "
            f"{len(self.territories_stale)} in the database but no longer in the source (kept)"
        )
        out.append(
            f"memberships: {self.memberships_created} created, {self.memberships_updated} updated, "
            f"{self.memberships_deleted} deleted"
        )
        out.append(
            f"correspondences: {self.correspondences_created} created, {self.correspondences_updated} updated, "
            f"{self.correspondences_deleted} deleted, {len(self.correspondences_skipped)} skipped "
            "(target outside the loaded territories)"
        )
        return out


# --- reading ---------------------------------------------------------------------------------------------------


def _rows(source: Path, name: str) -> list[dict[str, str]]:
    path = source / name
    if not path.is_file():
        raise SourceError(f"missing reference file: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _geometries(source: Path, name: str) -> dict[str, dict]:
    path = source / name
    if not path.is_file():
        raise SourceError(f"missing reference file: {path}")
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {str(feature["properties"]["code"]): feature["geometry"] for feature in collection["features"]}


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(float(value)) if value else None


def _float(value: str) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _bool(value: str) -> bool:
    return (value or "").strip().lower() in {"true", "1", "yes", "oui"}


def _codes(value: str) -> list[str]:
    return [code.strip() for code in (value or "").split(";") if code.strip()]


@dataclass
class _Spec:
    """A territory as the source describes it (the loader's desired state)."""

    kind: str
    code: str
    geography: str
    name: str
    population: int | None = None
    area_ha: float | None = None
    in_region: bool = True
    attributes: dict = field(default_factory=dict)
    geometry: dict | None = None

    @property
    def key(self) -> tuple[str, str, str]:
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


@dataclass
class _Plan:
    specs: dict[tuple[str, str, str], _Spec] = field(default_factory=dict)
    # (group key, commune key) → status
    memberships: dict[tuple[tuple, tuple], str] = field(default_factory=dict)
    # (source key, target key) → (share_of_source, share_of_target)
    correspondences: dict[tuple[tuple, tuple], tuple[float, float]] = field(default_factory=dict)

    def add(self, spec: _Spec) -> None:
        if spec.key in self.specs:
            raise SourceError(f"duplicate territory in the source: {spec.key}")
        self.specs[spec.key] = spec

    def member(self, group: tuple, commune: tuple, status: str = "") -> None:
        self.memberships[(group, commune)] = status


def read_source(source: Path) -> _Plan:
    """Parse every reference file into the desired state (no database access)."""
    plan = _Plan()
    communes_2018 = _rows(source, "communes_hdf.csv")
    communes_outside = _rows(source, "communes_aldo2018_hors_hdf.csv")
    communes_2026 = _rows(source, "communes_hdf_2026.csv")
    epcis_2018 = _rows(source, "epci_hdf.csv")
    epcis_2025 = _rows(source, "epci_hdf_2025.csv")
    departements = _rows(source, "departements_hdf.csv")
    regions = _rows(source, "region_hdf.csv")
    pnr_members = _rows(source, "pnr_hdf.csv")
    pnr_list = _rows(source, "pnr_list_hdf.csv")
    crosswalk = _rows(source, "epci_crosswalk_aldo2018_2025.csv")

    geo = {
        ("commune", G2018): _geometries(source, "communes_hdf.geojson"),
        ("commune", G2026): _geometries(source, "communes_hdf_2026.geojson"),
        ("epci", G2018): _geometries(source, "epci_hdf.geojson"),
        ("epci", G2026): _geometries(source, "epci_hdf_2025.geojson"),
    }
    departement_geometries = _geometries(source, "departements_hdf.geojson")
    region_geometries = _geometries(source, "region_hdf.geojson")

    commune, epci, dep, reg, pnr = (
        TerritoryKind.COMMUNE.value,
        TerritoryKind.EPCI.value,
        TerritoryKind.DEPARTEMENT.value,
        TerritoryKind.REGION.value,
        TerritoryKind.PNR.value,
    )

    # Communes, 2018 (ALDO map) — HdF then the Normandy communes of interregional EPCIs.
    for row in communes_2018:
        plan.add(
            _Spec(
                commune,
                row["insee_code"],
                G2018,
                row["name"],
                population=_int(row["population_aldo"]),
                area_ha=_float(row["area_ha"]),
                attributes={
                    "departement": row["departement"],
                    "region": row["region"],
                    "epci_siren": row["epci_siren"],
                    "epci_name": row["epci_name"],
                    "insee_codes_2026": _codes(row["insee_codes_2026"]),
                    "epci_sirens_2025": _codes(row["epci_sirens_2025"]),
                },
                geometry=geo[(commune, G2018)].get(row["insee_code"]),
            )
        )
    for row in communes_outside:
        plan.add(
            _Spec(
                commune,
                row["insee_code"],
                G2018,
                row["name"],
                population=_int(row["population_aldo"]),
                in_region=False,
                attributes={
                    "departement": row["departement"],
                    "region": row["region"],
                    "epci_siren": row["epci_siren"],
                },
            )
        )
    # Communes, 2026.
    for row in communes_2026:
        plan.add(
            _Spec(
                commune,
                row["insee_code"],
                G2026,
                row["name"],
                population=_int(row["population_municipale_2023"]),
                area_ha=_float(row["area_ha"]),
                attributes={
                    "departement": row["departement"],
                    "region": row["region"],
                    "siren_commune": row["siren_commune"],
                    "epci_siren": row["epci_siren"],
                    "epci_name": row["epci_name"],
                    "aldo_insee_codes": _codes(row["aldo_insee_codes"]),
                },
                geometry=geo[(commune, G2026)].get(row["insee_code"]),
            )
        )

    # EPCIs. Population and area cover the whole EPCI (Normandy part included), like the geometry.
    for row in epcis_2018:
        plan.add(
            _Spec(
                epci,
                row["siren"],
                G2018,
                row["name"],
                population=_int(row["population_aldo"]),
                area_ha=_float(row["area_ha"]),
                attributes={
                    "nature": row["nature"],
                    "departement_siege": row["departement_siege_2019"],
                    "siege_in_hdf": _bool(row["siege_in_hdf"]),
                    "departements": _codes(row["departements"]),
                    "interregional": _bool(row["interregional"]),
                    "n_communes": _int(row["n_communes_aldo"]),
                    "n_communes_hdf": _int(row["n_communes_aldo_hdf"]),
                    "population_hdf": _int(row["population_aldo_hdf"]),
                    "area_ha_hdf": _float(row["area_ha_hdf"]),
                    "exists_in_2025": _bool(row["exists_in_2025"]),
                    "epci_sirens_2025": _codes(row["epci_sirens_2025"]),
                },
                geometry=geo[(epci, G2018)].get(row["siren"]),
            )
        )
    for row in epcis_2025:
        plan.add(
            _Spec(
                epci,
                row["siren"],
                G2026,
                row["name"],
                population=_int(row["population_municipale"]),
                area_ha=_float(row["area_ha"]),
                attributes={
                    "nature": row["nature"],
                    "mode_financement": row["mode_financement"],
                    "departement_siege": row["departement_siege"],
                    "siege_in_hdf": _bool(row["siege_in_hdf"]),
                    "departements": _codes(row["departements"]),
                    "interregional": _bool(row["interregional"]),
                    "n_communes": _int(row["n_communes"]),
                    "n_communes_hdf": _int(row["n_communes_hdf"]),
                    "population_totale": _int(row["population_totale"]),
                    "population_municipale_2023_hdf": _int(row["population_municipale_2023_hdf"]),
                    "area_ha_hdf": _float(row["area_ha_hdf"]),
                    "in_aldo": _bool(row["in_aldo"]),
                    "aldo_epci_sirens": _codes(row["aldo_epci_sirens"]),
                },
                geometry=geo[(epci, G2026)].get(row["siren"]),
            )
        )

    # Départements and région exist in both geographies (same polygon, different commune maps).
    for geography, n_communes, population, n_epci in (
        (G2018, "n_communes_aldo2018", "population_aldo", "n_epci_aldo2018_touching"),
        (G2026, "n_communes_2026", "population_municipale_2023", "n_epci_2025_touching"),
    ):
        for row in departements:
            plan.add(
                _Spec(
                    dep,
                    row["code"],
                    geography,
                    row["name"],
                    population=_int(row[population]),
                    area_ha=_float(row["area_ha"]),
                    attributes={
                        "region": row["region"],
                        "former_region_code": row["former_region_code"],
                        "former_region_name": row["former_region_name"],
                        "chef_lieu": row["chef_lieu"],
                        "n_communes": _int(row[n_communes]),
                        "n_epci_touching": _int(row[n_epci]),
                    },
                    geometry=departement_geometries.get(row["code"]),
                )
            )
        for row in regions:
            plan.add(
                _Spec(
                    reg,
                    row["code"],
                    geography,
                    row["name"],
                    population=_int(row[population]),
                    area_ha=_float(row["area_ha"]),
                    attributes={
                        "former_regions": row["former_regions"],
                        "departements": _codes(row["departements"]),
                        "chef_lieu": row["chef_lieu"],
                        "n_communes": _int(row[n_communes]),
                        "n_epci_touching": _int(row[n_epci]),
                    },
                    geometry=region_geometries.get(row["code"]),
                )
            )

    # PNR: both geographies; membership only where a commune list was found (classified communes only).
    classified = [row for row in pnr_members if row["status"] == PNR_CLASSIFIED]
    members_by_pnr: dict[str, list[dict]] = defaultdict(list)
    for row in classified:
        members_by_pnr[row["pnr_code"]].append(row)
    other_status = Counter((row["pnr_code"], row["status"]) for row in pnr_members if row["status"] != PNR_CLASSIFIED)
    for row in pnr_list:
        known = _bool(row["membership_in_pnr_hdf_csv"]) and bool(members_by_pnr.get(row["pnr_code"]))
        source_urls = sorted({m["source_url"] for m in members_by_pnr.get(row["pnr_code"], []) if m["source_url"]})
        for geography in GEOGRAPHIES:
            plan.add(
                _Spec(
                    pnr,
                    row["pnr_code"],
                    geography,
                    row["pnr_name"],
                    attributes={
                        "departements": _codes(row["departements"]),
                        "membership_known": known,
                        "communes_reported": row["communes_reported"],
                        "source": row["source"],
                        "source_urls": source_urls,
                        "n_communes_classees": len(members_by_pnr.get(row["pnr_code"], [])) if known else None,
                        "n_communes_associees": other_status.get((row["pnr_code"], "associee"), 0) if known else None,
                        "n_villes_portes": other_status.get((row["pnr_code"], "ville-porte"), 0) if known else None,
                    },
                )
            )
    for row in classified:
        group_2018, group_2026 = (pnr, row["pnr_code"], G2018), (pnr, row["pnr_code"], G2026)
        plan.member(group_2026, (commune, row["insee_code"], G2026), PNR_CLASSIFIED)
        for code in _codes(row["aldo_insee_codes"]):
            plan.member(group_2018, (commune, code, G2018), PNR_CLASSIFIED)

    # Memberships: EPCI / département / région, each in its geography.
    region_code = regions[0]["code"] if regions else None
    for rows, geography in ((communes_2018, G2018), (communes_2026, G2026)):
        for row in rows:
            key = (commune, row["insee_code"], geography)
            plan.member((epci, row["epci_siren"], geography), key)
            plan.member((dep, row["departement"], geography), key)
            if region_code:
                plan.member((reg, row["region"], geography), key)
    for row in communes_outside:
        plan.member((epci, row["epci_siren"], G2018), (commune, row["insee_code"], G2018))

    # Crosswalk, communes: shares from areas (only one ALDO commune is split, none is many-to-many).
    targets_of = {row["insee_code"]: _codes(row["insee_codes_2026"]) for row in communes_2018}
    sources_of: dict[str, list[str]] = defaultdict(list)
    for source_code, targets in targets_of.items():
        for target in targets:
            sources_of[target].append(source_code)
    area_2018 = {row["insee_code"]: _float(row["area_ha"]) for row in communes_2018}
    area_2026 = {row["insee_code"]: _float(row["area_ha"]) for row in communes_2026}
    for source_code, targets in targets_of.items():
        for target in targets:
            if len(targets) == 1:
                share_source = 1.0
                share_target = (
                    _share(area_2018[source_code], area_2026.get(target)) if len(sources_of[target]) > 1 else 1.0
                )
            elif len(sources_of[target]) == 1:
                share_source, share_target = _share(area_2026.get(target), area_2018[source_code]), 1.0
            else:  # many-to-many piece: its area is unknown here
                raise SourceError(f"many-to-many commune correspondence {source_code} → {target} is not supported")
            plan.correspondences[((commune, source_code, G2018), (commune, target, G2026))] = (
                share_source,
                share_target,
            )
    # Crosswalk, EPCIs: area shares as published.
    for row in crosswalk:
        pair = ((epci, row["epci_siren_aldo2018"], G2018), (epci, row["epci_siren_2025"], G2026))
        plan.correspondences[pair] = (float(row["share_of_aldo_epci_area"]), float(row["share_of_2025_epci_area"]))

    _add_member_totals(plan)
    return plan


def _share(part: float | None, whole: float | None) -> float:
    if not part or not whole:
        return 0.0
    return round(min(part / whole, 1.0), 4)


def _add_member_totals(plan: _Plan) -> None:
    """PNR have no population/area of their own in the sources: sum their member communes when known."""
    members: dict[tuple, list[tuple]] = defaultdict(list)
    for group, commune in plan.memberships:
        members[group].append(commune)
    for key, spec in plan.specs.items():
        if spec.kind == TerritoryKind.PNR and members.get(key):
            communes = [plan.specs[c] for c in members[key] if c in plan.specs]
            spec.population = sum(c.population or 0 for c in communes)
            spec.area_ha = round(sum(c.area_ha or 0.0 for c in communes), 1)


# --- writing ---------------------------------------------------------------------------------------------------


def load_territories(source: Path) -> LoadSummary:
    """Load the reference files in ``source`` in one transaction; a second run changes nothing."""
    plan = read_source(Path(source))
    summary = LoadSummary()
    summary.counts = Counter((kind, geography) for kind, _, geography in plan.specs)
    with transaction.atomic():
        ids = _write_territories(plan, summary)
        _write_memberships(plan, ids, summary)
        _write_correspondences(plan, ids, summary)
        transaction.on_commit(bump_generation)  # cached pages show territory names and members
    return summary


def _write_territories(plan: _Plan, summary: LoadSummary) -> dict[tuple, int]:
    existing = {
        (t.kind, t.code, t.geography): t
        for t in Territory.objects.filter(geography__in=GEOGRAPHIES).only(
            "id", "kind", "code", "geography", *TERRITORY_FIELDS
        )
    }
    to_create, to_update = [], []
    for key, spec in plan.specs.items():
        values = spec.values()
        current = existing.get(key)
        if current is None:
            to_create.append(Territory(kind=spec.kind, code=spec.code, geography=spec.geography, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    Territory.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Territory.objects.bulk_update(to_update, TERRITORY_FIELDS, batch_size=200)
    summary.territories_created, summary.territories_updated = len(to_create), len(to_update)
    loaded_kinds = {key[0] for key in plan.specs}
    summary.territories_stale = sorted(
        f"{kind}:{code}:{geography}"
        for kind, code, geography in existing
        if kind in loaded_kinds and (kind, code, geography) not in plan.specs
    )
    return {
        (kind, code, geography): pk
        for pk, kind, code, geography in Territory.objects.filter(geography__in=GEOGRAPHIES).values_list(
            "id", "kind", "code", "geography"
        )
    }


def _resolve(ids: dict[tuple, int], keys: Iterable[tuple], what: str) -> list[int]:
    missing = [key for key in keys if key not in ids]
    if missing:
        raise SourceError(f"{what} refers to unknown territories: {missing[:5]}")
    return [ids[key] for key in keys]


def _write_memberships(plan: _Plan, ids: dict[tuple, int], summary: LoadSummary) -> None:
    wanted: dict[tuple[int, int], str] = {}
    for (group, commune), status in plan.memberships.items():
        group_id, commune_id = _resolve(ids, (group, commune), "membership")
        wanted[(group_id, commune_id)] = status
    owned = Membership.objects.filter(group__kind__in=LOADED_GROUP_KINDS, group__geography__in=GEOGRAPHIES)
    existing = {(m.group_id, m.commune_id): m for m in owned.only("id", "group_id", "commune_id", "status")}
    to_create = [
        Membership(group_id=g, commune_id=c, status=s) for (g, c), s in wanted.items() if (g, c) not in existing
    ]
    to_update = []
    for pair, membership in existing.items():
        if pair in wanted and membership.status != wanted[pair]:
            membership.status = wanted[pair]
            to_update.append(membership)
    stale = [membership.id for pair, membership in existing.items() if pair not in wanted]
    for start in range(0, len(stale), 500):
        Membership.objects.filter(id__in=stale[start : start + 500]).delete()
    Membership.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Membership.objects.bulk_update(to_update, ["status"], batch_size=500)
    summary.memberships_created, summary.memberships_updated = len(to_create), len(to_update)
    summary.memberships_deleted = len(stale)


def _write_correspondences(plan: _Plan, ids: dict[tuple, int], summary: LoadSummary) -> None:
    wanted: dict[tuple[int, int], tuple[float, float]] = {}
    for (source, target), shares in plan.correspondences.items():
        if source not in ids or target not in ids:
            # e.g. 2018 CC du Vexin Normand → its 2025 self, an EPCI of Normandy that is not loaded.
            summary.correspondences_skipped.append(f"{source[1]} → {target[1]}")
            continue
        wanted[(ids[source], ids[target])] = shares
    owned = Correspondence.objects.filter(
        source__kind__in=(TerritoryKind.COMMUNE, TerritoryKind.EPCI), source__geography=G2018
    )
    existing = {(c.source_id, c.target_id): c for c in owned}
    to_create = [
        Correspondence(source_id=s, target_id=t, share_of_source=a, share_of_target=b)
        for (s, t), (a, b) in wanted.items()
        if (s, t) not in existing
    ]
    to_update = []
    for pair, row in existing.items():
        if pair in wanted and (row.share_of_source, row.share_of_target) != wanted[pair]:
            row.share_of_source, row.share_of_target = wanted[pair]
            to_update.append(row)
    stale = [row.id for pair, row in existing.items() if pair not in wanted]
    Correspondence.objects.filter(id__in=stale).delete()
    Correspondence.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Correspondence.objects.bulk_update(to_update, ["share_of_source", "share_of_target"], batch_size=500)
    summary.correspondences_created, summary.correspondences_updated = len(to_create), len(to_update)
    summary.correspondences_deleted = len(stale)
