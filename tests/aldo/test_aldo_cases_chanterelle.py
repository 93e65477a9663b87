"""ALDO's own CHANTERELLE test expectations (ALDO_TEST_CASES.md §1, CHANTERELLE 697f921), on the France bundle, that
HETRE does not share (the shared ones are in test_aldo_cases.py).

Each EPCI is computed as the set of its communes, as ALDO's `getCommunes({ epci })` does.
"""

import pytest

from indicators.aldo import compute

from .aldo_cases import aldo_summary, without_prairie_to_cultures_changes

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def chanterelle_france(france_bundle):
    return france_bundle("CHANTERELLE")


@pytest.fixture(scope="module")
def members(chanterelle_france):
    return chanterelle_france.epci_members()


@pytest.fixture(scope="module")
def result(case_result):
    return case_result("CHANTERELLE")


def test_c7_no_flux_into_vignes(result):
    assert aldo_summary(result, "200040798", "vignes") is None


def test_c10_without_prairie_to_cultures_change_there_is_no_flux_into_cultures(chanterelle_france, members, result):
    siren = "245700398"
    assert aldo_summary(result, siren, "cultures") != 0
    modified = compute(
        without_prairie_to_cultures_changes(chanterelle_france, members[siren]), {siren: members[siren]}
    )
    assert aldo_summary(modified, siren, "cultures") is None


def test_c11_epci_list(chanterelle_france, members):
    """ALDO's france.json lists 1 244 EPCIs; the bundle's territories.csv has 1 241 EPCI rows (documented)."""
    territories = chanterelle_france.tables["territories.csv"]
    assert (territories["territory_type"] == "epci").sum() == 1241


def test_c12_population_total(chanterelle_france):
    assert 64_000_000 < chanterelle_france.units["population"].sum() < 65_000_000
    assert chanterelle_france.constants["france_population"] == 64_299_705


def test_c13_epci_communes_and_population(chanterelle_france, members):
    assert len(members["200000172"]) == 7
    units = chanterelle_france.units
    assert units[units["id"].isin(members["200000172"])]["population"].sum() == 26898
