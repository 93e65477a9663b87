"""Every page reads well on a phone (390 px) and on a desktop (1366 px): nothing wider than the screen, every chart
label whole and upright, the key figures before the first chart; screenshots kept, axe passes."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Release
from tests.conftest import ARTIFACTS, check_accessibility, load_full_database

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTHS = {"telephone": 390, "ordinateur": 1366}
TERRITORY, CHARTS, TEXT = "territory", "charts", "text"
PAGES = {  # address, and what the page shows: key figures then charts, charts, or text and tables only
    "accueil": ("/", CHARTS),
    "mel": ("/territoire/epci/200093201/", TERRITORY),
    "region": ("/territoire/region/32/", TERRITORY),
    "commune": ("/territoire/commune/80021/", TERRITORY),
    "indicateur": ("/indicateurs/flux-carbone-occupation/", CHARTS),
    "comparaison": ("/comparer/epci/200093201/", TEXT),
    "methode": ("/methode/", TEXT),
    "recherche": ("/recherche/?q=Baie", TEXT),
    "scenario": ("/territoire/epci/200093201/scenario/?haies_cultures=1000", CHARTS),
}
COLOUR_BARS = {"accueil"}  # pages whose map has a colour bar with decimals (stock per hectare)
# Text drawn by Plotly that a reader must see whole: axis ticks, legend entries, annotations (phone bar labels).
CHART_TEXT = ".chart .xtick text, .chart .ytick text, .chart .legendtext, .chart .annotation-text"
LAYOUT_CHECK = """(selector) => {
    const problems = [];
    const width = document.documentElement.clientWidth, scrolled = document.documentElement.scrollWidth;
    if (scrolled > width + 1) problems.push(`page ${scrolled} px wide for a ${width} px screen`);
    for (const chart of document.querySelectorAll('.chart--drawn')) {
        const frame = chart.getBoundingClientRect();
        for (const text of chart.querySelectorAll(selector.replaceAll('.chart ', ''))) {
            if (!text.textContent.trim()) continue;
            const box = text.getBoundingClientRect();
            if (!box.width) continue;  // a tick Plotly chose not to draw (display: none) is not cut
            if (box.left < frame.left - 1 || box.right > frame.right + 1) problems.push(`cut: "${text.textContent}"`);
            const transform = text.getAttribute('transform') || '';
            if (/rotate\\((?!0)/.test(transform)) problems.push(`rotated: "${text.textContent}"`);
        }
    }
    // A table wider than the screen scrolls in its own region: scrolled to its end, its caption and its rows' names
    // stay in view.
    for (const region of document.querySelectorAll('.table-scroll')) {
        if (region.scrollWidth <= region.clientWidth) continue;
        region.scrollLeft = region.scrollWidth;
        const frame = region.getBoundingClientRect();
        for (const cell of region.querySelectorAll('caption:not(.visually-hidden), th[scope=row]')) {
            const text = document.createRange();
            text.selectNodeContents(cell);  // its words, not its box (a cell may span several columns)
            const box = text.getBoundingClientRect();
            if (!box.width || !cell.textContent.trim()) continue;  // in a closed <details>
            if (box.left < frame.left - 1 || box.right > frame.right + 1) {
                problems.push(`out of view when scrolled: "${cell.textContent.trim().slice(0, 60)}"`);
            }
        }
        region.scrollLeft = 0;
    }
    return problems;
}"""


@pytest.fixture
def browser_page(watched_page, transactional_db):
    if not Release.objects.published().exists():  # a transactional test flushed the session database
        load_full_database()
    return watched_page


@pytest.mark.parametrize("device", list(WIDTHS))
def test_pages_fit_the_screen_and_show_every_label(browser_page, live_server, device):
    page = browser_page
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    for name, (path, shows) in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        charts = page.locator(".chart")
        assert (charts.count() > 0) == (shows != TEXT), f"{name}: {charts.count()} charts"
        expect(page.locator(".chart--drawn")).to_have_count(charts.count())
        problems = page.evaluate(LAYOUT_CHECK, CHART_TEXT)
        assert not problems, f"{name} ({device}): {problems}"
        # Colour bars read as the site writes numbers: "70", "75,5", never "70,0".
        colour_ticks = [text for text in page.locator(".chart .cbaxis text").all_text_contents() if text.strip()]
        assert colour_ticks or name not in COLOUR_BARS, f"{name}: no colour bar drawn"
        assert not [text for text in colour_ticks if re.search(r",0+$", text)], f"{name}: {colour_ticks}"
        if shows == TERRITORY:
            key_figure = page.locator(".key-figures .figure").first.bounding_box()
            first_chart = page.locator(".indicator-section .chart").first.bounding_box()
            assert key_figure["y"] < first_chart["y"], f"{name} ({device}): a chart comes before the key figures"
        check_accessibility(page, f"layout-{name}-{device}")
    assert not page.problems, page.problems
    ARTIFACTS.mkdir(exist_ok=True)


def test_a_wide_table_on_a_phone_scrolls_with_its_caption_and_row_names_in_view(browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": WIDTHS["telephone"], "height": 900})
    page.goto(f"{live_server.url}{PAGES['mel'][0]}")
    table = page.get_by_role("table", name=re.compile("^Chiffres clés du territoire, de ses territoires englobants"))
    region = table.locator("xpath=ancestor::div[contains(@class, 'table-scroll')][1]")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth + 100")  # wider than the phone: it scrolls
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    frame = region.bounding_box()
    caption = table.locator("caption").bounding_box()
    names = [cell.bounding_box() for cell in table.locator("tbody th[scope=row]").all()]
    assert len(names) >= 2
    for box in [caption, *names]:
        assert frame["x"] - 1 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, (box, frame)
    # The figures did scroll: the last column is in view, the first figures' column is not.
    last = table.locator("tbody tr").first.locator("td").last.bounding_box()
    assert last["x"] + last["width"] <= frame["x"] + frame["width"] + 1
