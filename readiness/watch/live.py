"""The running watcher of `readiness watch`: its options applied to the config, the database,
metrics and alerts set up, then the loop until stopped (readiness/watch/loop.py)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from readiness.config import load_config
from readiness.errors import ReadinessError
from readiness.watch.alerts import Alerter
from readiness.watch.detector import Event
from readiness.watch.loop import Watcher
from readiness.watch.metrics import Metrics
from readiness.watch.store import WatchStore


def _stderr(message: str) -> None:
    print(f"readiness: {message}", file=sys.stderr, flush=True)


def watch(args: argparse.Namespace, db: Path) -> int:

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

        def show(ev: Event) -> None:
            if not args.quiet:
                _stderr(_event_line(ev))

        watcher = Watcher(config, store, alerter=alerter, metrics=metrics, on_event=show)
        _stderr(f"watching; database {db}")

        asyncio.run(_main(watcher, args.duration))
        for note in watcher.notes:
            _stderr(note)
    finally:
        store.close()
        if metrics is not None:
            metrics.close()
    return 0


async def _main(watcher: Watcher, duration: float | None) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, watcher.stop)
    await watcher.run(duration)


def _event_line(ev: Event) -> str:
    when = datetime.fromtimestamp(ev.start_wall, UTC).strftime("%Y-%m-%d %H:%M:%S")
    state = "started" if ev.open else f"ended after {ev.length_s:.1f} s"
    if ev.kind in ("failover", "failback", "address_change"):
        d = ev.detail
        return f"{when} {ev.kind}: {d.get('from')} -> {d.get('to')} (blackout {d.get('blackout_s')} s)"
    return f"{when} {ev.kind}{' (' + ev.cause + ')' if ev.cause else ''} {state}"
