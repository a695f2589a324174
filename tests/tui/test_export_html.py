"""The export screen and the palette offer every format of the registry, HTML included,
and --redact's checkbox masks the HTML exactly as it masks the Markdown and the JSON."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Input, RadioButton

from readiness.export.formats import menu
from readiness.tui.screens.export import ExportScreen
from tests.tui.conftest import AppFactory

PUBLIC = "203.0.113.45"  # the fixture office's public address


async def test_the_export_screen_offers_every_format(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        labels = [str(b.label) for b in screen.query(RadioButton)]
        assert (
            labels
            == [label for _, label, _ in menu()]
            == ["Markdown", "HTML", "JSON", "Markdown + JSON", "All of them"]
        )
        assert screen.selected_format() == "all"


async def test_html_export_redacted_from_the_screen(make_app: AppFactory, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.set_format("all")
        screen.query_one("#path", Input).value = str(out / "office")
        screen.query_one("#redact", Checkbox).value = True
        await pilot.click("#export")
        await pilot.pause()
    assert sorted(p.name for p in out.iterdir()) == ["office.html", "office.json", "office.md"]
    for name in ("office.html", "office.json", "office.md"):
        text = (out / name).read_text()
        assert PUBLIC not in text, name
        assert "ip-1" in text, name  # the same token everywhere
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    assert "This copy is redacted" in (out / "office.html").read_text()


async def test_palette_exports_html(make_app: AppFactory, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"export: html")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
    (written,) = tmp_path.glob("readiness-*")
    assert written.suffix == ".html"
    html = written.read_text()
    assert html.startswith("<!DOCTYPE html>") and PUBLIC in html  # not redacted unless asked
