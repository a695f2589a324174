"""Alerts: a command and a webhook (a real HTTP server on loopback), bounded in time,
never holding up the caller."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from readiness.watch.alerts import Alerter
from readiness.watch.detector import Event

OUTAGE = Event(key="outage-1", kind="outage", start_boot=1.0, start_wall=1_780_000_000.0, cause="upstream")


class Hook:
    def __init__(self, delay_s: float = 0.0) -> None:
        self.bodies: list[dict[str, object]] = []
        self.delay_s = delay_s
        self.release = threading.Event()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.bodies.append(json.loads(body))
                if hook.delay_s:
                    hook.release.wait(hook.delay_s)
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.close()


@pytest.fixture
def slow_hook() -> Iterator[Hook]:
    h = Hook(delay_s=60.0)
    yield h
    h.close()


async def _settle(alerter: Alerter, limit_s: float = 30.0) -> None:
    """Wait (generously) until no alert is in flight."""
    deadline = time.monotonic() + limit_s
    while alerter._tasks and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


def test_webhook_gets_the_event(hook: Hook) -> None:
    async def go() -> Alerter:
        alerter = Alerter(webhook=hook.url, timeout_s=10.0, site="Lab office")
        alerter.notify(OUTAGE)
        await _settle(alerter)
        await alerter.close()
        return alerter

    alerter = asyncio.run(go())
    assert alerter.sent == 1 and alerter.failed == 0
    (body,) = hook.bodies
    assert body["kind"] == "outage" and body["state"] == "started" and body["cause"] == "upstream"
    assert body["site"] == "Lab office"


def test_a_hanging_webhook_is_cut_off_and_never_holds_the_caller(slow_hook: Hook) -> None:
    """The server holds the request for a minute; the alert gives up at its limit, and
    the loop that sent it kept running meanwhile (it counted its own ticks)."""

    async def go() -> tuple[Alerter, int]:
        alerter = Alerter(webhook=slow_hook.url, timeout_s=0.5)
        alerter.notify(OUTAGE)  # returns at once: the alert runs as its own task
        ticks = 0
        while alerter._tasks:
            ticks += 1
            await asyncio.sleep(0.01)
        await alerter.close()
        return alerter, ticks

    alerter, ticks = asyncio.run(go())
    assert alerter.failed == 1 and alerter.sent == 0
    assert "Timeout" in (alerter.last_error or "")
    assert ticks > 1  # the loop went on while the alert was in flight
    assert len(slow_hook.bodies) == 1


def test_command_gets_the_event_on_stdin_and_in_its_environment(tmp_path: Path) -> None:
    out = tmp_path / "got.json"
    script = tmp_path / "alert.py"
    script.write_text(
        "import json, os, sys\n"
        f"open({str(out)!r}, 'w').write(json.dumps({{'stdin': json.load(sys.stdin), "
        "'kind': os.environ['READINESS_KIND'], 'state': os.environ['READINESS_STATE']}))\n"
    )

    async def go() -> Alerter:
        alerter = Alerter(command=f"{sys.executable} {script}", timeout_s=20.0)
        alerter.notify(OUTAGE)
        await _settle(alerter)
        await alerter.close()
        return alerter

    alerter = asyncio.run(go())
    assert alerter.sent == 1, alerter.last_error
    got = json.loads(out.read_text())
    assert got["kind"] == "outage" and got["state"] == "started"
    assert got["stdin"]["cause"] == "upstream"


def test_a_hanging_command_is_killed_at_its_limit(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    script = tmp_path / "hang.sh"
    script.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 60\n")
    script.chmod(0o755)

    async def go() -> Alerter:
        alerter = Alerter(command=str(script), timeout_s=1.0)
        alerter.notify(OUTAGE)
        await _settle(alerter)
        await alerter.close()
        return alerter

    alerter = asyncio.run(go())
    assert alerter.failed == 1
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        # A killed child not yet reaped by its parent shows as a zombie; it is gone then too.
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z":
            break
        time.sleep(0.05)
    else:
        pytest.fail("the alert command outlived its time limit")


def test_only_outages_and_switches_alert_and_a_flood_is_bounded(hook: Hook) -> None:
    async def go() -> Alerter:
        alerter = Alerter(webhook=hook.url, timeout_s=5.0, max_inflight=2)
        alerter.notify(Event(key="g", kind="gap", start_boot=0, start_wall=0, cause="asleep"))
        alerter.notify(Event(key="d", kind="degraded", start_boot=0, start_wall=0))
        for i in range(5):
            alerter.notify(Event(key=f"f{i}", kind="failover", start_boot=0, start_wall=0, end_wall=1.0))
        await _settle(alerter)
        await alerter.close()
        return alerter

    alerter = asyncio.run(go())
    assert alerter.sent == 2 and alerter.dropped == 3
    assert [b["kind"] for b in hook.bodies] == ["failover", "failover"]
