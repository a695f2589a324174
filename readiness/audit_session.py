"""One open audit: its state, how it changes, and where it is saved.

Everything the screens change goes through an ``AuditSession`` so that every change is
written to disk (atomically, by readiness.store) and the findings are recomputed by the
engine. The TUI holds one; nothing here knows of Textual (an import contract says so),
so the session is plain Python and tested as such.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.catalogue import Catalogue, Check, Question
from readiness.judgement.cost import cost_from_answers
from readiness.judgement.engine import evaluate
from readiness.judgement.prefill import suggest
from readiness.judgement.progress import Progress, progress
from readiness.model import (
    Answer,
    AnswerValue,
    Audit,
    CostEstimate,
    DrillResult,
    Facts,
    Finding,
    History,
    Note,
    Waiver,
)
from readiness.store import save_audit

if TYPE_CHECKING:
    from readiness.judgement.prefill import Suggestion

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class AuditSession:
    """The open audit, the file it lives in and the catalogue it is judged against."""

    def __init__(
        self,
        audit: Audit,
        path: Path,
        catalogue: Catalogue,
        *,
        clock: Clock = utc_now,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.audit = audit
        self.path = path
        self.catalogue = catalogue
        self.clock = clock
        # Called after every change has been saved; the app refreshes its screens.
        self.on_change = on_change
        self._suggestions: dict[str, Suggestion] | None = None
        self.last_error: str | None = None
        # Set by the TUI: an answer is saved and shown at once, and this is called to judge
        # the audit again elsewhere (a worker thread), the result coming back through
        # ``apply_evaluation``. Unset, every change is judged before it returns.
        self.evaluate_later: Callable[[int, Audit], None] | None = None
        self.evaluations = 0  # which evaluation is the newest: older results are dropped

    # -- reading -----------------------------------------------------------------
    @property
    def by(self) -> str | None:
        return self.audit.technician

    def answer(self, question_id: str) -> Answer | None:
        return self.audit.answers.get(question_id)

    def note_for(self, check_id: str) -> str:
        for note in self.audit.notes:
            if note.check_id == check_id:
                return note.text
        return ""

    def finding(self, check_id: str) -> Finding | None:
        for f in self.audit.findings:
            if f.check_id == check_id:
                return f
        return None

    def checks_in(self, category_id: str) -> list[Check]:
        return [c for c in self.catalogue.checks if c.category == category_id]

    def questions_for(self, check: Check) -> list[Question]:
        out = []
        for qid in check.questions:
            try:
                out.append(self.catalogue.question(qid))
            except KeyError:
                continue
        return out

    def interview_questions(self) -> list[Question]:
        """The questions the checklist asks (the cost inputs live on the impact screen)."""
        return [q for q in self.catalogue.questions if not q.cost_input]

    def cost_questions(self) -> list[Question]:
        return [q for q in self.catalogue.questions if q.cost_input]

    def progress(self) -> Progress:
        return progress(self.audit, self.catalogue)

    def suggestions(self) -> dict[str, Suggestion]:
        """Answers that the discovered facts suggest, by question id (cached per facts)."""
        if self._suggestions is None:
            try:
                self._suggestions = suggest(self.audit.facts, self.audit.drills)
            except Exception as exc:  # a faulty prefill must not take the checklist down
                self.last_error = f"prefill failed: {exc}"
                self._suggestions = {}
        return self._suggestions

    def cost(self) -> CostEstimate:
        """The cost model on the current answers (live, before the engine runs)."""
        return cost_from_answers(self.audit.answers, self.audit.drills, history=self.audit.history)

    # -- changing ----------------------------------------------------------------
    def set_answer(self, question_id: str, value: AnswerValue, prefilled_from: str | None = None) -> None:
        current = self.audit.answers.get(question_id)
        if current is not None and current.value == value and current.prefilled_from == prefilled_from:
            return
        self.audit.answers[question_id] = Answer(
            value=value, answered_at=self.clock(), by=self.by, prefilled_from=prefilled_from
        )
        self._changed()

    def clear_answer(self, question_id: str) -> None:
        if self.audit.answers.pop(question_id, None) is not None:
            self._changed()

    def set_note(self, check_id: str, text: str) -> None:
        text = text.strip()
        notes = [n for n in self.audit.notes if n.check_id != check_id]
        if self.note_for(check_id) == text:
            return
        if text:
            notes.append(Note(text=text, check_id=check_id, at=self.clock(), by=self.by))
        self.audit.notes = notes
        self._changed(evaluate=False)

    def waive(self, check_id: str, reason: str, expires: date) -> None:
        self.audit.waivers[check_id] = Waiver(reason=reason, expires=expires, by=self.by)
        self._changed()

    def unwaive(self, check_id: str) -> None:
        if self.audit.waivers.pop(check_id, None) is not None:
            self._changed()

    def set_facts(self, facts: Facts) -> None:
        self.audit.facts = facts
        self._suggestions = None
        self._changed()

    def set_history(self, history: History) -> None:
        """What the line watcher measured: it feeds the checks and the cost model."""
        self.audit.history = history
        self._changed()

    def add_drill(self, result: DrillResult) -> None:
        self.audit.drills.append(result)
        self._suggestions = None
        self._changed()

    def evaluate(self) -> None:
        """Recompute findings, score and cost with the engine."""
        self.evaluations += 1  # an evaluation still running elsewhere is now stale
        try:
            self.audit = evaluate(self.audit, self.catalogue)
            self.last_error = None
        except Exception as exc:  # shown in the UI; the answers themselves are safe on disk
            self.last_error = f"scoring failed: {exc}"

    def save(self) -> None:
        self.audit.updated_at = self.clock()
        save_audit(self.audit, self.path)

    def inputs(self) -> Audit:
        """The audit as it stands, for judging on another thread: its containers are
        copied (the screens keep changing the live ones), their items are replaced on
        change, never edited, so they are shared."""
        a = self.audit
        return a.model_copy(
            update={
                "answers": dict(a.answers),
                "waivers": dict(a.waivers),
                "notes": list(a.notes),
                "drills": list(a.drills),
            }
        )

    def apply_evaluation(self, generation: int, judged: Audit | None, error: str | None = None) -> bool:
        """Take what an evaluation started by ``evaluate_later`` found, if it is still the
        newest one (its inputs are then the audit's current ones: every change that counts
        asks for a new one). Only the judged parts are taken, so a note written meanwhile
        stays. Saved, then shown. Returns whether it was taken."""
        if generation != self.evaluations:
            return False
        if judged is None:
            self.last_error = f"scoring failed: {error}"
        else:
            for name in JUDGED:
                setattr(self.audit, name, getattr(judged, name))
            self.last_error = None
        self.save()
        if self.on_change is not None:
            self.on_change()
        return True

    def _changed(self, *, evaluate: bool = True) -> None:
        later = self.evaluate_later
        if evaluate and later is None:
            self.evaluate()
        self.save()  # the change is on disk before anything else happens
        if self.on_change is not None:
            self.on_change()
        if evaluate and later is not None:
            self.evaluations += 1
            later(self.evaluations, self.inputs())


# What the engine computes from an audit's inputs (readiness.judgement.engine.evaluate).
JUDGED = ("findings", "score", "cost", "need", "plan", "fit", "verification")
