"""The router's automatic failover: a small watcher run inside the router namespace.

Every ``interval`` seconds it pings the primary line's next hop (an on-link address, so the
ping always leaves through the primary interface). After ``down_after`` misses in a row it
points the default route at the backup line and flushes connection tracking (so NATed flows
pick the new public address, as a real router does); after ``up_after`` answers in a row it
fails back. Each switch is logged as one JSON line with wall and monotonic times.

Usage: ``python -m tests.lab.failover PRIMARY_GW PRIMARY_DEV BACKUP_GW BACKUP_DEV LOG``
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from icmplib import ping

INTERVAL = 0.2
TIMEOUT = 0.2
DOWN_AFTER = 2
UP_AFTER = 5


def _route(gw: str, dev: str) -> None:
    subprocess.run(["ip", "route", "replace", "default", "via", gw, "dev", dev], check=False)
    conntrack = shutil.which("conntrack")
    if conntrack:
        subprocess.run([conntrack, "-F"], check=False, capture_output=True)


def _log(fh: TextIO, event: str, **extra: str) -> None:
    fh.write(json.dumps({"event": event, **extra, "wall": time.time(), "mono": time.monotonic()}) + "\n")


def main(argv: list[str]) -> int:
    pgw, pdev, bgw, bdev, log = argv
    running = True

    def _stop(*_: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    on_primary, misses, hits = True, 0, 0
    with Path(log).open("a", buffering=1) as fh:
        _log(fh, "watching")
        while running:
            started = time.monotonic()
            ok = ping(pgw, count=1, timeout=TIMEOUT, privileged=True).is_alive
            misses, hits = (0, hits + 1) if ok else (misses + 1, 0)
            if on_primary and misses >= DOWN_AFTER:
                _route(bgw, bdev)
                on_primary = False
                _log(fh, "failover", to="backup")
            elif not on_primary and hits >= UP_AFTER:
                _route(pgw, pdev)
                on_primary = True
                _log(fh, "failback", to="primary")
            time.sleep(max(0.0, INTERVAL - (time.monotonic() - started)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
