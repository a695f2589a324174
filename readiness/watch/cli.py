"""`readiness watch`: run the watcher, summarise its database, or install its unit."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from readiness.errors import InputError, ReadinessError


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
    from readiness.watch import unit
    from readiness.watch.store import default_db_path

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
    return _watch(args, db)


def _summary(args: argparse.Namespace, db: Path) -> int:
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


def _stop_before_the_loop(signum: int, frame: object) -> None:
    """SIGTERM while starting (systemd stopping a unit that just started): a clean exit."""
    raise SystemExit(0)


def _watch(args: argparse.Namespace, db: Path) -> int:
    import signal

    # Until the loop's own handler is in place, a stop request ends the start-up cleanly.
    signal.signal(signal.SIGTERM, _stop_before_the_loop)
    from readiness.config import load_config
    from readiness.watch.alerts import Alerter
    from readiness.watch.loop import Watcher
    from readiness.watch.metrics import Metrics
    from readiness.watch.store import WatchStore

    config = load_config(args.config)
    w = config.watch
    updates = {
        "alert_command": args.alert_command or w.alert_command,
        "webhook_url": args.webhook or w.webhook_url,
        "metrics_port": args.metrics if args.metrics is not None else w.metrics_port,
        "metrics_address": args.metrics_address or w.metrics_address,
        "textfile": args.textfile or w.textfile,
    }
    config = config.model_copy(update={"watch": w.model_copy(update=updates)})
    w = config.watch
    store = WatchStore.open(db)
    if store.moved_aside:
        _stderr(store.moved_aside)
    metrics: Metrics | None = None
    try:
        if w.metrics_port is not None or w.textfile:
            metrics = Metrics(w.textfile)
            if w.metrics_port is not None:
                try:
                    metrics.serve(w.metrics_port, w.metrics_address)
                except OSError as exc:
                    raise ReadinessError(
                        f"--metrics {w.metrics_port}: cannot listen on {w.metrics_address}: "
                        f"{exc.strerror or exc}"
                    ) from exc
        alerter = Alerter(command=w.alert_command, webhook=w.webhook_url, timeout_s=w.alert_timeout_s)

        def show(ev: object) -> None:
            if not args.quiet:
                _stderr(_event_line(ev))

        watcher = Watcher(config, store, alerter=alerter, metrics=metrics, on_event=show)
        _stderr(f"watching; database {db}")
        import asyncio

        asyncio.run(_main(watcher, args.duration))
        for note in watcher.notes:
            _stderr(note)
    finally:
        store.close()
        if metrics is not None:
            metrics.close()
    return 0


async def _main(watcher: object, duration: float | None) -> None:
    import asyncio
    import signal

    from readiness.watch.loop import Watcher

    assert isinstance(watcher, Watcher)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, watcher.stop)
    await watcher.run(duration)


def _event_line(ev: object) -> str:
    from datetime import UTC, datetime

    from readiness.watch.detector import Event

    assert isinstance(ev, Event)
    when = datetime.fromtimestamp(ev.start_wall, UTC).strftime("%Y-%m-%d %H:%M:%S")
    state = "started" if ev.open else f"ended after {ev.length_s:.1f} s"
    if ev.kind in ("failover", "failback", "address_change"):
        d = ev.detail
        return f"{when} {ev.kind}: {d.get('from')} -> {d.get('to')} (blackout {d.get('blackout_s')} s)"
    return f"{when} {ev.kind}{' (' + ev.cause + ')' if ev.cause else ''} {state}"
