"""Downloads: indicator sheets (.xlsx, .csv), the PCAET workbook and the regional workbook of every EPCI.

Thin views: they find the territory and the release (``?geographie=``, ``?millesime=`` as on the pages), read the
stored figures, and hand them to the pure builders of ``files``.
"""

from dataclasses import replace

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from observatory.cache import shared_value
from territories import vintages
from territories.groupings import InvalidMembers
from territories.models import Territory, TerritoryKind
from territories.selectors import get_territory

from .. import quality, registry, scenarios, selectors
from ..frames import territory_frames
from ..groupings import grouping_sum, warnings
from ..models import Release, TerritoryResult
from ..pages import grouping
from ..pages.views import requested_geography, requested_release, scenario_page, unknown_release
from ..selectors import UnknownRelease
from ..series.selectors import series_points
from ..series.tables import series_tables
from .files import (
    indicator_workbook,
    pcaet_workbook,
    regional_workbook,
    scenario_workbook,
    series_csv,
    series_workbook,
    table_csv,
)
from .metadata import ExportInfo

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
REGIONAL_SHEETS = [(vintage.code, f"EPCI {vintage.epci_year}") for vintage in vintages.VINTAGES]


def _release(request) -> Release:
    release = requested_release(request)
    if release is None:
        raise Http404("Aucun millésime publié.")
    return release


def _page_url(request, territory: Territory, release: Release) -> str:
    path = reverse("pages:territory", args=[territory.kind, territory.code])
    query = urlencode({"millesime": release.slug, "geographie": territory.geography})
    return request.build_absolute_uri(f"{path}?{query}")


def _release_date(release: Release) -> str:
    return timezone.localtime(release.published_at).strftime("%d/%m/%Y") if release.published_at else ""


def _territory_export(request, kind: str, code: str):
    territory = get_territory(kind, code, requested_geography(request))
    if territory is None:
        raise Http404("Territoire inconnu.")
    release = _release(request)
    result = selectors.territory_result(release, territory)
    if result is None or not result.available:
        reason = result.unavailable_reason if result else "pas de résultat"
        raise Http404(f"Millésime {release} non disponible pour ce territoire : {reason}")
    info = _export_info(territory, release, result, _page_url(request, territory, release))
    return selectors.territory_figures(release, territory), info, territory, release


def _export_info(territory: Territory, release: Release, result: TerritoryResult, page_url: str) -> ExportInfo:
    return ExportInfo(
        release=str(release),
        release_date=_release_date(release),
        exported_at=timezone.localtime(),
        page_url=page_url,
        territory_name=territory.name,
        territory_kind=territory.get_kind_display(),
        territory_code=territory.code,
        geography=territory.vintage.label,
        computed_from=result.computed_from_text,
        quality=assessed.level.label if (assessed := quality.assessment(result)) else "",
        quality_meaning=assessed.level.meaning if assessed else "",
        caveats=tuple(quality.caveats(territory, result)),
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _filename(*parts: str, extension: str) -> str:
    return "_".join(slugify(part) for part in parts) + f".{extension}"


@require_GET
def indicator_file(request, kind: str, code: str, indicator: str, extension: str):
    chosen = registry.get(indicator)
    if chosen is None:
        raise Http404("Indicateur inconnu.")
    try:
        figures, info, territory, release = _territory_export(request, kind, code)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    if not chosen.shows(figures):
        raise Http404("Cette série n'a pas de valeur pour ce territoire.")
    if chosen.series:
        info = replace(info, source=chosen.series.metadata.source)
    name = _filename(indicator, territory.kind, territory.code, territory.geography, release.slug, extension=extension)
    return _indicator_attachment(chosen, extension, figures, info, name)


def _indicator_attachment(chosen, extension: str, figures, info: ExportInfo, name: str) -> HttpResponse:
    if extension == "csv":
        return _attachment(table_csv(chosen.table(figures), info), CSV, name)
    return _attachment(indicator_workbook(chosen, figures, info), XLSX, name)


@require_GET
def series_file(request, slug: str, extension: str):
    """A whole published series: its tables with their charts (.xlsx), or every value, one per row (.csv)."""
    chosen = registry.get(slug)
    if chosen is None or chosen.series is None:
        raise Http404("Série inconnue ou non publiée.")
    series = chosen.series
    meta = series.metadata
    points = series_points(series.version_id, meta.geography)
    name = _filename(meta.slug, f"revision-{series.revision}", extension=extension)
    if extension == "csv":
        return _attachment(series_csv(meta, points), CSV, name)
    page_url = request.build_absolute_uri(reverse("pages:indicator", args=[meta.slug]))
    published = timezone.localtime(series.published_at).strftime("%d/%m/%Y") if series.published_at else ""
    content = series_workbook(meta, series_tables(meta, points), page_url, f"{published}, révision {series.revision}")
    return _attachment(content, XLSX, name)


@require_GET
def pcaet_file(request, kind: str, code: str):
    try:
        figures, info, territory, release = _territory_export(request, kind, code)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    name = _filename("pcaet", territory.kind, territory.code, territory.geography, release.slug, extension="xlsx")
    return _attachment(pcaet_workbook(figures, info, territory_frames(figures)), XLSX, name)


def _drawn_export(request):
    """Figures and read-me facts of a grouping drawn by a visitor (``communes``, ``epcis``, ``geographie``)."""
    drawn = grouping.drawn_grouping(request.GET)
    unknown = drawn.resolution.unknown
    if unknown:
        raise InvalidMembers(" ".join(member.problem for member in unknown), status=404)
    release = _release(request)
    summed = grouping_sum(release, drawn.resolution.composition)
    reason = " ".join(drawn.resolution.problems) or summed.unavailable_reason
    if reason:
        raise Http404(f"Millésime {release} non disponible pour ce regroupement : {reason}")
    composition = drawn.resolution.composition
    info = ExportInfo(
        release=str(release),
        release_date=_release_date(release),
        exported_at=timezone.localtime(),
        page_url=request.build_absolute_uri(f"{drawn.get_absolute_url()}&millesime={release.slug}"),
        territory_name=drawn.name,
        territory_kind=drawn.get_kind_display(),
        territory_code=drawn.code,
        geography=drawn.vintage.label,
        computed_from=summed.computed_from,
        quality=assessed.level.label if (assessed := quality.assessment(summed)) else "",
        quality_meaning=assessed.level.meaning if assessed else "",
        caveats=tuple(quality.caveats(drawn, summed) + warnings(composition, drawn.resolution.counted_once)),
    )
    return summed.figures, info, release


def _drawn_response(request, build) -> HttpResponse:
    """The file ``build(figures, info, release)`` of a drawn grouping, or the page saying why there is none."""
    try:
        figures, info, release = _drawn_export(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    except InvalidMembers as invalid:
        return HttpResponse(invalid.message, status=invalid.status, content_type="text/plain; charset=utf-8")
    return build(figures, info, release)


@require_GET
def drawn_indicator_file(request, indicator: str, extension: str):
    chosen = registry.get(indicator)
    if chosen is None or chosen.series:
        raise Http404("Indicateur inconnu.")

    def build(figures, info: ExportInfo, release: Release) -> HttpResponse:
        name = _filename(indicator, "regroupement", info.territory_code, release.slug, extension=extension)
        return _indicator_attachment(chosen, extension, figures, info, name)

    return _drawn_response(request, build)


@require_GET
def drawn_pcaet_file(request):
    def build(figures, info: ExportInfo, release: Release) -> HttpResponse:
        name = _filename("pcaet", "regroupement", info.territory_code, release.slug, extension="xlsx")
        return _attachment(pcaet_workbook(figures, info, territory_frames(figures)), XLSX, name)

    return _drawn_response(request, build)


@require_GET
def regional_file(request):
    try:
        release = _release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    content = shared_value(f"downloads:regional-epci:{release.pk}", lambda: _regional_workbook(request, release))
    return _attachment(content, XLSX, _filename("epci", "hauts-de-france", release.slug, extension="xlsx"))


def _regional_workbook(request, release: Release) -> bytes:
    sheets = []
    for geography, label in REGIONAL_SHEETS:
        results = TerritoryResult.objects.filter(
            release=release, territory__kind=TerritoryKind.EPCI, territory__geography=geography
        ).order_by("territory__code")
        epcis = [
            {
                "territory_id": territory_id,
                "code": code,
                "name": name,
                "quality": quality.LEVELS[level].label if ok and level in quality.LEVELS else "",
                "note": "" if ok else f"Non disponible : {why}",
            }
            for territory_id, code, name, ok, why, level in results.values_list(
                "territory_id",
                "territory__code",
                "territory__name",
                "available",
                "unavailable_reason",
                "quality_level",
            )
        ]
        available = [epci["territory_id"] for epci in epcis if not epci["note"]]
        sheets.append((label, epcis, selectors.figures_of(release, available)))
    info = ExportInfo(
        release=str(release),
        release_date=_release_date(release),
        exported_at=timezone.localtime(),
        page_url=request.build_absolute_uri(reverse("pages:home")),
        geography="EPCI au 1er janvier 2018 (géographie ALDO) et EPCI au 1er janvier 2025",
    )
    return regional_workbook(sheets, info)


@require_GET
def scenario_file(request, kind: str, code: str):
    """The scenario of the page as a workbook; a scenario the page would refuse gets the page and its message."""
    try:
        release = _release(request)
    except UnknownRelease as unknown:
        return unknown_release(request, unknown)
    territory = get_territory(kind, code, requested_geography(request))
    if territory is None:
        raise Http404("Territoire inconnu.")
    try:
        setting = scenarios.setting_for(release, territory)
        values = scenarios.parse_levers(dict(request.GET.lists()), setting.levers, release.rule_set)
    except (scenarios.ScenarioUnavailable, scenarios.InvalidLevers):
        return scenario_page(request, kind, code)
    page = scenarios.page_parameters(territory, release)
    path = reverse("pages:scenario", args=[territory.kind, territory.code])
    page_url = request.build_absolute_uri(scenarios.scenario_url(path, page, values, setting.levers))
    info = _export_info(territory, release, selectors.territory_result(release, territory), page_url)
    content = scenario_workbook(scenarios.run_scenario(setting, values), info)
    name = _filename("scenario", territory.kind, territory.code, territory.geography, release.slug, extension="xlsx")
    return _attachment(content, XLSX, name)
