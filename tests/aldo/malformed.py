"""A corpus of malformed ALDO bundles (and of valid variants), built as .zip files in a given directory.

Every bundle derives from the CHANTERELLE fixture (fixtures/aldo/chanterelle), trimmed to one EPCI of the Aisne
(200071785: 48 communes whose INSEE codes start with 0) so that a bundle is about 100 kB and validates in milliseconds.

Reused by the Django-side tests (editor upload):

    for name, build in MALFORMED_CASES:
        path = build(tmp_path)              # tmp_path / "bundle.zip" (or a file pretending to be a zip)
        expected = EXPECTED_PROBLEMS[name]  # file / column / row that the report must name, and a French fragment

Archive cases make `read_bundle_files` raise InvalidBundle; the others make `validate_bundle_files` return problems.
VALID_VARIANTS must be accepted (UTF-8 BOM, CRLF, extra column, top-level folder, macOS litter, plain folder, unit
areas given by land use, …).
"""

from __future__ import annotations

import functools
import io
import json
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from tests.aldo.synthetic import land_use_areas_from_clc, with_land_use_areas

FIXTURE_BUNDLE = Path(__file__).resolve().parents[2] / "fixtures" / "aldo" / "chanterelle"
HETRE_FIXTURE_BUNDLE = FIXTURE_BUNDLE.parent / "hetre"
SAMPLE_EPCI = "200071785"
ARCHIVE_NAME = "bundle.zip"

Files = dict[str, bytes]
Builder = Callable[[Path], Path]


class ExpectedProblem(NamedTuple):
    file: str
    """File named by the problem; ARCHIVE_NAME stands for the archive itself (problems raised by read_bundle_files)."""
    column: str | None
    row: int | None
    """None: the row is not checked (file- or column-level problem)."""
    message_contains: str
    """A French fragment the message must contain."""


# --- The valid base bundle -------------------------------------------------------------------------------------------


@functools.cache
def _sample_files() -> tuple[tuple[str, bytes], ...]:
    files = {path.name: path.read_bytes() for path in sorted(FIXTURE_BUNDLE.iterdir()) if path.is_file()}
    territories = read_csv(files, "territories.csv")
    kept = territories[(territories["territory_id"] == SAMPLE_EPCI) | (territories["epci_siren"] == SAMPLE_EPCI)]
    communes = set(kept["territory_id"])
    write_csv(files, "territories.csv", kept)
    for name, column in (
        ("clc_areas.csv", "territory_id"),
        ("clc_changes.csv", "territory_id"),
        ("hedges.csv", "territory_id"),
        ("forest_areas.csv", "insee"),
    ):
        table = read_csv(files, name)
        write_csv(files, name, table[table[column].isin(communes)])
    return tuple(files.items())


def sample_bundle_files() -> Files:
    """A fresh copy of the valid one-EPCI CHANTERELLE bundle, {file name: content}."""
    return dict(_sample_files())


def read_csv(files: Files, name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False)


def write_csv(files: Files, name: str, table: pd.DataFrame) -> None:
    files[name] = table.to_csv(index=False, lineterminator="\n").encode()


def write_zip(files: Files, path: Path, folder: str = "") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in files.items():
            archive.writestr(folder + name, content)
    return path


def set_cell(files: Files, name: str, row: int, column: str, value: str) -> None:
    """Set a cell; `row` is the spreadsheet row number (header = 1)."""
    table = read_csv(files, name)
    table.loc[row - 2, column] = value
    write_csv(files, name, table)


def land_use_bundle_files() -> Files:
    """The sample bundle with its unit areas given by ALDO land use (land_use_areas.csv) instead of by CLC code."""
    return with_land_use_areas(sample_bundle_files())


def hetre_bundle_files() -> Files:
    """The HETRE fixture bundle (94 EPCIs, 1.7 MB), {file name: content}."""
    return {path.name: path.read_bytes() for path in sorted(HETRE_FIXTURE_BUNDLE.iterdir()) if path.is_file()}


def _bundle(*edits: Callable[[Files], None], base: Callable[[], Files] = sample_bundle_files) -> Builder:
    def build(directory: Path) -> Path:
        files = base()
        for edit in edits:
            edit(files)
        return write_zip(files, directory / ARCHIVE_NAME)

    return build


# --- Edits of the content --------------------------------------------------------------------------------------------


def _cell(name: str, row: int, column: str, value: str) -> Callable[[Files], None]:
    return lambda files: set_cell(files, name, row, column, value)


def _remove_file(name: str) -> Callable[[Files], None]:
    return lambda files: files.pop(name)


def _replace_file(name: str, content: bytes) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[name] = content

    return edit


def _drop_column(name: str, column: str) -> Callable[[Files], None]:
    return lambda files: write_csv(files, name, read_csv(files, name).drop(columns=column))


def _duplicate_row(name: str, row: int) -> Callable[[Files], None]:
    """Append a copy of a row at the end of the table."""

    def edit(files: Files) -> None:
        table = read_csv(files, name)
        write_csv(files, name, pd.concat([table, table.iloc[[row - 2]]], ignore_index=True))

    return edit


def _remove_constant(constant: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        constants = read_csv(files, "constants.csv")
        write_csv(files, "constants.csv", constants[constants["name"] != constant])

    return edit


def _header_only(name: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[name] = files[name].split(b"\n", 1)[0] + b"\n"

    return edit


def _replace_line(name: str, row: int, line: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        lines = files[name].decode().split("\n")
        lines[row - 1] = line
        files[name] = "\n".join(lines).encode()

    return edit


def _insert_blank_line(name: str, row: int) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        lines = files[name].decode().split("\n")
        lines.insert(row - 1, "")
        files[name] = "\n".join(lines).encode()

    return edit


def _french_excel_export(name: str) -> Callable[[Files], None]:
    """Semicolon-separated with decimal commas, as Excel saves a CSV with French regional settings."""

    def edit(files: Files) -> None:
        table = read_csv(files, name)
        files[name] = table.to_csv(index=False, sep=";", lineterminator="\r\n").replace(".", ",").encode()

    return edit


def _reencode(name: str, encoding: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[name] = files[name].decode().encode(encoding)

    return edit


def _manifest(**changes) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        manifest = json.loads(files["manifest.json"])
        manifest.update(changes)
        files["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _repeat_rows(name: str, size: int) -> Callable[[Files], None]:
    """The file's rows repeated up to ``size`` bytes: a huge but valid-looking CSV that compresses about 13:1, well
    under the zip-bomb ratio (what a 4 MB upload expanding to hundreds of megabytes looks like)."""

    def edit(files: Files) -> None:
        header, _, body = files[name].partition(b"\n")
        files[name] = header + b"\n" + body * (size // len(body) + 1)

    return edit


def _duplicate_header_column(name: str, column: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        header, _, body = files[name].decode().partition("\n")
        rows = [line + ",0" for line in body.split("\n") if line]
        files[name] = "\n".join([f"{header},{column}", *rows, ""]).encode()

    return edit


# --- Archives that must be refused before any content check ----------------------------------------------------------


def _archive_with_entry(entry_name: str) -> Builder:
    def build(directory: Path) -> Path:
        path = write_zip(sample_bundle_files(), directory / ARCHIVE_NAME)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr(entry_name, b"territory_id\n")
        return path

    return build


def build_zip_bomb(directory: Path) -> Path:
    """A 16 MiB entry of zeros that compresses to about 16 kB."""
    path = write_zip(sample_bundle_files(), directory / ARCHIVE_NAME)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("padding.csv", bytes(16 * 1024**2))
    return path


def build_size_lying_entry(directory: Path) -> Path:
    """The same 16 MiB entry, but its headers declare 1 000 bytes: decompression must not go past them."""
    path = build_zip_bomb(directory)
    content = bytearray(path.read_bytes())
    name = b"padding.csv"
    local_header = _header_offset(content, b"PK\x03\x04", name)
    struct.pack_into("<I", content, local_header + 22, 1000)
    central_header = _header_offset(content, b"PK\x01\x02", name)
    struct.pack_into("<I", content, central_header + 24, 1000)
    path.write_bytes(bytes(content))
    return path


def _header_offset(content: bytearray, signature: bytes, name: bytes) -> int:
    """Offset of the local (PK 3 4) or central (PK 1 2) header of the entry called `name`."""
    name_offset = 30 if signature == b"PK\x03\x04" else 46
    position = content.find(signature)
    while content[position + name_offset : position + name_offset + len(name)] != name:
        position = content.find(signature, position + 1)
    return position


def build_renamed_xlsx(directory: Path) -> Path:
    """The structure of an Office Open XML workbook (what Excel writes), saved under a .zip name."""
    path = directory / ARCHIVE_NAME
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook/>')
        archive.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet/>')
    return path


def build_random_bytes(directory: Path) -> Path:
    path = directory / ARCHIVE_NAME
    path.write_bytes(bytes(range(256)) * 64)
    return path


def build_lone_csv(directory: Path) -> Path:
    path = directory / ARCHIVE_NAME
    path.write_bytes(sample_bundle_files()["clc_areas.csv"])
    return path


def build_empty_zip(directory: Path) -> Path:
    return write_zip({}, directory / ARCHIVE_NAME)


def build_encrypted_entry(directory: Path) -> Path:
    """Python cannot write encrypted entries: set the "encrypted" flag bit in the local and central headers."""
    path = write_zip(sample_bundle_files(), directory / ARCHIVE_NAME)
    content = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = content.find(signature)
        (flags,) = struct.unpack_from("<H", content, position + flag_offset)
        struct.pack_into("<H", content, position + flag_offset, flags | 0x1)
    path.write_bytes(bytes(content))
    return path


def build_symlink_entry(directory: Path) -> Path:
    path = write_zip(sample_bundle_files(), directory / ARCHIVE_NAME)
    link = zipfile.ZipInfo("ref_extra.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    return path


def build_too_many_entries(directory: Path) -> Path:
    files = sample_bundle_files() | {f"extra_{number}.csv": b"a\n1\n" for number in range(500)}
    return write_zip(files, directory / ARCHIVE_NAME)


def build_duplicate_entry(directory: Path) -> Path:
    path = write_zip(sample_bundle_files(), directory / ARCHIVE_NAME)
    with zipfile.ZipFile(path, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": the very point of this case
        archive.writestr("constants.csv", b"name,value,unit,note\n")
    return path


# --- The corpus ------------------------------------------------------------------------------------------------------

_CASES: list[tuple[str, Builder, ExpectedProblem]] = [
    # Files and rule set
    ("fichier_absent", _bundle(_remove_file("clc_areas.csv")), ExpectedProblem("clc_areas.csv", None, None, "absent")),
    (
        "fichier_au_format_excel",
        _bundle(_remove_file("clc_areas.csv"), _replace_file("clc_areas.xlsx", b"PK\x03\x04")),
        ExpectedProblem("clc_areas.csv", None, None, "un fichier « clc_areas.xlsx » est présent"),
    ),
    (
        "ref_hedge_carbon_absent",
        _bundle(_remove_file("ref_hedge_carbon.csv")),
        ExpectedProblem("ref_hedge_carbon.csv", None, None, "CHANTERELLE"),
    ),
    (
        "manifest_absent",
        _bundle(_remove_file("manifest.json")),
        ExpectedProblem("manifest.json", None, None, "absent"),
    ),
    (
        "manifest_pas_json",
        _bundle(_replace_file("manifest.json", b"aldo_release: CHANTERELLE\n")),
        ExpectedProblem("manifest.json", None, 1, "JSON invalide"),
    ),
    (
        "regles_de_calcul_inconnues",
        _bundle(_manifest(aldo_release="SAPIN")),
        ExpectedProblem("manifest.json", "aldo_release", None, "règles de calcul inconnues"),
    ),
    # What the database would refuse (a column too short, a NUL character, nesting) is refused by validation
    (
        "manifest_commit_trop_long",
        _bundle(_manifest(aldo_commit="697f9212" * 6)),
        ExpectedProblem("manifest.json", "aldo_commit", None, "au plus 40 caractères"),
    ),
    (
        "manifest_perimetre_trop_long",
        _bundle(_manifest(scope="hauts-de-france " * 4)),
        ExpectedProblem("manifest.json", "scope", None, "au plus 40 caractères"),
    ),
    (
        "manifest_caractere_nul",
        _bundle(_manifest(scope="hdf\x00")),
        ExpectedProblem("manifest.json", "scope", None, "caractère nul"),
    ),
    (
        "manifest_cle_avec_caractere_nul",
        _bundle(_manifest(**{"note\x00": "x"})),
        ExpectedProblem("manifest.json", "note\u2400", None, "caractère nul"),
    ),
    (
        "manifest_json_profond",
        _bundle(_manifest(notes=functools.reduce(lambda inner, _: [inner], range(40), "fond"))),
        ExpectedProblem("manifest.json", None, None, "imbriqués sur plus de"),
    ),
    (
        "manifest_json_tres_profond",
        _bundle(
            _replace_file(
                "manifest.json", b'{"aldo_release": "CHANTERELLE", "notes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
            )
        ),
        ExpectedProblem("manifest.json", None, None, "imbriqués sur plus de"),
    ),
    (
        "caractere_nul_dans_un_code",
        _bundle(_cell("clc_areas.csv", 2, "territory_id", "02\x00492")),
        ExpectedProblem("clc_areas.csv", None, 2, "caractère nul"),
    ),
    (
        "csv_tres_compressible",
        _bundle(_repeat_rows("clc_areas.csv", 70 * 1024**2)),
        ExpectedProblem("clc_areas.csv", None, None, "une fois décompressé ; au plus 64 Mo par fichier"),
    ),
    (
        "note_du_manifeste_pas_un_texte",
        _bundle(_manifest(note=["à", "relire"])),
        ExpectedProblem("manifest.json", "note", None, "attendu : un texte en français"),
    ),
    (
        "regles_hetre_sur_fichiers_chanterelle",
        _bundle(_manifest(aldo_release="HETRE")),
        ExpectedProblem("territories.csv", "soil_ref_key", None, "colonne obligatoire absente"),
    ),
    # Reading the CSV
    (
        "fichier_vide",
        _bundle(_replace_file("clc_changes.csv", b"")),
        ExpectedProblem("clc_changes.csv", None, None, "vide"),
    ),
    (
        "en_tete_seul",
        _bundle(_header_only("constants.csv")),
        ExpectedProblem("constants.csv", None, None, "aucune ligne de données"),
    ),
    (
        "excel_francais_point_virgule",
        _bundle(_french_excel_export("clc_areas.csv")),
        ExpectedProblem("clc_areas.csv", None, None, "points-virgules (« ; ») avec des virgules décimales"),
    ),
    (
        "latin1",
        _bundle(_reencode("territories.csv", "cp1252")),
        ExpectedProblem("territories.csv", None, 2, "enregistrez le fichier en UTF-8"),
    ),
    (
        "utf16",
        _bundle(_reencode("hedges.csv", "utf-16")),
        ExpectedProblem("hedges.csv", None, None, "UTF-16"),
    ),
    (
        "virgule_non_protegee",
        _bundle(_replace_line("clc_areas.csv", 4, "02001,112,80,5,rebuilt")),
        ExpectedProblem("clc_areas.csv", None, 4, "5 valeurs au lieu des 4 colonnes"),
    ),
    (
        "colonne_en_double",
        _bundle(_duplicate_header_column("ref_wood_region.csv", "pct_bo")),
        ExpectedProblem("ref_wood_region.csv", "pct_bo", None, "plusieurs fois"),
    ),
    ("ligne_vide", _bundle(_insert_blank_line("hedges.csv", 3)), ExpectedProblem("hedges.csv", None, 3, "ligne vide")),
    # Columns and types
    (
        "colonne_absente",
        _bundle(_drop_column("clc_areas.csv", "area_ha")),
        ExpectedProblem("clc_areas.csv", "area_ha", None, "colonne obligatoire absente"),
    ),
    (
        "virgule_decimale",
        _bundle(_cell("clc_areas.csv", 5, "area_ha", "12,5")),
        ExpectedProblem("clc_areas.csv", "area_ha", 5, "« 12,5 » avec une virgule décimale"),
    ),
    (
        "texte_dans_un_nombre",
        _bundle(_cell("ref_soil_stocks.csv", 3, "tC_per_ha", "n.d.")),
        ExpectedProblem("ref_soil_stocks.csv", "tC_per_ha", 3, "non numérique « n.d. »"),
    ),
    (
        "surface_negative",
        _bundle(_cell("forest_areas.csv", 4, "area_ha", "-3.5")),
        ExpectedProblem("forest_areas.csv", "area_ha", 4, "négative « -3.5 »"),
    ),
    (
        "longueur_negative",
        _bundle(_cell("hedges.csv", 6, "length_km", "-0.1")),
        ExpectedProblem("hedges.csv", "length_km", 6, "négative"),
    ),
    (
        "nan",
        _bundle(_cell("clc_changes.csv", 2, "area_ha", "NaN")),
        ExpectedProblem("clc_changes.csv", "area_ha", 2, "non finie « NaN »"),
    ),
    (
        "infini",
        _bundle(_cell("hedges.csv", 3, "length_km", "inf")),
        ExpectedProblem("hedges.csv", "length_km", 3, "non finie « inf »"),
    ),
    (
        "surface_manquante",
        _bundle(_cell("clc_areas.csv", 7, "area_ha", "")),
        ExpectedProblem("clc_areas.csv", "area_ha", 7, "valeur manquante"),
    ),
    (
        "code_vide",
        _bundle(_cell("clc_areas.csv", 8, "clc_code", "")),
        ExpectedProblem("clc_areas.csv", "clc_code", 8, "valeur manquante"),
    ),
    (
        "part_superieure_a_100",
        _bundle(_cell("ref_wood_region.csv", 2, "pct_bo", "135")),
        ExpectedProblem("ref_wood_region.csv", "pct_bo", 2, "supérieure à 100"),
    ),
    (
        "valeur_ign_manquante_sur_ligne_significative",
        _bundle(_cell("ref_forest_ign.csv", 2, "carbone_(tC∙ha-1)", "")),
        ExpectedProblem("ref_forest_ign.csv", "carbone_(tC∙ha-1)", 2, "surface_ic = s"),
    ),
    # Codes that lost their leading zeros, or were turned into numbers
    (
        "insee_sans_zero_initial",
        _bundle(_cell("clc_areas.csv", 3, "territory_id", "2001")),
        ExpectedProblem("clc_areas.csv", "territory_id", 3, "zéro initial a été perdu (« 02001 »"),
    ),
    (
        "departement_sans_zero_initial",
        _bundle(_cell("territories.csv", 4, "departement", "2")),
        ExpectedProblem("territories.csv", "departement", 4, "zéro initial a été perdu (« 02 »"),
    ),
    (
        "siren_notation_scientifique",
        _bundle(_cell("territories.csv", 5, "epci_siren", "2.00072E+08")),
        ExpectedProblem("territories.csv", "epci_siren", 5, "notation scientifique"),
    ),
    (
        "zpc_mal_formee",
        _bundle(_cell("territories.csv", 6, "zpc", "22")),
        ExpectedProblem("territories.csv", "zpc", 6, "<texture 1-5>_<climat 1-3>"),
    ),
    (
        "code_ign_avec_zero_initial",
        _bundle(_cell("forest_areas.csv", 2, "ign_commune_code", "02001")),
        ExpectedProblem("forest_areas.csv", "ign_commune_code", 2, "sans zéro initial"),
    ),
    # Duplicates
    (
        "territoire_en_double",
        _bundle(_duplicate_row("territories.csv", 3)),
        ExpectedProblem("territories.csv", "territory_id", 51, "que la ligne 3"),
    ),
    (
        "surface_clc_en_double",
        _bundle(_duplicate_row("clc_areas.csv", 2)),
        ExpectedProblem("clc_areas.csv", "territory_id, clc_code", 770, "ligne en double"),
    ),
    (
        "constante_en_double",
        _bundle(_duplicate_row("constants.csv", 4)),
        ExpectedProblem("constants.csv", "name", 29, "ligne en double"),
    ),
    # Unknown codes and references
    (
        "territoire_inconnu",
        _bundle(_cell("clc_areas.csv", 6, "territory_id", "59999")),
        ExpectedProblem("clc_areas.csv", "territory_id", 6, "code inconnu « 59999 »"),
    ),
    (
        "code_clc_inconnu",
        _bundle(_cell("clc_changes.csv", 3, "clc_code_2018", "999")),
        ExpectedProblem("clc_changes.csv", "clc_code_2018", 3, "CORINE Land Cover"),
    ),
    (
        "usage_des_sols_inconnu",
        _bundle(_cell("ref_biomass_stocks.csv", 2, "land_use", "forêt tropicale")),
        ExpectedProblem("ref_biomass_stocks.csv", "land_use", 2, "valeur inconnue « forêt tropicale »"),
    ),
    (
        "composition_inconnue",
        _bundle(_cell("forest_areas.csv", 3, "composition", "Feuillus")),
        ExpectedProblem("forest_areas.csv", "composition", 3, "Feuillu, Conifere, Mixte ou Peupleraie"),
    ),
    (
        "provenance_inconnue",
        _bundle(_cell("clc_changes.csv", 4, "provenance", "estimated")),
        ExpectedProblem("clc_changes.csv", "provenance", 4, "original ou rebuilt"),
    ),
    (
        "type_de_cle_inconnu",
        _bundle(_cell("ref_soil_stocks.csv", 2, "key_type", "epci")),
        ExpectedProblem("ref_soil_stocks.csv", "key_type", 2, "valeur inconnue « epci »"),
    ),
    (
        "zpc_absente_des_references",
        _bundle(_cell("territories.csv", 7, "zpc", "5_2")),
        ExpectedProblem("territories.csv", "zpc", 7, "absent de ref_soil_stocks.csv"),
    ),
    (
        "epci_inconnu",
        _bundle(_cell("territories.csv", 8, "epci_siren", "200000000")),
        ExpectedProblem("territories.csv", "epci_siren", 8, "code inconnu « 200000000 »"),
    ),
    (
        "constante_absente",
        _bundle(_remove_constant("n2o_gwp")),
        ExpectedProblem("constants.csv", "name", None, "n2o_gwp"),
    ),
    # HETRE rules (units are EPCIs, references are keyed by EPCI)
    (
        "hetre_cle_de_sol_absente_des_references",
        _bundle(_cell("territories.csv", 3, "soil_ref_key", "200000001"), base=hetre_bundle_files),
        ExpectedProblem("territories.csv", "soil_ref_key", 3, "absent de ref_soil_stocks.csv"),
    ),
    (
        "hetre_haie_en_double",
        _bundle(_duplicate_row("hedges.csv", 10), base=hetre_bundle_files),
        ExpectedProblem("hedges.csv", "territory_id", 96, "que la ligne 10"),
    ),
    (
        "hetre_siren_tronque",
        _bundle(_cell("clc_changes.csv", 2, "territory_id", "20001808"), base=hetre_bundle_files),
        ExpectedProblem("clc_changes.csv", "territory_id", 2, "un SIREN sur 9 chiffres"),
    ),
    # Unit areas by ALDO land use (land_use_areas.csv) instead of by CLC code
    (
        "surfaces_clc_et_par_usage_ensemble",
        _bundle(lambda files: write_csv(files, "land_use_areas.csv", land_use_areas_from_clc(files))),
        ExpectedProblem("land_use_areas.csv", None, None, "land_use_areas.csv sont présents ensemble"),
    ),
    (
        "usage_des_sols_inconnu_dans_les_surfaces",
        _bundle(_cell("land_use_areas.csv", 3, "land_use", "prairies"), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "land_use", 3, "valeur inconnue « prairies »"),
    ),
    (
        "haies_dans_les_surfaces",
        _bundle(_cell("land_use_areas.csv", 4, "land_use", "haies"), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "land_use", 4, "valeur inconnue « haies »"),
    ),
    (
        "usage_forestier_dans_les_surfaces",
        _bundle(_cell("land_use_areas.csv", 5, "land_use", "forêt feuillu"), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "land_use", 5, "les surfaces forestières viennent de forest_areas.csv"),
    ),
    (
        "surface_par_usage_negative",
        _bundle(_cell("land_use_areas.csv", 6, "area_ha", "-2"), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "area_ha", 6, "surface négative « -2 »"),
    ),
    (
        "surface_par_usage_manquante",
        _bundle(_cell("land_use_areas.csv", 7, "area_ha", ""), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "area_ha", 7, "valeur manquante"),
    ),
    (
        "surface_par_usage_en_double",
        _bundle(_duplicate_row("land_use_areas.csv", 2), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "territory_id, land_use", None, "que la ligne 2"),
    ),
    (
        "commune_inconnue_dans_les_surfaces",
        _bundle(_cell("land_use_areas.csv", 8, "territory_id", "59999"), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "territory_id", 8, "code inconnu « 59999 »"),
    ),
    (
        "colonne_land_use_absente",
        _bundle(_drop_column("land_use_areas.csv", "land_use"), base=land_use_bundle_files),
        ExpectedProblem("land_use_areas.csv", "land_use", None, "colonne obligatoire absente"),
    ),
    # The archive itself
    ("zip_slip", _archive_with_entry("../evil.csv"), ExpectedProblem(ARCHIVE_NAME, None, None, "« .. »")),
    (
        "chemin_absolu",
        _archive_with_entry("/tmp/evil.csv"),
        ExpectedProblem(ARCHIVE_NAME, None, None, "chemin absolu"),
    ),
    ("bombe_zip", build_zip_bomb, ExpectedProblem(ARCHIVE_NAME, None, None, "bombe de décompression")),
    ("taille_declaree_mensongere", build_size_lying_entry, ExpectedProblem(ARCHIVE_NAME, None, None, "corrompue")),
    ("xlsx_renomme_en_zip", build_renamed_xlsx, ExpectedProblem(ARCHIVE_NAME, None, None, "Excel")),
    ("pas_un_zip", build_random_bytes, ExpectedProblem(ARCHIVE_NAME, None, None, "pas une archive .zip")),
    ("csv_seul_renomme_en_zip", build_lone_csv, ExpectedProblem(ARCHIVE_NAME, None, None, "un CSV seul")),
    ("zip_vide", build_empty_zip, ExpectedProblem(ARCHIVE_NAME, None, None, "l'archive est vide")),
    ("entree_chiffree", build_encrypted_entry, ExpectedProblem(ARCHIVE_NAME, None, None, "chiffrée")),
    ("lien_symbolique", build_symlink_entry, ExpectedProblem(ARCHIVE_NAME, None, None, "lien symbolique")),
    ("trop_d_entrees", build_too_many_entries, ExpectedProblem(ARCHIVE_NAME, None, None, "entrées")),
    (
        "fichier_en_double_dans_l_archive",
        build_duplicate_entry,
        ExpectedProblem(ARCHIVE_NAME, None, None, "plusieurs"),
    ),
]

MALFORMED_CASES: list[tuple[str, Builder]] = [(name, build) for name, build, _ in _CASES]
EXPECTED_PROBLEMS: dict[str, ExpectedProblem] = {name: expected for name, _, expected in _CASES}


# --- Several independent problems in one bundle ----------------------------------------------------------------------

build_bundle_with_several_problems = _bundle(
    _reencode("territories.csv", "cp1252"),
    _drop_column("clc_areas.csv", "provenance"),
    _cell("clc_changes.csv", 3, "clc_code_2012", "2110"),
    _cell("forest_areas.csv", 5, "area_ha", "-1"),
    _duplicate_row("constants.csv", 2),
    _cell("hedges.csv", 4, "territory_id", "2014"),
    _remove_file("ref_wood_region.csv"),
)
SEVERAL_PROBLEMS_EXPECTED: list[ExpectedProblem] = [
    ExpectedProblem("territories.csv", None, 2, "UTF-8"),
    ExpectedProblem("clc_areas.csv", "provenance", None, "colonne obligatoire absente"),
    ExpectedProblem("clc_changes.csv", "clc_code_2012", 3, "valeur inconnue « 2110 »"),
    ExpectedProblem("forest_areas.csv", "area_ha", 5, "négative"),
    ExpectedProblem("constants.csv", "name", 29, "ligne en double"),
    ExpectedProblem("hedges.csv", "territory_id", 4, "zéro initial"),
    ExpectedProblem("ref_wood_region.csv", None, None, "absent"),
]


# --- Valid variants: must be accepted --------------------------------------------------------------------------------


def _with_utf8_bom(files: Files) -> None:
    for name in files:
        if name.endswith((".csv", ".json")):
            files[name] = b"\xef\xbb\xbf" + files[name]


def _with_crlf(files: Files) -> None:
    for name in files:
        if name.endswith(".csv"):
            files[name] = files[name].replace(b"\n", b"\r\n")


def _with_trailing_blank_lines(files: Files) -> None:
    files["constants.csv"] += b"\n\n"
    files["hedges.csv"] += b"\r\n\r\n"


def _with_extra_column(files: Files) -> None:
    table = read_csv(files, "clc_areas.csv")
    table["commentaire"] = "ok"
    write_csv(files, "clc_areas.csv", table)


def build_zip_with_top_folder(directory: Path) -> Path:
    return write_zip(sample_bundle_files(), directory / ARCHIVE_NAME, folder="chanterelle_2023/")


def build_zip_with_macos_litter(directory: Path) -> Path:
    files = sample_bundle_files() | {"__MACOSX/._clc_areas.csv": b"\x00\x05", ".DS_Store": b"\x00\x00"}
    return write_zip(files, directory / ARCHIVE_NAME)


def build_folder(directory: Path) -> Path:
    folder = directory / "chanterelle"
    folder.mkdir()
    for name, content in sample_bundle_files().items():
        (folder / name).write_bytes(content)
    return folder


VALID_VARIANTS: list[tuple[str, Builder]] = [
    ("echantillon", _bundle()),
    ("surfaces_par_usage_des_sols", _bundle(base=land_use_bundle_files)),
    ("bom_utf8", _bundle(_with_utf8_bom)),
    ("fins_de_ligne_windows", _bundle(_with_crlf)),
    ("colonne_supplementaire", _bundle(_with_extra_column)),
    ("lignes_vides_en_fin_de_fichier", _bundle(_with_trailing_blank_lines)),
    ("zip_avec_dossier_racine", build_zip_with_top_folder),
    ("zip_avec_fichiers_macos", build_zip_with_macos_litter),
    ("dossier", build_folder),
]
