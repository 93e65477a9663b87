"""Which computation units make each territory: a long (territory, unit) membership table, and sums over it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .bundle import Bundle
from .common import ARRONDISSEMENTS

UNIT_LABELS = {"commune": ("commune", "communes"), "epci": ("EPCI", "EPCI")}
MAX_LISTED_UNKNOWN = 20


@dataclass(frozen=True)
class Membership:
    keys: np.ndarray
    """Keys of the computable territories (object array); territory t is keys[t]."""
    territory: np.ndarray
    unit: np.ndarray
    """Position of each member in `unit_ids`."""
    unit_ids: pd.Index
    """The units used by at least one territory (positions into this subset)."""


def resolve_membership(bundle: Bundle, territories: Mapping[str, Collection[str]]) -> tuple[Membership, dict]:
    all_unit_ids = pd.Index(bundle.units["id"])
    keys = list(territories)
    flat_territory: list[int] = []
    flat_ids: list[str] = []
    for position, key in enumerate(keys):
        ids = [str(unit_id) for unit_id in territories[key]]
        flat_ids.extend(ids)
        flat_territory.extend([position] * len(ids))
    if bundle.unit_kind == "commune":
        _add_arrondissements(flat_territory, flat_ids, all_unit_ids)

    territory = np.array(flat_territory, dtype=np.int64)
    unit = all_unit_ids.get_indexer(flat_ids) if flat_ids else np.array([], dtype=np.int64)
    unavailable = {}
    singular, plural = UNIT_LABELS[bundle.unit_kind]
    unknown = unit < 0
    if unknown.any():
        unknown_ids = pd.Series(np.array(flat_ids, dtype=object)[unknown]).groupby(territory[unknown]).unique()
        for position, ids in unknown_ids.items():
            listed = ", ".join(ids[:MAX_LISTED_UNKNOWN]) + (" …" if len(ids) > MAX_LISTED_UNKNOWN else "")
            unavailable[keys[position]] = (
                f"{len(ids)} {singular if len(ids) == 1 else plural} absente(s) du millésime "
                f"{bundle.rule_set} : {listed}."
            )
    has_member = np.zeros(len(keys), dtype=bool)
    has_member[territory] = True
    for position in np.flatnonzero(~has_member):
        unavailable[keys[position]] = f"aucune {singular} : le territoire est vide."

    computable = np.array([key not in unavailable for key in keys], dtype=bool)
    keep = computable[territory]
    pairs = np.unique(np.column_stack([territory[keep], unit[keep]]), axis=0)
    new_territory = np.cumsum(computable) - 1
    used_units, unit_position = np.unique(pairs[:, 1], return_inverse=True)
    membership = Membership(
        keys=np.array(keys, dtype=object)[computable],
        territory=new_territory[pairs[:, 0]],
        unit=unit_position.reshape(-1),
        unit_ids=all_unit_ids[used_units],
    )
    return membership, unavailable


def _add_arrondissements(flat_territory: list[int], flat_ids: list[str], unit_ids: pd.Index) -> None:
    """Selecting Paris, Lyon or Marseille selects its municipal arrondissements too (METHOD.md §5)."""
    if ARRONDISSEMENTS.keys().isdisjoint(flat_ids):
        return
    for position, unit_id in list(zip(flat_territory, flat_ids, strict=True)):
        for arrondissement in ARRONDISSEMENTS.get(unit_id, ()):
            if arrondissement in unit_ids:
                flat_territory.append(position)
                flat_ids.append(arrondissement)


def sum_by_territory(matrix: np.ndarray, membership: Membership) -> np.ndarray:
    """(territories, columns) sums of the unit rows of `matrix` over each territory's members.

    A territory of one unit (every commune) takes that unit's row as it is; only groups are summed: a segmented sum
    over tens of thousands of one-row segments cost several times the copy (France: 36 000 territories)."""
    n_territories = len(membership.keys)
    single = np.bincount(membership.territory, minlength=n_territories)[membership.territory] == 1
    result = np.zeros((n_territories, matrix.shape[1]))
    result[membership.territory[single]] = matrix[membership.unit[single]]
    grouped = np.flatnonzero(~single)
    if len(grouped):
        order = grouped[np.argsort(membership.territory[grouped], kind="stable")]
        territory = membership.territory[order]
        starts = np.flatnonzero(np.r_[True, territory[1:] != territory[:-1]])
        result[territory[starts]] = np.add.reduceat(matrix[membership.unit[order]], starts, axis=0)
    return result


def member_rows(membership: Membership, row_unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every (member, row of that member's unit): the row index and the member's territory."""
    counts = np.bincount(row_unit, minlength=len(membership.unit_ids))
    order = np.argsort(row_unit, kind="stable")
    first = np.cumsum(counts) - counts
    per_member = counts[membership.unit]
    member = np.repeat(np.arange(len(membership.unit)), per_member)
    offset = np.arange(per_member.sum()) - np.repeat(np.cumsum(per_member) - per_member, per_member)
    return order[first[membership.unit][member] + offset], membership.territory[member]
