"""search_territories, get_territory, parents, counterpart, computation_bases."""

import pytest

from territories.models import Territory
from territories.selectors import (
    NOT_EPCI_UNION,
    computation_bases,
    counterpart,
    get_territory,
    parents,
    search_territories,
)

pytestmark = pytest.mark.usefixtures("loaded_territories")


def get(kind, code, geography):
    return Territory.objects.get(kind=kind, code=code, geography=geography)


def keys(results):
    return [(t.kind, t.code, t.geography) for t in results]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("lille", ("commune", "59350", "2026")),
        ("LILLE", ("commune", "59350", "2026")),
        ("Amiens", ("commune", "80021", "2026")),
        ("CC du Sud-Artois", ("epci", "200035442", "2026")),
        ("200093201", ("epci", "200093201", "2026")),
        ("62", ("departement", "62", "2026")),
        ("02198", ("commune", "02198", "2026")),
        ("scarpe", ("pnr", "FR8000037", "2026")),
        ("Saint Omer", ("commune", "62765", "2026")),
        ("saint-omer", ("commune", "62765", "2026")),
    ],
)
def test_search_ranks_best_match_first(query, expected_first):
    assert keys(search_territories(query))[0] == expected_first


def test_search_finds_pnr_without_members():
    assert ("pnr", "FR8000036", "2026") in keys(search_territories("avesnois"))
    assert ("pnr", "FR8000057", "2026") in keys(search_territories("baie de somme"))


def test_search_ligatures_and_accents():
    names = [t.name for t in search_territories("oeuvre")]
    assert "Mœuvres" in names and "Escaudœuvres" in names
    assert [t.name for t in search_territories("béthune")][0] == [t.name for t in search_territories("BETHUNE")][0]


def test_search_prefers_current_geography_when_identical_and_keeps_differences():
    lille = keys(search_territories("lille", limit=50))
    assert ("commune", "59350", "2026") in lille and ("commune", "59350", "2018") not in lille
    # MEL today and its 2018 predecessors are all findable.
    assert ("epci", "200093201", "2026") in lille and ("epci", "245900410", "2018") in lille
    assert keys(search_territories("245901061")) == [("epci", "245901061", "2018")]
    # Same SIREN, different name in 2018 → both listed.
    assert {t.geography for t in search_territories("sud artois") if t.code == "200035442"} == {"2018", "2026"}


@pytest.mark.parametrize("query", ["'; DROP TABLE territories_territory; --", "%", "_", "<script>", '"', "", "   "])
def test_search_hostile_input_never_fails(query):
    assert isinstance(search_territories(query), list)
    assert search_territories("%") == [] and search_territories("_") == []


def test_search_caps_query_length_and_limit():
    assert search_territories("lille " * 1000) is not None
    assert len(search_territories("saint", limit=5)) == 5


def test_get_territory_defaults_to_current_geography():
    assert get_territory("epci", "200035442").geography == "2026"
    assert get_territory("epci", "200035442", "2018").geography == "2018"
    assert get_territory("epci", "245900410").geography == "2018"  # only in 2018
    assert get_territory("commune", "00000") is None


def test_parents():
    lille = get("commune", "59350", "2026")
    assert [(t.kind, t.code) for t in parents(lille)] == [
        ("region", "32"),
        ("departement", "59"),
        ("epci", "200093201"),
    ]
    assert all(t.geography == "2026" for t in parents(lille))
    assert [(t.kind, t.code) for t in parents(get("commune", "59350", "2018"))][-1] == ("epci", "245900410")
    assert {(t.kind, t.code) for t in parents(get("epci", "200069722", "2018"))} == {
        ("region", "32"),
        ("departement", "80"),
    }
    assert [(t.kind, t.code) for t in parents(get("departement", "80", "2026"))] == [("region", "32")]
    assert parents(get("region", "32", "2026")) == []


def test_counterpart_links_mel_vintages():
    mel = counterpart(get("epci", "200093201", "2026"))
    assert mel.same_code is None
    assert {link.territory.code for link in mel.predecessors} == {"245900410", "245901061"}
    old = counterpart(get("epci", "245901061", "2018"))
    assert [link.territory.code for link in old.successors] == ["200093201"]
    same = counterpart(get("epci", "200018083", "2026"))
    assert same.same_code.geography == "2018" and same.same_perimeter
    changed = counterpart(get("epci", "200042190", "2026"))  # same SIREN, perimeter changed
    assert changed.same_code is not None and not changed.same_perimeter


@pytest.fixture(scope="module")
def chanterelle(django_db_blocker):
    with django_db_blocker.unblock():
        return computation_bases("commune")


@pytest.fixture(scope="module")
def hetre(django_db_blocker):
    with django_db_blocker.unblock():
        return computation_bases("epci")


def test_chanterelle_bases(chanterelle):
    region_2018, region_2026 = chanterelle[get("region", "32", "2018").id], chanterelle[get("region", "32", "2026").id]
    assert len(region_2018.units) == 3798 and region_2018.available
    assert region_2026.units == region_2018.units
    assert chanterelle[get("commune", "59350", "2026").id].units == ("59350",)
    assert chanterelle[get("commune", "27010", "2018").id].units == ("27010",)
    mel = chanterelle[get("epci", "200093201", "2026").id]
    assert len(mel.units) == 95
    # Interregional EPCI with the same perimeter in 2018 and 2025: computed on all 44 communes, Normandy included.
    assert len(chanterelle[get("epci", "200069722", "2026").id].units) == 44
    # Code reuse trap: ALDO 60054 is split between two current communes.
    talican = chanterelle[get("commune", "60054", "2026").id]
    assert not talican.available and "Les Hauts Talican" in talican.unavailable_reason
    assert talican.units == ()
    # … but the current EPCI holding both pieces is computable.
    sablons = chanterelle[get("epci", "246000582", "2026").id]
    assert sablons.available and "60054" in sablons.units
    # A PNR without a known commune list.
    avesnois = chanterelle[get("pnr", "FR8000036", "2026").id]
    assert not avesnois.available and "pas connues" in avesnois.unavailable_reason
    assert len(chanterelle[get("pnr", "FR8000037", "2026").id].units) == 57
    assert len(chanterelle) == Territory.objects.count()


def test_hetre_bases(hetre):
    assert hetre[get("epci", "245900410", "2018").id].units == ("245900410",)
    assert hetre[get("epci", "200093201", "2026").id].units == ("245900410", "245901061")
    assert hetre[get("epci", "200069722", "2026").id].units == ("200069722",)
    region = hetre[get("region", "32", "2026").id]
    assert not region.available and region.unavailable_reason == NOT_EPCI_UNION
    assert not hetre[get("region", "32", "2018").id].available
    commune = hetre[get("commune", "59350", "2026").id]
    assert not commune.available and commune.unavailable_reason.startswith("HETRE calcule par EPCI de 2018")
    assert not hetre[get("commune", "59350", "2018").id].available


def test_unknown_unit_kind():
    with pytest.raises(ValueError):
        computation_bases("iris")


def test_subdivisions():
    from territories.selectors import subdivisions

    assert [t.code for t in subdivisions(get("region", "32", "2026"))] == ["02", "59", "60", "62", "80"]
    somme = {t.code for t in subdivisions(get("departement", "80", "2018"))}
    assert {"200069722", "247600588"} <= somme  # interregional EPCIs touching the Somme
    assert subdivisions(get("commune", "59350", "2026")) == []
