from celery import shared_task


@shared_task
def warm_territory_pages_task() -> int:
    """Run by Celery beat: the groupings' pages a publication left uncached are rendered before anyone asks."""
    from .views import warm_territory_pages

    return warm_territory_pages()
