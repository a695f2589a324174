"""The drill's clock: the one place the drill reads the time or waits.

The runner measures everything in seconds since it started (``monotonic``), stamps the
result with wall-clock times (``wall``) and paces its loops with ``sleep``. Production uses
:class:`SystemClock`; the tests give a clock whose time moves only when every task waits,
so a drill of many seconds runs in a few milliseconds and its figures are exact.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol


class DrillClock(Protocol):
    def monotonic(self) -> float:
        """Seconds, from an arbitrary start; never goes back."""
        ...

    def wall(self) -> datetime:
        """The time of day, timezone-aware (UTC)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
