"""The worked example of docs/bundle_format.md runs, gives the files it shows, and those files import."""

import re
from pathlib import Path

import pytest

from indicators.aldo import compute
from indicators.aldo.bundle import bundle_from_files
from indicators.aldo.sources import read_bundle_files
from indicators.aldo.validation import validate_bundle_files

from .synthetic import FIXTURES

DOC = Path(__file__).resolve().parents[2] / "docs" / "bundle_format.md"


@pytest.fixture(scope="module")
def example_blocks() -> list[str]:
    """The fenced blocks of the worked example: input CSV, Python, land_use_areas.csv, hedges.csv."""
    section = DOC.read_text().split("## Worked example", 1)[1]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, flags=re.DOTALL)
    assert [language for language, _ in blocks] == ["csv", "python", "csv", "csv"]
    return [text for _, text in blocks]


def test_the_worked_example_gives_the_files_it_shows(example_blocks, tmp_path, monkeypatch):
    source, script, land_use_areas, hedges = example_blocks
    (tmp_path / "base_integrale.csv").write_text(source)
    monkeypatch.chdir(tmp_path)

    exec(compile(script, str(DOC), "exec"), {})

    assert (tmp_path / "land_use_areas.csv").read_text() == land_use_areas
    assert (tmp_path / "hedges.csv").read_text() == hedges


def test_the_files_of_the_worked_example_import_into_the_bundled_release(example_blocks):
    _, _, land_use_areas, hedges = example_blocks
    files = read_bundle_files(FIXTURES / "chanterelle")
    del files["clc_areas.csv"]
    files |= {"land_use_areas.csv": land_use_areas.encode(), "hedges.csv": hedges.encode()}
    assert validate_bundle_files(files) == []

    result = compute(bundle_from_files(files), {"02001": ["02001"], "80021": ["80021"]})

    surfaces = result.values[result.values["measure"] == "surface"].set_index(["territory", "land_use"])
    assert surfaces.loc[("02001", "cultures"), "value"] == 412.5
    assert surfaces.loc[("80021", "sols artificiels imperméabilisés"), "value"] == 2210.8
    assert surfaces.loc[("02001", "haies"), "value"] == pytest.approx(4.9)
    assert surfaces.loc[("80021", "zones humides"), "provenance"] == "original"
