"""The registry of ALDO calculation methods: HETRE (per EPCI) and CHANTERELLE (per commune).

A release names its method in manifest.json (`aldo_release`); bundle reading, validation, the engine and the notes
shown to users all take what is specific to that method from its RuleSet here.
"""

from __future__ import annotations

from collections.abc import Mapping

from .base import Formula, Practice, RuleSet
from .chanterelle import CHANTERELLE_RULES
from .hetre import HETRE_RULES

RULE_SETS: dict[str, RuleSet] = {rules.name: rules for rules in (HETRE_RULES, CHANTERELLE_RULES)}
"""Method name -> its rules, oldest method first."""
RULE_SET_CHOICES = [(rules.name, rules.choice_label) for rules in RULE_SETS.values()]
"""(name, French label) pairs, e.g. ("HETRE", "HETRE (calcul par EPCI)")."""
COMPARISON_NOTE = (
    "D'un millésime à l'autre, leurs écarts viennent de la méthode de calcul et des données d'entrée, pas d'une "
    "évolution du territoire : ne les lisez pas comme une tendance."
)


def rules_for(rule_set: str) -> RuleSet:
    """The rules of a method by name; KeyError if the name is not in RULE_SETS."""
    return RULE_SETS[rule_set]


def release_note(manifest: Mapping) -> str:
    """French method note of a release: its method's note, then what its manifest adds (ALDO version, a note)."""
    parts = [rules_for(manifest["aldo_release"]).method_note]
    if commit := manifest.get("aldo_commit"):
        parts.append(f"Version de l'outil ALDO : {commit}.")
    if note := manifest.get("note"):
        parts.append(note)
    return " ".join(parts)


__all__ = [
    "COMPARISON_NOTE",
    "RULE_SETS",
    "RULE_SET_CHOICES",
    "Formula",
    "Practice",
    "RuleSet",
    "release_note",
    "rules_for",
]
