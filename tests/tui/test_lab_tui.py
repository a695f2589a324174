"""The real app probing the office lab: discovery live on the discovery screen, then the
findings, with what the lab says is true. Runs inside the lab's office namespace only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from readiness.store import load_audit
from tests.lab.netns import ns_argv
from tests.tui.tmux import app_env, needs_tmux, python, tmux_server


@needs_tmux
@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_discovery_and_findings_in_the_lab_office(lab: Any) -> None:
    truth = lab.truth
    gateway = truth["office"]["gateway"]
    public_ip = truth["lines"]["primary"]["public_ip"]
    argv = ns_argv(
        lab.office_ns, [python(), "-m", "readiness", "--config", str(lab.config_path), "--site", "Lab Office"]
    )
    with tmux_server() as t:
        t.start(argv, app_env(), size=(160, 48))
        t.wait_for(
            lambda s: gateway in s and public_ip in s and "running" not in s,
            "discovery in the lab to finish with the lab's gateway and public address",
            timeout=60,
        )
        t.keys("F5")
        # The tab label paints before the table is filled: wait for both (under load the
        # first capture can catch the screen half drawn).
        screen = t.wait_for(
            # FO-001 stays open without a drill (WAN-001 passes on the router's word).
            lambda s: "To fix first" in s and "FO-001" in s and "Re-run all" not in s,
            "the findings screen with its checks",
        )
        assert "Not assessed" in screen or "/100" in screen
        t.keys("C-q")
    saved = next(Path(os.environ["READINESS_DATA_DIR"]).glob("*.json"))
    facts = load_audit(saved).facts
    assert facts.gateways and facts.gateways[0].address == gateway
    assert facts.wan and facts.wan[0].public_ip == public_ip
