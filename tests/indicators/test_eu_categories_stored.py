"""The EU LULUCF view is stored per release: its categories add up to the net flux of every territory, and the export
gives them."""

import io

import pandas as pd
import pytest
from django.core.management import call_command

from indicators.aldo import EU_CATEGORIES
from indicators.measures import EU_CATEGORY_FLUX, FLUX, TOTAL
from indicators.selectors import values_frame
from territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["hetre", "chanterelle"])
def test_categories_add_up_to_the_net_flux_of_every_territory(releases, slug):
    release = releases[slug]
    computed = release.territory_results.filter(available=True).values_list("territory_id", flat=True)
    frame = values_frame(release, list(computed), measures=[FLUX, EU_CATEGORY_FLUX])
    net = frame[(frame["measure"] == FLUX) & (frame["land_use"] == TOTAL)].set_index("territory_id")["value"]
    categories = frame[frame["measure"] == EU_CATEGORY_FLUX]
    assert set(categories["land_use"]) <= {category.slug for category in EU_CATEGORIES}
    assert (categories["detail"] == "").all()
    summed = categories.groupby("territory_id")["value"].sum().reindex(net.index, fill_value=0.0)
    assert len(net) == len(computed) > 100  # HETRE: EPCIs and their groupings; CHANTERELLE: every commune too
    difference = (summed - net).abs()
    assert difference.max() <= 1e-6 * max(1.0, net.abs().max()), difference.idxmax()


def test_export_gives_the_categories_with_their_measure(releases, capsys):
    call_command("export_indicators", release="chanterelle", kind="region")
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"territory_code": str})
    region = frame[frame["territory_code"] == "32"]
    categories = region[region["measure"] == EU_CATEGORY_FLUX].set_index(["geography", "land_use"])["value"]
    net = region[(region["measure"] == FLUX) & (region["land_use"] == TOTAL)].set_index("geography")["value"]
    assert {"terres_forestieres", "terres_cultivees", "terres_deboisees"} <= set(categories.index.get_level_values(1))
    for geography, value in net.items():
        assert categories.loc[geography].sum() == pytest.approx(value, rel=1e-12)
    assert Territory.objects.filter(kind="region", code="32").count() == len(net)
