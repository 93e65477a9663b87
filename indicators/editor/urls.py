from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import series, views

app_name = "editor"
urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, next_page=reverse_lazy("editor:dashboard")),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("importer/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.job_detail, name="job"),
    path("imports/<int:pk>/etat/", views.job_status, name="job_status"),
    path("millesimes/<int:pk>/<slug:action>/", views.release_action, name="release_action"),
    path("series/importer/", series.series_upload, name="series_upload"),
    path("series/<int:pk>/", series.series_detail, name="series"),
    path("series/<int:pk>/<slug:action>/", series.series_action, name="series_action"),
    path("regroupements/", views.groupings, name="groupings"),
    path("regroupements/importer/", views.upload_groupings, name="upload_groupings"),
    path("regroupements/imports/<int:pk>/", views.grouping_import, name="grouping_import"),
    path("regroupements/imports/<int:pk>/<slug:action>/", views.grouping_import_action, name="grouping_import_action"),
    path("regroupements/<int:pk>/retirer/", views.retire_grouping, name="retire_grouping"),
]
