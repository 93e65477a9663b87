"""An indicator series as an editor delivers it, read and checked without Django.

Two files: metadata (TOML, ``metadonnees.toml``) and values (CSV, ``valeurs.csv``: one row per place, period and
dimension values). ``read_series`` returns the validated series or raises ``InvalidSeries`` listing every problem at
once, each naming its file, row and column in French. What the values are checked against (the site's territories,
the reference zones, the units the site can write) comes in a ``Reference``, built by the caller.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from pathlib import Path

from ..aldo.problems import Problem, format_count
from .model import (
    EMISSIONS_ROLE,
    Dimension,
    Reference,
    SeriesFile,
    SeriesMetadata,
    SeriesRow,
    Zone,
)

METADATA_FILE = "metadonnees.toml"
VALUES_FILE = "valeurs.csv"
KIND, CODE, PERIOD, VALUE = "type_territoire", "code_territoire", "periode", "valeur"
BASE_COLUMNS = (KIND, CODE, PERIOD, VALUE)
CHART_KINDS = {"": "", "barres": "bar", "courbes": "line", "colonnes": "column"}
MAX_PROBLEMS = 200
SLUG = re.compile(r"[a-z][a-z0-9-]{1,58}")
DIMENSION_COLUMN = re.compile(r"[a-z][a-z0-9_]{0,31}")
PERIOD_PATTERN = re.compile(r"(\d{4})(?:-(\d{4}))?")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Metadata keys: French name in the file → what the key holds (said in problems).
REQUIRED_KEYS = {
    "slug": "identifiant de la série dans les adresses (minuscules, chiffres et tirets)",
    "nom": "nom de l'indicateur, en français",
    "definition": "définition de l'indicateur",
    "unite": "unité des valeurs",
    "convention_signe": "convention de signe des valeurs",
    "source": "source des données",
    "licence": "licence de réutilisation",
    "geographie": "géographie des codes de territoires",
    "frequence": "fréquence de mise à jour",
}
OPTIONAL_KEYS = {
    "nom_court": "nom de l'onglet Excel (31 caractères au plus)",
    "dimensions": "dimensions (colonnes en plus du territoire, de la période et de la valeur)",
    "tableaux": "dimension selon laquelle la page de l'indicateur découpe ses tableaux",
    "role": "« emissions » pour les émissions de GES d'un territoire",
    "graphique": "type de graphique : barres, courbes ou colonnes",
    "note": "remarque montrée sous les tableaux",
    "libelle_reference": "nom des valeurs nationales quand elles servent de référence",
    "sens_en_mots": "vrai si une valeur négative est une séquestration (dite en mots)",
    "decimales": "nombre de décimales affichées (sinon celui de l'unité)",
}


class InvalidSeries(Exception):
    """The series cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InvalidSeries needs at least one problem")
        self.problems = list(problems)
        first, count = problems[0], len(problems)
        super().__init__(
            f"La série contient 1 problème : {first}"
            if count == 1
            else f"La série contient {format_count(count)} problèmes (premier : {first})"
        )


def read_zones(path: Path) -> dict[tuple[str, str], Zone]:
    """The reference zones declared in ``path`` (CSV: kind, code, name, departements separated by ";")."""
    with path.open(encoding="utf-8", newline="") as handle:
        zones = [
            Zone(row["kind"], row["code"], row["name"], frozenset(filter(None, row["departements"].split(";"))))
            for row in csv.DictReader(handle)
        ]
    return {zone.key: zone for zone in zones}


def read_series(
    metadata: bytes, metadata_name: str, values: bytes, values_name: str, reference: Reference
) -> SeriesFile:
    """The validated series of these two files; raises ``InvalidSeries`` with every problem found."""
    problems: list[Problem] = []
    meta = _read_metadata(metadata, metadata_name, reference, problems)
    rows = _read_values(values, values_name, meta, reference, problems) if meta else []
    if problems:
        if len(problems) > MAX_PROBLEMS:
            hidden = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [
                Problem(values_name, None, None, f"… et {format_count(hidden)} autres problèmes non listés.")
            ]
        raise InvalidSeries(problems)
    return SeriesFile(meta, rows)


def _read_metadata(content: bytes, name: str, reference: Reference, problems: list[Problem]) -> SeriesMetadata | None:
    def problem(key: str | None, message: str, row: int | None = None) -> None:
        problems.append(Problem(name, row, key, message))

    try:
        data = tomllib.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problem(None, "le fichier n'est pas encodé en UTF-8.")
        return None
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        problem(None, f"le fichier n'est pas un TOML valide ({error}).", int(line.group(1)) if line else None)
        return None

    known = {**REQUIRED_KEYS, **OPTIONAL_KEYS}
    for key in data:
        if key not in known:
            problem(key, f"champ inconnu « {key} » ; champs possibles : {', '.join(known)}.")
    texts = {}
    for key, meaning in known.items():
        value = data.get(key)
        if key in ("dimensions", "sens_en_mots", "decimales"):
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if key in REQUIRED_KEYS:
                problem(key, f"champ obligatoire manquant : « {key} » ({meaning}).")
            texts[key] = ""
        elif not isinstance(value, str):
            problem(key, f"« {key} » doit être un texte entre guillemets ({meaning}).")
            texts[key] = ""
        else:
            texts[key] = value.strip()

    slug = texts["slug"]
    if slug and not SLUG.fullmatch(slug):
        problem(
            "slug", f"identifiant « {slug} » invalide : minuscules sans accent, chiffres et tirets, 2 à 59 signes."
        )
    elif slug in reference.reserved_slugs:
        problem("slug", f"l'identifiant « {slug} » est déjà celui d'un indicateur ALDO du site.")
    unit = texts["unite"]
    if unit and unit not in reference.units:
        problem("unite", f"unité « {unit} » inconnue ; unités possibles : {', '.join(sorted(reference.units))}.")
    geography = texts["geographie"]
    if geography and geography not in reference.territories:
        known_geographies = ", ".join(sorted(reference.territories))
        problem("geographie", f"géographie « {geography} » inconnue ; géographies possibles : {known_geographies}.")
    short_name = texts["nom_court"]
    if len(short_name) > 31 or SHEET_FORBIDDEN.search(short_name):
        problem("nom_court", "le nom de l'onglet doit tenir en 31 caractères, sans [ ] : * ? / \\.")
    if texts["graphique"] not in CHART_KINDS:
        problem("graphique", f"type de graphique « {texts['graphique']} » inconnu : barres, courbes ou colonnes.")

    dimensions = _read_dimensions(data.get("dimensions", []), problem)
    columns = {dimension.column for dimension in dimensions}
    if texts["tableaux"] and texts["tableaux"] not in columns:
        problem("tableaux", f"« {texts['tableaux']} » n'est pas une des dimensions déclarées.")
    role = texts["role"]
    if role not in ("", EMISSIONS_ROLE):
        problem("role", f"rôle « {role} » inconnu : le seul rôle possible est « {EMISSIONS_ROLE} ».")
    elif role == EMISSIONS_ROLE:
        if unit in reference.units and unit not in reference.emission_units:
            units = ", ".join(sorted(reference.emission_units))
            problem("unite", f"une série d'émissions s'exprime en {units} (unité trouvée : « {unit} »).")
        if dimensions:
            problem("dimensions", "une série d'émissions donne le total du territoire : elle n'a pas de dimension.")
    in_words = data.get("sens_en_mots", False)
    if not isinstance(in_words, bool):
        problem("sens_en_mots", "« sens_en_mots » vaut true ou false (sans guillemets).")
        in_words = False

    decimals = data.get("decimales")
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3
    ):
        problem("decimales", "« decimales » est un nombre entier de 0 à 3 (sans guillemets).")
        decimals = None

    if any(found.file == name for found in problems):
        return None
    return SeriesMetadata(
        slug=slug,
        name=texts["nom"],
        definition=texts["definition"],
        unit=unit,
        sign_convention=texts["convention_signe"],
        source=texts["source"],
        licence=texts["licence"],
        geography=geography,
        frequency=texts["frequence"],
        short_name=short_name,
        dimensions=dimensions,
        tables_by=texts["tableaux"],
        role=role,
        chart=CHART_KINDS[texts["graphique"]],
        note=texts["note"],
        reference_label=texts["libelle_reference"],
        in_words=in_words,
        decimals=decimals,
    )


def _read_dimensions(declared, problem) -> tuple[Dimension, ...]:
    if not isinstance(declared, list):
        problem("dimensions", "« dimensions » se déclare par des tables [[dimensions]] (colonne, libelle).")
        return ()
    dimensions = []
    for position, entry in enumerate(declared, start=1):
        column = entry.get("colonne", "") if isinstance(entry, dict) else ""
        label = entry.get("libelle", "") if isinstance(entry, dict) else ""
        where = f"dimension n° {position}"
        if not isinstance(column, str) or not DIMENSION_COLUMN.fullmatch(column):
            problem(
                "dimensions", f"{where} : « colonne » doit être un nom de colonne en minuscules (ex. « secteur »)."
            )
        elif column in BASE_COLUMNS or column in {dimension.column for dimension in dimensions}:
            problem("dimensions", f"{where} : la colonne « {column} » est déjà prise.")
        elif not isinstance(label, str) or not label.strip():
            problem("dimensions", f"{where} : « libelle » manquant (nom de la dimension en français).")
        else:
            dimensions.append(Dimension(column, label.strip()))
    return tuple(dimensions)


def parse_number(text: str) -> float | None:
    """A number as a French or English spreadsheet writes it: "−1 234,5", "-1234.5"; None if it is not one."""
    cleaned = text.strip().replace("\u2212", "-").replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    try:
        number = float(cleaned.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _read_values(
    content: bytes, name: str, meta: SeriesMetadata, reference: Reference, problems: list[Problem]
) -> list[SeriesRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(
            Problem(name, None, None, "le fichier n'est pas encodé en UTF-8 (enregistrez-le en CSV UTF-8).")
        )
        return []
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        problems.append(
            Problem(name, None, None, "le fichier est vide : il faut une ligne d'en-tête puis les valeurs.")
        )
        return []
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [column.strip() for column in next(reader)]
    dimension_columns = [dimension.column for dimension in meta.dimensions]
    expected = [*BASE_COLUMNS[:3], *dimension_columns, VALUE]
    missing = [column for column in expected if column not in header]
    for column in missing:
        problems.append(
            Problem(name, 1, column, f"colonne « {column} » manquante ; colonnes attendues : {', '.join(expected)}.")
        )
    for column in header:
        if column not in expected:
            problems.append(
                Problem(
                    name,
                    1,
                    column,
                    f"colonne « {column} » inattendue (une dimension doit être déclarée dans les métadonnées).",
                )
            )
    if len(set(header)) != len(header):
        problems.append(Problem(name, 1, None, "l'en-tête nomme deux fois la même colonne."))
    if missing or len(set(header)) != len(header):
        return []

    position = {column: header.index(column) for column in expected}
    rows: list[SeriesRow] = []
    seen: dict[tuple, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        values = {column: cells[position[column]].strip() for column in expected}

        def problem(column: str, message: str, line=line) -> None:
            problems.append(Problem(name, line, column, message))

        count = len(problems)
        kind, code = values[KIND], values[CODE]
        _check_place(kind, code, meta.geography, reference, problem)
        period = values[PERIOD]
        match = PERIOD_PATTERN.fullmatch(period)
        if not match or (match.group(2) and int(match.group(2)) <= int(match.group(1))):
            problem(
                PERIOD, f"période « {period} » invalide : une année (2018) ou deux années croissantes (2019-2023)."
            )
        for column in dimension_columns:
            if not values[column]:
                problem(column, f"valeur de la dimension « {column} » manquante.")
        number = parse_number(values[VALUE])
        if number is None:
            problem(VALUE, f"« {values[VALUE]} » n'est pas un nombre." if values[VALUE] else "valeur manquante.")
        if len(problems) > count:
            continue
        dimensions = tuple(values[column] for column in dimension_columns)
        key = (kind, code, period, dimensions)
        if key in seen:
            problem(KIND, f"ligne en double : même territoire, période et dimensions que la ligne {seen[key]}.")
            continue
        seen[key] = line
        rows.append(SeriesRow(kind, code, period, dimensions, number, line))
    if not rows and not problems:
        problems.append(Problem(name, None, None, "aucune valeur : le fichier n'a que sa ligne d'en-tête."))
    return rows


def _check_place(kind: str, code: str, geography: str, reference: Reference, problem) -> None:
    zone_kinds = {zone_kind for zone_kind, _ in reference.zones}
    if kind not in reference.territory_kinds | zone_kinds:
        kinds = ", ".join(sorted(reference.territory_kinds | zone_kinds))
        problem(KIND, f"type de territoire « {kind} » inconnu ; types possibles : {kinds}.")
        return
    if kind in zone_kinds:
        if (kind, code) not in reference.zones:
            codes = ", ".join(zone_code for zone_kind, zone_code in reference.zones if zone_kind == kind)
            problem(CODE, f"code « {code} » inconnu pour le type « {kind} » ; codes possibles : {codes}.")
        return
    if (kind, code) in reference.territories.get(geography, frozenset()):
        return
    elsewhere = [other for other, places in reference.territories.items() if (kind, code) in places]
    if elsewhere:
        problem(
            CODE,
            f"code « {code} » ({kind}) inconnu en géographie {geography}, mais connu en géographie "
            f"{', '.join(elsewhere)} : vérifiez la géographie déclarée dans les métadonnées.",
        )
        return
    hint = ""
    for width in (2, 5, 9):
        padded = code.zfill(width)
        if padded != code and (kind, padded) in reference.territories.get(geography, frozenset()):
            hint = f" Un zéro initial a-t-il été perdu (« {padded} ») ?"
    problem(CODE, f"code « {code} » ({kind}) inconnu en géographie {geography}.{hint}")
