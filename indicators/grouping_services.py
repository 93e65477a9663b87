"""Writes for the groupings the editors import (SCoT, Pays, PNR…): checking a file, publishing or discarding it,
retiring a grouping, and computing the figures of groupings for every release. Small atomic services; the Celery task
only calls ``compute_grouping_figures`` with territory ids."""

import hashlib

import pandas as pd
from django.db import transaction
from django.utils import timezone

from observatory.cache import bump_generation
from territories import vintages
from territories.grouping_files import read_groupings
from territories.groupings import composition
from territories.models import Territory
from territories.selectors import computation_bases

from . import quality
from .groupings import grouping_sum, unit_kind, warnings
from .models import ActionLog, GroupingImport, Release
from .numbers import plural
from .storage import RESULT_COLUMNS, VALUE_COLUMNS, delete_results, write_results, write_values


class GroupingActionError(Exception):
    """An editor action on groupings that cannot be done as asked (message in French)."""


def check_groupings(content: bytes, filename: str, *, user=None) -> GroupingImport:
    """Read and check a groupings file: refused with its report (every problem, file / row / column), or ready to be
    reviewed and published. Nothing published changes."""
    drafts, problems = read_groupings(content, filename)
    state = GroupingImport.State.INVALID if problems else GroupingImport.State.READY
    with transaction.atomic():
        record = GroupingImport.objects.create(
            original_filename=filename,
            checksum=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
            created_by=user,
            state=state,
            report=problems,
            groupings=[] if problems else [_reviewed(draft) for draft in drafts],
        )
        result = f"refusé : {len(problems)} problème(s)" if problems else f"prêt : {len(drafts)} regroupement(s)"
        ActionLog.objects.create(user=user, action="import_groupings", checksum=record.checksum, result=result)
    return record


def _reviewed(draft) -> dict:
    """A checked grouping as the review shows it: what the file says, its 2018 communes, ALDO's warnings."""
    resolution = draft.resolution
    return {**draft.as_dict(), "warnings": warnings(resolution.composition, resolution.counted_once)}


def publish_groupings(record: GroupingImport, *, user=None) -> GroupingImport:
    """Write the groupings of a checked file as territories and enqueue the computation of their figures for every
    release; all of them or none."""
    from territories.groupings import Member
    from territories.services import GroupingError, publish_grouping

    from .tasks import compute_grouping_figures_task

    with transaction.atomic():
        record = GroupingImport.objects.select_for_update().get(pk=record.pk)
        if record.state != GroupingImport.State.READY:
            raise GroupingActionError(f"{record} ne peut pas être publié ({record.get_state_display().lower()}).")
        territory_ids, names = [], []
        for grouping in record.groupings:
            members = [Member(kind, code) for kind, code in grouping["members"]]
            try:
                territory_ids += publish_grouping(
                    grouping["kind"], grouping["code"], grouping["name"], grouping["geography"], members
                )
            except GroupingError as refused:
                raise GroupingActionError(str(refused)) from refused
            names.append(f"{grouping['name']} ({grouping['kind']} {grouping['code']})")
        record.state, record.published_at = GroupingImport.State.PUBLISHED, timezone.now()
        record.message = "Calcul des chiffres en cours pour chaque millésime."
        record.save(update_fields=["state", "published_at", "message"])
        ActionLog.objects.create(
            user=user, action="publish_groupings", checksum=record.checksum, result="publié : " + ", ".join(names)
        )
        transaction.on_commit(lambda: compute_grouping_figures_task.delay(territory_ids, record.pk))
    return record


def discard_groupings(record: GroupingImport, *, user=None) -> GroupingImport:
    """Drop a checked file that will not be published (the audit trail stays)."""
    with transaction.atomic():
        record = GroupingImport.objects.select_for_update().get(pk=record.pk)
        if record.state != GroupingImport.State.READY:
            raise GroupingActionError(f"{record} ne peut pas être écarté ({record.get_state_display().lower()}).")
        record.state = GroupingImport.State.DISCARDED
        record.save(update_fields=["state"])
        ActionLog.objects.create(user=user, action="discard_groupings", checksum=record.checksum, result="écarté")
    return record


def retire_grouping(grouping, *, user=None) -> None:
    """Withdraw an imported grouping: its pages and figures go; a PNR the reference files name comes back as it was
    (its figures recomputed: unavailable without communes)."""
    from territories.services import GroupingError
    from territories.services import retire_grouping as retire

    from .tasks import compute_grouping_figures_task

    with transaction.atomic():
        try:
            given_back = retire(grouping)
        except GroupingError as refused:
            raise GroupingActionError(str(refused)) from refused
        ActionLog.objects.create(user=user, action="retire_grouping", result=f"retiré : {grouping}")
        if given_back:
            transaction.on_commit(lambda: compute_grouping_figures_task.delay(given_back))


def compute_grouping_figures(territory_ids: list[int], grouping_import_id: int | None = None) -> int:
    """Figures of the territories of imported groupings for every release that has figures, summed from the stored
    figures of their units (what the engine computes, see ``groupings``); a territory that cannot be computed gets
    its reason. Each release's rows of these territories are replaced in one transaction: safe to run again.
    Returns the number of figures written."""
    territories = list(Territory.objects.filter(pk__in=territory_ids).only("id"))
    bases = computation_bases("commune")
    commune_ids = dict(
        Territory.objects.filter(kind="commune", geography=vintages.ALDO.code).values_list("code", "id")
    )
    compositions = {
        t.pk: composition(commune_ids[code] for code in bases[t.pk].units)
        for t in territories
        if bases[t.pk].available
    }
    written = 0
    for release in Release.objects.exclude(status=Release.Status.DISCARDED):
        results, rows = [], []
        for territory in territories:
            if territory.pk in compositions:
                figures = grouping_sum(release, compositions[territory.pk])
                reason, rebuilt = figures.unavailable_reason, figures.has_rebuilt_inputs
                n_units = 0 if reason else figures.n_units  # as the import counts them
                facts = {} if reason else figures.facts
                rows += [(release.pk, territory.pk, *row) for row in figures.rows]
            else:
                reason, n_units, rebuilt, facts = bases[territory.pk].unavailable_reason, 0, False, {}
            results.append(
                {
                    "release_id": release.pk,
                    "territory_id": territory.pk,
                    "available": not reason,
                    "unavailable_reason": reason or "",
                    "computed_from": unit_kind(release),
                    "n_units": n_units,
                    "has_rebuilt_inputs": rebuilt,
                    "facts": facts,
                    "quality_level": quality.assess(facts).level.slug if facts else "",
                }
            )
        with transaction.atomic():
            delete_results(release, territories)
            write_results(pd.DataFrame(results, columns=RESULT_COLUMNS))
            written += write_values(pd.DataFrame(rows, columns=VALUE_COLUMNS))
    transaction.on_commit(bump_generation)
    if grouping_import_id is not None:
        GroupingImport.objects.filter(pk=grouping_import_id).update(
            computed_at=timezone.now(),
            message=f"{plural(len(territories), 'territoire calculé', 'territoires calculés')} pour chaque millésime.",
        )
    return written
