"""Release-specific calculation rules: HETRE (per EPCI) and CHANTERELLE (per commune)."""

from __future__ import annotations

from .base import Formula, RuleSet
from .chanterelle import CHANTERELLE_RULES
from .hetre import HETRE_RULES

RULE_SETS = {rules.name: rules for rules in (HETRE_RULES, CHANTERELLE_RULES)}


def rules_for(rule_set: str) -> RuleSet:
    return RULE_SETS[rule_set]


__all__ = ["Formula", "RuleSet", "rules_for"]
