"""Clocks the watcher reads, injected so the tests can drive time by hand.

Three readings per tick: ``mono`` (CLOCK_MONOTONIC: stops while the machine sleeps),
``boot`` (CLOCK_BOOTTIME: monotonic, but counts sleep) and ``wall`` (the calendar clock,
which an administrator or NTP may step). Lengths are measured on ``boot``; a growing
``boot - mono`` says the machine slept; ``wall`` moving unlike ``boot`` says the clock
was stepped.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def mono(self) -> float: ...
    def boot(self) -> float: ...
    def wall(self) -> float: ...
    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's clocks. Where CLOCK_BOOTTIME is missing, ``boot`` is ``mono``."""

    def __init__(self) -> None:
        self._boot_id = getattr(time, "CLOCK_BOOTTIME", None)

    def mono(self) -> float:
        return time.monotonic()

    def boot(self) -> float:
        if self._boot_id is None:  # pragma: no cover - not Linux
            return time.monotonic()
        return time.clock_gettime(self._boot_id)

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


def boot_id() -> str | None:
    """This boot's id (Linux): boot-clock readings compare only within one boot."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None
