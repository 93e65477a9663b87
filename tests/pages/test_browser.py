"""In Debian's Chromium: search → territory page → charts drawn → release switch → indicator map; axe checks."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from indicators.models import Release
from tests.conftest import load_full_database

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def browser_page(live_server, transactional_db):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is missing: run `make browser`")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    if not Release.objects.published().exists():  # a transactional test flushed the session database
        load_full_database()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
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
            lambda response: (
                response.status >= 400
                and not response.url.endswith("/favicon.ico")
                and page.problems.append(f"{response.status} {response.url}")
            ),
        )
        page.on(
            "request",
            lambda request: (
                request.url.startswith(live_server.url)
                or request.url.startswith("data:")
                or page.problems.append(f"third-party request: {request.url}")
            ),
        )
        yield page
        browser.close()


def check_accessibility(page, name: str):
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in blocking)


def shot(page, name: str):
    page.screenshot(path=str(ARTIFACTS / f"pages-{name}.png"), full_page=True)


def test_search_territory_charts_release_switch_and_indicator_map(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/")
    expect(page.locator(".home-map .chart--drawn .main-svg").first).to_be_visible()
    check_accessibility(page, "home")
    shot(page, "home")

    page.get_by_role("combobox").fill("Métropole Européenne de Lille")
    option = page.get_by_role("option").filter(has_text="Métropole Européenne de Lille").first
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url("**/territoire/epci/200093201/**")
    expect(page.locator(".chart--drawn")).to_have_count(5)
    assert page.locator(".chart .main-svg").count() >= 5
    expect(page.get_by_role("heading", name="Chiffres clés")).to_be_visible()
    check_accessibility(page, "territory")
    shot(page, "territory")

    page.get_by_label("Millésime ALDO").select_option("hetre")
    page.get_by_role("button", name="Afficher ce millésime").click()
    page.wait_for_url("**millesime=hetre**")
    expect(page.locator(".figures-source")).to_contain_text("HETRE")
    unavailable = page.locator(".notice.unavailable")
    if unavailable.count() == 0:
        expect(page.locator(".chart--drawn")).to_have_count(5)
    shot(page, "territory-hetre")

    if unavailable.count() == 0:
        page.get_by_role("link", name="Définition et méthode de l'indicateur").first.click()
    else:
        page.goto(f"{live_server.url}/indicateurs/stock-carbone/")
    page.wait_for_url("**/indicateurs/**")
    expect(page.locator(".chart--map.chart--drawn")).to_have_count(1)
    expect(page.locator(".chart--map .choroplethlocation").first).to_be_attached()
    check_accessibility(page, "indicator")
    shot(page, "indicator")

    first_before = page.locator("table[data-sortable] tbody tr").first.inner_text()
    page.locator("table[data-sortable] thead th").nth(2).get_by_role("button").click()
    expect(page.locator("table[data-sortable] thead th").nth(2)).to_have_attribute("aria-sort", "ascending")
    assert page.locator("table[data-sortable] tbody tr").first.inner_text() != first_before

    assert not page.problems, page.problems
