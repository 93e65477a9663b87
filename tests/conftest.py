"""Shared fixtures.

The session database holds the territories and both bundled releases (HETRE, CHANTERELLE published,
CHANTERELLE current), loaded once. Tests using ``db`` see them inside a rolled-back transaction.
Tests using ``transactional_db`` (live server, real Celery worker) run last and flush the database
afterwards, so they load what they need themselves with ``load_full_database``.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def load_full_database() -> None:
    call_command("load_territories", verbosity=0)
    call_command("load_bundled_releases", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_full_database()


@pytest.fixture
def loaded_territories(db):
    """The territories of fixtures/territories (loaded once per session by ``django_db_setup``).

    Reloads them inside the test's transaction if a ``transactional_db`` test flushed the database.
    """
    from territories.models import Territory

    if not Territory.objects.exists():
        call_command("load_territories", verbosity=0)
    return Territory.objects


@pytest.fixture
def shared_dir() -> Path:
    """../shared next to the checkout (ALDO reference data); tests that need it skip without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} not found: these checks need the ALDO reference data of ../shared")
    return SHARED_DIR
