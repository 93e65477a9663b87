"""A test series of EPCI emissions, from its CSV to the territory page, the sheets, the API and back out when it is
unpublished; imported EPCI emissions give every EPCI its compensation share without code changes."""

import csv
import io
import json
import re
import zipfile
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from indicators.frames import compensation
from indicators.numbers import format_percent
from indicators.selectors import territory_figures
from indicators.series.services import import_series, publish_series, unpublish_series
from territories.models import Territory

from ..pages.conftest import parse_number, read_tables
from .malformed import MEL_2018_TONNES, METADATA, VALUES

pytestmark = pytest.mark.django_db

SLUG = "emissions-ges-epci"
TITLE = "Émissions de GES des intercommunalités"


@pytest.fixture
def epci_emissions(releases, committed):
    version = import_series(METADATA.encode(), "metadonnees.toml", VALUES.encode(), "valeurs.csv")
    return committed(publish_series, version)


@pytest.fixture
def mel(loaded_territories):
    return Territory.objects.get(kind="epci", code="200093201", geography="2026")


def figure(html: str, figure_id: str) -> dict:
    match = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, figure_id
    return json.loads(match.group(1))


def test_from_csv_to_page_sheet_and_api(client, epci_emissions, mel):
    html = client.get(mel.get_absolute_url()).content.decode()
    assert f'<section id="{SLUG}"' in html and f"/indicateurs/{SLUG}/" in html
    table = next(rows for caption, rows in read_tables(html).items() if caption.startswith(TITLE))
    assert table[0] == ["Territoire (valeurs en ktCO2e/an)", "2016", "2018"]
    assert table[1][0] == "Métropole Européenne de Lille"
    assert [parse_number(cell) for cell in table[1][1:]] == [7310.5, round(7012.25, 1)]  # to the tenth of a kt
    chart = figure(html, f"figure-{SLUG}")  # two periods: a time series
    assert chart["data"][0]["type"] == "scatter" and chart["data"][0]["x"] == ["2016", "2018"]
    assert chart["data"][0]["y"] == [7310.5, 7012.25]

    url = reverse("downloads:indicator", args=["epci", mel.code, SLUG, "xlsx"])
    response = client.get(url)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Lisez-moi", "Émissions EPCI"]
    readme = " ".join(str(cell.value) for row in book["Lisez-moi"].iter_rows() for cell in row if cell.value)
    assert "Observatoire Climat Hauts-de-France, inventaire test" in readme and "Licence Ouverte" in readme
    values = [
        cell.value for row in book["Émissions EPCI"].iter_rows() for cell in row if isinstance(cell.value, float)
    ]
    assert values == [7310.5, 7012.25]  # full precision in the file
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        charts = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/")]
    assert any("<c:lineChart>" in chart for chart in charts)

    body = client.get(reverse("v1:territory-indicator", args=["epci", mel.code, SLUG])).json()
    assert [column["header"] for column in body["columns"]][-2:] == ["2016", "2018"]
    assert body["rows"][0]["label"] == "Métropole Européenne de Lille"
    assert [body["rows"][0][column["key"]] for column in body["columns"][-2:]] == [7310.5, 7012.25]
    listed = client.get(reverse("v1:indicator-detail", args=[SLUG])).json()
    assert listed["kind"] == "serie" and listed["series"]["licence"].startswith("Licence Ouverte")

    rows = client.get(reverse("v1:indicator-values", args=[SLUG])).json()
    assert [(row["territory_code"], row["period"], row["value"]) for row in rows] == [
        ("200093201", "2016", 7310.5),
        ("200093201", "2018", 7012.25),
        ("200018083", "2018", 310.4),
        ("200033579", "2018", 820.0),
    ]
    assert rows[0]["territory_name"] == "Métropole Européenne de Lille" and rows[0]["unit"] == "ktCO2e/an"
    as_csv = client.get(reverse("v1:indicator-values", args=[SLUG]), {"format": "csv"}).content.decode()
    assert "200093201,Métropole Européenne de Lille,2016,7310.5" in as_csv.replace("epci,", "")


def test_the_indicator_page_and_the_series_files_give_every_value(client, epci_emissions):
    html = client.get(reverse("pages:indicator", args=[SLUG])).content.decode()
    assert "Observatoire Climat Hauts-de-France, inventaire test" in html
    table = next(rows for caption, rows in read_tables(html).items() if caption.startswith(TITLE))
    assert [row[0] for row in table[1:]] == ["Métropole Européenne de Lille", "CC de Desvres-Samer", "CU d'Arras"]
    assert 'href="/territoire/epci/200093201/"' in html  # the territories with values link to their pages

    response = client.get(reverse("downloads:series", args=[SLUG, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["type_territoire", "code_territoire", "territoire", "periode", "valeur", "unite"]
    assert rows[1] == ["epci", "200093201", "Métropole Européenne de Lille", "2016", "7310,5", "ktCO2e/an"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("downloads:series", args=[SLUG, "xlsx"])).content))
    assert book.sheetnames == ["Lisez-moi", "Émissions EPCI"]


def test_imported_epci_emissions_give_every_epci_its_compensation_share(client, releases, epci_emissions, mel):
    for code, tonnes in [("200093201", MEL_2018_TONNES), ("200018083", 310_400.0), ("200033579", 820_000.0)]:
        epci = Territory.objects.get(kind="epci", code=code, geography="2026")
        figures = territory_figures(releases["chanterelle"], epci)
        found = compensation(figures)
        assert found.year == "2018"  # the latest year of the flux period 2012-2018 with a value (MEL has 2016 too)
        assert found.emissions == pytest.approx(tonnes)
        assert found.share == pytest.approx(abs(figures.get("flux")) / tonnes)
        html = client.get(epci.get_absolute_url()).content.decode()
        assert format_percent(found.share) in html and "moyenne 2012-2018" in html and " en 2018)" in html

    without = Territory.objects.get(kind="epci", code="200035442", geography="2026")  # no emissions imported
    assert compensation(territory_figures(releases["chanterelle"], without)) is None
    assert 'class="compensation"' not in client.get(without.get_absolute_url()).content.decode()

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("downloads:pcaet", args=["epci", mel.code])).content))
    assert "Émissions EPCI" in book.sheetnames
    frame = [[cell.value for cell in row] for row in book["Cadre national (SNBC)"].iter_rows()]
    emissions = next(row for row in frame if str(row[0]).startswith("Émissions directes de GES (2018)"))
    assert emissions[1] == pytest.approx(MEL_2018_TONNES)


def test_an_unpublished_series_leaves_every_surface(client, committed, epci_emissions, mel):
    committed(unpublish_series, epci_emissions)
    assert f'<section id="{SLUG}"' not in client.get(mel.get_absolute_url()).content.decode()
    assert client.get(reverse("pages:indicator", args=[SLUG])).status_code == 404
    assert client.get(reverse("downloads:series", args=[SLUG, "xlsx"])).status_code == 404
    assert client.get(reverse("downloads:indicator", args=["epci", mel.code, SLUG, "csv"])).status_code == 404
    assert client.get(reverse("v1:indicator-values", args=[SLUG])).status_code == 404
    assert SLUG not in [item["slug"] for item in client.get(reverse("v1:indicator-list")).json()]


def test_a_series_without_values_for_a_territory_is_not_offered_there(client, epci_emissions):
    arras_free = Territory.objects.get(kind="epci", code="200035442", geography="2026")
    assert f'<section id="{SLUG}"' not in client.get(arras_free.get_absolute_url()).content.decode()
    url = reverse("v1:territory-indicator", args=["epci", arras_free.code, SLUG])
    assert client.get(url).status_code == 404
    assert client.get(reverse("downloads:indicator", args=["epci", arras_free.code, SLUG, "xlsx"])).status_code == 404


def test_shipped_series_pages_draw_columns_lines_and_grouped_bars(client, releases):
    html = client.get(reverse("pages:indicator", args=["snbc-budgets-carbone"])).content.decode()
    budgets = figure(html, "figure-snbc-budgets-carbone-1")  # by sector: a column per period, a colour per sector
    assert budgets["layout"]["barmode"] == "group" and "orientation" not in budgets["data"][0]
    assert budgets["data"][0]["name"] == "Transports"
    assert budgets["data"][0]["x"] == ["1990", "2005", "2015", "2019-2023", "2024-2028", "2029-2033"]
    workbook = client.get(reverse("downloads:series", args=["snbc-budgets-carbone", "xlsx"])).content
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        charts = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/")]
    assert len(charts) == 4 and all('<c:barDir val="col"/>' in chart for chart in charts)

    html = client.get(reverse("pages:indicator", args=["snbc-trajectoire-utcatf"])).content.decode()
    projected = figure(html, "figure-snbc-trajectoire-utcatf-2")
    assert projected["data"][1]["name"] == "Forêt" and projected["data"][1]["y"] == [-60.1, -48.6, -43.2, -35.2]
    assert "séquestration nette" in projected["data"][1]["customdata"][0]  # the sign said in words

    ternois = Territory.objects.get(kind="epci", code="200069672", geography="2026")  # across Picardie and NPdC
    html = unescape(client.get(ternois.get_absolute_url()).content.decode())
    assert "Ce territoire s'étend sur Picardie et Nord - Pas-de-Calais : les valeurs des deux sont données." in html
    crops = figure(html, "figure-cultures-energetiques-ges")
    assert [trace["name"] for trace in crops["data"]] == [
        "Picardie",
        "Nord - Pas-de-Calais",
        "Valeur par défaut détaillée",
    ]
    assert crops["layout"]["barmode"] == "group"
