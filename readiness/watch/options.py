"""The command line of `readiness watch`, apart from the command itself.

`readiness --help` and every other command build the whole parser, so this part is kept
light: the watcher's own modules (readiness/watch/cli.py) load only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    w = sub.add_parser(
        "watch",
        help="watch the line for days: outages, switches of line, availability",
        description="Runs until stopped, recording outages, line switches, poor-quality periods and its "
        "own gaps in a database in the user's data folder. --summary reports on it.",
    )
    w.add_argument("--db", type=Path, metavar="FILE", help="the database (default: the user's data folder)")
    w.add_argument("--config", type=Path, metavar="FILE", help="config file ([watch], [endpoints])")
    w.add_argument("--summary", action="store_true", help="report on the database and exit")
    w.add_argument("--since", metavar="LENGTH", help="with --summary: the last 30d, 12h, 2w...")
    w.add_argument("--format", choices=("text", "json", "md"), default="text", help="with --summary")
    w.add_argument("--metrics", type=int, metavar="PORT", help="serve Prometheus metrics on this port")
    w.add_argument("--metrics-address", metavar="ADDR", help="address to serve them on (default 127.0.0.1)")
    w.add_argument("--textfile", metavar="FILE", help="write metrics for node_exporter's textfile collector")
    w.add_argument(
        "--alert-command", metavar="CMD", help="run on an outage and a line switch (event as JSON on stdin)"
    )
    w.add_argument("--webhook", metavar="URL", help="POST a JSON event on an outage and a line switch")
    w.add_argument(
        "--duration", type=float, metavar="S", help="stop after S seconds (default: run until stopped)"
    )
    w.add_argument(
        "--install-unit", action="store_true", help="install a systemd user unit and say how to start it"
    )
    w.add_argument("--print-unit", action="store_true", help="print the systemd unit")
    w.add_argument("--quiet", action="store_true", help="no event lines on stderr")


def stop_before_the_loop(signum: int, frame: object) -> None:
    """SIGTERM while starting (systemd stopping a unit that just started): a clean exit."""
    raise SystemExit(0)
