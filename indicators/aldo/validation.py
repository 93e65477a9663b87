"""Validate the files of an ALDO release bundle and report every problem at once, in French.

The format is described in docs/bundle_format.md. The manifest names the calculation method (`aldo_release`); its rule
set (`rules/`) says which tables the bundle must have, with which columns, and which cross-table references to check.
Every CSV is read as strings (`reading`), then checked with vectorised pandas operations (`checks`).
"""

from __future__ import annotations

import json

import pandas as pd

from .checks import MAX_ROWS_PER_CHECK, Frames, ProblemCollector, check_constants, check_table
from .problems import Problem, format_count
from .reading import read_table
from .rules import RULE_SETS
from .specs import FOREST_LAND_USES, IGN_VALUE_COLUMNS, LAND_USE_AREAS

MAX_FILE_BYTES = 64 * 1024**2
"""Largest file a bundle can plausibly hold, decompressed: the largest real one, France's clc_areas.csv, is 19.5 MB."""
MAX_BUNDLE_BYTES = 128 * 1024**2
"""Largest plausible bundle, decompressed: the France CHANTERELLE bundle is 33 MB."""
MANIFEST_TEXT_LENGTHS = {"aldo_commit": 40, "scope": 40}
"""Manifest fields kept in a database column of their own, and the column's length (the Release model reads it)."""
MANIFEST_MAX_DEPTH = 16
"""Nesting of objects and lists in manifest.json: real manifests have 2 levels."""

MANIFEST = "manifest.json"

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

    alternatives = {name: group for group in rule_set.exclusive_tables for name in group}
    frames: dict[str, pd.DataFrame] = {}
    for name, spec in rule_set.tables.items():
        group = alternatives.get(name, (name,))
        present = [member for member in group if member in files]
        if name not in files:
            if not present and name == group[0]:
                collector.add(name, _missing_file_message(group, release, files))
            continue
        if len(present) > 1 and name == present[-1]:
            collector.add(name, f"{' et '.join(present)} sont présents ensemble ; attendu : un seul de ces fichiers.")
        frame = read_table(name, files[name], collector)
        if frame is None:
            continue
        if check_table(name, frame, spec, collector):
            frames[name] = frame
    check_constants(frames.get("constants.csv"), rule_set.constants, collector)
    _check_forest_tables(frames, files, collector)
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


def _missing_file_message(expected: tuple[str, ...], release: str, files: dict[str, bytes]) -> str:
    """`expected`: the required file, or its alternatives (exactly one of them)."""
    message = f"fichier obligatoire absent pour les règles de calcul {release}"
    if len(expected) > 1:
        message += f" ; attendu : {' ou '.join(expected)} (un seul de ces fichiers)"
    for name in expected:
        stem = name.removesuffix(".csv").lower()
        look_alikes = sorted(present for present in files if present.lower().rsplit(".", 1)[0] == stem)
        if look_alikes:
            message += f" ; un fichier « {look_alikes[0]} » est présent : attendu exactement « {name} » (CSV UTF-8)"
    return message + "."


def _check_readability_only(files: dict[str, bytes], collector: ProblemCollector) -> None:
    """Without a known rule set only the file-level problems (encoding, separator, empty file) can be reported."""
    for name in sorted(files):
        if name.endswith(".csv"):
            read_table(name, files[name], collector)


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
    note = manifest.get("note")
    if note is not None and not isinstance(note, str):
        collector.add(
            MANIFEST,
            f"« note » vaut {json.dumps(note, ensure_ascii=False)} ; attendu : un texte en français (la note "
            "montrée avec le millésime).",
            column="note",
        )
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


# --- Cross-file checks -----------------------------------------------------------------------------------------------


def _check_forest_tables(frames: Frames, files: dict[str, bytes], collector: ProblemCollector) -> None:
    if "forest_areas.csv" in frames:
        _check_ign_commune_codes(frames["forest_areas.csv"], collector)
    if "ref_forest_ign.csv" in frames:
        _check_significant_ign_rows(frames["ref_forest_ign.csv"], collector)
    if LAND_USE_AREAS in frames and "forest_areas.csv" in files:
        _check_no_forest_land_use_areas(frames[LAND_USE_AREAS], collector)


def _check_no_forest_land_use_areas(areas: pd.DataFrame, collector: ProblemCollector) -> None:
    """Forest areas come from forest_areas.csv, with the IGN localisation codes their densities depend on."""
    land_uses = areas["land_use"]
    collector.add_rows(
        LAND_USE_AREAS,
        "land_use",
        land_uses[land_uses.isin(FOREST_LAND_USES)],
        lambda land_use: (
            f"usage forestier « {land_use} » : les surfaces forestières viennent de forest_areas.csv ; attendu : "
            "un usage des sols non forestier (cultures, prairies, zones humides, vergers, vignes, sols artificiels)."
        ),
        "usage forestier (les surfaces forestières viennent de forest_areas.csv)",
    )


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


__all__ = ["MAX_ROWS_PER_CHECK", "validate_bundle_files"]
