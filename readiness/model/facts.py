"""What the probes saw. Pure data: no I/O here.

Convention used by every section: ``None`` means *not known* (the probe did not run,
timed out or could not see), an empty list means *looked and found nothing*. Rules rely
on that difference to say ``unknown`` instead of guessing.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ProbeStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # some of it was seen, the reason says what was not
    UNKNOWN = "unknown"  # nothing usable: failed, timed out, not on this platform
    SKIPPED = "skipped"  # deliberately not run (for example --offline)


class ProbeReport(_Model):
    """How one probe went, kept so a report can say why something is unknown."""

    probe: str
    status: ProbeStatus
    reason: str | None = None
    duration_s: float = Field(default=0.0, ge=0)
    diagnostics: list[str] = Field(default_factory=list)


class InterfaceKind(StrEnum):
    ETHERNET = "ethernet"
    WIFI = "wifi"
    CELLULAR = "cellular"
    TETHERING = "tethering"
    VPN = "vpn"
    VIRTUAL = "virtual"
    LOOPBACK = "loopback"
    OTHER = "other"


class Address(_Model):
    family: Literal[4, 6]
    address: str
    prefixlen: int | None = None


class Interface(_Model):
    name: str
    kind: InterfaceKind
    is_up: bool
    speed_mbps: int | None = Field(default=None, ge=0)
    mtu: int | None = Field(default=None, ge=0)
    addresses: list[Address] = Field(default_factory=list)
    mac: str | None = None
    vendor: str | None = None
    driver: str | None = None
    ssid: str | None = None
    tethering_hint: str | None = None  # why it looks like a phone hotspot / USB tethering


class Gateway(_Model):
    address: str
    family: Literal[4, 6]
    interface: str | None = None
    metric: int | None = Field(default=None, ge=0)
    preferred: bool = False  # the default route the kernel would use now
    reachable: bool | None = None
    rtt_ms: float | None = Field(default=None, ge=0)
    mac: str | None = None
    vendor: str | None = None


class ResolverRole(StrEnum):
    ROUTER_PROXY = "router_proxy"  # the office router forwards DNS
    PROVIDER = "provider"  # the internet provider's resolver
    PUBLIC = "public"  # a well-known public resolver (anycast)
    LOCAL_STUB = "local_stub"  # a stub on this machine (127.0.0.53 and the like)
    LAN = "lan"  # another host on the office network (a domain controller...)
    UNKNOWN = "unknown"


class Resolver(_Model):
    address: str
    source: str  # resolv.conf, systemd-resolved, config
    role: ResolverRole = ResolverRole.UNKNOWN
    reachable: bool | None = None
    latency_ms: float | None = Field(default=None, ge=0)
    error: str | None = None


class AccessHint(StrEnum):
    DSL = "dsl"
    CABLE = "cable"
    FIBRE = "fibre"
    MOBILE = "mobile"
    SATELLITE = "satellite"
    FIXED_WIRELESS = "fixed_wireless"
    UNKNOWN = "unknown"


class WanIdentity(_Model):
    """The office as the internet sees it, for one address family (or one line)."""

    family: Literal[4, 6]
    public_ip: str | None = None
    methods: list[str] = Field(default_factory=list)  # "dns:myip.opendns.com", "https:..."
    disagreement: str | None = None  # two methods gave different addresses
    asn: int | None = None
    as_name: str | None = None
    prefix: str | None = None
    country: str | None = None
    reverse_dns: str | None = None
    access_hint: AccessHint = AccessHint.UNKNOWN
    cgnat: bool | None = None  # provider-side carrier-grade NAT (100.64.0.0/10 seen)
    double_nat: bool | None = None  # more than one private hop before the public internet
    local_address: str | None = None  # the address this machine used to get out


class Hop(_Model):
    ttl: int = Field(ge=0)
    address: str | None = None  # None: no answer at this hop
    rtt_ms: float | None = Field(default=None, ge=0)
    asn: int | None = None
    private: bool | None = None


class AnchorQuality(_Model):
    """Round trips to one anchor over a short window, raw values kept."""

    target: str
    method: Literal["icmp", "tcp", "udp"]
    sent: int = Field(ge=0)
    received: int = Field(ge=0)
    # Checked as a whole (one error for the list, not one per sample: a crafted list of a
    # million NaN would otherwise cost seconds of error building inside discovery).
    rtts_ms: list[Annotated[float, Field(allow_inf_nan=True)]] = Field(default_factory=list)

    @field_validator("rtts_ms")
    @classmethod
    def _round_trips_are_durations(cls, value: list[float]) -> list[float]:
        if not all(math.isfinite(v) and v >= 0 for v in value):
            raise ValueError("round trips must be finite and not negative")
        return value

    @model_validator(mode="after")
    def _no_more_received_than_sent(self) -> AnchorQuality:
        if self.received > self.sent:
            raise ValueError(f"received ({self.received}) is more than sent ({self.sent})")
        return self

    @property
    def loss_pct(self) -> float:
        return 100.0 * (self.sent - self.received) / self.sent if self.sent else 100.0

    @property
    def avg_ms(self) -> float | None:
        return sum(self.rtts_ms) / len(self.rtts_ms) if self.rtts_ms else None

    @property
    def jitter_ms(self) -> float | None:
        """Mean absolute difference between consecutive round trips (RFC 3550 style)."""
        if len(self.rtts_ms) < 2:
            return None
        diffs = [abs(b - a) for a, b in zip(self.rtts_ms, self.rtts_ms[1:], strict=False)]
        return sum(diffs) / len(diffs)


class PathFacts(_Model):
    target: str | None = None
    hops: list[Hop] = Field(default_factory=list)
    quality: list[AnchorQuality] = Field(default_factory=list)


class UpsSource(StrEnum):
    NUT = "nut"
    APCUPSD = "apcupsd"
    USB = "usb"


class UpsUnit(_Model):
    source: UpsSource
    host: str | None = None  # where upsd / apcupsd answered
    name: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    status: list[str] = Field(default_factory=list)  # NUT flags: OL OB LB RB BYPASS OVER ...
    charge_pct: float | None = Field(default=None, ge=0, le=100)
    runtime_s: float | None = Field(default=None, ge=0)
    load_pct: float | None = Field(default=None, ge=0)
    battery_date: str | None = None
    last_selftest: str | None = None
    usb_vendor_id: str | None = None
    usb_product_id: str | None = None

    @property
    def on_battery(self) -> bool:
        return "OB" in self.status

    @property
    def low_battery(self) -> bool:
        return "LB" in self.status


class LocalBattery(_Model):
    """This computer's own battery. Reported apart: it keeps no router alive."""

    percent: float | None = Field(default=None, ge=0, le=100)
    plugged: bool | None = None
    secs_left: float | None = None


class PowerFacts(_Model):
    ups: list[UpsUnit] = Field(default_factory=list)
    local_battery: LocalBattery | None = None
    hosts_tried: list[str] = Field(default_factory=list)


class ServiceObservation(_Model):
    """One cloud service from the catalogue, as seen from this office."""

    id: str
    name: str
    category: str
    detected_by: list[str] = Field(default_factory=list)  # process:NAME, connection:HOST, declared
    dns_ok: bool | None = None
    reachable: bool | None = None
    latency_ms: float | None = Field(default=None, ge=0)
    http_status: int | None = None
    error: str | None = None


class OperationsFacts(_Model):
    monitoring_agents: list[str] = Field(default_factory=list)
    vpn_clients: list[str] = Field(default_factory=list)
    tunnels: list[str] = Field(default_factory=list)  # interface names of up tunnels


class RouterSource(StrEnum):
    """How the router told us: UPnP IGD, SNMP or TR-064 (FRITZ!Box)."""

    IGD = "igd"
    SNMP = "snmp"
    TR064 = "tr064"


class WanKind(StrEnum):
    PPP = "ppp"  # PPPoE / PPPoA: DSL or fibre behind a modem
    CELLULAR = "cellular"  # 4G/5G modem (wwan)
    DSL = "dsl"
    CABLE = "cable"
    FIBRE = "fibre"
    ETHERNET = "ethernet"
    OTHER = "other"


class WanState(StrEnum):
    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


class RouterIdentity(_Model):
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None  # masked by --redact
    name: str | None = None  # sysName / friendly name, masked by --redact
    description: str | None = None  # sysDescr
    object_id: str | None = None  # sysObjectID: the vendor's identifier of the model
    uptime_s: int | None = None


class RouterWanLine(_Model):
    """One internet line as the router itself reports it."""

    interface: str  # the router's name for it (ifName / ifDescr, or the IGD service)
    kind: WanKind = WanKind.OTHER
    state: WanState = WanState.UNKNOWN
    addresses: list[str] = Field(default_factory=list)
    speed_mbps: float | None = None
    default_route: bool | None = None  # carries one of the router's default routes
    why: str = ""  # which part of the WAN rule made it a line (see readiness/probes/router_wan.py)
    seen_by: list[RouterSource] = Field(default_factory=list)
    uptime_s: int | None = None
    last_error: str | None = None


class RouterFacts(_Model):
    """What one default gateway says about itself on the LAN side, read-only."""

    gateway: str
    identity: RouterIdentity = Field(default_factory=RouterIdentity)
    wan_lines: list[RouterWanLine] = Field(default_factory=list)
    answered: list[RouterSource] = Field(default_factory=list)
    # Which configured credential worked, in words ("the default SNMP community", "SNMP v3
    # user 1 of the config"): never the credential itself.
    credential: str | None = None
    tried: list[str] = Field(default_factory=list)  # what was asked and what did not answer


class Endpoint(_Model):
    """Something outside this machine that the tool contacted, for the methodology section."""

    kind: str  # dns, https, icmp, tcp, nut, apcupsd
    target: str
    purpose: str


class Facts(_Model):
    collected_at: datetime | None = None
    hostname: str | None = None
    platform: str | None = None
    offline: bool = False
    replayed_from: str | None = None
    probes: dict[str, ProbeReport] = Field(default_factory=dict)
    interfaces: list[Interface] | None = None
    gateways: list[Gateway] | None = None
    resolvers: list[Resolver] | None = None
    wan: list[WanIdentity] | None = None
    path: PathFacts | None = None
    power: PowerFacts | None = None
    services: list[ServiceObservation] | None = None
    operations: OperationsFacts | None = None
    router: list[RouterFacts] | None = None  # one per default gateway that was asked
    endpoints: list[Endpoint] = Field(default_factory=list)
