"""The watcher's cost: CPU, memory, traffic and database growth at the default rate, and
the time `--summary` takes over 30 days of history.

    sudo .venv/bin/python -m bench watch [--window 90]

1. A real `readiness watch` at its defaults (one tick a second; address every minute) in
   the office lab (`dual`, root), for ``--window`` seconds: CPU (process time over the
   window after a 10 s warm-up, as a share of one core), peak and final RSS (psutil), and
   the packets it sent and received on the office's interface (tcpdump), per day. Without
   the lab it runs against loopback peers instead and says so (no traffic figure then).
2. The database's growth per day, computed from that measured run: its ticks and events,
   repeated over a full day at one tick a second into a fresh database, then folded into
   minutes the way the watcher does after `raw_days`.
3. `--summary` over 30 simulated days: the real detector run over a month of a line with
   outages, failovers, DNS failures, a stop and a sleep (one tick a second), its events and
   runs stored, plus 29 days of minutes and a day of raw ticks; then the summary timed in
   process and as a whole `readiness watch --summary --since 30d` command.

Prints figures; never fails on them. Goals: < 1 % of a core, < 60 MB, < 5 MB/day, < 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from readiness.watch.detector import Detector, Echo, Event, Tick
from readiness.watch.store import WatchStore
from readiness.watch.summary import load_history

DAY = 86400


# ---- 1. a real watcher ------------------------------------------------------------------


def _pcap_bytes(path: Path, lan_prefix: bytes) -> tuple[int, int, int]:
    """(packets, bytes on the wire, bytes to or from beyond the LAN) of an Ethernet pcap."""
    data = path.read_bytes()
    off, packets, total, beyond = 24, 0, 0, 0
    while off + 16 <= len(data):
        _s, _us, incl, orig = struct.unpack("<IIII", data[off : off + 16])
        frame = data[off + 16 : off + 16 + incl]
        off += 16 + incl
        packets += 1
        total += orig
        if len(frame) >= 34 and frame[12:14] == b"\x08\x00":
            src, dst = frame[26:30], frame[30:34]
            if not (src.startswith(lan_prefix) and dst.startswith(lan_prefix)):
                beyond += orig
    return packets, total, beyond


def _measure(proc: subprocess.Popen[Any], window: float) -> dict[str, float]:
    p = psutil.Process(proc.pid)
    time.sleep(10.0)  # start-up (imports, first echoes) is not the steady state
    cpu0 = sum(p.cpu_times()[:2])
    t0 = time.monotonic()
    peak = 0
    while time.monotonic() - t0 < window:
        peak = max(peak, p.memory_info().rss)
        time.sleep(0.5)
    cpu1 = sum(p.cpu_times()[:2])
    elapsed = time.monotonic() - t0
    rss = p.memory_info().rss
    return {
        "cpu_pct": 100.0 * (cpu1 - cpu0) / elapsed,
        "window_s": elapsed,
        "peak_rss_mb": max(peak, rss) / 2**20,
        "rss_mb": rss / 2**20,
    }


def _stop(proc: subprocess.Popen[Any]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_watcher(window: float, workdir: Path) -> tuple[dict[str, float], Path, str]:
    db = workdir / "watch.sqlite3"
    argv = [sys.executable, "-m", "readiness", "watch", "--quiet", "--db", str(db)]
    from tests.lab import Lab, lab_available

    ok, why = lab_available()
    if ok:
        with Lab.up("dual") as lab:
            pcap = workdir / "office.pcap"
            dump = lab.popen(
                ["tcpdump", "-i", "eth0", "-s", "96", "-w", str(pcap), "-U"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)
            proc = lab.popen([*argv, "--config", str(lab.config_path)], stderr=subprocess.PIPE, text=True)
            try:
                figures = _measure(proc, window)
                total_s = figures["window_s"] + 10.0
            finally:
                _stop(proc)
                time.sleep(0.5)
                dump.send_signal(signal.SIGINT)
                dump.wait(timeout=10)
            packets, wire, beyond = _pcap_bytes(pcap, bytes([192, 168, 50]))
            scale = DAY / total_s
            figures |= {
                "packets_per_day": packets * scale,
                "mb_per_day": wire * scale / 1e6,
                "mb_beyond_lan_per_day": beyond * scale / 1e6,
            }
            return figures, db, "office lab (dual), as root"
    from tests.drill.peers import Peers

    peers = Peers()
    peers.start()
    try:
        config = workdir / "loopback.toml"
        c = peers.config()
        lines = [
            "[endpoints]",
            f"anchors = {c.endpoints.anchors!r}".replace("'", '"'),
            f"tcp_anchors = {c.endpoints.tcp_anchors!r}".replace("'", '"'),
            f"echo_urls = {c.endpoints.echo_urls!r}".replace("'", '"'),
            f'dns_test_name = "{c.endpoints.dns_test_name}"',
            f'cymru_origin_zone = "{c.endpoints.cymru_origin_zone}"',
            f'cymru_asn_zone = "{c.endpoints.cymru_asn_zone}"',
            "[drill]",
            f'dns_server = "{c.drill.dns_server}"',
            "[watch]",
            'gateway = "127.0.0.1"',
        ]
        config.write_text("\n".join(lines) + "\n")
        proc = subprocess.Popen([*argv, "--config", str(config)], stderr=subprocess.PIPE, text=True)
        try:
            figures = _measure(proc, window)
        finally:
            _stop(proc)
        return figures, db, f"loopback peers (the lab is unavailable: {why})"
    finally:
        peers.stop()


# ---- 2. database growth ------------------------------------------------------------------


def _file_size(db: Path) -> int:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    (free,) = conn.execute("PRAGMA freelist_count").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    return int((pages - free) * size)


def db_growth(measured: Path, workdir: Path) -> dict[str, float]:
    conn = sqlite3.connect(measured)
    ticks = conn.execute("SELECT boot, wall, ok, n, gw, dns, rtt FROM ticks ORDER BY id").fetchall()
    events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    conn.close()
    if not ticks:
        raise SystemExit("the measured run recorded no ticks")
    day_db = workdir / "day.sqlite3"
    store = WatchStore.open(day_db)
    store.start_run(None, 1_780_000_000.0, 0.0, 1.0)
    empty = _file_size(day_db)
    rows = []
    for k in range(DAY):
        _boot, _wall, ok, n, gw, dns, rtt = ticks[k % len(ticks)]
        rows.append((float(k), 1_780_000_000.0 + k, ok, n, gw, dns, rtt))
    store.conn.executemany(
        "INSERT INTO ticks(boot, wall, ok, n, gw, dns, rtt) VALUES(?, ?, ?, ?, ?, ?, ?)", rows
    )
    store.commit()
    raw = _file_size(day_db) - empty
    store.aggregate(1_780_000_000.0 + DAY)
    store.commit()
    folded = _file_size(day_db) - empty
    store.close()
    return {
        "ticks_measured": len(ticks),
        "events_measured": events,
        "raw_mb_per_day": raw / 1e6,
        "folded_kb_per_day": folded / 1e3,
    }


# ---- 3. --summary over 30 days ------------------------------------------------------------


def simulate_month(db: Path, days: int = 30, seed: int = 30) -> dict[str, int]:
    """The real detector over a month of one tick a second; events and runs stored."""
    rng = random.Random(seed)
    start_wall = time.time() - days * DAY
    outages = sorted(rng.uniform(0, days * DAY) for _ in range(days // 2))
    lengths = {int(t): rng.choice([5, 40, 300, 1800]) for t in outages}
    failovers = sorted(rng.uniform(0, days * DAY) for _ in range(max(1, days // 7)))
    dns_cuts = sorted(rng.uniform(0, days * DAY) for _ in range(3))
    down_until, dns_until, backup_until = -1.0, -1.0, -1.0
    stop_at, stop_len = 12 * DAY + 3600, 3 * 3600
    store = WatchStore.open(db)
    det = Detector()
    boot_id = "sim"
    store.conn.execute(
        "INSERT INTO runs(boot_id, started_wall, started_boot, last_wall, last_boot, interval_s) VALUES"
        " (?, ?, 0, ?, ?, 1), (?, ?, ?, ?, ?, 1)",
        (
            boot_id,
            start_wall,
            start_wall + stop_at,
            stop_at,
            boot_id,
            start_wall + stop_at + stop_len,
            stop_at + stop_len,
            start_wall + days * DAY,
            days * DAY,
        ),
    )
    events: dict[str, Event] = {}
    o, f, d = 0, 0, 0
    address = "198.51.100.10"
    for s in range(days * DAY):
        if stop_at <= s < stop_at + stop_len:
            continue
        if s == stop_at + stop_len:
            for ev in det.stop():
                events[ev.key] = ev
            for ev in det.resume(float(stop_at), start_wall + stop_at, float(s), start_wall + s, "stopped"):
                events[ev.key] = ev
            det = Detector(primary_ip="198.51.100.10")
            det.address = address
        if o < len(outages) and s >= outages[o]:
            down_until = s + lengths[int(outages[o])]
            o += 1
        if f < len(failovers) and s >= failovers[f]:
            down_until, backup_until = s + 2, s + rng.choice([600, 3600, 4 * 3600])
            f += 1
        if d < len(dns_cuts) and s >= dns_cuts[d]:
            dns_until = s + 120
            d += 1
        up = s >= down_until
        tick = Tick(
            mono=float(s),
            boot=float(s),
            wall=start_wall + s,
            reach_ok=3 if up else 0,
            reach_n=3,
            gateway_ok=True,
            dns_ok=up and s >= dns_until,
            rtt_ms=18.0 + (s % 7) if up else None,
        )
        for ev in det.tick(tick):
            events[ev.key] = ev
        now = "203.0.113.10" if s < backup_until else "198.51.100.10"
        if up and (now != address or s % 60 == 0):
            address = now
            for ev in det.echo(
                Echo(boot=float(s), wall=start_wall + s, address=now, asn=64501 if "203" in now else 64500)
            ):
                events[ev.key] = ev
    for ev in det.stop():
        events[ev.key] = ev
    for ev in events.values():
        store.put_event(ev)
    store.set_meta("primary_ip", "198.51.100.10")
    # What the watcher holds after a month: 29 days of minutes, the last day's ticks.
    store.conn.executemany(
        "INSERT INTO minutes(minute, ticks, up, probes, lost, gw_fail, dns_fail, rtt_avg, rtt_max)"
        " VALUES(?, 60, 60, 180, 0, 0, 0, 20.0, 31.0)",
        [(int(start_wall // 60) + m,) for m in range((days - 1) * 1440)],
    )
    last = start_wall + (days - 1) * DAY
    store.conn.executemany(
        "INSERT INTO ticks(boot, wall, ok, n, gw, dns, rtt) VALUES(?, ?, 3, 3, 1, 1, 20.0)",
        [(float(k), last + k) for k in range(DAY)],
    )
    store.commit()
    store.close()
    return {"events": len(events), "outages": len(outages), "failovers": len(failovers)}


def time_summary(db: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    h = load_history(db, time.time(), 30 * DAY)
    in_process = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "readiness", "watch", "--summary", "--since", "30d", "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    command = time.perf_counter() - t0
    return {
        "in_process_s": in_process,
        "command_s": command,
        "outages": len(h.outages),
        "switches": len(h.failovers),
        "db_mb": db.stat().st_size / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--window", type=float, default=90.0, help="seconds measured after a 10 s warm-up")
    ap.add_argument("--skip-run", action="store_true", help="only the database and --summary figures")
    args = ap.parse_args(argv if argv is not None else [])
    workdir = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    try:
        measured: Path | None = None
        if not args.skip_run:
            figures, measured, where = run_watcher(args.window, workdir)
            print(f"watcher at the default rate, {where}, measured over {figures['window_s']:.0f} s:")
            print(f"  CPU {figures['cpu_pct']:.2f} % of one core (goal < 1 %)")
            print(
                f"  RSS peak {figures['peak_rss_mb']:.1f} MB, at the end {figures['rss_mb']:.1f} MB"
                " (goal < 60 MB)"
            )
            if "mb_per_day" in figures:
                print(
                    f"  traffic on the office interface: {figures['packets_per_day']:,.0f} packets/day, "
                    f"{figures['mb_per_day']:.1f} MB/day, of which beyond the LAN "
                    f"{figures['mb_beyond_lan_per_day']:.1f} MB/day"
                )
        if measured is not None and measured.exists():
            g = db_growth(measured, workdir)
            print(
                f"database growth, from the measured run ({g['ticks_measured']} ticks) repeated over a day:"
            )
            print(f"  {g['raw_mb_per_day']:.2f} MB/day of raw ticks (goal < 5 MB/day before folding)")
            print(f"  {g['folded_kb_per_day']:.0f} kB/day once folded into minutes after raw_days")
        month = workdir / "month.sqlite3"
        t0 = time.perf_counter()
        sim = simulate_month(month)
        print(
            f"30 simulated days ({time.perf_counter() - t0:.0f} s to simulate): {sim['events']} events "
            f"({sim['outages']} outages, {sim['failovers']} failovers planted)"
        )
        s = time_summary(month)
        print(
            f"  --summary --since 30d: {s['in_process_s'] * 1000:.0f} ms in process, "
            f"{s['command_s']:.2f} s as a command (goal < 1 s); database {s['db_mb']:.1f} MB, "
            f"{s['outages']} outages and {s['switches']} line switches reported"
        )
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
