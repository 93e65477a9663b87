"""In Debian's Chromium: search → territory page → charts drawn → release switch → indicator map; axe checks."""

import pytest
from playwright.sync_api import expect

from indicators.models import Release
from indicators.registry import INDICATORS
from tests.conftest import ARTIFACTS, check_accessibility, load_full_database

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def browser_page(watched_page, transactional_db):
    if not Release.objects.published().exists():  # a transactional test flushed the session database
        load_full_database()
    return watched_page


def test_search_territory_charts_release_switch_and_indicator_map(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/")
    expect(page.locator(".home-map .chart--drawn .main-svg").first).to_be_visible()
    check_accessibility(page, "pages-home")

    page.get_by_role("combobox").fill("Métropole Européenne de Lille")
    option = page.get_by_role("option").filter(has_text="Métropole Européenne de Lille").first
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url("**/territoire/epci/200093201/**")
    # the six ALDO indicators, and the energy-crop series of its former region (Nord - Pas-de-Calais)
    expect(page.locator(".chart--drawn")).to_have_count(7)
    assert page.locator(".chart .main-svg").count() >= 7
    expect(page.get_by_role("heading", name="Chiffres clés")).to_be_visible()
    check_accessibility(page, "pages-territory")

    page.get_by_label("Millésime ALDO").select_option("hetre")
    page.get_by_role("button", name="Afficher ce millésime").click()
    page.wait_for_url("**millesime=hetre**")
    expect(page.locator(".figures-source")).to_contain_text("HETRE")
    expect(page.locator(".notice.unavailable")).to_have_count(0)  # HETRE computed the MEL too
    expect(page.locator(".chart--drawn")).to_have_count(7)
    page.screenshot(path=str(ARTIFACTS / "pages-territory-hetre.png"), full_page=True)

    page.get_by_role("link", name="Définition et méthode de l'indicateur").first.click()
    page.wait_for_url("**/indicateurs/**")
    expect(page.locator(".chart--map.chart--drawn")).to_have_count(1)
    expect(page.locator(".chart--map .choroplethlocation").first).to_be_attached()
    check_accessibility(page, "pages-indicator")

    first_before = page.locator("table[data-sortable] tbody tr").first.inner_text()
    page.locator("table[data-sortable] thead th").nth(2).get_by_role("button").click()
    expect(page.locator("table[data-sortable] thead th").nth(2)).to_have_attribute("aria-sort", "ascending")
    assert page.locator("table[data-sortable] tbody tr").first.inner_text() != first_before

    assert not page.problems, page.problems


@pytest.mark.parametrize(
    ("path", "level"), [("/territoire/epci/200071892/", "Incomplet"), ("/territoire/commune/80021/", "Estimation")]
)
def test_quality_warning_is_read_before_the_first_figure(browser_page, live_server, path, level):
    page = browser_page
    page.goto(f"{live_server.url}{path}")
    warning = page.locator(".caveats")
    expect(warning).to_contain_text(f"Qualité des chiffres : {level}")
    first_figure = page.locator(".key-figures .figure").first
    assert warning.bounding_box()["y"] < first_figure.bounding_box()["y"]
    check_accessibility(page, f"pages-quality-{level.lower()}")
    assert not page.problems, page.problems


def test_home_map_scale_is_set_by_complete_territories(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/")
    expect(page.locator(".home-map .chart--drawn")).to_have_count(1)
    scale = page.evaluate(
        "() => { const trace = document.querySelector('.home-map .chart').data[0];"
        " return {zmax: trace.zmax, max: Math.max(...trace.z), codes: trace.locations}; }"
    )
    assert scale["zmax"] == scale["max"] and "200071892" not in scale["codes"]


def test_build_a_grouping_from_the_search_box_and_the_map_open_it_and_share_its_address(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Composer un regroupement de communes et d'intercommunalités").click()
    page.wait_for_url("**/territoire/groupement/**")
    expect(page.locator(".chart--map.chart--drawn")).to_have_count(1)
    selection = page.locator("[data-selection] li")
    search = page.get_by_role("combobox", name="Rechercher une commune ou une intercommunalité à ajouter")
    for query, name in (("Amiens Métropole", "CA Amiens Métropole"), ("Abbeville", "Abbeville")):
        search.fill(query)
        option = page.get_by_role("option").filter(has_text=name).first
        expect(option).to_be_visible()
        option.click()
        expect(search).to_have_value("")
    expect(selection).to_have_count(2)
    expect(page.locator("[data-selection-count]")).to_contain_text("Abbeville ajouté à la sélection. 2 membres")
    page.locator(".chart--map").scroll_into_view_if_needed()
    box = page.locator(".chart--map .choroplethlayer").bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*middle)  # the map adds the EPCI under the pointer…
    expect(selection).to_have_count(3)
    page.mouse.click(*middle)  # …and takes it back
    expect(selection).to_have_count(2)
    check_accessibility(page, "grouping-composer")

    page.get_by_role("button", name="Afficher les chiffres du regroupement").click()
    page.wait_for_url("**/territoire/groupement/?communes=80001&epcis=248000531")
    expect(page.locator(".chart--drawn")).to_have_count(len(INDICATORS))  # every ALDO indicator: no series values
    expect(page.get_by_role("heading", name="Avertissements d'ALDO sur ce regroupement")).to_be_visible()
    heading = page.get_by_role("heading", level=1).inner_text()
    key_figures = page.locator(".key-figures dl").inner_text()
    assert heading.startswith("Regroupement de") and "tC" in key_figures
    check_accessibility(page, "grouping-page")

    shared = page.url  # another reader opens the same address, on a phone
    reader = page.context.browser.new_page(viewport={"width": 390, "height": 844}, locale="fr-FR")
    reader.goto(shared)
    expect(reader.locator(".chart--drawn")).to_have_count(len(INDICATORS))
    assert reader.get_by_role("heading", level=1).inner_text() == heading
    assert reader.locator(".key-figures dl").inner_text() == key_figures
    assert reader.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(reader, "grouping-page-phone")
    reader.get_by_role("link", name="HETRE").click()
    reader.wait_for_url("**millesime=hetre**")
    expect(reader.locator(".notice.unavailable")).to_contain_text("n'est pas une réunion exacte d'EPCI de 2018")
    reader.get_by_role("link", name="Modifier la sélection").click()  # the composer, on the phone too
    expect(reader.locator("[data-selection] li")).to_have_count(2)
    expect(reader.locator(".chart--map.chart--drawn")).to_have_count(1)
    assert reader.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(reader, "grouping-composer-phone")
    reader.close()
    assert not page.problems, page.problems
