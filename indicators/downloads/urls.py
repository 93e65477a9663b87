from django.urls import path, re_path

from . import views

# Territory kinds are lower-case words and codes are INSEE/SIREN/INPN codes: nothing else reaches a query.
TERRITORY = r"(?P<kind>[a-z]{1,16})/(?P<code>[0-9A-Za-z-]{1,16})"

app_name = "downloads"
urlpatterns = [
    path("telecharger/region/epci.xlsx", views.regional_file, name="regional"),
    re_path(r"^telecharger/serie/(?P<slug>[a-z0-9-]+)\.(?P<extension>xlsx|csv)$", views.series_file, name="series"),
    # a grouping drawn by a visitor: its members in the query string, as on its page
    path("telecharger/groupement/pcaet.xlsx", views.drawn_pcaet_file, name="drawn_pcaet"),
    re_path(
        r"^telecharger/groupement/(?P<indicator>[a-z-]+)\.(?P<extension>xlsx|csv)$",
        views.drawn_indicator_file,
        name="drawn_indicator",
    ),
    re_path(rf"^telecharger/{TERRITORY}/pcaet\.xlsx$", views.pcaet_file, name="pcaet"),
    re_path(rf"^telecharger/{TERRITORY}/scenario\.xlsx$", views.scenario_file, name="scenario"),
    re_path(
        rf"^telecharger/{TERRITORY}/(?P<indicator>[a-z0-9-]+)\.(?P<extension>xlsx|csv)$",
        views.indicator_file,
        name="indicator",
    ),
]
