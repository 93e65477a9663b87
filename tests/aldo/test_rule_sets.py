"""The registry of calculation methods: what each one declares, and that reading, validation and the engine use it."""

import json

import pytest

from indicators.aldo import COMPARISON_NOTE, RULE_SET_CHOICES, RULE_SETS, compute, release_note, rules_for
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.validation import validate_bundle_files

from .malformed import hetre_bundle_files, sample_bundle_files
from .synthetic import with_land_use_areas


def test_each_method_declares_what_users_read():
    assert list(RULE_SETS) == ["HETRE", "CHANTERELLE"]
    hetre, chanterelle = rules_for("HETRE"), rules_for("CHANTERELLE")
    assert (hetre.unit_kind, hetre.hedge_unit, hetre.label) == ("epci", "ha", "calcul par EPCI")
    assert (chanterelle.unit_kind, chanterelle.hedge_unit) == ("commune", "km")
    assert chanterelle.label == "calcul par commune"
    assert "273 au lieu de 298" in chanterelle.method_note
    assert "par EPCI de 2018" in hetre.method_note and "deux fois" in hetre.method_note
    assert RULE_SET_CHOICES == [
        ("HETRE", "HETRE (calcul par EPCI)"),
        ("CHANTERELLE", "CHANTERELLE (calcul par commune)"),
    ]
    assert "tendance" in COMPARISON_NOTE
    with pytest.raises(KeyError):
        rules_for("SAPIN")


@pytest.mark.parametrize(("rule_set", "files"), [("HETRE", hetre_bundle_files), ("CHANTERELLE", sample_bundle_files)])
def test_every_table_of_the_method_is_required(rule_set, files):
    rules = rules_for(rule_set)
    alternatives = {name for group in rules.exclusive_tables for name in group}
    assert alternatives == {"clc_areas.csv", "land_use_areas.csv"}
    for name in [name for name in rules.tables if name not in alternatives]:
        bundle = files()
        del bundle[name]

        problems = validate_bundle_files(bundle)

        assert [(problem.file, problem.message) for problem in problems] == [
            (name, f"fichier obligatoire absent pour les règles de calcul {rule_set}.")
        ]


@pytest.mark.parametrize(("rule_set", "files"), [("HETRE", hetre_bundle_files), ("CHANTERELLE", sample_bundle_files)])
def test_unit_areas_come_from_exactly_one_of_the_two_files(rule_set, files):
    neither = files()
    del neither["clc_areas.csv"]
    both = files() | {"land_use_areas.csv": with_land_use_areas(files())["land_use_areas.csv"]}

    assert [(problem.file, problem.message) for problem in validate_bundle_files(neither)] == [
        (
            "clc_areas.csv",
            f"fichier obligatoire absent pour les règles de calcul {rule_set} ; attendu : clc_areas.csv ou "
            "land_use_areas.csv (un seul de ces fichiers).",
        )
    ]
    assert [(problem.file, problem.message) for problem in validate_bundle_files(both)] == [
        (
            "land_use_areas.csv",
            "clc_areas.csv et land_use_areas.csv sont présents ensemble ; attendu : un seul de ces fichiers.",
        )
    ]
    assert validate_bundle_files(with_land_use_areas(files())) == []


@pytest.mark.parametrize(("rule_set", "files"), [("HETRE", hetre_bundle_files), ("CHANTERELLE", sample_bundle_files)])
def test_every_constant_of_the_method_is_required(rule_set, files):
    bundle = files()
    bundle["constants.csv"] = b"name,value,unit,note\nc_to_co2,3.666666667,tCO2/tC,\n"

    missing = {problem.message.split("« ")[1].split(" »")[0] for problem in validate_bundle_files(bundle)}

    assert missing == set(rules_for(rule_set).constants) - {"c_to_co2"}


def test_a_new_release_of_an_existing_method_needs_no_code():
    """A later CHANTERELLE release only differs by its manifest: it validates, computes, and its note says so."""
    files = sample_bundle_files()
    manifest = {
        "aldo_release": "CHANTERELLE",
        "aldo_commit": "a1b2c3d",
        "scope": "hdf",
        "note": "Millésime 2025 : mêmes règles, surfaces forestières IGN mises à jour.",
    }
    files["manifest.json"] = json.dumps(manifest).encode()
    assert validate_bundle_files(files) == []

    bundle = bundle_from_files(files)
    result = compute(bundle)

    assert bundle.rules is rules_for("CHANTERELLE") and bundle.unit_kind == "commune"
    assert not result.values.empty and result.unavailable == {}
    assert release_note(bundle.manifest) == (
        f"{rules_for('CHANTERELLE').method_note} Version de l'outil ALDO : a1b2c3d. "
        "Millésime 2025 : mêmes règles, surfaces forestières IGN mises à jour."
    )


def test_release_note_of_the_bundled_hetre_release():
    manifest = json.loads(hetre_bundle_files()["manifest.json"])

    assert release_note(manifest) == f"{rules_for('HETRE').method_note} Version de l'outil ALDO : 866dbeb2."
