"""Pilot tests of single features: discovery workers, keymap, palette, start screen, dialogs."""

from __future__ import annotations

import asyncio
import json
import stat
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Checkbox, DataTable, Input, Static

from readiness.catalogue import default_catalogue
from readiness.config import Config
from readiness.judgement.progress import progress
from readiness.model import Audit, Facts, Verdict
from readiness.probes.base import ProbeProgress
from readiness.store import load_audit
from readiness.tui.app import ReadinessApp, run_tui
from readiness.tui.binding_ids import binding_classes, declared_ids, unknown_ids
from readiness.tui.keymap import live_rows
from readiness.tui.runner import replay_discover
from readiness.tui.screens import start
from readiness.tui.screens.checklist import ChecklistScreen
from readiness.tui.screens.findings import FindingsScreen
from tests.tui.conftest import AUDIT_PATH, AppFactory, settled


class RecordingDiscover:
    """Recorded facts played back slowly, remembering which probes each run asked for."""

    def __init__(self, facts: Facts, step_s: float = 0.0) -> None:
        self.calls: list[Sequence[str] | None] = []
        self._replay = replay_discover(facts, step_s=step_s)

    async def __call__(
        self,
        config: Config,
        *,
        only: Sequence[str] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        **kw: Any,
    ) -> Facts:
        self.calls.append(None if only is None else list(only))
        return await self._replay(config, only=only, on_progress=on_progress, **kw)


async def test_discovery_can_be_left_while_it_runs(make_app: AppFactory, facts: Facts) -> None:
    gate = threading.Event()  # the probes stay "running" until the test lets them finish
    replay = replay_discover(facts)

    async def gated(config: Config, **kw: Any) -> Facts:
        kw["on_progress"](ProbeProgress("interfaces", "Network interfaces", "running"))
        while not gate.is_set():
            await asyncio.sleep(0.01)
        return await replay(config, **kw)

    app = make_app(site="Busy Office", discover=gated)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.discovery_running
        await pilot.press("f3")  # leave while it runs: the worker keeps going
        assert isinstance(app.screen, ChecklistScreen)
        assert app.discovery_running
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.discovery_running
        assert all(e.state == "done" for e in app.probe_events.values())
        assert app.session is not None
        assert load_audit(app.session.path).facts.gateways == facts.gateways


async def test_rerun_one_probe_and_all(make_app: AppFactory, facts: Facts) -> None:
    rec = RecordingDiscover(facts)
    app = make_app(site="Rerun Office", discover=rec)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#probes").focus()
        await pilot.press("down", "r")  # the second probe in the list
        await app.workers.wait_for_complete()
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert rec.calls == [None, ["gateways"], None]


async def test_the_highlighted_probe_is_said_in_full_under_the_table(make_app: AppFactory) -> None:
    """At 80 columns the Detail column (why a probe is unknown) is cut off; the line under
    the table says it for the highlighted probe, and the table does not scroll sideways."""
    app = make_app(site="Narrow Office")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#probes", DataTable)
        detail = app.screen.query_one("#probe-detail", Static)
        assert not table.show_horizontal_scrollbar
        assert str(detail.render()).startswith("Network interfaces: ✓ ok")
        table.focus()
        keys = [str(row.value) for row in table.rows]
        await pilot.press(*["down"] * keys.index("power"))
        await pilot.pause()
        assert str(detail.render()) == "Power and UPS: ? unknown — no NUT or apcupsd server answered"
        # The path group says "1 hop", not "1 hops".
        assert "1 hop to " in str(app.screen.query_one("#group-path", Static).render())


async def test_discovery_failure_is_shown_not_fatal(make_app: AppFactory) -> None:
    async def broken(config: Config, **kw: Any) -> Facts:
        on_progress = kw["on_progress"]
        on_progress(ProbeProgress("interfaces", "Network interfaces", "running"))
        await asyncio.sleep(0)
        raise RuntimeError("no route to anything")

    app = make_app(site="Broken Office", discover=broken)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.discovery_running
        assert app.discovery_error is not None and "no route to anything" in app.discovery_error
        assert app.is_running


async def test_keymap_from_config_remaps_bindings(make_app: AppFactory) -> None:
    config = Config(keymap={"nav.checklist": "f9", "app.help": "f10"})
    app = make_app(resume=True, config=config)
    async with app.run_test() as pilot:
        await pilot.press("f2")
        assert app.screen.id == "discovery"
        await pilot.press("f3")
        assert app.screen.id == "discovery"  # f3 no longer goes anywhere
        await pilot.press("f9")
        assert app.screen.id == "checklist"
        await pilot.press("f10")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        rows = {binding_id: keys for keys, _, binding_id in live_rows(app, [app])}
        assert rows["nav.checklist"] == "f9" and rows["nav.findings"] == "f5"
        await pilot.press("escape")


async def test_a_remapped_screen_key_shows_everywhere(make_app: AppFactory) -> None:
    """The navigation bar and the help's guide show the key the config gives a screen,
    not the default one (they come from one screen registry)."""
    config = Config(keymap={"nav.checklist": "f9"})
    app = make_app(resume=True, config=config)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        nav = str(app.screen.query_one("#nav", Static).render())
        assert "F9 Checklist" in nav and "F3" not in nav and "F5 Findings" in nav
        await pilot.press("f1")
        await pilot.pause()
        guide = str(app.screen.query_one("#guide", Static).render())
        assert " F9 Checklist " in guide and "F3" not in guide and " F7 Drill " in guide


def test_every_binding_has_an_id_and_typos_are_reported() -> None:
    for cls in binding_classes(ReadinessApp):
        for b in cls.__dict__.get("BINDINGS", ()):  # its own; Textual's (tab on a Screen) have none
            assert getattr(b, "id", None), f"{cls.__name__} has a binding without id: {b}"
    ids = declared_ids(ReadinessApp)
    assert {"nav.checklist", "discovery.rerun", "checklist.waive", "export.write", "drill.start"} <= set(ids)
    assert {"findings.fix", "findings.categories"} <= set(ids)  # every audit screen's, too
    assert unknown_ids({"nav.checklist": "f9", "nav.checklst": "f8"}, ReadinessApp) == ["nav.checklst"]


async def test_palette_jumps_to_a_check(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"check: WAN-003")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.current == "WAN-003"


async def test_palette_exports_markdown(make_app: AppFactory, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"export: markdown")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
    written = list(tmp_path.glob("readiness-*.md"))
    assert len(written) == 1 and "Corner Bakery" in written[0].read_text()
    assert not list(tmp_path.glob("readiness-*.json"))


async def test_start_lists_saved_and_keeps_corrupt_aside(make_app: AppFactory, data_dir: Path) -> None:
    (data_dir / "fixture00001.json").write_bytes(AUDIT_PATH.read_bytes())
    broken = data_dir / "broken.json"
    broken.write_text("{ not json")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)  # the saved audits are read in a thread
        table = app.screen.query_one("#saved-table")
        await pilot.pause()  # filled once laid out, to cut the site names to the width
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]  # type: ignore[attr-defined]
        done = progress(load_audit(AUDIT_PATH), default_catalogue())
        assert any("Corner Bakery" in r and f"{done.answered}/{done.questions}" in r for r in rows), rows
        assert any(r.startswith("broken.json") and "unreadable" in r for r in rows), rows
        assert not broken.exists() and (data_dir / "broken.json.corrupt-1").read_text() == "{ not json"
        # Below the table, the highlighted row in full: why a file is unreadable, an audit's date.
        table.focus()
        hint = app.screen.query_one("#saved-hint", Static)
        table.move_cursor(row=next(i for i, r in enumerate(rows) if "unreadable" in r))  # type: ignore[attr-defined]
        await pilot.pause()
        assert "not valid JSON" in str(hint.render()) and "kept aside" in str(hint.render())
        # Resume the good one.
        table.move_cursor(row=next(i for i, r in enumerate(rows) if "Corner Bakery" in r))  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.audit.id == "fixture00001"
        assert app.screen.id == "checklist"


async def test_removing_a_waiver_asks_first(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.session is not None
        waived = next(iter(app.session.audit.waivers))
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        screen.select_check(waived)
        await pilot.pause()
        screen.query_one("#unwaive").press()  # type: ignore[attr-defined]
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("n")
        await pilot.pause()
        assert waived in app.session.audit.waivers
        screen.query_one("#unwaive").press()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert waived not in load_audit(app.session.path).waivers


async def test_waiver_needs_a_reason_and_a_date(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and app.session is not None
        screen.select_check("WAN-003")
        await pilot.pause()
        screen.query_one("#checks").focus()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")  # no reason yet
        await pilot.pause()
        assert type(app.screen).__name__ == "WaiverDialog"
        labels = [str(label.render()) for label in app.screen.query("Label")]
        assert "Waived until (YYYY-MM-DD)" in labels  # the pre-filled date says what it is
        await pilot.press(*"Owner accepts", "tab", "ctrl+u", *"2026-02-30", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WaiverDialog"  # not a date
        await pilot.press("ctrl+u", *"2026-03-31", "enter")
        await pilot.pause()
        waiver = load_audit(app.session.path).waivers["WAN-003"]
        assert (waiver.reason, waiver.expires) == ("Owner accepts", date(2026, 3, 31))


async def test_theme_toggles_light_and_dark(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test() as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"


async def test_a_screen_away_during_a_theme_change_is_restyled_on_return(make_app: AppFactory) -> None:
    """Screens skip Textual's restyle on return unless something around them changed."""
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        checklist = app.screen
        tree = checklist.query_one("Tree")
        dark = (checklist.styles.background, tree.styles.background, tree.styles.color)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+t")  # the theme changes while the checklist is away
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is checklist and app.theme == "textual-light"
        light = (checklist.styles.background, tree.styles.background, tree.styles.color)
        assert light[0] != dark[0] and light[2] != dark[2], (dark, light)


def test_run_tui_reports_an_unreadable_replay_file(tmp_path: Path, capsys: Any) -> None:
    bad = tmp_path / "facts.json"
    bad.write_text("[]")
    assert run_tui(audit_path=None, replay=bad, config=Config(), offline=True) == 2
    assert "facts.json" in capsys.readouterr().err


async def test_opening_a_corrupt_audit_keeps_it_aside(data_dir: Path, facts: Facts) -> None:
    bad = data_dir / "x.json"
    bad.write_text('{"schema_version": 1, "trunc')  # not JSON at all: moved aside (issue 19)
    app = ReadinessApp(audit_path=bad, replay=facts, data_dir=data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.session is None and app.startup_error is not None
        assert app.screen.id == "start"
    assert (data_dir / "x.json.corrupt-1").exists() and not bad.exists()


async def test_opening_an_invalid_audit_leaves_it_where_it_is(data_dir: Path, facts: Facts) -> None:
    bad = data_dir / "x.json"
    bad.write_text('{"schema_version": 1}')  # parses, fails validation: maybe one edit from good
    app = ReadinessApp(audit_path=bad, replay=facts, data_dir=data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.session is None and app.startup_error is not None
    assert bad.read_text() == '{"schema_version": 1}' and not (data_dir / "x.json.corrupt-1").exists()


async def test_a_keymap_typo_is_reported(make_app: AppFactory) -> None:
    app = make_app(resume=True, config=Config(keymap={"nav.checklst": "f9"}))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any("nav.checklst" in str(n.message) for n in app._notifications)


async def test_export_redacted_hides_public_addresses(make_app: AppFactory, tmp_path: Path) -> None:
    from readiness.tui.screens.export import ExportScreen

    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#path", Input).value = str(tmp_path / "redacted")
        screen.query_one("#redact", Checkbox).value = True
        await pilot.click("#export")
        await pilot.pause()
    md = (tmp_path / "redacted.md").read_text()
    raw = (tmp_path / "redacted.json").read_text()
    assert "203.0.113.45" not in md and "203.0.113.45" not in raw
    assert json.loads(raw)["redacted"] is True
    assert "192.168.10.1" in raw  # private addresses stay readable
    # Owner-only, as the headless exports are (tests/hardening/test_privacy.py), whatever
    # the umask: redacted or not, a report names the office, its people and its devices.
    for name in ("redacted.md", "redacted.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


async def test_export_redacted_hides_the_office_and_its_people(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixture audit names the office and its technician; the offered file name too."""
    from readiness.tui.screens.export import ExportScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert "corner-bakery" in screen.query_one("#path", Input).value.lower()  # the offered name
        screen.query_one("#redact", Checkbox).value = True
        await pilot.click("#export")
        await pilot.pause()
    written = sorted(tmp_path.glob("readiness-*"))
    assert written and all("site-1" in p.name and "bakery" not in p.name.lower() for p in written), written
    for path in written:
        text = path.read_text().lower()
        assert "corner bakery" not in text and "sam tester" not in text, path.name
        assert "person-1" in text, path.name


async def test_the_mouse_moves_between_screens(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        nav = app.screen.query_one("#nav")
        x = 1 + str(nav.render()).index("F5")  # one cell of padding, then the text
        await pilot.click("#nav", offset=(x + 1, 0))
        await pilot.pause()
        assert app.screen.id == "findings"


async def test_a_discovery_ending_as_the_app_quits_is_no_error(make_app: AppFactory, facts: Facts) -> None:
    """The worker's last message can arrive while the screens are being taken down."""
    app = make_app(site="Quitting Office", discover=replay_discover(facts, step_s=1.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        app.workers.cancel_all()  # its "cancelled" message is on its way as the app ends
    assert app._exception is None


async def test_findings_switch_between_their_two_views_by_key_and_by_mouse(make_app: AppFactory) -> None:
    from textual.widgets import ContentSwitcher, DataTable

    from tests.tui.test_footer import footer_line

    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        views = app.screen.query_one(ContentSwitcher)
        assert views.current == "fix-view" and app.focused is app.screen.query_one("#finding-list")
        assert "By category" in footer_line(app) and "To fix first" not in footer_line(app)
        assert app.screen.query_one("#category-table", DataTable).row_count == 0  # filled when shown
        await pilot.press("c")
        await pilot.pause()
        categories = app.screen.query_one("#category-table", DataTable)
        assert views.current == "category-table" and app.focused is categories
        assert categories.row_count > len(app.session.audit.findings)  # a row per category as well
        assert "To fix first" in footer_line(app) and "By category" not in footer_line(app)
        switch = app.screen.query_one("#views")
        x = 1 + str(switch.render()).index("To fix first")  # one cell of padding, then the text
        await pilot.click("#views", offset=(x, 0))
        await pilot.pause()
        assert views.current == "fix-view"


async def test_tab_from_the_list_stops_at_the_checks_text_and_shows_it(make_app: AppFactory) -> None:
    """The detail pane takes focus so that a long text can be scrolled by keyboard; a bar
    on its left says so (without it the first Tab seemed to do nothing)."""
    app = make_app(resume=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen) and app.focused is not None
        detail = app.screen.query_one("#detail")
        unfocused = detail.styles.border_left
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is detail
        assert detail.styles.border_left[0] not in ("", "none", "blank", "hidden")
        assert detail.styles.border_left != unfocused
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not detail and detail.styles.border_left == unfocused


async def test_at_80x24_tab_brings_the_start_button_into_view(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        button = app.screen.query_one("#start-audit")
        pane = app.screen.query_one("#new-audit")
        assert not pane.region.contains_region(button.region)  # below the fold at first
        await pilot.press("tab", "tab", "tab")  # site -> technician -> profile -> the button
        await pilot.pause(0.3)
        assert app.focused is button and pane.region.contains_region(button.region)


async def test_enter_on_a_check_goes_to_its_questions_and_escape_comes_back(make_app: AppFactory) -> None:
    """What the help screen says about moving in the checklist."""
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one("#checks")
        tree.focus()
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.2)
        focused = app.focused
        assert focused is not None and type(focused).__name__ in ("RadioSet", "SelectionList", "Input")
        assert any(type(a).__name__ == "AnswerField" for a in focused.ancestors)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is tree


async def test_the_saved_audit_line_names_the_key_to_the_list(make_app: AppFactory, data_dir: Path) -> None:
    """In the site field Enter starts a new audit: the line under the saved audits says which
    key gets to the list, as remapped in the config."""
    (data_dir / "fixture00001.json").write_bytes(AUDIT_PATH.read_bytes())
    app = make_app(config=Config(keymap={"start.saved": "ctrl+l"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)  # the saved audits are read in a thread
        hint = str(app.screen.query_one("#saved-hint", Static).render())
        assert "Enter in this list (^l) resumes it." in hint


async def test_keys_typed_ahead_of_a_tab_land_in_the_field_tab_moves_to(make_app: AppFactory) -> None:
    """Keys that arrive together (typed while the app is busy, pasted by a terminal, sent by
    tmux) are delivered in one go, as the terminal driver does; they must fill the fields
    as the same keys typed one by one do. Before Tab moved the focus first, the
    technician's name ended up in the site name: "CoSamshop!"."""
    keys = ["C", "o", "tab", "S", "a", "m", "tab", "s", "h", "o", "p", "shift+tab", "!"]

    async def fields(burst: bool) -> dict[str | None, str]:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            if burst:
                driver = app._driver
                assert driver is not None
                for key in keys:  # no pause between them: one read of the terminal
                    driver.send_message(events.Key(key, key if len(key) == 1 else None))
            else:
                await pilot.press(*keys)  # each key handled before the next is sent
            await pilot.pause(0.3)
            return {i.id: i.value for i in app.screen.query(Input)}

    one_by_one = await fields(burst=False)
    # Back in a field by shift+tab, its text is selected and the next key replaces it.
    assert one_by_one == {"site": "Co", "technician": "!", "profile": "shop"}
    assert await fields(burst=True) == one_by_one


async def test_the_start_screen_is_usable_while_saved_audits_are_read(
    make_app: AppFactory, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A saved audit with a long drill takes tens of milliseconds to read; ten of them held
    the first frame back by 0.7 s. They are read in a thread: the form is there and takes
    keys meanwhile. The reading is held on a gate here (standing in for slow files) so the
    test sees the moment in between, whatever the machine's speed."""
    (data_dir / "fixture00001.json").write_bytes(AUDIT_PATH.read_bytes())
    gate = threading.Event()
    read = start.saved_rows

    def slow_rows(folder: Path) -> list[tuple[Path, Audit | None, str | None]]:
        gate.wait(10)
        return read(folder)

    monkeypatch.setattr(start, "saved_rows", slow_rows)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, start.StartScreen) and not screen.saved_read
        assert "Reading the saved audits" in str(screen.query_one("#saved-hint", Static).render())
        await pilot.press(*"Annex")
        assert screen.query_one("#site", Input).value == "Annex"
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.saved_read and screen.query_one("#saved-table", DataTable).row_count == 1
        assert "Corner Bakery" in str(screen.query_one("#saved-hint", Static).render())


async def test_a_finding_not_judged_yet_does_not_say_zero_of_zero_points(make_app: AppFactory) -> None:
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and app.session is not None
        findings = app.session.audit.findings
        unknown = next(f for f in findings if f.verdict is Verdict.UNKNOWN and not f.max_points)
        judged = next(f for f in findings if f.verdict is Verdict.FAIL and f.max_points)
        screen._detail(unknown.check_id)
        text = str(screen.query_one("#finding-text", Static).render())
        assert "severity" in text and "points" not in text.splitlines()[1]
        screen._detail(judged.check_id)
        text = str(screen.query_one("#finding-text", Static).render())
        assert f"{judged.points:g}/{judged.max_points:g} points" in text.splitlines()[1]


def test_discovery_and_its_replay_report_progress_in_one_type() -> None:
    """One type for a probe's progress (issue 18: ProbeEvent and ProbeProgress): what the
    replay posts is what discovery posts, frozen, so a screen can keep it as it came."""
    import dataclasses

    import readiness.discovery as discovery
    import readiness.tui.runner as runner

    assert discovery.ProbeProgress is ProbeProgress
    assert not hasattr(runner, "ProbeEvent") and not hasattr(runner, "to_event")
    facts = Facts.model_validate_json(Path("examples/dual-office.json").read_text())
    seen: list[object] = []
    asyncio.run(replay_discover(facts)(Config(), on_progress=seen.append))
    assert seen and all(type(p) is ProbeProgress for p in seen)
    first = seen[0]
    assert isinstance(first, ProbeProgress)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.state = "done"  # type: ignore[misc]
