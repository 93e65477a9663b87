"""Read one CSV of a bundle as strings, reporting in French why a file cannot be read (encoding, separator, …).

Every cell stays a string (dtype=str, keep_default_na=False) so that codes keep their leading zeros; the checks of
`checks` then run on those strings.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from .checks import DECIMAL_COMMA, ProblemCollector

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
PARSER_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
SEMICOLON_EXPORT = (
    "le fichier est séparé par des points-virgules (« ; »){decimal}, comme l'exporte Excel en français ; attendu : "
    "la virgule (« , ») comme séparateur de colonnes et le point (« . ») comme séparateur décimal."
)


def read_table(name: str, data: bytes, collector: ProblemCollector) -> pd.DataFrame | None:
    """Parse a CSV as strings; the index is the spreadsheet row number (header = 1). None if it cannot be read."""
    if data.startswith(UTF16_BOMS):
        collector.add(name, "le fichier est encodé en UTF-16 (« Texte Unicode ») ; enregistrez le fichier en UTF-8.")
        return None
    nul = data.find(b"\x00")
    if nul >= 0:  # the CSV parser would silently cut the cell there
        collector.add(
            name,
            "le fichier contient un caractère nul (U+0000) : il est abîmé ou n'est pas un texte ; enregistrez-le "
            "de nouveau en CSV UTF-8.",
            row=data.count(b"\n", 0, nul) + 1,
        )
        return None
    text = _decode(name, data, collector).rstrip("\r\n")  # blank lines at the very end are harmless
    if not text.strip():
        collector.add(name, "le fichier est vide ; attendu : une ligne d'en-tête puis des lignes de données.")
        return None
    header_line, _, rest = text.partition("\n")
    if "," not in header_line and ";" in header_line:
        second_line = rest.partition("\n")[0]
        has_decimal_comma = any(DECIMAL_COMMA.match(cell.strip()) for cell in second_line.split(";"))
        collector.add(
            name, SEMICOLON_EXPORT.format(decimal=" avec des virgules décimales" if has_decimal_comma else "")
        )
        return None
    if "," not in header_line and "\t" in header_line:
        collector.add(
            name, "le fichier est séparé par des tabulations ; attendu : la virgule (« , ») comme séparateur."
        )
        return None
    try:
        table = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as error:
        collector.add(name, *_describe_parser_error(error))
        return None
    header = [str(column) for column in table.iloc[0]]
    duplicated = sorted({column for column in header if column and header.count(column) > 1})
    for column in duplicated:
        collector.add(
            name, "colonne présente plusieurs fois dans l'en-tête ; attendu : une seule fois.", column=column
        )
    if duplicated:
        return None
    table = table.iloc[1:]
    table.columns = header
    table.index = table.index + 1
    first_cell_blank = table.iloc[:, 0] == ""
    blank_rows = first_cell_blank & (table[first_cell_blank] == "").all(axis=1).reindex(table.index, fill_value=False)
    if blank_rows.any():
        collector.add_rows(
            name,
            None,
            table.index[blank_rows.to_numpy()].to_series(),
            lambda _: "ligne vide ; supprimez-la.",
            "ligne vide",
        )
        table = table[~blank_rows]
    return table


def _decode(name: str, data: bytes, collector: ProblemCollector) -> str:
    """UTF-8 (a BOM is accepted). A Latin-1 file is reported, then decoded anyway so that its content is checked."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        character = data[error.start : error.start + 1].decode("cp1252", errors="replace")
        collector.add(
            name,
            f"le fichier n'est pas encodé en UTF-8 (caractère « {character} » en Latin-1 / Windows-1252, "
            "tel qu'Excel l'enregistre) ; enregistrez le fichier en UTF-8.",
            row=row,
        )
        return data.decode("cp1252", errors="replace")


def _describe_parser_error(error: pd.errors.ParserError) -> tuple[str, int | None]:
    match = PARSER_FIELD_COUNT.search(str(error))
    if match is None:
        return f"fichier CSV illisible ({error}).", None
    expected, row, found = match.groups()
    return (
        f"{found} valeurs au lieu des {expected} colonnes de l'en-tête (une virgule décimale, ou une virgule dans un "
        "texte non entouré de guillemets ?) ; attendu : le point comme séparateur décimal.",
        int(row),
    )
