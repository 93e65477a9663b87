"""Validate the files of an ALDO release bundle and report every problem at once, in French.

The format is described in the bundle READMEs and BUNDLE_FORMAT.md (shared ALDO data pack). Every CSV is read as
strings (dtype=str, keep_default_na=False) so that codes keep their leading zeros, then checked with vectorised pandas
operations: the 33 MB France bundles validate in a few seconds. A problem repeated on many rows of the same column is
reported for the first `MAX_ROWS_PER_CHECK` rows, followed by one summary line.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import HEDGES, LAND_USES, WOOD_PRODUCTS
from .problems import Problem, format_count

MAX_ROWS_PER_CHECK = 20

MAX_FILE_BYTES = 64 * 1024**2
"""Largest file a bundle can plausibly hold, decompressed: the largest real one, France's clc_areas.csv, is 19.5 MB."""
MAX_BUNDLE_BYTES = 128 * 1024**2
"""Largest plausible bundle, decompressed: the France CHANTERELLE bundle is 33 MB."""
MANIFEST_TEXT_LENGTHS = {"aldo_commit": 40, "scope": 40}
"""Manifest fields kept in a database column of their own, and the column's length (the Release model reads it)."""
MANIFEST_MAX_DEPTH = 16
"""Nesting of objects and lists in manifest.json: real manifests have 2 levels."""

MANIFEST = "manifest.json"
HETRE = "HETRE"
CHANTERELLE = "CHANTERELLE"

# --- Nomenclatures (METHOD.md §1) ------------------------------------------------------------------------------------

CLC_LEVEL3_CODES = frozenset(
    "111 112 121 122 123 124 131 132 133 141 142 211 212 213 221 222 223 231 241 242 243 244 "
    "311 312 313 321 322 323 324 331 332 333 334 335 411 412 421 422 423 511 512 521 522 523".split()
)
ALDO_LAND_USES = frozenset({*LAND_USES, HEDGES, WOOD_PRODUCTS})
SOIL_CLASSES = frozenset(
    {
        "cultures",
        "prairies",
        "forêts",
        "zones humides",
        "vergers",
        "vignes",
        "sols artificialisés",
        "sols artificiels imperméabilisés",
        "sols artificiels enherbés",
        "sols artificiels arborés et buissonants",
    }
)
FLUX_IDS = frozenset({"cult", "prai", "for", "zh", "verg", "vign", "art_imp", "art_enh", "art_arb"})
FOREST_COMPOSITIONS = frozenset({"Feuillu", "Conifere", "Mixte", "Peupleraie"})
IGN_LOCALISATION_TYPES = frozenset({"groupeser", "greco", "rad13", "bassin_populicole", "France"})
IGN_SIGNIFICANCE_VALUES = frozenset({"s", "n.s"})
INTER_REGIONS = frozenset({"NORD-OUEST", "NORD-EST", "SUD-OUEST", "SUD-EST", "CENTRE-EST"})
PROVENANCES = frozenset({"original", "rebuilt"})

COMMON_CONSTANTS = (
    "c_to_co2",
    "n2o_gwp",
    "n2o_cn_ratio",
    "n2o_ef_direct",
    "n2o_n2o_n_to_n2o_direct",
    "n2o_frac_leach",
    "n2o_ef_leach",
    "n2o_n2o_n_to_n2o_indirect",
    "forest_litter_stock",
    "forest_litter_flux",
    "clc_change_years",
    "soil_transition_years",
    "default_share_impermeable",
    "france_wood_stock_bo",
    "france_wood_stock_bi",
    "france_wood_harvest_bo",
    "france_wood_harvest_bi",
    "france_wood_flux_bo",
    "france_wood_flux_bi",
    "bft_to_vat_feuillu",
    "bft_to_vat_conifere",
    "bft_to_vat_mixte",
    "bft_to_vat_peupleraie",
    "harvest_bft_share",
    "harvest_branch_share",
    "france_population",
)
CHANTERELLE_ONLY_CONSTANTS = ("hedge_default_tC_per_km",)

IGN_VALUE_COLUMNS = (
    "carbone_(tC∙ha-1)",
    "bois_mort_carbone_(tC∙ha-1)",
    "production_volume_(m3∙ha-1∙an-1)",
    "prelevement_volume_(m3∙ha-1∙an-1)",
    "mortalite_volume_(m3∙ha-1∙an-1)",
    "bilan_volume_(m3∙ha-1∙an-1)",
    "fexp_vol_carb",
    "bilan_carbone_(tC∙ha-1∙an-1)",
)


# --- Column rules ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeFormat:
    pattern: str
    expected: str
    """French description of a valid code, used in messages."""
    padded_length: int | None = None
    """Length of an all-digit code with its leading zeros, to recognise codes that lost them (Excel)."""


INSEE_CODE = CodeFormat(r"\d{5}|2[AB]\d{3}", "un code INSEE de commune sur 5 caractères (ex. 02001, 2A004)", 5)
SIREN = CodeFormat(r"\d{9}", "un SIREN sur 9 chiffres (ex. 200071785)", 9)
HETRE_EPCI_ID = CodeFormat(
    r"\d{9}|[1-9]\d{0,2}", "un SIREN sur 9 chiffres (ou un numéro de pseudo-EPCI d'ALDO, ex. 1)", None
)
DEPARTEMENT_CODE = CodeFormat(r"\d{2}|2[AB]|97\d", "un code département sur 2 ou 3 caractères (ex. 02, 2A, 974)", 2)
REGION_CODE = CodeFormat(r"\d{2}", "un code région INSEE sur 2 chiffres (ex. 32)", 2)
REGION_CODE_LIST = CodeFormat(r"(\d{2}(;\d{2})*)?", "des codes région sur 2 chiffres séparés par « ; » (ex. 28;32)")
ZPC_CODE = CodeFormat(r"[1-5]_[1-3]", "une zone pédoclimatique <texture 1-5>_<climat 1-3> (ex. 2_2)")


@dataclass(frozen=True)
class AllowedValues:
    values: frozenset[str]
    expected: str


CLC_CODES = AllowedValues(CLC_LEVEL3_CODES, "un code CORINE Land Cover de niveau 3 (111 à 523)")
PROVENANCE = AllowedValues(PROVENANCES, "original ou rebuilt")


def one_of(*values: str) -> AllowedValues:
    return AllowedValues(frozenset(values), " ou ".join(values))


@dataclass(frozen=True)
class NumberRule:
    required: bool = True
    """False when a blank cell means "no value" (reference tables, METHOD.md §0)."""
    non_negative: bool = False
    at_most: float | None = None
    quantity: str = "valeur"
    """What the number is, for messages ("surface", "longueur", …)."""


AREA = NumberRule(non_negative=True, quantity="surface")
COUNT = NumberRule(required=False, non_negative=True, quantity="effectif")
OPTIONAL_DENSITY = NumberRule(required=False, non_negative=True, quantity="densité")
OPTIONAL_VALUE = NumberRule(required=False)


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[str, ...]
    """Required columns; other columns are tolerated."""
    codes: tuple[str, ...] = ()
    """Columns that must not be blank."""
    numbers: dict[str, NumberRule] = field(default_factory=dict)
    formats: dict[str, CodeFormat] = field(default_factory=dict)
    allowed: dict[str, AllowedValues] = field(default_factory=dict)
    unique_key: tuple[str, ...] = ()
    may_have_no_rows: bool = False


@dataclass(frozen=True)
class RuleSet:
    tables: dict[str, TableSpec]
    constants: tuple[str, ...]
    check_references: Callable[[dict[str, pd.DataFrame], ProblemCollector], None]


# --- Problem collection with a cap per repeated problem --------------------------------------------------------------


class ProblemCollector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(file, row, column, message))

    def add_rows(self, file: str, column: str | None, offending: pd.Series, describe: Callable, label: str) -> None:
        """One problem per offending row (index = row number, value = cell), capped, plus a summary line.

        `describe(value)` builds the French message of one row; `label` names the problem in the summary line.
        """
        if offending.empty:
            return
        for row, value in offending.iloc[:MAX_ROWS_PER_CHECK].items():
            self.add(file, describe(value), row=int(row), column=column)
        remaining = len(offending) - MAX_ROWS_PER_CHECK
        if remaining > 0:
            lines = "autre ligne" if remaining == 1 else "autres lignes"
            self.add(file, f"… et {format_count(remaining)} {lines} : {label}.", column=column)


# --- Entry point -----------------------------------------------------------------------------------------------------


def validate_bundle_files(files: dict[str, bytes]) -> list[Problem]:
    """Every problem of the bundle, in file order; an empty list means the bundle can be imported."""
    oversized = oversized_files({name: len(content) for name, content in files.items()})
    if oversized:  # nothing is parsed: a huge CSV would take gigabytes of memory as a table
        return oversized
    collector = ProblemCollector()
    release = _check_manifest(files, collector)
    rule_set = RULE_SETS.get(release)
    if rule_set is None:
        _check_readability_only(files, collector)
        return collector.problems

    frames: dict[str, pd.DataFrame] = {}
    for name, spec in rule_set.tables.items():
        if name not in files:
            collector.add(name, _missing_file_message(name, release, files))
            continue
        frame = _read_table(name, files[name], collector)
        if frame is None:
            continue
        if _check_table(name, frame, spec, collector):
            frames[name] = frame
    _check_constants(frames.get("constants.csv"), rule_set.constants, collector)
    _check_forest_tables(frames, collector)
    rule_set.check_references(frames, collector)
    return collector.problems


def oversized_files(sizes: dict[str, int]) -> list[Problem]:
    """Files (or a whole bundle) larger than a bundle can plausibly hold, from their decompressed sizes.

    The editor's upload form calls it with the sizes an archive declares, before anything is decompressed.
    """
    problems = [
        Problem(
            name,
            None,
            None,
            f"le fichier fait {_megabytes(size)} une fois décompressé ; au plus {_megabytes(MAX_FILE_BYTES)} par "
            "fichier sont acceptés (le plus gros fichier d'un millésime France fait 20 Mo).",
        )
        for name, size in sizes.items()
        if size > MAX_FILE_BYTES
    ]
    total = sum(sizes.values())
    if not problems and total > MAX_BUNDLE_BYTES:
        problems.append(
            Problem(
                MANIFEST,
                None,
                None,
                f"les fichiers du millésime font {_megabytes(total)} une fois décompressés ; au plus "
                f"{_megabytes(MAX_BUNDLE_BYTES)} sont acceptés (un millésime France fait 33 Mo).",
            )
        )
    return problems


def _megabytes(size: int) -> str:
    return f"{format_count(round(size / 1024**2))} Mo"


def _missing_file_message(name: str, release: str, files: dict[str, bytes]) -> str:
    message = f"fichier obligatoire absent pour les règles de calcul {release}"
    stem = name.removesuffix(".csv").lower()
    look_alikes = sorted(present for present in files if present.lower().rsplit(".", 1)[0] == stem)
    if look_alikes:
        message += f" ; un fichier « {look_alikes[0]} » est présent : attendu exactement « {name} » (CSV UTF-8)"
    return message + "."


def _check_readability_only(files: dict[str, bytes], collector: ProblemCollector) -> None:
    """Without a known rule set only the file-level problems (encoding, separator, empty file) can be reported."""
    for name in sorted(files):
        if name.endswith(".csv"):
            _read_table(name, files[name], collector)


# --- manifest.json ---------------------------------------------------------------------------------------------------


def _check_manifest(files: dict[str, bytes], collector: ProblemCollector) -> str | None:
    expected = f"attendu : un objet JSON avec « aldo_release » ({' ou '.join(sorted(RULE_SETS))})"
    if MANIFEST not in files:
        collector.add(MANIFEST, f"fichier absent ; {expected}.")
        return None
    try:
        manifest = json.loads(files[MANIFEST].decode("utf-8-sig"))
    except UnicodeDecodeError:
        collector.add(MANIFEST, "le fichier n'est pas encodé en UTF-8 ; enregistrez le fichier en UTF-8.")
        return None
    except json.JSONDecodeError as error:
        collector.add(MANIFEST, f"JSON invalide ({error.msg}, colonne {error.colno}) ; {expected}.", row=error.lineno)
        return None
    except RecursionError:
        collector.add(MANIFEST, _too_deep_message())
        return None
    if not isinstance(manifest, dict):
        collector.add(MANIFEST, f"le contenu n'est pas un objet JSON ; {expected}.")
        return None
    if not _check_manifest_storable(manifest, collector):
        return None
    release = manifest.get("aldo_release")
    if release is None:
        collector.add(MANIFEST, f"clé « aldo_release » absente ; {expected}.", column="aldo_release")
        return None
    if not isinstance(release, str) or release not in RULE_SETS:
        collector.add(
            MANIFEST,
            f"règles de calcul inconnues : aldo_release = « {release} » ; valeurs possibles : "
            f"{', '.join(sorted(RULE_SETS))}.",
            column="aldo_release",
        )
        return None
    return release


def _check_manifest_storable(manifest: dict, collector: ProblemCollector) -> bool:
    """What the database would refuse: NUL characters (PostgreSQL's text and jsonb), deep nesting, texts longer
    than their column. False when the manifest cannot be stored."""
    storable = True
    for path, value, depth in _json_items(manifest):
        if depth > MANIFEST_MAX_DEPTH:
            collector.add(MANIFEST, _too_deep_message(), column=path)
            return False
        if isinstance(value, str) and "\x00" in value:
            collector.add(MANIFEST, "la valeur contient un caractère nul (U+0000) ; supprimez-le.", column=path)
            storable = False
    for key, length in MANIFEST_TEXT_LENGTHS.items():
        value = manifest.get(key)
        if value is None:
            continue
        if not isinstance(value, str | int):
            collector.add(MANIFEST, f"attendu : un texte ; trouvé : {type(value).__name__}.", column=key)
            storable = False
        elif len(str(value)) > length:
            collector.add(
                MANIFEST,
                f"valeur de {len(str(value))} caractères ; au plus {length} caractères sont acceptés.",
                column=key,
            )
            storable = False
    return storable


def _json_items(value, path: str = "", depth: int = 1):
    """(path, value, depth) of every key and value of a parsed JSON document, keys included as values."""
    if depth > MANIFEST_MAX_DEPTH:
        yield path, value, depth
        return
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{path}.{key}" if path else key
            yield child_path, key, depth
            yield from _json_items(child, child_path, depth + 1)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _json_items(child, f"{path}[{index}]", depth + 1)
    else:
        yield path, value, depth


def _too_deep_message() -> str:
    return f"objets ou listes imbriqués sur plus de {MANIFEST_MAX_DEPTH} niveaux ; attendu : un objet JSON simple."


# --- Reading a CSV ---------------------------------------------------------------------------------------------------

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
PARSER_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
SEMICOLON_EXPORT = (
    "le fichier est séparé par des points-virgules (« ; »){decimal}, comme l'exporte Excel en français ; attendu : "
    "la virgule (« , ») comme séparateur de colonnes et le point (« . ») comme séparateur décimal."
)


def _read_table(name: str, data: bytes, collector: ProblemCollector) -> pd.DataFrame | None:
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


# --- Checks of one table ---------------------------------------------------------------------------------------------


def _check_table(name: str, table: pd.DataFrame, spec: TableSpec, collector: ProblemCollector) -> bool:
    """Column, type, format and uniqueness checks; False when a required column is missing."""
    missing = [column for column in spec.columns if column not in table.columns]
    for column in missing:
        collector.add(name, _missing_column_message(column, table.columns), column=column)
    if table.empty and not spec.may_have_no_rows:
        collector.add(name, "aucune ligne de données ; attendu : au moins une ligne après l'en-tête.")
    present = set(table.columns)
    for column in spec.codes:
        if column in present:
            _check_not_blank(name, table, column, collector)
    for column, rule in spec.numbers.items():
        if column in present:
            _check_numbers(name, table[column], column, rule, collector)
    for column, code_format in spec.formats.items():
        if column in present:
            _check_format(name, table[column], column, code_format, collector)
    for column, allowed in spec.allowed.items():
        if column in present:
            _check_allowed(name, table[column], column, allowed, collector)
    if spec.unique_key and set(spec.unique_key) <= present:
        _check_unique(name, table, spec.unique_key, collector)
    return not missing


def _missing_column_message(column: str, found: pd.Index) -> str:
    padded = [name for name in found if name.strip() == column]
    if padded:
        return f"colonne obligatoire absente : l'en-tête contient « {padded[0]} », avec des espaces en trop."
    return f"colonne obligatoire absente ; colonnes trouvées : {', '.join(found)}."


def _check_not_blank(name: str, table: pd.DataFrame, column: str, collector: ProblemCollector) -> None:
    values = table[column]
    blank = _mask_of_distinct_values(values, lambda distinct: distinct.str.strip() == "")
    collector.add_rows(
        name, column, values[blank], lambda _: "valeur manquante ; attendu : un code.", "valeur manquante"
    )


NON_FINITE_TEXTS = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def _check_numbers(name: str, values: pd.Series, column: str, rule: NumberRule, collector: ProblemCollector) -> None:
    numbers = pd.to_numeric(values, errors="coerce")
    unparsed = numbers.isna()
    if unparsed.any():
        texts = values[unparsed]
        blank = texts.str.strip() == ""
        non_finite = texts.str.strip().str.lower().isin(NON_FINITE_TEXTS)
        if rule.required:
            collector.add_rows(
                name, column, texts[blank], lambda _: "valeur manquante ; attendu : un nombre.", "valeur manquante"
            )
        collector.add_rows(name, column, texts[non_finite], _non_finite_message, "valeur non finie (NaN ou infini)")
        collector.add_rows(name, column, texts[~blank & ~non_finite], _not_a_number_message, "valeur non numérique")
    infinite = np.isinf(numbers)
    collector.add_rows(name, column, values[infinite], _non_finite_message, "valeur non finie (NaN ou infini)")
    if rule.non_negative:
        collector.add_rows(
            name,
            column,
            values[numbers < 0],
            lambda value: f"{rule.quantity} négative « {value} » ; attendu : un nombre positif ou nul.",
            f"{rule.quantity} négative",
        )
    if rule.at_most is not None:
        collector.add_rows(
            name,
            column,
            values[numbers > rule.at_most],
            lambda value: (
                f"{rule.quantity} « {value} » supérieure à {rule.at_most:g} ; attendu : au plus {rule.at_most:g}."
            ),
            f"{rule.quantity} supérieure à {rule.at_most:g}",
        )


def _non_finite_message(value: str) -> str:
    return f"valeur non finie « {value} » ; attendu : un nombre fini."


def _not_a_number_message(value: str) -> str:
    if DECIMAL_COMMA.match(value.strip()):
        with_point = value.strip().replace(",", ".")
        return f"valeur « {value} » avec une virgule décimale ; attendu : un nombre avec un point (« {with_point} »)."
    return f"valeur non numérique « {value} » ; attendu : un nombre (ex. 12.5)."


def _check_format(
    name: str, values: pd.Series, column: str, code_format: CodeFormat, collector: ProblemCollector
) -> pd.Series:
    """Report non-blank codes that do not match the format; returns the mask of those rows."""
    bad = _mask_of_bad_codes(values, code_format.pattern)
    collector.add_rows(
        name, column, values[bad], lambda value: _bad_code_message(value, code_format), "code mal formé"
    )
    return bad


def _mask_of_bad_codes(values: pd.Series, pattern: str) -> pd.Series:
    return _mask_of_distinct_values(values, lambda distinct: (distinct != "") & ~distinct.str.fullmatch(pattern))


def _mask_of_distinct_values(values: pd.Series, predicate: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Evaluate a string predicate on the distinct values only (codes repeat a lot), then map it back to the rows."""
    distinct = pd.Series(values.unique())
    return values.isin(distinct[predicate(distinct)])


SCIENTIFIC_NOTATION = re.compile(r"^\d[.,]\d*E\+?\d+$", re.IGNORECASE)
DECIMAL_FORMATTED_CODE = re.compile(r"^\d+[.,]0+$")


def _bad_code_message(value: str, code_format: CodeFormat) -> str:
    found = f"code « {value} » mal formé"
    if SCIENTIFIC_NOTATION.match(value):
        found += " (converti en notation scientifique, par Excel ?)"
    elif DECIMAL_FORMATTED_CODE.match(value):
        found += " (converti en nombre décimal, par Excel ?)"
    elif code_format.padded_length and value.isdigit() and len(value) < code_format.padded_length:
        found += f" : le zéro initial a été perdu (« {value.zfill(code_format.padded_length)} » attendu)"
    return f"{found} ; attendu : {code_format.expected}."


def _check_allowed(
    name: str, values: pd.Series, column: str, allowed: AllowedValues, collector: ProblemCollector
) -> None:
    unknown = (values != "") & ~values.isin(allowed.values)
    collector.add_rows(
        name,
        column,
        values[unknown],
        lambda value: f"valeur inconnue « {value} » ; attendu : {allowed.expected}.",
        "valeur inconnue",
    )


def _check_unique(name: str, table: pd.DataFrame, key: tuple[str, ...], collector: ProblemCollector) -> None:
    duplicated = table.duplicated(list(key), keep=False)
    if not duplicated.any():
        return
    members = table.loc[duplicated, list(key)]
    first_row = members.reset_index().groupby(list(key), sort=False)["index"].transform("min")
    first_row.index = members.index
    repeats = first_row[first_row.index != first_row]

    def describe(row_and_first: tuple[int, int]) -> str:
        row, first = row_and_first
        same_key = " et ".join(f"{column} « {value} »" for column, value in zip(key, members.loc[row], strict=True))
        return f"ligne en double : même {same_key} que la ligne {first} ; attendu : une clé unique."

    offending = pd.Series(list(zip(repeats.index, repeats, strict=True)), index=repeats.index, dtype=object)
    collector.add_rows(name, ", ".join(key), offending, describe, "ligne en double")


def _check_known(
    name: str,
    values: pd.Series,
    column: str,
    known: set[str],
    where: str,
    collector: ProblemCollector,
    ignore: pd.Series | None = None,
) -> None:
    """Referential check: every non-blank value must be in `known` ("absent de <where>")."""
    unknown = (values != "") & ~values.isin(known)
    if ignore is not None:
        unknown &= ~ignore
    collector.add_rows(
        name,
        column,
        values[unknown],
        lambda value: f"code inconnu « {value} » : absent de {where}.",
        f"code absent de {where}",
    )


# --- Constants -------------------------------------------------------------------------------------------------------


def _check_constants(constants: pd.DataFrame | None, required: tuple[str, ...], collector: ProblemCollector) -> None:
    if constants is None:
        return
    present = set(constants["name"])
    for constant in required:
        if constant not in present:
            collector.add(
                "constants.csv",
                f"constante obligatoire absente : « {constant} » ; attendu : une ligne name = {constant}.",
                column="name",
            )


# --- Table specifications --------------------------------------------------------------------------------------------


def _table_specs(release: str) -> dict[str, TableSpec]:
    is_hetre = release == HETRE
    unit_id = HETRE_EPCI_ID if is_hetre else INSEE_CODE
    epci_id = HETRE_EPCI_ID if is_hetre else SIREN
    reference_key_type = one_of("epci") if is_hetre else one_of("zpc")
    biomass_key_type = one_of("epci") if is_hetre else one_of("inter_region")
    land_uses = AllowedValues(ALDO_LAND_USES, "un usage des sols ALDO de niveau 2 (ex. « prairies zones arborées »)")
    specs = {
        "territories.csv": _hetre_territories_spec() if is_hetre else _chanterelle_territories_spec(),
        "clc_areas.csv": TableSpec(
            columns=("territory_id", "clc_code", "area_ha", "provenance"),
            codes=("territory_id", "clc_code", "provenance"),
            numbers={"area_ha": AREA},
            formats={"territory_id": unit_id},
            allowed={"clc_code": CLC_CODES, "provenance": PROVENANCE},
            unique_key=("territory_id", "clc_code"),
        ),
        # The CLC change layer legitimately holds several rows per (territory, 2012 class, 2018 class): no unique key.
        "clc_changes.csv": TableSpec(
            columns=("territory_id", "clc_code_2012", "clc_code_2018", "area_ha", "provenance"),
            codes=("territory_id", "clc_code_2012", "clc_code_2018", "provenance"),
            numbers={"area_ha": AREA},
            formats={"territory_id": unit_id},
            allowed={"clc_code_2012": CLC_CODES, "clc_code_2018": CLC_CODES, "provenance": PROVENANCE},
            may_have_no_rows=True,
        ),
        "forest_areas.csv": TableSpec(
            columns=(
                "insee",
                "ign_commune_code",
                "epci_siren",
                "composition",
                "area_ha",
                "code_groupeser",
                "code_greco",
                "code_rad13",
                "code_bassin_populicole",
                "provenance",
            ),
            codes=("insee", "ign_commune_code", "epci_siren", "composition", "provenance"),
            numbers={"area_ha": AREA},
            formats={"insee": INSEE_CODE, "epci_siren": epci_id},
            allowed={
                "composition": AllowedValues(FOREST_COMPOSITIONS, "Feuillu, Conifere, Mixte ou Peupleraie"),
                "provenance": PROVENANCE,
            },
            unique_key=(
                "insee",
                "composition",
                "code_groupeser",
                "code_greco",
                "code_rad13",
                "code_bassin_populicole",
            ),
        ),
        "hedges.csv": _hedges_spec(release, unit_id),
        "ref_soil_stocks.csv": TableSpec(
            columns=("key_type", "key", "soil_class", "tC_per_ha"),
            codes=("key_type", "key", "soil_class"),
            numbers={"tC_per_ha": OPTIONAL_DENSITY},
            formats={} if is_hetre else {"key": ZPC_CODE},
            allowed={
                "key_type": reference_key_type,
                "soil_class": AllowedValues(SOIL_CLASSES, "une classe de sol ALDO (ex. « cultures », « forêts »)"),
            },
            unique_key=("key_type", "key", "soil_class"),
        ),
        "ref_soil_flux.csv": TableSpec(
            columns=("key_type", "key", "from_flux_id", "to_flux_id", "value"),
            codes=("key_type", "key", "from_flux_id", "to_flux_id"),
            numbers={"value": OPTIONAL_VALUE},
            formats={} if is_hetre else {"key": ZPC_CODE},
            allowed={
                "key_type": reference_key_type,
                "from_flux_id": AllowedValues(FLUX_IDS, "un identifiant de flux ALDO (cult, prai, for, zh, …)"),
                "to_flux_id": AllowedValues(FLUX_IDS, "un identifiant de flux ALDO (cult, prai, for, zh, …)"),
            },
            unique_key=("key_type", "key", "from_flux_id", "to_flux_id"),
        ),
        "ref_biomass_stocks.csv": TableSpec(
            columns=("key_type", "key", "land_use", "tC_per_ha"),
            codes=("key_type", "key", "land_use"),
            numbers={"tC_per_ha": OPTIONAL_DENSITY},
            allowed={"key_type": biomass_key_type, "land_use": land_uses}
            | ({} if is_hetre else {"key": AllowedValues(INTER_REGIONS, ", ".join(sorted(INTER_REGIONS)))}),
            unique_key=("key_type", "key", "land_use"),
        ),
        "ref_biomass_flux.csv": TableSpec(
            columns=("key_type", "key", "from_land_use", "to_land_use", "value"),
            codes=("key_type", "key", "from_land_use", "to_land_use"),
            numbers={"value": OPTIONAL_VALUE},
            allowed={"key_type": biomass_key_type, "from_land_use": land_uses, "to_land_use": land_uses}
            | ({} if is_hetre else {"key": AllowedValues(INTER_REGIONS, ", ".join(sorted(INTER_REGIONS)))}),
            unique_key=("key_type", "key", "from_land_use", "to_land_use"),
        ),
        "ref_forest_ign.csv": TableSpec(
            columns=(
                "type_localisation",
                "code_localisation",
                "nom_localisation",
                "composition",
                "surface_ic",
                *IGN_VALUE_COLUMNS,
            ),
            codes=("type_localisation", "code_localisation", "composition", "surface_ic"),
            numbers=dict.fromkeys(IGN_VALUE_COLUMNS, OPTIONAL_VALUE),
            allowed={
                "type_localisation": AllowedValues(
                    IGN_LOCALISATION_TYPES, "groupeser, greco, rad13, bassin_populicole ou France"
                ),
                "surface_ic": AllowedValues(IGN_SIGNIFICANCE_VALUES, "s (significatif) ou n.s"),
            },
            unique_key=("type_localisation", "code_localisation", "composition"),
        ),
        "ref_wood_region.csv": TableSpec(
            columns=("code_rad13", "pct_bo", "pct_bi"),
            codes=("code_rad13",),
            numbers=dict.fromkeys(("pct_bo", "pct_bi"), NumberRule(non_negative=True, at_most=100, quantity="part")),
            unique_key=("code_rad13",),
        ),
        "constants.csv": TableSpec(
            columns=("name", "value", "unit", "note"),
            codes=("name",),
            numbers={"value": NumberRule()},
            unique_key=("name",),
        ),
    }
    if not is_hetre:
        specs["ref_hedge_carbon.csv"] = TableSpec(
            columns=("dep_code", "tC_per_km_aboveground", "tC_per_km_total"),
            codes=("dep_code",),
            numbers=dict.fromkeys(
                ("tC_per_km_aboveground", "tC_per_km_total"), NumberRule(non_negative=True, quantity="densité")
            ),
            unique_key=("dep_code",),
        )
    return specs


def _hetre_territories_spec() -> TableSpec:
    return TableSpec(
        columns=(
            "territory_id",
            "territory_type",
            "name",
            "population",
            "n_communes",
            "regions",
            "soil_ref_key",
            "biomass_ref_key",
        ),
        codes=("territory_id", "territory_type", "soil_ref_key", "biomass_ref_key"),
        numbers={"population": COUNT, "n_communes": COUNT},
        formats={"territory_id": HETRE_EPCI_ID, "regions": REGION_CODE_LIST},
        allowed={"territory_type": one_of("epci")},
        unique_key=("territory_id",),
    )


def _chanterelle_territories_spec() -> TableSpec:
    """Row-type-specific checks (commune vs EPCI rows) are in `_check_chanterelle_territories`."""
    return TableSpec(
        columns=(
            "territory_id",
            "territory_type",
            "name",
            "epci_siren",
            "departement",
            "region",
            "population",
            "zpc",
            "inter_region",
            "in_hdf",
            "n_communes",
        ),
        codes=("territory_id", "territory_type"),
        numbers={"population": COUNT, "n_communes": COUNT},
        allowed={"territory_type": one_of("commune", "epci"), "in_hdf": one_of("True", "False")},
        unique_key=("territory_id",),
    )


def _hedges_spec(release: str, unit_id: CodeFormat) -> TableSpec:
    # CHANTERELLE dep_code is kept exactly as ALDO matches it ("02" vs "2", METHOD.md §2.5): no format check.
    if release == HETRE:
        columns, measure, unit = ("territory_id", "area_ha", "unit", "provenance"), "area_ha", "ha"
        rule = AREA
    else:
        columns, measure, unit = ("territory_id", "dep_code", "length_km", "unit", "provenance"), "length_km", "km"
        rule = NumberRule(non_negative=True, quantity="longueur")
    return TableSpec(
        columns=columns,
        codes=tuple(column for column in columns if column != measure),
        numbers={measure: rule},
        formats={"territory_id": unit_id},
        allowed={"unit": one_of(unit), "provenance": PROVENANCE},
        unique_key=("territory_id",),
        may_have_no_rows=True,
    )


# --- Cross-file checks -----------------------------------------------------------------------------------------------


def _check_forest_tables(frames: dict[str, pd.DataFrame], collector: ProblemCollector) -> None:
    if "forest_areas.csv" in frames:
        _check_ign_commune_codes(frames["forest_areas.csv"], collector)
    if "ref_forest_ign.csv" in frames:
        _check_significant_ign_rows(frames["ref_forest_ign.csv"], collector)


def _check_significant_ign_rows(ign: pd.DataFrame, collector: ProblemCollector) -> None:
    """Blank values are allowed on non-significant rows only (surface_ic = n.s); ALDO uses the significant ones."""
    significant = ign[ign["surface_ic"] == "s"]
    for column in IGN_VALUE_COLUMNS:
        values = significant[column]
        collector.add_rows(
            "ref_forest_ign.csv",
            column,
            values[values.str.strip() == ""],
            lambda _: "valeur manquante sur une ligne significative (surface_ic = s) ; attendu : un nombre.",
            "valeur manquante sur une ligne significative",
        )


def _check_ign_commune_codes(forest: pd.DataFrame, collector: ProblemCollector) -> None:
    """ALDO's IGN file writes the INSEE code without its leading zero; both columns must agree."""
    expected = forest["insee"].str.lstrip("0")
    mismatch = (forest["ign_commune_code"] != expected) & (forest["ign_commune_code"] != "")
    offending = pd.Series(
        list(zip(forest.loc[mismatch, "ign_commune_code"], forest.loc[mismatch, "insee"], strict=True)),
        index=forest.index[mismatch],
        dtype=object,
    )
    collector.add_rows(
        "forest_areas.csv",
        "ign_commune_code",
        offending,
        lambda pair: (
            f"code « {pair[0]} » incohérent avec insee « {pair[1]} » ; attendu : le code INSEE sans zéro "
            f"initial (« {pair[1].lstrip('0')} »)."
        ),
        "code IGN incohérent avec le code INSEE",
    )


def _check_unit_references(
    frames: dict[str, pd.DataFrame], units: set[str], unit_format: CodeFormat, where: str, collector: ProblemCollector
) -> None:
    """Unit ids of the area, change and hedge tables must exist in territories.csv (malformed ids: reported)."""
    for name in ("clc_areas.csv", "clc_changes.csv", "hedges.csv"):
        if name in frames:
            ids = frames[name]["territory_id"]
            badly_formed = _mask_of_bad_codes(ids, unit_format.pattern)
            _check_known(name, ids, "territory_id", units, where, collector, ignore=badly_formed)


def _check_reference_keys(
    values: pd.Series,
    column: str,
    frames: dict[str, pd.DataFrame],
    tables: tuple[str, str],
    collector: ProblemCollector,
    ignore: pd.Series | None = None,
) -> None:
    """The lookup keys of territories.csv must exist in the reference tables that ALDO looks them up in."""
    for table in tables:
        if table in frames:
            keys = set(frames[table]["key"])
            _check_known("territories.csv", values, column, keys, table, collector, ignore=ignore)


def _check_hetre_references(frames: dict[str, pd.DataFrame], collector: ProblemCollector) -> None:
    territories = frames.get("territories.csv")
    if territories is None:
        return
    units = set(territories["territory_id"])
    where = "territories.csv"
    _check_unit_references(frames, units, HETRE_EPCI_ID, where, collector)
    if "forest_areas.csv" in frames:
        epci = frames["forest_areas.csv"]["epci_siren"]
        _check_known(
            "forest_areas.csv",
            epci,
            "epci_siren",
            units,
            where,
            collector,
            ignore=_mask_of_bad_codes(epci, HETRE_EPCI_ID.pattern),
        )
    _check_reference_keys(
        territories["soil_ref_key"], "soil_ref_key", frames, ("ref_soil_stocks.csv", "ref_soil_flux.csv"), collector
    )
    _check_reference_keys(
        territories["biomass_ref_key"],
        "biomass_ref_key",
        frames,
        ("ref_biomass_stocks.csv", "ref_biomass_flux.csv"),
        collector,
    )


def _check_chanterelle_references(frames: dict[str, pd.DataFrame], collector: ProblemCollector) -> None:
    territories = frames.get("territories.csv")
    if territories is None:
        return
    communes = territories[territories["territory_type"] == "commune"]
    epcis = territories[territories["territory_type"] == "epci"]
    _check_chanterelle_territories(communes, epcis, frames, collector)

    commune_ids = set(communes["territory_id"])
    epci_ids = set(epcis["territory_id"])
    communes_where = "territories.csv (lignes territory_type = commune)"
    epcis_where = "territories.csv (lignes territory_type = epci)"
    _check_unit_references(frames, commune_ids, INSEE_CODE, communes_where, collector)
    if "forest_areas.csv" in frames:
        forest = frames["forest_areas.csv"]
        _check_known(
            "forest_areas.csv",
            forest["insee"],
            "insee",
            commune_ids,
            communes_where,
            collector,
            ignore=_mask_of_bad_codes(forest["insee"], INSEE_CODE.pattern),
        )
        _check_known(
            "forest_areas.csv",
            forest["epci_siren"],
            "epci_siren",
            epci_ids,
            epcis_where,
            collector,
            ignore=_mask_of_bad_codes(forest["epci_siren"], SIREN.pattern),
        )


def _check_chanterelle_territories(
    communes: pd.DataFrame, epcis: pd.DataFrame, frames: dict[str, pd.DataFrame], collector: ProblemCollector
) -> None:
    name = "territories.csv"
    for column in ("epci_siren", "departement", "region", "zpc", "inter_region", "in_hdf"):
        _check_not_blank(name, communes, column, collector)
    bad_siren = _check_format(name, communes["epci_siren"], "epci_siren", SIREN, collector)
    _check_format(name, communes["territory_id"], "territory_id", INSEE_CODE, collector)
    _check_format(name, communes["departement"], "departement", DEPARTEMENT_CODE, collector)
    _check_format(name, communes["region"], "region", REGION_CODE, collector)
    bad_zpc = _check_format(name, communes["zpc"], "zpc", ZPC_CODE, collector)
    _check_format(name, epcis["territory_id"], "territory_id", SIREN, collector)
    inter_regions = AllowedValues(INTER_REGIONS, ", ".join(sorted(INTER_REGIONS)))
    _check_allowed(name, communes["inter_region"], "inter_region", inter_regions, collector)

    _check_known(
        name,
        communes["epci_siren"],
        "epci_siren",
        set(epcis["territory_id"]),
        "territories.csv (lignes territory_type = epci)",
        collector,
        ignore=bad_siren,
    )
    _check_reference_keys(
        communes["zpc"], "zpc", frames, ("ref_soil_stocks.csv", "ref_soil_flux.csv"), collector, ignore=bad_zpc
    )
    _check_reference_keys(
        communes["inter_region"],
        "inter_region",
        frames,
        ("ref_biomass_stocks.csv", "ref_biomass_flux.csv"),
        collector,
        ignore=~communes["inter_region"].isin(INTER_REGIONS),
    )


RULE_SETS = {
    HETRE: RuleSet(_table_specs(HETRE), COMMON_CONSTANTS, _check_hetre_references),
    CHANTERELLE: RuleSet(
        _table_specs(CHANTERELLE),
        COMMON_CONSTANTS + CHANTERELLE_ONLY_CONSTANTS,
        _check_chanterelle_references,
    ),
}
