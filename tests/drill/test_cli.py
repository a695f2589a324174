"""`readiness drill` as a user runs it: a subprocess, a config pointing at loopback peers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from readiness.model.drill import DrillOutcome, DrillResult
from readiness.store import load_audit, new_audit, save_audit
from tests.drill.peers import ASN_ZONE, MYIP_NAME, ORIGIN_ZONE, TEST_NAME, Peers, free_port


def write_config(peers: Peers, folder: Path, **drill: object) -> Path:
    tcp = ", ".join(f'"127.0.0.1:{t.port}"' for t in peers.tcp)
    extra = "".join(f"{k} = {v}\n" for k, v in drill.items())
    text = f"""
[endpoints]
anchors = ["127.0.0.1"]
tcp_anchors = [{tcp}]
echo_urls = ["http://127.0.0.1:{peers.http.port}/"]
dns_echo = [{{ name = "{MYIP_NAME}", server = "127.0.0.1:{peers.dns.port}" }}]
cymru_origin_zone = "{ORIGIN_ZONE}"
cymru_asn_zone = "{ASN_ZONE}"
dns_test_name = "{TEST_NAME}"

[power]
nut_hosts = ["127.0.0.1:{free_port()}"]
try_gateway = false

[drill]
dns_server = "127.0.0.1:{peers.dns.port}"
stable_s = 0.8
{extra}"""
    path = folder / "config.toml"
    path.write_text(text)
    return path


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def drill(*args: str, **kw: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "readiness", "drill", *args],
        # Ctrl-C as at a terminal: a suite started as a background job hands its children
        # SIGINT ignored, and the Ctrl-C test then waited for a drill that never heard it.
        preexec_fn=default_sigint,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,  # type: ignore[call-overload]
    )


def test_unattended_writes_the_result_and_appends_to_the_audit(peers: Peers, tmp_path: Path) -> None:
    cfg = write_config(peers, tmp_path)
    audit_path = tmp_path / "audit.json"
    save_audit(new_audit("Office", technician="Ana"), audit_path)
    out = tmp_path / "result.json"
    p = drill(
        "--unattended",
        "--max-duration",
        "4.5",
        "--config",
        str(cfg),
        "-o",
        str(out),
        "--audit",
        str(audit_path),
    )
    _, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    r = DrillResult.model_validate_json(out.read_text())
    assert r.outcome == DrillOutcome.NO_OUTAGE and r.unattended
    assert r.primary is not None and r.primary.public_ip == "192.0.2.10" and r.primary.asn == 64500
    assert r.timeline and r.probes_sent > 0 and r.technician == "Ana"
    for key in ("blackout_s", "failover_s", "failback_s", "primary", "backup", "timeline"):
        assert key in json.loads(out.read_text())
    audit = load_audit(audit_path)
    assert [d.id for d in audit.drills] == [r.id]
    assert "no_outage" in err and "probes sent" in err
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def _read_until(p: subprocess.Popen[str], marker: str, lines: list[str]) -> None:
    assert p.stderr is not None
    for line in p.stderr:
        lines.append(line)
        if marker in line:
            return
    raise AssertionError(f"{marker!r} never shown:\n{''.join(lines)}")


def test_interactive_prompts_and_enter(peers: Peers, tmp_path: Path) -> None:
    cfg = write_config(peers, tmp_path)
    out = tmp_path / "r.json"
    p = drill("--config", str(cfg), "--max-duration", "40", "--tolerance-minutes", "1", "-o", str(out))
    assert p.stdin is not None
    seen: list[str] = []
    _read_until(p, "Disconnect the primary line now", seen)
    peers.dns.stop()
    peers.http.stop()
    for t in peers.tcp:
        t.stop()
    p.stdin.write("\n")
    p.stdin.flush()
    _read_until(p, "ready to reconnect", seen)
    _read_until(p, "connection lost", seen)
    time.sleep(0.5)
    p.stdin.write("\n")
    p.stdin.flush()
    _read_until(p, "Reconnect the primary line now", seen)
    for t in peers.tcp:
        t.start()
    peers.http.start()
    peers.dns.start()
    p.stdin.write("\n")
    p.stdin.flush()
    _, err = p.communicate(timeout=30)
    assert p.returncode == 0, "".join(seen) + err
    r = DrillResult.model_validate_json(out.read_text())
    assert r.outcome == DrillOutcome.NO_FAILOVER
    assert r.time_to_first_loss_s is not None and r.failback_s is not None
    assert "Enter when done" in "".join(seen)


def test_ctrl_c_ends_cleanly_and_keeps_the_record(peers: Peers, tmp_path: Path) -> None:
    cfg = write_config(peers, tmp_path)
    out = tmp_path / "r.json"
    p = drill("--config", str(cfg), "-o", str(out))
    _read_until(p, "Disconnect the primary line now", [])
    p.send_signal(signal.SIGINT)
    # A bound against a hang: it ends in about a second.
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    r = DrillResult.model_validate_json(out.read_text())
    assert r.outcome == DrillOutcome.ABORTED and r.timeline
    assert [e.detail for e in r.events if e.kind == "aborted"] == ["stopped with Ctrl-C"]


def test_sigterm_in_unattended_mode(peers: Peers, tmp_path: Path) -> None:
    cfg = write_config(peers, tmp_path)
    out = tmp_path / "r.json"
    p = drill("--unattended", "--config", str(cfg), "-o", str(out))
    # Once the drill says it is measuring, its handler is in place: a timer instead (2 s)
    # could fire before the interpreter got that far on a busy machine, and kill it outright.
    seen: list[str] = []
    _read_until(p, "Measuring the primary line", seen)
    p.terminate()
    _, err = p.communicate(timeout=20)
    assert p.returncode == 130, "".join(seen) + err
    assert DrillResult.model_validate_json(out.read_text()).outcome == DrillOutcome.ABORTED


def test_bad_audit_fails_before_the_drill(peers: Peers, tmp_path: Path) -> None:
    cfg = write_config(peers, tmp_path)
    p = drill("--unattended", "--config", str(cfg), "--audit", str(tmp_path / "missing.json"))
    _, err = p.communicate(timeout=20)
    assert p.returncode == 2
    assert "missing.json" in err and len(err.strip().splitlines()) == 1


def test_power_without_a_ups_says_so(peers: Peers, tmp_path: Path) -> None:
    cfg = write_config(peers, tmp_path)
    p = drill("--power", "--unattended", "--config", str(cfg), "--ups", f"127.0.0.1:{free_port()}")
    _, err = p.communicate(timeout=20)
    assert p.returncode == 2 and "no UPS answered" in err
