"""Need, fit and the action plan: the owner's headline, computed from the findings.

Readiness (the score and level) says what the setup survives; need says what this
business requires; the fit sets one against the other. The plan lists the actions that
close the gap, each priced and re-judged by the engine with the action applied.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Strength(StrEnum):
    """What a verdict rests on, strongest first: a measurement beats an observation beats
    a declaration in the config beats the owner's word."""

    MEASURED = "measured"  # a probe or a drill
    OBSERVED = "observed"  # the tool saw it happen (a process, a connection)
    CONFIGURED = "configured"  # declared in the config file
    ANSWERED = "answered"  # the owner's (or technician's) answer

    @property
    def rank(self) -> int:
        """Higher is stronger: answered=0 ... measured=3."""
        return ["answered", "configured", "observed", "measured"].index(self.value)


class NeedReason(_Model):
    """One answer that raised the office's need, in an owner's words."""

    signal: str  # the need signal's id in checks/plan.toml
    level: str  # the need level it raises the office to
    text: str  # "the office can bear at most 5 minutes offline"
    guide_points: list[str] = Field(default_factory=list)


class Need(_Model):
    """What this business requires, from its answers (G1, G5, G6, G7, G22, G24)."""

    level: str | None  # need level id (low, moderate, high, critical); None: cannot be judged yet
    name: str  # "Low", ... or "Not known yet"
    text: str  # one plain sentence
    required_level: str | None  # the readiness level that meets this need
    reasons: list[NeedReason] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)  # question ids that would settle it
    # The answers that keep the need where it is, in words ("it can bear 24 hours offline").
    context: list[str] = Field(default_factory=list)


class FitVerdict(StrEnum):
    SHORT = "short"  # not ready for what the office needs
    ADEQUATE = "adequate"
    MORE = "more"  # more than the office needs
    UNKNOWN = "unknown"


class Fit(_Model):
    verdict: FitVerdict
    headline: str  # "Adequate for this office's needs"
    why: str  # one plain sentence
    backup_pays: bool | None = None  # whether a (better) backup line pays at these figures
    money_sentence: str | None = None  # the cost model in one plain sentence, for the headline


class PlanAction(_Model):
    """One action of the plan, judged by re-running the engine with its effect applied."""

    id: str  # the action's id in checks/plan.toml
    title: str
    why: str  # the root cause, in an owner's words
    resolves: list[str] = Field(default_factory=list)  # check ids this action turns to pass
    findings: list[str] = Field(default_factory=list)  # check ids grouped under it in the report
    currency: str = "EUR"
    one_off: tuple[float, float] = (0.0, 0.0)  # low and high estimate
    monthly: tuple[float, float] = (0.0, 0.0)
    cost_basis: str = "default"  # "answered" or "default"
    score_before: float | None = None
    score_after: float | None = None  # this action alone
    level_before: str = ""
    level_after: str = ""  # this action alone
    plan_score_after: float | None = None  # with every action before it in the plan as well
    plan_level_after: str = ""
    closes_gap: bool = False  # needed to reach the level the office needs
    yearly_loss_avoided: float | None = None  # None: the cost model does not apply or lacks figures
    net_yearly: float | None = None  # loss avoided less the monthly costs over a year
    payback_months: float | None = None  # None: never pays for itself at these figures
    recommended: bool = False
    recommendation: str = ""  # why it is (or is not) recommended, in plain words


class Plan(_Model):
    actions: list[PlanAction] = Field(default_factory=list)  # in the order to do them
    headline_count: int = 0  # the first N actions are the ones the owner should do
    score_before: float | None = None
    level_before: str = ""
    score_after: float | None = None  # after the recommended actions
    level_after: str = ""
    unplanned: list[str] = Field(default_factory=list)  # problem check ids no action resolves


class Verification(_Model):
    """How much of the score rests on what: the summary's 'how verified' sentence."""

    passes: int = 0
    by_strength: dict[str, int] = Field(default_factory=dict)  # Strength value -> passes
    answered_passes: int = 0
    drill_would_verify: int = 0  # answered passes a failover or power drill would measure
    drill_checks: list[str] = Field(default_factory=list)
