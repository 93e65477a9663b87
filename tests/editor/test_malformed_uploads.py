"""Every malformed bundle of the corpus, uploaded through the editor form: a French report, nothing published moves."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from indicators.models import ImportJob, IndicatorValue, Release
from tests.aldo.malformed import ARCHIVE_NAME, EXPECTED_PROBLEMS, MALFORMED_CASES

pytestmark = pytest.mark.django_db


def matches(problem: dict, expected) -> bool:
    return (
        problem["file"] == expected.file
        and (expected.column is None or problem["column"] == expected.column)
        and (expected.row is None or problem["row"] == expected.row)
        and expected.message_contains in problem["message"]
    )


def stored_uploads() -> set[Path]:
    return set((Path(settings.MEDIA_ROOT) / "bundles").glob("*.zip"))


@pytest.mark.parametrize(("name", "build"), MALFORMED_CASES, ids=[name for name, _ in MALFORMED_CASES])
def test_a_malformed_upload_gets_a_french_report_and_leaves_the_published_release_alone(
    name, build, editor_client, releases, tmp_path, django_capture_on_commit_callbacks
):
    current = Release.objects.current()
    published = set(Release.objects.published().values_list("pk", flat=True))
    values_before = IndicatorValue.objects.filter(release=current).count()
    archive: Path = build(tmp_path)
    assert archive.name == ARCHIVE_NAME
    uploads_before = stored_uploads()

    with archive.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("editor:upload"), {"name": "chanterelle", "bundle": handle})

    if response.status_code == 400:  # refused by the form before any job: not a zip, or files far too large
        errors = " ".join(response.context["form"].errors["bundle"])
        expected = EXPECTED_PROBLEMS[name]
        if expected.file == ARCHIVE_NAME:
            assert "n'est pas une archive .zip" in errors
        else:
            assert expected.file in errors and expected.message_contains in errors, errors
        assert not ImportJob.objects.filter(created_by__username="editrice").exists()
        assert stored_uploads() == uploads_before, "a refused upload is not kept"
    else:
        job = ImportJob.objects.get(created_by__username="editrice")
        assert response["Location"] == reverse("editor:job", args=[job.pk])
        assert job.state == ImportJob.State.FAILED
        assert job.release is None
        page = editor_client.get(response["Location"])
        assert "Rapport de validation : l'import a échoué" in page.content.decode()
        report = page.context["report"]
        expected = EXPECTED_PROBLEMS[name]
        assert any(matches(problem, expected) for problem in report), report
        for problem in report:
            assert problem["file"] and problem["message"]
            assert Path(job.source_path).name not in problem["file"]  # the editor's file name, not the stored one
    assert Release.objects.current() == current
    assert set(Release.objects.published().values_list("pk", flat=True)) == published
    assert IndicatorValue.objects.filter(release=current).count() == values_before
    assert not Release.objects.filter(slug="chanterelle", status=Release.Status.STAGED).exists()
