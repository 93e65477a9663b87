from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("recherche.json", views.search_json, name="search_json"),
    path("territoire/<str:kind>/<str:code>/", views.territory_detail, name="detail"),
]
