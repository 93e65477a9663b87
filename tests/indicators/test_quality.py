"""Figures users can trust: data-quality facts and levels from the bundle's provenance, shown wherever a figure is."""

import csv
import io
import json

import numpy as np
import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from indicators import quality
from indicators.aldo.sources import read_bundle_files
from indicators.measures import LAND_USE_CHANGE_COMPONENTS
from indicators.models import ImportJob, IndicatorValue, TerritoryResult
from indicators.selectors import peers as comparable_territories
from indicators.services import start_import
from indicators.tables import DOUBLE_COUNTED_LABEL
from territories.models import Territory
from tests.aldo.synthetic import read_table, with_land_use_areas, write_bundle, write_table

from ..pages.conftest import read_tables

pytestmark = pytest.mark.django_db

SAINT_QUENTINOIS = "200071892"
MEL_2018 = "245900410"


def result_of(release, kind, code, geography="2026"):
    territory = Territory.objects.get(kind=kind, code=code, geography=geography)
    return TerritoryResult.objects.get(release=release, territory=territory)


def test_a_complete_epci_is_reliable_and_says_which_inputs_were_rebuilt(releases):
    result = result_of(releases["chanterelle"], "epci", MEL_2018, "2018")
    assessed = quality.assessment(result)
    assert assessed.level == quality.RELIABLE
    assert 0.9 <= quality.coverage(result.facts) <= 1.2
    assert result.facts["inputs"]["land_use_areas"]["shared"] == 0
    assert any("a été reconstituée" in reason and "surfaces forestières (100" in reason for reason in assessed.reasons)


@pytest.mark.parametrize("slug", ["chanterelle", "hetre"])
def test_the_saint_quentinois_has_no_land_use_rows_and_is_incomplete(releases, slug):
    result = result_of(releases[slug], "epci", SAINT_QUENTINOIS)
    assert result.quality_level == quality.INCOMPLETE.slug
    assert result.facts["inputs"]["land_use_areas"]["total"] == 0
    assert quality.coverage(result.facts) < 0.1
    assert "aucune surface d'occupation des sols hors forêt" in quality.assessment(result).reasons[0]


def test_a_commune_with_equal_shares_of_its_epci_is_an_estimate(releases):
    result = result_of(releases["chanterelle"], "commune", "59350")  # Lille
    assessed = quality.assessment(result)
    assert assessed.level == quality.ESTIMATE
    assert quality.shared_share(result.facts) == pytest.approx(1.0)
    assert "parts égales" in assessed.reasons[0]


def test_counts_of_levels_follow_the_data(releases):
    """Communes are estimates (their areas are equal shares); whole EPCIs and the région are not."""
    counts = {
        (slug, kind, level): TerritoryResult.objects.filter(
            release=release, available=True, territory__kind=kind, quality_level=level
        ).count()
        for slug, release in releases.items()
        for kind in ("commune", "epci", "region")
        for level in quality.LEVELS
    }
    assert counts[("chanterelle", "commune", "fiable")] == 0
    assert counts[("chanterelle", "commune", "estimation")] > 3000
    assert counts[("chanterelle", "region", "fiable")] == 2
    assert counts[("hetre", "epci", "estimation")] == 0  # HETRE computes per EPCI: nothing is shared
    assert counts[("chanterelle", "epci", "incomplet")] >= 2


def test_real_commune_areas_lose_the_estimate_without_code_change(
    releases, tmp_path, django_capture_on_commit_callbacks
):
    """A release whose communes of the MEL come with their own (original) areas, in proportion to each commune's
    official area as real data would be: no estimate there, and no code changed."""
    files = with_land_use_areas(read_bundle_files(settings.FIXTURES_DIR / "aldo" / "chanterelle"))
    territories = read_table(files, "territories.csv")
    mel = set(territories.loc[territories["epci_siren"] == MEL_2018, "territory_id"])
    areas = dict(
        Territory.objects.filter(kind="commune", geography="2018", code__in=mel).values_list("code", "area_ha")
    )
    weights = {code: areas[code] / (sum(areas.values()) / len(mel)) for code in mel}
    for name, column, unit_column in (
        ("land_use_areas.csv", "area_ha", "territory_id"),
        ("forest_areas.csv", "area_ha", "insee"),
        ("hedges.csv", "length_km", "territory_id"),
    ):
        table = read_table(files, name)
        rows = table[unit_column].isin(mel)
        table.loc[rows, column] = table.loc[rows, column].astype(float) * table.loc[rows, unit_column].map(weights)
        table.loc[rows, "provenance"] = "original"
        write_table(files, name, table)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(write_bundle(files, tmp_path / "chanterelle-communes"), "chanterelle")
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, job.report

    lille = result_of(job.release, "commune", "59350", "2018")
    assert lille.quality_level == quality.RELIABLE.slug
    assert not any(
        "parts égales" in reason or "reconstituée" in reason for reason in quality.assessment(lille).reasons
    )
    amiens = result_of(job.release, "commune", "80021", "2018")
    assert amiens.quality_level == quality.ESTIMATE.slug


def test_the_page_puts_the_warning_above_the_first_figure(client, releases):
    html = client.get("/territoire/commune/59350/").content.decode()
    warning, figures = html.index("Qualité des chiffres : "), html.index('id="key-figures-title"')
    assert warning < figures
    assert "Estimation" in html[warning:figures] and "parts égales" in html[warning:figures]
    epci = Territory.objects.get(kind="epci", code="200093201", geography="2026")
    assert f'href="{epci.get_absolute_url()}">{epci.name}</a>' in html[warning:figures]

    html = client.get(f"/territoire/epci/{SAINT_QUENTINOIS}/").content.decode()
    warning, figures = html.index("Qualité des chiffres : "), html.index('id="key-figures-title"')
    assert "Incomplet" in html[warning:figures]


def test_both_surfaces_are_explained_where_they_appear(client, releases):
    html = client.get("/territoire/epci/200093201/").content.decode()
    assert "couverts par les données d'occupation des sols" in html and "surface officielle : 67" in html
    assert "diffère un peu de la surface officielle" in html


def test_map_scales_and_rankings_leave_incomplete_territories_out(client, releases):
    html = client.get("/indicateurs/stock-carbone-hectare/").content.decode()
    figure = json.loads(html.split('<script id="indicator-map" type="application/json">')[1].split("</script>")[0])
    coloured, incomplete = figure["data"][0], figure["data"][1]
    assert SAINT_QUENTINOIS in incomplete["locations"] and SAINT_QUENTINOIS not in coloured["locations"]
    assert coloured["zmax"] == max(coloured["z"]) < 150  # the Saint-Quentinois' 195 tC/ha sets nothing
    row = next(row for row in read_tables(html).values() for row in row if row and SAINT_QUENTINOIS in row)
    assert row[-1] == "Incomplet"
    assert f'data-sort-value="">{row[2]}' in html  # shown, but out of the ranking

    home = client.get("/").content.decode()
    home_map = json.loads(home.split('<script id="home-map" type="application/json">')[1].split("</script>")[0])
    assert home_map["data"][0]["zmax"] == coloured["zmax"]


def test_comparable_territories_leave_incomplete_territories_out(releases):
    release = releases["chanterelle"]
    aisne = Territory.objects.filter(kind="epci", geography="2026", attributes__departement_siege="02")
    incomplete = set(
        TerritoryResult.objects.filter(release=release, quality_level="incomplet").values_list("territory", flat=True)
    )
    assert aisne.filter(pk__in=incomplete).exists()  # the rule would otherwise offer it
    for epci in aisne:
        peers = comparable_territories(epci, release, 4)
        assert peers and not {peer.pk for peer in peers} & incomplete


@pytest.mark.parametrize(("slug", "unit"), [("chanterelle", "km"), ("hetre", "ha")])
def test_hedges_keep_their_unit_in_the_api_and_the_export(client, releases, slug, unit):
    epci = Territory.objects.get(kind="epci", code=MEL_2018, geography="2018")
    url = reverse("v1:territory-values", args=["epci", MEL_2018])
    rows = client.get(url, {"geography": "2018", "release": slug, "land_use": "haies"}).json()
    hedges = [row for row in rows if row["measure"] == "surface"]
    assert hedges and {row["unit"] for row in hedges} == {unit}
    assert {row["quality_level"] for row in rows} == {"fiable"}

    out = io.StringIO()
    call_command("export_indicators", release=slug, kind="epci", code=epci.code, stdout=out)
    exported = [row for row in csv.DictReader(io.StringIO(out.getvalue())) if row["land_use"] == "haies"]
    assert {row["unit"] for row in exported if row["measure"] == "surface"} == {unit}
    assert {row["quality_level"] for row in exported} == {"fiable"}


@pytest.mark.parametrize("code", [MEL_2018, SAINT_QUENTINOIS])
def test_area_shares_add_up_to_100_percent_without_hedges(client, releases, code):
    epci = Territory.objects.filter(kind="epci", code=code).order_by("geography").first()
    response = client.get(reverse("downloads:pcaet", args=["epci", code]), {"geographie": epci.geography})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Surfaces"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] and isinstance(row[3], float | int)]
    *land_uses, total = rows
    assert total[0] == "Total"
    assert "Haies" not in [row[0] for row in land_uses]
    assert sum(row[3] for row in land_uses) == pytest.approx(100.0)
    assert sum(row[2] for row in land_uses) == pytest.approx(total[2])


@pytest.mark.parametrize("slug", ["chanterelle", "hetre"])
def test_land_use_change_emissions_are_the_sum_of_their_components(releases, slug):
    from indicators.selectors import figures_of

    release = releases[slug]
    ids = list(TerritoryResult.objects.filter(release=release, available=True).values_list("territory", flat=True))
    by_territory = dict(
        IndicatorValue.objects.filter(
            release=release, measure="flux", detail__in=LAND_USE_CHANGE_COMPONENTS, territory__in=ids
        )
        .exclude(land_use="total")
        .values("territory")
        .annotate(total=Sum("value"))
        .values_list("territory", "total")
    )
    figures = figures_of(release, ids, ["flux"])
    shown = np.array([figures[pk].land_use_change_flux() for pk in ids])
    summed = np.array([by_territory.get(pk, 0.0) for pk in ids])
    np.testing.assert_allclose(shown, summed, rtol=1e-9, atol=1e-6)
    if slug == "chanterelle":  # the observatory publishes about +67 kt; these bundles give about +64 kt
        region = Territory.objects.get(kind="region", geography="2026")
        assert figures[region.pk].land_use_change_flux() == pytest.approx(64_000, rel=0.02)


def test_files_and_api_carry_the_quality(client, releases):
    url = reverse("downloads:indicator", args=["commune", "59350", "flux-carbone", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Qualité des chiffres" and {row[-1] for row in rows[1:]} == {"Estimation"}

    url = reverse("downloads:indicator", args=["commune", "59350", "flux-carbone", "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    readme = {row[0]: row[1] for row in book["Lisez-moi"].iter_rows(values_only=True) if row[0]}
    assert readme["Qualité des chiffres"].startswith("Estimation : ")

    body = client.get(reverse("v1:territory-indicator", args=["epci", SAINT_QUENTINOIS, "stock-carbone"])).json()
    assert body["quality"]["level"] == "incomplet" and "hors forêt" in body["quality"]["reasons"][0]


def test_hetre_double_counted_grassland_is_labelled_and_explained(releases):
    from indicators.selectors import figures_of
    from indicators.tables import flux_by_land_use_table

    release = releases["hetre"]
    with_row = IndicatorValue.objects.filter(release=release, measure="flux", land_use="prairies").first()
    assert with_row is not None
    table = flux_by_land_use_table(figures_of(release, [with_row.territory_id])[with_row.territory_id])
    row = next(row for row in table.rows if row["key"] == "prairies")
    assert row["label"] == DOUBLE_COUNTED_LABEL and row["group"] == "Prairies"
    assert "compte deux fois" in table.note


def test_comparable_territories_are_the_closest_in_population_in_the_same_departement(releases):
    release = releases["chanterelle"]
    amiens = Territory.objects.get(kind="commune", code="80021", geography="2026")
    peers = comparable_territories(amiens, release, 4)
    somme = Territory.objects.filter(
        kind="commune", geography="2026", attributes__departement="80", results__release=release
    ).exclude(pk=amiens.pk)
    closest = sorted(somme, key=lambda commune: (abs((commune.population or 0) - amiens.population), commune.name))
    assert [peer.code for peer in peers] == [commune.code for commune in closest[:4]]


def test_a_territory_alone_of_its_kind_has_no_comparable_territory(releases):
    region = Territory.objects.get(kind="region", code="32", geography="2026")
    assert comparable_territories(region, releases["chanterelle"], 4) == []
