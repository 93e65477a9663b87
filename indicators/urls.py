from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicateurs/", views.indicator_list, name="list"),
    path("indicateurs/contours/epci-<str:geography>.geojson", views.epci_outlines, name="outlines"),
    path("indicateurs/<slug:slug>/", views.indicator_detail, name="detail"),
]
