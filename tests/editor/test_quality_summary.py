"""The review of a release opens with its data-quality summary: an editor sees a gap before publishing."""

import pytest
from django.urls import reverse

from indicators.models import ImportJob

from ..pages.conftest import read_tables

pytestmark = pytest.mark.django_db


def test_the_review_opens_with_a_quality_summary(editor_client, releases):
    job = ImportJob.objects.filter(release=releases["chanterelle"]).first()
    html = editor_client.get(reverse("editor:job", args=[job.pk])).content.decode()
    summary, changes = html.index("Qualité des données de"), html.index("Ce qui change")
    assert summary < changes
    tables = read_tables(html)
    worst = next(rows for caption, rows in tables.items() if caption.startswith("Regroupements dont les données"))
    assert "CA du Saint-Quentinois" in worst[1][0]
