"""Compare two audits of the same site: what was fixed, what is new, what regressed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from readiness.errors import InputError
from readiness.export.escape import terminal as t
from readiness.model import Audit, Finding, Verdict

PROBLEMS = (Verdict.FAIL, Verdict.WARN)
# Verdicts that say nothing about the site's state: it could not be judged or does not apply.
NO_STATE = (Verdict.UNKNOWN, Verdict.NOT_APPLICABLE)
_RANK = {Verdict.PASS: 0, Verdict.WARN: 1, Verdict.FAIL: 2}


@dataclass
class Change:
    check_id: str
    title: str
    severity: str
    old: str | None  # None: the check was not in the old audit
    new: str | None


@dataclass
class AuditDiff:
    site: str
    old_id: str
    new_id: str
    old_score: float | None
    new_score: float | None
    old_level: str | None
    new_level: str | None
    fixed: list[Change] = field(default_factory=list)  # fail/warn -> pass
    improved: list[Change] = field(default_factory=list)  # fail -> warn
    new_problems: list[Change] = field(default_factory=list)  # fail/warn, not a known problem before
    regressed: list[Change] = field(default_factory=list)  # pass -> fail/warn, warn -> fail
    other: list[Change] = field(default_factory=list)  # e.g. pass -> unknown, fail -> waived
    unchanged: int = 0

    @property
    def score_change(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 1)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["score_change"] = self.score_change
        return data


def same_site(old: Audit, new: Audit) -> bool:
    return old.site.name.strip().casefold() == new.site.name.strip().casefold()


def _classify(old: Finding | None, new: Finding | None) -> str:
    o = old.verdict if old else None
    n = new.verdict if new else None
    if o == n:
        return "unchanged"
    if n in PROBLEMS:
        if o is None or o in NO_STATE:
            return "new_problems"
        if o is Verdict.WAIVED:
            return "new_problems"  # the waiver lapsed or was removed: the problem is back in view
        if _RANK.get(o, -1) < _RANK[n]:
            return "regressed"
        return "improved"  # fail -> warn
    if n is Verdict.PASS and o in PROBLEMS:
        return "fixed"
    return "other"


def diff_audits(old: Audit, new: Audit, *, force: bool = False, source: str = "NEW") -> AuditDiff:
    """The changes from ``old`` to ``new``. Refuses two different sites unless ``force``."""
    if not force and not same_site(old, new):
        raise InputError(
            source, "site.name", f"{new.site.name!r} is not the site of the old audit ({old.site.name!r}); "
            "use --force to compare anyway"
        )
    result = AuditDiff(
        site=new.site.name,
        old_id=old.id,
        new_id=new.id,
        old_score=old.score.overall if old.score else None,
        new_score=new.score.overall if new.score else None,
        old_level=old.score.level if old.score else None,
        new_level=new.score.level if new.score else None,
    )
    before = {f.check_id: f for f in old.findings}
    after = {f.check_id: f for f in new.findings}
    for check_id in sorted(before.keys() | after.keys()):
        o, n = before.get(check_id), after.get(check_id)
        kind = _classify(o, n)
        if kind == "unchanged":
            result.unchanged += 1
            continue
        latest = n or o
        assert latest is not None
        change = Change(
            check_id=check_id,
            title=latest.title,
            severity=latest.severity.value,
            old=o.verdict.value if o else None,
            new=n.verdict.value if n else None,
        )
        getattr(result, kind).append(change)
    return result


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.0f}"


def diff_text(d: AuditDiff) -> str:
    """The diff for a person: counts first, then each change on one line. Every value read
    from the audits is escaped for the terminal (``t``): no escape sequence reaches it."""
    lines = [f"Site: {t(d.site)} (audit {t(d.old_id)} -> {t(d.new_id)})"]
    change = d.score_change
    delta = "" if change is None else f" ({change:+.0f})"
    lines.append(f"Score: {_score(d.old_score)} -> {_score(d.new_score)}{delta}")
    if d.old_level != d.new_level:
        lines.append(f"Level: {t(d.old_level or 'not scored')} -> {t(d.new_level or 'not scored')}")
    lines.append(
        f"Fixed {len(d.fixed)}, improved {len(d.improved)}, new problems {len(d.new_problems)}, "
        f"regressed {len(d.regressed)}, other changes {len(d.other)}, unchanged {d.unchanged}"
    )
    sections = (
        ("Fixed", d.fixed),
        ("Improved", d.improved),
        ("New problems", d.new_problems),
        ("Regressed", d.regressed),
        ("Other changes", d.other),
    )
    for title, changes in sections:
        if not changes:
            continue
        lines.append("")
        lines.append(f"{title}:")
        for c in changes:
            verdicts = f"{c.old or 'absent'} -> {c.new or 'absent'}"
            lines.append(f"  {t(c.check_id)} [{t(c.severity)}] {t(c.title)}: {verdicts}")
    return "\n".join(lines) + "\n"


def diff_json(d: AuditDiff) -> str:
    # allow_nan=False: NaN is not JSON; audits are validated on load so none gets here.
    return json.dumps(d.to_dict(), indent=2, allow_nan=False) + "\n"
