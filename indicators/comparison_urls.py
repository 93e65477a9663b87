from django.urls import path

from . import comparison_views

app_name = "comparison"
urlpatterns = [
    path("comparer/<str:kind>/<str:code>/", comparison_views.territory_comparison, name="territory"),
]
