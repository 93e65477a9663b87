"""Uploaded bundles of rejected imports are deleted after the retention period; the others are kept."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import ImportJob, Release
from tests.aldo.malformed import sample_bundle_files, write_zip

pytestmark = pytest.mark.django_db


def upload(editor_client, archive: Path, name: str, capture) -> ImportJob:
    with archive.open("rb") as handle, capture(execute=True):
        editor_client.post(reverse("editor:upload"), {"name": name, "bundle": handle})
    return ImportJob.objects.get(release_slug=name)


def age(job: ImportJob, days: int) -> None:
    then = timezone.now() - timedelta(days=days)
    ImportJob.objects.filter(pk=job.pk).update(created_at=then, finished_at=then)
    os.utime(job.source_path, (then.timestamp(), then.timestamp()))


def test_rejected_uploads_are_deleted_after_the_retention_period_and_the_others_kept(
    editor_client, releases, tmp_path, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    broken = tmp_path / "casse.zip"
    broken.write_bytes(b"PK\x03\x04 truncated")
    old_failure = upload(editor_client, broken, "ancien-echec", capture)
    recent_failure = upload(editor_client, broken, "echec-recent", capture)
    valid = write_zip(sample_bundle_files(), tmp_path / "valide.zip")
    discarded = upload(editor_client, valid, "ecarte", capture)
    published = upload(editor_client, valid, "publie", capture)
    services.discard_release(discarded.release)
    services.publish_release(published.release)
    orphan = services.upload_folder() / "orphelin.zip"
    orphan.write_bytes(b"PK\x05\x06")
    command_line = services.start_import(valid, "ligne-de-commande")  # a file outside the upload folder
    for job in (old_failure, discarded, published):
        age(job, settings.UPLOAD_RETENTION_DAYS + 1)
    then = (timezone.now() - timedelta(days=settings.UPLOAD_RETENTION_DAYS + 1)).timestamp()
    os.utime(orphan, (then, then))
    ImportJob.objects.filter(pk=command_line.pk).update(finished_at=timezone.now() - timedelta(days=400))

    assert services.purge_rejected_uploads() == 3  # the old failure, the discarded release, the orphan

    for job in ImportJob.objects.filter(pk__in=[old_failure.pk, discarded.pk]):
        assert not Path(job.source_path).exists()
        assert job.source_deleted_at is not None
        assert job.checksum  # the record stays
    assert Path(recent_failure.source_path).exists()
    assert Path(published.source_path).exists()
    assert Release.objects.get(pk=published.release.pk).status == Release.Status.PUBLISHED
    assert not orphan.exists()
    assert valid.exists()
    page = editor_client.get(reverse("editor:job", args=[old_failure.pk])).content.decode()
    assert "supprimé le" in page
    assert services.purge_rejected_uploads() == 0
