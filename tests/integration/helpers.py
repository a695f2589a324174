"""Running the real `readiness` command inside the office lab, and judging what it wrote."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.judgement.engine import evaluate
from readiness.model import Audit, Finding
from readiness.store import load_audit
from tests.lab import Lab
from tests.lab.follow import StderrFollower

REPO = Path(__file__).resolve().parents[2]
READINESS = str(REPO / ".venv" / "bin" / "readiness")
AUDIT_LIMIT_S = 60  # a hung audit fails the test instead of hanging the suite
DRILL_READY = "Waiting for the primary line to go down"


def run_audit(lab: Lab, out: Path, answers: Path | None = None) -> tuple[dict[str, Any], float]:
    """`readiness audit --format json` in the office; returns (audit JSON, seconds it took)."""
    argv = [READINESS, "audit", "--config", str(lab.config_path), "--format", "json", "-o", str(out)]
    if answers is not None:
        argv += ["--answers", str(answers)]
    started = time.monotonic()
    proc = lab.exec(argv, timeout=AUDIT_LIMIT_S)
    took = time.monotonic() - started
    assert proc.returncode == 0, f"audit failed ({proc.returncode}): {proc.stderr}"
    return json.loads(out.read_text()), took


def run_drill(lab: Lab, audit: Path, act: Callable[[Lab], None], max_duration: int = 40) -> str:
    """`readiness drill --unattended --audit AUDIT` in the office; ``act(lab)`` cuts and restores
    once the drill has its baseline. Returns the drill's stderr."""
    argv = [
        READINESS,
        "drill",
        "--unattended",
        "--max-duration",
        str(max_duration),
        "--config",
        str(lab.config_path),
        "--audit",
        str(audit),
    ]
    proc = lab.popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    follower = StderrFollower(proc, [DRILL_READY])
    try:
        assert follower.seen.wait(30), "the drill never reached its watch phase:\n" + "".join(follower.lines)
        act(lab)
        proc.wait(timeout=max_duration + 20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = follower.text()
    assert proc.returncode == 0, f"drill failed ({proc.returncode}):\n{text}"
    return text


def judge(audit_path: Path) -> tuple[dict[str, Finding], Audit]:
    """Re-judge a saved audit (facts + answers + drills) with the product's own engine.

    `readiness drill --audit` appends the drill but does not re-judge; the engine is pure.
    """
    audit = evaluate(load_audit(audit_path))
    return {f.check_id: f for f in audit.findings}, audit


def cut_and_restore(hold_s: float = 4.0) -> Callable[[Lab], None]:
    def act(lab: Lab) -> None:
        lab.cut("primary")
        time.sleep(hold_s)
        lab.restore("primary")

    return act
