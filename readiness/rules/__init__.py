"""The rules of the checklist. Importing this package registers every rule in RULES."""

from readiness.rules import (
    business,
    continuity,
    equipment,
    failover,
    internet_lines,
    ops,
    power_backup,
    router_lines,
)
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
    "internet_lines",
    "ops",
    "power_backup",
    "router_lines",
    "rule",
]
