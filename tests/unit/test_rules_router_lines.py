"""What the router says about its lines, as evidence: WAN-001 (observed), WAN-010 (a backup
down today), WAN-004 (two kinds), NET-001 (identity), and conflicts with the answers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit._rulekit import check, drill, ev_keys, gateways, run


def line(name: str, kind: str = "ethernet", state: str = "up", default: bool = False) -> dict[str, Any]:
    return {"interface": name, "kind": kind, "state": state, "default_route": default, "seen_by": ["snmp"]}


def router(*lines: dict[str, Any], answered: tuple[str, ...] = ("snmp",)) -> dict[str, Any]:
    return {
        "gateways": gateways("192.168.1.1"),
        "router": [
            {
                "gateway": "192.168.1.1",
                "identity": {
                    "manufacturer": "MikroTik",
                    "model": "RB5009",
                    "firmware": "7.14",
                    "uptime_s": 86400,
                },
                "wan_lines": list(lines),
                "answered": list(answered),
            }
        ],
    }


TWO = router(line("ether1", default=True), line("lte1", "cellular"))
ONE = router(line("ether1", default=True))


IGD_ONLY = router(line("WANIPConnection", default=True), answered=("igd",))


@pytest.mark.parametrize(
    ("answers", "facts", "verdict", "conflict", "words"),
    [
        ({}, TWO, "pass", False, "seen on the router"),
        ({"backup_line": False}, TWO, "pass", True, "seen on the router"),
        ({"backup_line": True}, ONE, "pass", True, "declared"),  # the router shows one line: a conflict
        ({"backup_line": True}, IGD_ONLY, "pass", False, "declared"),  # IGD alone does not show every line
        ({}, ONE, "unknown", False, ""),  # one line on the router is not proof that there is no backup
        ({}, router(answered=()), "unknown", False, ""),
    ],
    ids=["two-lines", "answer-no", "answer-yes-one-line", "igd-only", "one-line-no-answer", "silent"],
)
def test_wan_001_reads_the_router(
    answers: dict[str, Any], facts: dict[str, Any], verdict: str, conflict: bool, words: str
) -> None:
    result = run("WAN-001", answers, facts)
    check(result, verdict, conflict)
    assert words in result.summary
    if words == "seen on the router":
        assert "router.wan_lines" in ev_keys(result)


def test_a_drill_still_beats_the_router() -> None:
    result = run("WAN-001", {}, TWO, [drill("failover_ok")])
    check(result, "pass")
    assert "measured" in result.summary


@pytest.mark.parametrize(
    ("facts", "verdict", "words"),
    [
        (
            router(line("ether1", default=True), line("lte1", "cellular", "down")),
            "fail",
            "down today and nobody was told",
        ),
        (
            router(line("ether1", state="down", default=True), line("lte1", "cellular", "down")),
            "fail",
            "Every",
        ),
        (TWO, "pass", "up right now"),
        (ONE, "not_applicable", "single internet line"),
        (router(line("ether1", default=True), line("lte1", "cellular", "unknown")), "unknown", "whether"),
        ({"gateways": gateways("192.168.1.1")}, "unknown", "not asked"),
        (router(answered=()), "unknown", "did not say"),
    ],
    ids=["backup-down", "all-down", "all-up", "one-line", "state-unknown", "not-asked", "silent"],
)
def test_wan_008_backup_up_now(facts: dict[str, Any], verdict: str, words: str) -> None:
    result = run("WAN-010", {}, facts)
    check(result, verdict)
    assert words in result.summary
    if verdict == "unknown" and "router" not in facts:
        assert result.missing == ["facts.router"]


def test_wan_004_two_kinds_on_the_router() -> None:
    facts = router(line("pppoe-out1", "ppp", default=True), line("lte1", "cellular"))
    result = run("WAN-004", {}, facts)
    check(result, "pass")
    assert "router.wan_lines.kind" in ev_keys(result)
    same = run("WAN-004", {}, router(line("dsl0", "dsl", default=True), line("dsl1", "dsl")))
    check(same, "fail")
    # PPP runs over DSL and over fibre: two PPP lines do not say they share a technology.
    ppp = run("WAN-004", {}, router(line("pppoe-out1", "ppp", default=True), line("pppoe-out2", "ppp")))
    check(ppp, "unknown")
    # Two Ethernet hand-offs say nothing about the technology behind them.
    vague = run("WAN-004", {}, router(line("ether1", default=True), line("ether2")))
    check(vague, "unknown")


def test_net_001_shows_the_routers_identity() -> None:
    result = run("NET-001", {"router_spare": "none"}, TWO)
    check(result, "fail")
    shown = {e.key: e.value for e in result.evidence}
    assert shown["router.identity"] == "MikroTik RB5009 at 192.168.1.1, firmware 7.14, up 1.0 days"


def test_wan_010_with_no_backup_declared_is_not_applicable_unless_the_router_shows_two() -> None:
    check(run("WAN-010", {"backup_line": False}, {}), "not_applicable")
    check(run("WAN-010", {"backup_line": False}, ONE), "not_applicable")
    down = router(line("ether1", default=True), line("lte1", "cellular", "down"))
    check(run("WAN-010", {"backup_line": False}, down), "fail")  # the router knows better
