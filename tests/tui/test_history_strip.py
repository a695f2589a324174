"""The discovery screen shows the line watcher's last 30 days when its database is found,
and the audit takes the measured history into its checks."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Static

from readiness.store import load_audit
from tests.tui.conftest import AppFactory, settled
from tests.watch.history_db import fourteen_days


async def test_history_strip_on_the_discovery_screen(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(site="Watched Office")
    app.history_path = fourteen_days(tmp_path / "watch.sqlite3")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        app.action_goto("discovery")
        await settled(pilot)
        block = app.screen.query_one("#group-history", Static)
        assert block.display
        text = str(block.render())
        assert "primary " + "·" * 15 + "███▁█████▆█████" in text
        assert "backup  " + "·" * 26 + "█" + "·" * 3 in text
        assert "2 outage(s), 1 failover(s)." in text  # the DNS-only failure is not one
        assert app.session is not None
        saved = load_audit(app.session.path)
    assert saved.history is not None and saved.history.primary_failures == 3
    ops4 = next(f for f in saved.findings if f.check_id == "OPS-004")
    assert any(e.source == "watch" for e in ops4.evidence)


async def test_recorded_facts_never_take_this_machines_history(make_app: AppFactory) -> None:
    """Replayed facts are another office's: the default database here is not read."""
    fourteen_days(Path(os.environ["READINESS_DATA_DIR"]) / "watch.sqlite3")
    app = make_app(site="Replayed Office")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        app.action_goto("discovery")
        await settled(pilot)
        assert not app.screen.query_one("#group-history", Static).display
        assert app.session is not None and app.session.audit.history is None
