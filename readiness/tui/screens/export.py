"""Export: the report (Markdown, printable HTML) and/or the audit itself (JSON), optionally redacted.

The formats offered are the exporters' registry (readiness/export/formats.py): one format,
or a set of them ("both", "all").
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from readiness.errors import ReadinessError
from readiness.export.formats import exporter, extensions, menu, resolve
from readiness.export.outputs import default_stem
from readiness.export.write import write_all
from readiness.model import Audit
from readiness.tui.screens.base import AuditScreen
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine

Format = str  # an exporter's name or a set's name (readiness/export/formats.py)
FORMATS: list[tuple[Format, str]] = [(name, label) for name, label, _ in menu()]
DEFAULT_FORMAT = "all"


def default_base(audit: Audit) -> str:
    """The same name `readiness report` uses, relative to where the app was started."""
    return default_stem(audit)


def targets(base: Path, fmt: Format) -> list[tuple[Format, Path]]:
    """The files an export writes for ``base`` (an extension typed by the user is dropped)."""
    if base.suffix.lower() in extensions():
        base = base.with_suffix("")
    return [(e.name, base.with_name(base.name + e.extension)) for e in resolve(fmt)]


class ExportScreen(AuditScreen):
    CSS_PATH = "export.tcss"
    _pending: Format | None = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", "Write files", id="export.write", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        with Vertical(id="export-form"):
            yield Label("Format", classes="field-label")
            with RadioSet(id="format"):
                for i, (_, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=FORMATS[i][0] == DEFAULT_FORMAT)
            yield Label("Where (folder and name, without extension)", classes="field-label")
            yield Input(id="path")
            yield Checkbox("Redact for sharing: addresses, names, phones, contracts", id="redact")
            yield Button("Export", id="export", variant="primary")
            yield Static(id="written")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#path", Input).value = default_base(self.session.audit)
        self.ready()
        if self._pending is not None:
            self.request_export(self._pending)
            self._pending = None

    def set_format(self, fmt: Format) -> None:
        index = [f for f, _ in FORMATS].index(fmt)
        buttons = list(self.query_one("#format", RadioSet).query(RadioButton))
        buttons[index].value = True

    def selected_format(self) -> Format:
        index = self.query_one("#format", RadioSet).pressed_index
        return FORMATS[index][0] if index >= 0 else DEFAULT_FORMAT

    def request_export(self, fmt: Format) -> None:
        """Export in ``fmt`` now, or as soon as the screen is built (palette entries)."""
        if not self._ready:
            self._pending = fmt
            return
        self.set_format(fmt)
        self.action_export(fmt)

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#path")
    def _export_pressed(self) -> None:
        self.action_export()

    def action_export(self, fmt: Format | None = None) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.notify("Say where to write the report.", severity="warning")
            return
        written = self.export(
            Path(raw).expanduser(), fmt or self.selected_format(), self.query_one("#redact", Checkbox).value
        )
        if written:
            self.notify("\n".join(str(p) for p in written), title="Written")

    def export(self, base: Path, fmt: Format, redacted: bool) -> list[Path]:
        """Render and write the files; show what was written (or why not)."""
        # late: redaction adds 14 ms to the first frame
        from readiness.export.redact import redact

        session = self.session
        audit = redact(session.audit, session.catalogue) if redacted else session.audit
        if redacted and base.name == default_base(session.audit):  # the offered name names the office
            base = base.with_name(default_stem(audit))
        outputs: list[tuple[Path, bytes]] = []
        out = self.query_one("#written", Static)
        try:
            for kind, path in targets(base, fmt):
                outputs.append((path, exporter(kind).render(audit, session.catalogue)))
            written = write_all(outputs)  # owner-only, as the headless exports
        except (ReadinessError, OSError) as exc:
            out.update(Text(f"Nothing written: {exc}", style="bold red"))
            return []
        text = Text("Written" + (" (redacted)" if redacted else "") + ":\n", style="bold green")
        for p in written:
            text.append(f"  {p.resolve()}\n", style="")
        out.update(text)
        return written
