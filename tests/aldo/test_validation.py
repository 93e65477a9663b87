"""Validation of ALDO bundles: the real bundles are valid, every malformed bundle is reported in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.aldo.problems import InvalidBundle, Problem
from indicators.aldo.sources import read_bundle_files
from indicators.aldo.validation import MAX_ROWS_PER_CHECK, validate_bundle_files
from tests.aldo.malformed import (
    EXPECTED_PROBLEMS,
    MALFORMED_CASES,
    SEVERAL_PROBLEMS_EXPECTED,
    VALID_VARIANTS,
    ExpectedProblem,
    build_bundle_with_several_problems,
    read_csv,
    sample_bundle_files,
    write_csv,
)

REPOSITORY = Path(__file__).resolve().parents[2]
SHARED_BUNDLES = REPOSITORY.parent / "shared" / "aldo" / "bundles"
FIXTURE_BUNDLES = REPOSITORY / "fixtures" / "aldo"


def problems_of(path: Path) -> list[Problem]:
    """What an import reports: archive problems (InvalidBundle) or content problems."""
    try:
        files = read_bundle_files(path)
    except InvalidBundle as invalid:
        return invalid.problems
    return validate_bundle_files(files)


def matches(problem: Problem, expected: ExpectedProblem) -> bool:
    return (
        problem.file == expected.file
        and (expected.column is None or problem.column == expected.column)
        and (expected.row is None or problem.row == expected.row)
        and expected.message_contains in problem.message
    )


def assert_reported(problems: list[Problem], expected: ExpectedProblem) -> None:
    listing = "\n".join(str(problem) for problem in problems)
    assert any(matches(problem, expected) for problem in problems), f"{expected} absent de :\n{listing}"


@pytest.mark.shared
@pytest.mark.parametrize("bundle", ["hetre", "chanterelle", "hetre_france", "chanterelle_france"])
def test_shared_bundles_have_no_problem(bundle):
    if not SHARED_BUNDLES.is_dir():
        pytest.skip(f"{SHARED_BUNDLES} is absent (the shared ALDO data pack is not checked out next to the project)")
    assert validate_bundle_files(read_bundle_files(SHARED_BUNDLES / bundle)) == []


@pytest.mark.parametrize("bundle", ["hetre", "chanterelle"])
def test_fixture_bundles_have_no_problem(bundle):
    assert validate_bundle_files(read_bundle_files(FIXTURE_BUNDLES / bundle)) == []


@pytest.mark.parametrize(("name", "build"), VALID_VARIANTS, ids=[name for name, _ in VALID_VARIANTS])
def test_valid_variants_are_accepted(name, build, tmp_path):
    assert problems_of(build(tmp_path)) == []


@pytest.mark.parametrize(("name", "build"), MALFORMED_CASES, ids=[name for name, _ in MALFORMED_CASES])
def test_malformed_bundle_is_reported(name, build, tmp_path):
    problems = problems_of(build(tmp_path))

    assert problems, f"{name}: aucun problème signalé"
    assert_reported(problems, EXPECTED_PROBLEMS[name])
    assert all(problem.message.endswith(".") for problem in problems)


def test_corpus_has_at_least_25_cases():
    assert len(MALFORMED_CASES) >= 25
    assert set(EXPECTED_PROBLEMS) == {name for name, _ in MALFORMED_CASES}


def test_independent_problems_are_all_reported_together(tmp_path):
    problems = problems_of(build_bundle_with_several_problems(tmp_path))

    for expected in SEVERAL_PROBLEMS_EXPECTED:
        assert_reported(problems, expected)


def test_archive_problems_raise_invalid_bundle_with_a_french_summary(tmp_path):
    name, build = next((name, build) for name, build in MALFORMED_CASES if name == "zip_slip")

    with pytest.raises(InvalidBundle) as raised:
        read_bundle_files(build(tmp_path))

    assert str(raised.value).startswith("Le millésime contient 1 problème : bundle.zip : ")


def test_repeated_problem_is_capped_with_a_summary_line():
    files = sample_bundle_files()
    areas = read_csv(files, "clc_areas.csv")
    areas["area_ha"] = "-1"
    write_csv(files, "clc_areas.csv", areas)

    problems = [problem for problem in validate_bundle_files(files) if problem.column == "area_ha"]

    assert len(problems) == MAX_ROWS_PER_CHECK + 1
    assert [problem.row for problem in problems[:3]] == [2, 3, 4]
    summary = problems[-1]
    assert summary.row is None
    assert summary.message == f"… et {len(areas) - MAX_ROWS_PER_CHECK} autres lignes : surface négative."


def test_thousands_are_grouped_in_the_summary_line():
    files = sample_bundle_files()
    areas = read_csv(files, "clc_areas.csv")
    many_areas = areas.iloc[[0] * 1300].assign(territory_id="99999", area_ha="1")
    write_csv(files, "clc_areas.csv", many_areas.reset_index(drop=True))

    problems = [problem for problem in validate_bundle_files(files) if problem.column == "territory_id"]

    assert problems[-1].message.startswith("… et 1 280 autres lignes")


def test_unknown_rule_set_still_reports_unreadable_files():
    files = sample_bundle_files()
    files["manifest.json"] = b'{"aldo_release": "chanterelle"}'
    files["hedges.csv"] = files["hedges.csv"].decode().replace(",", ";").encode()

    problems = validate_bundle_files(files)

    assert [(problem.file, problem.column) for problem in problems] == [
        ("manifest.json", "aldo_release"),
        ("hedges.csv", None),
    ]
    assert "CHANTERELLE, HETRE" in problems[0].message


@pytest.mark.parametrize("release", ['["CHANTERELLE"]', "2023", "null"])
def test_release_that_is_not_a_known_name_is_reported(release):
    files = sample_bundle_files()
    files["manifest.json"] = f'{{"aldo_release": {release}}}'.encode()

    problems = validate_bundle_files(files)

    assert [problem.file for problem in problems] == ["manifest.json"]
    assert problems[0].column == "aldo_release"


def test_aisne_departement_code_of_hedges_is_not_a_problem():
    """ALDO writes Aisne "2" in the hedge carbon table and "02" in hedges.csv (METHOD.md §2.5): both are legitimate."""
    files = sample_bundle_files()
    assert set(read_csv(files, "hedges.csv")["dep_code"]) == {"02"}
    assert "2" in set(read_csv(files, "ref_hedge_carbon.csv")["dep_code"])

    assert validate_bundle_files(files) == []


def test_problem_as_dict_and_text():
    problem = Problem("clc_areas.csv", 5, "area_ha", "surface négative « -1 » ; attendu : un nombre positif ou nul.")

    assert problem.as_dict() == {
        "file": "clc_areas.csv",
        "row": 5,
        "column": "area_ha",
        "message": "surface négative « -1 » ; attendu : un nombre positif ou nul.",
    }
    assert str(problem) == (
        "clc_areas.csv, ligne 5, colonne « area_ha » : surface négative « -1 » ; attendu : un nombre positif ou nul."
    )
    assert str(InvalidBundle([problem, problem])).startswith("Le millésime contient 2 problèmes (premier : ")
