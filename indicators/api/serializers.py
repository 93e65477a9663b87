from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from territories import vintages
from territories.models import Territory

from ..measures import DETAIL_LABELS, EU_CATEGORY_FLUX, EU_CATEGORY_LABELS, MEASURES, unit_of
from ..models import Provenance, Release
from ..quality import LEVELS
from ..tables import group_label, land_use_label

MEASURE_CHOICES = [(measure.slug, measure.label) for measure in MEASURES.values()]
QUALITY_CHOICES = [(level.slug, level.label) for level in LEVELS.values()]


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


class SeriesInfoSerializer(serializers.Serializer):
    """Where a series comes from, its dimensions and its publication."""

    source = serializers.CharField(source="metadata.source")
    licence = serializers.CharField(source="metadata.licence")
    geography = serializers.CharField(source="metadata.geography", help_text="Géographie des codes de territoires.")
    frequency = serializers.CharField(source="metadata.frequency")
    dimensions = serializers.SerializerMethodField(help_text="Colonnes en plus du lieu et de la période.")
    note = serializers.CharField(source="metadata.note")
    revision = serializers.IntegerField()
    published_at = serializers.DateTimeField()

    def get_dimensions(self, series) -> list[dict[str, str]]:
        return [{"key": d.column, "label": d.label} for d in series.metadata.dimensions]


class IndicatorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.SerializerMethodField(help_text="« aldo » (calculé par l'observatoire) ou « serie » (publiée).")
    title = serializers.CharField()
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=MEASURE_CHOICES),
        help_text="Mesures enregistrées que l'indicateur lit (vide pour une série).",
    )
    unit = serializers.CharField()
    by_land_use = serializers.BooleanField()
    is_flux = serializers.BooleanField()
    definition = serializers.CharField()
    sign_convention = serializers.CharField()
    series = SeriesInfoSerializer(allow_null=True, help_text="Pour une série : source, licence, dimensions.")

    def get_kind(self, indicator) -> str:
        return "serie" if indicator.series else "aldo"


class SeriesValueSerializer(serializers.Serializer):
    """One value of a series: a territory of the site, or a reference zone (national, ancienne_region)."""

    territory_kind = serializers.CharField(source="zone.kind")
    territory_code = serializers.CharField(source="zone.code")
    territory_name = serializers.CharField(source="zone.name")
    period = serializers.CharField(help_text="Une année (2018) ou une période (2019-2023).")
    dimensions = serializers.SerializerMethodField(help_text="Valeur de chaque dimension de la série.")
    value = serializers.FloatField()
    unit = serializers.SerializerMethodField()

    def get_dimensions(self, point) -> dict[str, str]:
        columns = [dimension.column for dimension in self.context["metadata"].dimensions]
        return dict(zip(columns, point.dimensions, strict=True))

    def get_unit(self, point) -> str:
        return self.context["metadata"].unit


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
    land_use = serializers.CharField(
        help_text="Identifiant ALDO de l'occupation des sols (niveau 2), « total », ou pour la mesure "
        "flux_categorie_ue la catégorie comptable de l'UE (terres_boisees, terres_forestieres…)."
    )
    land_use_label = serializers.SerializerMethodField()
    land_use_group = serializers.SerializerMethodField(help_text="Occupation des sols de niveau 1.")
    detail = serializers.CharField(help_text="Réservoir (stocks) ou composante (flux) ; vide si non détaillé.")
    detail_label = serializers.SerializerMethodField()
    value = serializers.FloatField(help_text="Flux : séquestration nette < 0, émission nette > 0.")
    provenance = serializers.ChoiceField(choices=Provenance.choices)
    quality_level = serializers.ChoiceField(
        choices=QUALITY_CHOICES, help_text="Qualité des chiffres du territoire pour ce millésime (page Méthode)."
    )

    def get_unit(self, row) -> str:
        """Hedges come in their own unit (km or ha) as the release measures them."""
        return unit_of(row["measure"], row["detail"])

    def get_land_use_label(self, row) -> str:
        if row["land_use"] == "total":
            return "Total du territoire"
        if row["measure"] == EU_CATEGORY_FLUX:  # its land uses are the EU categories (some share a land use's id)
            return EU_CATEGORY_LABELS.get(row["land_use"], "")
        return land_use_label(row["land_use"])

    def get_land_use_group(self, row) -> str:
        return "" if row["measure"] == EU_CATEGORY_FLUX or row["land_use"] == "total" else group_label(row["land_use"])

    def get_detail_label(self, row) -> str:
        return DETAIL_LABELS.get(row["detail"], row["detail"])


class TableColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField(help_text="En-tête, unité comprise.")
    unit = serializers.CharField(help_text="Vide pour une colonne de texte.")


class QualitySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=QUALITY_CHOICES, source="level.slug")
    label = serializers.CharField(source="level.label")
    meaning = serializers.CharField(source="level.meaning")
    reasons = serializers.ListField(child=serializers.CharField())


class IndicatorTableSerializer(serializers.Serializer):
    """An indicator's table for one territory and release: the same table as the page and the files."""

    indicator = serializers.CharField()
    title = serializers.CharField()
    release = serializers.CharField()
    territory = TerritoryBriefSerializer()
    sign_convention = serializers.CharField()
    quality = QualitySerializer(allow_null=True, help_text="Qualité des chiffres et ses raisons, en clair.")
    caveats = serializers.ListField(child=serializers.CharField(), help_text="Précautions de lecture, en clair.")
    columns = TableColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="Une ligne par occupation des sols, réservoir ou composante."
    )
    total = serializers.DictField(allow_null=True)


class GroupingMemberSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("commune", "Commune"), ("epci", "Intercommunalité (EPCI)")])
    code = serializers.CharField()
    name = serializers.CharField(help_text="Vide pour un code inconnu.")
    communes_2018 = serializers.ListField(
        child=serializers.CharField(), help_text="Ses communes de 2018 (géographie ALDO), après passage par la table."
    )
    counted_once = serializers.CharField(help_text="Pourquoi certaines de ses communes ne sont comptées qu'une fois.")
    problem = serializers.CharField(help_text="Pourquoi ce membre ne peut pas être utilisé (vide sinon).")


class GroupingSerializer(serializers.Serializer):
    """A grouping of communes and EPCIs, its members as resolved and its figures computed on request."""

    name = serializers.CharField()
    geography = serializers.ChoiceField(choices=[(vintage.code, vintage.label) for vintage in vintages.VINTAGES])
    release = serializers.CharField(help_text="Millésime des chiffres.")
    page_url = serializers.URLField(help_text="Page « Mon territoire » du regroupement.")
    members = GroupingMemberSerializer(many=True)
    communes = serializers.ListField(
        child=serializers.CharField(), help_text="Ses communes dans la géographie demandée, chacune une fois."
    )
    communes_2018 = serializers.ListField(
        child=serializers.CharField(), help_text="Ses communes de 2018, dont les chiffres sont additionnés."
    )
    epcis_2018 = serializers.ListField(
        child=serializers.CharField(), help_text="Les EPCI de 2018 auxquels appartiennent ses communes."
    )
    epci_union = serializers.BooleanField(
        help_text="Vrai si le regroupement est une réunion d'EPCI de 2018 entiers (seul cas calculé par HETRE)."
    )
    available = serializers.BooleanField()
    unavailable_reason = serializers.CharField()
    computed_from = serializers.CharField(help_text="Unités ALDO additionnées, par exemple « 45 communes 2018 ».")
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Avertissements d'ALDO, en clair.")
    values = ValueSerializer(many=True, help_text="Les chiffres, sous la même forme que ceux d'un territoire.")


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
