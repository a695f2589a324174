"""Typed configuration, read from TOML. Every external endpoint the tool may contact is here.

The defaults are real public services; the office lab and MSPs point them elsewhere
through a config file (``--config PATH`` or ``$XDG_CONFIG_HOME/readiness/config.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from readiness.errors import InputError
from readiness.files import invalid, read_toml


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DnsEcho(_Section):
    """A DNS name whose answer is the querier's own public address."""

    name: str
    server: str  # IP address or host name of the authoritative server to ask
    rdtype: str = "A"  # A, AAAA or TXT
    family: int = 4


class Endpoints(_Section):
    anchors: list[str] = Field(
        default_factory=lambda: ["1.1.1.1", "8.8.8.8", "9.9.9.9"],
        description="Independent hosts pinged for path quality and by the drill.",
    )
    tcp_anchors: list[str] = Field(
        default_factory=lambda: ["1.1.1.1:443", "8.8.8.8:443"],
        description="host:port pairs for TCP connect probes.",
    )
    echo_urls: list[str] = Field(
        default_factory=lambda: ["https://api.ipify.org", "https://ifconfig.me/ip"],
        description="HTTPS services that return the caller's public address as plain text.",
    )
    dns_echo: list[DnsEcho] = Field(
        default_factory=lambda: [
            DnsEcho(name="myip.opendns.com", server="resolver1.opendns.com", rdtype="A"),
            DnsEcho(name="o-o.myaddr.l.google.com", server="ns1.google.com", rdtype="TXT"),
            DnsEcho(name="myip.opendns.com", server="resolver1.opendns.com", rdtype="AAAA", family=6),
        ],
        description="DNS names that answer with the querier's address.",
    )
    cymru_origin_zone: str = "origin.asn.cymru.com"
    cymru_origin6_zone: str = "origin6.asn.cymru.com"
    cymru_asn_zone: str = "asn.cymru.com"
    dns_test_name: str = Field(
        default="www.example.com",
        description="A name resolved to test each resolver and DNS during a drill.",
    )
    path_target: str | None = Field(
        default=None, description="Where the path is traced to; the first anchor when unset."
    )
    tls_ca_file: str | None = Field(
        default=None,
        description="Extra CA bundle for HTTPS checks (an intercepting proxy, or the office lab).",
    )


class Power(_Section):
    nut_hosts: list[str] = Field(
        default_factory=list,
        description="Extra NUT upsd hosts (host or host:port); localhost and the gateway are tried too.",
    )
    apcupsd_hosts: list[str] = Field(default_factory=list, description="Extra apcupsd NIS hosts.")
    try_gateway: bool = True


class Timeouts(_Section):
    probe_s: float = Field(default=2.5, gt=0, le=60, description="Each probe's own time limit.")
    discovery_s: float = Field(default=6.0, gt=0, le=120, description="The whole discovery's limit.")
    connect_s: float = Field(default=1.0, gt=0, le=30, description="One connection attempt.")


class Drill(_Section):
    interval_ms: int = Field(default=100, ge=50, le=5000)
    max_duration_s: float = Field(default=600.0, gt=0, le=3600)
    stable_s: float = Field(default=10.0, gt=0, description="How long the primary must stay back.")
    probe_timeout_ms: int = Field(default=400, ge=50, le=5000)
    dns_server: str | None = Field(
        default=None,
        description="host[:port] the drill's DNS probe and ASN lookups ask; the system resolver when unset.",
    )
    test_cadence_months: int | None = Field(
        default=None,
        ge=1,
        le=60,
        description="How often new audits' offices should test failover, until the office answers "
        "for itself (test_cadence_months); 12 when unset.",
    )


class ActionCost(_Section):
    """The cost of one action of the plan at this office: [low, high] in its currency."""

    one_off: tuple[float, float] | None = Field(default=None, description="One-off cost range.")
    monthly: tuple[float, float] | None = Field(default=None, description="Monthly cost range.")

    @model_validator(mode="after")
    def _ranges(self) -> ActionCost:
        for rng in (self.one_off, self.monthly):
            if rng is not None and not 0 <= rng[0] <= rng[1]:
                raise ValueError("expected [low, high] with 0 <= low <= high")
        return self


class PlanSettings(_Section):
    costs: dict[str, ActionCost] = Field(
        default_factory=dict,
        description="Action id (checks/plan.toml) -> its cost here, replacing the default ranges.",
    )

    def overrides(self) -> dict[str, dict[str, tuple[float, float]]]:
        """For ``Catalogue.with_action_costs``."""
        return {
            aid: {k: v for k, v in (("one_off", c.one_off), ("monthly", c.monthly)) if v is not None}
            for aid, c in self.costs.items()
        }


class Config(_Section):
    endpoints: Endpoints = Field(default_factory=Endpoints)
    power: Power = Field(default_factory=Power)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    drill: Drill = Field(default_factory=Drill)
    services: list[str] = Field(
        default_factory=list, description="Catalogue ids of services to check even if not detected."
    )
    plan: PlanSettings = Field(default_factory=PlanSettings)
    keymap: dict[str, str] = Field(
        default_factory=dict, description="Binding id -> keys, to remap the TUI's bindings."
    )
    theme: str | None = None


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "readiness" / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Load ``path``, or the user's config file if it exists, or the defaults."""
    explicit = path is not None
    path = path or default_config_path()
    try:
        exists = path.exists()
    except OSError as exc:  # a folder on the way that this user may not enter
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    if not exists:
        if explicit:
            raise InputError(path, None, "config file not found")
        return Config()
    data = read_toml(path)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise invalid(path, exc) from exc


CONFIG_SOURCE = "the config file"


def config_answers(config: Config) -> dict[str, int]:
    """Answers a new audit starts with from the config (an MSP's house rules), by question id.

    Only defaults the office can change: an answer given later replaces them.
    """
    out: dict[str, int] = {}
    if config.drill.test_cadence_months is not None:
        out["test_cadence_months"] = config.drill.test_cadence_months
    return out
