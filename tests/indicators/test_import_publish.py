"""Importing, staging and publishing releases, as an editor and the command line do it."""

import io
import shutil
import zipfile

import pandas as pd
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from indicators.models import ImportJob, IndicatorValue, Release, TerritoryResult
from indicators.services import ReleaseActionError, discard_release, publish_release, start_import, unpublish_release
from territories.models import Territory

pytestmark = pytest.mark.django_db

BUNDLES = settings.FIXTURES_DIR / "aldo"


def figure(release, kind, code, measure, land_use="total", detail="", geography="2018"):
    return IndicatorValue.objects.get(
        release=release,
        territory__kind=kind,
        territory__code=code,
        territory__geography=geography,
        measure=measure,
        land_use=land_use,
        detail=detail,
    ).value


def test_bundled_releases_are_published_with_chanterelle_shown_by_default():
    assert set(Release.objects.published().values_list("slug", flat=True)) == {"hetre", "chanterelle"}
    assert Release.objects.current().slug == "chanterelle"
    jobs = ImportJob.objects.filter(release__slug__in=["hetre", "chanterelle"])
    assert set(jobs.values_list("state", flat=True)) == {ImportJob.State.READY}
    assert all(len(job.checksum) == 64 for job in jobs)


def test_every_territory_of_the_map_has_chanterelle_figures_or_a_reason():
    chanterelle = Release.objects.get(slug="chanterelle", status=Release.Status.PUBLISHED)
    results = TerritoryResult.objects.filter(release=chanterelle)
    assert results.count() == Territory.objects.count()
    for result in results.filter(available=False):
        assert result.unavailable_reason, result.territory
    for kind in ["epci", "departement", "region"]:
        assert results.filter(territory__kind=kind, available=True).exists(), kind
    # The région is computed over its communes, never by adding EPCIs (3 EPCIs cross into Normandy).
    region = figure(chanterelle, "region", "32", "stock")
    hdf_communes = IndicatorValue.objects.filter(
        release=chanterelle,
        territory__kind="commune",
        territory__geography="2018",
        territory__in_region=True,
        measure="stock",
        land_use="total",
    )
    assert region == pytest.approx(sum(hdf_communes.values_list("value", flat=True)), rel=1e-9)
    assert 240e6 < region < 255e6  # README: about 247 Mt C recomputed from these bundles


def test_hetre_is_exact_for_unions_of_2018_epcis_and_unavailable_elsewhere():
    hetre = Release.objects.get(slug="hetre", status=Release.Status.PUBLISHED)
    mel_today = TerritoryResult.objects.get(
        release=hetre, territory__kind="epci", territory__code="200093201", territory__geography="2026"
    )
    assert mel_today.available
    assert mel_today.n_units == 2
    predecessors = sum(figure(hetre, "epci", code, "stock") for code in ["245900410", "245901061"])
    assert figure(hetre, "epci", "200093201", "stock", geography="2026") == pytest.approx(predecessors, rel=1e-12)
    region = TerritoryResult.objects.get(release=hetre, territory__kind="region", territory__geography="2018")
    assert not region.available
    assert "EPCI" in region.unavailable_reason
    commune = TerritoryResult.objects.filter(release=hetre, territory__kind="commune").first()
    assert not commune.available


def test_fluxes_use_the_observatory_sign():
    chanterelle = Release.objects.current()
    forest_growth = IndicatorValue.objects.filter(
        release=chanterelle, territory__kind="region", measure="flux", detail="croissance_biomasse_foret"
    )
    assert forest_growth.exists()
    assert all(value < 0 for value in forest_growth.values_list("value", flat=True))  # a sink is negative
    assert figure(chanterelle, "region", "32", "flux") < 0


def test_a_broken_bundle_is_reported_and_leaves_the_published_release_untouched(
    tmp_path, django_capture_on_commit_callbacks
):
    current = Release.objects.current()
    values_before = IndicatorValue.objects.filter(release=current).count()
    broken = tmp_path / "chanterelle"
    shutil.copytree(BUNDLES / "chanterelle", broken)
    (broken / "clc_areas.csv").write_text("territory_id,clc_code,area_ha,provenance\n02001,211,-5,original\n")

    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(broken, "chanterelle")

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert any(problem["file"] == "clc_areas.csv" for problem in job.report)
    assert Release.objects.current() == current
    assert IndicatorValue.objects.filter(release=current).count() == values_before
    assert not Release.objects.filter(slug="chanterelle", revision=2).exists()


def test_a_corrected_reimport_is_a_new_revision_published_atomically(tmp_path, django_capture_on_commit_callbacks):
    archive = tmp_path / "hetre.zip"
    with zipfile.ZipFile(archive, "w") as bundle_zip:
        for path in (BUNDLES / "hetre").iterdir():
            bundle_zip.write(path, path.name)
    first = Release.objects.get(slug="hetre", status=Release.Status.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(archive, "hetre")
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, job.report
    staged = job.release
    assert (staged.revision, staged.status) == (2, Release.Status.STAGED)
    assert Release.objects.published().get(slug="hetre") == first  # staged data is not shown yet

    publish_release(staged)
    first.refresh_from_db()
    assert first.status == Release.Status.SUPERSEDED
    assert Release.objects.current() == staged
    assert Release.objects.published().filter(slug="chanterelle").exists()  # still there for comparison

    unpublish_release(staged)
    assert Release.objects.current().slug == "chanterelle"
    with pytest.raises(ReleaseActionError):
        discard_release(Release.objects.get(slug="chanterelle", status=Release.Status.PUBLISHED))


def test_export_indicators_prints_tidy_csv_of_stored_figures():
    out = io.StringIO()
    call_command("export_indicators", release="chanterelle", kind="epci", code="200035442", stdout=out)
    frame = pd.read_csv(io.StringIO(out.getvalue()), dtype={"territory_code": str})
    assert set(frame["territory_code"]) == {"200035442"}
    assert {"territory_kind", "release", "measure", "land_use", "detail", "value", "unit"} <= set(frame.columns)
    total = frame.query("measure == 'stock' and land_use == 'total' and geography == 2018")["value"].item()
    assert total == pytest.approx(figure(Release.objects.current(), "epci", "200035442", "stock"))
    assert set(frame.loc[frame["measure"] == "flux", "unit"]) == {"tCO2e/an"}


def test_export_indicators_rejects_an_unknown_release():
    with pytest.raises(CommandError, match="Millésime inconnu"):
        call_command("export_indicators", release="inconnu", stdout=io.StringIO())
