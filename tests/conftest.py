"""Shared fixtures.

The session database holds the territories, both bundled releases (HETRE, CHANTERELLE published, CHANTERELLE
current) and the bundled indicator series (published), loaded once. Tests using ``db`` see them inside a rolled-back
transaction. Tests using ``transactional_db`` (live server, real Celery worker) run last and flush the database
afterwards, so they load what they need themselves with ``load_full_database``.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from observatory.cache import forget_generation_values

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


# CI sets this: a test that needs one of these real things and skips is a failure there, not a silent pass.
REQUIRED_WHEN = "OBSERVATORY_REQUIRE_REAL_SERVICES"
REQUIRED_MARKERS = ("browser", "celery_worker", "postgresql")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    required = [marker for marker in REQUIRED_MARKERS if item.get_closest_marker(marker)]
    if report.skipped and required and os.environ.get(REQUIRED_WHEN):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but {REQUIRED_WHEN} requires the tests marked {', '.join(required)}: {reason}"


def load_full_database() -> None:
    call_command("setup_site", verbosity=0)  # what `make setup` runs (its migrate step finds nothing to do)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_full_database()


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages and API throttles use the cache: each test starts from an empty one."""
    cache.clear()
    forget_generation_values()
    yield
    cache.clear()
    forget_generation_values()


@pytest.fixture
def releases(db):
    """The bundled releases by slug, reloaded if a transactional test flushed the database."""
    from indicators.models import Release

    if not Release.objects.published().exists():
        load_full_database()
    return {release.slug: release for release in Release.objects.published()}


@pytest.fixture
def scenario_bundles():
    """Scenarios keep each release's bundle in memory: a test reads them as its own database describes them."""
    from indicators.scenarios import release_bundle

    release_bundle.cache_clear()
    yield
    release_bundle.cache_clear()


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


CHROMIUM = Path("/usr/bin/chromium")  # Debian's: Playwright never downloads its own browser here
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def watched_page(live_server, monkeypatch):
    """A Chromium page that records what a visitor would suffer from: script errors, console errors,
    failed requests and any request to a third-party host (the site must serve everything itself)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: run `make system`")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")  # reported with its URL just below
                and page.problems.append(message.text)
            ),
        )
        page.on(
            "response",
            lambda response: response.status >= 400 and page.problems.append(f"{response.status} {response.url}"),
        )
        page.on(
            "request",
            lambda request: (
                request.url.startswith((live_server.url, "data:", "blob:"))
                or page.problems.append(f"third-party request: {request.url}")
            ),
        )
        yield page
        browser.close()


def check_accessibility(page, name: str) -> None:
    """No serious or critical axe violation; the screenshot is kept as a test artifact either way."""
    from axe_playwright_python.sync_playwright import Axe

    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in blocking)
