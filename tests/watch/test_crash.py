"""A real `readiness watch` killed with SIGKILL: what it had committed is there, the file
opens, and the next run closes what was open and records the time away as a gap."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from readiness.config import load_config
from readiness.watch.loop import Watcher, WatchTargets
from readiness.watch.store import WatchStore
from tests.drill.peers import Peers
from tests.watch.conftest import write_config

REPO = Path(__file__).resolve().parents[2]


def _ticks(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM ticks").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_killed_watcher_keeps_what_it_committed_and_the_next_run_goes_on(
    peers: Peers, tmp_path: Path
) -> None:
    db = tmp_path / "watch.sqlite3"
    config = write_config(peers, tmp_path / "c.toml", interval_s=0.2, probe_timeout_ms=150, commit_s=0.5)
    argv = [sys.executable, "-m", "readiness", "watch", "--quiet", "--db", str(db), "--config", str(config)]
    proc = subprocess.Popen(argv, cwd=REPO, stderr=subprocess.PIPE, text=True)
    seen = 0
    try:
        deadline = time.monotonic() + 30
        while seen < 10 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            seen = _ticks(db)  # what another reader sees is what was committed
        # Committed every commit_s while nothing happens (no event forces a commit yet).
        steady = seen
        # Stop the peers' anchors: the watcher is in an outage when it is killed.
        for p in peers.tcp:
            p.stop()
        time.sleep(1.5)
        seen = _ticks(db)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert steady >= 10, proc.stderr.read() if proc.stderr else ""
    assert _ticks(db) >= seen
    for p in peers.tcp:
        p.start()
    store = WatchStore.open(db)  # the crashed run's file opens, as it is
    try:
        assert store.moved_aside is None
        open_before = [e.kind for e in store.open_events()]
        watcher = Watcher(load_config(config), store, targets=WatchTargets(drill=peers.targets()))
        stats = asyncio.run(watcher.run(duration_s=1.0))
    finally:
        store.close()
    assert open_before == ["outage"]
    kinds = [(e.kind, e.cause, e.detail.get("cut_short")) for e in stats.events]
    assert ("outage", "upstream", "watcher stopped") in kinds  # ended at the last heartbeat
    assert any(k == "gap" and c == "stopped" for k, c, _ in kinds)
