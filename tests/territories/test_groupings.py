"""Groupings of communes: members read from a URL or a file, resolved to 2018 communes through the crosswalk, written
as territories that load_territories leaves alone, and retired."""

import pytest
from django.conf import settings

from territories import vintages
from territories.grouping_files import read_groupings
from territories.groupings import (
    MAX_MEMBERS,
    InvalidMembers,
    Member,
    read_members,
    resolve,
)
from territories.models import Correspondence, Grouping, Membership, Territory
from territories.selectors import computation_bases, counterpart, search_territories
from territories.services import GroupingError, load_territories, publish_grouping, retire_grouping

pytestmark = pytest.mark.usefixtures("loaded_territories")
CURRENT, ALDO = vintages.CURRENT.code, vintages.ALDO.code
HEADER = "kind,code,name,member_kind,member_code,geography\n"


def aldo_codes(resolution) -> list[str]:
    return list(resolution.composition.codes)


def members_of(kind: str, code: str, geography: str) -> list[str]:
    group = Territory.objects.get(kind=kind, code=code, geography=geography)
    return sorted(Territory.objects.filter(member_of__group=group).values_list("code", flat=True))


# --- members from a URL ------------------------------------------------------------------------------------------


def test_members_are_read_comma_separated_in_any_order():
    assert read_members(" 80021, 2a004 ,,80001", "200071785") == [
        Member("commune", "80021"),
        Member("commune", "2A004"),
        Member("commune", "80001"),
        Member("epci", "200071785"),
    ]


@pytest.mark.parametrize(
    ("communes", "epcis", "parameter", "named"),
    [
        ("8002x", "", "communes", "« 8002X »"),
        ("80021,123", "", "communes", "« 123 »"),
        ("", "24800053", "epcis", "« 24800053 »"),
        ("<script>", "", "communes", "« <SCRIPT> »"),
    ],
)
def test_a_malformed_code_is_refused_and_named(communes, epcis, parameter, named):
    with pytest.raises(InvalidMembers) as refused:
        read_members(communes, epcis)
    assert refused.value.status == 400 and refused.value.parameter == parameter
    assert named in refused.value.message


def test_no_member_or_too_many_members_is_a_clear_refusal():
    with pytest.raises(InvalidMembers, match="Aucun membre"):
        read_members(" , ", "")
    too_many = ",".join(f"{59000 + n:05d}" for n in range(MAX_MEMBERS + 1))
    with pytest.raises(InvalidMembers, match=f"au plus {MAX_MEMBERS}"):
        read_members(too_many, "")


# --- resolution --------------------------------------------------------------------------------------------------


def test_a_commune_listed_twice_or_with_its_epci_is_counted_once_and_said_so():
    alone = resolve([Member("epci", "248000531")], ALDO)
    repeated = resolve(
        [Member("commune", "80021"), Member("epci", "248000531"), Member("epci", "248000531")]
        + [Member("commune", "80021")],
        ALDO,
    )
    assert aldo_codes(repeated) == aldo_codes(alone) and "80021" in aldo_codes(alone)
    notes = [member.counted_once for member in repeated.members]
    assert notes[0] == "déjà comprise dans l'intercommunalité CA Amiens Métropole (248000531), comptée une fois"
    assert notes[1] == "" and notes[2] == "listée deux fois, comptée une fois"
    assert notes[3].startswith("déjà comprise")
    assert not repeated.problems


def test_a_commune_merged_since_2018_resolves_to_its_2018_communes():
    hesdin = resolve([Member("commune", "62447")], CURRENT)  # Hesdin-la-Forêt, commune nouvelle
    assert aldo_codes(hesdin) == ["62447", "62461", "62549", "62743"]
    assert [commune.code for commune in hesdin.given_communes] == ["62447"]
    same_code_2018 = resolve([Member("commune", "62447")], ALDO)
    assert aldo_codes(same_code_2018) == ["62447"]  # the same code means another perimeter in 2018


def test_a_commune_split_since_2018_maps_only_with_all_its_parts():
    # 2018's Les Hauts Talican (60054) is today's Beaumont-les-Nonains (60054) and Les Hauts-Talican (60694).
    part = resolve([Member("commune", "60054")], CURRENT)
    assert part.problems and "Les Hauts Talican" in part.problems[0] and "Les Hauts-Talican" in part.problems[0]
    whole = resolve([Member("commune", "60054"), Member("commune", "60694")], CURRENT)
    assert not whole.problems and aldo_codes(whole) == ["60054"]


def test_unknown_codes_are_reported_with_their_geography():
    found = resolve([Member("commune", "99999"), Member("epci", "245900410")], CURRENT)
    assert [m.problem for m in found.unknown] == [
        "Commune inconnue en géographie actuelle : 99999.",
        "Intercommunalité inconnue en géographie actuelle : 245900410.",  # MEL's 2018 SIREN
    ]
    assert not resolve([Member("epci", "245900410")], ALDO).unknown


def test_an_interregional_epci_keeps_its_communes_outside_the_region():
    today = resolve([Member("epci", "200069722")], CURRENT)
    outside = today.composition.outside_region
    assert outside and all(commune.departement == "76" for commune in outside)
    assert today.composition.epci_union and today.composition.epcis == ("200069722",)


def test_composition_tells_a_union_of_whole_2018_epcis():
    union = resolve([Member("epci", "248000531"), Member("epci", "200071785")], ALDO).composition
    assert union.epci_union and union.whole_epcis == ("200071785", "248000531") and not union.loose
    assert union.departements == ("02", "80")
    partial = resolve([Member("epci", "248000531"), Member("commune", "02001")], ALDO).composition
    assert not partial.epci_union and partial.loose == ("02001",) and partial.whole_epcis == ("248000531",)


# --- files of groupings ------------------------------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_with_its_row_and_column():
    content = (
        HEADER
        + "scot,SCOT-1,SCoT un,commune,80021,2026\n"
        + "sCoT,SCOT-1,SCoT un,commune,80001,2026\n"
        + "scot,SCOT 1,SCoT un,commune,80001,2026\n"
        + "scot,SCOT-1,,commune,80001,2026\n"
        + "scot,SCOT-1,SCoT un,iris,80001,2026\n"
        + "scot,SCOT-1,SCoT un,epci,80001,2026\n"
        + "scot,SCOT-1,SCoT un,commune,80001,2031\n"
        + "scot,SCOT-1,SCoT deux,commune,80001,2026\n"
        + "scot,SCOT-1,SCoT un,commune,99999,2026\n"
        + "scot,SCOT-1,SCoT un,commune,60054,2026\n"
        + "pnr,FR8000037,Scarpe-Escaut,commune,59007,2026\n"
    )
    drafts, problems = read_groupings(content.encode(), "scot.csv")
    found = [(p["row"], p["column"]) for p in problems]
    assert found == [
        (3, "kind"),
        (4, "code"),
        (5, "name"),
        (6, "member_kind"),
        (7, "member_code"),
        (8, "geography"),
        (9, "name"),
        (10, "member_code"),
        (11, "member_code"),
        (12, "code"),
    ]
    assert all(p["file"] == "scot.csv" for p in problems)
    messages = {(p["row"], p["column"]): p["message"] for p in problems}
    assert messages[(3, "kind")] == "Type « sCoT » inconnu : scot, pays, pnr, groupement."
    assert "« SCoT deux » diffère de la ligne 2" in messages[(9, "name")]
    assert messages[(10, "member_code")] == "Commune inconnue en géographie actuelle : 99999."
    assert "Les Hauts Talican" in messages[(11, "member_code")]
    assert "fichiers de référence" in messages[(12, "code")]  # Scarpe-Escaut has its communes in the files


def test_file_level_problems_name_the_file():
    _, missing = read_groupings(b"kind;code;name\nscot;S;n\n", "x.csv")
    assert missing == [
        {
            "file": "x.csv",
            "row": 1,
            "column": None,
            "message": "Colonne(s) manquante(s) : member_kind, member_code, geography. Colonnes attendues : kind, "
            "code, name, member_kind, member_code, geography (trouvées : kind, code, name).",
        }
    ]
    _, latin1 = read_groupings((HEADER + "scot,S,Périmètre,commune,80021,2026\n").encode("latin-1"), "x.csv")
    assert latin1[0]["row"] == 2 and "UTF-8" in latin1[0]["message"]
    _, empty = read_groupings(HEADER.encode(), "x.csv")
    assert empty[0]["message"] == "Le fichier ne contient aucun regroupement."


def test_a_french_excel_file_is_read():
    content = "\ufeffkind;code;name;member_kind;member_code;geography\r\nscot;S-1;SCoT;epci;248000531;2018\r\n"
    drafts, problems = read_groupings(content.encode("utf-8"), "excel.csv")
    assert not problems and [(d.kind, d.code, d.name) for d in drafts] == [("scot", "S-1", "SCoT")]
    assert drafts[0].as_dict()["epci_union"] is True


# --- groupings written as territories ----------------------------------------------------------------------------


def test_a_grouping_is_written_in_the_aldo_vintage_and_in_the_vintage_of_its_members():
    members = [Member("commune", "62447"), Member("epci", "200071785")]
    written = publish_grouping("scot", "SCOT-T", "SCoT de test", CURRENT, members)

    aldo = Territory.objects.get(kind="scot", code="SCOT-T", geography=ALDO)
    today = Territory.objects.get(kind="scot", code="SCOT-T", geography=CURRENT)
    assert sorted(written) == sorted([aldo.pk, today.pk])
    assert {"62447", "62461", "62549", "62743"} <= set(members_of("scot", "SCOT-T", ALDO))
    assert "62461" not in members_of("scot", "SCOT-T", CURRENT)
    assert counterpart(today).same_perimeter
    assert aldo.attributes["departements"] == ["02", "62"] and aldo.attributes["membership_known"]
    bases = computation_bases("commune")
    assert bases[today.pk].units == bases[aldo.pk].units == tuple(members_of("scot", "SCOT-T", ALDO))
    assert ("scot", "SCOT-T", CURRENT) in [(t.kind, t.code, t.geography) for t in search_territories("scot de test")]


def test_a_grouping_that_cannot_be_mapped_exactly_is_not_written():
    with pytest.raises(GroupingError, match="Les Hauts Talican"):
        publish_grouping("pays", "P", "Pays", CURRENT, [Member("commune", "60054")])
    assert not Territory.objects.filter(kind="pays", code="P").exists()


def test_load_territories_leaves_an_imported_pnr_alone_and_retiring_gives_it_back():
    avesnois = Territory.objects.get(kind="pnr", code="FR8000036", geography=CURRENT)
    before = (avesnois.name, avesnois.attributes)
    communes = [Member("commune", code) for code in ("59001", "59002")]
    publish_grouping("pnr", "FR8000036", "PNR de l'Avesnois", CURRENT, communes)
    assert members_of("pnr", "FR8000036", CURRENT) == ["59001", "59002"]

    summary = load_territories(settings.FIXTURES_DIR / "territories")
    assert not summary.changed, summary.lines()
    assert "pnr:FR8000036:2026" in summary.left_to_groupings
    assert members_of("pnr", "FR8000036", CURRENT) == ["59001", "59002"]
    assert Territory.objects.get(pk=avesnois.pk).attributes["membership_known"] is True

    given_back = retire_grouping(Grouping.objects.get(kind="pnr", code="FR8000036"))
    avesnois.refresh_from_db()
    assert avesnois.pk in given_back and (avesnois.name, avesnois.attributes) == before
    assert not Membership.objects.filter(group__kind="pnr", group__code="FR8000036").exists()
    assert not Correspondence.objects.filter(source__kind="pnr", source__code="FR8000036").exists()
    assert not load_territories(settings.FIXTURES_DIR / "territories").changed


def test_retiring_a_grouping_the_editors_made_removes_its_territories():
    publish_grouping("groupement", "G-1", "Mon groupement", ALDO, [Member("epci", "248000531")])
    assert Territory.objects.filter(kind="groupement", code="G-1").count() == 1  # given in ALDO's vintage
    retire_grouping(Grouping.objects.get(code="G-1"))
    assert not Territory.objects.filter(kind="groupement", code="G-1").exists()
    assert not Grouping.objects.get(code="G-1").is_active
    with pytest.raises(GroupingError, match="déjà retiré"):
        retire_grouping(Grouping.objects.get(code="G-1"))


def test_members_given_again_in_another_vintage_move_the_grouping():
    publish_grouping("scot", "S-2", "SCoT", CURRENT, [Member("epci", "200071785")])
    publish_grouping("scot", "S-2", "SCoT", ALDO, [Member("epci", "200071785")])
    assert list(Territory.objects.filter(kind="scot", code="S-2").values_list("geography", flat=True)) == [ALDO]
    assert Grouping.objects.get(code="S-2").geography == ALDO


def test_a_nul_character_is_reported_and_never_stored():
    content = HEADER + "scot,S-1,SCoT\x00,commune,80021,2026\n"
    drafts, problems = read_groupings(content.encode(), "nul.csv")
    assert [(p["row"], p["column"]) for p in problems] == [(2, "name")]
    assert "\x00" not in repr(problems) and "Caractère nul" in problems[0]["message"]
