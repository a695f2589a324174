"""Waive a check: a reason and an expiry date, both required."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


@dataclass(frozen=True)
class WaiverInput:
    reason: str
    expires: date


class WaiverDialog(ModalScreen[WaiverInput | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="waiver.cancel"),
    ]

    def __init__(self, check_id: str, title: str, default_expiry: date) -> None:
        super().__init__()
        self.check_id = check_id
        self.check_title = title
        self.default_expiry = default_expiry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Waive {self.check_id}", classes="dialog-title")
            yield Static(
                f"{self.check_title}\nA waived check is left out of the score until the date below. "
                "Say why it is accepted as it is.",
                classes="dialog-body",
            )
            yield Label("Why it is accepted")
            yield Input(placeholder="reason (required)", id="reason")
            yield Label("Waived until (YYYY-MM-DD)")  # pre-filled: without a label, a bare date
            yield Input(self.default_expiry.isoformat(), placeholder="expires YYYY-MM-DD", id="expires")
            yield Static("", id="waiver-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Waive", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._ok()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        raw = self.query_one("#expires", Input).value.strip()
        error = self.query_one("#waiver-error", Static)
        if not reason:
            error.update("A reason is required.")
            self.query_one("#reason", Input).focus()
            return
        try:
            expires = date.fromisoformat(raw)
        except ValueError:
            error.update("The expiry must be a date like 2026-12-31.")
            self.query_one("#expires", Input).focus()
            return
        self.dismiss(WaiverInput(reason, expires))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
