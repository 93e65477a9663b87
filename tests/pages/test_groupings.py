"""Groupings on the site: a set a visitor draws gets the "Mon territoire" page, its downloads and the API, computed on
request; an imported grouping gets its page and search entry; wrong input gets a clear 400 or 404."""

import csv
import io
import re
from html import unescape

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from indicators import grouping_services
from indicators.groupings import grouping_sum
from indicators.measures import AREA, FLUX, STOCK, TOTAL
from indicators.models import IndicatorValue
from indicators.numbers import format_number
from indicators.registry import INDICATORS
from territories import vintages
from territories.groupings import MAX_MEMBERS, Member, resolve
from territories.models import Territory
from tests.pages.conftest import read_tables

pytestmark = pytest.mark.django_db
DRAWN = reverse("pages:drawn_grouping")
API = reverse("v1:groupings")
# CA Amiens Métropole and CA Chauny Tergnier la Fère (2018 = 2025 perimeters), plus Amiens listed on its own.
EPCIS = "248000531,200071785"


def page(client, status=200, **params) -> str:
    response = client.get(DRAWN, params)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def figures_of(releases, slug, members, geography=vintages.CURRENT.code):
    return grouping_sum(releases[slug], resolve(members, geography).composition)


def text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_drawn_grouping_gets_the_territory_page_with_its_summed_figures_and_aldo_warnings(client, releases):
    html = page(client, epcis=EPCIS, communes="80021")
    words = text(html)
    figures = figures_of(releases, "chanterelle", [Member("epci", c) for c in EPCIS.split(",")])

    assert re.search(r"<h1>Regroupement de \d+ communes</h1>", html)
    assert f"Calculé à partir de {figures.computed_from}" in words
    # the territory page's own sections: key figures, every ALDO indicator with its chart, comparison, downloads
    stock = figures.figures.total(STOCK)
    assert f"{format_number(stock)}&nbsp;tC" in html
    assert html.count('class="indicator-section"') == len(INDICATORS) == html.count('class="chart"')
    tables = read_tables(html)
    own = next(rows for caption, rows in tables.items() if caption.startswith("Chiffres clés du territoire"))[1]
    assert own[0].startswith("Regroupement de") and own[2] == format_number(stock)
    # ALDO's warnings, in French, above the figures
    warnings = html.index("Avertissements d'ALDO sur ce regroupement")
    assert warnings < html.index("Chiffres clés</h3>")
    assert "réunit des communes de 2 départements et de 2 intercommunalités de 2018" in words
    assert "la commune Amiens (80021) : déjà comprise dans l'intercommunalité CA Amiens Métropole" in words
    # parents and members as resolved
    assert ">Somme</a>" in html and ">Aisne</a>" in html and ">Hauts-de-France</a>" in html
    assert ": déjà comprise dans l'intercommunalité CA Amiens Métropole (248000531), comptée une fois" in words


def test_the_members_may_come_in_any_order_and_the_page_is_the_same(client):
    first = page(client, epcis=EPCIS, communes="80021,80001")
    cache.clear()
    again = page(client, communes="80001,80021,80021", epcis=",".join(reversed(EPCIS.split(","))))
    key = re.compile(r'<section aria-labelledby="key-figures-title".*?</dl>', re.S)
    assert key.search(first).group() == key.search(again).group()
    assert re.search(r"<h1>.*</h1>", first).group() == re.search(r"<h1>.*</h1>", again).group()
    # each page says what its own list holds, even when the same set's page is in the cache
    assert "listée deux fois" not in text(page(client, communes="80021"))
    assert "listée deux fois, comptée une fois" in text(page(client, communes="80021,80021"))


def test_hetre_computes_only_a_union_of_whole_2018_epcis(client, releases):
    union = page(client, epcis=EPCIS, millesime="hetre")
    assert "Chiffres clés</h3>" in union and "Calculé à partir de 2 EPCI de 2018" in text(union)
    partial = page(client, epcis="248000531", communes="02001", millesime="hetre")
    assert "Chiffres non disponibles pour ce millésime" in partial
    assert "ne calcule que des réunions d'intercommunalités entières de 2018" in text(partial)
    assert "Calculé à partir de" not in partial  # no figures: computed from nothing
    # the release links keep the members (the page's release form cannot carry them)
    assert 'href="/territoire/groupement/?communes=02001&amp;epcis=248000531&amp;millesime=chanterelle"' in partial


def test_a_set_given_in_the_aldo_geography_says_so(client, releases):
    html = page(client, epcis="245900410", geographie="2018")  # MEL's 2018 SIREN
    assert "Géographie ALDO (communes 2018, EPCI au 1er janvier 2018)" in html
    assert "Calculé à partir de 90 communes de 2018" in text(html)
    # Its "same figures through the API" link gives the same set, in the same geography.
    api_url = unescape(re.search(r'href="(/api/v1/groupings/[^"]*)"', html).group(1))
    response = client.get(api_url)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["geography"] == "2018" and len(response.json()["communes_2018"]) == 90


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"communes": "8002x"}, 400, "Code de commune invalide : « 8002X »"),
        ({"epcis": "24800053,abc"}, 400, "SIREN d'intercommunalités invalides : « 24800053 », « ABC »"),
        ({"communes": "99999"}, 404, "Commune inconnue en géographie actuelle : 99999."),
        ({"epcis": "245900410"}, 404, "Intercommunalité inconnue en géographie actuelle : 245900410."),
        ({"communes": ""}, 400, "Aucun membre"),
        ({"communes": ",".join(["80021"] * (MAX_MEMBERS + 1))}, 400, f"au plus {MAX_MEMBERS}"),
    ],
)
def test_wrong_members_get_a_clear_message_naming_them(client, releases, params, status, message):
    html = page(client, status, **params)
    assert message in text(html)
    assert "Composer un regroupement" in html  # and the form to correct them


def test_an_unknown_release_is_a_404_listing_the_published_ones(client, releases):
    response = client.get(DRAWN, {"epcis": EPCIS, "millesime": "epicea"})
    assert response.status_code == 404 and "millesime=hetre" in response.content.decode()


def test_without_members_the_composer_is_shown_with_every_epci_to_tick(client, releases):
    html = page(client)
    assert html.count('name="epcis"') == 92  # today's EPCIs
    assert "data-grouping-builder" in html and 'data-choose="epci"' in html
    prefilled = client.get(reverse("pages:compose_grouping"), {"epcis": "248000531", "communes": "80021"}).content
    assert b'value="248000531" checked' in prefilled and b'value="80021"' in prefilled


def test_downloads_of_a_drawn_grouping(client, releases):
    figures = figures_of(releases, "chanterelle", [Member("epci", c) for c in EPCIS.split(",")])
    url = reverse("downloads:drawn_pcaet")
    response = client.get(url, {"epcis": EPCIS})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    readme = {row[0]: row[1] for row in book["Lisez-moi"].iter_rows(values_only=True) if row[0]}
    assert (
        readme["Territoire"].startswith("Regroupement de") and readme["Calculé à partir de"] == figures.computed_from
    )
    assert "epcis=248000531,200071785" in readme["Page sur le site"]

    table = client.get(reverse("downloads:drawn_indicator", args=["stock-carbone", "csv"]), {"epcis": EPCIS})
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig")), delimiter=";"))
    total = next(row for row in rows if row[3] == "Total")
    assert float(total[4].replace(",", ".")) == pytest.approx(figures.figures.total(STOCK))

    assert client.get(url, {"epcis": "2480005x"}).status_code == 400
    assert client.get(url, {"communes": "99999"}).status_code == 404
    assert client.get(url, {"epcis": EPCIS, "millesime": "hetre"}).status_code == 200  # a union of 2018 EPCIs
    assert client.get(url, {"communes": "80021", "millesime": "hetre"}).status_code == 404


def test_the_api_gives_the_members_as_resolved_and_the_figures_as_for_a_territory(client, releases):
    response = client.get(API, {"communes": "62447,80021", "epcis": "248000531", "millesime": "chanterelle"})
    assert response.status_code == 200
    body = response.json()
    assert body["release"] == "chanterelle" and body["geography"] == vintages.CURRENT.code
    hesdin, amiens, metropole = body["members"]
    assert hesdin["communes_2018"] == ["62447", "62461", "62549", "62743"]
    assert amiens["counted_once"].startswith("déjà comprise") and not metropole["problem"]
    assert body["available"] and not body["epci_union"] and body["warnings"]
    figures = figures_of(
        releases, "chanterelle", [Member("commune", c) for c in ("62447", "80021")] + [Member("epci", "248000531")]
    )
    values = {(v["measure"], v["land_use"], v["detail"]): v for v in body["values"]}
    assert len(values) == len(figures.rows)
    for measure in (STOCK, AREA, FLUX):
        assert values[(measure, TOTAL, "")]["value"] == pytest.approx(figures.figures.total(measure))
    assert values[(FLUX, TOTAL, "")]["unit"] == "tCO2e/an"
    assert {v["territory_kind"] for v in body["values"]} == {"groupement"}
    assert body["page_url"].endswith(
        "/territoire/groupement/?communes=62447,80021&epcis=248000531&millesime=chanterelle"
    )


def test_the_api_names_what_is_wrong(client, releases):
    malformed = client.get(API, {"communes": "80021,8002x"})
    assert malformed.status_code == 400 and "« 8002X »" in malformed.json()["communes"][0]
    assert client.get(API, {"epcis": "1"}).json()["epcis"][0].startswith("SIREN d'intercommunalité invalide")
    unknown = client.get(API, {"communes": "99999"})
    assert unknown.status_code == 404 and unknown.json()["detail"].endswith("99999.")
    assert client.get(API).status_code == 400
    assert client.get(API, {"epcis": EPCIS, "millesime": "epicea"}).status_code == 404
    hetre = client.get(API, {"communes": "80021", "millesime": "hetre"}).json()
    assert not hetre["available"] and hetre["values"] == [] and "EPCI" in hetre["unavailable_reason"]


def test_the_api_schema_documents_the_groupings(client):
    schema = client.get(reverse("v1:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/groupings/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"communes", "epcis", "millesime", "geography"}
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_an_imported_grouping_has_its_page_warnings_and_search_entry(
    client, releases, django_capture_on_commit_callbacks
):
    content = "kind,code,name,member_kind,member_code,geography\n" + "".join(
        f"scot,SCOT-GA,SCoT du Grand Amiénois,epci,{code},2026\n" for code in ("248000531", "200070993")
    )
    record = grouping_services.check_groupings(content.encode(), "scot.csv")
    with django_capture_on_commit_callbacks(execute=True):
        grouping_services.publish_groupings(record)

    found = client.get(reverse("pages:search_json"), {"q": "grand amienois"}).json()
    assert found[0]["kind"] == "scot" and found[0]["url"] == "/territoire/scot/SCOT-GA/"
    html = client.get(found[0]["url"]).content.decode()
    assert "<h1>SCoT du Grand Amiénois</h1>" in html and "Chiffres clés</h3>" in html
    words = text(html)
    assert "Avertissements d'ALDO sur ce regroupement" in words
    assert "réunit des communes d'un seul département et de 2 intercommunalités de 2018" in words
    assert client.get(reverse("downloads:pcaet", args=["scot", "SCOT-GA"])).status_code == 200
    api = client.get(reverse("v1:territory-values", args=["scot", "SCOT-GA"]), {"release": "hetre"})
    assert api.status_code == 200 and api.json()


def test_the_pnr_with_a_commune_list_keeps_its_page(client, releases):
    html = client.get(reverse("pages:territory", args=["pnr", "FR8000037"])).content.decode()
    assert "Chiffres clés</h3>" in html and "Avertissements d'ALDO sur ce regroupement" in text(html)


def test_every_commune_of_the_region_adds_up_to_the_region_and_its_long_lists_are_left_out(client, releases):
    codes = Territory.objects.filter(kind="commune", geography=vintages.CURRENT.code).values_list("code", flat=True)
    html = page(client, communes=",".join(codes), epcis="248000531")
    region = Territory.objects.get(kind="region", geography=vintages.ALDO.code)
    stored = IndicatorValue.objects.get(
        release=releases["chanterelle"], territory=region, measure=STOCK, land_use=TOTAL
    )
    assert "Calculé à partir de 3 798 communes de 2018" in text(html)
    assert f"{format_number(stored.value)}&nbsp;tC" in html
    assert "la liste est trop longue pour être affichée ici, sauf ceux qui appellent une remarque" in text(html)
    metropole = Territory.objects.get(kind="epci", code="248000531", geography=vintages.CURRENT.code)
    assert 'class="member-list"' not in html
    assert html.count('class="member-note"') == metropole.memberships.count()  # its communes, listed twice


HOSTILE = ["\x00", "80021\x00", "é", "<script>", "8" * 5000, ",,,", "%00"]
SURFACES = [
    DRAWN,
    reverse("pages:compose_grouping"),
    API,
    reverse("downloads:drawn_pcaet"),
    reverse("downloads:drawn_indicator", args=["flux-carbone", "csv"]),
]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_input_gives_a_server_error(client, releases, value):
    for url in SURFACES:
        for params in (
            {"communes": value},
            {"epcis": value},
            {"communes": "80021", "geographie": value, "geography": value},
            {"communes": "80021", "millesime": value},
        ):
            assert client.get(url, params).status_code < 500, (url, params)
    assert (
        client.get(reverse("pages:search_json"), {"q": value, "types": value, "geographie": value}).status_code
        in (200, 400)  # a NUL character is refused with a 400 by the site's middleware
    )
