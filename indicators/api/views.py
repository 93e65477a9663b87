"""The open API, read-only: territories, published releases, indicator metadata and stored values (drawn groupings
and scenarios in their own modules); what every view shares: errors, parameters, throttling."""

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
from territories.models import Territory, TerritoryKind
from territories.selectors import get_territory, members, parents

from .. import quality, registry
from ..measures import SIGN_CONVENTION
from ..models import IndicatorValue, Release
from ..selectors import UnknownRelease, release_for, territory_figures, territory_result
from ..series.selectors import series_points
from .filters import TerritoryFilter
from .renderers import CSVRenderer
from .serializers import (
    IndicatorSerializer,
    IndicatorTableSerializer,
    ReleaseSerializer,
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

ERROR_DETAIL = inline_serializer("Error", {"detail": serializers.CharField()})
NOT_FOUND = {
    404: OpenApiResponse(
        ERROR_DETAIL, description="Inconnu (territoire, millésime, indicateur, format), ou non disponible."
    )
}
BAD_REQUEST = {400: OpenApiResponse(OpenApiTypes.OBJECT, description="Paramètre invalide (message par paramètre).")}
THROTTLED = {429: OpenApiResponse(ERROR_DETAIL, description="Trop de requêtes : réessayer plus tard.")}


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
