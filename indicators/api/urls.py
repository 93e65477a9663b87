"""Version 1 of the open API; the namespace is the version (DRF NamespaceVersioning)."""

from django.urls import path, re_path

from . import grouping_views, scenario_views, views

# Any path segment reaches the views, so that an unknown territory gets the API's JSON 404 (the views check
# kind and code before any query).
TERRITORY = r"(?P<kind>[^/]+)/(?P<code>[^/]+)"

app_name = "v1"
urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("territories/", views.TerritoryList.as_view(), name="territory-list"),
    re_path(rf"^territories/{TERRITORY}/$", views.TerritoryDetail.as_view(), name="territory-detail"),
    re_path(rf"^territories/{TERRITORY}/values/$", views.TerritoryValues.as_view(), name="territory-values"),
    re_path(
        rf"^territories/{TERRITORY}/indicators/(?P<slug>[^/]+)/$",
        views.TerritoryIndicatorTable.as_view(),
        name="territory-indicator",
    ),
    path("groupings/", grouping_views.GroupingDetail.as_view(), name="groupings"),
    re_path(rf"^scenarios/{TERRITORY}/$", scenario_views.ScenarioView.as_view(), name="scenario"),
    path("releases/", views.ReleaseList.as_view(), name="release-list"),
    path("releases/<str:slug>/", views.ReleaseDetail.as_view(), name="release-detail"),
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("indicators/<str:slug>/", views.IndicatorDetail.as_view(), name="indicator-detail"),
    path("indicators/<str:slug>/values/", views.IndicatorValues.as_view(), name="indicator-values"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]
