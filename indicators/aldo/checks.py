"""Checks of bundle tables read as strings: columns, numbers, code formats, allowed values, uniqueness, references.

Every check is vectorised (the 33 MB France bundles validate in a few seconds). A problem repeated on many rows of the
same column is reported for the first `MAX_ROWS_PER_CHECK` rows, followed by one summary line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .problems import Problem, format_count
from .specs import AllowedValues, CodeFormat, NumberRule, TableSpec

MAX_ROWS_PER_CHECK = 20
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
Frames = Mapping[str, pd.DataFrame]
"""The tables that passed their column checks, by file name."""


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


# --- Checks of one table ---------------------------------------------------------------------------------------------


def check_table(name: str, table: pd.DataFrame, spec: TableSpec, collector: ProblemCollector) -> bool:
    """Column, type, format and uniqueness checks; False when a required column is missing."""
    missing = [column for column in spec.columns if column not in table.columns]
    for column in missing:
        collector.add(name, _missing_column_message(column, table.columns), column=column)
    if table.empty and not spec.may_have_no_rows:
        collector.add(name, "aucune ligne de données ; attendu : au moins une ligne après l'en-tête.")
    present = set(table.columns)
    for column in spec.codes:
        if column in present:
            check_not_blank(name, table, column, collector)
    for column, rule in spec.numbers.items():
        if column in present:
            _check_numbers(name, table[column], column, rule, collector)
    for column, code_format in spec.formats.items():
        if column in present:
            check_format(name, table[column], column, code_format, collector)
    for column, allowed in spec.allowed.items():
        if column in present:
            check_allowed(name, table[column], column, allowed, collector)
    if spec.unique_key and set(spec.unique_key) <= present:
        _check_unique(name, table, spec.unique_key, collector)
    return not missing


def _missing_column_message(column: str, found: pd.Index) -> str:
    padded = [name for name in found if name.strip() == column]
    if padded:
        return f"colonne obligatoire absente : l'en-tête contient « {padded[0]} », avec des espaces en trop."
    return f"colonne obligatoire absente ; colonnes trouvées : {', '.join(found)}."


def check_not_blank(name: str, table: pd.DataFrame, column: str, collector: ProblemCollector) -> None:
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


def check_format(
    name: str, values: pd.Series, column: str, code_format: CodeFormat, collector: ProblemCollector
) -> pd.Series:
    """Report non-blank codes that do not match the format; returns the mask of those rows."""
    bad = mask_of_bad_codes(values, code_format.pattern)
    collector.add_rows(
        name, column, values[bad], lambda value: _bad_code_message(value, code_format), "code mal formé"
    )
    return bad


def mask_of_bad_codes(values: pd.Series, pattern: str) -> pd.Series:
    return _mask_of_distinct_values(values, lambda distinct: (distinct != "") & ~distinct.str.fullmatch(pattern))


def _mask_of_distinct_values(values: pd.Series, predicate: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Evaluate a string predicate on the distinct values only (codes repeat a lot), then map it back to the rows
    through their codes (one pass of hashing over the column, where unique then isin took two)."""
    codes, distinct = pd.factorize(values)
    matches = np.append(predicate(pd.Series(distinct, dtype=object)).to_numpy(dtype=bool), False)  # code -1: NaN
    return pd.Series(matches[codes], index=values.index)


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


def check_allowed(
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


def check_known(
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


# --- Constants and references across files ---------------------------------------------------------------------------


def check_constants(constants: pd.DataFrame | None, required: tuple[str, ...], collector: ProblemCollector) -> None:
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


def check_unit_references(
    frames: Frames, units: set[str], unit_format: CodeFormat, where: str, collector: ProblemCollector
) -> None:
    """Unit ids of the area, change and hedge tables must exist in territories.csv (malformed ids: reported)."""
    for name in ("clc_areas.csv", "land_use_areas.csv", "clc_changes.csv", "hedges.csv"):
        if name in frames:
            check_known_codes(name, frames[name], "territory_id", unit_format, units, where, collector)


def check_known_codes(
    name: str,
    table: pd.DataFrame,
    column: str,
    code_format: CodeFormat,
    known: set[str],
    where: str,
    collector: ProblemCollector,
) -> None:
    """`check_known`, leaving out the malformed codes (their format check reports them)."""
    values = table[column]
    check_known(name, values, column, known, where, collector, ignore=mask_of_bad_codes(values, code_format.pattern))


def check_reference_keys(
    values: pd.Series,
    column: str,
    frames: Frames,
    tables: tuple[str, str],
    collector: ProblemCollector,
    ignore: pd.Series | None = None,
) -> None:
    """The lookup keys of territories.csv must exist in the reference tables that ALDO looks them up in."""
    for table in tables:
        if table in frames:
            keys = set(frames[table]["key"])
            check_known("territories.csv", values, column, keys, table, collector, ignore=ignore)
