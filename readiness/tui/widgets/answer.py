"""One question with the input that fits its type, and the suggestion discovery made.

The field posts ``AnswerField.Answered`` when the person settles on a value: at once for
choices, and for typed values a moment after the last key (or on Enter, or on leaving
the field), so a save is not made for every keystroke but nothing typed is lost.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.validation import Function, Number, ValidationResult
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static

from readiness.catalogue import Question, QuestionType
from readiness.export.format import with_unit
from readiness.judgement.prefill import Suggestion
from readiness.model import Answer, AnswerValue

DEBOUNCE_S = 0.3
InputType = Literal["integer", "number", "text"]
DONT_KNOW = "Don't know"


def show_value(question: Question, value: AnswerValue) -> str:
    """An answer in words: Yes/No, a choice's label, a number with its unit."""
    if value is None:
        return DONT_KNOW
    if isinstance(value, bool):
        return "Yes" if value else "No"
    labels = {c.value: c.label for c in question.choices}
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value) or "none"
    if isinstance(value, str):
        return labels.get(value, value)
    return with_unit(f"{value:g}", value, question.unit) if question.unit else f"{value:g}"


def number_hint(question: Question) -> str:
    """A number field's placeholder, range first, as short as it can be: a field is 16
    cells wide at 80x24. A money unit says "per hour" rather than "currency/hour": the
    currency is chosen on the same screen and may change while the field is shown."""

    def figure(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"

    lo, hi = question.min, question.max
    if lo is not None and hi is not None:
        span = f"{figure(lo)}–{figure(hi)}"
    elif lo is not None:
        span = f"≥ {figure(lo)}"
    elif hi is not None:
        span = f"≤ {figure(hi)}"
    else:
        span = ""
    unit = (question.unit or "").replace("currency/", "per ")
    return f"{span} {unit}".strip() or "a number"


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class AnswerField(Vertical):
    """A question, its help, a suggestion to accept, and the input for the answer."""

    class Answered(Message):
        def __init__(
            self, field: AnswerField, value: AnswerValue, prefilled_from: str | None, cleared: bool = False
        ) -> None:
            self.field = field
            self.question_id = field.question.id
            self.value = value
            self.prefilled_from = prefilled_from
            self.cleared = cleared
            super().__init__()

    def __init__(self, question: Question, answer: Answer | None, suggestion: Suggestion | None) -> None:
        super().__init__(classes="answer-field" if answer else "answer-field -open")
        self.question = question
        self.answer = answer
        self.suggestion = suggestion
        self._value: AnswerValue = answer.value if answer else None
        self._answered = answer is not None
        self._timer: Timer | None = None

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        q = self.question
        yield Static(Text(q.text, style="bold"), classes="question")
        if q.help:
            yield Static(q.help, classes="help")
        yield from self._suggestion_row()
        yield from self._input()

    def _suggestion_row(self) -> list[Widget]:
        """What discovery suggests, to accept; or where the accepted answer came from."""
        shown = self._row_shown()
        if isinstance(shown, Suggestion):
            words = Text.assemble(
                ("Suggested: ", "italic"),
                (show_value(self.question, shown.value), "bold"),
                f" — {shown.explanation}",
            )
            accept = Button("Accept", classes="accept", variant="primary", compact=True)
            return [Horizontal(Static(words, classes="suggestion-text"), accept, classes="suggestion")]
        if shown is not None:
            return [Static(f"(accepted from discovery: {shown})", classes="help accepted")]
        return []

    def _row_shown(self) -> Suggestion | str | None:
        """The suggestion to offer, or where the accepted answer came from, or nothing."""
        s, answer = self.suggestion, self.answer
        if s is not None and not (answer is not None and answer.value == s.value):
            return s
        if answer is not None and answer.prefilled_from:
            return answer.prefilled_from
        return None

    def show_suggestion(self, suggestion: Suggestion | None, answer: Answer | None) -> None:
        """Bring the suggestion up to date once the field is shown: discovery ends, or a
        drill is recorded, after the screen was built (in the background, well before).

        Only that row is replaced: the input below it may be in the middle of typing.
        """
        shown = self._row_shown()
        self.suggestion, self.answer = suggestion, answer
        if self._row_shown() == shown:
            return  # an answer typed, say, that changes nothing in the row
        self.query_children(".suggestion, .accepted").remove()
        row = self._suggestion_row()
        if row:
            self.mount_all(row, before=self.query_children(".choices, .multi, .typed").first())

    def _input(self) -> ComposeResult:
        q = self.question
        value = self._value
        answered = self._answered
        if q.type in (QuestionType.YESNO, QuestionType.CHOICE):
            options: list[tuple[str, AnswerValue]]
            if q.type == QuestionType.YESNO:
                options = [("Yes", True), ("No", False)]
            else:
                options = [(c.label, c.value) for c in q.choices]
            if q.allow_unknown:
                options.append((DONT_KNOW, None))
            self._options = options
            kind = "choices yesno" if q.type == QuestionType.YESNO else "choices"
            with RadioSet(classes=kind):
                for label, v in options:
                    yield RadioButton(label, value=answered and v == value and type(v) is type(value))
        elif q.type == QuestionType.MULTI:
            chosen = value if isinstance(value, list) else []
            yield SelectionList[str](
                *[(c.label, c.value, c.value in chosen) for c in q.choices],
                classes="multi",
            )
        else:
            text = (
                ""
                if not answered or value is None
                else (
                    f"{value:g}"
                    if isinstance(value, int | float) and not isinstance(value, bool)
                    else str(value)
                )
            )
            placeholder, validators, kind = self._typing()
            yield Input(
                text,
                placeholder=placeholder,
                validators=validators,
                type=kind,
                classes="typed",
            )

    def _typing(self) -> tuple[str, list[Number | Function], InputType]:
        q = self.question
        if q.type == QuestionType.NUMBER:
            kind: InputType = "integer" if q.integer else "number"
            return number_hint(q), [Number(minimum=q.min, maximum=q.max)], kind
        if q.type == QuestionType.DATE:
            return "YYYY-MM-DD", [Function(_is_date, "a date like 2026-03-31")], "text"
        return "type your answer", [], "text"

    # -- events ------------------------------------------------------------------
    def _post(self, value: AnswerValue, prefilled_from: str | None = None, cleared: bool = False) -> None:
        same = self._answered and value == self._value and type(value) is type(self._value)
        if not cleared and same and prefilled_from is None:
            return
        self._value, self._answered = value, not cleared
        self.set_class(cleared, "-open")
        self.post_message(self.Answered(self, value, prefilled_from, cleared))

    @on(RadioSet.Changed)
    def _radio(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._post(self._options[event.index][1])

    @on(SelectionList.SelectedChanged)
    def _multi(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self._post(list(event.selection_list.selected))

    @on(Input.Changed, ".typed")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self._commit(event.input))

    @on(Input.Submitted, ".typed")
    def _submitted(self, event: Input.Submitted) -> None:
        self._commit(event.input)

    @on(Input.Blurred, ".typed")
    def _blurred(self, event: Input.Blurred) -> None:
        self._commit(event.input)

    def flush(self) -> None:
        """Commit what is typed now (before leaving the screen or quitting)."""
        for inp in self.query(".typed").results(Input):
            self._commit(inp)

    def _commit(self, inp: Input) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = inp.value.strip()
        if not text:
            if self._answered:
                self._post(None, cleared=True)
            return
        result: ValidationResult | None = inp.validate(text)
        if result is not None and not result.is_valid:
            return
        value: AnswerValue = text
        if self.question.type == QuestionType.NUMBER:
            value = int(float(text)) if self.question.integer else float(text)
        self._post(value)

    @on(Button.Pressed, ".accept")
    def _accept(self, event: Button.Pressed) -> None:
        event.stop()
        if self.suggestion is not None:
            self._post(self.suggestion.value, prefilled_from=self.suggestion.from_fact)
