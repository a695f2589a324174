"""Reading a child's stderr in a thread, noting when it has printed one of some lines."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Sequence


class StderrFollower:
    """Collects ``proc``'s stderr lines; ``seen`` is set once a line holds one of ``markers``."""

    def __init__(self, proc: subprocess.Popen[str], markers: Sequence[str]) -> None:
        self.lines: list[str] = []
        self.seen = threading.Event()
        self._proc, self._markers = proc, tuple(markers)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self.lines.append(line)
            if any(marker in line for marker in self._markers):
                self.seen.set()

    def text(self) -> str:
        """Everything read so far, once the reader is done (or after 5 s)."""
        self._reader.join(5)
        return "".join(self.lines)
