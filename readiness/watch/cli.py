"""`readiness watch`: run the watcher, summarise its database, or install its unit."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from readiness.errors import InputError
from readiness.watch import unit
from readiness.watch.options import stop_before_the_loop
from readiness.watch.store import default_db_path


def _stderr(message: str) -> None:
    print(f"readiness: {message}", file=sys.stderr, flush=True)


def _unit_argv(args: argparse.Namespace) -> list[str]:
    argv = [sys.executable, "-m", "readiness", "watch", "--quiet"]
    for flag, value in (
        ("--db", args.db),
        ("--config", args.config),
        ("--metrics", args.metrics),
        ("--metrics-address", args.metrics_address),
        ("--textfile", args.textfile),
        ("--alert-command", args.alert_command),
        ("--webhook", args.webhook),
    ):
        if value is not None:
            argv += [flag, str(Path(value).resolve()) if isinstance(value, Path) else str(value)]
    return argv


def run(args: argparse.Namespace) -> int:
    if args.print_unit:
        sys.stdout.write(unit.unit_text(_unit_argv(args)))
        return 0
    if args.install_unit:
        path = unit.install(_unit_argv(args))
        _stderr(f"wrote {path}")
        _stderr(
            "start it with: systemctl --user daemon-reload && systemctl --user enable --now readiness-watch"
        )
        _stderr("keep it running after logout: loginctl enable-linger $USER")
        return 0
    db = args.db or default_db_path()
    if args.summary:
        return _summary(args, db)
    # Until the loop's own handler is in place, a stop request (systemd stopping a unit that
    # just started) ends the start-up cleanly, also while the watcher's modules load.
    signal.signal(signal.SIGTERM, stop_before_the_loop)
    # late: the watcher's loop, probes, alerts and metrics add
    # 443 ms to `readiness watch --summary` and `--print-unit`
    from readiness.watch.live import watch

    return watch(args, db)


def _summary(args: argparse.Namespace, db: Path) -> int:
    # late: the history's models (pydantic) add
    # 184 ms to `readiness watch --print-unit`
    from readiness.watch.summary import load_history, parse_since, render_md, render_text

    since = None
    if args.since:
        try:
            since = parse_since(args.since)
        except ValueError as exc:
            raise InputError("--since", None, str(exc)) from exc
    history = load_history(db, time.time(), since)
    if args.format == "json":
        sys.stdout.write(json.dumps(history.model_dump(mode="json"), indent=2) + "\n")
    elif args.format == "md":
        sys.stdout.write(render_md(history))
    else:
        sys.stdout.write(render_text(history))
    return 0


