"""The watcher's tests use the drill's loopback peers (tests/drill/peers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.drill.peers import Peers


@pytest.fixture
def peers() -> Iterator[Peers]:
    p = Peers()
    p.start()
    try:
        yield p
    finally:
        p.stop()
