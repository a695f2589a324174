"""Start: a new audit, or resume one of the saved ones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Input, Label, Static
from textual.worker import get_current_worker

from readiness.errors import InputError, NotParseable, ReadinessError
from readiness.files import parse_json_object, read_bytes
from readiness.judgement.progress import progress
from readiness.model import Audit
from readiness.store import keep_aside, list_saved, load_or_keep_aside
from readiness.tui.keymap import live_rows
from readiness.tui.widgets.fitted_table import FittedTable
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.status import score_brief

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp


def saved_rows(folder: Path) -> list[tuple[Path, Audit | None, str | None]]:
    """Saved audits, newest first; ones that cannot be parsed at all are moved aside, and
    every one that cannot be opened is listed with why. A file that parses but is refused
    (a newer version's, a field out of range) stays where it is, untouched."""
    rows: list[tuple[Path, Audit | None, str | None]] = []
    for path, audit, error in list_saved(folder):
        if audit is None and not _parses(path):
            try:
                aside = keep_aside(path)
                error = f"{error} (kept aside as {aside.name})"
                path = aside
            except OSError as exc:
                error = f"{error} (could not move it aside: {exc})"
        rows.append((path, audit, error))
    for path in sorted(folder.glob("*.json.corrupt-*")):
        if all(p != path for p, _, _ in rows):
            rows.append((path, None, "unreadable, kept aside"))
    return rows


def _parses(path: Path) -> bool:
    """True unless ``path`` is not a JSON object at all (or has gone meanwhile)."""
    try:
        parse_json_object(read_bytes(path), path, "an audit")
    except NotParseable:
        return False
    except InputError:
        return not path.exists()
    return True


SAVED_COLUMNS = ("Site", "Score", "Progress", "Started")  # the most telling first


class StartScreen(Screen[None]):
    CSS_PATH = "start.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "focus_new", "New audit", id="start.new"),
        Binding("ctrl+o", "focus_saved", "Saved audits", id="start.saved"),
    ]

    def __init__(self) -> None:
        super().__init__(id="start")
        self._rows: dict[str, tuple[Path, Audit | None, str | None]] = {}
        self._cells: dict[str, tuple[Text, ...]] = {}  # each row's cells, said again in full below
        self.saved_read = False  # the saved audits are listed (they are read in a thread)

    @property
    def rapp(self) -> ReadinessApp:
        return cast("ReadinessApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="start-body"):
            # Scrolls: at 80x24 the button is below the fold, and Tab must bring it in view.
            with VerticalScroll(id="new-audit"):
                yield Label("New audit", classes="title")
                yield Static(
                    "Who and where: the rest is discovered or asked as you go. Enter starts the audit.",
                    classes="help",
                )
                yield Label("Site name")
                yield Input(placeholder="e.g. Dental practice, Main Street", id="site")
                yield Label("Technician (optional)")
                yield Input(placeholder="your name", id="technician")
                yield Label("Kind of business (optional)")
                yield Input(placeholder="e.g. clinic, shop, office", id="profile")
                yield Button("Start the audit", id="start-audit", variant="primary")
            with Vertical(id="saved"):
                yield Label("Saved audits", classes="title")
                yield FittedTable(*SAVED_COLUMNS, title=0, min_title=12, id="saved-table", zebra_stripes=True)
                yield Static("", id="saved-hint", classes="help")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#site", Input).focus()
        self.query_one("#saved-hint", Static).update("Reading the saved audits…")
        # In a thread, after the first frame: each saved audit is read and validated, a
        # few milliseconds each, but tens of milliseconds for one with a long drill, and a
        # thread that parses holds the interpreter lock the first frame needs too.
        self.call_after_refresh(self._read_saved_later)

    def _read_saved_later(self) -> None:
        self.run_worker(self._read_saved, thread=True, exclusive=True, group="saved-audits")

    def _read_saved(self) -> None:
        found = saved_rows(self.rapp.data_dir)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_saved, found)

    def _show_saved(self, found: list[tuple[Path, Audit | None, str | None]]) -> None:
        if not self.is_attached:
            return  # an audit was opened meanwhile and this screen is gone
        catalogue = self.rapp.catalogue
        rows: list[tuple[tuple[Text, ...], str | None]] = []
        for path, audit, error in found:
            key = str(path)
            self._rows[key] = (path, audit, error)
            if audit is None:  # why is said below the table when highlighted: it is long
                cells = (Text(path.name, style="red"), Text("unreadable", style="red"), Text(""), Text(""))
            else:
                done = progress(audit, catalogue)
                cells = (
                    Text(audit.site.name, style="bold"),
                    Text(score_brief(audit.score) or "—"),
                    Text(f"{done.answered}/{done.questions}"),
                    Text(audit.started_at.strftime("%Y-%m-%d %H:%M")),
                )
            self._cells[key] = cells
            rows.append((cells, key))
        self.query_one("#saved-table", FittedTable).set_rows(rows)
        self.saved_read = True
        self._describe(next(iter(self._rows), None))

    @on(DataTable.RowHighlighted, "#saved-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.row_key.value)

    def _describe(self, key: str | None) -> None:
        """The highlighted audit in full, below the table: at 80 columns the table has
        room for the site, score and progress only."""
        hint = self.query_one("#saved-hint", Static)
        if key is None or key not in self._rows:
            hint.update("No saved audits yet." if not self._rows else "")
            return
        path, audit, error = self._rows[key]
        if audit is None:
            hint.update(Text(f"{path.name}: {error or 'unreadable'}", style="red"))
            return
        site, score, done, started = (cell.plain for cell in self._cells[key])
        hint.update(
            f"{site}, started {started}: answered {done}, score {score}."
            # In the site field Enter starts a new audit: say how to get to the list.
            f" Enter in this list ({self._key_to_list()}) resumes it."
        )

    def _key_to_list(self) -> str:
        """The key that focuses the saved audits, as the footer shows it (keymap applied)."""
        return next((keys for keys, _, bid in live_rows(self.app, [self]) if bid == "start.saved"), "")

    def action_focus_new(self) -> None:
        self.query_one("#site", Input).focus()

    def action_focus_saved(self) -> None:
        self.query_one("#saved-table", DataTable).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start-audit")
    def _start(self) -> None:
        site = self.query_one("#site", Input).value.strip()
        if not site:
            self.notify("Give the site a name first.", severity="warning")
            self.query_one("#site", Input).focus()
            return
        technician = self.query_one("#technician", Input).value.strip() or None
        profile = self.query_one("#profile", Input).value.strip() or None
        self.rapp.start_new(site, technician, profile)

    @on(DataTable.RowSelected, "#saved-table")
    def _resume(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None or key not in self._rows:
            return
        path, audit, error = self._rows[key]
        if audit is None:
            self.notify(error or "unreadable", title="Cannot resume this file", severity="error")
            return
        try:
            audit = load_or_keep_aside(path)  # read again: it may have changed since listed
        except ReadinessError as exc:
            self.notify(str(exc), title="Cannot resume this file", severity="error")
            return
        self.rapp.open_audit(audit, path, fresh=False)
