from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from territories import land_uses, vintages
from territories.models import Territory

from ..measures import DETAIL_LABELS, MEASURES, unit_of
from ..models import Provenance, Release

MEASURE_CHOICES = [(measure.slug, measure.label) for measure in MEASURES.values()]


class TerritoryBriefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Adresse de ce territoire dans l'API.")
    page_url = serializers.SerializerMethodField(help_text="Page « Mon territoire » sur le site.")

    class Meta:
        model = Territory
        fields = ["kind", "code", "geography", "name", "url", "page_url"]

    def _absolute(self, path: str, geography_parameter: str, territory: Territory) -> str:
        path = f"{path}?{urlencode({geography_parameter: territory.geography})}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, territory: Territory) -> str:
        path = reverse("v1:territory-detail", args=[territory.kind, territory.code])
        return self._absolute(path, "geography", territory)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, territory: Territory) -> str:
        path = reverse("pages:territory", args=[territory.kind, territory.code])
        return self._absolute(path, "geographie", territory)


class TerritorySerializer(TerritoryBriefSerializer):
    kind_label = serializers.CharField(source="get_kind_display", help_text="Type de territoire, en clair.")
    geography_label = serializers.CharField(source="vintage.label")

    class Meta(TerritoryBriefSerializer.Meta):
        fields = [
            *TerritoryBriefSerializer.Meta.fields,
            "kind_label",
            "geography_label",
            "population",
            "area_ha",
            "in_region",
        ]


class TerritoryDetailSerializer(TerritorySerializer):
    members = TerritoryBriefSerializer(
        source="member_communes", many=True, read_only=True, help_text="Communes membres (vide pour une commune)."
    )
    parents = TerritoryBriefSerializer(
        source="enclosing_territories", many=True, read_only=True, help_text="Territoires englobants."
    )

    class Meta(TerritorySerializer.Meta):
        fields = [*TerritorySerializer.Meta.fields, "members", "parents"]


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["slug", "name", "revision", "rule_set", "aldo_commit", "scope", "published_at", "is_current"]


class IndicatorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=MEASURE_CHOICES), help_text="Mesures enregistrées que l'indicateur lit."
    )
    unit = serializers.CharField()
    by_land_use = serializers.BooleanField()
    is_flux = serializers.BooleanField()
    definition = serializers.CharField()
    sign_convention = serializers.CharField()


class ValueSerializer(serializers.Serializer):
    """One stored figure. ``land_use`` = "total" is the territory total; zero figures are not listed."""

    territory_kind = serializers.CharField(source="territory__kind")
    territory_code = serializers.CharField(source="territory__code")
    geography = serializers.ChoiceField(
        source="territory__geography", choices=[(vintage.code, vintage.label) for vintage in vintages.VINTAGES]
    )
    release = serializers.CharField(source="release__slug")
    measure = serializers.ChoiceField(choices=MEASURE_CHOICES)
    unit = serializers.SerializerMethodField()
    land_use = serializers.CharField(help_text="Identifiant ALDO de l'occupation des sols (niveau 2), ou « total ».")
    land_use_label = serializers.SerializerMethodField()
    land_use_group = serializers.SerializerMethodField(help_text="Occupation des sols de niveau 1.")
    detail = serializers.CharField(help_text="Réservoir (stocks) ou composante (flux) ; vide si non détaillé.")
    detail_label = serializers.SerializerMethodField()
    value = serializers.FloatField(help_text="Flux : séquestration nette < 0, émission nette > 0.")
    provenance = serializers.ChoiceField(choices=Provenance.choices)

    def get_unit(self, row) -> str:
        """Hedges come in their own unit (km or ha) as the release measures them."""
        return unit_of(row["measure"], row["detail"])

    def get_land_use_label(self, row) -> str:
        return "Total du territoire" if row["land_use"] == "total" else land_uses.LABELS.get(row["land_use"], "")

    def get_land_use_group(self, row) -> str:
        parent = land_uses.PARENT_OF.get(row["land_use"])
        return land_uses.LABELS[parent] if parent else ""

    def get_detail_label(self, row) -> str:
        return DETAIL_LABELS.get(row["detail"], row["detail"])


class TableColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField(help_text="En-tête, unité comprise.")
    unit = serializers.CharField(help_text="Vide pour une colonne de texte.")


class IndicatorTableSerializer(serializers.Serializer):
    """An indicator's table for one territory and release: the same table as the page and the files."""

    indicator = serializers.CharField()
    title = serializers.CharField()
    release = serializers.CharField()
    territory = TerritoryBriefSerializer()
    sign_convention = serializers.CharField()
    caveats = serializers.ListField(child=serializers.CharField(), help_text="Précautions de lecture, en clair.")
    columns = TableColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="Une ligne par occupation des sols, réservoir ou composante."
    )
    total = serializers.DictField(allow_null=True)


class ScenarioSideSerializer(serializers.Serializer):
    """The figures of one side of a scenario (reference, scenario, or their difference)."""

    stock_total = serializers.FloatField(help_text="Stock de carbone du territoire (tC).")
    flux_total = serializers.FloatField(
        help_text="Flux net (tCO2e/an, moyenne 2012-2018) : séquestration nette < 0, émission nette > 0."
    )
    flux_direction = serializers.CharField(help_text="Le flux net en mots : séquestration nette, émission nette.")
    flux_by_component = serializers.DictField(
        child=serializers.FloatField(), help_text="Flux (tCO2e/an) par composante (pratiques_agricoles : scénario)."
    )
    flux_by_land_use = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Flux (tCO2e/an) par occupation des sols finale (identifiants ALDO ; « prairies » : niveau 1).",
    )


class TrajectoryPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    reference = serializers.FloatField(help_text="Flux net de référence (tCO2e/an), maintenu.")
    scenario = serializers.FloatField(help_text="Flux net du scénario (tCO2e/an), atteint à l'horizon.")
    cumulated = serializers.FloatField(help_text="Écart cumulé depuis 2018 (tCO2e ; < 0 : séquestré en plus).")


class ScenarioSerializer(serializers.Serializer):
    """A scenario of a territory: the levers used, the published figures, the recomputed ones, their difference."""

    territory = TerritoryBriefSerializer()
    release = serializers.CharField()
    levers = serializers.DictField(
        child=serializers.JSONField(), help_text="Chaque levier et sa valeur (par défaut quand il n'est pas donné)."
    )
    reference = ScenarioSideSerializer(help_text="Chiffres publiés du millésime.")
    scenario = ScenarioSideSerializer(help_text="Chiffres recalculés avec les leviers.")
    difference = ScenarioSideSerializer(help_text="Scénario − référence.")
    sentence = serializers.CharField(help_text="L'écart en mots.")
    trajectory = TrajectoryPointSerializer(many=True, help_text="Flux net de 2018 à 2050.")
    national_comparison = serializers.CharField(help_text="Le puits national de la SNBC et celui du territoire.")
    sign_convention = serializers.CharField()
    caveats = serializers.ListField(child=serializers.CharField(), help_text="Précautions de lecture, en clair.")
    page_url = serializers.URLField(help_text="La page de ce scénario sur le site.")
    xlsx_url = serializers.URLField(help_text="Le scénario au format Excel.")
