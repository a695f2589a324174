"""A whole walkthrough driven through the UI: new audit, discovery on recorded facts, every
question answered with its own widget, business impact, findings, export; then the files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, RadioSet, SelectionList, Static

from readiness.catalogue import Question, QuestionType
from readiness.store import load_audit
from readiness.tui.screens.checklist import ChecklistScreen
from readiness.tui.screens.export import ExportScreen
from readiness.tui.screens.impact import ImpactScreen
from readiness.tui.widgets.answer import AnswerField
from tests.tui.conftest import AppFactory


def plain(widget: Widget) -> str:
    """The text a widget shows on screen now."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text for line in lines)


def number_for(q: Question) -> str:
    value = q.min if q.min is not None and q.min > 0 else 3
    if q.max is not None:
        value = min(value, q.max)
    return f"{int(value)}" if q.integer or float(value).is_integer() else f"{value}"


async def answer_field(pilot: Pilot[Any], field: AnswerField) -> None:
    """Answer one question the way a person would: focus its input and press keys."""
    q = field.question
    if q.type in (QuestionType.YESNO, QuestionType.CHOICE):
        radio = field.query_one(RadioSet)
        radio.focus()
        await pilot.press("enter")  # the first option: "Yes", or the first choice
    elif q.type == QuestionType.MULTI:
        selection = field.query_one(SelectionList)
        selection.focus()
        await pilot.press("space")  # tick the first option
    else:
        inp = field.query_one(Input)
        inp.focus()
        text = {QuestionType.NUMBER: number_for(q), QuestionType.DATE: "2025-10-01"}.get(q.type, "a test")
        # Typed as one paste (a key press costs the test an idle-wait each), then Enter.
        inp.insert_text_at_cursor(text)
        await pilot.press("enter")


async def test_full_walkthrough(make_app: AppFactory, data_dir: Path, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # Start: a new audit.
        await pilot.click("#site")
        await pilot.press(*"Corner Bakery")
        await pilot.click("#technician")
        await pilot.press(*"Sam", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        session = app.session
        assert session is not None
        assert app.screen.id == "discovery"

        # Discovery ran on the recorded facts; every probe shows its outcome.
        table = app.screen.query_one("#probes", DataTable)
        states = {str(table.get_cell(key, "state")) for key in table.rows}
        assert "? unknown" in states and "✓ ok" in states
        assert "192.168.10.1" in plain(app.screen.query_one("#group-gateways", Static))
        saved = load_audit(session.path)
        assert saved.facts.gateways is not None and len(saved.facts.gateways) == 2

        # Checklist: every question of every check, through its own widget.
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        for check in session.catalogue.checks:
            screen.select_check(check.id)
            await pilot.pause()
            for field in list(screen.query(AnswerField)):
                if field.question.id not in session.audit.answers:
                    await answer_field(pilot, field)
        # A note and a waiver, through the UI.
        first = session.catalogue.checks[0].id
        screen.select_check(first)
        await pilot.pause()
        screen.query_one("#checks").focus()
        await pilot.press("n", *"Cable runs under the stairs", "enter")
        screen.select_check(session.catalogue.checks[2].id)
        screen.query_one("#checks").focus()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press(*"Landlord forbids new cables", "enter")
        await pilot.pause()

        # Impact: the cost inputs, and the figures follow.
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ImpactScreen)
        for field in list(app.screen.query(AnswerField)):
            if field.question.id not in session.audit.answers:
                await answer_field(pilot, field)
        await pilot.pause(0.4)
        figures = plain(app.screen.query_one("#figures", Static))
        assert "An hour offline costs" in figures
        assert session.cost().hourly_cost is not None

        answered = set(session.audit.answers)
        assert answered == {q.id for q in session.catalogue.questions}

        # Findings: a score and every finding listed.
        await pilot.press("f5")
        await pilot.pause()
        assert session.audit.score is not None
        assert app.screen.query_one("#finding-list", DataTable).row_count == len(session.audit.findings)

        # Export both formats to a chosen path.
        await pilot.press("f6")
        await pilot.pause()
        export = app.screen
        assert isinstance(export, ExportScreen)
        path_input = export.query_one("#path", Input)
        path_input.value = str(tmp_path / "out" / "bakery")
        (tmp_path / "out").mkdir()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert str(tmp_path / "out" / "bakery.md") in plain(export.query_one("#written", Static))

    md = (tmp_path / "out" / "bakery.md").read_text()
    assert "Corner Bakery" in md
    exported = json.loads((tmp_path / "out" / "bakery.json").read_text())
    assert set(exported["answers"]) == answered
    # The autosaved audit has everything too: answers, the note, the waiver.
    on_disk = load_audit(next(data_dir.glob("*.json")))
    assert set(on_disk.answers) == answered
    assert any(n.text == "Cable runs under the stairs" and n.check_id == first for n in on_disk.notes)
    waived = session.catalogue.checks[2].id
    assert on_disk.waivers[waived].reason == "Landlord forbids new cables"
    assert on_disk.technician == "Sam"
