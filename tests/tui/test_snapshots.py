"""SVG snapshots of each main screen, at 80x24 and 200x60.

Deterministic: a fixture audit with fixed ids and dates, replayed facts, a frozen clock,
no cursor blink. Refresh on purpose with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from readiness.config import Config
from tests.tui.conftest import AUDIT_PATH, AppFactory, settled

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


async def settle(pilot: Pilot[Any]) -> None:
    await settled(pilot)
    for inp in pilot.app.query(Input):
        inp.cursor_blink = False
    for inp in pilot.app.screen.query(Input):
        inp.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", ["discovery", "checklist", "impact", "findings", "export", "drill"])
def test_audit_screen(snap_compare: Any, make_app: AppFactory, screen: str, size: tuple[int, int]) -> None:
    keys = {
        "discovery": "f2",
        "checklist": "f3",
        "impact": "f4",
        "findings": "f5",
        "export": "f6",
        "drill": "f7",
    }
    app = make_app(resume=True)
    assert snap_compare(app, press=[keys[screen]], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare: Any, make_app: AppFactory, data_dir: Path, size: tuple[int, int]) -> None:
    (data_dir / "fixture00001.json").write_bytes(AUDIT_PATH.read_bytes())
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


def test_help_screen(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(
        make_app(resume=True), press=["f3", "escape", "f1"], terminal_size=(80, 24), run_before=settle
    )


def test_checklist_light_theme(snap_compare: Any, make_app: AppFactory) -> None:
    app = make_app(resume=True, config=Config(theme="textual-light"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_findings_by_category(snap_compare: Any, make_app: AppFactory) -> None:
    """At 80 columns the check titles are cut so that score, points and state stay in view."""
    app = make_app(resume=True)
    assert snap_compare(app, press=["f5", "c"], terminal_size=(80, 24), run_before=settle)
