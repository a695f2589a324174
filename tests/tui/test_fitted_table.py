"""The table whose title column is cut to leave the short columns in view."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate

from readiness.tui.widgets.fitted_table import MIN_TITLE, FittedTable

LONG = "WAN-003 The backup line reaches the building by a separate route"
ROWS = [
    ((Text(LONG), Text("? unknown")), "WAN-003"),
    ((Text("NET-001 Spare router"), Text("✓ pass")), "NET-001"),
]


class TableApp(App[None]):
    def __init__(self, *, hidden: bool = False) -> None:
        super().__init__()
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        table = FittedTable("Check", "State", title=0, id="table")
        table.display = not self.hidden
        yield table


def shown(table: FittedTable, row: int, column: int) -> str:
    return str(table.get_cell_at(Coordinate(row, column)))


def fits(table: FittedTable) -> bool:
    """Every column is in view: nothing to scroll sideways to."""
    return table.virtual_size.width <= table.scrollable_content_region.width


async def test_a_long_title_is_cut_so_the_state_stays_in_view_and_whole_when_there_is_room() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(FittedTable)
        table.set_rows(ROWS)
        table.move_cursor(row=1)
        await pilot.pause()
        assert fits(table)
        cut = shown(table, 0, 0)
        assert cut.endswith("…") and LONG.startswith(cut[:-1])
        assert len(cut) == table.title_width() >= MIN_TITLE
        assert shown(table, 0, 1) == "? unknown" and shown(table, 1, 0) == "NET-001 Spare router"

        await pilot.resize_terminal(100, 8)
        await pilot.pause()
        assert shown(table, 0, 0) == LONG and fits(table)
        assert table.cursor_row == 1  # refilled for the new width, the cursor where it was

        await pilot.resize_terminal(40, 8)
        await pilot.pause()
        assert shown(table, 0, 0) == cut and fits(table)  # the column narrows again too


async def test_rows_given_before_the_table_is_laid_out_are_cut_once_it_is() -> None:
    app = TableApp(hidden=True)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(FittedTable)
        table.set_rows(ROWS)
        assert table.row_count == 0  # no width to cut for yet
        table.display = True
        await pilot.pause()
        assert table.row_count == 2 and shown(table, 0, 0).endswith("…") and fits(table)


async def test_narrower_than_its_short_columns_the_title_keeps_a_minimum_and_the_table_scrolls() -> None:
    app = TableApp()
    async with app.run_test(size=(20, 8)) as pilot:
        table = app.query_one(FittedTable)
        table.set_rows(ROWS)
        await pilot.pause()
        assert len(shown(table, 0, 0)) == MIN_TITLE and not fits(table)


async def test_a_row_drawn_before_the_table_is_next_idle_shows_its_cells_whole() -> None:
    """DataTable measures new rows when it is next idle, and keeps each row as drawn: a
    frame drawn in between (the start screen's list comes from a thread, at any moment)
    showed the cells cut to their headers' widths, "? unk", until something else changed."""
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        table.set_rows(ROWS)
        early = table.render_line(1).text  # the first row, before the table is next idle
        await pilot.pause()
        assert "? unknown" in early and "? unknown" in table.render_line(1).text
