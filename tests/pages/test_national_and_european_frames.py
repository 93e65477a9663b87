"""The territory in its national and European frames: the SNBC sub-sectors beside the national trajectory, the share
of its emissions its sink offsets (région: about 4 %, as the observatory writes), the EU accounting categories, and
the method page that states the rules."""

import io
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from indicators.frames import SUBSECTORS, compensation, snbc_subsectors
from indicators.measures import FLUX
from indicators.models import IndicatorValue, SeriesVersion
from indicators.selectors import figures_of, territory_figures
from indicators.series.services import unpublish_series
from territories import land_uses
from territories.models import Territory

from .conftest import parse_number, read_tables, stored

pytestmark = pytest.mark.django_db

FRAME_CAPTION = "Le flux du territoire et la trajectoire nationale du secteur des terres (SNBC)"


@pytest.fixture
def mel(loaded_territories):
    return Territory.objects.get(kind="epci", code="200093201", geography="2026")


@pytest.fixture
def region(loaded_territories):
    return Territory.objects.get(kind="region", code="32", geography="2026")


def frame_rows(html: str) -> dict[str, list[str]]:
    table = next(rows for caption, rows in read_tables(html).items() if caption.startswith(FRAME_CAPTION))
    return {row[0]: row[1:] for row in table[1:]}


def test_the_snbc_sub_sectors_add_up_to_the_net_flux_of_every_grouping(releases):
    release = releases["chanterelle"]
    groupings = Territory.objects.filter(kind__in=["epci", "departement", "region", "pnr"])
    ids = list(release.territory_results.filter(available=True, territory__in=groupings).values_list("territory_id"))
    figures = figures_of(release, [territory_id for (territory_id,) in ids], [FLUX])
    assert len(figures) > 150
    for territory_figures_ in figures.values():
        values = snbc_subsectors(territory_figures_)
        assert set(values) == {subsector.slug for subsector in SUBSECTORS}
        assert sum(values.values()) == pytest.approx(territory_figures_.get(FLUX), abs=1e-6)


def test_mel_page_sets_its_flux_beside_the_national_trajectory(client, releases, mel):
    html = client.get(mel.get_absolute_url()).content.decode()
    assert "Le territoire dans la stratégie nationale bas-carbone (SNBC)" in html
    assert "la croissance nette des forêts" in html  # the mapping is stated
    assert "Part de la valeur nationale 2015 (%)</th>" in html  # a share says it is a percentage
    rows = frame_rows(html)
    release = releases["chanterelle"]
    assert parse_number(rows["Forêt"][0]) == pytest.approx(
        stored(release, mel, FLUX, detail="croissance_biomasse_foret"), abs=0.5
    )
    assert parse_number(rows["Produits bois"][0]) == pytest.approx(
        stored(release, mel, FLUX, detail="produits_bois"), abs=0.5
    )
    artificial = [
        lu for lu, parent in land_uses.PARENT_OF.items() if parent == land_uses.level1_slug("sols artificiels")
    ]
    towards_artificial = sum(
        IndicatorValue.objects.filter(release=release, territory=mel, measure=FLUX, land_use__in=artificial)
        .exclude(detail__in=["croissance_biomasse_foret", "produits_bois"])
        .values_list("value", flat=True)
    )
    assert parse_number(rows["Artificialisation"][0]) == pytest.approx(towards_artificial, abs=0.5)
    assert rows["Artificialisation"][1] == "émission nette"  # signs in words
    assert [parse_number(cell) for cell in rows["Forêt"][3:]] == [-49.9, -43.2, -35.2]  # France 2015, 2030, 2050
    assert [parse_number(cell) for cell in rows["Total UTCATF (flux net)"][3:]] == [-26.6, -40.0, -67.0]


def test_without_the_national_trajectory_the_frame_says_so(client, releases, mel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_series(SeriesVersion.objects.published().get(slug="snbc-trajectoire-utcatf"))
    html = unescape(client.get(mel.get_absolute_url()).content.decode())
    assert "n'est pas publiée : seules les valeurs du territoire sont données" in html
    assert frame_rows(html)["Forêt"][3:] == ["—", "—", "—"]


def test_region_page_and_workbook_give_the_share_of_emissions_offset(client, releases, region, shared_dir):
    found = compensation(territory_figures(releases["chanterelle"], region))
    assert found.year == "2018" and found.emissions == 52e6
    assert found.net_flux == pytest.approx(stored(releases["chanterelle"], region, FLUX, land_use="total"))
    assert round(found.share * 100) == 4  # the observatory: "une compensation de seulement 4 %" (seed 000)
    html = unescape(client.get(region.get_absolute_url()).content.decode())
    assert found.sentence in html
    assert "moyenne 2012-2018) compense 3,6\u00a0% de ses émissions directes" in found.sentence
    assert "(52,0 Mt éq. CO2 en 2018)" in found.sentence

    response = client.get(reverse("downloads:pcaet", args=["region", region.code]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell.value for row in book["Cadre national (SNBC)"].iter_rows() for cell in row if cell.value]
    assert found.sentence in cells and 52e6 in cells
    assert any(str(cell).startswith("Total UTCATF (flux net)") for cell in cells)


def test_a_territory_without_emissions_has_no_compensation_share(client, releases, mel):
    assert compensation(territory_figures(releases["chanterelle"], mel)) is None
    assert 'class="compensation"' not in client.get(mel.get_absolute_url()).content.decode()


def test_the_eu_view_is_a_section_of_each_territory_page_with_the_forest_reference_level(client, releases, mel):
    html = client.get(mel.get_absolute_url()).content.decode()
    assert '<section id="flux-carbone-categories-ue"' in html
    table = next(rows for caption, rows in read_tables(html).items() if "catégorie comptable de terres" in caption)
    total = stored(releases["chanterelle"], mel, FLUX, land_use="total")
    assert table[-1][0] == "Flux net du territoire" and parse_number(table[-1][1]) == pytest.approx(total, abs=0.5)
    assert "niveau de référence pour les forêts de la France 2021-2025" in html
    assert "papier 2 ans, panneaux de bois 25 ans, bois de sciage 35 ans" in html  # annex V, with ALDO's approach
    body = client.get(reverse("v1:territory-indicator", args=["epci", mel.code, "flux-carbone-categories-ue"])).json()
    assert body["total"]["flux"] == pytest.approx(total)


def test_method_page_states_the_snbc_mapping_and_the_eu_category_rules(client):
    html = unescape(client.get(reverse("pages:method")).content.decode())
    assert 'id="cadres"' in html
    for subsector in SUBSECTORS:
        assert subsector.rule in html
    assert "Terres déboisées" in html and "catégorie comptable à partir de 2026" in html
    assert "Les catégories s'additionnent exactement au flux net." in html
