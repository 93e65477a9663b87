"""In Debian's Chromium: the MEL page shows the SNBC frame and the EU view, the région page its compensation share, a
series page draws its charts; axe finds no serious violation."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Release, SeriesVersion
from tests.conftest import check_accessibility, load_full_database

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def browser_page(watched_page, transactional_db):
    if not Release.objects.published().exists() or not SeriesVersion.objects.published().exists():
        load_full_database()  # a transactional test flushed the session database
    return watched_page


def test_mel_shows_the_snbc_frame_and_the_eu_view_and_the_region_its_compensation(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/territoire/epci/200093201/")
    expect(
        page.get_by_role("heading", name="Le territoire dans la stratégie nationale bas-carbone (SNBC)")
    ).to_be_visible()
    frame = page.locator(".snbc-frame table")
    expect(frame.locator("thead")).to_contain_text("France 2050 (projeté)")
    forest = frame.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="Forêt", exact=True))
    expect(forest).to_contain_text("séquestration nette")
    expect(forest).to_contain_text(re.compile(r"−49,9\s*−43,2\s*−35,2"))

    eu = page.locator("#flux-carbone-categories-ue")
    expect(eu.get_by_role("heading", name="Flux de carbone par catégorie comptable de l'UE")).to_be_visible()
    expect(eu.locator(".chart--drawn")).to_have_count(1)
    expect(eu.locator(".chart-reading")).to_contain_text("niveau de référence pour les forêts de la France")
    expect(page.locator("#cultures-energetiques-ges .chart--drawn")).to_have_count(1)
    check_accessibility(page, "frames-mel")

    page.goto(f"{live_server.url}/territoire/region/32/")
    expect(page.get_by_role("heading", name="Compensation des émissions")).to_be_visible()
    expect(page.locator(".compensation")).to_contain_text(re.compile(r"compense 3,6\s%\sde ses émissions directes"))
    expect(page.locator(".compensation")).to_contain_text("en 2018")
    check_accessibility(page, "frames-region")

    page.goto(f"{live_server.url}/indicateurs/snbc-budgets-carbone/")
    expect(page.locator(".chart--drawn")).to_have_count(4)
    check_accessibility(page, "series-snbc-budgets")
    assert not page.problems, page.problems
