"""Fixtures for the ALDO engine tests: the shared reference data pack (../shared/aldo next to the checkout)."""

from pathlib import Path

import pytest


def shared_path() -> Path:
    """../shared next to the checkout."""
    return Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = shared_path()
    if not (path / "aldo").is_dir():
        pytest.skip(f"../shared/aldo not found: {path / 'aldo'} (the ALDO reference data pack)")
    return path


@pytest.fixture(scope="session")
def aldo_dir(shared_dir) -> Path:
    return shared_dir / "aldo"
