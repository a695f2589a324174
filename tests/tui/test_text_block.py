"""TextBlock: the same text again is not a new update (each update relayouts the screen)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from readiness.tui.widgets.text_block import TextBlock


class OneBlock(App[None]):
    def compose(self) -> ComposeResult:
        yield TextBlock("", id="block")


async def test_the_same_text_is_not_drawn_again() -> None:
    app = OneBlock()
    async with app.run_test() as pilot:
        block = app.query_one(TextBlock)
        updates: list[object] = []
        original = block.update

        def counting(content: object = "", *, layout: bool = True) -> None:
            updates.append(content)
            original(content, layout=layout)  # type: ignore[arg-type]

        block.update = counting  # type: ignore[method-assign]
        block.show(Text.assemble(("WAN-001", "bold"), " pass"))
        block.show(Text.assemble(("WAN-001", "bold"), " pass"))  # a redraw with nothing new
        assert len(updates) == 1
        block.show(Text.assemble(("WAN-001", "bold"), " fail"))
        block.show(Text.assemble(("WAN-001", "italic"), " fail"))  # same words, new style
        assert len(updates) == 3
        await pilot.pause()
        assert "fail" in str(block.render())
