from django.urls import path

from . import content, views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("recherche.json", views.search_json, name="search_json"),
    # before territoire/<kind>/<code>/, which would take "groupement/composer/" for a territory
    path("territoire/groupement/", views.drawn_grouping, name="drawn_grouping"),
    path("territoire/groupement/composer/", views.compose_grouping, name="compose_grouping"),
    path("territoire/<str:kind>/<str:code>/", views.territory_detail, name="territory"),
    path("territoire/<str:kind>/<str:code>/scenario/", views.scenario_page, name="scenario"),
    path("territoire/<str:kind>/<str:code>/scenario/resultats/", views.scenario_results, name="scenario_results"),
    path("comparer/<str:kind>/<str:code>/", views.territory_comparison, name="comparison"),
    path("indicateurs/", views.indicator_list, name="indicator_list"),
    path("indicateurs/contours/<str:kind>-<str:geography>.geojson", views.outlines, name="outlines"),
    path("indicateurs/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("methode/", content.method, name="method"),
    path("donnees/", content.data, name="data"),
    path("a-propos/", content.about, name="about"),
    path("mentions-legales/", content.legal, name="legal"),
    path("accessibilite/", content.accessibility, name="accessibility"),
]
