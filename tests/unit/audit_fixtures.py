"""Test data for the export, redaction, diff and CLI tests.

Everything here is made up for the tests (addresses come from the documentation and
benchmark ranges the office lab uses); it is not a recorded office.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from readiness.catalogue import (
    Catalogue,
    Category,
    Check,
    Choice,
    Level,
    Question,
    QuestionType,
    Service,
    default_catalogue,
)
from readiness.model import (
    Address,
    AnchorQuality,
    Answer,
    Audit,
    Cap,
    CategoryScore,
    CostEstimate,
    DrillEvent,
    DrillOutcome,
    DrillResult,
    DrillSample,
    Endpoint,
    Evidence,
    Facts,
    Finding,
    Gateway,
    Hop,
    Interface,
    InterfaceKind,
    LocalBattery,
    Note,
    OperationsFacts,
    PathFacts,
    PowerFacts,
    ProbeReport,
    ProbeStatus,
    Resolver,
    ResolverRole,
    RouterFacts,
    RouterIdentity,
    RouterSource,
    RouterWanLine,
    Score,
    ServiceObservation,
    Severity,
    Site,
    UpsSource,
    UpsUnit,
    Verdict,
    Waiver,
    WanIdentity,
    WanKind,
    WanSnapshot,
    WanState,
)

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _check(cid: str, title: str, category: str, severity: Severity, **kw: object) -> Check:
    base: dict[str, object] = {
        "id": cid,
        "title": title,
        "category": category,
        "severity": severity,
        "weight": 10.0,
        "why": f"Why {cid} matters to the owner.",
        "fix_owner": f"Owner fix for {cid}.",
        "fix_technician": f"Technician fix for {cid}.",
        "guide_points": ["G9"],
        "judged_by": f"How {cid} is judged.",
    }
    base.update(kw)
    return Check.model_validate(base)


def catalogue() -> Catalogue:
    return Catalogue(
        line_quality=default_catalogue().line_quality,  # the shipped line thresholds
        backup_bandwidth=default_catalogue().backup_bandwidth,
        categories=[
            Category(id="lines", title="Internet lines", description="The lines."),
            Category(id="power", title="Power", description="Power."),
            Category(id="ops", title="Operations", description="People and process."),
        ],
        checks=[
            _check("WAN-001", "The office has a second internet line", "lines", Severity.CRITICAL, cap=40.0),
            _check("WAN-002", "The backup line uses another provider", "lines", Severity.HIGH),
            _check("PWR-001", "A UPS keeps the network gear running", "power", Severity.HIGH, cap=60.0),
            _check("OPS-001", "Someone is alerted when the line drops", "ops", Severity.MEDIUM),
            _check("OPS-002", "A written outage procedure exists", "ops", Severity.LOW, manual=True),
            _check(
                "DRL-001",
                "Failover was tested recently",
                "ops",
                Severity.HIGH,
                questions=["last_failover_test"],
            ),
        ],
        questions=[
            Question(
                id="max_outage_minutes",
                text="How long can the office be offline?",
                type=QuestionType.NUMBER,
                unit="minutes",
                min=0,
                max=10080,
            ),
            Question(
                id="staff_count",
                text="How many people work here?",
                type=QuestionType.NUMBER,
                min=1,
                integer=True,
            ),
            Question(id="has_backup_line", text="Is there a backup line?", type=QuestionType.YESNO),
            Question(
                id="backup_kind",
                text="What kind of backup line?",
                type=QuestionType.CHOICE,
                choices=[Choice(value="mobile", label="4G/5G router"), Choice(value="fibre", label="Fibre")],
            ),
            Question(
                id="departments",
                text="Which departments stop?",
                type=QuestionType.MULTI,
                choices=[Choice(value="sales", label="Sales"), Choice(value="finance", label="Finance")],
            ),
            Question(id="last_failover_test", text="When was failover last tested?", type=QuestionType.DATE),
            Question(
                id="responder", text="Who responds to an outage?", type=QuestionType.TEXT, allow_unknown=False
            ),
        ],
        levels=[
            Level(name="Exposed", min_score=0, text="One failure stops the office."),
            Level(name="Resilient", min_score=85, text="The office rides through an outage."),
        ],
        services=[
            Service(
                id="teams",
                name="Microsoft Teams",
                category="telephony",
                process="calls",
                stops="Calls and meetings stop.",
            ),
        ],
    )


def facts() -> Facts:
    return Facts(
        collected_at=T0,
        hostname="ws-07.office.lan",
        platform="Linux 6.1",
        probes={
            "interfaces": ProbeReport(probe="interfaces", status=ProbeStatus.OK, duration_s=0.01),
            "wan": ProbeReport(
                probe="wan", status=ProbeStatus.PARTIAL, reason="IPv6 echo timed out", duration_s=2.5
            ),
            "power": ProbeReport(probe="power", status=ProbeStatus.OK, duration_s=0.2),
            "services": ProbeReport(
                probe="services", status=ProbeStatus.UNKNOWN, reason="process list not readable"
            ),
        },
        interfaces=[
            Interface(
                name="eth0",
                kind=InterfaceKind.ETHERNET,
                is_up=True,
                speed_mbps=1000,
                addresses=[
                    Address(family=4, address="192.168.10.23", prefixlen=24),
                    Address(family=6, address="fe80::1c2:3ff:fe04:506", prefixlen=64),
                    Address(family=6, address="2001:db8:45::23", prefixlen=64),
                ],
                mac="02:00:5e:10:00:23",
                vendor="Intel",
            ),
            Interface(
                name="wlan0",
                kind=InterfaceKind.WIFI,
                is_up=False,
                ssid="OfficeNet-5G",
                mac="02:00:5e:10:00:24",
            ),
        ],
        gateways=[
            Gateway(
                address="192.168.10.1",
                family=4,
                interface="eth0",
                metric=100,
                preferred=True,
                reachable=True,
                rtt_ms=0.6,
                mac="02:00:5e:10:00:01",
                vendor="MikroTik",
            )
        ],
        resolvers=[
            Resolver(
                address="192.168.10.1",
                source="resolv.conf",
                role=ResolverRole.ROUTER_PROXY,
                reachable=True,
                latency_ms=1.2,
            ),
            Resolver(
                address="198.51.100.53",
                source="resolv.conf",
                role=ResolverRole.PROVIDER,
                reachable=False,
                error="timed out | no answer",
            ),
        ],
        wan=[
            WanIdentity(
                family=4,
                public_ip="203.0.113.45",
                methods=["dns:echo.lab.test"],
                asn=64500,
                as_name="EXAMPLE-ISP",
                prefix="203.0.113.0/24",
                reverse_dns="cust-45.pool.isp-one.test",
                cgnat=False,
                double_nat=False,
                local_address="192.168.10.23",
            )
        ],
        path=PathFacts(
            target="198.18.0.10",
            hops=[
                Hop(ttl=1, address="192.168.10.1", rtt_ms=0.5, private=True),
                Hop(ttl=2, address="203.0.113.1", rtt_ms=4.0, asn=64500, private=False),
            ],
            quality=[
                AnchorQuality(
                    target="198.18.0.10",
                    method="icmp",
                    sent=10,
                    received=9,
                    rtts_ms=[10.0, 12.0, 11.0, 10.5, 10.0, 13.0, 10.0, 10.2, 10.1],
                )
            ],
        ),
        power=PowerFacts(
            ups=[
                UpsUnit(
                    source=UpsSource.NUT,
                    host="nas.office.lan:3493",
                    name="ups1",
                    model="Back-UPS 700",
                    manufacturer="APC",
                    status=["OL"],
                    charge_pct=100.0,
                    runtime_s=1260.0,
                    load_pct=22.0,
                )
            ],
            local_battery=LocalBattery(percent=80.0, plugged=True),
            hosts_tried=["127.0.0.1:3493", "nas.office.lan:3493"],
        ),
        services=[
            ServiceObservation(
                id="teams",
                name="Microsoft Teams",
                category="telephony",
                detected_by=["process:teams"],
                dns_ok=True,
                reachable=True,
            )
        ],
        operations=OperationsFacts(monitoring_agents=[], vpn_clients=["wireguard"], tunnels=["wg0"]),
        router=[
            RouterFacts(
                gateway="192.168.10.1",
                identity=RouterIdentity(
                    manufacturer="MikroTik",
                    model="RB5009UG+S+",
                    firmware="7.14.2",
                    serial="HE90A7B1C2D",
                    name="gw-office-7",
                    uptime_s=1_209_600,
                ),
                wan_lines=[
                    RouterWanLine(
                        interface="pppoe-out1",
                        kind=WanKind.PPP,
                        state=WanState.UP,
                        addresses=["198.51.100.23"],
                        default_route=True,
                        why="carries a default route",
                        seen_by=[RouterSource.SNMP],
                    ),
                    RouterWanLine(
                        interface="lte1",
                        kind=WanKind.CELLULAR,
                        state=WanState.DOWN,
                        addresses=["100.72.4.9"],
                        default_route=False,
                        why="holds a public or carrier-grade NAT address",
                        seen_by=[RouterSource.SNMP],
                    ),
                ],
                answered=[RouterSource.SNMP],
                credential="SNMP v2c community 1 of the config",
                tried=["igd: the gateway has no UPnP IGD (its SSDP port is closed)"],
            )
        ],
        endpoints=[
            Endpoint(kind="dns", target="198.18.0.53", purpose="public address echo"),
            Endpoint(kind="icmp", target="198.18.0.10", purpose="path quality anchor"),
            Endpoint(kind="nut", target="nas.office.lan:3493", purpose="UPS status"),
        ],
    )


def _finding(cid: str, verdict: Verdict, severity: Severity, points: float, **kw: object) -> Finding:
    titles = {c.id: c for c in catalogue().checks}
    check = titles[cid]
    base: dict[str, object] = {
        "check_id": cid,
        "title": check.title,
        "category": check.category,
        "severity": severity,
        "verdict": verdict,
        "summary": f"Summary of {cid} ({verdict.value}).",
        "points": points,
        "max_points": 10.0 if verdict in (Verdict.PASS, Verdict.FAIL, Verdict.WARN) else 0.0,
        "guide_points": list(check.guide_points),
    }
    base.update(kw)
    return Finding.model_validate(base)


def audit() -> Audit:
    """A scored audit using every part of the model the report shows."""
    return Audit(
        id="test0001",
        site=Site(
            name="Test Dental | Practice",
            address="1 Example Street",
            profile="clinic",
            timezone="Europe/Paris",
        ),
        technician="Alex Tester",
        started_at=T0,
        updated_at=datetime(2026, 11, 20, 10, 15, tzinfo=UTC),
        tool_version="0.1.0",
        facts=facts(),
        answers={
            "max_outage_minutes": Answer(value=15, by="Alex Tester"),
            "has_backup_line": Answer(value=False),
            "departments": Answer(value=["sales", "finance"]),
            "backup_kind": Answer(value=None),
            "responder": Answer(value="Front desk", prefilled_from="facts.operations"),
        },
        waivers={"OPS-002": Waiver(reason="Procedure being written", expires=date(2027, 1, 31), by="Owner")},
        drills=[drill()],
        notes=[
            Note(text="Router sits under the reception desk | unlabelled"),
            Note(text="Provider contract ends in March", check_id="WAN-001", by="Alex Tester"),
        ],
        findings=[
            _finding(
                "WAN-001",
                Verdict.FAIL,
                Severity.CRITICAL,
                0.0,
                summary="The office relies on one internet line.",
                evidence=[
                    Evidence(source="fact", key="wan", value="203.0.113.45 (AS64500)"),
                    Evidence(source="answer", key="answers.has_backup_line", value="no"),
                ],
            ),
            _finding(
                "WAN-002",
                Verdict.NOT_APPLICABLE,
                Severity.HIGH,
                0.0,
                summary="There is no backup line to compare.",
            ),
            _finding(
                "PWR-001",
                Verdict.WARN,
                Severity.HIGH,
                5.0,
                summary="The UPS runs 21 minutes, shorter than the tolerance allows.",
                evidence=[
                    Evidence(source="fact", key="power.ups[0].runtime_s", value="1260", note="at 22% load")
                ],
            ),
            _finding(
                "OPS-001",
                Verdict.UNKNOWN,
                Severity.MEDIUM,
                0.0,
                summary="Could not tell whether anyone is alerted.",
                missing=["answers.monitoring", "facts.operations.monitoring_agents"],
            ),
            _finding(
                "OPS-002",
                Verdict.WAIVED,
                Severity.LOW,
                0.0,
                summary="Waived until the procedure exists.",
                waiver=Waiver(reason="Procedure being written", expires=date(2027, 1, 31), by="Owner"),
            ),
            _finding(
                "DRL-001",
                Verdict.PASS,
                Severity.HIGH,
                10.0,
                summary="Failover was measured today.",
                conflict="The owner said failover is manual; the drill saw it switch by itself.",
            ),
        ],
        score=Score(
            overall=40.0,
            uncapped=50.0,
            level="Exposed",
            level_text="One failure stops the office.",
            points=15.0,
            max_points=30.0,
            coverage_pct=75.0,
            categories=[
                CategoryScore(
                    category="lines",
                    title="Internet lines",
                    score=0.0,
                    points=0.0,
                    max_points=10.0,
                    judged=1,
                    unknown=0,
                ),
                CategoryScore(
                    category="power",
                    title="Power",
                    score=50.0,
                    points=5.0,
                    max_points=10.0,
                    judged=1,
                    unknown=0,
                ),
                CategoryScore(
                    category="ops",
                    title="Operations",
                    score=100.0,
                    points=10.0,
                    max_points=10.0,
                    judged=1,
                    unknown=1,
                ),
            ],
            caps=[Cap(check_id="WAN-001", limit=40.0, reason="A single line caps the grade.")],
            weight_factors={"low_tolerance": 1.5},
        ),
        cost=CostEstimate(
            hourly_cost=850.0,
            staff_cost_per_hour=600.0,
            revenue_at_risk_per_hour=250.0,
            outages_per_year=4.0,
            outage_hours=3.0,
            expected_yearly_loss=10200.0,
            residual_yearly_loss=113.3,
            failover_minutes_assumed=2.0,
            backup_yearly_cost=600.0,
            yearly_saving=9486.7,
            payback_months=0.76,
            break_even_minutes_per_year=42.4,
        ),
    )


def drill() -> DrillResult:
    timeline = []
    for i in range(40):
        t = i * 0.5
        lost = 5.0 <= t < 9.0
        timeline.append(
            DrillSample(t=t, probe="icmp:198.18.0.10", ok=not lost, rtt_ms=None if lost else 11.0)
        )
        timeline.append(DrillSample(t=t, probe="dns:www.example.com", ok=not (5.0 <= t < 7.0)))
    return DrillResult(
        id="d1",
        started_at=datetime(2026, 11, 20, 9, 50, tzinfo=UTC),
        ended_at=datetime(2026, 11, 20, 9, 51, tzinfo=UTC),
        technician="Alex Tester",
        interval_ms=500,
        outcome=DrillOutcome.FAILOVER_OK,
        summary="Switched to the 4G router in 4 seconds.",
        time_to_first_loss_s=0.4,
        blackout_s=4.0,
        failover_s=4.5,
        failback_s=6.0,
        returned_to_primary=True,
        primary=WanSnapshot(public_ip="203.0.113.45", asn=64500, as_name="EXAMPLE-ISP"),
        backup=WanSnapshot(public_ip="198.51.100.77", asn=64501, as_name="MOBILE-ISP"),
        same_provider=False,
        dns_during_blackout=False,
        probes_sent=80,
        events=[
            DrillEvent(t=0.0, kind="baseline_done"),
            DrillEvent(t=4.6, kind="cut_requested"),
            DrillEvent(t=5.0, kind="first_loss"),
            DrillEvent(t=9.0, kind="recovered"),
            DrillEvent(t=9.5, kind="address_changed", detail="203.0.113.45 -> 198.51.100.77"),
        ],
        timeline=timeline,
    )


def minimal_audit() -> Audit:
    """An audit with nothing discovered, nothing answered and no score."""
    return Audit(
        id="test0002", site=Site(name="Empty Office"), started_at=T0, updated_at=T0, tool_version="0.1.0"
    )
