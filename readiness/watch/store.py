"""The watcher's database: SQLite (stdlib), WAL, one writer, bounded in size.

- ``ticks``: one row a tick (boot and wall time, answers, round trip), kept ``raw_days``
  and then folded into ``minutes`` (one row a minute), so a year stays small.
- ``events``: outages, failovers, degraded periods, gaps, clock steps; kept for good. The
  detector gives each a key; a closing event replaces its open version.
- ``runs``: each run of the watcher with its last heartbeat, so the next run knows how
  long the watcher was away (a gap, never online or offline).
- ``meta``: the primary address and what alerting is set up.

Writes are committed every few seconds and at once when an event changes, with
``synchronous=FULL`` (the WAL is synced at each commit: a power cut loses at most the
uncommitted seconds). One writer at a time, by an advisory lock beside the file. A file
that is not a database (or fails SQLite's quick check) is moved aside as
``NAME.corrupt-N`` and a new one is started.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.errors import ReadinessError
from readiness.watch.records import Event, Tick

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

DB_NAME = "watch.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ticks(
    id INTEGER PRIMARY KEY, boot REAL NOT NULL, wall REAL NOT NULL,
    ok INTEGER NOT NULL, n INTEGER NOT NULL, gw INTEGER, dns INTEGER, rtt REAL);
CREATE TABLE IF NOT EXISTS minutes(
    minute INTEGER PRIMARY KEY, ticks INTEGER NOT NULL, up INTEGER NOT NULL,
    probes INTEGER NOT NULL, lost INTEGER NOT NULL, gw_fail INTEGER NOT NULL,
    dns_fail INTEGER NOT NULL, rtt_avg REAL, rtt_max REAL);
CREATE TABLE IF NOT EXISTS events(
    key TEXT PRIMARY KEY, kind TEXT NOT NULL, cause TEXT,
    start_wall REAL NOT NULL, start_boot REAL, end_wall REAL, end_boot REAL,
    length_s REAL, detail TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS events_start ON events(start_wall);
CREATE TABLE IF NOT EXISTS runs(
    id INTEGER PRIMARY KEY, boot_id TEXT, started_wall REAL NOT NULL, started_boot REAL NOT NULL,
    last_wall REAL NOT NULL, last_boot REAL NOT NULL, interval_s REAL NOT NULL);
"""


class StoreError(ReadinessError):
    """The database cannot be used (locked by another watcher, unwritable folder)."""


def default_db_path() -> Path:
    """``watch.sqlite3`` in the user's data folder (platformdirs; READINESS_DATA_DIR overrides)."""
    # late: platformdirs adds 5.2 ms to `readiness watch --print-unit`, which does not use the
    # data folder (python -X importtime, cumulative, median of 5)
    from platformdirs import user_data_dir

    override = os.environ.get("READINESS_DATA_DIR")
    folder = Path(override) if override else Path(user_data_dir("readiness"))
    return folder / DB_NAME


def _aside(path: Path) -> Path:
    n = 1
    while path.with_name(f"{path.name}.corrupt-{n}").exists():
        n += 1
    target = path.with_name(f"{path.name}.corrupt-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def _check(conn: sqlite3.Connection) -> str | None:
    """None when the file is a sound database; else SQLite's reason."""
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if row is None or row[0] != "ok":
        return str(row[0] if row else "quick_check gave nothing")
    return None


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
    else:
        conn = sqlite3.connect(path, timeout=5.0, isolation_level="DEFERRED")
    return conn


@dataclass(frozen=True)
class LastRun:
    boot_id: str | None
    last_wall: float
    last_boot: float


class WatchStore:
    """The one writer. Open with :meth:`open`; the caller commits through :meth:`commit`."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, lock_fd: int | None, moved_aside: str | None
    ) -> None:
        self.path = path
        self.conn = conn
        self._lock_fd = lock_fd
        self.moved_aside = moved_aside  # one line for the user when a corrupt file was moved aside
        self.run_id: int | None = None
        self.dirty = False

    @classmethod
    def open(cls, path: Path) -> WatchStore:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the folder: {exc.strerror or exc}") from exc
        lock_fd = _lock(path)
        moved: str | None = None
        conn: sqlite3.Connection | None = None
        try:
            if path.exists():
                conn = connect(path)
                problem = _check(conn)
                if problem is not None:
                    conn.close()
                    conn = None
                    target = _aside(path)
                    moved = (
                        f"{path}: not a readable database ({problem}); "
                        f"moved aside to {target.name}, starting a new one"
                    )
            if conn is None:
                conn = connect(path)
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript(SCHEMA)
            conn.commit()
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            _unlock(lock_fd)
            raise StoreError(f"{path}: cannot open the database: {exc}") from exc
        return cls(path, conn, lock_fd, moved)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.commit()
            self.conn.close()
        _unlock(self._lock_fd)
        self._lock_fd = None

    # ---- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))
        self.dirty = True

    # ---- runs ------------------------------------------------------------------------------
    def last_run(self) -> LastRun | None:
        row = self.conn.execute(
            "SELECT boot_id, last_wall, last_boot FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else LastRun(row[0], float(row[1]), float(row[2]))

    def start_run(self, boot_id: str | None, wall: float, boot: float, interval_s: float) -> None:
        cur = self.conn.execute(
            "INSERT INTO runs(boot_id, started_wall, started_boot, last_wall, last_boot, interval_s)"
            " VALUES(?, ?, ?, ?, ?, ?)",
            (boot_id, wall, boot, wall, boot, interval_s),
        )
        self.run_id = cur.lastrowid
        self.commit()

    def heartbeat(self, wall: float, boot: float) -> None:
        if self.run_id is not None:
            self.conn.execute(
                "UPDATE runs SET last_wall=?, last_boot=? WHERE id=?", (wall, boot, self.run_id)
            )
            self.dirty = True

    def open_events(self) -> list[Event]:
        rows = self.conn.execute(
            "SELECT key, kind, cause, start_wall, start_boot, end_wall, end_boot, detail FROM events"
            " WHERE end_wall IS NULL"
        ).fetchall()
        return [_event(r) for r in rows]

    # ---- writes ----------------------------------------------------------------------------
    def add_tick(self, t: Tick) -> None:
        self.conn.execute(
            "INSERT INTO ticks(boot, wall, ok, n, gw, dns, rtt) VALUES(?, ?, ?, ?, ?, ?, ?)",
            (
                round(t.boot, 3),
                round(t.wall, 3),
                t.reach_ok,
                t.reach_n,
                None if t.gateway_ok is None else int(t.gateway_ok),
                None if t.dns_ok is None else int(t.dns_ok),
                None if t.rtt_ms is None else round(t.rtt_ms, 1),
            ),
        )
        self.dirty = True

    def put_event(self, e: Event) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO events(key, kind, cause, start_wall, start_boot, end_wall, end_boot,"
            " length_s,"
            " detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.key,
                e.kind,
                e.cause,
                e.start_wall,
                e.start_boot,
                e.end_wall,
                e.end_boot,
                e.length_s,
                json.dumps(e.detail, sort_keys=True),
            ),
        )
        self.dirty = True

    def commit(self) -> None:
        self.conn.commit()
        self.dirty = False

    def aggregate(self, before_wall: float) -> int:
        """Fold ticks older than ``before_wall`` into whole minutes; returns the ticks folded.

        Only whole minutes are folded (a minute split by the cut-off waits for the next
        pass), and a minute folded twice (ticks of two runs) adds up rather than replacing.
        """
        cutoff = float(int(before_wall // 60) * 60)
        with self._tx():
            self.conn.execute(
                """
                INSERT INTO minutes(minute, ticks, up, probes, lost, gw_fail, dns_fail, rtt_avg, rtt_max)
                SELECT CAST(wall / 60 AS INTEGER), COUNT(*), SUM(ok * 2 > n), SUM(n), SUM(n - ok),
                       COALESCE(SUM(gw = 0), 0), COALESCE(SUM(dns = 0), 0), AVG(rtt), MAX(rtt)
                FROM ticks WHERE wall < ? GROUP BY CAST(wall / 60 AS INTEGER)
                ON CONFLICT(minute) DO UPDATE SET
                    ticks = ticks + excluded.ticks, up = up + excluded.up,
                    probes = probes + excluded.probes, lost = lost + excluded.lost,
                    gw_fail = gw_fail + excluded.gw_fail, dns_fail = dns_fail + excluded.dns_fail,
                    rtt_avg = COALESCE(excluded.rtt_avg, rtt_avg),
                    rtt_max = MAX(COALESCE(rtt_max, 0), COALESCE(excluded.rtt_max, 0))
                """,
                (cutoff,),
            )
            cur = self.conn.execute("DELETE FROM ticks WHERE wall < ?", (cutoff,))
        return cur.rowcount

    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        self.commit()
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.commit()


def _event(r: tuple[Any, ...]) -> Event:
    return Event(
        key=r[0],
        kind=r[1],
        cause=r[2],
        start_wall=float(r[3]),
        start_boot=None if r[4] is None else float(r[4]),
        end_wall=None if r[5] is None else float(r[5]),
        end_boot=None if r[6] is None else float(r[6]),
        detail=json.loads(r[7] or "{}"),
    )


def read_events(conn: sqlite3.Connection, since_wall: float | None = None) -> list[Event]:
    """Every event that ends after ``since_wall`` (or is still open), in start order."""
    sql = "SELECT key, kind, cause, start_wall, start_boot, end_wall, end_boot, detail FROM events"
    args: tuple[Any, ...] = ()
    if since_wall is not None:
        sql += " WHERE end_wall IS NULL OR end_wall >= ?"
        args = (since_wall,)
    return [_event(r) for r in conn.execute(sql + " ORDER BY start_wall", args)]


def _lock(path: Path) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    lock_path = path.with_name(f".{path.name}.lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise StoreError(f"{path}: another watcher is writing to this database") from exc
    return fd


def _unlock(fd: int | None) -> None:
    if fd is None or fcntl is None:
        return
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
