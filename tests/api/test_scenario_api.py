"""GET /api/v1/scenarios/<kind>/<code>/: the scenario as JSON, the same parameters as the page, 400s in French."""

import pytest
from django.urls import reverse

from indicators.models import ImportJob, TerritoryResult

from ..pages.conftest import stored_total

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scenario_bundles")]


@pytest.fixture
def epci(releases):
    result = (
        TerritoryResult.objects.filter(
            release=releases["hetre"], available=True, territory__kind="epci", territory__geography="2018"
        )
        .select_related("territory")
        .order_by("territory__code")
        .first()
    )
    return result.territory


def api(client, territory, **params):
    return client.get(reverse("v1:scenario", args=[territory.kind, territory.code]), params)


def test_scenario_json_gives_levers_reference_scenario_and_difference(client, epci, releases):
    response = api(client, epci, geographie="2018", millesime="hetre", haies_cultures=1000, horizon=2040)
    assert response.status_code == 200
    data = response.json()
    assert data["release"] == "hetre" and data["territory"]["code"] == epci.code
    assert data["levers"]["haies_cultures"] == 1000 and data["levers"]["horizon"] == 2040
    assert data["levers"]["part_impermeabilisee"] == 0.8 and "prairies_intensification" not in data["levers"]
    assert data["reference"]["flux_total"] == stored_total(releases["hetre"], epci, "flux")
    assert data["reference"]["stock_total"] == stored_total(releases["hetre"], epci, "stock")
    assert data["difference"]["flux_total"] == pytest.approx(-550, abs=1e-5)
    assert data["difference"]["flux_by_component"]["pratiques_agricoles"] == pytest.approx(-550, abs=1e-5)
    assert data["scenario"]["flux_by_land_use"]["cultures"] == pytest.approx(
        data["reference"]["flux_by_land_use"].get("cultures", 0) - 550, abs=1e-5
    )
    assert data["scenario"]["flux_direction"] in ("séquestration nette", "émission nette")
    assert [point["year"] for point in data["trajectory"]] == list(range(2018, 2051))
    assert data["page_url"].endswith(
        f"/territoire/epci/{epci.code}/scenario/?millesime=hetre&geographie=2018&haies_cultures=1000&horizon=2040"
    )
    assert "SNBC" in data["national_comparison"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"part_impermeabilisee": "2"}, "part_impermeabilisee", "comprise entre 0,00 et 1,00"),
        ({"produits_bois": "bois"}, "produits_bois", "n'est pas un choix possible"),
        ({"artificialisation": "-1"}, "artificialisation", "comprise entre 0\u00a0% et 200\u00a0%"),
        ({"haies_cultures": "9" * 500}, "haies_cultures", "comprise entre 0 ha et"),
        ({"prairies_intensification": "5"}, "prairies_intensification", "n'existe pas dans la méthode HETRE"),
        ({"haies_culture": "1000"}, "haies_culture", "Paramètre inconnu"),
        ({"geographie": "1789"}, "geographie", "Géographie inconnue"),
    ],
)
def test_out_of_range_and_unknown_values_are_a_400_with_a_french_message(client, epci, params, field, words):
    response = api(client, epci, millesime="hetre", **params)
    assert response.status_code == 400
    assert words in response.json()[field][0]


def test_unknown_territory_or_release_is_a_404(client, epci):
    assert client.get(reverse("v1:scenario", args=["epci", "000000000"])).status_code == 404
    assert client.get(reverse("v1:scenario", args=["galaxie", "1"])).status_code == 404
    assert api(client, epci, millesime="pas-publie").status_code == 404


def test_a_missing_bundle_file_is_a_503_with_a_french_message(client, epci, releases, tmp_path):
    ImportJob.objects.filter(release=releases["hetre"]).update(source_path=str(tmp_path / "absent.zip"))
    response = api(client, epci, millesime="hetre")
    assert response.status_code == 503
    assert "n'est plus disponible sur le serveur" in response.json()["detail"]


def test_the_scenario_endpoint_and_its_levers_are_in_the_openapi_schema(client):
    schema = client.get(reverse("v1:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/scenarios/{kind}/{code}/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    for lever in ("part_impermeabilisee", "produits_bois", "haies_cultures", "prairies_intensification") + (
        "artificialisation",
        "defrichement",
        "horizon",
        "millesime",
    ):
        assert lever in parameters
    assert parameters["produits_bois"]["schema"]["enum"] == ["recolte", "consommation"]
    assert parameters["part_impermeabilisee"]["schema"]["maximum"] == 1
    assert "CHANTERELLE" in parameters["prairies_intensification"]["description"]
    assert {"200", "400", "404", "503"} <= set(operation["responses"])
