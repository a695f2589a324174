"""Need and fit: what this business requires, and whether its setup meets it.

Readiness (score and level) says what the setup survives. Need says what the business
requires, from its own answers: how long it can be offline, whether work goes on offline,
its obligations, its telephony, how much it runs on online services and what an hour
offline costs (G1, G5, G6, G7, G22, G24). The levels and the signals that raise the need
are data (checks/plan.toml); this module only reads them. The headline is the fit of the
two. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping

from readiness.catalogue import Catalogue, NeedLevel, NeedSignal
from readiness.judgement.cost import round_money
from readiness.judgement.dependence import online_services, telephony_in_use
from readiness.judgement.scoring import NOT_ASSESSED
from readiness.model import (
    Answer,
    CostEstimate,
    Facts,
    Fit,
    FitVerdict,
    Need,
    NeedReason,
    Plan,
    Score,
)

NEED_UNKNOWN = "Not known yet"
MORE_MARGIN = 2  # levels above the need before a setup is "more than this office needs"

HEADLINES = {
    FitVerdict.SHORT: "Not ready for what this office needs",
    FitVerdict.ADEQUATE: "Adequate for this office's needs",
    FitVerdict.MORE: "More than this office needs",
    FitVerdict.UNKNOWN: "Not known yet whether this is enough for this office",
}


def _words(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value).replace("_", " ")


def _real(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v != "none"]
    if isinstance(value, str) and value and value != "none":
        return [value]
    return []


def signal_input(
    signal: NeedSignal, answers: Mapping[str, Answer], facts: Facts | None, cost: CostEstimate | None
) -> object:
    """The office's value for a signal's input: an answer, or a derived figure."""
    if signal.input == "hourly_cost":
        return cost.hourly_cost if cost is not None else None
    if signal.input == "online_services":
        deps = online_services(answers, facts)
        return deps.count if deps.count or deps.answered is not None else None
    if signal.input == "telephony":
        return telephony_in_use(answers, facts).kind
    ans = answers.get(signal.input)
    return None if ans is None else ans.value


def fires(signal: NeedSignal, value: object) -> bool:
    """Whether the office's value meets the signal's condition (a closed set of operators)."""
    if value is None:
        return False
    if signal.op == "any":
        return bool(_real(value))
    if signal.op == "eq":
        return value == signal.value
    if signal.op == "in":
        return isinstance(signal.value, list) and value in signal.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(signal.value, bool) or not isinstance(signal.value, int | float):
        return False
    limit = float(signal.value)
    return {
        "le": value <= limit,
        "lt": value < limit,
        "ge": value >= limit,
        "gt": value > limit,
    }[signal.op]


def _rank(catalogue: Catalogue, level_id: str) -> int:
    return [n.id for n in catalogue.need_levels].index(level_id)


def _level(catalogue: Catalogue, level_id: str) -> NeedLevel:
    return next(n for n in catalogue.need_levels if n.id == level_id)


def judge_need(
    answers: Mapping[str, Answer], facts: Facts | None, cost: CostEstimate | None, catalogue: Catalogue
) -> Need:
    """The office's need level, with the answers that raised it; unknown until the answers
    in ``need.required`` are given (nobody can say what is enough without them)."""
    if not catalogue.need_levels:
        return Need(level=None, name=NEED_UNKNOWN, text="No need levels are defined.", required_level=None)
    missing = [q for q in catalogue.need.required if answers.get(q) is None or answers[q].value is None]
    currency = cost.currency if cost is not None else "EUR"
    reasons: list[NeedReason] = []
    for sig in catalogue.need_signals:
        value = signal_input(sig, answers, facts, cost)
        if fires(sig, value):
            if sig.input == "hourly_cost" and isinstance(value, int | float):
                shown = f"{currency} {round_money(float(value)):,.0f}"
            else:
                shown = _words(value)
            reasons.append(
                NeedReason(
                    signal=sig.id,
                    level=sig.level,
                    text=sig.text.replace("{value}", shown),
                    guide_points=list(sig.guide_points),
                )
            )
    # One reason per level and input is enough: "at most 5 minutes" says "at most 30" too.
    kept: list[NeedReason] = []
    inputs_seen: set[str] = set()
    for r in sorted(reasons, key=lambda r: -_rank(catalogue, r.level)):
        sig_input = next(s.input for s in catalogue.need_signals if s.id == r.signal)
        if sig_input not in inputs_seen:
            kept.append(r)
            inputs_seen.add(sig_input)
    if missing:
        questions = catalogue.questions_by_id()
        asked = "; ".join(questions[q].text if q in questions else q for q in missing)
        return Need(
            level=None,
            name=NEED_UNKNOWN,
            text=f"What this office needs cannot be judged until these are answered: {asked}",
            context=need_context(answers),
            required_level=None,
            reasons=kept,
            missing=missing,
        )
    context = need_context(answers)
    top = catalogue.need_levels[0].id
    for r in kept:
        if _rank(catalogue, r.level) > _rank(catalogue, top):
            top = r.level
    level = _level(catalogue, top)
    return Need(
        level=level.id,
        name=level.name,
        text=level.text,
        required_level=level.requires,
        reasons=kept,
        context=context,
    )


def duration_words(minutes: float) -> str:
    """90 -> "90 minutes", 1440 -> "24 hours", 10080 -> "7 days"."""
    if minutes >= 2880 and minutes % 1440 == 0:
        return f"{minutes / 1440:.0f} days"
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes / 60:.0f} hours"
    return f"{minutes:g} minute{'' if minutes == 1 else 's'}"


def need_context(answers: Mapping[str, Answer]) -> list[str]:
    """The office's own answers about its tolerance, in words, for the headline's why."""
    out: list[str] = []
    tol = answers.get("max_outage_minutes")
    if tol is not None and isinstance(tol.value, int | float) and not isinstance(tol.value, bool):
        out.append(f"it can bear {duration_words(float(tol.value))} offline")
    fallback = answers.get("offline_fallback")
    words = {
        "full": "most work goes on offline",
        "partial": "some work goes on offline",
        "none": "work stops without internet",
    }
    if fallback is not None and isinstance(fallback.value, str) and fallback.value in words:
        out.append(words[fallback.value])
    obligations = answers.get("obligations")
    if obligations is not None and obligations.value is not None and not _real(obligations.value):
        out.append("nothing obliges it to stay reachable")
    return out


def readiness_rank(catalogue: Catalogue, level_name: str) -> int | None:
    """The rank of a readiness level (Exposed 0 ... Resilient 3); None when not assessed."""
    ordered = [lv.name for lv in sorted(catalogue.levels, key=lambda lv: lv.min_score)]
    return ordered.index(level_name) if level_name in ordered else None


def need_reasons_text(need: Need, most: int = 2) -> str:
    """The reasons that set the need (those at its level), at most ``most``, as one clause."""
    texts = [r.text for r in need.reasons if r.level == need.level][:most]
    if not texts:
        return ""
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]


def money_sentence(cost: CostEstimate | None, backup_present: bool | None) -> tuple[bool | None, str | None]:
    """Whether a backup line pays at these figures, in one plain sentence with the figures."""
    if cost is None or cost.expected_yearly_loss is None or cost.backup_yearly_cost is None:
        return None, None
    cur = cost.currency
    loss = _money(cost.expected_yearly_loss, cur)
    saved_value = cost.yearly_saving if cost.yearly_saving is not None else cost.expected_yearly_loss
    saved = _money(saved_value, cur)
    price = _money(cost.backup_yearly_cost, cur)
    monthly = _money(cost.backup_yearly_cost / 12.0, cur)
    pays = saved_value > cost.backup_yearly_cost
    if backup_present is True:
        if pays:
            return (
                True,
                f"The backup line pays for itself: it costs {price} a year ({monthly} a month)"
                f" and avoids about {saved} of losses.",
            )
        return False, (
            f"At these figures the backup line costs more than it saves: {price} a year ({monthly} a month)"
            f" against about {saved} of losses it avoids."
        )
    if pays:
        return True, (
            f"A backup line would pay for itself: outages cost about {loss} a year here, and a backup"
            f" costs {price} a year ({monthly} a month)."
        )
    return False, (
        f"A backup line would cost more than it saves: outages cost about {loss} a year here, while a"
        f" backup costs {price} a year ({monthly} a month), so it never pays for itself at these figures."
    )


def _money(value: float, currency: str) -> str:
    """Rounded for people, in the report's style: EUR 4, EUR 720, EUR 12,400."""
    return f"{currency} {round_money(value):,.0f}"


def judge_fit(
    need: Need,
    score: Score | None,
    cost: CostEstimate | None,
    plan: Plan | None,
    catalogue: Catalogue,
    backup_present: bool | None,
) -> Fit:
    """The headline: readiness against need, with one plain sentence of why."""
    pays, money = money_sentence(cost, backup_present)
    level = score.level if score is not None else NOT_ASSESSED
    have = readiness_rank(catalogue, level)
    why_need = need_reasons_text(need)
    first = plan.actions[0].title.lower() if plan and plan.actions and plan.headline_count else None
    if need.level is None or need.required_level is None:
        asked = need.text
        return Fit(
            verdict=FitVerdict.UNKNOWN,
            headline=HEADLINES[FitVerdict.UNKNOWN],
            why=asked,
            backup_pays=pays,
            money_sentence=money,
        )
    if have is None:
        return Fit(
            verdict=FitVerdict.UNKNOWN,
            headline=HEADLINES[FitVerdict.UNKNOWN],
            why=f"This office's need is {need.name.lower()}, but too little of the setup could be judged"
            " to say what it survives: answer the open questions or run discovery.",
            backup_pays=pays,
            money_sentence=money,
        )
    want = readiness_rank(catalogue, need.required_level)
    assert want is not None  # checked when the catalogue was loaded
    because = f" because {why_need}" if why_need else ""
    if have < want:
        step = f" The first step: {first}." if first else ""
        return Fit(
            verdict=FitVerdict.SHORT,
            headline=HEADLINES[FitVerdict.SHORT],
            why=f"This office needs a setup that is at least {need.required_level}{because};"
            f" today it is {level}.{step}",
            backup_pays=pays,
            money_sentence=money,
        )
    # One level above the need is a margin worth keeping; two or more is more than needed.
    if have >= want + MORE_MARGIN:
        if want == 0:
            why = (
                f"The setup is {level}, and this office can wait out a typical outage: keep what it"
                " has tested, but there is no need to spend more."
            )
        else:
            why = (
                f"The setup is {level}, more than the {need.required_level} this office needs{because}:"
                " keep it tested, but there is no need to spend more."
            )
        return Fit(
            verdict=FitVerdict.MORE,
            headline=HEADLINES[FitVerdict.MORE],
            why=why,
            backup_pays=pays,
            money_sentence=money,
        )
    if want == 0:
        said = "; ".join(need.context)
        why = (
            f"This office can wait out a typical outage ({said}), so its setup ({level}) is enough."
            if said
            else f"{need.text} The setup ({level}) is enough for that."
        )
    else:
        why = f"This office needs a setup that is at least {need.required_level}{because}, and it is {level}."
        if have > want:
            why = why[:-1] + ", a margin worth keeping."
    return Fit(
        verdict=FitVerdict.ADEQUATE,
        headline=HEADLINES[FitVerdict.ADEQUATE],
        why=why,
        backup_pays=pays,
        money_sentence=money,
    )
