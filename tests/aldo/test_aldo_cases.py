"""ALDO's own test expectations that HETRE (866dbeb) and CHANTERELLE (697f921) share, ALDO_TEST_CASES.md §1 (H… and
C… cases), on the France bundles; each release has its own expected values."""

import pytest

from indicators.aldo import compute

from .aldo_cases import (
    PRAIRIES,
    aldo_summary,
    carbon_into,
    entries_of,
    soil_entries_into_cultures,
    with_second_forest_rows,
    within,
)

pytestmark = pytest.mark.shared


@pytest.mark.parametrize(
    ("release", "expected"),
    [("HETRE", 9), ("CHANTERELLE", 5)],  # HETRE keeps the entries of zero areas (H1, H18); CHANTERELLE drops them (C1)
)
def test_h1_h18_c1_soil_entries_into_cultures(case_result, release, expected):
    assert len(soil_entries_into_cultures(case_result(release), "200007177")) == expected


@pytest.mark.parametrize(("release", "expected"), [("HETRE", -638.71), ("CHANTERELLE", -621.61)])
def test_h2_c2_soil_flux_from_prairies_into_cultures(case_result, release, expected):
    entries = soil_entries_into_cultures(case_result(release), "200007177")
    assert within(entries[entries["from_land_use"].isin(PRAIRIES)]["value_native"].sum(), expected, 2)


@pytest.mark.parametrize(("release", "decimals"), [("HETRE", 2), ("CHANTERELLE", 1)])
def test_h3_c3_n2o_from_prairies_into_cultures(case_result, release, decimals):
    entries = entries_of(case_result(release), "200007177")
    n2o = entries[(entries["gas"] == "N2O") & (entries["land_use"] == "cultures")]
    assert within(n2o[n2o["from_land_use"].isin(PRAIRIES)]["value_native"].sum(), -0.9, decimals)


@pytest.mark.parametrize(("release", "expected"), [("HETRE", -663.9), ("CHANTERELLE", -646.8)])
def test_h4_c4_carbon_into_cultures(case_result, release, expected):
    assert within(carbon_into(case_result(release), "200007177", "cultures"), expected, 1)


@pytest.mark.parametrize(
    ("release", "siren", "land_use", "expected"),
    [
        ("HETRE", "200007177", "vergers", 51),  # H5
        ("HETRE", "200015162", "vignes", 17),  # H6
        ("HETRE", "200040798", "vignes", 0),  # H7: zero entries exist in HETRE, so the summary does
        ("HETRE", "200042992", "zones humides", 3388),  # H8
        ("HETRE", "200055887", "zones humides", 416),  # H9
        ("CHANTERELLE", "200007177", "vergers", 51),  # C5
        ("CHANTERELLE", "200015162", "vignes", 17),  # C6
        ("CHANTERELLE", "200042992", "zones humides", 3260),  # C8
        ("CHANTERELLE", "200055887", "zones humides", 430),  # C9
    ],
)
def test_h5_to_h9_c5_to_c9_summary_by_land_use(case_result, release, siren, land_use, expected):
    summary = aldo_summary(case_result(release), siren, land_use)
    assert summary is not None
    assert within(summary, expected, 0)


@pytest.mark.parametrize("release", ["HETRE", "CHANTERELLE"])
def test_h21_c14_forty_forest_biomass_flux_entries(france_bundle, case_result, release):
    """ALDO finds 40 forest entries for 200000172: its 7 communes have 10 rows in the real IGN file, 4 compositions
    each. The bundles have one row per commune, so the test builds the real layout: 3 communes split in two."""
    bundle = with_second_forest_rows(france_bundle(release), "200000172", communes=3, groupeser="G1")
    result = compute(bundle, {"200000172": bundle.epci_members()["200000172"]}, details=True)

    rows = result.details["forest_rows"]
    assert len(rows[rows["territory"] == "200000172"]) == 40
    forest_area = "measure == 'surface' and land_use.str.startswith('forêt') and territory == '200000172'"
    split_area = result.values.query(forest_area)["value"].sum()
    assert split_area == pytest.approx(case_result(release).values.query(forest_area)["value"].sum(), rel=1e-12)
