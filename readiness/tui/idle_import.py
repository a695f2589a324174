"""Importing modules in a worker thread without slowing the UI thread down.

A thread that imports shares the interpreter lock with the UI thread: while it imports, a
screen being built for a key takes up to twice as long. So modules are imported one at a
time, each only once no key has come for ``QUIET_S`` (the UI thread is idle then); a key
typed meanwhile waits at most for the one module being imported.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Collection, Iterable

QUIET_S = 0.3
POLL_S = 0.02


def import_when_idle(
    modules: Iterable[str],
    seconds_since_input: Callable[[], float],
    cancelled: Callable[[], bool],
    optional: Collection[str] = (),
) -> bool:
    """Import ``modules`` in order, each once no key came for QUIET_S; False if cancelled.

    A module in ``optional`` that cannot be imported is passed over: a stepping stone
    (discovery_control.STEPPING_STONES) that a library's new release dropped costs
    nothing but the finer steps, and a broken library is reported by the probe that
    needs it (discovery.load_probe), not by this worker."""
    for module in modules:
        while seconds_since_input() < QUIET_S:
            if cancelled():
                return False
            time.sleep(POLL_S)
        if cancelled():
            return False
        try:
            importlib.import_module(module)
        except ImportError:  # missing or broken: the probe's own import will say
            if module not in optional:
                raise
    return True
