"""Telling someone: a command or a webhook on an outage and on a line switch.

Each alert runs as its own task with a hard time limit (a command is killed, a request
cancelled), at most ``max_inflight`` at once (more are dropped and counted), so an alert
never holds up sampling. The event goes to a command as JSON on stdin and in environment
variables (``READINESS_EVENT``, ``READINESS_KIND``, ``READINESS_STATE``...), and to a
webhook as a JSON POST (httpx).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from readiness.watch.detector import Event

ALERT_KINDS = frozenset({"outage", "failover", "failback"})


def payload(e: Event, site: str | None = None) -> dict[str, Any]:
    state = "started" if e.open else "ended"
    if e.kind in ("failover", "failback"):
        state = "switched"
    return {
        "kind": e.kind,
        "state": state,
        "cause": e.cause,
        "start": datetime.fromtimestamp(e.start_wall, UTC).isoformat(),
        "end": datetime.fromtimestamp(e.end_wall, UTC).isoformat() if e.end_wall is not None else None,
        "length_s": e.length_s,
        "detail": e.detail,
        "site": site,
        "key": e.key,
    }


@dataclass
class Alerter:
    command: str | None = None
    webhook: str | None = None
    timeout_s: float = 10.0
    max_inflight: int = 4
    site: str | None = None
    sent: int = 0
    failed: int = 0
    dropped: int = 0
    last_error: str | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _client: httpx.AsyncClient | None = None

    @property
    def configured(self) -> list[str]:
        return [name for name, on in (("command", self.command), ("webhook", self.webhook)) if on]

    def notify(self, e: Event) -> None:
        """Fire and forget, on the running loop. Returns at once."""
        if e.kind not in ALERT_KINDS or not (self.command or self.webhook):
            return
        data = payload(e, self.site)
        for how in self.configured:
            if len(self._tasks) >= self.max_inflight:
                self.dropped += 1
                continue
            coro = self._run_command(data) if how == "command" else self._post(data)
            task = asyncio.get_running_loop().create_task(self._bounded(coro))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _bounded(self, coro: Any) -> None:
        try:
            await asyncio.wait_for(coro, self.timeout_s)
            self.sent += 1
        except Exception as exc:  # an alert failing must never take the watcher down
            self.failed += 1
            self.last_error = f"{type(exc).__name__}: {exc}"[:200] if str(exc) else type(exc).__name__

    async def _run_command(self, data: dict[str, Any]) -> None:
        assert self.command is not None
        env = dict(os.environ)
        env.update(
            READINESS_EVENT=json.dumps(data),
            READINESS_KIND=str(data["kind"]),
            READINESS_STATE=str(data["state"]),
            READINESS_CAUSE=str(data["cause"] or ""),
            READINESS_START=str(data["start"]),
            READINESS_LENGTH_S="" if data["length_s"] is None else str(data["length_s"]),
        )
        proc = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        try:
            await proc.communicate(json.dumps(data).encode())
        except asyncio.CancelledError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            with contextlib.suppress(Exception):
                await asyncio.shield(proc.wait())
            raise
        if proc.returncode:
            raise RuntimeError(f"alert command exited with {proc.returncode}")

    async def _post(self, data: dict[str, Any]) -> None:
        assert self.webhook is not None
        if self._client is None:
            self._client = httpx.AsyncClient(trust_env=False, headers={"User-Agent": "readiness-watch"})
        resp = await self._client.post(self.webhook, json=data, timeout=self.timeout_s)
        resp.raise_for_status()

    async def close(self, wait_s: float = 2.0) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=wait_s)
        for t in list(self._tasks):
            t.cancel()
        if self._client is not None:
            await self._client.aclose()
