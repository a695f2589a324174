"""The bridge between a running DrillSession (its own thread) and the app (its own loop).

The session calls the listener on the drill's thread; the listener only posts typed
messages, which Textual delivers on the app's loop. Nothing here touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from readiness.config import Config
from readiness.model import DrillEvent, DrillResult

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from readiness.drill.session import DrillListener, DrillSession, DrillStatus, PhaseChange


class DrillPhase(Message):
    def __init__(self, change: PhaseChange) -> None:
        self.change = change
        super().__init__()


class DrillEventSeen(Message):
    def __init__(self, event: DrillEvent) -> None:
        self.event = event
        super().__init__()


class DrillStatusUpdate(Message):
    """The live state; only the newest matters, so a queued one may be replaced."""

    def __init__(self, status: DrillStatus) -> None:
        self.status = status
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DrillStatusUpdate)


class DrillFinished(Message):
    def __init__(self, result: DrillResult | None, error: str | None = None) -> None:
        self.result = result
        self.error = error
        super().__init__()


def make_listener(target: MessagePump) -> DrillListener:
    """A DrillListener that forwards everything to ``target`` as messages (thread-safe)."""
    # late: the drill adds 112 ms to the first frame
    from readiness.drill.session import DrillListener

    class _Forward(DrillListener):
        def on_phase(self, change: PhaseChange) -> None:
            target.post_message(DrillPhase(change))

        def on_event(self, event: DrillEvent) -> None:
            target.post_message(DrillEventSeen(event))

        def on_status(self, status: DrillStatus) -> None:
            target.post_message(DrillStatusUpdate(status))

    return _Forward()


# Builds the session for one drill: (config, listener, technician, tolerance minutes).
DrillFactory = Callable[[Config, "DrillListener", str | None, float | None], "DrillSession"]


def default_factory(
    config: Config, listener: DrillListener, technician: str | None, tolerance_minutes: float | None
) -> DrillSession:
    # late: the drill adds 112 ms to the first frame
    from readiness.drill.session import DrillSession

    return DrillSession(config, listener=listener, technician=technician, tolerance_minutes=tolerance_minutes)
