"""Running discovery for the open audit: in a thread worker, probe by probe, cancellable.

The app owns one :class:`DiscoveryControl`; the discovery screen reads its state (each
probe's latest event, whether it runs, the last error) and the palette restarts it.
"""

from __future__ import annotations

import asyncio
import pkgutil
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

import readiness.probes
from readiness.model import Facts
from readiness.probes.base import ProbeProgress
from readiness.tui.idle_import import import_when_idle
from readiness.tui.messages import DiscoveryFinished, ProbeUpdated
from readiness.tui.runner import DiscoverFn, probe_list, real_discover

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp

GROUP = "discovery"


# Stepping stones into the probes' heaviest libraries, imported one by one before the
# probe modules: a key typed while the worker imports shares the interpreter with one step
# at most, and a whole library in one step was up to 61 ms (httpx), 56 ms (pysnmp) and
# 42 ms (dnspython). Each step below is at most ~20 ms (`python -X importtime` after the
# screens' modules, 2026-12-05), in dependency order as importtime lists them. A package's
# own submodules are no steps: importing one runs the package's __init__ first. A name
# that a new release drops is passed over (tests/tui/test_idle_import.py checks them).
STEPPING_STONES: tuple[str, ...] = (
    "dns.name",
    "dns.rdata",
    "dns.edns",
    "dns.rdataset",
    "dns.message",
    "dns.asyncquery",
    "dns.nameserver",
    "dns.asyncresolver",
    "http.client",
    "http.cookiejar",
    "urllib.request",
    "idna",
    "h11",
    "httpcore",
    "click",
    "pygments.lexers",
    "rich.progress",
    "rich.syntax",
    "httpx",
    "netaddr",
    "psutil",
    "pyasn1.type.univ",
    "pyasn1.codec.ber.decoder",
    "pysnmp.proto.rfc1905",
    "pysnmp.proto.rfc3411",
    "pysnmp.proto.mpmod.rfc2576",
    "pysnmp.proto.mpmod.rfc3412",
    "cryptography.exceptions",
    "cryptography.hazmat.primitives.ciphers",
    "pysnmp.proto.secmod.rfc3414",
    "pysnmp.entity.engine",
    "pysnmp.hlapi.v3arch.asyncio",
)


def probe_modules() -> list[str]:
    """Every module of the probes package: what live discovery imports as it runs."""
    package = readiness.probes
    return [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]


class DiscoveryControl:
    def __init__(self, app: ReadinessApp, discover: DiscoverFn | None) -> None:
        self.app = app
        self._discover = discover  # None: the real probes (or the replay given to the app)
        # Whether the worker first imports the probes' modules: live discovery imports their
        # libraries (pysnmp, httpx, dnspython...: ~180 ms) in its thread, which slowed a
        # screen built meanwhile by up to half, so it does so first, in idle moments
        # (idle_import.py). A replay needs none of them (the TUI bench turns it on for its
        # replays, so that they cost the UI what a live discovery costs it).
        self.import_probes = discover is None
        self.probe_events: dict[str, ProbeProgress] = {}
        self.running = False
        self.error: str | None = None

    def run(self, only: Sequence[str] | None = None) -> None:
        """Start (or restart) discovery in a worker; the screens stay responsive."""
        app = self.app
        if app.session is None:
            return
        discover = self._discover or real_discover()
        self.running = True
        self.error = None
        for name, title in probe_list(app.session.audit.facts):
            if only is None or name in only:
                self.probe_events[name] = ProbeProgress(name, title, "waiting")
        base = app.session.audit.facts.model_copy(deep=True)
        work = partial(self._work, discover, list(only) if only is not None else None, base)
        # Started once the screen is drawn: the probes' imports and first steps run in a
        # thread that holds the interpreter lock the first frame needs too (a new audit's
        # first frame: 0.76 s with the worker started at once, measured by `bench tui`).
        app.call_after_refresh(
            app.run_worker, work, thread=True, exclusive=True, group=GROUP, exit_on_error=False
        )
        app.refresh_views()

    def _work(self, discover: DiscoverFn, only: list[str] | None, base: Facts) -> None:
        """The worker thread: runs discovery on its own loop, posting each probe's progress."""
        app = self.app
        worker = get_current_worker()

        def progress(p: ProbeProgress) -> None:
            if not worker.is_cancelled:
                app.post_message(ProbeUpdated(p))

        if self.import_probes and not self._import_politely(worker):
            return

        async def run() -> Facts | None:
            task = asyncio.ensure_future(
                discover(
                    app.config,
                    offline=app.offline,
                    only=only,
                    base=base if only is not None else None,
                    on_progress=progress,
                    declared_services=tuple(app.config.services),
                )
            )
            while not task.done():
                if worker.is_cancelled:
                    task.cancel()
                    return None
                await asyncio.wait({task}, timeout=0.1)
            return task.result()

        try:
            facts = asyncio.run(run())
        except Exception as exc:
            app.post_message(DiscoveryFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        app.post_message(DiscoveryFinished(facts, cancelled=facts is None))

    def _import_politely(self, worker: Worker[None]) -> bool:
        """Import the probes' modules in idle moments; False when the worker was cancelled."""
        heap = self.app.heap
        # Every one optional: a probe whose library is missing or broken is reported by
        # discovery (load_probe: 'unknown', and why), not by a crash of this worker.
        modules = [*STEPPING_STONES, *probe_modules()]
        return import_when_idle(
            modules, heap.seconds_since_input, lambda: worker.is_cancelled, optional=modules
        )

    def probe_updated(self, message: ProbeUpdated) -> None:
        self.probe_events[message.event.name] = message.event
        self.app.refresh_views()

    def finished(self, message: DiscoveryFinished) -> None:
        app = self.app
        self.running = False
        if message.error:
            self.error = message.error
            app.notify(message.error, title="Discovery failed", severity="error")
        if message.facts is not None and app.session is not None:
            app.session.set_facts(message.facts)
            app.notify("Discovery finished; the checklist is pre-filled where a fact could tell.")
        app.refresh_views()

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """A worker that died unexpectedly must not leave the screen saying 'running'."""
        worker = event.worker
        if worker.group == GROUP and worker.is_finished and self.running and worker.error:
            self.app.post_message(DiscoveryFinished(None, str(worker.error)))
