"""Stylesheets and the background build of screens.

Every stylesheet is read at start-up (a screen that brought a new file on its first visit
would make Textual parse the whole stylesheet again), each screen's file styles only that
screen, the other screens are built in the background once the first frame is out, and
the garbage collector's frozen heap is given back when the app ends.
"""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.css.model import SelectorType
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Tree

from readiness.tui.app import SCREENS, STYLESHEETS, ReadinessApp
from readiness.tui.dialogs.confirm import ConfirmDialog
from readiness.tui.dialogs.waiver import WaiverDialog
from readiness.tui.preparation import QUIET_S
from readiness.tui.screens import SCREEN_CLASSES
from readiness.tui.screens.base import AuditScreen
from readiness.tui.screens.help import HelpScreen
from readiness.tui.screens.start import StartScreen
from tests.tui.conftest import FACTS_PATH, AppFactory

TUI = Path(sys.modules[ReadinessApp.__module__].__file__ or "").parent
SCREEN_FILES = {  # a screen's own stylesheet, and the class its rules must sit under
    "screens/checklist.tcss": "ChecklistScreen",
    "screens/discovery.tcss": "DiscoveryScreen",
    "screens/drill.tcss": "DrillScreen",
    "screens/export.tcss": "ExportScreen",
    "screens/findings.tcss": "FindingsScreen",
    "screens/help.tcss": "HelpScreen",
    "screens/impact.tcss": "ImpactScreen",
    "screens/start.tcss": "StartScreen",
}


async def warmed_up(pilot: Pilot[Any]) -> None:
    """Wait until every screen is built, laid out and drawn in the background (<= 10 s)."""
    app = pilot.app
    assert isinstance(app, ReadinessApp)
    for _ in range(500):
        if app.warmed_up:
            return
        await pilot.pause(0.02)
    raise AssertionError("the screens were not prepared in the background within 10 s")


async def assert_first_show_as_if_drawn_afresh(pilot: Pilot[Any], key: str) -> None:
    """Show a screen by ``key``, then restyle, lay out and draw it all again: nothing moves."""
    await show_steady(pilot, key)
    await assert_drawn_as_if_afresh(pilot)


async def show_steady(pilot: Pilot[Any], key: str) -> None:
    """Show a screen by ``key`` and stop its text cursors blinking (a screenshot is stable)."""
    await pilot.press(key)
    await pilot.pause()
    for inp in pilot.app.screen.query(Input):
        inp.cursor_blink = False
    await pilot.pause()


async def assert_drawn_as_if_afresh(pilot: Pilot[Any]) -> None:
    """Restyle, lay out and draw the current screen all again: nothing moves."""
    app = pilot.app
    first_show = app.export_screenshot()
    app.screen.update_node_styles(animate=False)
    app.screen.refresh(layout=True, repaint=True)
    for widget in app.screen.walk_children():
        widget.refresh(layout=True)
    await pilot.pause()
    assert app.export_screenshot() == first_show


def layouts_from_now_on(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The ids of the screens laid out from now on, in order, as Textual lays them out."""
    laid_out: list[str | None] = []
    refresh_layout = Screen._refresh_layout

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        laid_out.append(screen.id)
        refresh_layout(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return laid_out


def source_paths(app: ReadinessApp) -> set[str]:
    """The CSS files the app's stylesheet holds (not the widgets' default CSS)."""
    return {path for path, class_var in app.stylesheet.source if path.endswith(".tcss") and not class_var}


async def test_every_screen_file_is_read_at_start_and_no_visit_adds_one(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        at_start = source_paths(app)
        screens = [app.get_screen(n) for n in SCREENS]
        screens += [StartScreen(), HelpScreen(), ConfirmDialog("t", "b"), WaiverDialog("X", "t", None)]
        for screen in screens:
            for path in screen.css_path:
                assert str(path) in at_start, f"{type(screen).__name__} brings {path} on its first visit"
        for key in ("f2", "f4", "f5", "f6", "f7", "f1", "escape", "f3"):
            await pilot.press(key)
            await pilot.pause()
        assert source_paths(app) == at_start
        assert len(at_start) == len(STYLESHEETS)


async def test_each_screen_file_styles_only_its_own_screen(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        variables = app.get_css_variables()
    for relative, screen_class in SCREEN_FILES.items():
        sheet = Stylesheet(variables=variables)
        sheet.read(TUI / relative)
        sheet.parse()
        assert sheet.rules, f"no rules read from {relative}"
        for rule in sheet.rules:
            for selector_set in rule.selector_set:
                first = selector_set.selectors[0]
                assert first.type == SelectorType.TYPE and first.name == screen_class, (
                    f"{relative}: a rule starts with {first.css!r}, not {screen_class}: "
                    "it would style every screen"
                )


async def test_the_other_screens_are_built_in_the_background(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)  # the screens are built one by one after the first frame
        assert app.screen.id == "checklist"
        for name in SCREENS:
            screen = app.get_screen(name)
            assert isinstance(screen, AuditScreen)
            assert screen.is_running, f"{name} was not built in the background"
            assert screen._ready
        # A screen built in the background shows the audit as it is when it is shown,
        # not as it was when it was built.
        session = app.session
        assert session is not None
        before = session.audit.score
        session.set_answer("procedure_written", False)
        after = session.audit.score
        assert after is not None and before is not None and after.points != before.points
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.id == "findings"
        shown = str(app.screen.query_one("#score").render())
        assert f"{after.points:g} of {after.max_points:g} points" in shown


async def test_the_collector_is_given_back_as_it_was_when_the_app_ends(make_app: AppFactory) -> None:
    gc.unfreeze()
    thresholds = gc.get_threshold()
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        assert gc.get_freeze_count() > 0  # the long-lived objects are out of the full passes
        assert app.heap.started and gc.get_threshold()[2] > thresholds[2]
        assert app.warmed_up
        for _ in range(150):  # once every screen was built, at the next quiet moment (1 s)
            if app.heap.full_collections:
                break
            await pilot.pause(0.02)
        assert app.heap.full_collections == 1
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_the_chart_library_is_imported_only_for_a_chart(tmp_path: Path) -> None:
    """Every screen's module is imported before the first frame (a first visit does not
    wait for it), but not plotext: a new audit has no drill to chart."""
    code = f"""
import asyncio, sys
from readiness.replay import load_facts
from readiness.tui.app import ReadinessApp

app = ReadinessApp(replay=load_facts({str(FACTS_PATH)!r}), site="Lazy Office")
seen = {{}}
display = app._display

def first(*args, **kwargs):
    if not seen and app.screen.id == "discovery":
        seen["modules"] = sorted(
            m for m in sys.modules if m.startswith(("readiness.tui.screens.", "plotext", "textual_plotext"))
        )
    display(*args, **kwargs)

app._display = first

async def main():
    async with app.run_test() as pilot:
        while not seen:
            await pilot.pause(0.01)
        app.workers.cancel_all()

asyncio.run(main())
print(" ".join(seen["modules"]))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "READINESS_DATA_DIR": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    screens = [f"readiness.tui.screens.{name}" for name in SCREEN_CLASSES]
    assert proc.stdout.split() == sorted(["readiness.tui.screens.base", *screens])


async def test_a_checklist_built_in_the_background_opens_at_the_top(make_app: AppFactory) -> None:
    """Moving the tree's cursor while hidden scrolled it for a size it did not have yet."""
    app = make_app(site="Top Office")
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        await pilot.press("f3")
        await pilot.pause()
        tree: Tree[str] = app.screen.query_one("#checks", Tree)
        assert tree.scroll_y == 0  # the first category's header is in view
        assert tree.cursor_node is not None and tree.cursor_node.data == "WAN-001"


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6", "f7"])
async def test_a_screen_warmed_up_in_the_background_shows_as_if_drawn_afresh(
    make_app: AppFactory, key: str
) -> None:
    """Laid out and drawn while hidden: its first show must not show anything stale."""
    # A saved audit opens on the checklist, a new one on discovery: hide the one shown.
    app = make_app(site="Warm Office") if key == "f3" else make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        assert app.warmed_up
        await assert_first_show_as_if_drawn_afresh(pilot, key)


async def test_background_preparation_waits_while_keys_come(make_app: AppFactory) -> None:
    """A person already pressing keys is not made to wait for screens they have not asked for."""
    app = make_app(site="Busy Fingers")
    app.heap.saw_input()  # keys keep coming from the start (pilot.pause would wait for idle)
    async with app.run_test(size=(100, 30)):
        for _ in range(12):
            app.heap.saw_input()
            await asyncio.sleep(0.05)
        built = [n for n in SCREENS if n != "discovery" and app.get_screen(n).is_running]
        assert built == [], f"built while keys were coming: {built}"
        await asyncio.sleep(QUIET_S)
        for _ in range(500):
            if app.warmed_up:
                break
            await asyncio.sleep(0.02)
        assert all(app.get_screen(n).is_running for n in SCREENS)


@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
async def test_a_warmed_up_screen_is_not_laid_out_again_on_its_first_show(
    make_app: AppFactory, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up's layouts are the first show's: the screen laid out until no widget
    asks for another, and no redraw on showing that asks for one when nothing changed.
    (A layout of the checklist costs 11-15 ms, and the draw after it as much again.)"""
    app = make_app(site="Laid Out")
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        app.workers.cancel_all()  # no probe event to change what the screen shows
        await pilot.pause()
        laid_out = layouts_from_now_on(monkeypatch)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen.id == {"f3": "checklist", "f4": "impact", "f5": "findings"}[key]
        assert laid_out == []


async def test_a_screen_prepared_before_a_theme_change_shows_the_new_theme(make_app: AppFactory) -> None:
    """The theme switched while the checklist was being prepared: it shows the new one."""
    app = make_app(site="Switching Office")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):  # the checklist is built, the preparation not done yet
            checklist = app.get_screen("checklist") if app.is_screen_installed("checklist") else None
            if isinstance(checklist, AuditScreen) and checklist._ready:
                break
            await asyncio.sleep(0.005)
        await pilot.press("ctrl+t")
        await warmed_up(pilot)
        assert app.theme == "textual-light"
        await assert_first_show_as_if_drawn_afresh(pilot, "f3")


async def test_the_checklist_is_ready_to_show_before_the_other_screens_are_started(
    make_app: AppFactory,
) -> None:
    """The likeliest next screen first: made, built, laid out and drawn, then the rest."""
    app = make_app(site="Ordered Office")
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        preparation = app._preparation
        assert preparation is not None
        steps = preparation.steps_done
        checklist = [i for i, step in enumerate(steps) if step.endswith(" checklist")]
        others = [i for i, step in enumerate(steps) if step.startswith("make ") and "checklist" not in step]
        assert steps[0] == "make checklist" and "build checklist" in steps
        assert [steps[i] for i in checklist][-1] == "warm up checklist"  # laid out and drawn
        assert max(checklist) < min(others)
        made = {step.removeprefix("make ") for step in steps if step.startswith("make ")}
        assert made == set(SCREENS) - {"discovery"}  # a new audit opens on discovery


async def test_a_screen_counts_as_built_once_its_answer_fields_are_mounted(make_app: AppFactory) -> None:
    """The checklist's questions and the impact's cost fields are mounted before the
    screen says it is built: its first show (or its preparation) lays them out with the
    rest, rather than drawing the screen once without them and again with them."""
    from readiness.tui.widgets.answer import AnswerField

    app = make_app(site="Whole Office")
    seen: dict[str, list[bool]] = {}
    built = app.screen_built

    def record(screen: Screen[None]) -> None:
        seen[str(screen.id)] = [field.is_mounted for field in screen.query(AnswerField)]
        built(screen)

    app.screen_built = record  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        app.workers.cancel_all()
    assert seen["checklist"] and all(seen["checklist"]), seen["checklist"]
    assert len(seen["impact"]) > 5 and all(seen["impact"]), seen["impact"]


async def test_a_hidden_screen_is_drawn_a_few_widgets_a_step(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no time allowed per draw step, each step draws one widget: the checklist's
    drawing is spread over many steps a key can come between, and its first show is
    still exactly as if drawn afresh, with no layout of its own."""
    from readiness.tui.screens import base

    monkeypatch.setattr(base, "DRAW_SLICE_S", 0.0)
    app = make_app(site="Sliced Office")
    async with app.run_test(size=(100, 30)) as pilot:
        await warmed_up(pilot)
        app.workers.cancel_all()
        await pilot.pause()
        preparation = app._preparation
        assert preparation is not None
        warm_steps = preparation.steps_done.count("warm up checklist")
        assert warm_steps > base.WARM_LAYOUTS + 10, warm_steps  # layouts, then a widget a step
        laid_out = layouts_from_now_on(monkeypatch)
        await show_steady(pilot, "f3")
        assert app.screen.id == "checklist"
        # Counted before the check below: its forced layout can be answered by another.
        assert laid_out == []
        await assert_drawn_as_if_afresh(pilot)
