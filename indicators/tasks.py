from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import_job_task(job_id: int) -> None:
    """Thin adapter: the import service does the work and is safe to run again after a crash."""
    from .services import run_import_job

    run_import_job(job_id)


@shared_task
def recover_stalled_imports_task() -> list[int]:
    """Run by Celery beat: sends the jobs the broker never got, and the jobs whose worker died, to a worker."""
    from .services import recover_stalled_imports

    return recover_stalled_imports()


@shared_task
def warm_territory_pages_task() -> int:
    """Run by Celery beat: the groupings' pages a publication left uncached are rendered before anyone asks."""
    from .pages.warming import warm_territory_pages

    return warm_territory_pages()


@shared_task
def purge_rejected_uploads_task() -> int:
    """Run by Celery beat: deletes the uploaded bundles of rejected imports once their retention period is over."""
    from .services import purge_rejected_uploads

    return purge_rejected_uploads()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compute_grouping_figures_task(territory_ids: list[int], grouping_import_id: int | None = None) -> int:
    """Thin adapter: the service computes the figures of imported groupings for every release (safe to run again)."""
    from .grouping_services import compute_grouping_figures

    return compute_grouping_figures(territory_ids, grouping_import_id)
