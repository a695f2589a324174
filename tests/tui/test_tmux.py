"""The real app in a real terminal (tmux): a smoke test, and killing it mid-walkthrough.

The app runs on replayed facts (--replay), so nothing is probed on this machine.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from readiness.store import load_audit
from tests.tui.conftest import FACTS_PATH
from tests.tui.tmux import app_env, needs_tmux, python, tmux_server

pytestmark = needs_tmux


@needs_tmux
def test_smoke_replay_in_tmux() -> None:
    with tmux_server() as t:
        t.start([python(), "-m", "readiness", "--replay", str(FACTS_PATH), "--site", "Smoke Test"], app_env())
        t.wait_for(
            lambda s: all(w in s for w in ("Power and UPS", "unknown", "192.168.10.1", "Smoke Test")),
            "discovery to finish, with the site and a gateway on screen",
        )
        t.keys("F5")
        screen = t.wait_for(lambda s: "To fix first" in s, "the findings screen")
        assert "/100" in screen or "Not assessed" in screen
        t.keys("C-q")
        t.wait_for(lambda s: "To fix first" not in s, "the app to quit")


@needs_tmux
def test_killed_mid_walkthrough_resumes_everything() -> None:
    data = Path(os.environ["READINESS_DATA_DIR"])
    with tmux_server() as t:
        t.start([python(), "-m", "readiness", "--replay", str(FACTS_PATH), "--site", "Kill Test"], app_env())
        t.wait_for(lambda s: "Power and UPS" in s and "unknown" in s, "discovery to finish")
        t.keys("F3")
        t.wait_for(lambda s: "Why it matters" in s, "the checklist")
        # The list has focus: Enter moves into the first question, Enter picks "Yes".
        # A slow machine may still be moving the focus when the second Enter arrives:
        # then it lands on the list again, and one more Enter picks "Yes".
        for _ in range(4):
            t.keys("Enter")
            time.sleep(0.5)
            if "answered 1/" in t.screen():
                break
        t.wait_for(lambda s: "answered 1/" in s, "the first answer")
        # "n" jumps to the note from the answer (no Escape first: on a busy machine ESC and
        # the next key can arrive together and read as Alt+n).
        t.keys("n")
        time.sleep(0.5)  # the focus moves on the app's next turn; letters before it would be bindings
        t.keys("-l", "Modem is behind the fridge")
        saved = next(data.glob("*.json"))

        def answered() -> bool:
            audit = load_audit(saved)
            return "backup_line" in audit.answers and any("fridge" in n.text for n in audit.notes)

        t.wait_for(lambda s: answered(), "the answer and the note to be saved")
        os.kill(t.pane_pid(), signal.SIGKILL)  # no goodbye, no flush: as if the power went
        t.wait_for(lambda s: "Why it matters" not in s, "the app to die")

    audit = load_audit(saved)
    assert audit.answers["backup_line"].value is True
    assert [n.text for n in audit.notes] == ["Modem is behind the fridge"]

    with tmux_server() as t:
        t.start([python(), "-m", "readiness", "open", str(saved), "--replay", str(FACTS_PATH)], app_env())
        t.wait_for(
            lambda s: "Kill Test" in s and "answered 1/" in s and "Why it matters" in s,
            "the resumed checklist with its answer",
        )
        t.keys("n")  # the note field scrolls into view with what was typed before the kill
        t.wait_for(lambda s: "Modem is behind the fridge" in s, "the note on screen")
