"""The open API for any set of communes and EPCIs: members as resolved and figures summed on request."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from territories import vintages
from territories.groupings import InvalidMembers, read_members

from .. import quality
from ..groupings import grouping_sum, warnings
from ..pages.grouping import DrawnGrouping
from ..selectors import UnknownRelease, release_for
from .serializers import (
    GroupingSerializer,
)
from .views import BAD_REQUEST, NOT_FOUND, THROTTLED, ApiMixin


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
