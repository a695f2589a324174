"""The drill's script as words: its phases, what the technician is asked at each, and
what the runner tells the UI (a phase change, a status, events and samples).

The runner (readiness/drill/session.py) walks these phases; the CLI and the TUI show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from readiness.model.drill import DrillEvent, DrillSample

DrillKind = Literal["failover", "power"]


class Phase(StrEnum):
    STARTING = "starting"
    BASELINE = "baseline"
    AWAIT_CUT = "await_cut"  # waiting for the technician to cut (confirm needed)
    WATCH_OUTAGE = "watch_outage"
    AWAIT_RESTORE = "await_restore"  # waiting for the technician to restore (confirm needed)
    WATCH_RESTORE = "watch_restore"
    DONE = "done"


CONFIRM_PHASES = frozenset({Phase.AWAIT_CUT, Phase.WATCH_OUTAGE, Phase.AWAIT_RESTORE, Phase.WATCH_RESTORE})

PROMPTS: dict[DrillKind, dict[Phase, str]] = {
    "failover": {
        Phase.BASELINE: "Measuring the primary line (address, provider, latency)...",
        Phase.AWAIT_CUT: "Disconnect the primary line now (unplug its cable at the router), then confirm.",
        Phase.WATCH_OUTAGE: "Watching the outage and the failover. Confirm when you are ready to reconnect.",
        Phase.AWAIT_RESTORE: "Reconnect the primary line now, then confirm.",
        Phase.WATCH_RESTORE: "Watching the return to the primary line. Confirm to finish now.",
    },
    "power": {
        Phase.BASELINE: "Measuring the line and reading the UPS...",
        Phase.AWAIT_CUT: "Unplug the UPS from the wall socket now (leave the equipment on it), then confirm.",
        Phase.WATCH_OUTAGE: "Watching the office run on battery. Confirm when you are ready to plug it back.",
        Phase.AWAIT_RESTORE: "Plug the UPS back into the wall socket now, then confirm.",
        Phase.WATCH_RESTORE: "Watching the UPS return to mains power. Confirm to finish now.",
    },
}
UNATTENDED_PROMPTS: dict[DrillKind, dict[Phase, str]] = {
    "failover": {
        Phase.WATCH_OUTAGE: "Waiting for the primary line to go down...",
        Phase.WATCH_RESTORE: "Waiting for the primary line to come back and hold...",
    },
    "power": {
        Phase.WATCH_OUTAGE: "Waiting for the UPS to go on battery...",
        Phase.WATCH_RESTORE: "Waiting for the UPS to return to mains power and hold...",
    },
}


@dataclass(frozen=True)
class PhaseChange:
    phase: Phase
    t: float
    prompt: str | None
    needs_confirm: bool  # True: the UI shows the prompt with a "done" action calling confirm()


@dataclass(frozen=True)
class DrillStatus:
    """A snapshot for the UI, sent every ``progress_s``. Replaceable: only the last one matters."""

    t: float
    phase: Phase
    connected: bool | None  # the last decided tick: strict majority of reachability probes answered
    line: str  # primary / backup / unknown, from the last echoed address
    public_ip: str | None
    rtt_ms: float | None  # median RTT of the last tick's answered reachability probes
    outage_s: float | None  # length of the ongoing outage, None when connected
    probes_sent: int
    samples: int
    ups_status: str | None = None


class DrillListener:
    """Override what you need. Called on the drill's thread; keep each call short.

    ``on_status`` and ``on_samples`` come at most every ``progress_s`` (0.25 s by default);
    ``on_status`` may be coalesced (replaceable), ``on_samples`` batches must all be kept
    if the UI draws the chart from them (or it can call ``session.timeline()`` instead).
    """

    def on_phase(self, change: PhaseChange) -> None:
        """The phase changed; ``change.prompt`` says what the technician must do."""

    def on_event(self, event: DrillEvent) -> None:
        """Something happened: baseline_done, cut_requested, first_loss, address_changed..."""

    def on_status(self, status: DrillStatus) -> None:
        """The live state, for a status line."""

    def on_samples(self, samples: tuple[DrillSample, ...]) -> None:
        """Samples completed since the last batch (not in time order across probes)."""
