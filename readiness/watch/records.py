"""What the watcher records: ticks, echoes and events (plain dataclasses, cheap to import).

The summary and the store need only these; the detector (which judges against the voice
thresholds of the rules) is not imported to read a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tick:
    mono: float  # CLOCK_MONOTONIC at launch (stops in sleep)
    boot: float  # CLOCK_BOOTTIME at launch
    wall: float  # epoch seconds at launch
    reach_ok: int  # reachability probes (ICMP/TCP to the anchors) that answered
    reach_n: int  # reachability probes sent
    gateway_ok: bool | None = None  # None: no gateway probed
    dns_ok: bool | None = None  # None: no resolver probed
    rtt_ms: float | None = None  # median round trip of the answered reachability probes

    @property
    def up(self) -> bool:
        """A strict majority answered: one slow anchor cannot fake an outage."""
        return self.reach_n > 0 and self.reach_ok * 2 > self.reach_n


@dataclass(frozen=True)
class Echo:
    boot: float
    wall: float
    address: str
    asn: int | None = None
    as_name: str | None = None


@dataclass(frozen=True)
class Event:
    key: str
    kind: str
    start_boot: float | None
    start_wall: float
    end_boot: float | None = None
    end_wall: float | None = None
    cause: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.end_wall is None

    @property
    def length_s(self) -> float | None:
        if self.end_wall is None:
            return None
        if self.start_boot is not None and self.end_boot is not None:
            return round(self.end_boot - self.start_boot, 3)
        return round(self.end_wall - self.start_wall, 3)
