"""A watch database written by hand for summary and audit tests: runs, events, meta.

Times are given in days from ``START``; every event is what the detector would record.
"""

from __future__ import annotations

from pathlib import Path

from readiness.watch.detector import Event
from readiness.watch.store import WatchStore

START = 1_780_000_000.0  # 2026-05-28
DAY = 86400.0
PRIMARY, BACKUP = "198.51.100.10", "203.0.113.10"


def _ev(
    key: str, kind: str, start: float, length: float, cause: str | None = None, **detail: object
) -> Event:
    a = START + start * DAY
    return Event(key, kind, a - START, a, a - START + length, a + length, cause, dict(detail))


def fourteen_days(path: Path, *, alerting: str = '["webhook"]') -> Path:
    """Two weeks watched, 6 hours stopped on day 5; two outages, one DNS-only failure, one
    failover to the backup (3.2 s blackout) and its failback 40 minutes later."""
    store = WatchStore.open(path)
    c = store.conn
    c.execute(
        "INSERT INTO runs(boot_id, started_wall, started_boot, last_wall, last_boot, interval_s) VALUES"
        " ('a', ?, 0, ?, ?, 1), ('a', ?, ?, ?, ?, 1)",
        (
            START,
            START + 5 * DAY,
            5 * DAY,
            START + 5 * DAY + 6 * 3600,
            5 * DAY + 6 * 3600,
            START + 14 * DAY,
            14 * DAY,
        ),
    )
    for e in [
        _ev("o1", "outage", 2.5, 1800.0, "upstream"),
        _ev("o2", "outage", 9.1, 600.0, "gateway"),
        _ev("d1", "outage", 3.2, 300.0, "dns"),
        _ev("g1", "gap", 5.0, 6 * 3600.0, "stopped"),
        _ev(
            "f1",
            "failover",
            11.0,
            3.2,
            None,
            **{
                "from": PRIMARY,
                "to": BACKUP,
                "to_asn": 64501,
                "to_as_name": "LAB-MOBILE-B",
                "blackout_s": 3.2,
            },
        ),
        _ev(
            "f2",
            "failback",
            11.0 + 2400 / DAY,
            0.0,
            None,
            **{"from": BACKUP, "to": PRIMARY, "blackout_s": 0.0},
        ),
    ]:
        store.put_event(e)
    store.set_meta("primary_ip", PRIMARY)
    store.set_meta("primary_asn", "64500")
    store.set_meta("primary_as_name", "LAB-FIBRE-A")
    store.set_meta("alerting", alerting)
    store.commit()
    store.close()
    return path
