"""Small, pure formatting helpers shared by the Markdown report and the text outputs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from readiness.catalogue import Question, QuestionType
from readiness.judgement.cost import round_money
from readiness.model import AnswerValue, Evidence, Verdict

VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.PASS: "OK",
    Verdict.FAIL: "Problem",
    Verdict.WARN: "Needs attention",
    Verdict.UNKNOWN: "Not judged",
    Verdict.NOT_APPLICABLE: "Not applicable",
    Verdict.WAIVED: "Accepted (waived)",
}


def cell(value: object) -> str:
    """Make any value safe inside a Markdown table cell: no pipes, no line breaks."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def oneline(value: object) -> str:
    """Flatten line breaks so free text cannot break a list item or a heading."""
    text = "" if value is None else str(value)
    return " ".join(text.split())


def money(value: float | None, currency: str) -> str:
    """A sum of money rounded as people say it (readiness.judgement.cost.round_money), the currency first."""
    return amount(value, currency)


def number(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "unknown"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return f"{text} {unit}".strip() if unit else text


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def when(value: datetime | None) -> str:
    if value is None:
        return "unknown"
    if value.tzinfo is not None and value.utcoffset() is not None and not value.utcoffset():
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat(timespec="minutes")


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def office_time(value: datetime, zone_name: str | None) -> tuple[datetime, bool]:
    """``value`` on the office's clock (``site.timezone``, an IANA name), and whether it
    is; unchanged (UTC, as recorded) when the zone is not known."""
    tz = _zone(zone_name) if zone_name else None
    if tz is None or value.tzinfo is None:
        return value, False
    return value.astimezone(tz), True


def office_date(value: datetime | None, zone_name: str | None) -> str:
    """The office's date in words ("20 November 2026")."""
    if value is None:
        return "unknown"
    local, _ = office_time(value, zone_name)
    return f"{local.day} {local:%B %Y}"


def day(value: date | None) -> str:
    """A calendar day in words ("20 November 2026")."""
    return "unknown" if value is None else f"{value.day} {value:%B %Y}"


def office_when(value: datetime | None, zone_name: str | None) -> str:
    """Date and time on the office's clock ("20 November 2026, 11:00"); "UTC" follows
    when the office's time zone is not known."""
    if value is None:
        return "unknown"
    local, known = office_time(value, zone_name)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}{'' if known else ' UTC'}"


def answer_text(value: AnswerValue, labels: dict[str, str] | None = None) -> str:
    """An answer in words: yes/no, choice labels, "don't know"."""
    labels = labels or {}
    if value is None:
        return "don't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value) if value else "none"
    if isinstance(value, float):
        return number(value, digits=2)
    if isinstance(value, str):
        return labels.get(value, value)
    return str(value)


# What a rule can lack besides an answer (readiness/rules: ``j.need(...)``), in words for
# the owner; a key not here is shown as "not seen: " and its last words.
_LACKING_WORDS = {
    "drill": "a failover drill",
    "drill.backup.asn": "the backup line's provider, which the drill could not tell",
    "as_of": "the audit's date",
    "facts.interfaces": "the network interfaces, which discovery did not see",
    "facts.resolvers": "the DNS resolvers, which discovery did not see",
    "facts.power": "a look for a UPS, which discovery did not make",
    "facts.power.ups.runtime_s": "the UPS's runtime, which the UPS did not report",
    "facts.path.quality": "the line's quality, which discovery could not measure",
    "facts.services": "the cloud services in use, which discovery did not see",
    "facts.operations": "the monitoring and VPN in use, which discovery did not see",
    "facts.router": "the router's own account of its lines, which it did not give",
    "facts.router.wan_lines.state": "whether each line on the router is up, which it did not say",
}


def lacking_words(key: str, questions: Mapping[str, Question]) -> str:
    """A finding's ``missing`` key in words: an answer as its question (``questions`` by
    id), anything else as what was not seen."""
    if key.startswith("answers."):
        q = questions.get(key.removeprefix("answers."))
        return q.text if q is not None else key
    if key in _LACKING_WORDS:
        return _LACKING_WORDS[key]
    words = key.removeprefix("facts.").rsplit(".", 1)[-1].replace("_", " ")
    return f"not seen: {words}"


# What each fact, drill or computed piece of evidence is (readiness/rules: ``j.fact``,
# ``j.drill``, ``j.computed``; readiness/judgement/engine.py: the waiver), in words; a key not here
# is shown as it is.
_EVIDENCE_WORDS = {
    "router.wan_lines": "Internet lines the router reports",
    "router.wan_lines.kind": "Kinds of line the router reports",
    "router.identity": "The router, as it describes itself",
    "gateways": "Routers seen (default gateways)",
    "gateways/wan": "Ways out seen by this computer",
    "interfaces.cellular": "Mobile (4G/5G) interface up",
    "interfaces.kind": "Kind of network link",
    "interfaces.tethering": "Phone hotspot or USB tethering in use",
    "resolvers": "DNS resolvers",
    "resolver roles": "Who answers name lookups",
    "wan.asn": "Provider of the public address",
    "wan.access_hint": "Kind of line, guessed from the address's name",
    "path.quality": "Line quality",
    "path.quality.avg_ms": "Round trip",
    "path.quality.jitter_ms": "Jitter",
    "path.quality.loss_pct": "Packet loss",
    "power.ups": "UPS seen",
    "power.ups.status": "UPS state",
    "power.ups.runtime_s": "UPS runtime",
    "power.local_battery": "This computer's battery",
    "services": "Cloud services in use",
    "services.telephony": "Telephony service in use",
    "operations.monitoring_agents": "Monitoring software running",
    "operations.vpn": "VPN in use",
    "needed_mbps": "Bandwidth the work on the backup needs",
    "needed_data_gb": "Data one outage needs on the backup",
    "backup_repair_time": "Backup line's guaranteed repair time",
    "next_test_due": "Next failover test due",
    "drill.outcome": "Drill result",
    "drill.started_at": "Last failover drill",
    "drill.blackout_s": "Blackout in the drill",
    "drill.dns_during_blackout": "Names resolved during the drill's blackout",
    "drill.primary.asn": "Main line's provider, in the drill",
    "drill.backup.asn": "Backup line's provider, in the drill",
    "drill.same_provider": "Both lines from one provider, in the drill",
    "drill.vpn_dropped": "VPN dropped in the drill",
    "drill.vpn_recovered": "VPN came back in the drill",
    "cost.expected_yearly_loss": "Yearly cost of outages",
    "cost.yearly_saving": "Loss a backup avoids, per year",
    "cost.backup_yearly_cost": "Backup's cost, per year",
    "waiver": "Waiver",
}


# The unit of each numeric fact, drill or computed value (``j.fact("path.quality.avg_ms", 10)``
# is "10 ms"); answers take their question's unit.
_EVIDENCE_UNITS = {
    "path.quality.avg_ms": "ms",
    "path.quality.jitter_ms": "ms",
    "path.quality.loss_pct": "%",
    "power.ups.runtime_s": "seconds",
    "needed_mbps": "Mbit/s",
    "drill.blackout_s": "seconds",
}
_MONEY = re.compile(r"^(-?\d+(?:\.\d+)?) ([A-Z]{3})$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def unit_words(unit: str, currency: str) -> str:
    """A catalogue unit as read aloud: "outages/year" is "outages a year", "currency/hour"
    is "EUR an hour"; "Mbit/s" and "%" stay as they are."""
    unit = unit.replace("currency", currency)
    head, _, per = unit.partition("/")
    if not per or len(per) < 3:  # "Mbit/s"
        return unit
    article = "an" if per[0] in "aeiouh" else "a"
    return f"{head} {article} {per}"


def with_units(value: str, unit: str, currency: str) -> str:
    """``value`` with its unit when it is a number ("10" becomes "10 ms", "1" "1 minute");
    a sum of money is rounded and led by its currency ("EUR 1,200 an hour")."""
    if not unit or not _NUMBER.match(value):
        return value
    number = float(value)
    if unit.startswith("currency"):
        per = unit_words(unit, currency).removeprefix(currency).strip()
        return f"{money(number, currency)} {per}".strip()
    return with_unit(value, number, unit_words(unit, currency))


def evidence_words(e: Evidence, questions: Mapping[str, Question], currency: str = "EUR") -> tuple[str, str]:
    """(what, value) of one piece of evidence for a reader: an answer as its question and
    the labels of the choices made (``provider_swap`` is "The provider or supplier sends
    one"), with the question's unit; a fact, drill or computed value under a name in words,
    a number with its unit, a sum of money rounded."""
    q = questions.get(e.key.removeprefix("answers.")) if e.source == "answer" else None
    if q is None:
        money_match = _MONEY.match(e.value)
        if money_match:
            return _EVIDENCE_WORDS.get(e.key, e.key), money(float(money_match[1]), money_match[2])
        unit = _EVIDENCE_UNITS.get(e.key, "")
        return _EVIDENCE_WORDS.get(e.key, e.key), with_units(e.value, unit, currency)
    labels = {c.value: c.label for c in q.choices}
    if q.type == QuestionType.MULTI:
        return q.text, ", ".join(labels.get(part, part) for part in e.value.split(", "))
    return q.text, with_units(labels.get(e.value, e.value), q.unit or "", currency)


_SINGULAR = {
    "minutes": "minute",
    "people": "person",
    "outages a year": "outage a year",
    "seconds": "second",
    "hours": "hour",
    "months": "month",
    "weeks a year": "week a year",
}


def with_unit(value: str, number: float, unit: str) -> str:
    """``value`` followed by its unit, in the singular for one ("1 minute", "1 person")."""
    sep = "" if unit == "%" else " "
    return f"{value}{sep}{_SINGULAR.get(unit, unit) if number == 1 else unit}"


# ---------------------------------------------------------------- money for people (issue 15)


def amount(value: float | None, currency: str) -> str:
    """``EUR 720``: rounded for people, in the report's style; "unknown" when not known."""
    if value is None:
        return "unknown"
    return f"{currency} {round_money(value):,.0f}"


def cost_range(low: float, high: float, currency: str, per: str = "") -> str:
    """``EUR 80-250 once`` / ``EUR 30 a month`` / ``nothing``."""
    if high <= 0:
        return "nothing"
    suffix = f" {per}" if per else ""
    if round_money(low) == round_money(high):
        return f"{amount(high, currency)}{suffix}"
    return f"{currency} {round_money(low):,.0f}-{round_money(high):,.0f}{suffix}"


def payback_words(months: float | None, net_yearly: float | None) -> str:
    """How long an action takes to pay for itself, in words; never a negative saving."""
    if net_yearly is None:
        return ""
    if months is None or net_yearly <= 0:
        return "never pays for itself at these figures"
    if months < 1:
        return "pays for itself within the first month"
    if months <= 24:
        whole = int(months) + (0 if months.is_integer() else 1)
        return f"pays back in {whole} month{'s' if whole != 1 else ''}"
    if months <= 120:
        return f"pays back in about {round(months / 12)} years"
    return "never pays for itself at these figures"


def net_saving_words(value: float | None, currency: str) -> str:
    """The net saving after the backup's cost; a loss is said as one, never as a negative saving."""
    if value is None:
        return "unknown"
    if value < 0:
        return f"none: the backup costs {amount(-value, currency)} a year more than it saves"
    return amount(value, currency)


def round_up(value: float) -> int:
    """Whole months, rounded up: 1.2 months is "2 months" of waiting, not 1."""
    whole = int(value)
    return whole if whole == value else whole + 1


def first_lower(text: str) -> str:
    """"Put the modem on a UPS" inside a sentence: only the first letter lowered."""
    return text[:1].lower() + text[1:]


# What a finding rests on (readiness.judgement.strength), in words for the owner.
STRENGTH_WORDS = {
    "measured": "a measurement (a probe or a drill)",
    "observed": "what the tool saw in use on this network",
    "configured": "a service listed in the config file",
    "answered": "the answers given",
}
