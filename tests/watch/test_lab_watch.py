"""The watcher in the office lab (`dual`): real lines cut and restored, the router's own
failover, a DNS-only failure and a restart, each compared with the lab's truth.

The watcher runs as `readiness watch` in the office namespace at its default tick (1 s),
with the public address asked every second (``echo_period_s = 1``) so that a switch
without any lost tick is still timed to the second; the default (60 s, and every tick
after a loss) is what the detector tests and the loopback test exercise. Edges are placed
halfway between ticks, hence the 1 s bound against the lab's cut, restore and router
switch times. The machine's own clock is never stepped here (the lab shares it with the
host): the detector's tests step a fake clock instead.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from readiness.watch.summary import load_history
from tests.lab import Lab

pytestmark = pytest.mark.lab
WITHIN_S = 1.0
DNS_TABLE = "readiness_watch_dnscut"


def _block_dns(lab: Lab) -> float:
    rules = (
        f"table inet {DNS_TABLE} {{ chain input {{ type filter hook input priority -5; "
        "udp dport 53 drop; tcp dport 53 drop; }; }"
    )
    proc = subprocess.run(
        ["ip", "netns", "exec", lab.ns["router"], "nft", "-f", "-"],
        input=rules,
        text=True,
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr
    return time.time()


def _unblock_dns(lab: Lab) -> float:
    subprocess.run(
        ["ip", "netns", "exec", lab.ns["router"], "nft", "delete", "table", "inet", DNS_TABLE],
        capture_output=True,
    )
    return time.time()


def _runs(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _start(lab: Lab, db: Path, config: Path) -> subprocess.Popen[str]:
    """Start a watcher and wait (generously: a loaded machine starts Python slowly) until
    its run is recorded, so what the test does next happens while it watches."""
    before = _runs(db)
    argv = [sys.executable, "-m", "readiness", "watch", "--quiet", "--db", str(db), "--config", str(config)]
    proc = lab.popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _runs(db) == before and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    return err


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= WITHIN_S


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_watcher_records_the_lab_truth(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "watch.sqlite3"
    config = tmp_path / "watch.toml"
    config.write_text(lab.config_path.read_text() + "\n[watch]\necho_period_s = 1.0\n")
    config.chmod(0o600)  # the lab config holds the router's SNMP keys: owner-only, as readiness asks
    marks: dict[str, Any] = {}
    proc = _start(lab, db, config)
    try:
        time.sleep(3.0)  # the first echoes: the primary's address
        marks["cut"] = lab.cut("primary")
        time.sleep(3.0)
        marks["restore"] = lab.restore("primary")
        time.sleep(3.0)
        # A whole outage: the backup is cut first (idle), then the primary.
        lab.cut("backup")
        marks["cut_both"] = lab.cut("primary")
        time.sleep(3.0)
        marks["restore_both"] = lab.restore("primary")
        # The router went over to the (cut) backup; the backup comes back only once the
        # router is on the primary again, or traffic would leave by it for a moment.
        assert lab.wait_active("primary", timeout=5.0)
        lab.restore("backup")
        time.sleep(3.0)
        marks["dns_cut"] = _block_dns(lab)
        time.sleep(4.0)
        marks["dns_restore"] = _unblock_dns(lab)
        time.sleep(3.0)
    finally:
        _unblock_dns(lab)
        marks["stopping"] = time.time()
        err = _stop(proc)
    # Stopped, then started again: the time between is a gap.
    time.sleep(1.0)
    proc = _start(lab, db, config)
    marks["restarted"] = time.time()
    try:
        time.sleep(2.5)
    finally:
        err += _stop(proc)

    router = lab.router_events()
    failover = next(e["wall"] for e in router if e["event"] == "failover" and e["wall"] > marks["cut"])
    failback = next(e["wall"] for e in router if e["event"] == "failback" and e["wall"] > marks["restore"])
    back_after_both = next(
        e["wall"] for e in router if e["event"] == "failback" and e["wall"] > marks["restore_both"]
    )
    h = load_history(db, time.time())
    switches = [(f.kind, f) for f in h.failovers]
    kinds = [k for k, _ in switches]
    assert kinds == ["failover", "failback"], (kinds, err)
    fo, fb = switches[0][1], switches[1][1]
    lines = lab.truth["lines"]
    assert (fo.from_ip, fo.to_ip) == (lines["primary"]["public_ip"], lines["backup"]["public_ip"])
    assert fo.to_asn == lines["backup"]["asn"]
    # The failover's blackout starts at the cut and lasts until the router switched.
    assert _near(fo.at.timestamp(), marks["cut"]), (fo, marks)
    assert fo.blackout_s is not None and fo.blackout_s <= (failover - marks["cut"]) + WITHIN_S
    assert _near(fb.at.timestamp(), failback) or _near(fb.at.timestamp(), marks["restore"]), (fb, marks)
    # The whole outage: from the cut of both to the router's return to the primary.
    whole = [o for o in h.outages if o.cause != "dns"]
    assert len(whole) == 1, h.outages
    (outage,) = whole
    assert outage.cause == "upstream"  # the router answered throughout
    assert _near(outage.start.timestamp(), marks["cut_both"]), (outage, marks)
    assert outage.end is not None and _near(outage.end.timestamp(), back_after_both), (outage, marks)
    # DNS only.
    dns = [o for o in h.outages if o.cause == "dns"]
    assert len(dns) == 1, h.outages
    assert _near(dns[0].start.timestamp(), marks["dns_cut"]), (dns, marks)
    assert dns[0].end is not None and _near(dns[0].end.timestamp(), marks["dns_restore"]), (dns, marks)
    # The restart: a gap at least as long as the pause, at most from the stop request to
    # the new run's record (Python's start-up on a busy machine is part of it), counted
    # neither online nor offline.
    assert 1.0 - WITHIN_S <= h.gaps_s <= marks["restarted"] - marks["stopping"] + WITHIN_S, (h.gaps_s, marks)
    assert h.lines[0].address == lines["primary"]["public_ip"]
