"""What the office router says about its own lines (readiness/probes/router.py), as evidence.

Seen on the router is *observed* evidence: stronger than an answer (the router is asked, not
the owner), weaker than a drill (a line that is up may still not carry traffic when the main
one fails). WAN-001 and WAN-004 read it through ``router_backup`` and ``router_kinds``;
WAN-010 is the router's own finding: a backup line that is down today.
"""

from __future__ import annotations

from dataclasses import dataclass

from readiness.model import Facts, RouterFacts, RouterWanLine, WanKind, WanState
from readiness.rules.base import RuleInput, RuleResult, rule
from readiness.rules.judge import Judge

# Kinds specific enough to say two lines use different technologies (an Ethernet hand-off
# can be fibre, cable or a radio link behind a modem: it says nothing).
SPECIFIC_KINDS = frozenset({WanKind.PPP, WanKind.CELLULAR, WanKind.DSL, WanKind.CABLE, WanKind.FIBRE})


@dataclass(frozen=True)
class RouterLines:
    routers: list[RouterFacts]  # those that answered
    lines: list[tuple[RouterFacts, RouterWanLine]]
    full_view: bool  # SNMP answered: the router's whole interface table was read

    def words(self) -> str:
        parts = [f"{line.interface} ({line.kind.value}, {line.state.value})" for _, line in self.lines]
        where = ", ".join(sorted({r.gateway for r in self.routers}))
        return f"{len(self.lines)} internet line(s) on the router at {where}: " + "; ".join(parts)


def router_lines(facts: Facts) -> RouterLines | None:
    """The lines every answering router reports, None when no router answered."""
    answered = [r for r in facts.router or [] if r.answered]
    if not answered:
        return None
    return RouterLines(
        routers=answered,
        lines=[(r, line) for r in answered for line in r.wan_lines],
        full_view=any(s.value == "snmp" for r in answered for s in r.answered),
    )


def router_backup(j: Judge) -> tuple[bool | None, str]:
    """(True, words) when the router shows two lines or more; (False, words) when its whole
    interface table shows one; (None, why) otherwise. Records the evidence."""
    seen = router_lines(j.inp.facts)
    if seen is None:
        return None, "no router answered"
    if len(seen.lines) >= 2:
        j.fact("router.wan_lines", seen.words(), "seen on the router")
        return True, seen.words()
    if len(seen.lines) == 1 and seen.full_view:
        j.fact("router.wan_lines", seen.words(), "seen on the router")
        return False, seen.words()
    return None, "the router did not show all its interfaces"


def router_kinds(j: Judge) -> tuple[str, str] | None:
    """(main kind, backup kind) in the answers' words, when the router's two lines settle it:
    a fixed line and a cellular one differ; two lines of the same specific kind (DSL and DSL)
    do not. PPP says "fixed" but not which (DSL or fibre both use it), so PPP and PPP, or PPP
    and DSL, settle nothing."""
    seen = router_lines(j.inp.facts)
    if seen is None or len(seen.lines) < 2:
        return None
    lines = [line for _, line in seen.lines]
    main = next((x for x in lines if x.default_route), lines[0])
    other = next((x for x in lines if x is not main), None)
    if other is None or main.kind not in SPECIFIC_KINDS or other.kind not in SPECIFIC_KINDS:
        return None
    mobile = (main.kind is WanKind.CELLULAR, other.kind is WanKind.CELLULAR)
    same = main.kind == other.kind and main.kind is not WanKind.PPP
    if not same and mobile[0] == mobile[1]:
        return None
    j.fact("router.wan_lines.kind", f"{main.kind.value} and {other.kind.value}", "seen on the router")
    return _answer_word(main.kind), _answer_word(other.kind)


def _answer_word(kind: WanKind) -> str:
    """The router's kind in the words of the primary_type / backup_type answers."""
    return {WanKind.PPP: "fixed line (PPP)", WanKind.CELLULAR: "mobile"}.get(kind, kind.value)


@rule("WAN-010")
def backup_up_now(inp: RuleInput) -> RuleResult:
    j = Judge(inp)
    seen = router_lines(inp.facts)
    answer = inp.answer("backup_line")
    if (seen is None or len(seen.lines) < 2) and answer is not None and answer.value is False:
        j.yes("backup_line")  # shown as the evidence
        return j.not_applicable("There is no backup line to watch (declared).")
    if inp.facts.router is None:
        j.need("facts.router")
        return j.unknown("The router was not asked about its lines.")
    if seen is None:
        j.need("facts.router")
        return j.unknown("The router did not say what lines it has.")
    j.fact("router.wan_lines", seen.words(), "seen on the router")
    if len(seen.lines) < 2:
        return j.not_applicable("The router shows a single internet line: there is no backup line to watch.")
    down = [(r, line) for r, line in seen.lines if line.state is WanState.DOWN]
    up = [line for _, line in seen.lines if line.state is WanState.UP]
    if down and up:
        names = ", ".join(line.interface for _, line in down)
        return j.failed(
            f"The backup line is down today and nobody was told: the router reports {names} down."
        )
    if down:
        return j.failed("Every internet line on the router is down.")
    if len(up) == len(seen.lines):
        return j.passed(f"All {len(up)} internet lines on the router are up right now.")
    j.need("facts.router.wan_lines.state")
    return j.unknown("The router did not say whether each of its lines is up.")
