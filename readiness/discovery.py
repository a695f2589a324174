"""Discovery: run every probe concurrently, each bounded, and assemble the Facts.

Local probes (interfaces, gateways) start at once; the probes that need to know the
gateways (DNS roles, power on the router, WAN) wait for them, the others (path, services,
operations) start immediately. Every probe has its own time limit
(``timeouts.probe_s``) and the whole run has one more (``timeouts.discovery_s``). A probe
that raises, hangs, times out or returns malformed data becomes ``unknown`` with the
reason; the rest still completes.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import platform
import socket
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from readiness.catalogue import Catalogue
from readiness.config import Config
from readiness.model import Endpoint, Facts, ProbeReport, ProbeStatus
from readiness.probes.base import ProbeContext, ProbeOutcome, ProbeProgress
from readiness.probes.registry import specs

ProbeFn = Callable[[ProbeContext], Awaitable[ProbeOutcome[Any]]]

# Derived from the probe specs (readiness/probes/specs/): add a probe there, not here.
_SPECS = specs()
PROBES: list[tuple[str, str]] = [(s.name, s.title) for s in _SPECS]
TITLES = dict(PROBES)
# Which Facts field each probe fills.
FIELDS: dict[str, str] = {s.name: s.field for s in _SPECS}
# Probes that read what these earlier probes found (through ctx.facts).
NEEDS: dict[str, tuple[str, ...]] = {s.name: s.needs for s in _SPECS if s.needs}
# Where each probe lives: module, function.
LOCATIONS: dict[str, tuple[str, str]] = {
    s.name: (s.function.partition(":")[0], s.function.partition(":")[2]) for s in _SPECS
}


def _not_available(name: str, why: str) -> ProbeFn:
    async def probe(ctx: ProbeContext) -> ProbeOutcome[Any]:
        return ProbeOutcome.unknown(f"not available: {why}")

    probe.__name__ = f"probe_{name}_not_available"
    return probe


def load_probe(name: str) -> ProbeFn:
    """Import a probe lazily; a module that is missing or broken yields an 'unknown' stand-in."""
    module_name, func_name = LOCATIONS[name]
    try:
        module = importlib.import_module(module_name)
        fn: ProbeFn = getattr(module, func_name)
    except Exception as exc:  # ImportError, AttributeError, or an error raised at import
        return _not_available(name, f"{module_name}.{func_name} ({type(exc).__name__})")
    return fn


_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    field: TypeAdapter(Facts.model_fields[field].annotation or Any) for field in FIELDS.values()
}


def _report(
    name: str, status: ProbeStatus, reason: str | None, started: float, diag: list[str]
) -> ProbeReport:
    return ProbeReport(
        probe=name,
        status=status,
        reason=reason,
        duration_s=round(time.perf_counter() - started, 3),
        diagnostics=[str(d)[:500] for d in diag][:50],
    )


def _apply(name: str, outcome: object, facts: Facts, started: float) -> tuple[ProbeReport, list[Endpoint]]:
    """Validate a probe's outcome and store its value; malformed output becomes 'unknown'."""
    if not isinstance(outcome, ProbeOutcome):
        return _report(name, ProbeStatus.UNKNOWN, "probe returned malformed data", started, []), []
    field = FIELDS[name]
    try:
        status = ProbeStatus(outcome.status)
        diagnostics = [str(d) for d in (outcome.diagnostics or [])]
        endpoints = [Endpoint.model_validate(e) for e in (outcome.endpoints or [])]
        value = _ADAPTERS[field].validate_python(outcome.value) if outcome.value is not None else None
    except ValidationError as exc:
        # Rendering the errors (str(exc), even exc.errors()) costs seconds for an absurd
        # value (1.2 million errors for a path of NaN round trips), which held the event
        # loop and starved the other probes: past a few errors, only their count.
        count = exc.error_count()
        if count <= 5:
            err = exc.errors(include_url=False, include_input=False)[0]
            first = f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"[:200]
        else:
            first = f"{count:,} values out of range or of the wrong type"
        return _report(name, ProbeStatus.UNKNOWN, f"probe returned malformed data: {first}", started, []), []
    except (ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0][:200]
        return _report(name, ProbeStatus.UNKNOWN, f"probe returned malformed data: {first}", started, []), []
    if value is None and status in (ProbeStatus.OK, ProbeStatus.PARTIAL):
        status = ProbeStatus.UNKNOWN
        reason: str | None = outcome.reason or "probe returned no data"
    else:
        reason = outcome.reason
    setattr(facts, field, value)
    return _report(name, status, reason, started, diagnostics), endpoints


def _notify(on_progress: Callable[[ProbeProgress], None] | None, progress: ProbeProgress) -> None:
    if on_progress is None:
        return
    with contextlib.suppress(Exception):  # a broken progress display must not stop discovery
        on_progress(progress)


def _post_process(facts: Facts) -> None:
    """Cross-probe facts: CGNAT and double NAT need both the WAN identity and the path's hops."""
    if not facts.wan or facts.path is None:
        return
    # late: the WAN probe (httpx, dnspython) adds 130 ms to
    # importing discovery, which the TUI does before a new audit's first frame (its probe list);
    # running the probes loads it anyway.
    from readiness.probes.wan import nat_flags

    for ident in facts.wan:
        cgnat, double_nat = nat_flags(facts.path.hops, facts.gateways, ident.public_ip)
        if ident.cgnat is None:
            ident.cgnat = cgnat
        if ident.double_nat is None:
            ident.double_nat = double_nat


async def discover(
    config: Config,
    *,
    offline: bool = False,
    only: Iterable[str] | None = None,
    base: Facts | None = None,
    on_progress: Callable[[ProbeProgress], None] | None = None,
    declared_services: Iterable[str] = (),
    resolv_conf: Path = Path("/etc/resolv.conf"),
    catalogue: Catalogue | None = None,
    probes: Mapping[str, ProbeFn] | None = None,
) -> Facts:
    """Run the probes (all, or ``only`` some merged into ``base``) and return the Facts.

    ``probes`` replaces probe functions by name (tests inject faulty ones this way).
    """
    selected = [n for n, _ in PROBES if only is None or n in set(only)]
    unknown_names = set(only or ()) - set(TITLES)
    if unknown_names:
        raise ValueError(f"unknown probe(s): {', '.join(sorted(unknown_names))}")
    facts = base.model_copy(deep=True) if base is not None and only is not None else Facts()
    facts.offline = offline
    fns = dict(probes) if probes is not None else {}
    for name in selected:
        fns.setdefault(name, load_probe(name))
    ctx = ProbeContext(
        config=config,
        offline=offline,
        facts=facts,
        catalogue=catalogue,
        resolv_conf=resolv_conf,
        declared_services=frozenset(declared_services),
    )
    probe_limit = config.timeouts.probe_s
    reports: dict[str, ProbeReport] = {}
    endpoints: list[Endpoint] = []
    tasks: dict[str, asyncio.Task[None]] = {}
    began: dict[str, float] = {}

    async def run(name: str) -> None:
        for dep in NEEDS.get(name, ()):
            if dep in tasks:
                await asyncio.wait({tasks[dep]})  # finishes (or is bounded) on its own
        began[name] = started = time.perf_counter()
        _notify(on_progress, ProbeProgress(name, TITLES[name], "running"))
        try:
            outcome: object = await asyncio.wait_for(fns[name](ctx), probe_limit)
        except TimeoutError:
            report = _report(name, ProbeStatus.UNKNOWN, f"no result within {probe_limit:g} s", started, [])
            setattr(facts, FIELDS[name], None)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            reason = " ".join(f"probe failed: {type(exc).__name__}: {exc}".split())[:300]
            report = _report(name, ProbeStatus.UNKNOWN, reason, started, [])
            setattr(facts, FIELDS[name], None)
        else:
            report, found = _apply(name, outcome, facts, started)
            endpoints.extend(found)
        reports[name] = report
        _notify(on_progress, ProbeProgress(name, TITLES[name], "done", report))

    overall_start = time.perf_counter()
    for name in selected:
        tasks[name] = asyncio.create_task(run(name), name=f"probe:{name}")
    _, pending = await asyncio.wait(set(tasks.values()), timeout=config.timeouts.discovery_s)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=1.0)
    limit = config.timeouts.discovery_s
    for name in selected:
        if name not in reports:
            setattr(facts, FIELDS[name], None)
            started = began.get(name, overall_start)
            reports[name] = _report(
                name, ProbeStatus.UNKNOWN, f"discovery time limit ({limit:g} s) reached", started, []
            )
            _notify(on_progress, ProbeProgress(name, TITLES[name], "done", reports[name]))

    _post_process(facts)
    merged_reports = {**(facts.probes if only is not None else {}), **reports}
    facts.probes = {n: merged_reports[n] for n in TITLES if n in merged_reports}
    seen: set[tuple[str, str, str]] = set()
    merged: list[Endpoint] = []
    for ep in [*(facts.endpoints if only is not None else []), *endpoints]:
        key = (ep.kind, ep.target, ep.purpose)
        if key not in seen:
            seen.add(key)
            merged.append(ep)
    facts.endpoints = merged
    facts.collected_at = datetime.now(UTC)
    facts.hostname = socket.gethostname()
    facts.platform = platform.platform()
    return facts


def discover_sync(config: Config, **kwargs: Any) -> Facts:
    """``discover`` for callers without an event loop (the CLI).

    Unlike ``asyncio.run`` this does not wait for worker threads at the end: a blocking call
    that outlived its probe's time limit (a libc name lookup with the DNS dead, say) must not
    hold the result back.
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(discover(config, **kwargs))
    finally:
        try:
            leftovers = asyncio.all_tasks(loop)
            for task in leftovers:
                task.cancel()
            if leftovers:
                loop.run_until_complete(asyncio.wait(leftovers, timeout=1.0))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()  # shuts the default executor down without waiting
