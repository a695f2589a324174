"""Privacy in the office lab: ``--offline`` sends nothing toward the providers, ``--redact``
cleans a real audit, and the audit runs as an unprivileged user and says what it missed.

Captures run with tcpdump on the provider side of both lines (``cust0`` in the ispa and
ispb namespaces), so anything the office sends beyond its LAN, directly or through the
router (NAT, its DNS forwarder), is seen. The lab's own failover watcher pings line A's
next hop from the router; that traffic is filtered out of the capture.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readiness.replay import parse_facts
from tests.hardening.test_privacy import NOBODY, can_drop_privileges, nobody_env, scan_leaks
from tests.lab import Lab

PY = sys.executable
# Not the router's health checks of its own next hops, not link-layer chatter.
NOISE = (
    "ip and not (icmp and ((host 198.51.100.1 and host 198.51.100.10)"
    " or (host 203.0.113.1 and host 203.0.113.10)))"
)


class Capture:
    """tcpdump on the provider side of every line, started and stopped around one action."""

    def __init__(self, lab: Lab, folder: Path) -> None:
        self.lab, self.folder = lab, folder
        self.procs: list[tuple[str, subprocess.Popen[bytes], Path]] = []

    def __enter__(self) -> Capture:
        if shutil.which("tcpdump") is None:
            pytest.skip("tcpdump is not installed")
        for role in ("ispa", "ispb"):
            pcap = self.folder / f"{role}.pcap"
            proc = self.lab.popen(
                ["tcpdump", "-i", "cust0", "-nn", "-U", "-w", str(pcap), NOISE],
                ns=role,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            self.procs.append((role, proc, pcap))
        for role, proc, _ in self.procs:  # tcpdump says "listening on" once it captures
            assert proc.stderr is not None
            line = proc.stderr.readline().decode()
            assert "listening on" in line, f"{role}: {line}"
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.5)  # let the last packets of the action through
        for _, proc, _ in self.procs:
            proc.send_signal(signal.SIGINT)
        for _, proc, _ in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def packets(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for role, _, pcap in self.procs:
            done = subprocess.run(
                ["tcpdump", "-r", str(pcap), "-nn"], capture_output=True, text=True, check=False
            )
            out[role] = [ln for ln in done.stdout.splitlines() if ln.strip()]
        return out


@pytest.fixture
def work() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="readiness-privacy-", dir="/tmp"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _audit(lab: Lab, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return lab.exec(
        [PY, "-m", "readiness", "audit", "--config", str(lab.config_path), *args], timeout=timeout
    )


def _quiet_control(lab: Lab, work: Path) -> None:
    """With nothing running, the filtered capture must stay empty (else it proves nothing)."""
    quiet = work / "quiet"
    quiet.mkdir()
    with Capture(lab, quiet) as cap:
        time.sleep(1.5)
    assert cap.packets() == {"ispa": [], "ispb": []}, "the capture filter lets lab noise through"


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_offline_sends_nothing_toward_the_providers(lab: Lab, work: Path) -> None:
    _quiet_control(lab, work)
    off = work / "offline"
    off.mkdir()
    with Capture(lab, off) as cap:
        done = _audit(lab, "--offline", "--format", "json", "-o", str(off / "audit.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads((off / "audit.json").read_text())["facts"]["offline"] is True
    assert cap.packets() == {"ispa": [], "ispb": []}, "an offline audit sent packets toward a provider"


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_the_online_audit_is_seen_by_the_capture(lab: Lab, work: Path) -> None:
    """The control that makes the offline test able to fail: a normal audit is captured."""
    on = work / "online"
    on.mkdir()
    with Capture(lab, on) as cap:
        done = _audit(lab, "--format", "json", "-o", str(on / "audit.json"))
    assert done.returncode == 0, done.stderr
    seen = cap.packets()
    assert len(seen["ispa"]) > 10, "the online audit sent (almost) nothing on the primary line"
    assert not any(" localhost. " in p for p in seen["ispa"]), "online uses the real test name"


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_redacted_lab_audit_leaks_nothing(lab: Lab, work: Path) -> None:
    plain = _audit(lab, "--format", "json", "-o", str(work / "plain.json"))
    assert plain.returncode == 0, plain.stderr
    facts = parse_facts((work / "plain.json").read_bytes(), "plain.json")
    plain_text = (work / "plain.json").read_text()
    assert scan_leaks(plain_text, facts), "the unredacted lab audit shows nothing to redact"
    truth: dict[str, Any] = lab.truth
    for ip in truth["public_ips"].values():
        if ip in plain_text:
            break
    else:
        pytest.fail("the lab's public address is not in the unredacted audit")

    red = _audit(lab, "--redact", "--format", "both", "-o", str(work / "red"))
    assert red.returncode == 0, red.stderr
    for suffix in (".md", ".json"):
        text = (work / f"red{suffix}").read_text()
        assert scan_leaks(text, facts) == [], suffix
        names = [line["reverse_dns"] for line in truth["lines"].values() if line.get("reverse_dns")]
        for value in [*truth["public_ips"].values(), *names]:
            assert str(value).lower() not in text.lower(), (suffix, value)


def _as_nobody(lab: Lab, work: Path) -> dict[str, Any]:
    ok, why = can_drop_privileges()
    if not ok:
        pytest.skip(why)
    config = work / "readiness.toml"
    ca = work / "ca.pem"
    shutil.copyfile(lab.truth["tls_ca_file"], ca)
    config.write_text(Path(lab.config_path).read_text().replace(str(lab.truth["tls_ca_file"]), str(ca)))
    os.chmod(ca, 0o644)
    # The lab's config holds the router's SNMP v3 keys: readiness reads it only when its
    # owner alone can, so `nobody` gets its own copy, mode 600.
    nobody = pwd.getpwnam("nobody")
    os.chown(config, nobody.pw_uid, nobody.pw_gid)
    os.chmod(config, 0o600)
    env = nobody_env(work)
    done = lab.exec(
        [*NOBODY, PY, "-m", "readiness", "audit", "--config", str(config), "--format", "json"],
        env={k: env[k] for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "READINESS_DATA_DIR")},
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    facts: dict[str, Any] = json.loads(done.stdout)["facts"]
    return facts


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_audit_as_nobody_in_the_office_completes_with_tcp_instead_of_icmp(lab: Lab, work: Path) -> None:
    if lab.exec(["cat", "/proc/sys/net/ipv4/ping_group_range"]).stdout.split() != ["1", "0"]:
        pytest.skip("unprivileged ICMP sockets are allowed here: nothing to fall back from")
    facts = _as_nobody(lab, work)
    assert all(p["status"] in ("ok", "partial") for p in facts["probes"].values()), facts["probes"]
    assert facts["gateways"][0]["reachable"] is True
    assert {q["method"] for q in facts["path"]["quality"]} == {"tcp"}
    assert any(
        e["kind"] == "tcp" and e["target"] == facts["gateways"][0]["address"] for e in facts["endpoints"]
    )


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_audit_as_nobody_says_what_it_could_not_see(lab: Lab, work: Path) -> None:
    facts = _as_nobody(lab, work)
    said = json.dumps(facts["probes"]).lower()
    assert "icmp" in said and any(w in said for w in ("root", "privilege", "permission")), facts["probes"]
