"""The export formats: one class per format behind one protocol, and one list of them.

The command line (``--format``), the TUI's export screen and the command palette all read
:data:`EXPORTERS`, so a format added here shows up everywhere under one name. Adding a
format is its renderer module (and template), plus one class and one entry here.

Each class imports its renderer only when it renders: the registry itself is cheap, as
the command line builds its parser from it before it knows which command runs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from readiness.errors import ReadinessError

if TYPE_CHECKING:
    from readiness.catalogue import Catalogue
    from readiness.model import Audit


class Part(StrEnum):
    """Which part of a report: the owner's page, the technician's annex, or both."""

    OWNER = "owner"
    TECHNICIAN = "technician"
    ALL = "all"


class UnknownFormat(ReadinessError):
    """A format name that no exporter answers to."""


class Exporter(Protocol):
    """One output format of an Audit."""

    name: str  # the one name used everywhere ("markdown")
    aliases: tuple[str, ...]  # older spellings still accepted on the command line ("md")
    extension: str  # with the dot: ".md"
    label: str  # for people, short enough for a row of radio buttons: "Markdown"
    description: str  # what it is for, in the palette: "the report, as text"
    has_parts: bool  # whether ``part`` selects anything (the JSON is always the whole audit)
    needs_catalogue: bool

    def render(self, audit: Audit, catalogue: Catalogue | None, part: Part = Part.ALL) -> bytes:
        """The audit in this format; a function of its arguments alone."""
        ...


class MarkdownExporter:
    name = "markdown"
    aliases: tuple[str, ...] = ("md",)
    extension = ".md"
    label = "Markdown"
    description = "the report as text, both parts"
    has_parts = True
    needs_catalogue = True

    def render(self, audit: Audit, catalogue: Catalogue | None, part: Part = Part.ALL) -> bytes:
        # late: Jinja and the audit model add 300 ms to `readiness --version`
        # (the CLI builds its parser from this module)
        from readiness.export.markdown import render_markdown

        return render_markdown(audit, catalogue, part=part).encode()


class HtmlExporter:
    name = "html"
    aliases: tuple[str, ...] = ()
    extension = ".html"
    label = "HTML"
    description = "the report to print or mail: one file, with pictures"
    has_parts = True
    needs_catalogue = True

    def render(self, audit: Audit, catalogue: Catalogue | None, part: Part = Part.ALL) -> bytes:
        # late: Jinja, charts and the audit model add 320 ms to `readiness --version`
        from readiness.export.html import render_html

        return render_html(audit, catalogue, part=part).encode()


class JsonExporter:
    name = "json"
    aliases: tuple[str, ...] = ()
    extension = ".json"
    label = "JSON"
    description = "the whole audit, for tools"
    has_parts = False
    needs_catalogue = False

    def render(self, audit: Audit, catalogue: Catalogue | None, part: Part = Part.ALL) -> bytes:
        # late: the audit model adds 218 ms to `readiness --version`
        from readiness.export.json_export import render_json

        return render_json(audit)


EXPORTERS: tuple[Exporter, ...] = (MarkdownExporter(), HtmlExporter(), JsonExporter())

# Names for several formats at once. "both" is the pair the tool wrote before HTML existed.
SETS: dict[str, tuple[str, ...]] = {
    "both": ("markdown", "json"),
    "all": tuple(e.name for e in EXPORTERS),
}
SET_LABELS = {"both": "Markdown + JSON", "all": "All of them"}


def exporter(name: str) -> Exporter:
    """The exporter called ``name`` or one of its aliases."""
    for e in EXPORTERS:
        if name == e.name or name in e.aliases:
            return e
    raise UnknownFormat(f"unknown format {name!r} (choose from {', '.join(choices())})")


def resolve(choice: str) -> list[Exporter]:
    """The exporters a ``--format`` value stands for: one format, or a set of them."""
    if choice in SETS:
        return [exporter(n) for n in SETS[choice]]
    return [exporter(choice)]


def choices(*, aliases: bool = False) -> list[str]:
    """Every name ``--format`` accepts: formats, then sets (then the old spellings)."""
    names = [e.name for e in EXPORTERS] + list(SETS)
    if aliases:
        names += [a for e in EXPORTERS for a in e.aliases]
    return names


def menu() -> list[tuple[str, str, str]]:
    """(name, label, description) of every format and set, as the export screen and the
    palette offer them."""
    labels = {e.name: e.label for e in EXPORTERS}
    return [(e.name, e.label, e.description) for e in EXPORTERS] + [
        (name, SET_LABELS.get(name, name), " + ".join(labels[m] for m in members))
        for name, members in SETS.items()
    ]


def extensions() -> tuple[str, ...]:
    return tuple(e.extension for e in EXPORTERS)
