"""What the rest of the app needs to know about a probe, in one place: its spec.

A probe is two modules: ``readiness/probes/<name>.py`` (the work: ``async def
probe_<name>(ctx)``) and ``readiness/probes/specs/<name>_spec.py`` (a ``SPEC``: names, what it
needs, its TUI view, its report section in Markdown and in HTML, the endpoints it may
contact, what ``--redact`` masks), plus its facts type in ``readiness/model/facts.py``.
Discovery, the TUI's discovery screen, the Markdown and HTML reports, the README's endpoint
table and redaction all read the specs
(``readiness.probes.registry``), so nothing else changes when a probe is added.

Spec modules stay light (the model and ``rich.text`` only): the TUI and the report read them
without importing a probe's network libraries, which are loaded when discovery runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

    from readiness.model import Facts


@dataclass(frozen=True)
class EndpointDoc:
    """One row of the README's and the methodology's "every endpoint it contacts" table."""

    endpoint: str
    protocol: str
    why: str
    offline: str  # what happens with --offline: "yes (local)", "no", or the nuance


@dataclass(frozen=True)
class ProbeSpec:
    name: str  # the probe's id: facts.probes[name], --only, the fault matrix
    title: str  # shown while discovery runs ("Network interfaces")
    field: str  # the Facts field it fills
    function: str  # "module:function", imported only when discovery runs the probe
    order: int  # place in discovery's progress, the TUI and the report (10, 20, ...)
    needs: tuple[str, ...] = ()  # probes whose facts it reads through ctx.facts
    view_title: str = ""  # the TUI's discovery panel heading
    # The panel's body: None when the facts are unknown (the panel then shows the reason).
    view: Callable[[Facts], Text | None] | None = None
    # The report's section (Jinja, Markdown): heading and body, with ``facts`` and
    # ``unknown_reason`` (by field) in scope; see reports/report.md.j2.
    report: str = ""
    # The same section for the HTML report (Jinja, HTML, autoescaped), with the same names in
    # scope; see reports/html/annex.html.j2. Tables have ``<th scope="col">`` headers.
    report_html: str = ""
    endpoints: tuple[EndpointDoc, ...] = ()
    # What --redact masks beyond public addresses and MACs (which it masks everywhere):
    # (token kind, path inside this probe's facts; "*" for each element of a list).
    redact: tuple[tuple[str, tuple[str, ...]], ...] = ()
