"""Figures of groupings, for both releases: a grouping is the sum of its parts for stocks, areas and fluxes, its stock
per hectare is stock over area, it equals what the engine computes for the same set, and each commune counts once.
Imported groupings get the same figures from the job that follows their publication and from a new import."""

import pytest
from django.conf import settings

from indicators import grouping_services, services
from indicators.aldo import compute, load_bundle
from indicators.groupings import grouping_sum
from indicators.measures import AREA, FLUX, LAND_USE_CHANGE, STOCK, STOCK_PER_HECTARE, TOTAL
from indicators.models import ActionLog, GroupingImport, ImportJob, IndicatorValue, TerritoryResult
from territories import vintages
from territories.groupings import Member, resolve
from territories.models import Territory
from territories.selectors import NOT_EPCI_UNION

pytestmark = pytest.mark.django_db
ALDO, CURRENT = vintages.ALDO.code, vintages.CURRENT.code
RELEASES = ["hetre", "chanterelle"]
# 2018 EPCIs: CA Chauny Tergnier la Fère (Aisne), CA Amiens Métropole (Somme), Métropole Européenne de Lille (Nord).
THREE_EPCIS = ["200071785", "248000531", "245900410"]
SUMMED = (STOCK, AREA, FLUX, LAND_USE_CHANGE)


@pytest.fixture(scope="module")
def bundles():
    return {slug: load_bundle(settings.FIXTURES_DIR / "aldo" / slug) for slug in RELEASES}


def keyed(rows) -> dict:
    return {(measure, land_use, detail): (value, provenance) for measure, land_use, detail, value, provenance in rows}


def engine_rows(bundle, composition) -> dict:
    units = composition.codes if bundle.unit_kind == "commune" else composition.epcis
    values = compute(bundle, {"grouping": list(units)}).values
    return keyed(
        values[values["value"] != 0][["measure", "land_use", "detail", "value", "provenance"]].itertuples(False)
    )


def assert_same_rows(found: dict, expected: dict) -> None:
    assert found.keys() == expected.keys()
    for key, (value, provenance) in expected.items():
        assert found[key][0] == pytest.approx(value, rel=1e-9, abs=1e-9), key
        assert found[key][1] == provenance, key


@pytest.mark.parametrize("slug", RELEASES)
def test_three_epcis_are_the_sum_of_the_three_and_stock_per_hectare_is_stock_over_area(releases, slug):
    release = releases[slug]
    figures = grouping_sum(release, resolve([Member("epci", code) for code in THREE_EPCIS], ALDO).composition)
    assert figures.available and figures.computed_from == (
        "3 EPCI de 2018" if slug == "hetre" else "177 communes de 2018"
    )
    epcis = Territory.objects.filter(kind="epci", geography=ALDO, code__in=THREE_EPCIS)
    summed: dict = {}
    for measure, land_use, detail, value in IndicatorValue.objects.filter(
        release=release, territory__in=epcis, measure__in=SUMMED
    ).values_list("measure", "land_use", "detail", "value"):
        summed[(measure, land_use, detail)] = summed.get((measure, land_use, detail), 0.0) + value
    grouping = keyed(figures.rows)
    assert {key for key in grouping if key[0] in SUMMED} == summed.keys()
    for key, value in summed.items():
        assert grouping[key][0] == pytest.approx(value, rel=1e-12), key

    per_hectare = grouping[(STOCK_PER_HECTARE, TOTAL, "")][0]
    assert per_hectare == pytest.approx(summed[(STOCK, TOTAL, "")] / summed[(AREA, TOTAL, "")], rel=1e-12)
    for land_use in ("cultures", "forêt feuillu", "sols artificiels imperméabilisés"):
        stock = sum(value for (m, lu, _), value in summed.items() if m == STOCK and lu == land_use)
        area = summed[(AREA, land_use, "")]
        assert grouping[(STOCK_PER_HECTARE, land_use, "")][0] == pytest.approx(stock / area, rel=1e-12)


SETS = {
    "three 2018 EPCIs": (ALDO, [Member("epci", code) for code in THREE_EPCIS]),
    "an EPCI and loose communes": (ALDO, [Member("epci", "248000531"), Member("commune", "02001")]),
    "today's communes, one merged since 2018, and an interregional EPCI": (
        CURRENT,
        [Member("commune", "62447"), Member("commune", "80485"), Member("epci", "200069722")],
    ),
}


@pytest.mark.parametrize("slug", RELEASES)
@pytest.mark.parametrize("name", SETS)
def test_a_grouping_equals_what_the_engine_computes_for_the_same_set(releases, bundles, slug, name):
    geography, members = SETS[name]
    composition = resolve(members, geography).composition
    figures = grouping_sum(releases[slug], composition)
    if slug == "hetre" and not composition.epci_union:
        assert not figures.available and figures.unavailable_reason == NOT_EPCI_UNION and not figures.rows
        return
    assert figures.available
    assert_same_rows(keyed(figures.rows), engine_rows(bundles[slug], composition))


@pytest.mark.parametrize("slug", RELEASES)
def test_a_commune_repeated_or_listed_with_its_epci_is_counted_once(releases, slug):
    amiens = [Member("epci", "248000531")]
    repeated = [*amiens, Member("commune", "80021"), Member("commune", "80021"), *amiens]
    once = grouping_sum(releases[slug], resolve(amiens, ALDO).composition)
    twice = grouping_sum(releases[slug], resolve(repeated, ALDO).composition)
    assert once.available and keyed(twice.rows) == keyed(once.rows)
    assert twice.computed_from == once.computed_from


GROUPINGS_FILE = (
    "kind,code,name,member_kind,member_code,geography\n"
    "scot,SCOT-TEST,SCoT de test,epci,248000531,2026\n"
    "scot,SCOT-TEST,SCoT de test,commune,62447,2026\n"
    "scot,SCOT-TEST,SCoT de test,commune,80021,2026\n"
    "pays,PAYS-TEST,Pays de test,epci,200071785,2018\n"
    "pays,PAYS-TEST,Pays de test,epci,248000531,2018\n"
)


def test_imported_groupings_get_the_engine_figures_for_every_release_from_a_job_and_from_a_new_import(
    releases, bundles, django_capture_on_commit_callbacks
):
    record = grouping_services.check_groupings(GROUPINGS_FILE.encode(), "groupements.csv")
    assert record.state == GroupingImport.State.READY, record.report
    with django_capture_on_commit_callbacks(execute=True):
        grouping_services.publish_groupings(record)
    record.refresh_from_db()
    assert record.state == GroupingImport.State.PUBLISHED and record.computed_at is not None
    assert list(ActionLog.objects.filter(action__endswith="groupings").values_list("action", flat=True)) == [
        "publish_groupings",
        "import_groupings",
    ]

    scot = Territory.objects.filter(kind="scot", code="SCOT-TEST")
    pays = Territory.objects.get(kind="pays", code="PAYS-TEST")
    assert scot.count() == 2  # ALDO vintage and today's
    for slug in RELEASES:
        release = releases[slug]
        for territory in [*scot, pays]:
            result = TerritoryResult.objects.get(release=release, territory=territory)
            composition = resolve(
                [Member("commune", code) for code in territory.members.values_list("code", flat=True)],
                territory.geography,
            ).composition
            if slug == "hetre" and territory.kind == "scot":  # not a union of whole 2018 EPCIs
                assert not result.available and result.unavailable_reason == NOT_EPCI_UNION
                continue
            assert result.available
            stored = IndicatorValue.objects.filter(release=release, territory=territory)
            assert_same_rows(
                keyed(stored.values_list("measure", "land_use", "detail", "value", "provenance")),
                engine_rows(bundles[slug], composition),
            )

    # A new import of a release computes the groupings with every other territory: the same figures.
    chanterelle = releases["chanterelle"]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(settings.FIXTURES_DIR / "aldo" / "chanterelle", "chanterelle")
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, job.message
    for territory in [*scot, pays]:
        by_job = IndicatorValue.objects.filter(release=chanterelle, territory=territory)
        by_import = IndicatorValue.objects.filter(release=job.release, territory=territory)
        columns = ("measure", "land_use", "detail", "value", "provenance")
        assert_same_rows(keyed(by_import.values_list(*columns)), keyed(by_job.values_list(*columns)))
