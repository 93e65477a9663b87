import django_filters
from django.db.models import Case, IntegerField, Value, When

from territories import vintages
from territories.models import Territory, TerritoryKind
from territories.selectors import search_territories

# The search box's ranking is kept; more hits than this are not useful for a name search.
SEARCH_LIMIT = 100


class TerritoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Recherche par nom ou code (sans accents ni casse), par pertinence."
    )
    kind = django_filters.ChoiceFilter(choices=TerritoryKind.choices, label="Type de territoire.")
    geography = django_filters.ChoiceFilter(
        choices=[(vintage.code, vintage.label) for vintage in vintages.VINTAGES],
        label="Géographie : 2018 (ALDO) ou 2026 (actuelle).",
    )
    in_region = django_filters.BooleanFilter(label="Faux pour les communes hors Hauts-de-France.")

    class Meta:
        model = Territory
        fields = ["q", "kind", "geography", "in_region"]

    def search(self, queryset, name, value):
        ranked = [territory.pk for territory in search_territories(value, limit=SEARCH_LIMIT)]
        order = Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)), output_field=IntegerField())
        return queryset.filter(pk__in=ranked).order_by(order) if ranked else queryset.none()
