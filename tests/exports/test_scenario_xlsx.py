"""The scenario workbook a PCAET author pastes into the plan: reopened with openpyxl."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import TerritoryResult

from ..pages.conftest import stored_total
from .test_downloads import XLSX, readme_text, table_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scenario_bundles")]


@pytest.fixture
def epci(releases):
    result = (
        TerritoryResult.objects.filter(release=releases["chanterelle"], available=True, territory__kind="epci")
        .select_related("territory")
        .order_by("territory__code", "-territory__geography")
        .first()
    )
    return result.territory


def test_scenario_workbook_has_every_lever_the_address_both_sides_and_native_charts(client, epci, releases):
    path = reverse("downloads:scenario", args=[epci.kind, epci.code])
    response = client.get(path, {"haies_cultures": "1000", "defrichement": "0", "horizon": "2035"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f"scenario_epci_{epci.code}" in response["Content-Disposition"]

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Lisez-moi", "Flux", "Trajectoire", "Stock", "Leviers"]
    text = readme_text(book)
    for words in (
        epci.name,
        "Levier : Haies sur cultures (60 mètres linéaires par ha)",
        "1\u202f000 ha (référence : 0 ha)",
        "Levier : Défrichement (forêts devenues une autre occupation des sols)",
        "0\u00a0% (référence : 100\u00a0%)",
        "Levier : Part imperméabilisée des sols artificiels",
        "2035",
        "séquestration nette",
        "SNBC",
        f"/territoire/epci/{epci.code}/scenario/?defrichement=0&haies_cultures=1000&horizon=2035",
    ):
        assert words in text, words

    header, rows = table_rows(book["Flux"])
    assert header[:4] == ["Composante", "Référence (chiffres publiés) (tCO2e/an)", "Scénario (tCO2e/an)"] + [
        "Écart (scénario − référence) (tCO2e/an)"
    ]
    practices = next(row for row in rows if row[0].value.startswith("Pratiques agricoles"))
    assert practices[1].value == 0 and practices[2].value == pytest.approx(-550, abs=1e-5)
    total = rows[-1]
    assert total[0].value == "Total du territoire"
    assert total[1].value == pytest.approx(stored_total(releases["chanterelle"], epci, "flux"), rel=1e-14)
    same = client.get(
        reverse("v1:scenario", args=[epci.kind, epci.code]), {"haies_cultures": "1000", "defrichement": "0"}
    )
    assert total[2].value == pytest.approx(same.json()["scenario"]["flux_total"], rel=1e-14)

    header, years = table_rows(book["Trajectoire"])
    assert [row[0].value for row in years] == [str(year) for year in range(2018, 2051)]

    header, levers = table_rows(book["Leviers"])
    assert {row[3].value for row in levers} >= {"haies_cultures=1000", "defrichement=0", "horizon=2035"}

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    charts = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 3
    assert sum("<c:lineChart>" in chart for chart in charts) == 1
    assert sum('<c:grouping val="clustered"/>' in chart for chart in charts) == 2


def test_a_refused_scenario_gets_the_page_and_its_message_instead_of_a_file(client, epci):
    response = client.get(reverse("downloads:scenario", args=[epci.kind, epci.code]), {"haies_cultures": "beaucoup"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "« beaucoup » n&#x27;est pas un nombre" in response.content.decode()
