"""From findings to a score: weighted points, profile factors, hard caps and a level.

Each check is worth ``weight x profile factors`` points. Pass earns them all, warn half,
fail none. Unknown earns and loses nothing but lowers coverage; not applicable and waived
checks are left out. A failing check with a ``cap`` limits the overall score, so many small
passes cannot hide a single point of failure. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from readiness.catalogue import Boost, Catalogue, Check
from readiness.judgement.dependence import online_services, telephony_in_use
from readiness.model import Answer, Cap, CategoryScore, Facts, Finding, Score, Strength, Verdict

NOT_ASSESSED = "Not assessed"
NOT_ASSESSED_TEXT = "Nothing could be judged yet: answer the interview or run discovery."
# Below this share of the checklist's weight, no level is claimed: a handful of passes
# says nothing about the office as a whole.
MIN_COVERAGE_FOR_LEVEL = 50.0

JUDGED = frozenset({Verdict.PASS, Verdict.WARN, Verdict.FAIL})
EXCLUDED = frozenset({Verdict.NOT_APPLICABLE, Verdict.WAIVED})
EARNED_SHARE = {Verdict.PASS: 1.0, Verdict.WARN: 0.5, Verdict.FAIL: 0.0}


def _answer(answers: Mapping[str, Answer], qid: str) -> object:
    ans = answers.get(qid)
    return None if ans is None else ans.value


def _multi_real(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v != "none"]
    if isinstance(value, str) and value and value != "none":
        return [value]
    return []


@dataclass(frozen=True)
class ProfileFactor:
    """How much more the checks boosted by ``boost`` weigh for this office, and why."""

    boost: Boost
    why: str  # in an owner's words
    factor: float

    @property
    def label(self) -> str:
        """``"tag: why"``, as the score's ``weight_factors`` records it."""
        return f"{self.boost.value}: {self.why}"


# At most one factor per boost.
Factors = Mapping[Boost, ProfileFactor]


def profile_factors(answers: Mapping[str, Answer], facts: Facts | None = None) -> dict[Boost, ProfileFactor]:
    """The multiplier of each boost that applies to this office, with its reason."""
    out: dict[Boost, ProfileFactor] = {}

    def add(boost: Boost, why: str, factor: float) -> None:
        out[boost] = ProfileFactor(boost, why, factor)

    tolerance = _answer(answers, "max_outage_minutes")
    fallback = _answer(answers, "offline_fallback")
    if isinstance(tolerance, int | float) and not isinstance(tolerance, bool):
        if tolerance <= 5:
            add(Boost.LOW_TOLERANCE, f"the office can bear at most {tolerance:g} minutes offline", 2.0)
        elif tolerance <= 15:
            add(Boost.LOW_TOLERANCE, f"the office can bear at most {tolerance:g} minutes offline", 1.5)
    if fallback == "none":
        low = out.get(Boost.LOW_TOLERANCE)
        if low is None:
            add(Boost.LOW_TOLERANCE, "staff cannot work offline", 1.25)
        else:
            add(Boost.LOW_TOLERANCE, f"{low.why}, and staff cannot work offline", low.factor * 1.25)
    # The same readings as the rules (readiness.judgement.dependence): telephony seen in use beats the
    # answer, the answer beats the config, and each online service is counted once.
    phones = telephony_in_use(answers, facts)
    if phones.kind == "cloud":
        if phones.strength is Strength.ANSWERED:
            add(Boost.CLOUD_TELEPHONY, "telephony runs over the internet", 1.5)
        else:
            add(Boost.CLOUD_TELEPHONY, f"internet telephony in use ({', '.join(phones.services)})", 1.5)
    obligations = _multi_real(_answer(answers, "obligations"))
    if obligations:
        add(Boost.OBLIGATIONS, ", ".join(obligations), 1.5)
    deps = online_services(answers, facts)
    if deps.count:
        many = "1 online service" if deps.count == 1 else f"{deps.count} online services"
        add(Boost.CLOUD, f"the office depends on {many}", 1.25)
    return out


def check_weight(check: Check, factors: Factors) -> float:
    weight = check.weight
    for f in factors.values():  # in the order they were found, as the score has always multiplied
        if f.boost in check.boost:
            weight *= f.factor
    return weight


def finding_points(finding: Finding, check: Check, factors: Factors) -> tuple[float, float]:
    """(earned, possible) for one finding."""
    if finding.verdict not in JUDGED:
        return 0.0, 0.0
    weight = check_weight(check, factors)
    return round(weight * EARNED_SHARE[finding.verdict], 3), round(weight, 3)


def apply_points(
    findings: Iterable[Finding], catalogue: Catalogue, factors: Factors
) -> list[Finding]:
    """Copies of the findings with ``points`` and ``max_points`` filled in."""
    out = []
    for f in findings:
        earned, possible = finding_points(f, catalogue.check(f.check_id), factors)
        out.append(f.model_copy(update={"points": earned, "max_points": possible}))
    return out


def level_for(catalogue: Catalogue, overall: float | None) -> tuple[str, str]:
    if overall is None or not catalogue.levels:
        return NOT_ASSESSED, NOT_ASSESSED_TEXT
    reached = [lv for lv in catalogue.levels if lv.min_score <= overall]
    if not reached:
        return NOT_ASSESSED, NOT_ASSESSED_TEXT
    best = max(reached, key=lambda lv: lv.min_score)
    return best.name, best.text


def _pct(points: float, possible: float) -> float | None:
    return round(100.0 * points / possible, 1) if possible > 0 else None


def score(
    findings: Sequence[Finding],
    catalogue: Catalogue,
    answers: Mapping[str, Answer],
    facts: Facts | None = None,
) -> Score:
    """The overall and per-category score of a set of findings under a business profile."""
    factors = profile_factors(answers, facts)
    total_earned = total_possible = 0.0
    judged_weight = open_weight = 0.0
    per_category: dict[str, list[float]] = {c.id: [0.0, 0.0, 0, 0] for c in catalogue.categories}
    caps: list[Cap] = []
    for f in findings:
        check = catalogue.check(f.check_id)
        weight = check_weight(check, factors)
        bucket = per_category.setdefault(check.category, [0.0, 0.0, 0, 0])
        if f.verdict in EXCLUDED:
            continue
        open_weight += weight
        if f.verdict is Verdict.UNKNOWN:
            bucket[3] += 1
            if check.cap is not None:
                # What it lacks is said with the finding, in the checklist's words; here
                # it would be data keys ("answers.ups_present") in an owner's report.
                reason = f"{check.id} is not judged yet: until it is, the score cannot exceed {check.cap:g}."
                caps.append(Cap(check_id=check.id, limit=check.cap, reason=reason, pending=True))
            continue
        earned, possible = finding_points(f, check, factors)
        total_earned += earned
        total_possible += possible
        judged_weight += weight
        bucket[0] += earned
        bucket[1] += possible
        bucket[2] += 1
        if f.verdict is Verdict.FAIL and check.cap is not None:
            why = check.cap_reason or f.summary
            reason = f"{why} While {check.id} fails the score cannot exceed {check.cap:g}."
            caps.append(Cap(check_id=check.id, limit=check.cap, reason=reason))

    uncapped = _pct(total_earned, total_possible)
    overall = uncapped
    if overall is not None and caps:
        overall = min(overall, min(c.limit for c in caps))
    level, level_text = level_for(catalogue, overall)
    coverage = round(100.0 * judged_weight / open_weight, 1) if open_weight > 0 else 0.0
    if overall is not None and coverage < MIN_COVERAGE_FOR_LEVEL:
        level = NOT_ASSESSED
        level_text = (
            f"Only {coverage:.0f}% of the checklist could be judged so far: answer the open"
            " questions before reading a level into the score."
        )
    categories = [
        CategoryScore(
            category=cid,
            title=catalogue.category_title(cid),
            score=_pct(b[0], b[1]),
            points=round(b[0], 3),
            max_points=round(b[1], 3),
            judged=int(b[2]),
            unknown=int(b[3]),
        )
        for cid, b in per_category.items()
    ]
    return Score(
        overall=overall,
        uncapped=uncapped,
        level=level,
        level_text=level_text,
        points=round(total_earned, 3),
        max_points=round(total_possible, 3),
        coverage_pct=coverage,
        categories=categories,
        caps=sorted(caps, key=lambda c: c.limit),
        weight_factors={f.label: f.factor for f in factors.values()},
    )
