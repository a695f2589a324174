"""Stylesheets, first visits and the collector.

Every stylesheet is read at start-up (a screen that brought a new file on its first visit
would make Textual parse the whole stylesheet again), each screen's file styles only that
screen, a screen comes back without a restyle unless something around it changed, and
the garbage collector's frozen heap is given back when the app ends.
"""

from __future__ import annotations

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
from textual.widgets import Input, Tree

from readiness.tui.app import SCREENS, STYLESHEETS, ReadinessApp
from readiness.tui.dialogs.confirm import ConfirmDialog
from readiness.tui.dialogs.waiver import WaiverDialog
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


async def test_the_collector_is_given_back_as_it_was_when_the_app_ends(make_app: AppFactory) -> None:
    gc.unfreeze()
    thresholds = gc.get_threshold()
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(100):
            if app.heap.started:
                break
            await pilot.pause(0.02)
        assert gc.get_freeze_count() > 0  # the long-lived objects are out of the full passes
        assert app.heap.started and gc.get_threshold()[2] > thresholds[2]
        await pilot.press("f5")  # a first visit builds a screen: it is frozen when quiet
        await pilot.pause()
        for _ in range(250):  # at the next quiet moment (1 s without a key)
            if app.heap.full_collections:
                break
            await pilot.pause(0.02)
        assert app.heap.full_collections == 1
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_the_chart_library_is_imported_only_for_a_chart(tmp_path: Path) -> None:
    """The first screen's module is imported for the first frame, the other screens' after it
    in idle moments (a first visit does not wait for them), but never plotext: a new audit
    has no drill to chart."""
    code = f"""
import asyncio, sys
from readiness.replay import load_facts
from readiness.tui.app import ReadinessApp

def loaded():
    return sorted(
        m for m in sys.modules if m.startswith(("readiness.tui.screens.", "plotext", "textual_plotext"))
    )

app = ReadinessApp(replay=load_facts({str(FACTS_PATH)!r}), site="Lazy Office")
seen = {{}}
display = app._display

def first(*args, **kwargs):
    if not seen and app.screen.id == "discovery":
        seen["first frame"] = loaded()
    display(*args, **kwargs)

app._display = first

async def main():
    async with app.run_test() as pilot:
        while not seen:
            await pilot.pause(0.01)
        for _ in range(500):  # no key comes: the idle imports run at once
            if all(f"readiness.tui.screens.{{name}}" in sys.modules for name in {SCREENS!r}):
                break
            await pilot.pause(0.02)
        seen["idle"] = loaded()
        app.workers.cancel_all()

asyncio.run(main())
print(" ".join(seen["first frame"]))
print(" ".join(seen["idle"]))
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
    at_first_frame, once_idle = (line.split() for line in proc.stdout.splitlines()[-2:])
    # The app imports these at its top: the checklist, drill, export and help screens (1-2 ms each).
    assert "readiness.tui.screens.discovery" in at_first_frame
    assert "readiness.tui.screens.findings" not in at_first_frame  # imported after the first frame
    screens = [f"readiness.tui.screens.{name}" for name in SCREENS]
    assert once_idle == sorted(["readiness.tui.screens.base", "readiness.tui.screens.help", *screens])


async def test_the_checklist_opens_at_the_top(make_app: AppFactory) -> None:
    """Its first visit shows the first category's header and the first check selected."""
    app = make_app(site="Top Office")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        tree: Tree[str] = app.screen.query_one("#checks", Tree)
        assert tree.scroll_y == 0  # the first category's header is in view
        assert tree.cursor_node is not None and tree.cursor_node.data == "WAN-001"


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6", "f7"])
async def test_a_first_visit_shows_as_if_drawn_afresh(make_app: AppFactory, key: str) -> None:
    """Built on its first visit: restyled, laid out and drawn again, nothing moves."""
    # A saved audit opens on the checklist, a new one on discovery: hide the one shown.
    app = make_app(site="First Office") if key == "f3" else make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.workers.cancel_all()  # no probe event to change what the screen shows
        await assert_first_show_as_if_drawn_afresh(pilot, key)


async def test_a_screen_away_during_a_theme_change_comes_back_in_the_new_theme(make_app: AppFactory) -> None:
    """A screen that comes back skips Textual's restyle only when nothing around it
    changed: the theme switched while the checklist was away, and it shows the new one."""
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
        await assert_first_show_as_if_drawn_afresh(pilot, "f3")
