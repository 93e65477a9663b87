"""Downloads: indicator sheets (.xlsx, .csv), the PCAET workbook and the regional workbook of every EPCI.

Thin views: they find the territory and the release (``?geographie=``, ``?millesime=`` as on the pages), read
the stored figures, and hand them to the pure builders of ``indicators.exports``.
"""

import pandas as pd
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from observatory.cache import generation
from territories import vintages
from territories.models import Territory, TerritoryKind
from territories.selectors import get_territory

from .catalog import INDICATORS
from .exports.files import indicator_workbook, pcaet_workbook, regional_workbook, table_csv
from .exports.metadata import ExportInfo
from .exports.tables import Figures, indicator_table
from .models import Release, TerritoryResult
from .selectors import release_for, territory_result, values_frame

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# ALDO's own warning: below about ten communes its figures are not meaningful.
FEW_COMMUNES = 10
REGIONAL_SHEETS = [(vintages.ALDO.code, "EPCI 2018"), (vintages.CURRENT.code, "EPCI 2025")]


def _release(request) -> Release:
    release = release_for(request.GET.get("millesime"))
    if release is None:
        raise Http404("Aucun millésime publié.")
    return release


def _territory(kind: str, code: str, request) -> Territory:
    geography = request.GET.get("geographie")
    territory = get_territory(kind, code, geography if geography in vintages.CODES else None)
    if territory is None:
        raise Http404("Territoire inconnu.")
    return territory


def _page_url(request, territory: Territory, release: Release) -> str:
    path = reverse("territories:detail", args=[territory.kind, territory.code])
    query = urlencode({"millesime": release.slug, "geographie": territory.geography})
    return request.build_absolute_uri(f"{path}?{query}")


def _caveats(result: TerritoryResult) -> tuple[str, ...]:
    caveats = []
    if result.has_rebuilt_inputs:
        caveats.append(
            "Une partie des données d'entrée ALDO de ce territoire est reconstituée (forêts, haies, produits bois) : "
            "les valeurs qui en dépendent sont approchées."
        )
    if result.computed_from.startswith("communes") and result.n_units < FEW_COMMUNES:
        caveats.append(
            f"Territoire de {result.n_units} commune(s) : en dessous d'une dizaine de communes, l'ADEME indique "
            "qu'ALDO n'est pas l'outil adéquat ; les valeurs sont des ordres de grandeur."
        )
    return tuple(caveats)


def _territory_export(request, kind: str, code: str) -> tuple[Figures, ExportInfo, Territory, Release]:
    territory = _territory(kind, code, request)
    release = _release(request)
    result = territory_result(release, territory)
    if result is None or not result.available:
        reason = result.unavailable_reason if result else "pas de résultat"
        raise Http404(f"Millésime {release} non disponible pour ce territoire : {reason}")
    info = ExportInfo(
        release=str(release),
        release_date=timezone.localtime(release.published_at).strftime("%d/%m/%Y") if release.published_at else "",
        exported_at=timezone.localtime(),
        page_url=_page_url(request, territory, release),
        territory_name=territory.name,
        territory_kind=territory.get_kind_display(),
        territory_code=territory.code,
        geography=territory.vintage.label,
        computed_from=f"{result.n_units} {result.computed_from}" if result.n_units else result.computed_from,
        caveats=_caveats(result),
    )
    return Figures(values_frame(release, [territory.pk])), info, territory, release


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _filename(*parts: str, extension: str) -> str:
    return "_".join(slugify(part) for part in parts) + f".{extension}"


@require_GET
def indicator_file(request, kind: str, code: str, indicator: str, extension: str):
    if indicator not in INDICATORS:
        raise Http404("Indicateur inconnu.")
    figures, info, territory, release = _territory_export(request, kind, code)
    name = _filename(indicator, territory.kind, territory.code, territory.geography, release.slug, extension=extension)
    if extension == "csv":
        return _attachment(table_csv(indicator_table(indicator, figures), info), CSV, name)
    return _attachment(indicator_workbook(indicator, figures, info), XLSX, name)


@require_GET
def pcaet_file(request, kind: str, code: str):
    figures, info, territory, release = _territory_export(request, kind, code)
    name = _filename("pcaet", territory.kind, territory.code, territory.geography, release.slug, extension="xlsx")
    return _attachment(pcaet_workbook(figures, info), XLSX, name)


@require_GET
def regional_file(request):
    release = _release(request)
    key = f"downloads:regional-epci:{release.pk}"
    content = cache.get(key, version=generation())
    if content is None:
        content = _regional_workbook(request, release)
        cache.set(key, content, timeout=24 * 3600, version=generation())
    return _attachment(content, XLSX, _filename("epci", "hauts-de-france", release.slug, extension="xlsx"))


def _regional_workbook(request, release: Release) -> bytes:
    sheets = []
    for geography, label in REGIONAL_SHEETS:
        results = TerritoryResult.objects.filter(
            release=release, territory__kind=TerritoryKind.EPCI, territory__geography=geography
        ).order_by("territory__code")
        columns = ["territory_id", "territory__code", "territory__name", "available", "unavailable_reason"]
        epcis = pd.DataFrame.from_records(
            results.values_list(*columns), columns=["territory_id", "code", "name", "available", "reason"]
        )
        sheets.append((label, epcis, values_frame(release, epcis["territory_id"].tolist())))
    info = ExportInfo(
        release=str(release),
        release_date=timezone.localtime(release.published_at).strftime("%d/%m/%Y") if release.published_at else "",
        exported_at=timezone.localtime(),
        page_url=request.build_absolute_uri(reverse("territories:home")),
        geography="EPCI au 1er janvier 2018 (géographie ALDO) et EPCI au 1er janvier 2025",
    )
    return regional_workbook(sheets, info)
