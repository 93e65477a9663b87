from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("indicators.api.urls")),
    path("editeur/", include("indicators.editor.urls")),
    path("", include("indicators.downloads.urls")),
    path("", include("indicators.pages.urls")),
]
