"""An editor uploads a series (metadata + values), reads the validation report or the review against the published
revision, publishes, unpublishes; the dashboard lists the series and the log says who did what."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.models import ActionLog, SeriesVersion

from ..pages.conftest import read_tables
from ..series.malformed import METADATA, VALUES

pytestmark = pytest.mark.django_db


def upload(client, metadata: str = METADATA, values: str = VALUES, metadata_name: str = "metadonnees.toml"):
    files = {
        "metadata": SimpleUploadedFile(metadata_name, metadata.encode()),
        "values": SimpleUploadedFile("emissions_epci.csv", values.encode()),
    }
    return client.post(reverse("editor:series_upload"), files)


def test_only_editors_reach_the_series_pages(client, releases, django_user_model):
    version = SeriesVersion.objects.published().first()
    pages = [
        reverse("editor:series_upload"),
        reverse("editor:series", args=[version.pk]),
        reverse("editor:series_action", args=[version.pk, "depublier"]),
    ]
    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
    visitor = Client()
    visitor.force_login(django_user_model.objects.create_user("visiteur", password="un mot de passe assez long"))
    for url in pages:
        assert visitor.get(url).status_code == 403
    assert visitor.post(pages[2]).status_code == 403
    version.refresh_from_db()
    assert version.status == "published"


def test_a_refused_series_shows_its_report_and_stages_nothing(editor_client, releases):
    response = upload(editor_client, values=VALUES + "epci;999999999;2018;12\nepci;200093201;2019;beaucoup\n")
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Rapport de validation : la série est refusée" in html
    assert "Rien de ce qui est publié n'a été modifié" in html
    report = next(rows for caption, rows in read_tables(html).items() if caption.endswith("trouvés"))
    assert report[1:] == [
        ["emissions_epci.csv", "6", "code_territoire", "code « 999999999 » (epci) inconnu en géographie 2026."],
        ["emissions_epci.csv", "7", "valeur", "« beaucoup » n'est pas un nombre."],
    ]
    assert not SeriesVersion.objects.filter(slug="emissions-ges-epci").exists()
    dashboard = unescape(editor_client.get(reverse("editor:dashboard")).content.decode())
    assert "Import de série" in dashboard and "échec : La série contient 2 problèmes" in dashboard


def test_the_form_refuses_files_of_the_wrong_kind(editor_client, releases):
    response = upload(editor_client, metadata_name="metadonnees.txt")
    assert response.status_code == 400
    assert "extension .toml" in response.context["form"].errors["metadata"][0]


def test_upload_review_publish_and_unpublish(editor_client, releases, django_capture_on_commit_callbacks):
    response = upload(editor_client)
    version = SeriesVersion.objects.get(slug="emissions-ges-epci")
    assert response.status_code == 302 and response["Location"] == reverse("editor:series", args=[version.pk])
    page = unescape(editor_client.get(response["Location"]).content.decode())
    assert "Aucune révision de cette série n'est publiée : toutes les valeurs sont nouvelles" in page
    assert "Les valeurs telles que la page de l'indicateur les montrera" in page
    assert "Métropole Européenne de Lille" in page
    dashboard = editor_client.get(reverse("editor:dashboard")).content.decode()
    assert reverse("editor:series_action", args=[version.pk, "publier"]) in dashboard

    url = reverse("editor:series_action", args=[version.pk, "publier"])
    assert "Confirmer" in editor_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url)
    version.refresh_from_db()
    assert version.status == "published"
    assert Client().get(reverse("pages:indicator", args=["emissions-ges-epci"])).status_code == 200

    upload(editor_client, values=VALUES.replace("820", "850"))
    corrected = SeriesVersion.objects.get(slug="emissions-ges-epci", revision=2)
    review = unescape(editor_client.get(reverse("editor:series", args=[corrected.pk])).content.decode())
    assert "Ce qui change par rapport à la révision publiée 1" in review
    changes = next(rows for caption, rows in read_tables(review).items() if caption.startswith("Valeurs qui changent"))
    assert changes[1] == ["CU d'Arras (200033579)", "2018", "—", "820,0", "850,0", "+30,0"]

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("editor:series_action", args=[version.pk, "depublier"]))
    assert Client().get(reverse("pages:indicator", args=["emissions-ges-epci"])).status_code == 404
    logged = ActionLog.objects.filter(series__slug="emissions-ges-epci", user__username="editrice")
    assert list(logged.order_by("at", "pk").values_list("action", flat=True)) == [
        "series_import",
        "series_publish",
        "series_import",
        "series_unpublish",
    ]
