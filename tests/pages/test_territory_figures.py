"""The carbon figures of "Mon territoire" pages are the stored figures, to the rounding shown."""

import re

import pytest

from indicators import measures as Measure
from indicators.measures import FLUX_COMPONENTS, RESERVOIRS
from indicators.models import TerritoryResult
from indicators.pages import views, warming
from indicators.services import unpublish_release
from territories import land_uses
from territories.models import Territory

from .conftest import parse_number, read_tables, stored, stored_total

pytestmark = pytest.mark.django_db

# (kind, code, geography): an EPCI today, an ALDO 2018 EPCI, a commune, a département.
TERRITORIES = [
    ("epci", "200093201", "2026"),
    ("epci", "200018083", "2018"),
    ("commune", "80021", "2026"),
    ("departement", "59", "2026"),
]


def page(client, territory, release=None):
    query = {"geographie": territory.geography}
    if release is not None:
        query["millesime"] = release.slug
    response = client.get(f"/territoire/{territory.kind}/{territory.code}/", query)
    assert response.status_code == 200
    return response.content.decode()


def assert_shown(text: str, value: float, decimals: int = 0):
    assert abs(parse_number(text) - value) <= 0.5 * 10**-decimals + 1e-6, f"{text!r} shows {value}"


def table_starting(tables, start: str):
    matches = [rows for caption, rows in tables.items() if caption.startswith(start)]
    assert len(matches) == 1, f"no single table captioned {start!r} in {list(tables)}"
    return matches[0]


@pytest.mark.parametrize(("kind", "code", "geography"), TERRITORIES)
@pytest.mark.parametrize("slug", ["chanterelle", "hetre"])
def test_tables_show_the_stored_figures(client, releases, kind, code, geography, slug):
    release = releases[slug]
    territory = Territory.objects.get(kind=kind, code=code, geography=geography)
    result = TerritoryResult.objects.get(release=release, territory=territory)
    html = page(client, territory, release)
    if not result.available:
        assert result.unavailable_reason in html.replace("&#x27;", "'")
        assert "data-figure" not in html
        return
    tables = read_tables(html)
    label_of = {label: slug for slug, label in land_uses.LABELS.items()}

    by_land_use = table_starting(tables, "Stock de carbone par occupation des sols et par réservoir")
    reservoirs = [{label: key for key, label in RESERVOIRS.items()}[label] for label in by_land_use[0][1:-1]]
    for row in by_land_use[1:-1]:
        for reservoir, cell in zip(reservoirs, row[1:-1], strict=True):
            assert_shown(cell, stored(release, territory, Measure.STOCK, label_of[row[0]], reservoir))
    assert by_land_use[-1][0] == "Total"
    assert_shown(by_land_use[-1][-1], stored_total(release, territory, Measure.STOCK))

    per_hectare = table_starting(tables, "Stock de carbone par hectare de chaque occupation des sols")
    for row in per_hectare[1:-1]:
        assert_shown(row[2], stored(release, territory, Measure.STOCK_PER_HECTARE, label_of[row[0]]), 1)
        assert_shown(row[1], stored(release, territory, Measure.AREA, label_of[row[0]]))
    assert_shown(per_hectare[-1][2], stored_total(release, territory, Measure.STOCK_PER_HECTARE), 1)

    flux = table_starting(tables, "Flux annuel de carbone par occupation des sols et par composante")
    components = [{label: key for key, label in FLUX_COMPONENTS.items()}[label] for label in flux[0][1:-2]]
    for row in flux[1:-1]:
        for component, cell in zip(components, row[1:-2], strict=True):
            assert_shown(cell, stored(release, territory, Measure.FLUX, label_of[row[0]], component))
    net_flux = stored_total(release, territory, Measure.FLUX)
    assert_shown(flux[-1][-2], net_flux)
    assert flux[-1][-1] == ("séquestration nette" if net_flux < 0 else "émission nette")


def test_key_figures_say_the_net_flux_in_words(client, releases):
    release = releases["chanterelle"]
    territory = Territory.objects.get(kind="epci", code="200093201", geography="2026")
    html = page(client, territory)
    net_flux = stored_total(release, territory, Measure.FLUX)
    words = "séquestration nette de" if net_flux < 0 else "émission nette de"
    # tonnes scaled to t, kt or Mt with three significant digits (indicators.numbers)
    assert re.search(words + r" [\d\u202f]+(,\d+)? [kM]?t éq. CO2 par an", html)
    assert "CHANTERELLE" in html


def test_release_selector_keeps_the_url_shareable(client, releases):
    territory = Territory.objects.get(kind="epci", code="200018083", geography="2018")
    html = page(client, territory, releases["hetre"])
    assert re.search(r'<option value="hetre" selected>', html)
    assert '<form method="get" class="release-form"' in html
    assert '<input type="hidden" name="geographie" value="2018">' in html
    # the note says the two releases differ by method
    assert "leurs écarts viennent de la méthode" in html


def test_unknown_release_is_a_404_listing_the_published_ones(client, releases):
    territory = Territory.objects.get(kind="epci", code="200093201", geography="2026")
    response = client.get(f"/territoire/epci/{territory.code}/", {"millesime": "inconnu"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "« inconnu »" in html
    for slug in ("chanterelle", "hetre"):
        assert f'href="/territoire/epci/{territory.code}/?millesime={slug}"' in html


def test_release_not_computable_shows_why_and_no_chart(client, releases):
    result = (
        TerritoryResult.objects.filter(release=releases["hetre"], available=False, territory__kind="epci")
        .select_related("territory")
        .first()
    )
    assert result is not None  # HETRE computes only unions of 2018 EPCIs: some of today's are not
    html = page(client, result.territory, releases["hetre"])
    assert "Chiffres non disponibles pour ce millésime" in html
    assert "data-figure" not in html


def test_caveats(client, releases):
    commune = Territory.objects.get(kind="commune", code="80021", geography="2026")
    assert "l'ADEME prévient qu'ALDO n'est pas l'outil adéquat" in page(client, commune).replace("&#x27;", "'")

    interregional = Territory.objects.filter(kind="epci", geography="2018", attributes__interregional=True).first()
    assert "s'étend au-delà des Hauts-de-France" in page(client, interregional).replace("&#x27;", "'")

    rebuilt = (
        TerritoryResult.objects.filter(release=releases["chanterelle"], available=True, has_rebuilt_inputs=True)
        .select_related("territory")
        .first()
    )
    assert "a été reconstituée" in page(client, rebuilt.territory).replace("&#x27;", "'")


@pytest.mark.parametrize(
    ("commune", "reliable"),
    [
        ("80021", '<a href="/territoire/epci/248000531/">CA Amiens Métropole</a>'),  # its EPCI is reliable
        # Aniche: today's CA Coeur d'Ostrevent is an estimate itself; the 2018 one ALDO computed is reliable.
        ("59008", '<a href="/territoire/epci/245901152/?geographie=2018">CC Coeur d&#x27;Ostrevent [C.C.C.O.]</a>'),
    ],
)
def test_an_estimated_commune_points_to_an_intercommunality_whose_figures_are_reliable(
    client, releases, commune, reliable
):
    html = page(client, Territory.objects.get(kind="commune", code=commune, geography="2026"))
    assert f"Chiffres fiables de l'échelon supérieur : {reliable}" in html


def test_comparison_lists_parents_and_similar_territories(client, releases):
    territory = Territory.objects.get(kind="epci", code="200018083", geography="2018")
    tables = read_tables(page(client, territory))
    rows = table_starting(tables, "Chiffres clés du territoire, de ses territoires englobants")
    kinds = [row[1] for row in rows[1:]]
    assert "Département" in kinds and "Région" in kinds
    assert kinds.count("Intercommunalité (EPCI)") >= 2  # itself and at least one similar EPCI
    region = Territory.objects.get(kind="region", code="32", geography="2018")
    region_row = next(row for row in rows if row[0] == region.name)
    assert_shown(region_row[2], stored_total(releases["chanterelle"], region, Measure.STOCK))
    assert rows[0][-1] == "Qualité des chiffres" and region_row[-1] == "Fiable"
    # a net flux carries its sign as in the key figures: "+" for an emission, "−" for a sequestration
    assert all(row[5][0] == ("+" if row[6] == "émission nette" else "\u2212") for row in rows[1:])


def test_an_incomplete_territory_says_so_beside_the_others_and_in_each_release(client, releases):
    territory = Territory.objects.get(kind="epci", code="200071892", geography="2018")  # no land-use rows
    tables = read_tables(page(client, territory))
    beside = table_starting(tables, "Chiffres clés du territoire, de ses territoires englobants")
    assert beside[1][0].startswith(territory.name) and beside[1][-1] == "Incomplet"
    by_release = table_starting(tables, "Chiffres clés de ce territoire selon chaque millésime publié")
    assert [row[-1] for row in by_release[1:]] == ["Incomplet", "Incomplet"]


def test_unknown_territory_gives_the_helpful_404(client, releases):
    response = client.get("/territoire/epci/000000000/")
    assert response.status_code == 404
    assert 'role="search"' in response.content.decode()


def test_a_cached_page_follows_a_publication_at_once(client, releases, django_capture_on_commit_callbacks):
    territory = Territory.objects.get(kind="epci", code="200093201", geography="2026")
    assert '<option value="chanterelle" selected>' in page(client, territory)  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_release(releases["chanterelle"])

    html = page(client, territory)
    assert '<option value="hetre" selected>' in html
    assert '<option value="chanterelle"' not in html


def test_warming_renders_the_grouping_pages_before_anyone_asks(client, releases, monkeypatch):
    monkeypatch.setattr(warming, "WARMED_KINDS", ["departement", "region"])
    assert warming.warm_territory_pages() == Territory.objects.filter(kind__in=["departement", "region"]).count()

    def no_rendering(*args):
        raise AssertionError("the page was rendered instead of read from the cache")

    monkeypatch.setattr(views, "territory_page", no_rendering)
    for territory in Territory.objects.filter(kind__in=["departement", "region"]):
        assert client.get(territory.get_absolute_url()).status_code == 200
    with pytest.raises(AssertionError, match="rendered"):
        client.get(Territory.objects.filter(kind="epci").first().get_absolute_url())


@pytest.mark.parametrize(
    ("code", "explained"),
    [
        ("200093201", "diffère un peu de la surface officielle du territoire : les deux sources"),
        ("200071892", "s&#x27;écarte ici de la surface officielle pour la raison donnée sous « Qualité"),
    ],
)
def test_the_two_surfaces_are_explained_by_what_sets_them_apart(client, releases, code, explained):
    html = page(client, Territory.objects.get(kind="epci", code=code, geography="2026"))
    assert explained in html.replace("'", "&#x27;")


def test_a_column_says_its_unit_when_the_caption_does_not(client, releases):
    tables = read_tables(page(client, Territory.objects.get(kind="epci", code="200093201", geography="2026")))
    per_hectare = table_starting(tables, "Stock de carbone par hectare de chaque occupation des sols (tC/ha)")
    assert "Surface (ha)" in per_hectare[0] and "Stock par hectare" in " ".join(per_hectare[0])
    stock = table_starting(tables, "Stock de carbone par réservoir (tC)")
    assert "Part du stock total (%)" in stock[0]
