"""Small bundles for engine tests, cut from the Hauts-de-France bundles of fixtures/aldo (always present)."""

import io
from pathlib import Path

import pandas as pd

from indicators.aldo.sources import read_bundle_files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "aldo"
UNIT_COLUMNS = {
    "territories.csv": "territory_id",
    "clc_areas.csv": "territory_id",
    "clc_changes.csv": "territory_id",
    "hedges.csv": "territory_id",
}


def read_table(files: dict[str, bytes], name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False)


def write_table(files: dict[str, bytes], name: str, table: pd.DataFrame) -> None:
    files[name] = table.to_csv(index=False).encode()


def subset_files(release: str, unit_ids: list[str]) -> dict[str, bytes]:
    """The files of the fixture bundle `release`, keeping only these units (and their EPCI rows)."""
    files = read_bundle_files(FIXTURES / release)
    for name, column in UNIT_COLUMNS.items():
        table = read_table(files, name)
        keep = table[column].isin(unit_ids)
        if name == "territories.csv" and "epci_siren" in table:
            sirens = set(table.loc[keep, "epci_siren"])
            keep |= (table["territory_type"] == "epci") & table[column].isin(sirens)
        write_table(files, name, table[keep])
    forest = read_table(files, "forest_areas.csv")
    unit_column = "insee" if release == "chanterelle" else "epci_siren"
    write_table(files, "forest_areas.csv", forest[forest[unit_column].isin(unit_ids)])
    return files


def write_bundle(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder
