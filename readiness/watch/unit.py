"""A systemd user unit that keeps the watcher running, unprivileged, restarted on failure."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

UNIT_NAME = "readiness-watch.service"


def unit_text(argv: list[str] | None = None) -> str:
    """The unit. ``argv``: the watch command line (defaults to this interpreter's readiness)."""
    cmd = argv or [sys.executable, "-m", "readiness", "watch"]
    return f"""[Unit]
Description=readiness watch: outage and failover history of this office's internet line
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart={shlex.join(cmd)}
Restart=on-failure
RestartSec=10
# Unprivileged: ICMP through the kernel's ping socket (net.ipv4.ping_group_range), else TCP.
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths=-%h/.local/share/readiness
Nice=5
TimeoutStopSec=15

[Install]
WantedBy=default.target
"""


def user_unit_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user" / UNIT_NAME


def install(argv: list[str] | None = None, path: Path | None = None) -> Path:
    """Write the user unit (atomically); the caller tells the user how to enable it."""
    target = path or user_unit_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # late: the audit store and its models (pydantic) add
    # 207 ms to `readiness watch --print-unit` and `--summary`
    from readiness.store import write_atomic

    write_atomic(target, unit_text(argv).encode(), mode=0o644)
    return target
