"""The checklist: categories and checks with their state, and one check at a time in detail."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import Button, Input, Label, ProgressBar, Tree
from textual.widgets.tree import TreeNode

from readiness.catalogue import Check
from readiness.export.format import evidence_words, lacking_words
from readiness.judgement.progress import UNANSWERED, check_state
from readiness.tui.dialogs.confirm import ConfirmDialog
from readiness.tui.dialogs.waiver import WaiverDialog, WaiverInput
from readiness.tui.screens.base import AuditScreen
from readiness.tui.states import STATE_STYLE
from readiness.tui.widgets.answer import DEBOUNCE_S, AnswerField
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine
from readiness.tui.widgets.text_block import TextBlock


def state_text(state: str) -> Text:
    mark, words, style = STATE_STYLE[state]
    return Text(f"{mark} {words}", style=style)


class ChecklistScreen(AuditScreen):
    CSS_PATH: ClassVar = ["checklist.tcss", "../widgets/answer.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "accept", "Accept suggested", id="checklist.accept"),
        Binding("w", "waive", "Waive", id="checklist.waive"),
        Binding("n", "note", "Note", id="checklist.note"),
        Binding("u", "next_open", "Next open", id="checklist.next_open"),
        Binding("escape", "focus_list", "List", id="checklist.list", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current: str | None = None
        self._note_timer: Timer | None = None
        self._states: dict[str, str] = {}  # what each tree label shows now
        self._detail_timer: Timer | None = None
        self._cursor_to: TreeNode[str] | None = None  # where the cursor goes once shown

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="checklist-body"):
            tree: Tree[str] = Tree("Checklist", id="checks")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with VerticalScroll(id="detail"):
                yield TextBlock("", id="check-title")
                yield TextBlock("", id="check-state")
                yield TextBlock("", id="check-why", classes="section")
                yield TextBlock("", id="check-evidence", classes="section")
                yield Vertical(id="questions")
                yield Label("Note", classes="section-label")
                yield Input(placeholder="a note for this check (saved as you type)", id="note")
                with Horizontal(id="waive-row"):
                    yield TextBlock("", id="waiver-text")
                    yield Button("Waive…", id="waive", compact=True)
                    yield Button("Remove waiver", id="unwaive", compact=True)
        yield KeyFooter()

    async def on_mount(self) -> None:
        tree: Tree[str] = self.query_one("#checks", Tree)
        catalogue = self.session.catalogue
        for cat in catalogue.categories:
            checks = self.session.checks_in(cat.id)
            if not checks:
                continue
            node = tree.root.add(cat.title, data=f"cat:{cat.id}", expand=True)
            for check in checks:
                node.add_leaf(check.id, data=check.id)
        first = next((c.id for c in catalogue.checks), None)
        # The first check's questions are mounted before the screen counts as built, so
        # that its first show lays out and draws them with the rest, not in a second
        # frame after it.
        if first is not None and (mounting := self.select_check(first)) is not None:
            await mounting
        self.ready()

    # -- list --------------------------------------------------------------------
    def redraw(self) -> None:
        super().redraw()
        session = self.session
        p = session.progress()
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(p.questions, 1), progress=p.answered)
        tree: Tree[str] = self.query_one("#checks", Tree)
        for cat_node in tree.root.children:
            done = 0
            for leaf in cat_node.children:
                check = session.catalogue.check(str(leaf.data))
                state = check_state(session.audit, check)
                done += state != UNANSWERED
                if self._states.get(check.id) != state:  # relabel only what changed
                    self._states[check.id] = state
                    mark, _, style = STATE_STYLE[state]
                    leaf.set_label(Text.assemble((mark, style), " ", (check.id, "bold"), " ", check.title))
            category = str(cat_node.data).removeprefix("cat:")
            count = f"{done}/{len(cat_node.children)}"
            if self._states.get(category) != count:
                self._states[category] = count
                title = session.catalogue.category_title(category)
                cat_node.set_label(Text.assemble((title, "bold"), (f"  {count}", "dim")))
        if self.current is not None:
            self._show_state(session.catalogue.check(self.current))
            self.show_suggestions()

    def select_check(self, check_id: str) -> AwaitMount | None:
        """Show this check in the detail; what mounts its questions, if it has any."""
        tree: Tree[str] = self.query_one("#checks", Tree)
        for cat_node in tree.root.children:
            for leaf in cat_node.children:
                if leaf.data == check_id:
                    cat_node.expand()
                    self._cursor_to = leaf
                    if self.is_current:
                        # The tree numbers its lines on the next refresh: move the cursor then.
                        self.call_after_refresh(self._move_cursor)
                    # else on the first show: moved while built in the background, the tree
                    # would scroll for a size it does not have yet (hiding the first header).
                    return self._show(check_id)
        return None

    def _move_cursor(self) -> None:
        leaf, self._cursor_to = self._cursor_to, None
        if leaf is not None:
            self.query_one("#checks", Tree).move_cursor(leaf)

    @on(events.ScreenResume)
    def _cursor_on_show(self) -> None:
        if self._cursor_to is not None:
            self.call_after_refresh(self._move_cursor)

    @on(Tree.NodeHighlighted, "#checks")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        data = event.node.data
        if data is not None and not data.startswith("cat:") and data != self.current:
            # The cursor moves at once; the detail follows when the keys pause, so holding
            # an arrow key does not rebuild every check on the way.
            if self._detail_timer is not None:
                self._detail_timer.stop()
            self._detail_timer = self.set_timer(0.06, lambda: self._show(data))

    @on(Tree.NodeSelected, "#checks")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        data = event.node.data
        if data is not None and not data.startswith("cat:"):
            inputs = self.query("#questions RadioSet, #questions SelectionList, #questions Input")
            (inputs.first() if inputs else self.query_one("#note", Input)).focus()

    # -- detail ------------------------------------------------------------------
    def _show(self, check_id: str) -> AwaitMount | None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self._flush_note()
        session = self.session
        check = session.catalogue.check(check_id)
        self.current = check_id
        self.query_one("#check-title", TextBlock).show(Text.assemble((check.id, "bold"), "  ", check.title))
        self.query_one("#check-why", TextBlock).show(Text.assemble(("Why it matters  ", "bold"), check.why))
        questions = self.query_one("#questions", Vertical)
        questions.remove_children()
        suggestions = session.suggestions()
        fields = [
            AnswerField(q, session.answer(q.id), suggestions.get(q.id)) for q in session.questions_for(check)
        ]
        mounting = questions.mount_all(fields) if fields else None
        self.query_one("#note", Input).value = session.note_for(check_id)
        self._show_state(check)
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)
        return mounting

    def _show_state(self, check: Check) -> None:
        session = self.session
        state = check_state(session.audit, check)
        finding = session.finding(check.id)
        head = Text.assemble(state_text(state), ("  severity ", "dim"), check.severity.value)
        if finding is not None and finding.max_points:
            head.append(f"  {finding.points:g}/{finding.max_points:g} points", style="dim")
        self.query_one("#check-state", TextBlock).show(head)
        ev = Text()
        if finding is not None:
            ev.append("What we know  ", style="bold")
            ev.append(finding.summary + "\n")
            questions = session.catalogue.questions_by_id()
            for e in finding.evidence:
                what, value = evidence_words(e, questions)
                ev.append(f"  • {what}{' ' if what.endswith('?') else ': '}", style="dim")
                ev.append(value + (f" ({e.note})" if e.note else "") + "\n")
            for m in finding.missing:
                ev.append(f"  ? {lacking_words(m, questions)}\n", style="magenta")
            if finding.conflict:
                ev.append(f"  ⚠ {finding.conflict}\n", style="yellow")
        else:
            ev.append("How it is judged  ", style="bold")
            ev.append(check.judged_by)
        ev.rstrip()
        self.query_one("#check-evidence", TextBlock).show(ev)
        waiver = session.audit.waivers.get(check.id)
        self.query_one("#waiver-text", TextBlock).show(
            Text(f"Waived until {waiver.expires.isoformat()}: {waiver.reason}", style="cyan")
            if waiver
            else ""
        )
        self.query_one("#waive", Button).display = waiver is None
        self.query_one("#unwaive", Button).display = waiver is not None

    @on(AnswerField.Answered)
    def _answered(self, event: AnswerField.Answered) -> None:
        self.record_answer(event)
        if event.prefilled_from is not None and self.current is not None:
            self._show(self.current)  # the accepted suggestion becomes the answer on screen

    # -- note and waiver ---------------------------------------------------------
    @on(Input.Changed, "#note")
    def _note_changed(self) -> None:
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(DEBOUNCE_S, self._flush_note)

    @on(Input.Blurred, "#note")
    @on(Input.Submitted, "#note")
    def _flush_note(self) -> None:
        if self._note_timer is not None:
            self._note_timer.stop()
            self._note_timer = None
        if self.current is not None and self.is_mounted:
            self.session.set_note(self.current, self.query_one("#note", Input).value)

    def flush(self) -> None:
        self._flush_note()
        for f in self.query(AnswerField):
            f.flush()

    def on_screen_suspend(self) -> None:
        self.flush()

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    def action_focus_list(self) -> None:
        self.query_one("#checks", Tree).focus()

    @on(Button.Pressed, "#waive")
    def action_waive(self) -> None:
        if self.current is None:
            return
        check = self.session.catalogue.check(self.current)
        expiry = self.session.clock().date() + timedelta(days=90)

        def done(result: WaiverInput | None) -> None:
            if result is not None:
                self.session.waive(check.id, result.reason, result.expires)

        self.app.push_screen(WaiverDialog(check.id, check.title, expiry), done)

    @on(Button.Pressed, "#unwaive")
    def _unwaive(self) -> None:
        check_id = self.current
        if check_id is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.session.unwaive(check_id)

        self.app.push_screen(
            ConfirmDialog("Remove the waiver?", f"{check_id} will count in the score again."), done
        )

    def action_accept(self) -> None:
        """Accept every suggestion shown for the current check."""
        for f in self.query(AnswerField):
            s = f.suggestion
            if s is not None and (f.answer is None or f.answer.value != s.value):
                self.session.set_answer(f.question.id, s.value, s.from_fact)
        if self.current is not None:
            self._show(self.current)

    def action_next_open(self) -> None:
        """Jump to the next check that still has an unanswered question."""
        checks = self.session.catalogue.checks
        ids = [c.id for c in checks]
        start = ids.index(self.current) + 1 if self.current in ids else 0
        for check in checks[start:] + checks[:start]:
            if check_state(self.session.audit, check) == UNANSWERED:
                self.select_check(check.id)
                return
        self.notify("Every check has its answers.")
