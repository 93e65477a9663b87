"""Only editors reach the editor area; logins are protected against guessing; forms need their CSRF token."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from indicators.editor.permissions import EDITORS_GROUP, is_editor
from indicators.models import ImportJob, Release

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def editor_pages(release: Release, job: ImportJob) -> list[tuple[str, str]]:
    return [
        ("get", reverse("editor:dashboard")),
        ("get", reverse("editor:upload")),
        ("post", reverse("editor:upload")),
        ("get", reverse("editor:job", args=[job.pk])),
        ("get", reverse("editor:job_status", args=[job.pk])),
        ("get", reverse("editor:release_action", args=[release.pk, "depublier"])),
        ("post", reverse("editor:release_action", args=[release.pk, "depublier"])),
    ]


@pytest.fixture
def job(releases):
    return ImportJob.objects.create(release_slug="essai", source_path="/nowhere.zip", checksum="0" * 64)


def test_the_editors_group_exists_after_migrations():
    assert Group.objects.filter(name=EDITORS_GROUP).exists()


def test_anonymous_visitors_are_sent_to_the_login_page_and_nothing_changes(client, releases, job):
    for method, url in editor_pages(releases["hetre"], job):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('editor:login')}?next="), url
    assert Release.objects.get(pk=releases["hetre"].pk).status == Release.Status.PUBLISHED


def test_logged_in_users_who_are_not_editors_get_403(client, releases, job):
    reader = get_user_model().objects.create_user("lecteur", password=PASSWORD)
    client.force_login(reader)
    for method, url in editor_pages(releases["hetre"], job):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "réservée aux éditeurs" in response.content.decode(), url
    assert Release.objects.get(pk=releases["hetre"].pk).status == Release.Status.PUBLISHED


def test_editors_see_the_dashboard(editor_client, releases):
    response = editor_client.get(reverse("editor:dashboard"))
    assert response.status_code == 200
    assert "Espace éditeur" in response.content.decode()


def test_an_editor_logs_in_with_the_login_form_and_lands_on_the_dashboard(client, editor):
    page = client.get(reverse("editor:dashboard"), follow=True)
    assert "Connexion à l'espace éditeur" in page.content.decode()
    response = client.post(reverse("editor:login"), {"username": "editrice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("editor:dashboard")


def test_a_wrong_password_is_refused_in_french(client, editor):
    response = client.post(reverse("editor:login"), {"username": "editrice", "password": "mauvais"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("editor:login"), {"username": "editrice", "password": "mauvais"})
    response = client.post(reverse("editor:login"), {"username": "editrice", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert "Connexion temporairement bloquée" in response.content.decode()


def test_editor_forms_need_their_csrf_token(editor, releases):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("editor:release_action", args=[releases["hetre"].pk, "depublier"])
    assert client.post(url).status_code == 403
    assert Release.objects.get(pk=releases["hetre"].pk).status == Release.Status.PUBLISHED


def test_logout_ends_the_session(editor_client):
    editor_client.post(reverse("editor:logout"))
    assert editor_client.get(reverse("editor:dashboard")).status_code == 302


def test_create_editor_makes_an_account_in_the_editors_group():
    out = io.StringIO()
    call_command("create_editor", "nouvelle", password="un mot de passe solide 2026", stdout=out)
    user = get_user_model().objects.get(username="nouvelle")
    assert is_editor(user)
    assert user.check_password("un mot de passe solide 2026")
    assert "créé" in out.getvalue()


def test_create_editor_without_a_terminal_asks_for_the_password_option_and_creates_nothing(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())  # as in a script or CI: nobody to type the password
    with pytest.raises(CommandError, match="--password"):
        call_command("create_editor", "sans-terminal", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="sans-terminal").exists()


def test_create_editor_refuses_a_weak_password_and_creates_nothing():
    with pytest.raises(CommandError):
        call_command("create_editor", "faible", password="1234", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="faible").exists()


def test_behind_the_proxy_a_lockout_is_per_username_and_address_so_guessing_cannot_lock_editors_out(
    client, editor, settings
):
    settings.TRUSTED_PROXIES = 1  # nginx appends the address it saw to X-Forwarded-For
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("editor:login"), {"username": "editrice", "password": "mauvais"}, **attacker)

    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.1, 198.51.100.66"}  # a forged first entry changes nothing
    response = client.post(reverse("editor:login"), {"username": "editrice", "password": PASSWORD}, **forged)
    assert "Connexion temporairement bloquée" in response.content.decode()
    editor_office = {"HTTP_X_FORWARDED_FOR": "192.0.2.10"}
    response = Client().post(reverse("editor:login"), {"username": "editrice", "password": PASSWORD}, **editor_office)
    assert response.status_code == 302 and response["Location"] == reverse("editor:dashboard")
