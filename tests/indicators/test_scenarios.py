"""Scenarios (« Et si… ? »): the engine with the levers of the query string, against the published figures."""

import pytest

from indicators import scenarios
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.sources import read_bundle_files
from indicators.figures import Figures
from indicators.measures import AREA, FLUX, LAND_USE_CHANGE, STOCK, STOCK_PER_HECTARE
from indicators.models import ImportJob, Release, TerritoryResult
from indicators.numbers import format_number
from indicators.selectors import figures_of
from tests.aldo.synthetic import FIXTURES, with_land_use_areas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scenario_bundles")]

MEASURES = (STOCK, AREA, STOCK_PER_HECTARE, FLUX, LAND_USE_CHANGE)
HOSTILE = '<script>alert("x")</script>'
ARTIFICIAL_SOILS = {"sols artificiels imperméabilisés", "sols artificiels arbustifs"} | {
    "sols artificiels arborés et buissonants"
}
FORESTS = {"forêt feuillu", "forêt conifere", "forêt mixte", "forêt peupleraie"}


def setting(release, kind="epci", code=None):
    results = TerritoryResult.objects.filter(release=release, available=True, territory__kind=kind)
    if code:
        results = results.filter(territory__code=code)
    territory = results.select_related("territory").order_by("territory__code", "-territory__geography").first()
    return scenarios.setting_for(release, territory.territory)


def run(setting, **levers):
    query = {name: [str(value)] for name, value in levers.items()}
    return scenarios.run_scenario(setting, scenarios.parse_levers(query, setting.levers, setting.release.rule_set))


@pytest.mark.parametrize("slug", ["hetre", "chanterelle"])
def test_default_levers_give_the_stored_figures_of_every_epci_exactly(releases, slug):
    release = releases[slug]
    results = TerritoryResult.objects.filter(release=release, available=True, territory__kind="epci")
    territories = [result.territory for result in results.select_related("territory")]
    assert len(territories) > 150  # both geographies
    stored = figures_of(release, [territory.pk for territory in territories])
    for territory in territories:
        scenario = run(scenarios.setting_for(release, territory))
        for measure in MEASURES:
            assert dict(scenario.figures.items(measure)) == dict(stored[territory.pk].items(measure)), (
                f"{territory} {measure}"
            )


@pytest.mark.parametrize("slug", ["hetre", "chanterelle"])
def test_one_thousand_hectares_of_hedges_on_crops_change_the_net_flux_by_minus_550(releases, slug):
    chosen = setting(releases[slug])
    reference = chosen.reference.get(FLUX)
    scenario = run(chosen, haies_cultures=1000)
    assert scenario.figures.get(FLUX) - reference == pytest.approx(-1000 * (0.06 + 0.09) * 44 / 12, abs=1e-5)
    assert scenarios.sides(scenario)["difference"]["flux_by_component"]["pratiques_agricoles"] == pytest.approx(
        -550, abs=1e-5
    )
    assert "séquestration nette passerait de" in scenarios.flux_sentence(reference, scenario.figures.get(FLUX))


def test_no_artificialisation_leaves_only_the_changes_between_artificial_soils(releases):
    chosen = setting(releases["chanterelle"], "region")
    none, doubled = run(chosen, artificialisation=0), run(chosen, artificialisation=200)
    published = {key: value for key, value in chosen.reference.items(FLUX) if key[1] in ARTIFICIAL_SOILS}
    assert published and any(published.values())
    for (measure, land_use, detail), value in chosen.reference.items(FLUX):
        if land_use in ARTIFICIAL_SOILS:
            # Linear in the artificialised areas, whose part is gone at 0 %: what stays is the same at any level.
            assert none.figures.get(measure, land_use, detail) == pytest.approx(
                2 * value - doubled.figures.get(measure, land_use, detail), abs=1e-6
            )
        elif land_use != "total":
            assert none.figures.get(measure, land_use, detail) == value
    kept = sum(none.figures.get(*key) for key in published)
    # Changes between artificial soils (a third of the region's changes towards them) still count.
    assert kept != 0 and abs(kept) < abs(sum(published.values()))
    assert none.figures.get(FLUX) == pytest.approx(chosen.reference.get(FLUX) - sum(published.values()) + kept)


def test_each_change_lever_says_how_much_the_territory_changed_in_2012_2018(releases):
    release = releases["chanterelle"]
    territories = [
        result.territory
        for result in TerritoryResult.objects.filter(release=release, available=True, territory__kind="epci")
        .select_related("territory")
        .order_by("territory__code", "territory__geography")
    ]
    stored = figures_of(release, [territory.pk for territory in territories], [LAND_USE_CHANGE])
    helps = {"artificialisation": [], "defrichement": []}
    for territory in territories:
        changes = stored[territory.pk].items(LAND_USE_CHANGE)  # land use reached, land use left
        expected = {
            "artificialisation": sum(
                a for (_, to, of), a in changes if to in ARTIFICIAL_SOILS and of not in ARTIFICIAL_SOILS
            ),
            "defrichement": sum(a for (_, to, of), a in changes if of in FORESTS and to not in FORESTS),
        }
        lever = scenarios.setting_for(release, territory).lever
        for name, area in expected.items():
            helps[name].append((area, lever[name].help))
    for name, pairs in helps.items():
        observed = [(area, help) for area, help in pairs if area]
        none = [help for area, help in pairs if not area]
        assert observed and none, name  # both cases occur among the region's EPCIs
        for area, help in observed:
            assert f"Sur ce territoire : {format_number(area, 1)} ha par an entre 2012 et 2018." in help
        assert all(
            help.endswith(
                "Aucun changement de ce type sur ce territoire entre 2012 et 2018 : ce levier est sans effet."
            )
            for help in none
        )


def test_consumption_approach_gives_wood_products_the_population_share(releases):
    release = releases["hetre"]
    chosen = setting(release)
    scenario = run(chosen, produits_bois="consommation")
    constants = scenarios.release_bundle(release).constants
    units = scenarios.territory_units(chosen.bundle, chosen.territory)
    population = chosen.bundle.units.set_index("id").loc[list(units), "population"].sum()
    share = population / constants["france_population"]
    wood = scenarios.flux_by(scenario.figures, "detail")["produits_bois"]
    assert wood == pytest.approx(-share * (constants["france_wood_flux_bo"] + constants["france_wood_flux_bi"]))


def test_the_trajectory_reaches_the_scenario_at_its_horizon_and_cumulates_the_difference(releases):
    chosen = setting(releases["chanterelle"])
    scenario = run(chosen, haies_cultures=1000, horizon=2028)
    points = {point["year"]: point for point in scenario.trajectory}
    assert min(points) == 2018 and max(points) == 2050
    assert points[2018]["scenario"] == points[2018]["reference"] == chosen.reference.get(FLUX)
    assert points[2023]["scenario"] - points[2023]["reference"] == pytest.approx(-550 / 2, abs=1e-4)
    assert points[2028]["scenario"] == pytest.approx(scenario.figures.get(FLUX))
    # 2018-2028: 0, 55, …, 550 (sum 5,5 × 550); 2029-2050: 22 years at 550
    assert points[2050]["cumulated"] == pytest.approx(-(5.5 * 550 + 22 * 550), abs=1e-3)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"haies_cultures": ["-5"]}, "haies_cultures", "comprise entre 0"),
        ({"haies_cultures": ["9" * 400]}, "haies_cultures", "comprise entre 0"),
        ({"haies_cultures": ["1e3"]}, "haies_cultures", "n'est pas un nombre"),
        ({"haies_cultures": ["nan"]}, "haies_cultures", "n'est pas un nombre"),
        ({"haies_cultures": ["12.5"]}, "haies_cultures", "nombre entier"),
        ({"haies_cultures": ["1", "2"]}, "haies_cultures", "donné 2 fois"),
        ({"part_impermeabilisee": ["1,5"]}, "part_impermeabilisee", "comprise entre 0,00 et 1,00"),
        ({"produits_bois": [HOSTILE]}, "produits_bois", "n'est pas un choix possible"),
        ({"horizon": ["2018"]}, "horizon", "entre 2019 et 2050"),
        ({HOSTILE: ["1"]}, HOSTILE, "Paramètre inconnu"),
    ],
)
def test_refused_levers_say_why_in_french(releases, query, field, words):
    chosen = setting(releases["chanterelle"])
    with pytest.raises(scenarios.InvalidLevers) as refused:
        scenarios.parse_levers(query, chosen.levers, "CHANTERELLE")
    assert words in refused.value.errors[field]


@pytest.mark.parametrize("written", ["1000", "1 000", "1\u00a0000", "1\u202f000", " 1000 "])
def test_a_number_written_as_the_site_writes_it_is_read(releases, written):
    chosen = setting(releases["chanterelle"])
    assert (
        scenarios.parse_levers({"haies_cultures": [written]}, chosen.levers, "CHANTERELLE")["haies_cultures"] == 1000
    )


@pytest.mark.parametrize(
    ("reference", "scenario", "sentence"),
    [
        (-17_500, -21_300, "Avec ce scénario, la séquestration nette passerait de 17,5 à 21,3 kt éq. CO2 par an."),
        (79_100, 307_000, "Avec ce scénario, l'émission nette passerait de 79,1 à 307 kt éq. CO2 par an."),
        (79_100, 79_110, "Avec ce scénario, l'émission nette resterait d'environ 79,1 kt éq. CO2 par an."),
        (
            -1_000,
            2_000,
            "Avec ce scénario, le territoire passerait d'une séquestration nette de 1,00 kt éq. CO2 à une émission "
            "nette de 2,00 kt éq. CO2 par an.",
        ),
    ],
)
def test_the_change_of_the_net_flux_is_said_in_correct_french(reference, scenario, sentence):
    assert scenarios.flux_sentence(reference, scenario) == sentence


def test_prairie_intensification_does_not_exist_in_hetre(releases):
    chosen = setting(releases["hetre"])
    with pytest.raises(scenarios.InvalidLevers) as refused:
        scenarios.parse_levers({"prairies_intensification": ["10"]}, chosen.levers, "HETRE")
    assert "n'existe pas dans la méthode HETRE" in refused.value.errors["prairies_intensification"]


def test_a_practice_cannot_cover_more_than_the_land_it_applies_to(releases):
    chosen = setting(releases["chanterelle"])
    crops = chosen.reference.of_group(AREA, "groupe:cultures")
    with pytest.raises(scenarios.InvalidLevers) as refused:
        scenarios.parse_levers({"haies_cultures": [str(int(crops) + 1)]}, chosen.levers, "CHANTERELLE")
    assert "comprise entre 0 ha et" in refused.value.errors["haies_cultures"]


def test_a_missing_or_changed_bundle_file_is_said_in_french(releases, tmp_path):
    release = releases["chanterelle"]
    job = ImportJob.objects.get(release=release, state=ImportJob.State.READY)
    territory = setting(release).territory
    ImportJob.objects.filter(pk=job.pk).update(source_path=str(tmp_path / "disparu.zip"))
    scenarios.release_bundle.cache_clear()
    with pytest.raises(scenarios.BundleUnavailable, match="n'est plus disponible"):
        scenarios.setting_for(Release.objects.get(pk=release.pk), territory)

    ImportJob.objects.filter(pk=job.pk).update(source_path=job.source_path, checksum="0" * 64)
    scenarios.release_bundle.cache_clear()
    with pytest.raises(scenarios.BundleUnavailable, match="a changé depuis son import"):
        scenarios.setting_for(Release.objects.get(pk=release.pk), territory)


def test_the_share_lever_says_when_the_release_gives_the_artificial_split_itself():
    bundle = bundle_from_files(with_land_use_areas(read_bundle_files(FIXTURES / "hetre")))
    share = next(lever for lever in scenarios.levers_for(bundle, Figures()) if lever.name == "part_impermeabilisee")
    assert "viennent directement des données du millésime" in share.help
    assert "ne les modifie pas" in share.help
    # nor does the stock table of a scenario blame the share for a change it cannot make
    unchanged_areas = scenarios.Scenario(scenarios.Setting(None, None, bundle, Figures(), ()), {}, Figures())
    assert "part imperméabilisée" not in scenarios.stock_by_group_table(unchanged_areas).note
