"""Typed configuration, read from TOML. Every external endpoint the tool may contact is here.

The defaults are real public services; the office lab and MSPs point them elsewhere
through a config file (``--config PATH`` or ``$XDG_CONFIG_HOME/readiness/config.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from readiness.catalogue import default_catalogue
from readiness.errors import InputError
from readiness.files import invalid, read_toml


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


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
    stable_s: float = Field(default=10.0, gt=0, le=3600, description="How long the primary must stay back.")
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


class SnmpV3User(_Section):
    user: str
    auth_key: SecretStr | None = None
    auth_protocol: Literal["md5", "sha", "sha256", "sha512"] = "sha"
    priv_key: SecretStr | None = None
    priv_protocol: Literal["des", "aes", "aes256"] = "aes"


class Router(_Section):
    """Asking each default gateway about itself (UPnP IGD, SNMP, TR-064), LAN side, read-only.

    Communities, v3 keys and the TR-064 password are secrets: they are read from this file
    only (which must then be readable by its owner alone) and never written anywhere.
    """

    enabled: bool = True
    igd: bool = Field(default=True, description="Ask the gateway's UPnP IGD (SSDP, then HTTP on the LAN).")
    snmp: bool = Field(default=True, description="Ask the gateway's SNMP agent, read-only.")
    snmp_communities: list[SecretStr] = Field(
        default_factory=lambda: [SecretStr("public")],
        description="SNMP v2c communities to try, in order; the default tries 'public' only.",
    )
    snmp_v3: list[SnmpV3User] = Field(default_factory=list, description="SNMP v3 users to try first.")
    tr064_user: str | None = None
    tr064_password: SecretStr | None = Field(
        default=None, description="TR-064 (FRITZ!Box): asked only when a password is set."
    )
    snmp_port: int = Field(default=161, ge=1, le=65535)
    ssdp_port: int = Field(default=1900, ge=1, le=65535)
    tr064_port: int = Field(default=49000, ge=1, le=65535)
    snmp_max_rows: int = Field(default=2000, ge=10, le=100_000, description="Rows read over all walks.")
    igd_max_bytes: int = Field(default=65536, ge=1024, le=1_048_576, description="Largest description read.")
    time_s: float = Field(default=1.5, gt=0, le=30, description="The router probe's own budget.")

    def secret_fields(self) -> list[str]:
        """The fields of this section that hold a secret beyond the well-known default."""
        found = []
        if [c.get_secret_value() for c in self.snmp_communities] != ["public"]:
            found.append("router.snmp_communities")
        if any(u.auth_key or u.priv_key for u in self.snmp_v3):
            found.append("router.snmp_v3")
        if self.tr064_password is not None:
            found.append("router.tr064_password")
        return found


class Watch(_Section):
    """`readiness watch`: the long-running watcher (README, "Watching the line")."""

    interval_s: float = Field(
        default=1.0, ge=0.2, le=60, description="One tick (anchors, gateway, resolver)."
    )
    probe_timeout_ms: int = Field(
        default=800, ge=50, le=5000, description="Each probe's limit; below a tick."
    )
    echo_period_s: float = Field(
        default=60.0, ge=0.5, le=3600, description="Public address and provider, when nothing changes."
    )
    fast_echo_s: float = Field(
        default=15.0,
        ge=0,
        le=600,
        description="After a loss or a change, the address is asked every tick this long.",
    )
    gateway: str | None = Field(
        default=None, description="The router to ping; the default gateway when unset."
    )
    raw_days: float = Field(
        default=1.0, gt=0, le=30, description="Ticks kept this long, then folded into minutes."
    )
    commit_s: float = Field(default=5.0, gt=0, le=60, description="A crash loses at most this much.")
    alert_command: str | None = Field(default=None, description="Run on an outage and a line switch.")
    webhook_url: str | None = Field(
        default=None, description="POSTed a JSON event on an outage and a switch."
    )
    alert_timeout_s: float = Field(default=10.0, gt=0, le=120)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_address: str = "127.0.0.1"
    textfile: str | None = Field(
        default=None, description="A .prom file for node_exporter's textfile collector."
    )


class Config(_Section):
    endpoints: Endpoints = Field(default_factory=Endpoints)
    power: Power = Field(default_factory=Power)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    drill: Drill = Field(default_factory=Drill)
    router: Router = Field(default_factory=Router)
    watch: Watch = Field(default_factory=Watch)
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
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise invalid(path, exc) from exc
    secrets = config.router.secret_fields()
    if secrets and os.name == "posix":
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise InputError(
                path,
                secrets[0],
                f"holds secrets but others can read it (mode {mode:o}): run chmod 600 {path}",
            )
    _check_services(config, path)
    return config


def _check_services(config: Config, path: Path) -> None:
    """A service id the catalogue does not know would be declared and then never checked."""
    if not config.services:
        return

    known = {s.id for s in default_catalogue().services}
    for i, sid in enumerate(config.services):
        if sid not in known:
            raise InputError(
                path, f"services[{i}]", f"unknown service id {sid!r} (see `readiness checks --format json`)"
            )


CONFIG_SOURCE = "the config file"


def config_answers(config: Config) -> dict[str, int]:
    """Answers a new audit starts with from the config (an MSP's house rules), by question id.

    Only defaults the office can change: an answer given later replaces them.
    """
    out: dict[str, int] = {}
    if config.drill.test_cadence_months is not None:
        out["test_cadence_months"] = config.drill.test_cadence_months
    return out
