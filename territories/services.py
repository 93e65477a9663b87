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

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from observatory.cache import bump_generation

from . import vintages
from .declaration import SourceError
from .models import Correspondence, Membership, Territory, TerritoryKind
from .sources import Key, Plan, read_source

TERRITORY_FIELDS = ("name", "search_text", "population", "area_ha", "in_region", "attributes", "geometry")
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
        ids = _write_territories(plan, summary)
        _write_memberships(plan, ids, summary)
        _write_correspondences(plan, ids, summary)
        transaction.on_commit(bump_generation)  # cached pages show territory names and members
    return summary


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
            to_create.append(Territory(kind=spec.kind, code=spec.code, geography=spec.geography, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    Territory.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Territory.objects.bulk_update(to_update, TERRITORY_FIELDS, batch_size=200)
    summary.territories_created, summary.territories_updated = len(to_create), len(to_update)
    summary.territories_stale = sorted(
        f"{kind}:{code}:{geography}"
        for kind, code, geography in existing
        if kind in plan.kinds and (kind, code, geography) not in plan.specs
    )
    return {
        (kind, code, geography): pk
        for pk, kind, code, geography in Territory.objects.filter(geography__in=plan.geographies).values_list(
            "id", "kind", "code", "geography"
        )
    }


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
    # Custom groupings made elsewhere (kinds no file declares) are left alone.
    owned = Membership.objects.filter(group__kind__in=plan.kinds, group__geography__in=plan.geographies)
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
    owned = Correspondence.objects.filter(
        source__kind__in=plan.kinds, source__geography=plan.aldo.code, target__geography__in=plan.geographies
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
