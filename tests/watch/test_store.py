"""The watcher's database: kill -9 loses nothing committed, a crashed run's file opens,
a corrupt file is moved aside with one line and a new one started, one writer at a time,
and old ticks fold into minutes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from readiness.watch.detector import Event, Tick
from readiness.watch.store import StoreError, WatchStore
from readiness.watch.summary import load_history

WRITER = textwrap.dedent(
    """
    import sys, time
    from readiness.watch.store import WatchStore
    from readiness.watch.detector import Tick, Event
    store = WatchStore.open(sys.argv[1])
    store.start_run("boot-x", 1_780_000_000.0, 100.0, 1.0)
    n = 0
    while True:
        for _ in range(50):
            n += 1
            store.add_tick(Tick(mono=n, boot=100.0 + n, wall=1_780_000_000.0 + n, reach_ok=3, reach_n=3,
                                gateway_ok=True, dns_ok=True, rtt_ms=12.5))
        store.heartbeat(1_780_000_000.0 + n, 100.0 + n)
        if n % 500 == 0:
            store.put_event(Event(key=f"outage-{n}", kind="outage", start_boot=100.0 + n,
                                  start_wall=1_780_000_000.0 + n, cause="upstream"))
        store.commit()
        print(n, flush=True)
    """
)


def test_kill_9_during_writes_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "watch.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    committed = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            committed = int(line)
            if committed >= 5000:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert committed >= 5000
    # The crashed run's database (its WAL still beside it) opens, for reading and writing.
    assert db.with_name(db.name + "-wal").exists()
    conn = sqlite3.connect(db)
    (count,) = conn.execute("SELECT COUNT(*) FROM ticks").fetchone()
    (check,) = conn.execute("PRAGMA integrity_check").fetchone()
    conn.close()
    assert check == "ok"
    assert count >= committed, (count, committed)
    store = WatchStore.open(db)
    try:
        assert store.moved_aside is None
        assert len(store.open_events()) >= 10  # the outages left open by the crash
    finally:
        store.close()


def test_corrupt_database_is_moved_aside_and_a_new_one_started(tmp_path: Path) -> None:
    db = tmp_path / "watch.sqlite3"
    db.write_bytes(b"this is not a database, it was scribbled over" * 200)
    store = WatchStore.open(db)
    try:
        assert store.moved_aside is not None
        assert "\n" not in store.moved_aside
        assert "watch.sqlite3.corrupt-1" in store.moved_aside
        store.start_run(None, 1.0, 1.0, 1.0)
    finally:
        store.close()
    assert (tmp_path / "watch.sqlite3.corrupt-1").read_bytes().startswith(b"this is not")
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)


def test_truncated_database_is_moved_aside(tmp_path: Path) -> None:
    """A file cut short (a disk full, a copy interrupted) fails SQLite's quick check."""
    db = tmp_path / "watch.sqlite3"
    store = WatchStore.open(db)
    store.start_run(None, 1.0, 1.0, 1.0)
    for n in range(20000):
        store.add_tick(Tick(mono=n, boot=n, wall=1e9 + n, reach_ok=3, reach_n=3, rtt_ms=1.0))
    store.commit()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    again = WatchStore.open(db)
    try:
        assert again.moved_aside is not None
    finally:
        again.close()


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "watch.sqlite3"
    first = WatchStore.open(db)
    try:
        with pytest.raises(StoreError, match="another watcher"):
            WatchStore.open(db)
    finally:
        first.close()
    WatchStore.open(db).close()


def test_old_ticks_fold_into_minutes(tmp_path: Path) -> None:
    store = WatchStore.open(tmp_path / "w.sqlite3")
    try:
        base = 1_780_000_000.0 - (1_780_000_000.0 % 60)
        for n in range(600):  # ten minutes, the fourth one down
            up = not (180 <= n < 240)
            store.add_tick(
                Tick(mono=n, boot=n, wall=base + n, reach_ok=3 if up else 0, reach_n=3, rtt_ms=10.0)
            )
        store.commit()
        folded = store.aggregate(base + 300)
        assert folded == 300
        rows = store.conn.execute("SELECT minute, ticks, up, lost FROM minutes ORDER BY minute").fetchall()
        assert [r[1] for r in rows] == [60] * 5
        assert [r[2] for r in rows] == [60, 60, 60, 0, 60]
        assert rows[3][3] == 180
        (left,) = store.conn.execute("SELECT COUNT(*) FROM ticks").fetchone()
        assert left == 300
    finally:
        store.close()


def test_summary_of_a_missing_or_unreadable_database_is_one_clear_error(tmp_path: Path) -> None:
    from readiness.errors import InputError

    with pytest.raises(InputError, match="not found"):
        load_history(tmp_path / "nope.sqlite3", time.time())
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(InputError, match="not a readable watch database"):
        load_history(bad, time.time())
    assert bad.read_bytes() == b"garbage" * 1000  # a reader never moves anything


def test_event_upsert_keeps_the_closed_version(tmp_path: Path) -> None:
    store = WatchStore.open(tmp_path / "w.sqlite3")
    try:
        ev = Event(key="outage-1", kind="outage", start_boot=10.0, start_wall=1e9, cause="upstream")
        store.put_event(ev)
        store.put_event(Event(**{**ev.__dict__, "end_boot": 25.0, "end_wall": 1e9 + 15}))
        store.commit()
        assert store.open_events() == []
        (length,) = store.conn.execute("SELECT length_s FROM events").fetchone()
        assert length == 15.0
    finally:
        store.close()
