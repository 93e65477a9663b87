"""Writes on releases: importing a bundle as a staged release, publishing, unpublishing, discarding (groupings have
their own, ``grouping_services``).

Each service is small and atomic. The Celery tasks only call ``run_import_job`` with a job id.
"""

import hashlib
import logging
import threading
from datetime import timedelta
from pathlib import Path

import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from kombu.exceptions import OperationalError as BrokerUnavailable

from observatory.cache import bump_generation
from territories.models import Territory
from territories.selectors import computation_bases

from . import quality
from .aldo import InvalidBundle, compute, load_bundle
from .job_locks import job_lock, stalled_jobs
from .measures import AREA, TOTAL
from .models import RUNNING_STATES, ActionLog, ImportJob, Release
from .numbers import plural
from .storage import delete_results, refresh_statistics, write_results, write_values

logger = logging.getLogger(__name__)

STAGING_ATTEMPTS = 5
MAX_ATTEMPTS = 3


class ReleaseActionError(Exception):
    """An editor action that cannot be done in the release's current state (message in French)."""


def source_checksum(source: Path) -> str:
    """SHA-256 of a .zip, or of a folder's files (names and contents, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
    for path in files:
        if source.is_dir():
            digest.update(path.relative_to(source).as_posix().encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def start_import(source: Path, release_name: str, *, user=None, original_filename: str = "") -> ImportJob:
    """Record an import job for ``source`` and send it to the workers once the job row is committed.

    The same file imported again under the same name while its first import has not finished gives that job back
    (a retry after an error page, or a second click, makes no duplicate).
    """
    slug = slugify(release_name)
    if not slug:
        raise ValueError("Le nom du millésime doit contenir au moins une lettre ou un chiffre.")
    source = Path(source)
    checksum = source_checksum(source)
    with transaction.atomic():
        unfinished = (
            ImportJob.objects.select_for_update()
            .filter(release_slug=slug, checksum=checksum, state__in=RUNNING_STATES)
            .first()
        )
        if unfinished:
            return unfinished
        job = ImportJob.objects.create(
            release_slug=slug,
            source_path=str(source.resolve()),
            original_filename=original_filename or source.name,
            checksum=checksum,
            size_bytes=source.stat().st_size if source.is_file() else 0,
            created_by=user,
        )
        ActionLog.objects.create(user=user, action="import", job=job, checksum=job.checksum, result="reçu")
        transaction.on_commit(lambda: send_to_workers(job.pk))
    return job


def send_to_workers(job_id: int) -> bool:
    """Hand a job to the broker. When the broker cannot be reached the job stays "Reçu", visibly waiting, and
    recover_stalled_imports sends it as soon as the broker is back; False then.

    Without a broker (the embedded default) tasks run in-process: the job then runs in a thread of its own, so that
    the editor's upload answers at once and the job page follows it as it would follow a worker."""
    from .tasks import run_import_job_task

    if settings.IMPORTS_IN_THREAD:
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"import-{job_id}", daemon=True).start()
        ImportJob.objects.filter(pk=job_id, queued_at__isnull=True).update(queued_at=timezone.now())
        return True
    try:
        run_import_job_task.delay(job_id)
    except BrokerUnavailable as error:
        logger.warning("Import job %s waits: the broker cannot be reached (%s)", job_id, error)
        return False
    ImportJob.objects.filter(pk=job_id, queued_at__isnull=True).update(queued_at=timezone.now())
    return True


def _run_in_thread(job_id: int) -> None:
    from .tasks import run_import_job_task

    try:
        run_import_job_task.apply(args=[job_id])
    finally:
        connections.close_all()  # the thread's own database connection


def _set_state(job: ImportJob, state: str, progress: int, **fields) -> None:
    job.state, job.progress = state, progress
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["state", "progress", "updated_at", *fields])


def run_import_job(job_id: int) -> ImportJob:
    """Validate, compute and stage the release of a job, which always ends "Prêt" or "Échec" with a true message.

    Idempotent: a finished job is left as it is, a job another worker is running is left to it, and a job
    interrupted by a worker's death is recomputed from the start (nothing partial was written).
    """
    with job_lock(job_id) as acquired:
        if not acquired:
            logger.info("Import job %s is already running in another worker: this delivery is dropped", job_id)
            return ImportJob.objects.get(pk=job_id)
        return _run_import_job(job_id)


def _run_import_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.state in (ImportJob.State.READY, ImportJob.State.FAILED):
        return job
    if job.attempts >= MAX_ATTEMPTS:
        return _fail(
            job,
            f"Le calcul a été interrompu {job.attempts} fois (arrêt du serveur de calcul, de la file d'attente ou "
            "manque de mémoire) : importez de nouveau le fichier ; rien n'a été publié.",
        )
    _set_state(job, ImportJob.State.VALIDATING, 5, attempts=job.attempts + 1, started_at=timezone.now(), message="")
    step = "lecture du fichier"
    try:
        try:
            bundle = load_bundle(Path(job.source_path))
        except InvalidBundle as invalid:
            return _fail(job, str(invalid), [problem.as_dict() for problem in invalid.problems])
        step = "calcul des indicateurs"
        _set_state(job, ImportJob.State.COMPUTING, 30)
        values, results = _compute_every_territory(bundle)
        step = "enregistrement des chiffres"
        _set_state(job, ImportJob.State.COMPUTING, 70)
        job = _stage(job, bundle, values, results)
    except SoftTimeLimitExceeded:
        return _fail(
            job,
            f"L'import a dépassé sa durée maximale ({settings.CELERY_TASK_SOFT_TIME_LIMIT // 60} minutes) à l'étape "
            f"« {step} » : rien n'a été publié. Signalez-le à l'équipe technique.",
        )
    except MemoryError:
        return _fail(
            job, f"Mémoire insuffisante à l'étape « {step} » : rien n'a été publié. Signalez-le à l'équipe technique."
        )
    except Exception:
        logger.exception("Import job %s failed during: %s", job.pk, step)
        return _fail(
            job,
            f"L'import a échoué à l'étape « {step} » (erreur inattendue, consignée pour l'équipe technique) : rien "
            "n'a été publié.",
        )
    refresh_statistics()
    return job


def _stage(job: ImportJob, bundle, values: pd.DataFrame, results: pd.DataFrame) -> ImportJob:
    """Write the release, its territory results and its figures in one transaction, and mark the job ready."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        release = _create_staged_release(job, bundle)
        results["release_id"] = release.pk
        write_results(results)
        values["release_id"] = release.pk
        count = write_values(values)
        _set_state(
            job,
            ImportJob.State.READY,
            100,
            release=release,
            finished_at=timezone.now(),
            message=f"{plural(int(results['available'].sum()), 'territoire calculé', 'territoires calculés')}, "
            f"{plural(count, 'valeur enregistrée', 'valeurs enregistrées')}.",
        )
        ActionLog.objects.create(
            user=job.created_by, action="compute", release=release, job=job, checksum=job.checksum, result=job.message
        )
    return job


def recover_stalled_imports() -> list[int]:
    """Run by beat every minute. Sends the jobs the broker never received (it was down at upload time), and the
    jobs no worker holds that stopped moving (their worker died and the broker did not redeliver them); after
    MAX_ATTEMPTS the next delivery fails them with a message. Returns the ids of the jobs sent."""
    with transaction.atomic():
        job_ids = list(stalled_jobs().select_for_update(skip_locked=True).values_list("pk", flat=True))
        ImportJob.objects.filter(pk__in=job_ids).update(updated_at=timezone.now())  # not picked again next round
    return [job_id for job_id in job_ids if send_to_workers(job_id)]


def purge_rejected_uploads() -> int:
    """Delete the uploaded bundles of imports that failed or whose release was discarded, and uploads no job
    refers to, UPLOAD_RETENTION_DAYS after the fact; the jobs keep their record and checksum. Bundles of staged,
    published or withdrawn releases are kept, and so is anything outside the upload folder (command-line imports).
    Returns how many files were deleted."""
    now = timezone.now()
    before = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    folder = upload_folder()
    rejected = ImportJob.objects.filter(source_deleted_at__isnull=True, finished_at__lt=before).filter(
        Q(state=ImportJob.State.FAILED) | Q(release__status=Release.Status.DISCARDED)
    )
    deleted = 0
    for job in rejected:
        path = Path(job.source_path)
        if path.parent == folder:
            path.unlink(missing_ok=True)
            deleted += 1
        ImportJob.objects.filter(pk=job.pk).update(source_deleted_at=now)
    referenced = set(ImportJob.objects.values_list("source_path", flat=True))
    for path in folder.glob("*.zip") if folder.is_dir() else ():
        if str(path) not in referenced and path.stat().st_mtime < before.timestamp():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def upload_folder() -> Path:
    """Where uploaded bundles are stored (never served)."""
    return (Path(settings.MEDIA_ROOT) / "bundles").resolve()


def _fail(job: ImportJob, message: str, report: list | None = None) -> ImportJob:
    _set_state(job, ImportJob.State.FAILED, 100, message=message, report=report or [], finished_at=timezone.now())
    ActionLog.objects.create(
        user=job.created_by, action="import", job=job, checksum=job.checksum, result=f"échec : {message}"
    )
    return job


def _compute_every_territory(bundle) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute each distinct set of units once, then give its figures and data-quality facts to every territory built
    on it."""
    bases = computation_bases(bundle.unit_kind)
    available = {tid: basis for tid, basis in bases.items() if basis.unavailable_reason is None}
    key_of_units: dict[tuple[str, ...], str] = {}
    territory_keys = []
    for territory_id, basis in available.items():
        key = key_of_units.setdefault(tuple(sorted(basis.units)), f"b{len(key_of_units)}")
        territory_keys.append((territory_id, key))
    result = compute(bundle, {key: units for units, key in key_of_units.items()})

    owners = pd.DataFrame(territory_keys, columns=["territory_id", "territory"])
    values = result.values[result.values["value"] != 0].merge(owners, on="territory")
    rebuilt = set(values.loc[values["provenance"] != "original", "territory_id"])
    inputs = _inputs_by_key(result.inputs)
    totals = result.values[(result.values["measure"] == AREA) & (result.values["land_use"] == TOTAL)]
    land_use_area = dict(zip(totals["territory"], totals["value"], strict=True))
    official_area = dict(Territory.objects.filter(pk__in=list(bases)).values_list("pk", "area_ha"))

    records = []
    for territory_id, basis in bases.items():
        reason = basis.unavailable_reason
        key = None if reason else key_of_units[tuple(sorted(basis.units))]
        if key in result.unavailable:
            reason = result.unavailable[key]
        record = {
            "territory_id": territory_id,
            "available": reason is None,
            "unavailable_reason": reason or "",
            "computed_from": bundle.unit_kind,
            "n_units": len(basis.units),
            "has_rebuilt_inputs": territory_id in rebuilt,
            "facts": {},
            "quality_level": "",
        }
        if reason is None:
            record["facts"] = quality.facts(
                n_units=int(result.unit_counts[key]),
                unit_kind=bundle.unit_kind,
                basis=basis,
                official_area=official_area.get(territory_id),
                land_use_area=float(land_use_area.get(key, 0.0)),
                inputs=inputs[key],
            )
            record["quality_level"] = quality.assess(record["facts"]).level.slug
        records.append(record)
    results = pd.DataFrame.from_records(records)
    computed = set(results.loc[results["available"], "territory_id"])
    return values[values["territory_id"].isin(computed)].drop(columns="territory"), results


def _inputs_by_key(inputs: pd.DataFrame) -> dict[str, dict]:
    """Engine input facts as {territory key: {input: {total, rebuilt, shared, unit}}} (plain floats, for JSON)."""
    by_key: dict[str, dict] = {}
    for key, name, total, rebuilt, shared, unit in inputs[
        ["territory", "input", "total", "rebuilt", "shared", "unit"]
    ].itertuples(index=False):
        by_key.setdefault(key, {})[name] = {
            "total": float(total),
            "rebuilt": float(rebuilt),
            "shared": float(shared),
            "unit": unit,
        }
    return by_key


def _create_staged_release(job: ImportJob, bundle) -> Release:
    # Two imports of the same millésime can stage at once, and no lock helps: select_for_update() is dropped from an
    # aggregate and cannot lock a revision that does not exist yet. So the unique (slug, revision) index decides:
    # the loser's insert waits for the winner's commit, fails, and takes the next revision. (Editor area, worker 6.)
    manifest = bundle.manifest
    for _ in range(STAGING_ATTEMPTS):
        latest = Release.objects.filter(slug=job.release_slug).aggregate(Max("revision"))["revision__max"] or 0
        try:
            with transaction.atomic():
                return Release.objects.create(
                    slug=job.release_slug,
                    revision=latest + 1,
                    name=job.release_slug.upper(),
                    rule_set=bundle.rule_set,
                    aldo_commit=str(manifest.get("aldo_commit", "")),
                    scope=str(manifest.get("scope", "")),
                    manifest=manifest,
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"Import job {job.pk}: no free revision for {job.release_slug} after {STAGING_ATTEMPTS} tries")


def publish_release(release: Release, *, user=None) -> Release:
    """Make a staged (or withdrawn) release the published one of its millésime and the current one, at once."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status not in (Release.Status.STAGED, Release.Status.WITHDRAWN, Release.Status.SUPERSEDED):
            raise ReleaseActionError(
                f"Le millésime {release} ne peut pas être publié (état : {release.get_status_display()})."
            )
        list(Release.objects.select_for_update().filter(status=Release.Status.PUBLISHED))
        Release.objects.filter(slug=release.slug, status=Release.Status.PUBLISHED).exclude(pk=release.pk).update(
            status=Release.Status.SUPERSEDED, is_current=False
        )
        Release.objects.filter(is_current=True).update(is_current=False)
        release.status, release.is_current, release.published_at = Release.Status.PUBLISHED, True, timezone.now()
        release.save(update_fields=["status", "is_current", "published_at"])
        ActionLog.objects.create(user=user, action="publish", release=release, result="publié")
        bump_generation()  # in the transaction: pages follow the database, whatever the cache holds
    return release


def make_current(release: Release, *, user=None) -> Release:
    """Show an already published release by default again (e.g. go back to an older millésime)."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != Release.Status.PUBLISHED:
            raise ReleaseActionError("Seul un millésime publié peut devenir le millésime affiché par défaut.")
        Release.objects.filter(is_current=True).exclude(pk=release.pk).update(is_current=False)
        release.is_current = True
        release.save(update_fields=["is_current"])
        ActionLog.objects.create(user=user, action="make_current", release=release, result="affiché par défaut")
        bump_generation()  # in the transaction: pages follow the database, whatever the cache holds
    return release


def unpublish_release(release: Release, *, user=None) -> Release:
    """Withdraw a published release; if it was the default one, the latest other published release takes over."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != Release.Status.PUBLISHED:
            raise ReleaseActionError(f"Le millésime {release} n'est pas publié.")
        was_current = release.is_current
        release.status, release.is_current = Release.Status.WITHDRAWN, False
        release.save(update_fields=["status", "is_current"])
        if was_current:
            successor = Release.objects.published().order_by("-published_at").first()
            if successor:
                successor.is_current = True
                successor.save(update_fields=["is_current"])
        ActionLog.objects.create(user=user, action="unpublish", release=release, result="dépublié")
        bump_generation()  # in the transaction: pages follow the database, whatever the cache holds
    return release


def discard_release(release: Release, *, user=None) -> Release:
    """Drop a staged release that will not be published (its figures are deleted, the audit trail stays)."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != Release.Status.STAGED:
            raise ReleaseActionError("Seul un millésime en attente de publication peut être écarté.")
        delete_results(release)
        release.status = Release.Status.DISCARDED
        release.save(update_fields=["status"])
        ActionLog.objects.create(user=user, action="discard", release=release, result="écarté")
    return release
