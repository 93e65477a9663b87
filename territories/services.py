"""Writes: load the territory reference files of a folder into the database.

``load_territories`` reads the vintages declared in the folder's ``vintages.toml`` (by default
``fixtures/territories``: the ALDO geography, 2018 communes and EPCIs of 1 January 2018, and the current one) and
every file they name (``territories.sources``), then writes in one transaction and idempotently (natural keys
``(kind, code, geography)``; a second run writes nothing) the territories, their memberships and the crosswalk from
the ALDO vintage to the others (``Correspondence``).

Memberships and correspondences that are no longer in the source are deleted (only for the kinds and vintages this
loader owns). Territories that disappeared from the source are kept (results may point to them) and reported;
crosswalk rows whose territories are not loaded are skipped and reported with their file, line and reason.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from observatory.bulk import insert_rows
from observatory.cache import bump_generation

from . import vintages
from .declaration import SourceError
from .groupings import Member, resolve
from .models import Correspondence, Grouping, Membership, Territory, TerritoryKind
from .sources import Key, Plan, read_source
from .text import normalize

TERRITORY_FIELDS = ("name", "search_text", "population", "area_ha", "in_region", "attributes", "geometry")
JSON_FIELDS = {"attributes", "geometry"}
MAX_LISTED = 20  # stale territories named in the summary


@dataclass
class LoadSummary:
    geographies: tuple[str, ...] = ()
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
    correspondences_skipped: list[str] = field(default_factory=list)  # "<file> line <n>: <pair>: <why>"
    left_to_groupings: list[str] = field(default_factory=list)  # territories of imported groupings, not touched

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
        out = [f"{'kind':<12}" + "".join(f" {code:>6}" for code in self.geographies)]
        out += [
            f"{kind:<12}" + "".join(f" {self.counts[(kind, code)]:>6}" for code in self.geographies) for kind in kinds
        ]
        out.append(
            f"territories: {self.territories_created} created, {self.territories_updated} updated, "
            f"{len(self.territories_stale)} in the database but no longer in the source (kept)"
        )
        out += [f"  kept: {key}" for key in self.territories_stale[:MAX_LISTED]]
        if len(self.territories_stale) > MAX_LISTED:
            out.append(f"  … and {len(self.territories_stale) - MAX_LISTED} more")
        out.append(
            f"memberships: {self.memberships_created} created, {self.memberships_updated} updated, "
            f"{self.memberships_deleted} deleted"
        )
        out.append(
            f"correspondences: {self.correspondences_created} created, {self.correspondences_updated} updated, "
            f"{self.correspondences_deleted} deleted, {len(self.correspondences_skipped)} skipped"
        )
        out += [f"  skipped: {skipped}" for skipped in self.correspondences_skipped]
        if self.left_to_groupings:
            out.append(
                f"{len(self.left_to_groupings)} territories belong to groupings imported by the editors (left as "
                f"they are): {', '.join(self.left_to_groupings[:MAX_LISTED])}"
            )
        out += [
            f"vintage {code} is not declared in the site's vintages.toml: its territories are loaded but not shown"
            for code in self.geographies
            if code not in vintages.CODES
        ]
        return out


def load_territories(source: Path) -> LoadSummary:
    """Load the vintages declared in ``source`` in one transaction; a second run changes nothing."""
    plan = read_source(Path(source))
    summary = LoadSummary(plan.geographies, Counter((kind, geography) for kind, _, geography in plan.specs))
    with transaction.atomic():
        _leave_imported_groupings(plan, summary)
        ids = _write_territories(plan, summary)
        _write_memberships(plan, ids, summary)
        _write_correspondences(plan, ids, summary)
        transaction.on_commit(bump_generation)  # cached pages show territory names and members
    return summary


def _imported_territory_ids() -> set[int]:
    """Territories of the groupings the editors imported (active ones)."""
    imported = set(Grouping.objects.filter(is_active=True).values_list("kind", "code"))
    candidates = Territory.objects.filter(kind__in={kind for kind, _ in imported}).values_list("id", "kind", "code")
    return {pk for pk, kind, code in candidates if (kind, code) in imported}


def _leave_imported_groupings(plan: Plan, summary: LoadSummary) -> None:
    """Territories of the groupings the editors imported are theirs while active: the files' version of them (a PNR
    named without its communes) is not written."""
    imported = set(Grouping.objects.filter(is_active=True).values_list("kind", "code"))
    left = sorted(key for key in plan.specs if key[:2] in imported)
    for key in left:
        del plan.specs[key]
    plan.memberships = {pair: m for pair, m in plan.memberships.items() if pair[0][:2] not in imported}
    plan.correspondences = {
        pair: link for pair, link in plan.correspondences.items() if not {pair[0][:2], pair[1][:2]} & imported
    }
    summary.left_to_groupings = [f"{kind}:{code}:{geography}" for kind, code, geography in left]


def _write_territories(plan: Plan, summary: LoadSummary) -> dict[Key, int]:
    existing = {
        (t.kind, t.code, t.geography): t
        for t in Territory.objects.filter(geography__in=plan.geographies).only(
            "id", "kind", "code", "geography", *TERRITORY_FIELDS
        )
    }
    to_create, to_update = [], []
    for key, spec in plan.specs.items():
        values = spec.values()
        current = existing.get(key)
        if current is None:
            to_create.append((spec.kind, spec.code, spec.geography, *_database_values(values)))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    insert_rows(Territory, ["kind", "code", "geography", *TERRITORY_FIELDS], to_create)
    if to_update:
        Territory.objects.bulk_update(to_update, TERRITORY_FIELDS, batch_size=200)
    summary.territories_created, summary.territories_updated = len(to_create), len(to_update)
    summary.territories_stale = sorted(
        f"{kind}:{code}:{geography}"
        for kind, code, geography in existing
        if kind in plan.kinds
        and (kind, code, geography) not in plan.specs
        and f"{kind}:{code}:{geography}" not in summary.left_to_groupings
    )
    return {
        (kind, code, geography): pk
        for pk, kind, code, geography in Territory.objects.filter(geography__in=plan.geographies).values_list(
            "id", "kind", "code", "geography"
        )
    }


def _database_values(values: dict) -> list:
    """``values`` (TERRITORY_FIELDS) as the database stores them: JSON fields encoded."""
    return [
        json.dumps(values[name]) if name in JSON_FIELDS and values[name] is not None else values[name]
        for name in TERRITORY_FIELDS
    ]


def _not_loaded(ids: dict[Key, int], *keys: Key) -> str:
    """The keys missing from ``ids``, in words ("epci 200071843 (2026)"); empty when every key is loaded."""
    return " and ".join(
        f"{kind} {code} ({geography})" for kind, code, geography in keys if (kind, code, geography) not in ids
    )


def _write_memberships(plan: Plan, ids: dict[Key, int], summary: LoadSummary) -> None:
    wanted: dict[tuple[int, int], str] = {}
    for (group, commune), member in plan.memberships.items():
        missing = _not_loaded(ids, group, commune)
        if missing:
            raise SourceError(f"{member.origin}: {missing} is not a loaded territory")
        wanted[(ids[group], ids[commune])] = member.status
    # Custom groupings made elsewhere (kinds no file declares, groupings imported by the editors) are left alone.
    owned = Membership.objects.filter(group__kind__in=plan.kinds, group__geography__in=plan.geographies).exclude(
        group_id__in=_imported_territory_ids()
    )
    existing = {(m.group_id, m.commune_id): m for m in owned.only("id", "group_id", "commune_id", "status")}
    to_create = [(g, c, s) for (g, c), s in wanted.items() if (g, c) not in existing]
    to_update = []
    for pair, membership in existing.items():
        if pair in wanted and membership.status != wanted[pair]:
            membership.status = wanted[pair]
            to_update.append(membership)
    stale = [membership.id for pair, membership in existing.items() if pair not in wanted]
    for start in range(0, len(stale), 500):
        Membership.objects.filter(id__in=stale[start : start + 500]).delete()
    insert_rows(Membership, ["group_id", "commune_id", "status"], to_create)
    if to_update:
        Membership.objects.bulk_update(to_update, ["status"], batch_size=500)
    summary.memberships_created, summary.memberships_updated = len(to_create), len(to_update)
    summary.memberships_deleted = len(stale)


def _write_correspondences(plan: Plan, ids: dict[Key, int], summary: LoadSummary) -> None:
    wanted: dict[tuple[int, int], tuple[float, float]] = {}
    for (source, target), link in plan.correspondences.items():
        missing = _not_loaded(ids, source, target)
        if missing:
            # e.g. 2018 CC du Vexin Normand → its 2025 self, an EPCI of Normandy that is not loaded.
            summary.correspondences_skipped.append(
                f"{link.origin}: {source[1]} ({source[2]}) → {target[1]} ({target[2]}): "
                f"{missing} is not among the loaded territories"
            )
            continue
        wanted[(ids[source], ids[target])] = (link.share_of_source, link.share_of_target)
    imported = _imported_territory_ids()
    owned = (
        Correspondence.objects.filter(
            source__kind__in=plan.kinds, source__geography=plan.aldo.code, target__geography__in=plan.geographies
        )
        .exclude(source_id__in=imported)
        .exclude(target_id__in=imported)
    )
    existing = {(c.source_id, c.target_id): c for c in owned}
    to_create = [(s, t, a, b) for (s, t), (a, b) in wanted.items() if (s, t) not in existing]
    to_update = []
    for pair, row in existing.items():
        if pair in wanted and (row.share_of_source, row.share_of_target) != wanted[pair]:
            row.share_of_source, row.share_of_target = wanted[pair]
            to_update.append(row)
    stale = [row.id for pair, row in existing.items() if pair not in wanted]
    Correspondence.objects.filter(id__in=stale).delete()
    insert_rows(Correspondence, ["source_id", "target_id", "share_of_source", "share_of_target"], to_create)
    if to_update:
        Correspondence.objects.bulk_update(to_update, ["share_of_source", "share_of_target"], batch_size=500)
    summary.correspondences_created, summary.correspondences_updated = len(to_create), len(to_update)
    summary.correspondences_deleted = len(stale)


# --- groupings imported by the editors ---------------------------------------------------------------------------

SNAPSHOT_FIELDS = ("name", "search_text", "population", "area_ha", "in_region", "attributes")


class GroupingError(Exception):
    """A grouping that cannot be written as it is (French message)."""


def publish_grouping(kind: str, code: str, name: str, geography: str, members: list[Member]) -> list[int]:
    """Write an imported grouping: a territory in the ALDO vintage whose members are its 2018 communes and, when its
    members are given in another vintage, one in that vintage with its members as given, linked to the ALDO one by a
    same-perimeter correspondence. A territory of the same kind and code that the reference files made without
    communes (a PNR) is taken over, and given back by ``retire_grouping``.

    Returns the ids of the territories whose figures must be computed again."""
    resolution = resolve(members, geography)
    if resolution.problems:
        raise GroupingError(f"{name} : {resolution.problems[0]}")
    communes = {vintages.ALDO.code: {commune.id for commune in resolution.composition.communes}}
    communes[geography] = {commune.id for commune in resolution.given_communes}
    with transaction.atomic():
        grouping = Grouping.objects.select_for_update().filter(kind=kind, code=code).first() or Grouping(
            kind=kind, code=code
        )
        existing = {t.geography: t for t in Territory.objects.filter(kind=kind, code=code)}
        updated = grouping.pk is not None and grouping.is_active
        recomputed = []
        if not updated:  # the reference files' territories of this kind and code are taken over
            if any(t.memberships.exists() for t in existing.values()):
                raise GroupingError(f"{kind} {code} a déjà ses communes dans les fichiers de référence du site.")
            grouping.replaced = {
                geo: {field: getattr(t, field) for field in SNAPSHOT_FIELDS} for geo, t in existing.items()
            }
        elif grouping.geography not in communes and grouping.geography in existing:
            # members now given in another vintage: the territory of the former one is no longer written
            recomputed.append(_give_back(grouping, existing[grouping.geography]))
        grouping.name, grouping.geography, grouping.is_active = name, geography, True
        grouping.members = [[member.kind, member.code] for member in members]
        grouping.save()
        written = {geo: _write_grouping_territory(grouping, geo, ids) for geo, ids in communes.items()}
        Correspondence.objects.filter(source__kind=kind, source__code=code).delete()
        if geography != vintages.ALDO.code:
            Correspondence.objects.create(
                source=written[vintages.ALDO.code], target=written[geography], share_of_source=1.0, share_of_target=1.0
            )
        transaction.on_commit(bump_generation)
    return [territory.pk for territory in written.values()] + [pk for pk in recomputed if pk]


def _write_grouping_territory(grouping: Grouping, geography: str, commune_ids: set[int]) -> Territory:
    communes = list(
        Territory.objects.filter(pk__in=commune_ids).values_list("population", "area_ha", "in_region", "attributes")
    )
    departements = sorted({(attributes or {}).get("departement") for *_, attributes in communes} - {None, ""})
    regions = sorted({(attributes or {}).get("region") for *_, attributes in communes} - {None, ""})
    values = {
        "name": grouping.name,
        "search_text": f"{normalize(grouping.name)} {grouping.code.lower()}"[:300],
        "population": sum(population or 0 for population, *_ in communes),
        "area_ha": round(sum(area or 0.0 for _, area, *_ in communes), 1),
        "in_region": any(in_region for _, _, in_region, _ in communes),
        "attributes": {
            **(grouping.replaced.get(geography, {}).get("attributes") or {}),
            "departements": departements,
            "region": regions[0] if len(regions) == 1 else "",
            "n_communes": len(communes),
            "membership_known": True,
            "imported": True,
        },
    }
    territory, _ = Territory.objects.update_or_create(
        kind=grouping.kind, code=grouping.code, geography=geography, defaults=values
    )
    Membership.objects.filter(group=territory).exclude(commune_id__in=commune_ids).delete()
    present = set(Membership.objects.filter(group=territory).values_list("commune_id", flat=True))
    Membership.objects.bulk_create(
        [Membership(group=territory, commune_id=pk) for pk in sorted(commune_ids - present)], batch_size=1000
    )
    return territory


def _give_back(grouping: Grouping, territory: Territory) -> int | None:
    """Undo what ``grouping`` wrote on ``territory``: the files' version comes back (its id is returned, to compute
    its figures again), or the territory goes when the grouping made it."""
    snapshot = grouping.replaced.get(territory.geography)
    if snapshot is None:
        territory.delete()  # its memberships, correspondences and figures go with it
        return None
    Membership.objects.filter(group=territory).delete()
    Correspondence.objects.filter(target=territory).delete()
    for name, value in snapshot.items():
        setattr(territory, name, value)
    territory.save(update_fields=list(snapshot))
    return territory.pk


def retire_grouping(grouping: Grouping) -> list[int]:
    """Withdraw an imported grouping: its territories go, those the reference files had made come back as they were.
    Returns the ids of the territories whose figures must be computed again (the ones given back)."""
    with transaction.atomic():
        grouping = Grouping.objects.select_for_update().get(pk=grouping.pk)
        if not grouping.is_active:
            raise GroupingError(f"{grouping} est déjà retiré.")
        Correspondence.objects.filter(source__kind=grouping.kind, source__code=grouping.code).delete()
        territories = Territory.objects.filter(kind=grouping.kind, code=grouping.code)
        given_back = [_give_back(grouping, territory) for territory in territories]
        grouping.is_active = False
        grouping.save(update_fields=["is_active", "updated_at"])
        transaction.on_commit(bump_generation)
    return [pk for pk in given_back if pk]
