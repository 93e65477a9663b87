"""The land-use figures stored at import, which reviews and comparisons read: each is its land use's undetailed row,
else the sum of its details, and they follow their figures when a release is discarded or a grouping recomputed."""

import importlib

import pandas as pd
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum

from indicators import grouping_services, services
from indicators.models import IndicatorValue, LandUseFigure, TerritoryResult
from territories.models import Territory

pytestmark = pytest.mark.django_db
KEY = ["release_id", "territory_id", "measure", "land_use"]
# The migration that filled the table for releases imported before it: the same rule, written in SQL.
MIGRATION = importlib.import_module("indicators.migrations.0012_land_use_figures")


def stored(release) -> pd.DataFrame:
    rows = LandUseFigure.objects.filter(release=release).values_list(*KEY, "value", "rebuilt")
    return pd.DataFrame(list(rows), columns=[*KEY, "value", "rebuilt"]).sort_values(KEY, ignore_index=True)


def by_the_migration_rule(release) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({MIGRATION.LAND_USE_FIGURES}) AS figure WHERE release_id = %s", [release.pk])
        frame = pd.DataFrame(cursor.fetchall(), columns=[*KEY, "value", "rebuilt"])
    frame["rebuilt"] = frame["rebuilt"].astype(bool)
    return frame.sort_values(KEY, ignore_index=True)


def assert_same_figures(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(found) == len(expected)
    pd.testing.assert_frame_equal(found[[*KEY, "rebuilt"]], expected[[*KEY, "rebuilt"]])
    pd.testing.assert_series_equal(found["value"], expected["value"], rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("slug", ["hetre", "chanterelle"])
def test_each_stored_land_use_figure_is_its_undetailed_row_else_the_sum_of_its_details(releases, slug):
    release = releases[slug]
    figures = stored(release)
    assert not figures.duplicated(KEY).any()
    assert_same_figures(figures, by_the_migration_rule(release))


def test_a_land_use_stored_by_reservoir_is_their_sum_and_hedges_in_km_keep_their_unit(releases):
    release = releases["chanterelle"]
    lille = Territory.objects.get(kind="epci", code="245900410", geography="2018")
    reservoirs = IndicatorValue.objects.filter(
        release=release, territory=lille, measure="stock", land_use="forêt feuillu"
    )
    assert reservoirs.count() > 1 and not reservoirs.filter(detail="").exists()
    figure = LandUseFigure.objects.get(release=release, territory=lille, measure="stock", land_use="forêt feuillu")
    assert figure.value == pytest.approx(reservoirs.aggregate(total=Sum("value"))["total"], rel=1e-12)

    total = IndicatorValue.objects.get(release=release, territory=lille, measure="stock", land_use="total", detail="")
    assert LandUseFigure.objects.get(release=release, territory=lille, measure="stock", land_use="total").value == (
        total.value
    )
    hedges_km = IndicatorValue.objects.get(release=release, territory=lille, measure="surface", detail="km")
    in_km = LandUseFigure.objects.get(
        release=release, territory=lille, measure="surface", land_use=f"{hedges_km.land_use} (km)"
    )
    assert in_km.value == hedges_km.value


def test_a_commune_figure_built_on_rebuilt_inputs_is_marked_rebuilt(releases):
    release = releases["chanterelle"]
    rebuilt = IndicatorValue.objects.filter(release=release, measure="stock", provenance="rebuilt").first()
    assert rebuilt is not None
    figure = LandUseFigure.objects.get(
        release=release, territory_id=rebuilt.territory_id, measure="stock", land_use=rebuilt.land_use
    )
    assert figure.rebuilt


def test_recomputing_groupings_replaces_their_land_use_figures_and_discarding_a_release_deletes_them(
    releases, django_capture_on_commit_callbacks
):
    release = releases["chanterelle"]
    pnrs = list(Territory.objects.filter(kind="pnr").values_list("pk", flat=True))
    assert TerritoryResult.objects.filter(release=release, territory__in=pnrs, available=True).exists()
    before = stored(release)
    grouping_services.compute_grouping_figures(pnrs)
    grouping_services.compute_grouping_figures(pnrs)
    assert_same_figures(stored(release), before)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(settings.FIXTURES_DIR / "aldo" / "hetre", "hetre")
    job.refresh_from_db()
    assert LandUseFigure.objects.filter(release=job.release).count() == len(by_the_migration_rule(job.release))
    services.discard_release(job.release)
    assert not LandUseFigure.objects.filter(release=job.release).exists()
    assert not IndicatorValue.objects.filter(release=job.release).exists()
