"""The one-widget key footer: the keys it shows, clicks on them, and keeping up with bindings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from readiness.drill.session import Phase
from readiness.tui.screens.drill import DrillScreen
from readiness.tui.screens.help import HelpScreen
from readiness.tui.widgets.footer import KeyFooter
from tests.tui.conftest import AppFactory
from tests.tui.test_drill_screen import CONFIG, Peer, factory_for, wait_phase


def footer_line(app: App[object]) -> str:
    """The footer's line as last drawn (Textual keeps it until the widget asks to be redrawn)."""
    return app.screen.query_one(KeyFooter).render_line(0).text


class KeysScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "mark('a')", "Alpha"),
        Binding("b", "mark('b')", "Bravo"),
        Binding("c", "mark('c')", "Charlie", show=False),
        Binding("d", "mark('d')", "Delta"),
    ]

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("b",) else True  # None: shown, but dimmed and refused

    def action_mark(self, which: str) -> None:
        self.app.marks.append(which)  # type: ignore[attr-defined]


class KeysApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(KeysScreen())

    def bell(self) -> None:
        self.bells += 1


async def test_shown_keys_in_order_with_the_palette_key_at_the_right_end() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert len(line) == 60
        assert line.startswith(" a Alpha  b Bravo  d Delta ")  # not c: show=False
        assert line.endswith("▏^p palette ")


async def test_a_click_presses_the_key_and_a_refused_key_rings_the_bell() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        await pilot.click(KeyFooter, offset=(line.index("Delta"), 0))
        await pilot.click(KeyFooter, offset=(line.index("Bravo"), 0))
        await pilot.click(KeyFooter, offset=(line.index("Alpha") - 2, 0))  # on the key itself
        await pilot.click(KeyFooter, offset=(40, 0))  # between the keys and the palette: nothing
        await pilot.pause()
        assert app.marks == ["d", "a"]
        assert app.bells == 1


async def test_keys_that_do_not_fit_are_left_out_and_the_palette_key_stays() -> None:
    app = KeysApp()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line == " a Alpha  b Bravo ▏^p palette "  # " d Delta " would need 9 cells more


async def test_the_footer_follows_the_screens_bindings_as_a_drill_runs(make_app: AppFactory) -> None:
    peer = Peer()
    try:
        app = make_app(resume=True, config=CONFIG, drill_factory=factory_for(peer))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f7")
            assert isinstance(app.screen, DrillScreen)
            await pilot.pause()
            assert "Start drill" in footer_line(app) and "Stop drill" not in footer_line(app)
            await pilot.press("g", "y")
            await wait_phase(app, pilot, Phase.AWAIT_CUT)
            await pilot.pause()
            line = footer_line(app)
            assert "Stop drill" in line and "Done" in line and "Start drill" not in line
            await pilot.click(KeyFooter, offset=(line.index("Stop drill"), 0))
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.drill is None
            assert "Start drill" in footer_line(app)
            await pilot.click(KeyFooter, offset=(footer_line(app).index("Help"), 0))
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
    finally:
        peer.down()


async def test_the_key_under_the_mouse_is_highlighted() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)

        def style_of(word: str) -> object:
            """The colours the word is drawn in (a segment's style also carries its offset)."""
            for segment in footer.render_line(0):
                if word in segment.text and segment.style is not None:
                    return segment.style.color, segment.style.bgcolor
            raise AssertionError(f"{word!r} is not on the footer")

        plain = style_of("Delta")
        assert style_of("Alpha") == plain
        await pilot.hover(KeyFooter, offset=(footer_line(app).index("Delta"), 0))
        await pilot.pause()
        assert style_of("Delta") != plain
        assert style_of("Alpha") == plain  # the other keys as they were
        await pilot.hover(KeyFooter, offset=(40, 0))  # off the keys
        await pilot.pause()
        assert style_of("Delta") == plain
