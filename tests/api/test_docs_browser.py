"""The API documentation page draws in Debian's Chromium under the site's CSP, with nothing from a third party."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def test_swagger_ui_renders_every_operation_without_csp_violation(live_server, transactional_db):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is missing: run `make browser`")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
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
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "request",
            lambda request: (
                request.url.startswith((live_server.url, "data:"))
                or problems.append(f"third-party request: {request.url}")
            ),
        )

        page.goto(f"{live_server.url}/api/v1/docs/")

        expect(page.locator(".opblock")).to_have_count(7, timeout=15_000)
        expect(page.get_by_text("API de l'Observatoire Climat Hauts-de-France").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)
        browser.close()
    assert not problems, problems
