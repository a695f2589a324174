"""Run the real `python -m readiness` in a private tmux server and read its screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (Debian package tmux)")
ROOT = Path(__file__).resolve().parents[2]


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        assert TMUX is not None
        out = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return out.stdout

    def start(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        self.run(
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            *env_args,
            "-c",
            str(ROOT),
            *argv,
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "app", *keys)

    def pane_pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", "app", "#{pane_pid}").strip())

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 40.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            try:
                text = self.screen()
            except subprocess.CalledProcessError:
                text = ""
            if check(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{text}")


@contextmanager
def tmux_server() -> Iterator[Tmux]:
    """A tmux server on its own socket, killed afterwards whatever happens."""
    t = Tmux(f"readiness-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        yield t
    finally:
        subprocess.run([TMUX or "tmux", "-L", t.socket, "kill-server"], capture_output=True, check=False)


def app_env() -> dict[str, str]:
    """The isolated folders the test's conftest set, plus a terminal type Textual knows."""
    keep = ("READINESS_DATA_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME", "PATH")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = str(ROOT)
    return env


def python() -> str:
    return sys.executable
