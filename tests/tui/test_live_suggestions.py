"""A suggestion shows up on a field already on screen when a drill is recorded (or discovery
ends) after the screen was built; the input under it is left as it is."""

from __future__ import annotations

from textual.widgets import Input, RadioSet, Static

from readiness.tui.screens.checklist import ChecklistScreen
from readiness.tui.screens.impact import ImpactScreen
from readiness.tui.widgets.answer import AnswerField
from tests.tui.conftest import AppFactory
from tests.unit import audit_fixtures as fx


def field(screen: ChecklistScreen | ImpactScreen, question_id: str) -> AnswerField:
    return next(f for f in screen.query(AnswerField).results(AnswerField) if f.question.id == question_id)


def suggestion_text(f: AnswerField) -> str:
    texts = f.query(".suggestion-text").results(Static)
    return " ".join(str(t.render()) for t in texts)


async def test_the_checklist_offers_what_a_drill_just_measured(make_app: AppFactory) -> None:
    app = make_app(resume=True)  # the fixture audit has no drill yet
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and app.session is not None
        await screen.select_check("FO-001")  # type: ignore[misc]
        await pilot.pause()
        mode = field(screen, "failover_mode")
        choices = mode.query_one(RadioSet)
        assert suggestion_text(mode) == ""
        # In drill d1 traffic moved to the backup with nobody touching anything.
        app.session.add_drill(fx.drill().model_copy(update={"unattended": True}))
        await pilot.pause()
        assert "In drill d1 traffic moved" in suggestion_text(mode)
        assert mode.query_one(RadioSet) is choices  # the input was not made again
        await pilot.press("s")  # accept what is suggested: the drill's answer, not a stale one
        await pilot.pause()
        answer = app.session.answer("failover_mode")
        assert answer is not None and answer.value == "automatic" and answer.prefilled_from == "drill.outcome"


async def test_the_impact_form_offers_a_drills_blackout_while_a_figure_is_typed(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImpactScreen) and app.session is not None
        minutes = field(screen, "failover_minutes")
        typed = minutes.query_one(Input)
        typed.focus()
        await pilot.press("2")  # in the middle of typing when the drill lands
        assert suggestion_text(minutes) == ""
        app.session.add_drill(fx.drill())
        await pilot.pause()
        assert "Drill d1 measured a blackout of 4 s" in suggestion_text(minutes)
        assert minutes.query_one(Input) is typed and typed.value == "2" and app.focused is typed
