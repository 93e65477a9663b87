"""The « Et si… ? » page without JavaScript: a GET form whose query string is the state, the results beside it,
French messages for refused levers, never a 500."""

import re

import pytest
from django.urls import reverse

from indicators.models import ImportJob, TerritoryResult
from territories.models import Territory

from .conftest import parse_number, read_tables, stored_total

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scenario_bundles")]

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def epci(releases) -> Territory:
    result = (
        TerritoryResult.objects.filter(
            release=releases["chanterelle"], available=True, territory__kind="epci", territory__geography="2026"
        )
        .select_related("territory")
        .order_by("territory__code")
        .first()
    )
    return result.territory


def url(territory, **params) -> str:
    path = reverse("pages:scenario", args=[territory.kind, territory.code])
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{path}?{query}" if query else path


def key_figures(html: str) -> list[list[str]]:
    return next(rows for caption, rows in read_tables(html).items() if caption.startswith("Chiffres clés"))


def leading_number(cell: str) -> float:
    """The figure that starts a cell ("−17 482 séquestration nette de…")."""
    return parse_number(re.match(r"[−\d\u202f,]+", cell).group(0))


def test_reference_page_shows_the_published_figures_in_both_columns(client, epci, releases):
    response = client.get(url(epci))
    assert response.status_code == 200
    html = response.content.decode()
    stock_row, flux_row = key_figures(html)[1:]
    published_flux = stored_total(releases["chanterelle"], epci, "flux")
    assert leading_number(flux_row[1]) == pytest.approx(published_flux, abs=0.5)
    assert flux_row[1] == flux_row[2] and stock_row[1] == stock_row[2]
    assert "Ce scénario ne change pas le flux net du territoire" in html
    assert 'name="haies_cultures"' in html and 'method="get"' in html


def test_levers_in_the_query_string_change_the_figures_and_the_words(client, epci, releases):
    published_flux = stored_total(releases["chanterelle"], epci, "flux")
    html = client.get(url(epci, haies_cultures=1000, artificialisation=50)).content.decode()
    flux_row = key_figures(html)[2]
    scenario_flux = leading_number(flux_row[2])
    assert scenario_flux < published_flux - 549  # the hedges alone store 550 tCO2e a year
    assert "Avec ce scénario, la séquestration nette passerait de" in html
    assert 'value="1000"' in html and 'value="50"' in html  # the form shows the state it was given
    component = next(
        rows
        for caption, rows in read_tables(html).items()
        if caption.startswith("Flux annuel de carbone par composante")
    )
    practices = next(row for row in component if row[0].startswith("Pratiques agricoles"))
    assert parse_number(practices[2]) == -550 and "séquestration nette" in practices[4]


def test_refused_levers_get_a_french_message_on_the_form_and_a_400(client, epci):
    response = client.get(url(epci, haies_cultures="-12", horizon="demain", inconnu="1"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "la valeur doit être comprise entre 0 ha et" in html
    assert "« demain » n&#x27;est pas un nombre" in html
    assert "Paramètre inconnu : « inconnu »" in html
    field = re.search(r'<input[^>]*name="haies_cultures"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'value="-12"' in field  # what was typed, to correct it


@pytest.mark.parametrize(
    "query",
    [
        {"haies_cultures": HOSTILE},
        {HOSTILE: "1"},
        {"produits_bois": HOSTILE},
        {"part_impermeabilisee": "1" * 5000},
        {"horizon": "\u0000"},
        {"millesime": HOSTILE},
    ],
)
def test_hostile_query_strings_never_reach_the_page_unescaped_nor_give_a_500(client, epci, query):
    path = reverse("pages:scenario", args=[epci.kind, epci.code])
    for address in (path, reverse("pages:scenario_results", args=[epci.kind, epci.code])):
        response = client.get(address, query)
        assert response.status_code in (400, 404), response.status_code
        html = response.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html


def test_results_fragment_is_the_results_part_with_the_scenario_address(client, epci):
    response = client.get(reverse("pages:scenario_results", args=[epci.kind, epci.code]), {"haies_cultures": "1000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert f'data-address="{reverse("pages:scenario", args=[epci.kind, epci.code])}?haies_cultures=1000"' in html
    assert "passerait de" in html


def test_territory_without_figures_for_the_release_says_why_with_a_404_page_and_no_file(client, releases):
    result = (
        TerritoryResult.objects.filter(release=releases["hetre"], available=False).select_related("territory").first()
    )
    territory = result.territory
    response = client.get(url(territory, millesime="hetre", geographie=territory.geography))
    assert response.status_code == 404
    assert "Le simulateur n&#x27;est pas disponible pour ce territoire et ce millésime" in response.content.decode()
    # The release list says so before a release is chosen, and the one that works is named plainly.
    choices = {choice["slug"]: choice["name"] for choice in response.context["releases"]}
    assert choices["hetre"] == f"{releases['hetre']} (territoire non calculé, simulation impossible)"
    computed = TerritoryResult.objects.filter(release=releases["chanterelle"], territory=territory, available=True)
    assert choices["chanterelle"].endswith("simulation impossible)") is not computed.exists()
    workbook = reverse("downloads:scenario", args=[territory.kind, territory.code])
    response = client.get(workbook, {"millesime": "hetre", "geographie": territory.geography})
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_missing_bundle_file_gives_a_french_page_not_a_500(client, epci, releases, tmp_path):
    release = releases["chanterelle"]
    ImportJob.objects.filter(release=release).update(source_path=str(tmp_path / "absent"))
    response = client.get(url(epci, haies_cultures=10))
    assert response.status_code == 503
    assert "n&#x27;est plus disponible sur le serveur" in response.content.decode()


def test_the_territory_page_links_to_its_scenario_for_the_release_shown(client, epci, releases):
    html = client.get(epci.get_absolute_url()).content.decode()
    assert f'href="{reverse("pages:scenario", args=[epci.kind, epci.code])}"' in html

    both = TerritoryResult.objects.filter(release=releases["hetre"], available=True, territory__kind="epci")
    territory = both.filter(territory__geography="2018").select_related("territory").first().territory
    page = reverse("pages:territory", args=[territory.kind, territory.code])
    html = client.get(page, {"millesime": "hetre", "geographie": "2018"}).content.decode()
    link = re.search(r'href="([^"]*/scenario/[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "millesime=hetre" in link and "geographie=2018" in link
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("kind", ["commune", "departement", "region", "pnr"])
def test_every_kind_of_territory_with_figures_has_its_scenario(client, releases, kind):
    result = (
        TerritoryResult.objects.filter(release=releases["chanterelle"], available=True, territory__kind=kind)
        .select_related("territory")
        .order_by("territory__code")
        .first()
    )
    response = client.get(url(result.territory, artificialisation=50, horizon=2040))
    assert response.status_code == 200, response.content[:300]
    html = response.content.decode()
    assert "Chiffres clés : référence" in html and "Scénario atteint en 2040" in html
