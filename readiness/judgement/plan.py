"""The costed action plan: one action per root cause, each judged by a real what-if.

An action (checks/plan.toml) is offered while one of its root checks fails or needs
attention. Its effect (answers set or cleared, measurements of the old setup forgotten)
is applied to a copy of the audit and the same engine judges the copy: the findings it
resolves, the score and level after it, and, where the cost model prices it, the yearly
loss it avoids and its payback. Nothing here is typed in advance.

Order: what closes the gap to the office's need first (an action that lifts the level, or
a limit that keeps the office below what it needs), then value for money (score gained per
unit of first-year cost). The actions worth doing come first; the others follow, with the
reason they are not advised (for example a backup line that costs more than it saves for
an office that can wait out an outage). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from readiness.catalogue import Action, Catalogue
from readiness.model import (
    Answer,
    Audit,
    DrillResult,
    Need,
    Plan,
    PlanAction,
    Verdict,
)

Judge = Callable[[Audit, Catalogue], Audit]  # readiness only: findings, score, cost

PROBLEMS = frozenset({Verdict.FAIL, Verdict.WARN})
SETTLED = frozenset({Verdict.PASS, Verdict.NOT_APPLICABLE, Verdict.WAIVED})
AS_OF = "{as_of}"
WHAT_IF = "what-if"


def apply_action(audit: Audit, action: Action) -> Audit:
    """A copy of the audit's inputs with the action's effect applied (nothing judged yet)."""
    as_of = audit.updated_at.date()
    answers = {k: v for k, v in audit.answers.items() if k not in action.clear}
    for qid, value in action.answers.items():
        answers[qid] = Answer(value=_resolve(value, as_of), by=WHAT_IF)
    drills: list[DrillResult] = []
    for d in audit.drills:
        if d.kind == "failover" and "failover" in action.drills:
            continue
        if d.kind == "power" and "power" in action.drills:
            continue
        if d.kind == "failover" and "failover_provider" in action.drills:
            d = d.model_copy(
                update={
                    "same_provider": None,
                    "primary": d.primary.model_copy(update={"asn": None}) if d.primary else None,
                    "backup": d.backup.model_copy(update={"asn": None}) if d.backup else None,
                }
            )
        drills.append(d)
    return audit.model_copy(update={"answers": answers, "drills": drills})


def _resolve(
    value: bool | int | float | str | list[str], as_of: date
) -> bool | int | float | str | list[str]:
    return as_of.isoformat() if value == AS_OF else value


def _verdicts(audit: Audit) -> dict[str, Verdict]:
    return {f.check_id: f.verdict for f in audit.findings}


def _level_rank(catalogue: Catalogue, level: str) -> int | None:
    ordered = [lv.name for lv in sorted(catalogue.levels, key=lambda lv: lv.min_score)]
    return ordered.index(level) if level in ordered else None


def _required(catalogue: Catalogue, need: Need) -> tuple[int | None, float | None]:
    if need.required_level is None:
        return None, None
    level = next((lv for lv in catalogue.levels if lv.name == need.required_level), None)
    if level is None:
        return None, None
    return _level_rank(catalogue, level.name), level.min_score


def action_costs(action: Action, audit: Audit) -> tuple[tuple[float, float], tuple[float, float], str]:
    """One-off and monthly ranges: the answer where there is one, else the catalogue's default."""
    monthly = action.monthly
    basis = "default"
    if action.monthly_answer is not None:
        ans = audit.answers.get(action.monthly_answer)
        if ans is not None and isinstance(ans.value, int | float) and not isinstance(ans.value, bool):
            monthly = (float(ans.value), float(ans.value))
            basis = "answered"
    return action.one_off, monthly, basis


def first_year_cost(one_off: tuple[float, float], monthly: tuple[float, float]) -> float:
    """The high end of what the action costs in its first year (conservative)."""
    return one_off[1] + 12.0 * monthly[1]


@dataclass
class _Trial:
    action: Action
    after: Audit


def _trial_key(
    t: _Trial,
    now: Audit,
    catalogue: Catalogue,
    want: int | None,
    want_score: float | None,
    audit: Audit,
) -> tuple[float, float, float, int]:
    """Sort key: closes the gap first, then score gained per unit of first-year cost."""
    progress = _gap_progress(now, t.after, catalogue, want, want_score)
    gain = (t.after.score.overall or 0.0) - (now.score.overall or 0.0) if t.after.score and now.score else 0.0
    one_off, monthly, _ = action_costs(t.action, audit)
    value = gain / max(first_year_cost(one_off, monthly), 1.0)
    order = [a.id for a in catalogue.actions].index(t.action.id)
    return (-progress, -value, -gain, order)


def _gap_progress(
    now: Audit, after: Audit, catalogue: Catalogue, want: int | None, want_score: float | None
) -> float:
    """How much of the gap to the needed level an action closes at this point of the plan:
    the levels it gains (up to the need), or half a level when it lifts a limit that keeps
    the office below its need without reaching it alone."""
    if want is None or now.score is None or after.score is None:
        return 0.0
    have = _level_rank(catalogue, now.score.level)
    got = _level_rank(catalogue, after.score.level)
    if have is not None and have >= want:
        return 0.0
    gained = float(min(got if got is not None else -1, want) - min(have if have is not None else -1, want))
    if gained > 0:
        return gained
    blocking = {c.check_id for c in now.score.caps if want_score is not None and c.limit < want_score}
    after_verdicts = _verdicts(after)
    lifted = [cid for cid in blocking if after_verdicts.get(cid) in SETTLED]
    return 0.5 if lifted else 0.0


def build_plan(audit: Audit, judged: Audit, catalogue: Catalogue, need: Need, judge: Judge) -> Plan:
    """The ordered, costed plan for ``audit`` (inputs) whose judgement is ``judged``."""
    score_before = judged.score.overall if judged.score else None
    level_before = judged.score.level if judged.score else ""
    base_verdicts = _verdicts(judged)
    want, want_score = _required(catalogue, need)
    # What-ifs by the set of actions applied: the cumulative pass below meets many of the
    # states the greedy search judged already (the effects are answers set, so the order
    # of two actions does not change the state they lead to).
    judged_states: dict[frozenset[str], Audit] = {frozenset(): judged}

    def judge_with(done: list[Action]) -> Audit:
        key = frozenset(a.id for a in done)
        if key not in judged_states:
            inputs = audit
            for a in done:
                inputs = apply_action(inputs, a)
            judged_states[key] = judge(inputs, catalogue)
        return judged_states[key]

    # Each action is judged in its context: alone on the office as it is, or, when an
    # earlier step calls for it (a new backup line is untested), after that step.
    context: dict[str, tuple[Audit, Audit]] = {}  # action id -> (before, after)

    def offer(state: Audit, done: list[Action], offered: set[str]) -> list[Action]:
        """The actions this state calls for that improve something in it."""
        # A root check that only repeats another's failure (FO-001 "no backup line to
        # switch to" follows WAN-001) is not a root cause of its own.
        roots = {f.check_id for f in state.findings if f.verdict in PROBLEMS and f.follows is None}
        out = []
        for a in catalogue.actions:
            if a.id in offered or not roots.intersection(a.root_checks):
                continue
            offered.add(a.id)
            after = judge_with([*done, a])
            if _improved(_verdicts(state), _verdicts(after)):
                context[a.id] = (state, after)
                out.append(a)
        return out

    offered: set[str] = set()
    remaining = offer(judged, [], offered)

    # Greedy: at each step the action that best closes the remaining gap, then value for money.
    # Once the need is met (or cannot be judged), nothing is left to close: the rest is
    # ordered by value for money in its own context, without searching every combination.
    order: list[tuple[Action, bool]] = []
    done: list[Action] = []
    state = judged
    while remaining:
        gap_open = want is not None and _below(catalogue, state, want)
        if gap_open:
            trials = [_Trial(a, judge_with([*done, a])) for a in remaining]
            best = min(trials, key=lambda t: _trial_key(t, state, catalogue, want, want_score, audit))
        else:
            trials = [_Trial(a, context[a.id][1]) for a in remaining]
            best = min(
                trials,
                key=lambda t: _trial_key(t, context[t.action.id][0], catalogue, want, want_score, audit),
            )
        closes = gap_open and _gap_progress(state, best.after, catalogue, want, want_score) > 0
        order.append((best.action, closes))
        done.append(best.action)
        remaining.remove(best.action)
        if gap_open:
            state = judge_with(done)
            remaining += offer(state, done, offered)

    views = [_view(a, closes, *context[a.id], audit, need) for a, closes in order]
    # Worth doing first (keeping the greedy order within each part), then the rest.
    views = [v for v in views if v.recommended] + [v for v in views if not v.recommended]

    # Cumulative what-if in the final order, and findings grouped under the first action
    # that resolves them: one root cause, one entry.
    grouped: set[str] = set()
    score_after, level_after = score_before, level_before
    applied: list[Action] = []
    for v in views:
        applied.append(catalogue_action(catalogue, v.id))
        plan_after = judge_with(applied)
        v.plan_score_after = plan_after.score.overall if plan_after.score else None
        v.plan_level_after = plan_after.score.level if plan_after.score else ""
        if v.recommended:
            score_after, level_after = v.plan_score_after, v.plan_level_after
        after_verdicts = _verdicts(plan_after)
        mine = [cid for cid in _improved(base_verdicts, after_verdicts) if cid not in grouped]
        v.findings = mine
        grouped.update(mine)
    unplanned = [cid for cid, verdict in base_verdicts.items() if verdict in PROBLEMS and cid not in grouped]
    return Plan(
        actions=views,
        headline_count=sum(1 for v in views if v.recommended),
        score_before=score_before,
        level_before=level_before,
        score_after=score_after,
        level_after=level_after,
        unplanned=unplanned,
    )


def _below(catalogue: Catalogue, state: Audit, want: int) -> bool:
    have = _level_rank(catalogue, state.score.level) if state.score else None
    return have is None or have < want


def _improved(before: dict[str, Verdict], after: dict[str, Verdict]) -> list[str]:
    """Problem checks that are settled after (or, from fail, down to needs attention)."""
    out = []
    for cid, verdict in before.items():
        now = after.get(cid)
        if verdict in PROBLEMS and (now in SETTLED or (verdict is Verdict.FAIL and now is Verdict.WARN)):
            out.append(cid)
    return out


def catalogue_action(catalogue: Catalogue, action_id: str) -> Action:
    return next(a for a in catalogue.actions if a.id == action_id)


def _view(action: Action, closes: bool, before: Audit, after: Audit, audit: Audit, need: Need) -> PlanAction:
    one_off, monthly, basis = action_costs(action, audit)
    b, a = _verdicts(before), _verdicts(after)
    resolves = [
        cid for cid, verdict in b.items() if verdict in (*PROBLEMS, Verdict.UNKNOWN) and a.get(cid) in SETTLED
    ]
    currency = before.cost.currency if before.cost else "EUR"
    avoided = net = payback = None
    loss_before = before.cost.yearly_loss_now if action.priced and before.cost else None
    loss_after = after.cost.yearly_loss_now if action.priced and after.cost else None
    if loss_before is not None and loss_after is not None:
        avoided = max(loss_before - loss_after, 0.0)
        net = avoided - 12.0 * monthly[1]
        monthly_net = avoided / 12.0 - monthly[1]
        payback = one_off[1] / monthly_net if monthly_net > 0 else None
    view = PlanAction(
        id=action.id,
        title=action.title,
        why=action.why,
        resolves=resolves,
        currency=currency,
        one_off=one_off,
        monthly=monthly,
        cost_basis=basis,
        score_before=before.score.overall if before.score else None,
        score_after=after.score.overall if after.score else None,
        level_before=before.score.level if before.score else "",
        level_after=after.score.level if after.score else "",
        closes_gap=closes,
        yearly_loss_avoided=avoided,
        net_yearly=net,
        payback_months=payback,
    )
    view.recommended, view.recommendation = _recommend(view, action, need)
    return view


def _recommend(v: PlanAction, action: Action, need: Need) -> tuple[bool, str]:
    pays = v.net_yearly is not None and v.net_yearly > 0
    never = v.net_yearly is not None and v.net_yearly <= 0
    if v.closes_gap:
        if never:
            return True, (
                "Needed to reach what this office needs, although the outages it avoids cost less"
                " than it does at these figures."
            )
        return True, "Needed to reach what this office needs."
    if pays:
        return True, "It pays for itself at these figures."
    if action.cheap and v.resolves:
        return True, "Cheap, and it removes a real weakness."
    if never:
        return (
            False,
            "Not advised: it costs more than the outages it avoids, and this office does not need it.",
        )
    if need.level is None:
        return (
            False,
            "Decide once the office's need is known (how long it can be offline, what works offline).",
        )
    return False, "Not needed for what this office needs; worth it only if the business changes."
