"""When the garbage collector may pause the app: between keys, not on them.

CPython's full (generation 2) collections walk every tracked object, and a Textual app
has many (widgets, styles, and the strips and caches of every line drawn): the TUI bench
saw 50-90 ms pauses, then 10-50 ms ones once the long-lived objects were frozen, landing
on whatever key was pressed then. ``HeapKeeper`` does two things:

* ``settle(collect=...)``: ``gc.freeze`` what is alive now (the screens, the catalogue,
  the modules), so later full passes see only what came after. With ``collect`` first,
  so the garbage of building the screens is freed, not frozen; that pass walks
  everything made since the last freeze (~50 ms once every screen is built), so
  ``settle_when_quiet`` leaves it to ``tick``.
* Full collections wait for a quiet moment: the automatic ones are pushed far apart
  (young collections still run as usual and free most garbage) and ``tick`` runs one
  when no key or click has come for ``quiet_s`` (at most every ``min_gap_s``, so a
  drill redrawing four times a second does not collect four times a second), and in
  any case every ``at_most_s``, so a person who never stops typing does not grow the
  heap for ever.

``stop`` gives everything back (thresholds, frozen objects): in a process that runs
more than one app (the tests, the bench) the next app starts as it would alone.
Nothing here depends on Textual; the app calls it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

# How many generation-1 collections before CPython considers a full one; its default is
# 10. A generation-1 collection runs every ~7,000 net allocations, so this leaves the
# full ones to ``tick`` in practice, and still bounds them if ``tick`` never runs.
RARE_FULL = 1000


class HeapKeeper:
    def __init__(
        self,
        *,
        quiet_s: float = 1.0,
        min_gap_s: float = 5.0,
        at_most_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet_s = quiet_s
        self.min_gap_s = min_gap_s
        self.at_most_s = at_most_s
        self._clock = clock
        self._saved: tuple[int, int, int] | None = None
        self.last_input = -float("inf")  # no key yet
        self.last_full = clock()
        self.full_collections = 0  # run by tick or settle, for the tests and the curious
        self._settle_pending = False

    @property
    def started(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        """From the first frame on: collections back on (the CLI turns them off while the
        app starts), full ones left to ``tick``."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, RARE_FULL)
            # The first frame counts as input: a person reads it, then types. Without this,
            # the first full collection (~50 ms once the first screen is built) came at the
            # first tick, half a second after the first frame, as a quick first key did.
            self.last_input = self._clock()
        gc.enable()

    def settle(self, *, collect: bool) -> None:
        if collect:
            self._collect()
        gc.freeze()

    def settle_when_quiet(self) -> None:
        """``settle(collect=True)`` at the next quiet moment (see ``tick``)."""
        self._settle_pending = True

    def saw_input(self) -> None:
        self.last_input = self._clock()

    def seconds_since_input(self) -> float:
        return self._clock() - self.last_input

    def tick(self) -> bool:
        """Run a full collection if one is due; True when one ran.

        Due when something reached the old generation since the last one (a young
        collection promoted objects) and either it has been quiet for ``quiet_s`` and
        the last one is ``min_gap_s`` old, or the last one is ``at_most_s`` old. A
        settle asked for runs at the first quiet moment, whatever the gap.
        """
        if self._saved is None:
            return False
        now = self._clock()
        quiet = now - self.last_input >= self.quiet_s
        if self._settle_pending and quiet:
            self._settle_pending = False
            self.settle(collect=True)
            return True
        if gc.get_count()[2] == 0:
            return False
        since_full = now - self.last_full
        if (quiet and since_full >= self.min_gap_s) or since_full >= self.at_most_s:
            self._collect()
            return True
        return False

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
        gc.unfreeze()

    def _collect(self) -> None:
        gc.collect()
        self.last_full = self._clock()
        self.full_collections += 1
