"""The open API of the scenario simulator: a territory's figures recomputed with the levers of the query."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from territories import vintages
from territories.models import TerritoryKind
from territories.selectors import get_territory

from .. import quality, scenarios
from ..aldo import RULE_SETS
from ..measures import FLUX, SIGN_CONVENTION
from ..scenarios import Lever
from ..selectors import UnknownRelease, release_for, territory_result
from .serializers import (
    ScenarioSerializer,
)
from .views import (
    BAD_REQUEST,
    CODE,
    ERROR_DETAIL,
    GEOGRAPHY_PARAMETER,
    NOT_FOUND,
    TERRITORY_PATH_PARAMETERS,
    THROTTLED,
    ApiMixin,
)


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
        ERROR_DETAIL, description="Le fichier de données du millésime ne peut plus être lu sur le serveur."
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
