"""One declaration is enough for a new indicator built on stored measures: every surface finds it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from indicators.measures import STOCK
from indicators.registry import Indicator, indicators, measure_value, register, unregister
from indicators.tables import Chart, Column, Table
from territories.models import Territory

from ..pages.conftest import read_tables, stored

pytestmark = pytest.mark.django_db

SLUG = "stock-carbone-des-sols"
TITLE = "Stock de carbone des sols (0-30 cm)"


def soil_table(figures) -> Table:
    """Soil stock of each land use: a table built only from the stored stock figures."""
    rows = [
        {"key": land_use, "label": land_use, "soil": figures.get(STOCK, land_use, "sol")}
        for land_use in figures.land_uses(STOCK)
        if figures.get(STOCK, land_use, "sol")
    ]
    return Table(
        slug=SLUG,
        title="Stock de carbone des sols par occupation des sols",
        unit_note="tC",
        columns=(Column("label", "Occupation des sols"), Column("soil", "Stock des sols", "tC")),
        rows=rows,
        total={"key": "total", "label": "Total", "soil": figures.of_detail(STOCK, "sol")},
        chart=Chart("bar", "Stock de carbone des sols (tC)", ("soil",), axis_title="tC"),
        value_key="soil",
    )


@pytest.fixture
def soil_indicator():
    indicator = register(
        Indicator(
            slug=SLUG,
            title=TITLE,
            sheet_name="Stock des sols",
            definition="Carbone des sols sur 30 cm, par occupation des sols.",
            unit="tC",
            measures=(STOCK,),
            table=soil_table,
            reading=lambda table: f"Les sols stockent {table.total['soil']:.0f} tC.",
            value=measure_value(STOCK),
        )
    )
    yield indicator
    unregister(SLUG)


@pytest.fixture
def epci(releases):
    return Territory.objects.get(kind="epci", code="200093201", geography="2026")


def test_a_declared_indicator_is_on_the_territory_page(client, releases, soil_indicator, epci):
    html = client.get(epci.get_absolute_url()).content.decode()
    assert TITLE in html
    assert f'data-figure="figure-{SLUG}"' in html
    tables = read_tables(html)
    table = next(rows for caption, rows in tables.items() if caption.startswith("Stock de carbone des sols"))
    shown = float(table[-1][1].replace("\u202f", "").replace(",", "."))
    assert shown == pytest.approx(stored(releases["chanterelle"], epci, STOCK, detail="sol"), abs=0.5)


def test_a_declared_indicator_has_its_page_list_entry_and_map(client, releases, soil_indicator):
    assert f'href="/indicateurs/{SLUG}/"' in client.get("/indicateurs/").content.decode()
    html = client.get(f"/indicateurs/{SLUG}/").content.decode()
    assert TITLE in html and 'id="indicator-map"' in html


def test_a_declared_indicator_has_its_sheet_and_its_api_table(client, releases, soil_indicator, epci):
    response = client.get(reverse("downloads:indicator", args=[epci.kind, epci.code, SLUG, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Lisez-moi", "Stock des sols"]
    pcaet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("downloads:pcaet", args=[epci.kind, epci.code])).content)
    )
    assert "Stock des sols" in pcaet.sheetnames

    slugs = [item["slug"] for item in client.get(reverse("v1:indicator-list")).json()]
    assert SLUG in slugs and slugs == [indicator.slug for indicator in indicators()]
    body = client.get(reverse("v1:territory-indicator", args=[epci.kind, epci.code, SLUG])).json()
    assert body["columns"][1] == {"key": "soil", "header": "Stock des sols (tC)", "unit": "tC"}
    assert body["total"]["soil"] == pytest.approx(stored(releases["chanterelle"], epci, STOCK, detail="sol"))
