"""Lab names and the removal of labs, including leftovers of crashed runs.

Every lab namespace is called ``rdy-<pid>-<n>-<role>``: ``<pid>`` is the process that built
it, ``<n>`` counts labs within that process. A lab is *stale* when that process is gone,
unless the lab was brought up by the control command (``python -m tests.lab up``), which
marks it persistent in its state file until ``down``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

from tests.lab.netns import IP, list_netns, netns_pids, run

STATE_ROOT = Path("/run/readiness-lab")
NETNS_ETC = Path("/etc/netns")
NAME_RE = re.compile(r"^(rdy-(\d+)-(\d+))-([a-z0-9]+)$")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def proc_start_time(pid: int) -> str | None:
    """Field 22 of /proc/PID/stat: tells a reused pid from the original process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def lab_prefixes() -> dict[str, list[str]]:
    """prefix -> namespaces currently present, for every lab-named namespace."""
    out: dict[str, list[str]] = {}
    for ns in list_netns():
        m = NAME_RE.match(ns)
        if m:
            out.setdefault(m.group(1), []).append(ns)
    return out


def read_state(prefix: str) -> dict[str, object] | None:
    try:
        data = json.loads((STATE_ROOT / prefix / "state.json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_stale(prefix: str) -> bool:
    m = re.match(r"^rdy-(\d+)-\d+$", prefix)
    if not m:
        return False
    state = read_state(prefix)
    if state is not None and state.get("persistent"):
        return False
    pid = int(m.group(1))
    if not pid_alive(pid):
        return True
    started = state.get("owner_start") if state else None
    return started is not None and started != proc_start_time(pid)


def _kill_all(pids: list[int]) -> None:
    mine = os.getpid()
    pids = [p for p in pids if p != mine]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, sig)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and any(pid_alive(p) and not _zombie(p) for p in pids):
            time.sleep(0.02)
        pids = [p for p in pids if pid_alive(p) and not _zombie(p)]
        if not pids:
            return


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def destroy(prefix: str) -> list[str]:
    """Stop every process inside the lab's namespaces, delete them and the lab's files.

    Only processes found *inside* a lab namespace are signalled: a pid remembered in a state
    file may have been reused by an unrelated process since.
    """
    namespaces = lab_prefixes().get(prefix, [])
    victims: list[int] = []
    for ns in namespaces:
        victims.extend(netns_pids(ns))
    _kill_all(sorted(set(victims)))
    for ns in namespaces:
        run([IP, "netns", "del", ns], check=False)
        shutil.rmtree(NETNS_ETC / ns, ignore_errors=True)
    for d in NETNS_ETC.glob(f"{prefix}-*") if NETNS_ETC.exists() else []:
        shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(STATE_ROOT / prefix, ignore_errors=True)
    return namespaces


def cleanup_stale(everything: bool = False) -> list[str]:
    """Remove labs whose owner is gone (or every lab with ``everything``). Returns their prefixes."""
    removed = []
    prefixes = set(lab_prefixes())
    if STATE_ROOT.exists():
        prefixes |= {p.name for p in STATE_ROOT.iterdir() if p.is_dir() and p.name.startswith("rdy-")}
    if NETNS_ETC.exists():
        prefixes |= {m.group(1) for d in NETNS_ETC.iterdir() if (m := NAME_RE.match(d.name))}
    for prefix in sorted(prefixes):
        if everything or is_stale(prefix):
            destroy(prefix)
            removed.append(prefix)
    return removed
