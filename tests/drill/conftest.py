"""The drill tests' real peers on loopback (DNS, HTTP, TCP), started and stopped per test."""

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
