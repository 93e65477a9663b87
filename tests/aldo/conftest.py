"""Fixtures for the ALDO engine tests: the shared reference data pack (../shared/aldo next to the checkout)."""

import functools
from pathlib import Path

import pytest

from indicators.aldo import compute, load_bundle

from .aldo_cases import case_territories

FRANCE_BUNDLES = {"HETRE": "hetre_france", "CHANTERELLE": "chanterelle_france"}


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


@pytest.fixture(scope="session")
def france_bundle(aldo_dir):
    """Release name ("HETRE", "CHANTERELLE") -> its France bundle, loaded once."""
    return functools.cache(lambda release: load_bundle(aldo_dir / "bundles" / FRANCE_BUNDLES[release]))


@pytest.fixture(scope="session")
def case_result(france_bundle):
    """Release name -> the result (with details) of the EPCIs of ALDO's own test cases, computed once."""

    @functools.cache
    def result(release):
        result = compute(france_bundle(release), case_territories(france_bundle(release)), details=True)
        assert result.unavailable == {}
        return result

    return result
