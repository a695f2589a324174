"""NUT's own upsd with the dummy-ups driver, on 127.0.0.1 and a free port, for tests.

Debian's nut-server ships the daemons in /lib/nut (the /usr/sbin/upsd wrapper insists on
the system configuration). Both run in the foreground (-F) with NUT_CONFPATH and
NUT_STATEPATH in a temporary folder; as root they are told to stay root (``-u root``),
because the Debian build would otherwise switch to the ``nut`` user, who cannot read the
temporary folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

UPSD = Path("/lib/nut/upsd")
DUMMY_UPS = Path("/lib/nut/dummy-ups")
UPS_NAME = "dummy"

ON_LINE = {
    "ups.status": "OL",
    "battery.charge": "100",
    "battery.runtime": "1800",
    "ups.load": "23",
    "device.mfr": "Dummy Power",
    "device.model": "Test 1500",
    "ups.mfr": "Dummy Power",
    "ups.model": "Test 1500",
    "battery.date": "2024-01-15",
    "ups.test.result": "Done and passed",
}


def missing_reason() -> str | None:
    for binary in (UPSD, DUMMY_UPS):
        if not binary.exists():
            return f"{binary} is missing: install the Debian package nut-server (make deps does, as root)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nut_get(port: int, command: str, timeout: float = 1.0) -> str:
    """One raw NUT command over a plain socket: the fixture does not trust the code under test."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(command.encode() + b"\n")
        return s.recv(4096).decode(errors="replace")


class NutServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.dev = folder / "dummy.dev"
        self._procs: list[subprocess.Popen[bytes]] = []
        self._log: IO[bytes] | None = None

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def write_vars(self, variables: dict[str, str]) -> None:
        """dummy-ups (mode dummy-once) re-reads the .dev file when it changes."""
        tmp = self.dev.with_suffix(".tmp")
        tmp.write_text("".join(f"{k}: {v}\n" for k, v in variables.items()))
        tmp.replace(self.dev)

    def _configure(self) -> None:
        (self.folder / "state").mkdir(mode=0o700)
        (self.folder / "nut.conf").write_text("MODE=standalone\n")
        (self.folder / "ups.conf").write_text(
            f'[{UPS_NAME}]\n  driver = dummy-ups\n  port = {self.dev.name}\n  desc = "test unit"\n'
            "  pollinterval = 1\n"
        )
        (self.folder / "upsd.conf").write_text(f"LISTEN 127.0.0.1 {self.port}\n")
        users = self.folder / "upsd.users"
        users.write_text("")
        users.chmod(0o600)
        self.write_vars(ON_LINE)

    def start(self) -> None:
        self._configure()
        env = {**os.environ, "NUT_CONFPATH": str(self.folder), "NUT_STATEPATH": str(self.folder / "state")}
        as_root = ["-u", "root"] if os.geteuid() == 0 else []
        log = self._log = (self.folder / "nut.log").open("ab")
        self._procs.append(
            subprocess.Popen(
                [str(DUMMY_UPS), "-a", UPS_NAME, "-F", *as_root], env=env, stdout=log, stderr=log
            )
        )
        self._procs.append(subprocess.Popen([str(UPSD), "-F", *as_root], env=env, stdout=log, stderr=log))
        self.wait_for_status("OL")

    def wait_for_status(self, status: str, within_s: float = 15.0) -> None:
        """Block until upsd serves ``status`` for the dummy UPS (a readiness wait, not a timing check)."""
        deadline = time.monotonic() + within_s
        last = ""
        while time.monotonic() < deadline:
            for p in self._procs:
                if p.poll() is not None:
                    raise RuntimeError(f"NUT daemon exited: {self.log()}")
            try:
                last = nut_get(self.port, f"GET VAR {UPS_NAME} ups.status")
            except OSError as exc:
                last = str(exc)
            if last.strip() == f'VAR {UPS_NAME} ups.status "{status}"':
                return
            time.sleep(0.1)
        raise RuntimeError(f"upsd never served status {status!r}; last answer {last!r}; log: {self.log()}")

    def log(self) -> str:
        path = self.folder / "nut.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        for p in reversed(self._procs):
            if p.poll() is None:
                p.terminate()
        for p in self._procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self._log is not None:
            self._log.close()


@contextmanager
def running_upsd(folder: Path) -> Iterator[NutServer]:
    server = NutServer(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
