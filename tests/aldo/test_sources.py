"""Reading a bundle from a folder or a .zip, without trusting the archive."""

from __future__ import annotations

import zipfile

import pytest

from indicators.aldo import sources
from indicators.aldo.problems import InvalidBundle
from indicators.aldo.sources import read_bundle_files
from tests.aldo.malformed import (
    build_folder,
    build_zip_bomb,
    build_zip_with_top_folder,
    sample_bundle_files,
    write_zip,
)


def test_folder_and_zip_give_the_same_files(tmp_path):
    expected = sample_bundle_files()
    (tmp_path / "folder").mkdir()
    (tmp_path / "zip").mkdir()

    assert read_bundle_files(build_folder(tmp_path / "folder")) == expected
    assert read_bundle_files(write_zip(expected, tmp_path / "zip" / "bundle.zip")) == expected


def test_single_top_level_folder_is_stripped(tmp_path):
    assert read_bundle_files(build_zip_with_top_folder(tmp_path)) == sample_bundle_files()


def test_folder_holding_one_bundle_folder_is_entered(tmp_path):
    build_folder(tmp_path)

    assert read_bundle_files(tmp_path) == sample_bundle_files()


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(InvalidBundle) as raised:
        read_bundle_files(tmp_path / "absent.zip")

    assert raised.value.problems[0].message == "fichier ou dossier introuvable."


def test_nothing_is_extracted_to_disk(tmp_path):
    path = write_zip(sample_bundle_files() | {"../../evil.csv": b"x"}, tmp_path / "bundle.zip")

    with pytest.raises(InvalidBundle):
        read_bundle_files(path)

    assert [child.name for child in tmp_path.iterdir()] == ["bundle.zip"]
    assert not (tmp_path.parent / "evil.csv").exists()


def test_zip_bomb_is_refused_from_declared_sizes_before_decompressing(tmp_path, monkeypatch):
    def fail(*args):
        raise AssertionError("the bomb must be refused before any decompression")

    monkeypatch.setattr(sources, "_read_entry_with_cap", fail)

    with pytest.raises(InvalidBundle) as raised:
        read_bundle_files(build_zip_bomb(tmp_path))

    assert "padding.csv" in raised.value.problems[0].message
    assert "bombe de décompression" in raised.value.problems[0].message


def test_decompression_stops_at_the_byte_budget(tmp_path):
    path = write_zip({"clc_areas.csv": bytes(10_000)}, tmp_path / "bundle.zip")

    with zipfile.ZipFile(path) as archive, pytest.raises(InvalidBundle) as raised:
        sources._read_entry_with_cap(archive, archive.getinfo("clc_areas.csv"), "bundle.zip", budget=4_000)

    assert "au-delà de la taille déclarée ou de la limite" in raised.value.problems[0].message


def test_total_size_limit_applies_to_declared_sizes(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_TOTAL_UNCOMPRESSED_BYTES", 1000)
    path = write_zip(sample_bundle_files(), tmp_path / "bundle.zip")

    with pytest.raises(InvalidBundle) as raised:
        read_bundle_files(path)

    assert "au plus 1000 octets" in raised.value.problems[0].message


def test_symlink_in_folder_is_refused(tmp_path):
    folder = build_folder(tmp_path)
    (folder / "constants.csv").unlink()
    (folder / "constants.csv").symlink_to("/etc/passwd")

    with pytest.raises(InvalidBundle) as raised:
        read_bundle_files(folder)

    assert [(problem.file, problem.message) for problem in raised.value.problems] == [
        ("constants.csv", "lien symbolique refusé ; attendu : un fichier ordinaire.")
    ]


def test_file_in_a_subfolder_is_reported(tmp_path):
    files = sample_bundle_files()
    files["extra/clc_areas.csv"] = files.pop("clc_areas.csv")

    with pytest.raises(InvalidBundle) as raised:
        read_bundle_files(write_zip(files, tmp_path / "bundle.zip"))

    assert "« extra/clc_areas.csv » est dans un sous-dossier" in raised.value.problems[0].message
