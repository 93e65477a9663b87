"""Small bundles for engine tests, cut from the Hauts-de-France bundles of fixtures/aldo (always present), and their
land-use route (land_use_areas.csv instead of clc_areas.csv)."""

import io
from pathlib import Path

import pandas as pd

from indicators.aldo.sources import read_bundle_files
from indicators.aldo.stocks import split_artificial

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


# METHOD.md §1: the CLC 2018 codes of each non-forest land use. Impermeable and grassy-shrubby artificial soils share
# the "built" codes; their areas come from the split of §2.1.
BUILT, TREED = "built", "sols artificiels arborés et buissonants"
CLC_LAND_USES = {
    "cultures": "211 212 213 241 242 243 244",
    "prairies zones herbacées": "231 321",
    "prairies zones arbustives": "322",
    "prairies zones arborées": "323",
    "zones humides": "411 412 421 422 423 511 512 521 522 523",
    "vergers": "222 223",
    "vignes": "221",
    BUILT: "111 112 121 122 123 124 131 132 133 142",
    TREED: "141",
}


def land_use_areas_from_clc(files: dict[str, bytes]) -> pd.DataFrame:
    """The land_use_areas.csv that a bundle's clc_areas.csv implies: CLC codes mapped to land uses (METHOD.md §1),
    then the built and treed areas of each unit split into the three artificial soils (§2.1). A land use is rebuilt
    when a CLC row it reads is."""
    code_land_use = {code: land_use for land_use, codes in CLC_LAND_USES.items() for code in codes.split()}
    clc = read_table(files, "clc_areas.csv")
    clc = clc.assign(
        land_use=clc["clc_code"].map(code_land_use),
        area_ha=clc["area_ha"].astype(float),
        rebuilt=clc["provenance"] != "original",
    ).dropna(subset=["land_use"])
    by_land_use = clc.groupby(["territory_id", "land_use"], sort=False).agg(
        area_ha=("area_ha", "sum"), rebuilt=("rebuilt", "any")
    )
    artificial = [by_land_use[column].unstack("land_use").reindex(columns=[BUILT, TREED]) for column in by_land_use]
    present = artificial[0].notna().any(axis=1)
    area, rebuilt = (table[present] for table in artificial)
    constants = read_table(files, "constants.csv").set_index("name")["value"].astype(float)
    impermeable, grassy, treed = split_artificial(
        area[BUILT].fillna(0.0).to_numpy(), area[TREED].fillna(0.0).to_numpy(), constants["default_share_impermeable"]
    )
    artificial_rebuilt = rebuilt.eq(True).any(axis=1).to_numpy()
    split = [
        pd.DataFrame(
            {"territory_id": area.index, "land_use": land_use, "area_ha": values, "rebuilt": artificial_rebuilt}
        )
        for land_use, values in (
            ("sols artificiels imperméabilisés", impermeable),
            ("sols artificiels arbustifs", grassy),
            (TREED, treed),
        )
    ]
    others = by_land_use.drop(index=[BUILT, TREED], level="land_use", errors="ignore").reset_index()
    rows = pd.concat([others, *split], ignore_index=True)
    provenance = rows["rebuilt"].map({True: "rebuilt", False: "original"})
    return rows[["territory_id", "land_use", "area_ha"]].assign(provenance=provenance)


def with_land_use_areas(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its clc_areas.csv replaced by the land_use_areas.csv it implies."""
    by_land_use = {name: data for name, data in files.items() if name != "clc_areas.csv"}
    write_table(by_land_use, "land_use_areas.csv", land_use_areas_from_clc(files))
    return by_land_use
