"""Evidence strength: what each verdict rests on, and how much of the score is verified.

measured (a probe or a drill) > observed (the tool saw a process or a connection) >
configured (listed in the config file) > answered (someone's word). A verdict follows its
strongest evidence (measured beats declared), so a finding's strength is the strongest
kind of evidence it carries. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from readiness.catalogue import Catalogue
from readiness.model import Evidence, Finding, Strength, Verdict, Verification

# Checks a drill settles by measurement when it is run: a failover drill reads the lines,
# the switch, the providers, DNS and VPN; a power drill reads the UPS. Read from the
# catalogue: a check whose `facts` include "drills".
DRILL_FACT = "drills"
# A drill refines the figures of these categories (the switching time of the cost model)
# but does not settle their verdicts: the answers do.
NOT_SETTLED_BY_DRILL = frozenset({"business", "dependencies"})


def evidence_strength(e: Evidence) -> Strength | None:
    """The strength of one piece of evidence; None for a waiver note (not evidence of the site)."""
    if e.key == "waiver":
        return None
    if e.strength is not None:
        return e.strength
    if e.source in ("drill", "fact"):
        return Strength.MEASURED
    # Answers, and figures computed from answers (the cost model), rest on someone's word.
    return Strength.ANSWERED


def strongest(evidence: Iterable[Evidence]) -> Strength | None:
    found = [s for s in (evidence_strength(e) for e in evidence) if s is not None]
    return max(found, key=lambda s: s.rank) if found else None


def verification(findings: Iterable[Finding], catalogue: Catalogue) -> Verification:
    """How the passes split by strength, and how many answered passes a drill would verify."""
    drill_checks = {
        c.id for c in catalogue.checks if DRILL_FACT in c.facts and c.category not in NOT_SETTLED_BY_DRILL
    }
    out = Verification()
    by: dict[str, int] = {s.value: 0 for s in Strength}
    would: list[str] = []
    for f in findings:
        if f.verdict is not Verdict.PASS:
            continue
        out.passes += 1
        strength = f.strength or Strength.ANSWERED
        by[strength.value] += 1
        if strength is Strength.ANSWERED:
            out.answered_passes += 1
            if f.check_id in drill_checks:
                would.append(f.check_id)
    out.by_strength = by
    out.drill_would_verify = len(would)
    out.drill_checks = would
    return out


def verification_sentence(v: Verification) -> str:
    """'14 of 20 passes rest on answers; a drill would verify 5 of them.' in plain words."""
    if v.passes == 0:
        return "No check passed yet, so nothing in the score needs verifying."
    measured = v.by_strength.get(Strength.MEASURED.value, 0) + v.by_strength.get(Strength.OBSERVED.value, 0)
    if v.answered_passes == 0:
        return f"All {v.passes} passes rest on measurements or on what the tool saw."
    text = f"{v.answered_passes} of {v.passes} passes rest on answers"
    configured = v.by_strength.get(Strength.CONFIGURED.value, 0)
    if configured:
        text += f", {configured} on the config file"
    text += f" and {measured} on measurements" if measured else ", none on measurements"
    if v.drill_would_verify:
        them = "it" if v.drill_would_verify == 1 else f"{v.drill_would_verify} of them"
        text += f"; a failover or power drill would verify {them}"
    return text + "."
