"""An editor uploads a bundle, follows the job, reviews the changes, then publishes, discards or unpublishes."""

import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.editor.review import review_measures
from indicators.models import ActionLog, ImportJob, IndicatorValue, Release

pytestmark = pytest.mark.django_db


def upload(client, path: Path, name: str = "hetre", capture=None):
    with path.open("rb") as handle:
        if capture is None:
            return client.post(reverse("editor:upload"), {"name": name, "bundle": handle})
        with capture(execute=True):
            return client.post(reverse("editor:upload"), {"name": name, "bundle": handle})


def confirm(client, release: Release, action: str):
    url = reverse("editor:release_action", args=[release.pk, action])
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirmer" in page.content.decode()
    return client.post(url, follow=True)


@pytest.fixture
def staged_hetre(editor_client, releases, hetre_zip, django_capture_on_commit_callbacks):
    response = upload(editor_client, hetre_zip, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == reverse("editor:job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, job.report
    return job


def test_the_upload_form_refuses_what_is_not_a_zip(editor_client, releases, tmp_path):
    cases = {
        "notes.txt": (b"PK\x03\x04 whatever", "archive .zip"),
        "faux.zip": (b"territory_id,area_ha\n02001,3\n", "signature"),
    }
    for filename, (content, message) in cases.items():
        response = editor_client.post(
            reverse("editor:upload"), {"name": "hetre", "bundle": SimpleUploadedFile(filename, content)}
        )
        assert response.status_code == 400
        assert message in response.context["form"].errors["bundle"][0]
    assert not ImportJob.objects.filter(created_by__username="editrice").exists()


def test_the_upload_form_refuses_a_file_over_the_size_limit(editor_client, releases, hetre_zip, settings):
    settings.BUNDLE_UPLOAD_MAX_BYTES = 1000
    response = upload(editor_client, hetre_zip)
    assert response.status_code == 400
    assert "la limite est de" in response.content.decode()
    assert not ImportJob.objects.filter(created_by__username="editrice").exists()


def test_the_release_name_needs_a_letter_or_a_digit(editor_client, releases, hetre_zip):
    response = upload(editor_client, hetre_zip, name="!!!")
    assert response.status_code == 400
    assert "au moins une lettre ou un chiffre" in response.content.decode()


def test_an_upload_is_stored_privately_and_reviewed_against_the_published_release(editor_client, staged_hetre):
    stored = Path(staged_hetre.source_path)
    assert stored.parent == Path(settings.MEDIA_ROOT).resolve() / "bundles"
    assert stored.suffix == ".zip" and stored.stem != "hetre-corrige"
    assert staged_hetre.original_filename == "hetre-corrige.zip"
    assert editor_client.get(f"/media/bundles/{stored.name}").status_code == 404

    response = editor_client.get(reverse("editor:job", args=[staged_hetre.pk]))
    page = response.content.decode()
    assert "Ce qui change par rapport au millésime publié HETRE" in page
    assert "Publier HETRE (révision 2)" in page
    assert "Écarter HETRE (révision 2)" in page
    # Same data re-imported: every published figure is found again, unchanged, and said so.
    summary = response.context["summary"]
    assert summary["compared"] > 90 and summary["identical"] == summary["compared"]
    assert (summary["changed"], summary["appeared"], summary["disappeared"]) == (0, 0, 0)
    assert "Aucun chiffre ne change par rapport à HETRE" in page
    assert "review-table" not in page  # only changed figures are listed unless asked
    every_figure = editor_client.get(reverse("editor:job", args=[staged_hetre.pk]), {"inchanges": "1"})
    assert len(every_figure.context["page"].object_list) == 50
    assert "Données reconstituées" in every_figure.content.decode()


def test_the_review_filters_by_measure_kind_and_land_use(editor_client, staged_hetre):
    url = reverse("editor:job", args=[staged_hetre.pk])
    query = {"mesure": "flux", "type": "epci", "occupation": "toutes", "inchanges": "1"}
    page = editor_client.get(url, query).content.decode()
    assert "Flux de carbone (tCO2e/an) : tous les chiffres, les plus grands écarts d'abord" in page
    assert "Occupation des sols" in page
    assert "séquestration nette" in page or "émission nette" in page


def test_the_review_lists_eu_categories_one_by_one_as_they_have_no_territory_total(editor_client, staged_hetre):
    url = reverse("editor:job", args=[staged_hetre.pk])
    # Asked for territory totals, as the form's default: the categories are listed instead of nothing.
    response = editor_client.get(url, {"mesure": "flux_categorie_ue", "occupation": "total", "inchanges": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cette mesure n'a pas de total par territoire" in page
    assert '<th scope="col">Catégorie comptable de l&#x27;UE</th>' in page
    rows = response.context["page"].object_list
    assert rows and {row["measure"] for row in rows} == {"flux_categorie_ue"}
    assert "Terres forestières gérées" in {row["land_use_label"] for row in rows}
    assert response.context["summary"]["identical"] == response.context["page"].paginator.count > 0


def test_every_choice_of_the_review_form_gives_a_page(editor_client, staged_hetre):
    url = reverse("editor:job", args=[staged_hetre.pk])
    for measure in review_measures():
        for detail in ("total", "toutes"):
            response = editor_client.get(url, {"mesure": measure, "occupation": detail, "type": "commune"})
            assert response.status_code == 200, (measure, detail)
            assert response.context["filters"]["measure"] == measure


def test_publishing_from_the_review_makes_the_new_revision_current_and_logs_it(editor_client, editor, staged_hetre):
    staged = staged_hetre.release
    previous = Release.objects.published().get(slug="hetre")

    response = confirm(editor_client, staged, "publier")

    staged.refresh_from_db()
    previous.refresh_from_db()
    assert (staged.status, staged.is_current) == (Release.Status.PUBLISHED, True)
    assert previous.status == Release.Status.SUPERSEDED
    page = response.content.decode()
    assert "HETRE (révision 2) est publié et affiché par défaut." in page
    assert ActionLog.objects.filter(action="publish", release=staged, user=editor).exists()
    assert "Publication" in page and staged_hetre.checksum in page
    review = editor_client.get(reverse("editor:job", args=[staged_hetre.pk])).content.decode()
    assert "par rapport à HETRE (remplacé par une révision plus récente)" in review


def test_unpublishing_then_making_an_older_release_current_again(editor_client, releases):
    chanterelle, hetre = releases["chanterelle"], releases["hetre"]

    confirm(editor_client, chanterelle, "depublier")
    hetre.refresh_from_db()
    assert hetre.is_current
    confirm(editor_client, chanterelle, "publier")
    chanterelle.refresh_from_db()
    assert chanterelle.is_current
    response = confirm(editor_client, hetre, "afficher-par-defaut")
    hetre.refresh_from_db()
    assert hetre.is_current
    assert "HETRE est désormais affiché par défaut." in response.content.decode()


def test_discarding_deletes_the_staged_figures_but_keeps_the_audit_trail(editor_client, staged_hetre):
    staged = staged_hetre.release
    confirm(editor_client, staged, "ecarter")
    staged.refresh_from_db()
    assert staged.status == Release.Status.DISCARDED
    assert not IndicatorValue.objects.filter(release=staged).exists()
    assert ActionLog.objects.filter(action="discard", release=staged).exists()
    page = editor_client.get(reverse("editor:job", args=[staged_hetre.pk])).content.decode()
    assert "a été écarté" in page


def test_an_action_the_release_state_forbids_is_refused_in_french(editor_client, releases):
    response = editor_client.post(
        reverse("editor:release_action", args=[releases["chanterelle"].pk, "ecarter"]), follow=True
    )
    assert "Seul un millésime en attente de publication peut être écarté." in response.content.decode()
    assert Release.objects.get(pk=releases["chanterelle"].pk).status == Release.Status.PUBLISHED


def test_a_running_job_shows_a_progress_bar_that_polls_its_state(editor_client, releases):
    job = ImportJob.objects.create(
        release_slug="hetre", source_path="/x.zip", checksum="0" * 64, state=ImportJob.State.COMPUTING, progress=30
    )
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert '<progress id="job-progress-bar" max="100" value="30"' in page
    assert "Calcul en cours : 30 %" in page
    assert "js/job-progress.js" in page
    assert 'http-equiv="refresh"' in page  # inside <noscript>, for browsers without JavaScript
    status = editor_client.get(reverse("editor:job_status", args=[job.pk])).json()
    assert status == {
        "state": "computing",
        "state_label": "Calcul en cours",
        "progress": 30,
        "attempts": 0,
        "finished": False,
        "waiting_for_broker": False,
    }


def test_a_failed_archive_report_names_the_uploaded_file_not_the_stored_one(
    editor_client, releases, tmp_path, django_capture_on_commit_callbacks
):
    empty = tmp_path / "mon-millesime.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("notes.txt", "rien")
    upload(editor_client, empty, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.latest("created_at")
    assert job.state == ImportJob.State.FAILED
    page = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    assert "Rapport de validation" in page
    assert "mon-millesime.zip" in page
    assert Path(job.source_path).name not in page


def test_the_decision_is_offered_above_and_below_the_review_and_removals_look_dangerous(editor_client, staged_hetre):
    page = editor_client.get(reverse("editor:job", args=[staged_hetre.pk])).content.decode()
    assert page.index("Publier HETRE (révision 2)") < page.index("Chiffres, territoire par territoire")
    classes = dict(
        (label, css) for css, label in re.findall(r'<a class="([^"]+)" href="[^"]+">(\w+) HETRE \(révision 2\)', page)
    )
    assert "button--danger" in classes["Écarter"]
    assert "button--danger" not in classes["Publier"]
    assert page.count("Écarter HETRE (révision 2)") == 2
