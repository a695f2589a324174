"""Small, pure formatting helpers shared by the Markdown report and the text outputs."""

from __future__ import annotations

from datetime import datetime

from readiness.model import AnswerValue, Verdict

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
    if value is None:
        return "unknown"
    return f"{currency} {value:,.0f}"


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
