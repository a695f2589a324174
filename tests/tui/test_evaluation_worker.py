"""An answer is saved and shown at once; the audit is judged again in a worker.

The engine is slowed here by a gate the test holds shut: a real evaluation takes 20-70 ms,
too little to tell a blocked UI thread from a free one without timing it, and tests never
assert on timing. While the gate is shut, the app must still take the next answer (a
blocked UI thread would wait on the gate until its timeout, which the test sees), save each
answer at once, and, once the gate opens, end in exactly the state a synchronous evaluation
gives.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import RadioSet

from readiness.audit_session import JUDGED
from readiness.catalogue import QuestionType
from readiness.judgement import engine
from readiness.store import load_audit
from readiness.tui.widgets.answer import AnswerField
from tests.tui.conftest import AppFactory, settled

GATE_TIMEOUT_S = 30.0  # only for a broken app: the test opens the gate itself


async def test_a_slow_evaluation_holds_no_key_and_ends_as_the_synchronous_one(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine.evaluate
    gate = threading.Event()
    waited_out: list[bool] = []  # one entry per evaluation that timed out on the gate
    started = threading.Semaphore(0)

    def slow_evaluate(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.release()
        if not gate.wait(GATE_TIMEOUT_S):
            waited_out.append(True)
        return real(*args, **kwargs)

    app = make_app(site="Corner Bakery")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await pilot.press("f3")
        await settled(pilot)
        session = app.session
        assert session is not None
        fields = [
            f
            for f in app.screen.query(AnswerField)
            if f.question.type == QuestionType.YESNO and f.question.id not in session.audit.answers
        ]
        assert fields, "a new audit has an unanswered yes/no question on the checklist"
        field = fields[0]
        qid = field.question.id
        monkeypatch.setattr(engine, "evaluate", slow_evaluate)

        field.query_one(RadioSet).focus()
        await pilot.press("enter")  # "Yes"
        assert started.acquire(timeout=GATE_TIMEOUT_S), "no evaluation was asked for"
        # Shown and saved while its evaluation is held.
        first = session.audit.answers[qid].value
        assert load_audit(session.path).answers[qid].value == first

        await pilot.press("down", "enter")  # changed its mind: "No", while "Yes" is judged
        second = session.audit.answers[qid].value
        assert second != first
        assert load_audit(session.path).answers[qid].value == second
        assert not waited_out, "the UI thread waited for an evaluation"

        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not waited_out
        monkeypatch.setattr(engine, "evaluate", real)
        expected = real(session.audit, session.catalogue)
        for name in JUDGED:
            assert getattr(session.audit, name) == getattr(expected, name), name
        on_disk = load_audit(Path(session.path))
        for name in JUDGED:
            assert getattr(on_disk, name) == getattr(expected, name), name
