"""The watcher end to end on loopback: the drill's samplers against real peers (TCP, DNS,
HTTP echo on 127.0.0.1), the database, the metrics endpoint and a webhook.

Loopback has one path, so the peers pretend the two things it cannot do: an outage (the
TCP anchors stop: ICMP to 127.0.0.1 still answers, one probe of three, not a majority) and
a new public address (the echoes answer with another one). The lab does both for real.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import httpx

from readiness.config import Watch
from readiness.watch.alerts import Alerter
from readiness.watch.loop import Watcher, WatchTargets
from readiness.watch.metrics import Metrics
from readiness.watch.store import WatchStore
from readiness.watch.summary import load_history
from tests.drill.peers import Peers, free_port
from tests.watch.test_alerts import Hook


def _config(peers: Peers) -> object:
    config = peers.config()
    watch = Watch(interval_s=0.2, probe_timeout_ms=150, echo_period_s=60.0, fast_echo_s=3.0, commit_s=0.5)
    return config.model_copy(update={"watch": watch})


def test_watcher_records_an_outage_and_a_failover_and_serves_metrics(peers: Peers, tmp_path: Path) -> None:
    config = _config(peers)
    db = tmp_path / "watch.sqlite3"
    store = WatchStore.open(db)
    hook = Hook()
    port = free_port()
    metrics = Metrics(textfile=str(tmp_path / "readiness.prom"))
    metrics.serve(port)
    marks: dict[str, float] = {}
    scraped: list[str] = []

    def script() -> None:
        time.sleep(1.5)
        marks["cut"] = time.time()
        for p in peers.tcp:
            p.stop()
        time.sleep(1.5)
        peers.public_ip = "192.0.2.20"  # traffic leaves by "the backup" once back
        for p in peers.tcp:
            p.start()
        marks["restore"] = time.time()
        time.sleep(2.0)
        scraped.append(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)

    try:
        watcher = Watcher(
            config,  # type: ignore[arg-type]
            store,
            targets=WatchTargets(drill=peers.targets(), gateway="127.0.0.1"),
            alerter=Alerter(webhook=hook.url, timeout_s=5.0),
            metrics=metrics,
        )
        thread = threading.Thread(target=script)
        thread.start()
        stats = asyncio.run(watcher.run(duration_s=6.5))
        thread.join()
    finally:
        store.close()
        metrics.close()
        hook.close()
    kinds = [(e.kind, e.cause) for e in stats.events if e.end_wall is not None]
    assert ("outage", "upstream") in kinds, stats.events
    assert ("failover", None) in kinds, stats.events
    outage = next(e for e in stats.events if e.kind == "outage" and e.end_wall is not None)
    # Half a tick (0.1 s) plus a probe's limit and the thread's own timing: generous.
    assert abs(outage.start_wall - marks["cut"]) < 1.0
    assert outage.end_wall is not None and abs(outage.end_wall - marks["restore"]) < 1.0
    failover = next(e for e in stats.events if e.kind == "failover")
    assert failover.detail["from"] == "192.0.2.10" and failover.detail["to"] == "192.0.2.20"
    assert failover.detail["to_asn"] == 64501
    # Alerts: the outage's start and end, the failover.
    assert sorted(b["kind"] + ":" + b["state"] for b in hook.bodies) == [
        "failover:switched",
        "outage:ended",
        "outage:started",
    ]
    # Metrics: served, and written for node_exporter.
    (text,) = scraped
    assert 'readiness_watch_outages_total{cause="upstream"} 1.0' in text
    assert 'readiness_watch_line_switches_total{kind="failover"} 1.0' in text
    assert "readiness_watch_up 1.0" in text
    assert "readiness_watch_outages_total" in (tmp_path / "readiness.prom").read_text()
    # The database holds it all, and the summary reads it.
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM ticks").fetchone()[0] == stats.ticks
    conn.close()
    h = load_history(db, time.time())
    assert len([o for o in h.outages if o.cause == "upstream"]) == 1
    assert [f.kind for f in h.failovers] == ["failover"]
    assert h.lines[0].address == "192.0.2.10" and h.lines[0].asn == 64500
    assert h.lines[1].role == "backup" and h.lines[1].address == "192.0.2.20"
    assert h.alerting == ["webhook"]


def test_a_second_run_records_the_stop_as_a_gap(peers: Peers, tmp_path: Path) -> None:
    config = _config(peers)
    db = tmp_path / "watch.sqlite3"
    for _ in range(2):
        store = WatchStore.open(db)
        try:
            watcher = Watcher(config, store, targets=WatchTargets(drill=peers.targets()))  # type: ignore[arg-type]
            asyncio.run(watcher.run(duration_s=1.0))
        finally:
            store.close()
        time.sleep(0.5)
    h = load_history(db, time.time())
    assert h.outages == []
    assert 0.3 < h.gaps_s < 5.0  # the half second between runs, neither online nor offline
    assert h.availability_pct == 100.0
