"""The scenarios: which lines, which failover, which UPS, and what the audit must conclude.

Addresses come from documentation/benchmark ranges only (RFC 5737, RFC 2544) plus private
ranges that exist solely inside the lab's namespaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

LAN_NET = "192.168.50.0/24"
LAN_ROUTER = "192.168.50.1"
LAN_OFFICE = "192.168.50.10"
TETHER_NET = "172.20.10.0/28"  # the range an iPhone hotspot hands out
TETHER_PHONE = "172.20.10.1"
TETHER_OFFICE = "172.20.10.2"

DNS_AUTH = "198.18.0.53"  # the "internet" authoritative DNS (also answers every lab zone)
DNS_AUTH2 = "198.18.0.54"
ECHO = "198.18.0.80"  # HTTP/HTTPS echo of the caller's address
ANCHORS = ("198.18.10.1", "198.18.20.1", "198.19.30.1")
CLOUD_BASE = "198.18.100."  # cloud service hosts get 198.18.100.10, .11, ...
TRANSIT_PREFIX = "198.18.0.0/15"
TRANSIT_ASN = 64510
TRANSIT_NAME = "LAB-TRANSIT"

LAB_DOMAIN = "lab.test"
DNS_ECHO_A = "myip.lab.test"  # A answer = the querier's address (myip.opendns.com style)
DNS_ECHO_TXT = "o-o.myaddr.lab.test"  # TXT answer = the querier's address (o-o.myaddr style)
DNS_TEST_NAME = "www.lab.test"
ECHO_HOST = "echo.lab.test"
CYMRU_ORIGIN_ZONE = "origin.asn.cymru-lab.test"
CYMRU_ORIGIN6_ZONE = "origin6.asn.cymru-lab.test"
CYMRU_ASN_ZONE = "asn.cymru-lab.test"
UPS_NAME = "labups"
UPS_PORT = 3493

# The lab office declares it works in these catalogue services (its config's `services`):
# cloud telephony, mail and CRM, each answered by the lab's HTTPS endpoint.
DECLARED_SERVICES = ("teams_phone", "exchange_online", "salesforce")

# Cloud host names served by the lab DNS when checks/services.toml is absent or unreadable.
DEFAULT_CLOUD_HOSTS = (
    "outlook.office365.com",
    "login.microsoftonline.com",
    "teams.microsoft.com",
    "www.google.com",
    "mail.google.com",
    "meet.google.com",
    "zoom.us",
    "sip.twilio.com",
)


@dataclass(frozen=True)
class Provider:
    """One internet provider namespace and the office-side line it sells."""

    key: Literal["a", "b"]
    label: str  # isp-a / isp-b
    prefix: str
    gateway: str  # the provider's side of the access link (next hop)
    customer: str  # the public address the provider gives its customer
    uplink_isp: str  # provider <-> internet link, provider side (/30)
    uplink_inet: str  # same link, internet side
    asn: int
    as_name: str
    access: Literal["fibre", "mobile", "dsl", "cable"]

    @property
    def ptr(self) -> str:
        owner = "isp-a" if self.as_name.endswith("-A") else "isp-b"
        return f"{self.access}-{self.customer.replace('.', '-')}.{owner}.{LAB_DOMAIN}"


ISP_A = Provider(
    "a",
    "isp-a",
    "198.51.100.0/24",
    "198.51.100.1",
    "198.51.100.10",
    "198.18.1.1",
    "198.18.1.2",
    64500,
    "LAB-FIBRE-A",
    "fibre",
)
ISP_B = Provider(
    "b",
    "isp-b",
    "203.0.113.0/24",
    "203.0.113.1",
    "203.0.113.10",
    "198.18.2.1",
    "198.18.2.2",
    64501,
    "LAB-MOBILE-B",
    "mobile",
)
# dual-shared: the second line is another product of the same provider (same ASN, same name).
ISP_B_SHARED = replace(ISP_B, asn=ISP_A.asn, as_name=ISP_A.as_name, access=ISP_A.access)

Verdict = Literal["pass", "fail", "warn", "unknown", "not_applicable"]
Answer = bool | int | float | str | list[str]


@dataclass(frozen=True)
class Scenario:
    """One office. ``answers`` is what its owner would truthfully declare about what a machine
    cannot see (``lab.answers_path`` writes them as an answers file); ``expected`` is what
    ``readiness audit --answers`` must conclude once a failover drill (cut and restore of the
    primary) has run in the office, where the scenario has a line to cut.
    """

    name: str
    description: str
    primary: Provider | None
    backup: Provider | None  # a second line on the router
    failover: Literal["auto", "manual", "none"]
    ups: bool
    tether: bool = False  # ISP B reaches the office only through a phone hotspot on the office host
    dead: bool = False
    answers: dict[str, Answer] = field(default_factory=dict)
    expected: dict[str, Verdict] = field(default_factory=dict)  # check id -> verdict


_UPS_ANSWERS: dict[str, Answer] = {"ups_present": True, "ups_feeds": ["modem", "router", "switch"]}

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "single",
            "One line (ISP A, fibre), one router, no UPS.",
            ISP_A,
            None,
            "none",
            ups=False,
            answers={
                "backup_line": False,
                "primary_type": "fibre",
                "ups_present": False,
                "tethering_used": False,
            },
            expected={"WAN-001": "fail", "FO-001": "fail", "PWR-001": "fail", "WAN-006": "pass"},
        ),
        Scenario(
            "dual",
            "ISP A fibre + ISP B mobile (different ASNs); the router fails over within ~1 s "
            "and fails back; a UPS behind NUT on the router.",
            ISP_A,
            ISP_B,
            "auto",
            ups=True,
            # Nothing declared about the lines: the drill must establish them.
            answers={"tethering_used": False, **_UPS_ANSWERS},
            expected={
                "WAN-001": "pass",
                "WAN-002": "pass",
                "FO-001": "pass",
                "PWR-001": "pass",
                "PWR-002": "pass",
                "WAN-006": "pass",
            },
        ),
        Scenario(
            "dual-shared",
            "Two lines but both from the same provider (same ASN); automatic failover; UPS.",
            ISP_A,
            ISP_B_SHARED,
            "auto",
            ups=True,
            # The owner believes the providers differ: the drill must contradict it.
            answers={
                "backup_line": True,
                "backup_same_provider": False,
                "tethering_used": False,
                **_UPS_ANSWERS,
            },
            expected={"WAN-001": "pass", "WAN-002": "fail", "FO-001": "pass", "PWR-001": "pass"},
        ),
        Scenario(
            "manual",
            "Two lines (different ASNs) but the router never switches by itself; UPS.",
            ISP_A,
            ISP_B,
            "manual",
            ups=True,
            # The owner believes switching is automatic: the drill must contradict it.
            answers={
                "backup_line": True,
                "backup_type": "mobile",
                "backup_same_provider": False,
                "failover_mode": "automatic",
                "tethering_used": False,
                **_UPS_ANSWERS,
            },
            expected={"WAN-001": "pass", "WAN-002": "pass", "FO-001": "fail", "PWR-001": "pass"},
        ),
        Scenario(
            "dead",
            "The only line is down: the router has no route out and DNS does not answer.",
            ISP_A,
            None,
            "none",
            ups=False,
            dead=True,
            answers={"backup_line": False, "ups_present": False},
            expected={"WAN-001": "fail", "PWR-001": "fail", "DNS-001": "fail"},
        ),
        Scenario(
            "tethered",
            "One fixed line (ISP A); the only backup is a phone hotspot (usb0, 172.20.10.0/28) "
            "plugged into the office host, reaching ISP B (mobile).",
            ISP_A,
            None,
            "none",
            ups=False,
            tether=True,
            # The owner says nothing about phones: the tethering link must give it away.
            answers={"ups_present": False},
            expected={"WAN-006": "fail", "PWR-001": "fail"},
        ),
    )
}
