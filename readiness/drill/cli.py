"""``readiness drill``: the failover or power drill in a plain terminal, or unattended.

Interactive: prompts go to stderr and Enter confirms each step; Ctrl-C ends the drill
cleanly and still writes what was recorded. Unattended (``--unattended``): no prompts; the
drill waits for the outage and the return by itself. SIGTERM ends it like Ctrl-C.
Exit code: 0 when the drill ran to its end, 130 when it was interrupted (result written).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import queue
import select
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from readiness.config import Config, load_config
from readiness.drill.analysis import tolerance_minutes_from_answers
from readiness.drill.chart import text_timeline
from readiness.drill.power_drill import UpsSampler, find_ups, parse_ups_target
from readiness.drill.session import DrillListener, DrillSession, DrillStatus, Phase, PhaseChange
from readiness.errors import InputError
from readiness.model.drill import DrillEvent, DrillResult
from readiness.probes.linux_routes import read_default_routes
from readiness.store import load_audit, save_audit, write_atomic

EXIT_OK = 0
EXIT_INTERRUPTED = 130

EVENT_WORDS = {
    "baseline_done": "baseline",
    "cut_requested": "cut requested",
    "first_loss": "connection lost",
    "loss": "connection lost again",
    "recovered": "connection back",
    "address_changed": "public address changed (failover)",
    "failback": "back on the primary's address",
    "restore_requested": "restore requested",
    "on_battery": "UPS on battery",
    "on_line": "UPS back on mains",
    "ups_status": "UPS status",
    "aborted": "stopped",
    "time_limit": "time limit reached",
}


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``drill`` subcommand to ``readiness``'s subparsers."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "drill",
        help="run a live failover or power drill",
        description="Watch the connection every 100 ms while the primary line (or the UPS's mains) "
        "is cut and restored; record the blackout, the failover and the return. Sends only small "
        "probes to the configured endpoints and never changes this machine's network settings.",
    )
    p.add_argument("--unattended", action="store_true", help="no prompts: wait for the outage and the return")
    p.add_argument("--max-duration", type=float, metavar="SECONDS", help="stop after this long (default 600)")
    p.add_argument("--power", action="store_true", help="power drill: watch the UPS (NUT) go on battery")
    p.add_argument("--ups", metavar="UPS@HOST[:PORT]", help="the NUT UPS to watch (default: the first found)")
    p.add_argument("--config", type=Path, metavar="FILE", help="config file (endpoints, drill settings)")
    p.add_argument(
        "--tolerance-minutes",
        type=float,
        metavar="N",
        help="the office's tolerable outage (default: the audit's answer, with --audit)",
    )
    p.add_argument("--audit", type=Path, metavar="AUDIT.json", help="append the result to this saved audit")
    p.add_argument("--technician", metavar="NAME", help="who ran the drill")
    p.add_argument("-o", "--output", type=Path, metavar="RESULT.json", help="write the result JSON here")
    p.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    return p


class _TermListener(DrillListener):
    """Hands phase changes to the main thread and prints events as lines on stderr."""

    def __init__(self, out: TextIO, quiet: bool) -> None:
        self.out = out
        self.quiet = quiet
        self.phases: queue.Queue[PhaseChange] = queue.Queue()
        self._last_status = 0.0
        self._tty = out.isatty()

    def on_phase(self, change: PhaseChange) -> None:
        self.phases.put(change)

    def on_event(self, event: DrillEvent) -> None:
        if self.quiet or event.kind == "phase":
            return
        words = EVENT_WORDS.get(event.kind, event.kind)
        detail = f": {event.detail}" if event.detail else ""
        self._line(f"{event.t:8.1f} s  {words}{detail}")

    def on_status(self, status: DrillStatus) -> None:
        if self.quiet or not self._tty or status.t - self._last_status < 1.0:
            return
        self._last_status = status.t
        state = {True: "up", False: "DOWN", None: "?"}[status.connected]
        rtt = f"{status.rtt_ms:.0f} ms" if status.rtt_ms is not None else "-"
        out = f"  {status.outage_s:.1f} s" if status.outage_s is not None else ""
        self.out.write(
            f"\r{status.t:8.1f} s  {state}{out}  {status.line} {status.public_ip or ''}  rtt {rtt}  "
            f"probes {status.probes_sent}\x1b[K"
        )
        self.out.flush()

    def _line(self, text: str) -> None:
        self.out.write(("\r\x1b[K" if self._tty else "") + text + "\n")
        self.out.flush()


def _ups_candidates(config: Config, explicit: str | None) -> tuple[list[str], str | None]:
    if explicit:
        try:
            host, name = parse_ups_target(explicit)
        except ValueError as exc:
            raise InputError(None, "--ups", f"not UPS@HOST[:PORT]: {explicit}") from exc
        return [host], name
    hosts = [*list(config.power.nut_hosts), "127.0.0.1"]
    if config.power.try_gateway:
        hosts += [r.gateway for r in read_default_routes() or [] if r.gateway and r.family == 4]
    return hosts, None


def _power_sampler(config: Config, explicit: str | None) -> tuple[Any, str]:
    hosts, name = _ups_candidates(config, explicit)
    if name is not None:
        return UpsSampler(hosts[0], name), f"{name}@{hosts[0]}"
    found = asyncio.run(find_ups(hosts))
    if found is None:
        raise InputError(None, "--power", "no UPS answered through NUT at " + ", ".join(hosts))
    return UpsSampler(found[0], found[1]), f"{found[1]}@{found[0]}"


def run(args: argparse.Namespace) -> int:
    """Run the drill the arguments describe; write and print its result."""
    config = load_config(args.config)
    if args.max_duration is not None and not 0 < args.max_duration <= 3600:
        raise InputError(None, "--max-duration", "must be between 0 and 3600 seconds")
    audit = None
    if args.audit is not None:
        audit = load_audit(args.audit)  # fail before the drill, not after it
    tolerance = args.tolerance_minutes
    if tolerance is None and audit is not None:
        tolerance = tolerance_minutes_from_answers(audit.answers)
    extra = []
    err = sys.stderr
    if args.power:
        sampler, label = _power_sampler(config, args.ups)
        extra.append(sampler)
        err.write(f"Watching UPS {label}.\n")
    listener = _TermListener(err, args.quiet)
    session = DrillSession(
        config,
        kind="power" if args.power else "failover",
        unattended=args.unattended,
        tolerance_minutes=tolerance,
        listener=listener,
        technician=args.technician or (audit.technician if audit else None),
        max_duration_s=args.max_duration,
        extra_samplers=extra,
    )
    result, interrupted = _drive(session, listener, interactive=not args.unattended)
    _save(result, args.output, args.audit)
    _print_summary(result, err)
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _drive(session: DrillSession, listener: _TermListener, *, interactive: bool) -> tuple[DrillResult, bool]:
    """Run the session in a thread; the main thread prompts, reads Enter and catches Ctrl-C."""
    box: dict[str, DrillResult | BaseException] = {}

    def work() -> None:
        try:
            box["result"] = session.run()
        except BaseException as exc:  # handed to the main thread, re-raised there
            box["error"] = exc

    # Ctrl-C and SIGTERM only set a flag, which the loop below acts on. A KeyboardInterrupt
    # raised in the middle of the loop could land between a lock's acquire and the code that
    # releases it (the session's lock, read for its phase), and abort() then waited for that
    # lock for ever: a drill that ignored Ctrl-C, seen twice in whole-suite runs under load.
    interrupted = threading.Event()
    reasons = {signal.SIGINT: "stopped with Ctrl-C", signal.SIGTERM: "stopped by a signal"}
    why: list[str] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        why.append(reasons.get(signal.Signals(signum), "stopped by a signal"))
        interrupted.set()

    old: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        # A signal the drill was started with ignored (a background job's SIGINT) stays so.
        heard = [sig for sig in reasons if signal.getsignal(sig) is not signal.SIG_IGN]
        old = {sig: signal.signal(sig, on_signal) for sig in heard}
    worker = threading.Thread(target=work, name="readiness-drill", daemon=True)
    worker.start()
    waiting: PhaseChange | None = None
    try:
        while worker.is_alive():
            if interrupted.is_set():
                session.abort(why[0] if why else "stopped by a signal")
                worker.join()
                break
            with contextlib.suppress(queue.Empty):
                change = listener.phases.get(timeout=0.1)
                waiting = _show_phase(change, listener, interactive)
            if waiting is not None and waiting.phase == session.phase and _enter_pressed():
                session.confirm(waiting.phase)
                waiting = None
    except KeyboardInterrupt:
        interrupted.set()
        session.abort("stopped with Ctrl-C")
        worker.join()
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    worker.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    result = box["result"]
    assert isinstance(result, DrillResult)
    return result, interrupted.is_set()


def _show_phase(change: PhaseChange, listener: _TermListener, interactive: bool) -> PhaseChange | None:
    if change.phase in (Phase.STARTING, Phase.DONE) or (listener.quiet and not change.needs_confirm):
        return None
    if change.prompt:
        hint = "  [Enter when done, Ctrl-C to stop]" if change.needs_confirm and interactive else ""
        listener._line(f"\n>>> {change.prompt}{hint}")
    return change if change.needs_confirm and interactive else None


def _enter_pressed() -> bool:
    """A line was typed on stdin (non-blocking). False when stdin is closed or not readable."""
    try:
        ready, _, _ = select.select([sys.stdin], [], [], 0.1)
    except (OSError, ValueError):
        return False
    if not ready:
        return False
    line = sys.stdin.readline()
    return line != ""


def _save(result: DrillResult, output: Path | None, audit_path: Path | None) -> None:
    data = (result.model_dump_json(indent=2) + "\n").encode()
    if output is not None:
        write_atomic(output, data)
    if audit_path is not None:
        audit = load_audit(audit_path)
        audit.drills.append(result)
        audit.updated_at = datetime.now(UTC)
        save_audit(audit, audit_path)
    if output is None and audit_path is None:
        sys.stdout.write(data.decode())


def _print_summary(result: DrillResult, out: TextIO) -> None:
    def s(x: float | None) -> str:
        return f"{x:.2f} s" if x is not None else "-"

    lines = [
        "",
        f"Drill {result.id} ({result.kind}): {result.outcome.value}",
        result.summary or "",
    ]
    if result.kind == "failover":
        p, b = result.primary, result.backup
        lines += [
            f"  blackout {s(result.blackout_s)}   failover {s(result.failover_s)}   "
            f"failback {s(result.failback_s)}   first loss {s(result.time_to_first_loss_s)}",
            f"  primary {_wan(p)}",
            f"  backup  {_wan(b)}" + ("   (same provider)" if result.same_provider else ""),
        ]
    else:
        lines.append(f"  UPS statuses: {', '.join(result.ups_status_seen) or '-'}")
        if result.ups_runtime_left_s is not None:
            lines.append(f"  runtime left on battery: {result.ups_runtime_left_s / 60:.1f} min")
    lines += [f"  probes sent: {result.probes_sent}", "", text_timeline(result), ""]
    out.write("\n".join(lines) + "\n")
    out.flush()


def _wan(w: Any) -> str:
    if w is None:
        return "-"
    asn = f"AS{w.asn}" if w.asn is not None else "AS?"
    name = f" {w.as_name}" if w.as_name else ""
    return f"{w.public_ip or '?'} {asn}{name}"
