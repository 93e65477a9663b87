"""Importing a series: every problem of a malformed series is reported (file, row, column, in French) and nothing
published changes; a valid one is staged, reviewed against the published revision, published, unpublished, discarded,
each action logged."""

import pytest
from django.core.management import CommandError, call_command

from indicators.models import ActionLog, SeriesValue, SeriesVersion
from indicators.registry import get, indicators
from indicators.series.selectors import baseline_for, compare_versions
from indicators.series.services import discard_series, import_series, publish_series, unpublish_series
from indicators.series.validation import InvalidSeries, parse_number
from indicators.services import ReleaseActionError

from .malformed import CASES, METADATA, VALUES, metadata_with

pytestmark = pytest.mark.django_db


def stage(metadata: str = METADATA, values: str = VALUES, **names) -> SeriesVersion:
    return import_series(
        metadata.encode(), names.get("metadata_name", "metadonnees.toml"), values.encode(), "valeurs.csv"
    )


def published_state() -> list[tuple]:
    """Every published version and its values: what visitors see."""
    versions = list(SeriesVersion.objects.published().order_by("slug").values_list("pk", "slug", "revision"))
    values = list(
        SeriesValue.objects.filter(version__status="published").order_by("pk").values_list("version_id", "value")
    )
    return versions + values


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_malformed_series_is_refused_with_its_place_and_changes_nothing_published(releases, case):
    before = published_state()
    with pytest.raises(InvalidSeries) as refused:
        stage(case.metadata, case.values)
    problem = next((p for p in refused.value.problems if case.message in p.message), None)
    assert problem is not None, [str(p) for p in refused.value.problems]
    assert (problem.file, problem.row, problem.column) == (case.file, case.row, case.column)
    assert published_state() == before
    assert not SeriesVersion.objects.filter(slug="emissions-ges-epci").exists()
    logged = ActionLog.objects.filter(action="series_import").latest("at")
    assert logged.result.startswith("échec : La série contient") and logged.checksum


def test_every_problem_is_reported_at_once(releases):
    values = VALUES + "epci;999999999;2018;12\nepci;200093201;2019;beaucoup\n"
    with pytest.raises(InvalidSeries) as refused:
        stage(metadata_with(unite='"Mt"', licence=None), values)
    columns = {(problem.file, problem.column) for problem in refused.value.problems}
    assert {("metadonnees.toml", "unite"), ("metadonnees.toml", "licence")} <= columns
    assert str(refused.value).startswith("La série contient 2 problèmes")  # values are read once metadata is valid

    with pytest.raises(InvalidSeries) as refused:
        stage(values=values)
    assert [(problem.row, problem.column) for problem in refused.value.problems] == [
        (6, "code_territoire"),
        (7, "valeur"),
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7 310,5", 7310.5),
        ("\u22121\u202f234,5", -1234.5),
        ("-1234.5", -1234.5),
        ("52", 52.0),
        ("", None),
        ("nan", None),
    ],
)
def test_numbers_as_spreadsheets_write_them(text, number):
    assert parse_number(text) == number


def test_a_comma_separated_file_with_a_byte_order_mark_is_read_too(releases):
    values = "\ufeff" + VALUES.replace(";", ",").replace("7 310,5", '"7310,5"').replace("7 012,25", "7012.25")
    values = values.replace("310,4", '"310,4"')
    version = stage(values=values)
    assert sorted(version.values.values_list("value", flat=True)) == [310.4, 820.0, 7012.25, 7310.5]


def test_stage_review_publish_supersede_unpublish_and_log(releases, committed):
    first = stage()
    assert first.status == "staged" and first.revision == 1 and first.row_count == 4
    assert get("emissions-ges-epci") is None  # staged: not on the site

    committed(publish_series, first)
    assert get("emissions-ges-epci").series.version_id == first.pk
    assert "emissions-ges-epci" in [indicator.slug for indicator in indicators()]

    corrected = stage(values=VALUES.replace("820", "850").replace("epci;200018083;2018;310,4\n", ""))
    assert corrected.revision == 2 and baseline_for(corrected) == first
    changes = compare_versions(baseline_for(corrected), corrected)
    assert (changes.compared, changes.changed, changes.added, changes.removed) == (3, 1, 0, 1)
    assert changes.rows[0]["change"] == pytest.approx(30.0)
    assert get("emissions-ges-epci").series.version_id == first.pk  # the published revision stays until publication

    committed(publish_series, corrected)
    first.refresh_from_db()
    assert first.status == "superseded"
    assert get("emissions-ges-epci").series.revision == 2

    committed(unpublish_series, corrected)
    assert get("emissions-ges-epci") is None
    with pytest.raises(ReleaseActionError):
        unpublish_series(corrected)

    third = stage()
    discard_series(third)
    assert not third.values.exists()
    with pytest.raises(ReleaseActionError):
        publish_series(third)
    actions = list(
        ActionLog.objects.filter(series__slug="emissions-ges-epci")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "series_import",
        "series_publish",
        "series_import",
        "series_publish",
        "series_unpublish",
        "series_import",
        "series_discard",
    ]


def test_import_series_command_stages_and_publishes(releases, tmp_path, capsys, committed):
    (tmp_path / "metadonnees.toml").write_text(METADATA)
    (tmp_path / "valeurs.csv").write_text(VALUES)
    committed(call_command, "import_series", tmp_path, publish=True)
    assert "publiée" in capsys.readouterr().out
    assert get("emissions-ges-epci").series.metadata.unit == "ktCO2e/an"

    (tmp_path / "valeurs.csv").write_text(VALUES + "epci;999999999;2018;12\n")
    with pytest.raises(CommandError, match="La série contient 1 problème"):
        call_command("import_series", tmp_path)
    assert "valeurs.csv, ligne 6, colonne « code_territoire »" in capsys.readouterr().err
