"""Judging the audit again after an answer, off the event loop.

With the costed plan, one evaluation runs the engine 7-11 times (19-33 ms median, ~68 ms
at worst, ``python -m bench plan``, more on a busy machine): on the UI thread every radio
answer would hold the next key that long. The session saves and shows the answer at once
and asks for an evaluation here; it runs in a thread worker, exclusive, so a newer answer
cancels an older evaluation, whose result is dropped (the session also drops any result
that is not the newest it asked for). The result comes back as a message, and the
session takes it on the UI thread: nothing here touches a widget from the thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from readiness.judgement import engine
from readiness.model import Audit

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp

GROUP = "evaluation"


class EvaluationDone(Message):
    """An evaluation finished: ``judged`` when the engine ran, ``error`` when it failed."""

    def __init__(self, generation: int, judged: Audit | None, error: str | None = None) -> None:
        self.generation = generation
        self.judged = judged
        self.error = error
        super().__init__()


class EvaluationControl:
    """Runs the session's evaluations in a worker and hands each result back to it."""

    def __init__(self, app: ReadinessApp) -> None:
        self.app = app

    def request(self, generation: int, inputs: Audit) -> None:
        catalogue = self.app.catalogue

        def judge() -> None:
            try:
                judged, error = engine.evaluate(inputs, catalogue), None
            except Exception as exc:  # shown in the UI; the answers are safe on disk
                judged, error = None, str(exc)
            if not get_current_worker().is_cancelled:
                self.app.post_message(EvaluationDone(generation, judged, error))

        self.app.run_worker(judge, thread=True, exclusive=True, group=GROUP, name="evaluation")

    def done(self, message: EvaluationDone) -> None:
        session = self.app.session
        if session is not None:
            session.apply_evaluation(message.generation, message.judged, message.error)
