"""What the office depends on, counted once, with the strength of what says so.

Shared by the rules (DEP-001, FO-003, PWR-003, FO-004), the profile factors and the need,
so the report cannot say "4 online services" in one place and "1" in another.

A service the tool observed (a running process, an open connection) is evidence; a service
listed in the config file is a declaration, weaker than the owner's answer: it fills a gap
when the question is unanswered and never overrides the answer. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readiness.model import Answer, Facts, ServiceObservation, Strength

DECLARED = "declared"

# The answer's choices (questions.toml, cloud_dependencies) and the catalogue's service
# categories (services.toml) that mean the same dependency, so one is not counted twice.
ANSWER_CATEGORIES: dict[str, frozenset[str]] = {
    "office_suite": frozenset({"productivity", "file_sync"}),
    "erp": frozenset({"erp"}),
    "crm": frozenset({"crm"}),
    "accounting": frozenset({"accounting", "banking"}),
    "remote_desktop": frozenset({"remote_desktop"}),
    "file_sync": frozenset({"file_sync"}),
    "pos": frozenset({"pos"}),
    "cctv": frozenset({"video"}),
    "vpn_head_office": frozenset({"vpn"}),
    "integrations": frozenset({"other"}),
}


def observed(service: ServiceObservation) -> bool:
    """Seen by the tool itself (process, connection), not only listed in the config. A
    service with no ``detected_by`` came from discovery (older recordings did not say how)."""
    return not service.detected_by or any(d != DECLARED for d in service.detected_by)


def service_strength(services: list[ServiceObservation]) -> Strength:
    return Strength.OBSERVED if any(observed(s) for s in services) else Strength.CONFIGURED


def _answer(answers: Mapping[str, Answer], qid: str) -> object:
    ans = answers.get(qid)
    return None if ans is None else ans.value


def _choices(value: object) -> list[str] | None:
    if isinstance(value, list):
        return [str(v) for v in value if v != "none"]
    if isinstance(value, str) and value:
        return [] if value == "none" else [value]
    return None


@dataclass(frozen=True)
class Dependence:
    """The online services the office depends on, each counted once."""

    names: list[str]  # answered choices (as ids) and observed or declared service names
    answered: list[str] | None  # the answer's choices without "none"; None: not answered
    services: list[ServiceObservation]  # the services counted (observed, or declared when unanswered)
    strength: Strength | None

    @property
    def count(self) -> int:
        return len(self.names)


def online_services(answers: Mapping[str, Answer], facts: Facts | None) -> Dependence:
    answered = _choices(_answer(answers, "cloud_dependencies"))
    all_services = list(facts.services or []) if facts is not None else []
    seen = [s for s in all_services if observed(s)]
    if answered is None:
        counted = all_services  # the config fills the gap when nobody answered
        strength = service_strength(counted) if counted else None
        return Dependence([s.name for s in counted], None, counted, strength)
    covered = set().union(*(ANSWER_CATEGORIES.get(a, frozenset()) for a in answered)) if answered else set()
    extra = [s for s in seen if s.category not in covered and s.category != "telephony"]
    strength = Strength.OBSERVED if extra else Strength.ANSWERED
    return Dependence([*answered, *(s.name for s in extra)], answered, extra, strength)


@dataclass(frozen=True)
class Telephony:
    kind: str | None  # cloud, onprem, mobile, none; None: not known
    strength: Strength | None
    services: list[str]  # telephony services behind the verdict
    conflict: str | None = None  # the answer an observation contradicts


def telephony_in_use(answers: Mapping[str, Answer], facts: Facts | None) -> Telephony:
    """The telephony in use: observed internet telephony beats the answer; the answer beats
    a telephony service only listed in the config."""
    ans = _answer(answers, "telephony_type")
    answered = ans if isinstance(ans, str) and ans else None
    phones = [s for s in (facts.services or [] if facts is not None else []) if s.category == "telephony"]
    seen = [s.name for s in phones if observed(s)]
    if seen:
        conflict = None
        if answered in ("onprem", "mobile", "none"):
            conflict = (
                f"Answered telephony '{answered}', but internet telephony was seen in use"
                f" ({', '.join(seen)})."
            )
        return Telephony("cloud", Strength.OBSERVED, seen, conflict)
    if answered is not None:
        return Telephony(answered, Strength.ANSWERED, [])
    if phones:
        return Telephony("cloud", Strength.CONFIGURED, [s.name for s in phones])
    return Telephony(None, None, [])
