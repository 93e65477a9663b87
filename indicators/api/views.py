"""The open API, read-only: territories, published releases, indicator metadata and stored values."""

import re
from urllib.parse import unquote

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.versioning import NamespaceVersioning
from rest_framework.views import APIView

from territories import vintages
from territories.groupings import InvalidMembers, read_members
from territories.models import Territory, TerritoryKind
from territories.selectors import get_territory, members, parents

from .. import quality, registry, scenarios
from ..aldo import RULE_SETS
from ..groupings import grouping_sum, warnings
from ..measures import FLUX, SIGN_CONVENTION
from ..models import IndicatorValue, Release
from ..pages.grouping import DrawnGrouping
from ..scenarios import Lever
from ..selectors import UnknownRelease, release_for, territory_figures, territory_result
from ..series.selectors import series_points
from .filters import TerritoryFilter
from .renderers import CSVRenderer
from .serializers import (
    GroupingSerializer,
    IndicatorSerializer,
    IndicatorTableSerializer,
    ReleaseSerializer,
    ScenarioSerializer,
    SeriesValueSerializer,
    TerritoryDetailSerializer,
    TerritorySerializer,
    ValueSerializer,
)

TERRITORY_PATH_PARAMETERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=TerritoryKind.values),
    OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Code INSEE, SIREN…"),
]
GEOGRAPHY_PARAMETER = OpenApiParameter(
    "geography",
    OpenApiTypes.STR,
    enum=sorted(vintages.CODES),
    description="Géographie (2018 : ALDO ; 2026 : actuelle). Par défaut l'actuelle si le territoire y existe.",
)

_DETAIL = inline_serializer("Error", {"detail": serializers.CharField()})
NOT_FOUND = {
    404: OpenApiResponse(
        _DETAIL, description="Inconnu (territoire, millésime, indicateur, format), ou non disponible."
    )
}
BAD_REQUEST = {400: OpenApiResponse(OpenApiTypes.OBJECT, description="Paramètre invalide (message par paramètre).")}
THROTTLED = {429: OpenApiResponse(_DETAIL, description="Trop de requêtes : réessayer plus tard.")}


class Pagination(LimitOffsetPagination):
    """Bounded limit and offset: a huge number is a client error to absorb, not a database overflow."""

    max_limit = 1000

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.count)


class ApiMixin:
    """Anonymous, read-only, rate-limited (settings' AnonRateThrottle), versioned by the URL namespace."""

    versioning_class = NamespaceVersioning
    renderer_classes = [JSONRenderer, CSVRenderer]
    authentication_classes = []
    permission_classes = [AllowAny]
    pagination_class = None

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON, as the schema says, even when CSV was asked for.
        if response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


CODE = re.compile(r"[0-9A-Za-z-]{1,16}")


class TerritoryQuery(serializers.Serializer):
    geography = serializers.ChoiceField(
        choices=[(vintage.code, vintage.label) for vintage in vintages.VINTAGES], required=False
    )


def _territory(request, kind: str, code: str) -> Territory:
    query = TerritoryQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    if kind not in TerritoryKind.values or not CODE.fullmatch(code):
        raise Http404("Territoire inconnu.")
    territory = get_territory(kind, code, query.validated_data.get("geography"))
    if territory is None:
        raise Http404("Territoire inconnu.")
    return territory


@extend_schema(responses={200: TerritorySerializer(many=True), **BAD_REQUEST, **NOT_FOUND, **THROTTLED})
class TerritoryList(ApiMixin, generics.ListAPIView):
    """Territoires : recherche (`q`), filtres par type et par géographie."""

    serializer_class = TerritorySerializer
    filterset_class = TerritoryFilter
    pagination_class = Pagination
    queryset = Territory.objects.defer("geometry", "attributes").order_by("kind", "name", "code", "geography")


@extend_schema(
    parameters=[*TERRITORY_PATH_PARAMETERS, GEOGRAPHY_PARAMETER],
    responses={200: TerritoryDetailSerializer, **BAD_REQUEST, **NOT_FOUND, **THROTTLED},
)
class TerritoryDetail(ApiMixin, generics.RetrieveAPIView):
    """Un territoire, ses communes membres et les territoires qui l'englobent."""

    serializer_class = TerritoryDetailSerializer
    renderer_classes = [JSONRenderer]
    queryset = Territory.objects.none()

    def get_object(self):
        territory = _territory(self.request, self.kwargs["kind"], self.kwargs["code"])
        territory.member_communes = members(territory).defer("geometry", "attributes")
        territory.enclosing_territories = parents(territory)
        return territory


@extend_schema(responses={200: ReleaseSerializer(many=True), **NOT_FOUND, **THROTTLED})
class ReleaseList(ApiMixin, generics.ListAPIView):
    """Millésimes publiés, du plus ancien au plus récent ; `is_current` marque celui affiché par défaut."""

    serializer_class = ReleaseSerializer
    filter_backends = []

    def get_queryset(self):
        return Release.objects.published().order_by("published_at")


@extend_schema(responses={200: ReleaseSerializer, **NOT_FOUND, **THROTTLED})
class ReleaseDetail(ApiMixin, generics.RetrieveAPIView):
    serializer_class = ReleaseSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Release.objects.published().order_by("published_at")


class IndicatorList(ApiMixin, APIView):
    """Les indicateurs : les indicateurs carbone ALDO, puis les séries publiées par l'observatoire (définition,
    unité, convention de signe ; source et licence des séries)."""

    @extend_schema(responses={200: IndicatorSerializer(many=True), **NOT_FOUND, **THROTTLED})
    def get(self, request, *args, **kwargs):
        return Response(IndicatorSerializer(registry.indicators(), many=True).data)


class IndicatorDetail(ApiMixin, APIView):
    @extend_schema(responses={200: IndicatorSerializer, **NOT_FOUND, **THROTTLED})
    def get(self, request, slug: str, *args, **kwargs):
        return Response(IndicatorSerializer(_indicator(slug)).data)


@extend_schema(responses={200: SeriesValueSerializer(many=True), **NOT_FOUND, **THROTTLED})
class IndicatorValues(ApiMixin, APIView):
    """Toutes les valeurs d'une série publiée, une par lieu, période et valeurs de dimensions (JSON ou CSV). Les
    indicateurs ALDO se lisent par territoire : /territories/{kind}/{code}/values/."""

    def get(self, request, slug: str, *args, **kwargs):
        indicator = _indicator(slug)
        if indicator.series is None:
            raise Http404(
                "Indicateur ALDO : ses valeurs se lisent par territoire (/territories/{kind}/{code}/values/)."
            )
        meta = indicator.series.metadata
        points = series_points(indicator.series.version_id, meta.geography)
        return Response(SeriesValueSerializer(points, many=True, context={"metadata": meta}).data)


class ValuesQuery(TerritoryQuery):
    release = serializers.SlugField(
        required=False, help_text="Millésime publié (ex. chanterelle) ; par défaut celui affiché sur le site."
    )
    indicator = serializers.CharField(required=False, max_length=64, help_text="Identifiant d'un indicateur.")

    def validate_indicator(self, slug: str) -> str:
        aldo = [indicator.slug for indicator in registry.indicators("aldo")]
        if slug not in aldo:
            raise serializers.ValidationError(
                f"Indicateur ALDO inconnu ; valeurs possibles : {', '.join(aldo)} (les valeurs d'une série se lisent "
                "sur /indicators/{slug}/values/)."
            )
        return slug

    land_use = serializers.CharField(required=False, max_length=64)
    detail = serializers.CharField(required=False, max_length=64)


@extend_schema(
    parameters=[*TERRITORY_PATH_PARAMETERS, ValuesQuery],
    responses={200: ValueSerializer(many=True), **BAD_REQUEST, **NOT_FOUND, **THROTTLED},
)
class TerritoryValues(ApiMixin, APIView):
    """Valeurs enregistrées d'un territoire pour un millésime, avec leur détail par occupation des sols et par
    réservoir (stocks) ou composante (flux). Une valeur nulle n'est pas listée : absente vaut 0."""

    def get(self, request, kind: str, code: str, *args, **kwargs):
        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        territory = _territory(request, kind, code)
        release = _available_release(params.get("release"), territory)
        rows = IndicatorValue.objects.filter(release=release, territory=territory)
        if "indicator" in params:
            rows = rows.filter(measure__in=_indicator(params["indicator"]).measures)
        for field in ("land_use", "detail"):
            if field in params:
                rows = rows.filter(**{field: params[field]})
        rows = rows.order_by("measure", "land_use", "detail").values(
            "territory__kind",
            "territory__code",
            "territory__geography",
            "release__slug",
            "measure",
            "land_use",
            "detail",
            "value",
            "provenance",
        )
        level = territory_result(release, territory).quality_level
        return Response(ValueSerializer([row | {"quality_level": level} for row in rows], many=True).data)


def _indicator(slug: str):
    indicator = registry.get(slug)
    if indicator is None:
        raise Http404("Indicateur inconnu.")
    return indicator


def _available_release(slug: str | None, territory: Territory) -> Release:
    """The published release asked for (the current one by default), computed for ``territory``; else a 404."""
    try:
        release = release_for(slug)
    except UnknownRelease:
        release = None
    if release is None:
        raise Http404("Millésime inconnu ou non publié.")
    result = territory_result(release, territory)
    if result is None or not result.available:
        reason = result.unavailable_reason if result else "pas de résultat"
        raise Http404(f"Millésime {release} non disponible pour ce territoire : {reason}")
    return release


class TableQuery(TerritoryQuery):
    release = serializers.SlugField(
        required=False, help_text="Millésime publié (ex. chanterelle) ; par défaut celui affiché sur le site."
    )


@extend_schema(
    parameters=[
        *TERRITORY_PATH_PARAMETERS,
        OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Identifiant de l'indicateur."),
        TableQuery,
    ],
    responses={200: IndicatorTableSerializer, **BAD_REQUEST, **NOT_FOUND, **THROTTLED},
)
class TerritoryIndicatorTable(ApiMixin, APIView):
    """Le tableau d'un indicateur pour un territoire et un millésime : le même que sur la page et dans les
    fichiers (colonnes avec leur unité, une ligne par occupation des sols, réservoir ou composante, total)."""

    renderer_classes = [JSONRenderer]

    def get(self, request, kind: str, code: str, slug: str, *args, **kwargs):
        query = TableQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        indicator = _indicator(slug)
        territory = _territory(request, kind, code)
        release = _available_release(query.validated_data.get("release"), territory)
        figures = territory_figures(release, territory)
        if not indicator.shows(figures):
            raise Http404("Cette série n'a pas de valeur pour ce territoire.")
        table = indicator.table(figures)
        result = territory_result(release, territory)
        data = {
            "indicator": indicator.slug,
            "title": table.title,
            "release": release.slug,
            "territory": territory,
            "sign_convention": indicator.sign_convention,
            "quality": None if indicator.series else quality.assessment(result),
            "caveats": [] if indicator.series else quality.caveats(territory, result),
            "columns": [{"key": c.key, "header": c.header, "unit": c.unit} for c in table.columns],
            "rows": table.rows,
            "total": table.total,
        }
        return Response(IndicatorTableSerializer(data, context={"request": request}).data)


class GroupingQuery(serializers.Serializer):
    communes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60_000,
        help_text="Codes INSEE des communes, séparés par des virgules.",
    )
    epcis = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60_000,
        help_text="SIREN des intercommunalités, séparés par des virgules.",
    )
    geography = serializers.ChoiceField(
        choices=[(vintage.code, vintage.label) for vintage in vintages.VINTAGES],
        required=False,
        help_text="Géographie des codes (2018 : ALDO ; 2026 : actuelle, par défaut).",
    )
    millesime = serializers.SlugField(
        required=False, help_text="Millésime publié (ex. hetre) ; par défaut celui affiché sur le site."
    )


@extend_schema(
    parameters=[GroupingQuery], responses={200: GroupingSerializer, **BAD_REQUEST, **NOT_FOUND, **THROTTLED}
)
class GroupingDetail(ApiMixin, APIView):
    """Un regroupement quelconque de communes et d'intercommunalités (codes séparés par des virgules, dans n'importe
    quel ordre, au plus 4 000 membres) : ses membres tels que résolus (chaque commune comptée une fois, communes de
    2018 après passage par la table de correspondance) et ses chiffres, additionnés à la demande à partir de ceux de
    ses communes de 2018 (HETRE : seulement pour une réunion d'EPCI de 2018 entiers)."""

    renderer_classes = [JSONRenderer]

    def get(self, request, *args, **kwargs):
        query = GroupingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            members = read_members(params.get("communes", ""), params.get("epcis", ""))
        except InvalidMembers as invalid:
            raise serializers.ValidationError({invalid.parameter or "communes": [invalid.message]}) from invalid
        geography = params.get("geography", vintages.CURRENT.code)
        drawn = DrawnGrouping(members, geography)
        resolution = drawn.resolution
        if resolution.unknown:
            raise Http404(" ".join(member.problem for member in resolution.unknown))
        try:
            release = release_for(params.get("millesime"))
        except UnknownRelease:
            release = None
        if release is None:
            raise Http404("Millésime inconnu ou non publié.")
        composition = resolution.composition
        summed = grouping_sum(release, composition)
        reason = " ".join(resolution.problems) or summed.unavailable_reason
        aldo_codes = {commune.id: commune.code for commune in composition.communes}
        identity = {"territory__kind": drawn.kind, "territory__code": drawn.code, "territory__geography": geography}
        rows = [] if reason else sorted(summed.rows)
        assessed = quality.assessment(summed)
        level = assessed.level.slug if assessed else ""
        data = {
            "name": drawn.name,
            "geography": geography,
            "release": release.slug,
            "page_url": request.build_absolute_uri(f"{drawn.get_absolute_url()}&millesime={release.slug}"),
            "members": [
                {
                    "kind": member.kind,
                    "code": member.code,
                    "name": member.name,
                    "communes_2018": sorted(aldo_codes[pk] for pk in member.aldo_ids if pk in aldo_codes),
                    "counted_once": member.counted_once,
                    "problem": member.problem,
                }
                for member in resolution.members
            ],
            "communes": [commune.code for commune in resolution.given_communes],
            "communes_2018": list(composition.codes),
            "epcis_2018": list(composition.epcis),
            "epci_union": composition.epci_union,
            "available": not reason,
            "unavailable_reason": reason,
            "computed_from": summed.computed_from,
            "warnings": warnings(composition, resolution.counted_once),
            "values": [
                {
                    **identity,
                    "release__slug": release.slug,
                    "measure": measure,
                    "land_use": land_use,
                    "detail": detail,
                    "value": value,
                    "provenance": provenance,
                    "quality_level": level,
                }
                for measure, land_use, detail, value, provenance in rows
            ],
        }
        return Response(GroupingSerializer(data).data)


ROOT = inline_serializer(
    "ApiRoot",
    {
        "description": serializers.CharField(),
        "sign_convention": serializers.CharField(),
        "licence": serializers.CharField(),
        "endpoints": serializers.DictField(child=serializers.CharField()),
    },
)


class ApiRoot(ApiMixin, APIView):
    """Point d'entrée de l'API : ce qu'elle donne et ses adresses."""

    renderer_classes = [JSONRenderer]

    @extend_schema(responses={200: ROOT, **THROTTLED})
    def get(self, request, *args, **kwargs):
        def url(name: str, *args) -> str:
            return request.build_absolute_uri(reverse(f"v1:{name}", args=args))

        territory = ("{kind}", "{code}")
        endpoints = {
            "territories": url("territory-list"),
            "territory": url("territory-detail", *territory),
            "territory_values": url("territory-values", *territory),
            "territory_indicator": url("territory-indicator", *territory, "{indicator}"),
            "groupings": url("groupings") + "?communes={codes}&epcis={sirens}",
            "scenario": url("scenario", *territory),
            "releases": url("release-list"),
            "indicators": url("indicator-list"),
            "indicator_values": url("indicator-values", "{indicator}"),
            "schema": url("schema"),
            "docs": url("docs"),
        }
        return Response(
            {
                "description": settings.SPECTACULAR_SETTINGS["DESCRIPTION"],
                "sign_convention": SIGN_CONVENTION,
                "licence": f"{settings.DATA_LICENCE_NAME} ({settings.DATA_LICENCE_URL})",
                "endpoints": {name: unquote(address) for name, address in endpoints.items()},
            }
        )


class SchemaView(SpectacularAPIView):
    versioning_class = NamespaceVersioning


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI served by the site (drf-spectacular-sidecar); its initialiser is a separate script, as the CSP
    forbids inline scripts."""

    versioning_class = NamespaceVersioning
    metadata_class = None  # OPTIONS: 405 (DRF's description of an HTML page has no template to render)
    url_name = "v1:schema"
    title = "API de l'Observatoire Climat Hauts-de-France"


def _lever_parameter(lever: Lever, methods: tuple[str, ...] = ()) -> OpenApiParameter:
    """A lever as the schema declares it; the bounds that depend on the territory are said in words."""
    schema: dict = {"type": "number" if lever.kind == scenarios.SHARE else "integer"}
    if lever.kind == scenarios.CHOICE:
        schema = {"type": "string", "enum": [value for value, _ in lever.choices]}
    elif lever.group == "practices":
        schema["minimum"] = 0
    else:
        schema |= {"minimum": lever.minimum, "maximum": lever.maximum}
    description = f"{lever.label}. {lever.help}"
    if lever.group == "practices":
        description = (
            f"{lever.label} : hectares où la pratique est en place (au plus la surface concernée du territoire en "
            "2018) ; 0 par défaut."
        )
    if methods:
        description += f" Méthodes : {', '.join(methods)}."
    return OpenApiParameter(lever.name, schema, description=description)


def _practice_levers() -> list[OpenApiParameter]:
    practices: dict[str, tuple] = {}
    for rules in RULE_SETS.values():
        for name, practice in rules.practices.items():
            lever = Lever(name, practice.label, "practices", scenarios.AREA_HA, default=0)
            practices[name] = (lever, (*practices.get(name, (None, ()))[1], rules.name))
    return [
        _lever_parameter(lever, () if len(methods) == len(RULE_SETS) else methods)
        for lever, methods in practices.values()
    ]


SCENARIO_PARAMETERS = [
    *TERRITORY_PATH_PARAMETERS,
    OpenApiParameter(
        "millesime", OpenApiTypes.STR, description="Millésime publié (ex. chanterelle) ; par défaut celui du site."
    ),
    OpenApiParameter(
        "geographie", OpenApiTypes.STR, enum=sorted(vintages.CODES), description=GEOGRAPHY_PARAMETER.description
    ),
    *(_lever_parameter(lever) for lever in scenarios.FIXED_LEVERS),
    *_practice_levers(),
    _lever_parameter(scenarios.HORIZON),
]
UNAVAILABLE = {
    503: OpenApiResponse(
        _DETAIL, description="Le fichier de données du millésime ne peut plus être lu sur le serveur."
    )
}


@extend_schema(
    parameters=SCENARIO_PARAMETERS,
    responses={200: ScenarioSerializer, **BAD_REQUEST, **NOT_FOUND, **THROTTLED, **UNAVAILABLE},
)
class ScenarioView(ApiMixin, APIView):
    """« Et si… ? » : le territoire recalculé par le moteur ALDO avec d'autres leviers (part imperméabilisée,
    produits bois, pratiques agricoles, artificialisation, défrichement), face aux chiffres publiés. Mêmes paramètres
    que la page du site `/territoire/<kind>/<code>/scenario/`. Un paramètre inconnu ou une valeur hors bornes donne
    une erreur 400 qui dit pourquoi, en français."""

    renderer_classes = [JSONRenderer]

    def get(self, request, kind: str, code: str, *args, **kwargs):
        geography = request.query_params.get("geographie")
        if geography and geography not in vintages.CODES:
            raise serializers.ValidationError(
                {"geographie": [f"Géographie inconnue ; valeurs possibles : {', '.join(sorted(vintages.CODES))}."]}
            )
        if kind not in TerritoryKind.values or not CODE.fullmatch(code):
            raise Http404("Territoire inconnu.")
        territory = get_territory(kind, code, geography or None)
        if territory is None:
            raise Http404("Territoire inconnu.")
        try:
            release = release_for(request.query_params.get("millesime"))
        except UnknownRelease:
            release = None
        if release is None:
            raise Http404("Millésime inconnu ou non publié.")
        try:
            setting = scenarios.setting_for(release, territory)
        except scenarios.BundleUnavailable as error:
            return Response({"detail": str(error)}, status=503)
        except scenarios.ScenarioUnavailable as error:
            raise Http404(f"Millésime {release} non disponible pour ce territoire : {error}") from error
        try:
            values = scenarios.parse_levers(dict(request.query_params.lists()), setting.levers, release.rule_set)
        except scenarios.InvalidLevers as invalid:
            raise serializers.ValidationError({name: [message] for name, message in invalid.errors.items()}) from None
        scenario = scenarios.run_scenario(setting, values)
        page = scenarios.page_parameters(territory, release)

        def address(name: str) -> str:
            path = reverse(name, args=[territory.kind, territory.code])
            return request.build_absolute_uri(scenarios.scenario_url(path, page, values, setting.levers))

        data = {
            "territory": territory,
            "release": release.slug,
            "levers": values,
            **scenarios.sides(scenario),
            "sentence": scenarios.flux_sentence(scenario.reference.get(FLUX), scenario.figures.get(FLUX)),
            "trajectory": scenario.trajectory,
            "national_comparison": scenarios.national_comparison(scenario),
            "sign_convention": SIGN_CONVENTION,
            "caveats": quality.caveats(territory, territory_result(release, territory)),
            "page_url": address("pages:scenario"),
            "xlsx_url": address("downloads:scenario"),
        }
        return Response(ScenarioSerializer(data, context={"request": request}).data)
