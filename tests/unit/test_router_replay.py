"""The recorded office with a router (examples/backup-down-office.json), replayed headless:
the router's lines judge WAN-001 and WAN-010 without answers; --redact masks its serial, its
name and the public addresses of its lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "backup-down-office.json"


def _audit(tmp_path: Path, *extra: str) -> tuple[dict[str, object], str]:
    out = tmp_path / "audit.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "readiness",
            "audit",
            "--replay",
            str(EXAMPLE),
            "--format",
            "both",
            "-o",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(out.read_text()), out.with_suffix(".md").read_text()


def test_the_router_office_replays_with_its_findings(tmp_path: Path) -> None:
    audit, report = _audit(tmp_path)
    findings = {f["check_id"]: f for f in audit["findings"]}  # type: ignore[attr-defined]
    assert findings["WAN-001"]["verdict"] == "pass"
    assert findings["WAN-010"]["verdict"] == "fail"
    assert "The backup line is down today and nobody was told" in report
    assert "| wanb | ethernet | down | 203.0.113.10 |" in report
    assert "LabRouter DualWAN" in report


def test_redaction_masks_the_routers_identifiers(tmp_path: Path) -> None:
    facts = json.loads(EXAMPLE.read_text())
    router = facts["router"][0]
    secrets = [router["identity"]["serial"], router["identity"]["name"], "203.0.113.10", "198.51.100.10"]
    audit, report = _audit(tmp_path, "--redact")
    text = json.dumps(audit) + report
    assert all(s and s not in text for s in secrets), [s for s in secrets if s in text]
    assert "serial-1" in report
