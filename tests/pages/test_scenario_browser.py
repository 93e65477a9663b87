"""« Et si… ? » in Debian's Chromium: a lever moves, the chart and the words follow without a page load, the address
keeps the state, a reload finds it again; a phone reads it whole; axe finds nothing serious."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Release
from tests.conftest import check_accessibility, load_full_database

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MEL = "/territoire/epci/200093201/scenario/"
PRACTICES_TRACE = """() => {
  const chart = document.querySelector('[data-figure="figure-scenario-flux-composante"]');
  return chart.data.map((trace) => trace.x);
}"""


@pytest.fixture
def browser_page(watched_page, transactional_db, scenario_bundles):
    if not Release.objects.published().exists():  # a transactional test flushed the session database
        load_full_database()
    return watched_page


def test_a_lever_redraws_the_chart_and_the_words_and_the_address_reopens_the_same_scenario(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}{MEL}")
    expect(page.locator("#scenario-results .chart--drawn")).to_have_count(3)
    sentence = page.locator(".scenario-sentence")
    expect(sentence).to_contain_text("Ce scénario ne change pas le flux net")
    bars_before = page.evaluate(PRACTICES_TRACE)
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page were loaded again

    page.get_by_label("Haies sur cultures (60 mètres linéaires par ha)").fill("10000")
    expect(sentence).to_contain_text("la séquestration nette passerait de")
    page.wait_for_url(re.compile(r"haies_cultures=10000"))
    expect(page.locator("#scenario-results .chart--drawn")).to_have_count(3)
    bars_after = page.evaluate(PRACTICES_TRACE)
    assert bars_after != bars_before
    assert -5500 in [round(value) for value in bars_after[1]]  # the scenario's series: 10 000 ha × −0,55
    expect(page.locator("#scenario-announce")).to_contain_text("passerait de")
    words = sentence.inner_text()
    check_accessibility(page, "pages-scenario")

    page.get_by_role("radio", name=re.compile("approche consommation")).check()
    page.wait_for_url(re.compile(r"produits_bois=consommation"))
    expect(sentence).not_to_have_text(words)
    words = sentence.inner_text()
    shared = page.url
    assert page.evaluate("() => window.sameDocument === true")  # redrawn in place, not loaded again

    page.goto(shared)  # the shared address, opened again
    expect(page.get_by_label("Haies sur cultures (60 mètres linéaires par ha)")).to_have_value("10000")
    expect(page.get_by_role("radio", name=re.compile("approche consommation"))).to_be_checked()
    expect(sentence).to_have_text(words)
    expect(page.locator("#scenario-results .chart--drawn")).to_have_count(3)

    page.get_by_role("link", name="Réinitialiser").click()
    page.wait_for_url(f"{live_server.url}{MEL}")
    expect(sentence).to_contain_text("Ce scénario ne change pas le flux net")
    assert not page.problems, page.problems


def test_a_refused_value_is_said_next_to_its_lever_then_cleared(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}{MEL}")
    expect(page.locator("#scenario-results .chart--drawn")).to_have_count(3)
    field = page.get_by_label("Artificialisation (espaces naturels, agricoles ou forestiers devenus artificiels)")
    field.fill("500")
    error = page.locator('[data-error-for="artificialisation"]')
    expect(error).to_contain_text("la valeur doit être comprise entre 0")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, "pages-scenario-error")

    field.fill("0")
    expect(error).to_be_empty()
    expect(page.locator(".scenario-sentence")).to_be_visible()
    page.wait_for_url(re.compile(r"artificialisation=0"))
    problems = [problem for problem in page.problems if not problem.startswith("400 ")]  # the refused value's answer
    assert not problems, problems


def test_the_scenario_reads_whole_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{MEL}?haies_cultures=2000&artificialisation=50")
    expect(page.locator("#scenario-results .chart--drawn.chart--phone")).to_have_count(3)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    labels = page.locator('[data-figure="figure-scenario-flux-composante"] .annotation-text')
    expect(labels.filter(has_text="Pratiques agricoles")).to_have_count(1)
    check_accessibility(page, "pages-scenario-phone")
    assert not page.problems, page.problems
