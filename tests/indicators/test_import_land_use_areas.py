"""Importing a release whose unit areas come by ALDO land use (land_use_areas.csv), as ALDO's open data gives them."""

import pandas as pd
import pytest
from django.conf import settings

from indicators.aldo.sources import read_bundle_files
from indicators.models import ImportJob, IndicatorValue, Release
from indicators.services import start_import
from tests.aldo.synthetic import with_land_use_areas, write_bundle

pytestmark = pytest.mark.django_db

FIELDS = ["territory_id", "measure", "land_use", "detail", "value", "provenance"]


def stored_figures(release: Release) -> pd.DataFrame:
    rows = IndicatorValue.objects.filter(release=release).values_list(*FIELDS)
    return pd.DataFrame(list(rows), columns=FIELDS).sort_values(FIELDS[:4], ignore_index=True)


def test_a_release_with_land_use_areas_stores_the_figures_of_the_clc_route(
    releases, tmp_path, django_capture_on_commit_callbacks
):
    files = with_land_use_areas(read_bundle_files(settings.FIXTURES_DIR / "aldo" / "hetre"))
    folder = write_bundle(files, tmp_path / "hetre-usages-des-sols")

    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(folder, "hetre")

    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, job.report
    assert job.release.status == Release.Status.STAGED
    by_land_use, by_clc_code = stored_figures(job.release), stored_figures(releases["hetre"])
    assert len(by_land_use) > 1000
    pd.testing.assert_frame_equal(by_land_use, by_clc_code, check_exact=False, rtol=1e-9)
