"""Literal drill timelines built from a few numbers, for the analysis tests."""

from __future__ import annotations

from collections.abc import Callable

from readiness.model.drill import DrillEvent, DrillSample

REACH = ("icmp:a1", "icmp:a2", "tcp:a3:443")
PRIMARY, BACKUP = "192.0.2.10", "198.51.100.20"


def timeline(
    end: float,
    up: Callable[[float], bool],
    address: Callable[[float], str | None],
    *,
    interval: float = 0.1,
    echo_every: float = 0.1,
    flaky: Callable[[str, float], bool] | None = None,
    dns: Callable[[float], bool] | None = None,
) -> list[DrillSample]:
    """Reachability every ``interval``; echo every ``echo_every``; ``flaky`` breaks one probe."""
    out: list[DrillSample] = []
    k = 0
    while k * interval <= end + 1e-9:
        t = round(k * interval, 4)
        for name in REACH:
            ok = up(t) and not (flaky and flaky(name, t))
            out.append(DrillSample(t=t, probe=name, ok=ok, rtt_ms=10.0 if ok else None))
        if dns is not None:
            out.append(DrillSample(t=t, probe="dns:www.example.test", ok=dns(t)))
        if abs((t / echo_every) - round(t / echo_every)) < 1e-6:
            addr = address(t)
            ok = up(t) and addr is not None
            out.append(DrillSample(t=t, probe="echo:http://e/", ok=ok, detail=addr if ok else "timeout"))
        k += 1
    return out


def events(*pairs: tuple[float, str]) -> list[DrillEvent]:
    return [DrillEvent(t=t, kind=kind) for t, kind in pairs]
