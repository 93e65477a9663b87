"""The API documentation page draws in Debian's Chromium under the site's CSP, with nothing from a third party."""

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_swagger_ui_renders_every_operation_without_csp_violation(watched_page, live_server, transactional_db):
    page = watched_page
    schema = page.request.get(f"{live_server.url}/api/v1/schema/?format=json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.locator(".opblock")).to_have_count(operations, timeout=15_000)
    expect(page.get_by_text("API de l'Observatoire Climat Hauts-de-France").first).to_be_visible()
    # Swagger UI's own markup fails axe (contrast, nested controls): only the site's pages are held to it.
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)
    assert not page.problems, page.problems
