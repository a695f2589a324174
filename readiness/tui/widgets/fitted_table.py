"""A table whose title column takes the width the other columns leave."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

MIN_TITLE = 16  # a check id and its first words; narrower than this, the table scrolls


class FittedTable(DataTable[Text]):
    """One-line rows in which the title column is cut with an ellipsis to fit, so the
    short columns beside it (a severity, a score, a state) stay in view at 80 columns
    instead of being pushed off to the right by a long title.

    Rows are given whole with ``set_rows`` and filled again when the width changes.
    """

    DEFAULT_CSS = """
    FittedTable { scrollbar-gutter: stable; }
    """  # the width left for the rows does not change when they come to overflow

    def __init__(
        self,
        *columns: str,
        title: int,
        min_title: int = MIN_TITLE,
        id: str | None = None,
        zebra_stripes: bool = False,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
        self._labels = columns
        self._title = title  # the index of the column cut to fit
        self._min_title = min_title  # narrower than this, the table scrolls sideways
        self._rows: list[tuple[Sequence[Text], str | None]] = []
        self._fitted_to = -1  # the width the rows were last cut for

    def on_mount(self) -> None:
        self.add_columns(*self._labels)

    def set_rows(self, rows: Sequence[tuple[Sequence[Text], str | None]]) -> None:
        """Show these rows (cells, key), keeping the cursor's row where it can."""
        self._rows = list(rows)
        self._fill()

    def on_resize(self, event: events.Resize) -> None:
        if self.title_width() != self._fitted_to:
            self._fill()

    def title_width(self) -> int:
        """The width left for the title column; 0 before the table is laid out."""
        available = self.scrollable_content_region.width
        if available <= 0:
            return 0
        padding = 2 * self.cell_padding
        others = sum(
            padding + max([cell_len(label)] + [row[0][i].cell_len for row in self._rows])
            for i, label in enumerate(self._labels)
            if i != self._title
        )
        return max(self._min_title, available - others - padding)

    def _column_width(self, index: int, title_width: int) -> int:
        """Each column's width, given rather than left to DataTable to measure: it measures
        new rows when it is next idle, and a row drawn before then stays drawn (cached)
        at the columns' earlier widths, its cells cut to their headers'."""
        needed = max([cell_len(self._labels[index])] + [cells[index].cell_len for cells, _ in self._rows])
        return min(needed, title_width) if index == self._title else needed

    def _fill(self) -> None:
        width = self.title_width()
        if not width:
            return  # not laid out yet: filled when it is (on_resize), cut once, not twice
        self._fitted_to = width
        row = self.cursor_row
        self.clear(columns=True)  # a column keeps the widest width it had otherwise
        for index, label in enumerate(self._labels):
            self.add_column(label, width=self._column_width(index, width))
        for cells, key in self._rows:
            shown = list(cells)
            if shown[self._title].cell_len > width:
                shown[self._title] = shown[self._title].copy()
                shown[self._title].truncate(width, overflow="ellipsis")
            self.add_row(*shown, key=key)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))
