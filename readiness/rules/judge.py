"""``Judge``: what a rule collects while it reasons (evidence, missing inputs), and the
result it builds from them.

Its own module so that the shared readers (readiness/rules/common.py) and the router's
(readiness/rules/router_lines.py) can both build on it: common.py reads the router's lines, so the
router's module cannot import it from there without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from readiness.model import Evidence, Strength, Verdict
from readiness.rules.base import RuleInput, RuleResult


def render(value: object) -> str:
    if value is None:
        return "don't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Judge:
    """Collects evidence and missing inputs while a rule reasons, then builds the result."""

    inp: RuleInput
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    # -- answers -------------------------------------------------------------------------

    def _raw(self, qid: str) -> object:
        ans = self.inp.answer(qid)
        if ans is None:
            self.missing.append(f"answers.{qid}")
            return None
        self.evidence.append(Evidence(source="answer", key=f"answers.{qid}", value=render(ans.value)))
        if ans.value is None:
            self.missing.append(f"answers.{qid}")
        return ans.value

    def yes(self, qid: str) -> bool | None:
        v = self._raw(qid)
        return v if isinstance(v, bool) else None

    def choice(self, qid: str) -> str | None:
        v = self._raw(qid)
        return v if isinstance(v, str) and v else None

    def multi(self, qid: str) -> list[str] | None:
        v = self._raw(qid)
        if isinstance(v, list):
            return [str(x) for x in v]
        if isinstance(v, str) and v:
            return [v]
        return None

    def number(self, qid: str) -> float | None:
        v = self._raw(qid)
        if isinstance(v, bool) or not isinstance(v, int | float):
            return None
        return float(v)

    def text(self, qid: str) -> str | None:
        v = self._raw(qid)
        return v.strip() if isinstance(v, str) and v.strip() else None

    def day(self, qid: str) -> date | None:
        v = self._raw(qid)
        if isinstance(v, str):
            try:
                return date.fromisoformat(v)
            except ValueError:
                return None
        return None

    # -- evidence ------------------------------------------------------------------------

    def fact(
        self, key: str, value: object, note: str | None = None, strength: Strength | None = None
    ) -> None:
        """A fact seen by discovery: measured by a probe unless ``strength`` says otherwise
        (a process seen is observed, a service listed in the config is configured)."""
        self.evidence.append(
            Evidence(source="fact", key=key, value=render(value), note=note, strength=strength)
        )

    def drill(self, key: str, value: object, note: str | None = None) -> None:
        self.evidence.append(Evidence(source="drill", key=key, value=render(value), note=note))

    def watch(self, key: str, value: object, note: str | None = None) -> None:
        self.evidence.append(Evidence(source="watch", key=key, value=render(value), note=note))

    def computed(self, key: str, value: object, note: str | None = None) -> None:
        self.evidence.append(Evidence(source="computed", key=key, value=render(value), note=note))

    def need(self, key: str) -> None:
        if key not in self.missing:
            self.missing.append(key)

    # -- results -------------------------------------------------------------------------

    def result(
        self, verdict: Verdict, summary: str, conflict: str | None = None, follows: str | None = None
    ) -> RuleResult:
        # ``missing`` explains an unknown; on a decided verdict it would only be noise.
        missing = list(dict.fromkeys(self.missing)) if verdict is Verdict.UNKNOWN else []
        return RuleResult(verdict, summary, list(self.evidence), missing, conflict, follows)

    def passed(self, summary: str, conflict: str | None = None) -> RuleResult:
        return self.result(Verdict.PASS, summary, conflict)

    def failed(self, summary: str, conflict: str | None = None, follows: str | None = None) -> RuleResult:
        return self.result(Verdict.FAIL, summary, conflict, follows)

    def warn(self, summary: str, conflict: str | None = None) -> RuleResult:
        return self.result(Verdict.WARN, summary, conflict)

    def unknown(self, summary: str) -> RuleResult:
        return self.result(Verdict.UNKNOWN, summary)

    def not_applicable(self, summary: str) -> RuleResult:
        return self.result(Verdict.NOT_APPLICABLE, summary)

    def by_answer(
        self, qid: str, *, yes: str, no: str, unknown: str, conflict: str | None = None
    ) -> RuleResult:
        """The verdict a yes/no answer alone decides: pass on yes, fail on no, else unknown."""
        answer = self.yes(qid)
        if answer is True:
            return self.passed(yes, conflict)
        if answer is False:
            return self.failed(no, conflict)
        return self.unknown(unknown)
