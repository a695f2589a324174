"""The rules of the checklist. Importing this package registers every rule in RULES."""

from readiness.rules import business, continuity, equipment, failover, ops, power, router, wan
from readiness.rules.base import RULES, RuleFn, RuleInput, RuleResult, rule

__all__ = [
    "RULES",
    "RuleFn",
    "RuleInput",
    "RuleResult",
    "business",
    "continuity",
    "equipment",
    "failover",
    "ops",
    "power",
    "router",
    "rule",
    "wan",
]
