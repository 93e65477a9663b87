"""load_territories: counts, codes, memberships, crosswalk, idempotency, single transaction."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from territories import services
from territories.models import Correspondence, Membership, Territory
from territories.services import load_territories

pytestmark = pytest.mark.usefixtures("loaded_territories")

SOURCE = settings.FIXTURES_DIR / "territories"


def counts() -> dict[tuple[str, str], int]:
    rows = Territory.objects.values("kind", "geography").annotate(n=Count("id"))
    return {(row["kind"], row["geography"]): row["n"] for row in rows}


def get(kind, code, geography):
    return Territory.objects.get(kind=kind, code=code, geography=geography)


def test_counts_per_kind_and_geography():
    assert counts() == {
        ("commune", "2018"): 3798 + 88,
        ("commune", "2026"): 3782,
        ("epci", "2018"): 94,
        ("epci", "2026"): 92,
        ("departement", "2018"): 5,
        ("departement", "2026"): 5,
        ("region", "2018"): 1,
        ("region", "2026"): 1,
        ("pnr", "2018"): 5,
        ("pnr", "2026"): 5,
    }
    assert Territory.objects.filter(kind="commune", geography="2018", in_region=False).count() == 88


def test_codes_keep_leading_zeros_and_attributes():
    commune = get("commune", "02198", "2026")
    assert commune.code == "02198"
    assert commune.attributes["departement"] == "02"
    assert get("departement", "02", "2018").name == "Aisne"
    lille = get("commune", "59350", "2018")
    assert lille.population == 232741  # population_aldo
    assert lille.geometry["type"] in {"Polygon", "MultiPolygon"}
    assert get("commune", "59350", "2026").population != lille.population  # population municipale 2023
    mel = get("epci", "200093201", "2026")
    assert mel.attributes["nature"] == "METRO" and mel.geometry is not None
    normandy = get("commune", "27010", "2018")
    assert normandy.in_region is False and normandy.geometry is None
    assert get("region", "32", "2026").geometry is not None


def test_memberships():
    interregional = get("epci", "200069722", "2018")
    communes = Territory.objects.filter(member_of__group=interregional)
    assert communes.count() == 44
    assert communes.filter(in_region=False).count() == 34
    assert Territory.objects.filter(member_of__group=get("epci", "200069722", "2026")).count() == 10
    assert Membership.objects.filter(group=get("region", "32", "2018")).count() == 3798
    assert Membership.objects.filter(group=get("region", "32", "2026")).count() == 3782
    assert Membership.objects.filter(group=get("departement", "62", "2018")).count() == 891
    assert Membership.objects.filter(group=get("departement", "62", "2026")).count() == 887
    assert Membership.objects.filter(group=get("epci", "200093201", "2026")).count() == 95
    assert Membership.objects.filter(group=get("epci", "245900410", "2018")).count() == 90
    # PNR Scarpe-Escaut: the 57 classified communes only; the other 4 PNR have no known members.
    scarpe = Membership.objects.filter(group=get("pnr", "FR8000037", "2026"))
    assert scarpe.count() == 57 and set(scarpe.values_list("status", flat=True)) == {"classee"}
    assert Membership.objects.filter(group=get("pnr", "FR8000037", "2018")).count() == 57
    avesnois = get("pnr", "FR8000036", "2026")
    assert not avesnois.memberships.exists() and avesnois.attributes["membership_known"] is False


def test_crosswalk():
    mel = get("epci", "200093201", "2026")
    predecessors = {c.source.code: c for c in Correspondence.objects.filter(target=mel).select_related("source")}
    assert set(predecessors) == {"245900410", "245901061"}
    assert predecessors["245901061"].share_of_source == 1.0
    assert predecessors["245901061"].share_of_target == pytest.approx(0.0358)
    # Code reuse trap: ALDO 60054 (Les Hauts Talican) → 2026 60054 (Beaumont-les-Nonains) + 60694.
    talican = get("commune", "60054", "2018")
    targets = Correspondence.objects.filter(source=talican).select_related("target")
    assert {c.target.code: round(c.share_of_source, 2) for c in targets} == {"60054": 0.42, "60694": 0.58}
    assert Correspondence.objects.filter(source__kind="commune").count() == 3799
    # Every 2018 EPCI row of the crosswalk except 2018 Vexin Normand → its 2025 self (a Normandy EPCI).
    assert Correspondence.objects.filter(source__kind="epci").count() == 101


def test_second_run_changes_nothing():
    before = (counts(), Membership.objects.count(), Correspondence.objects.count())
    summary = load_territories(SOURCE)
    assert not summary.changed, summary.lines()
    assert (counts(), Membership.objects.count(), Correspondence.objects.count()) == before


def test_reload_repairs_and_removes_stale_memberships():
    lille = get("commune", "59350", "2026")
    Membership.objects.filter(commune=lille, group__kind="epci").delete()
    Membership.objects.create(group=get("epci", "200069722", "2026"), commune=lille)
    Territory.objects.filter(pk=lille.pk).update(name="Lille (modifiée)")
    summary = load_territories(SOURCE)
    assert (summary.memberships_created, summary.memberships_deleted, summary.territories_updated) == (1, 1, 1)
    lille.refresh_from_db()
    assert lille.name == "Lille"
    assert {g.code for g in Territory.objects.filter(memberships__commune=lille, kind="epci")} == {"200093201"}


def test_load_is_one_transaction(monkeypatch):
    lille = get("commune", "59350", "2026")
    Membership.objects.filter(commune=lille).delete()
    Territory.objects.filter(pk=lille.pk).update(name="Lille (modifiée)")
    before = (counts(), Membership.objects.count(), Correspondence.objects.count())

    def fail(plan, ids, summary):
        raise RuntimeError("simulated failure after territories and memberships")

    monkeypatch.setattr(services, "_write_correspondences", fail)
    with pytest.raises(RuntimeError):
        load_territories(SOURCE)
    lille.refresh_from_db()
    assert lille.name == "Lille (modifiée)"  # the territory update was rolled back
    assert (counts(), Membership.objects.count(), Correspondence.objects.count()) == before


def test_command_prints_a_summary(capsys):
    call_command("load_territories", "--source", str(SOURCE))
    out = capsys.readouterr().out
    assert "commune" in out and "3886" in out and "nothing changed" in out
