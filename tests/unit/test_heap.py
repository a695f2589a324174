"""HeapKeeper: full collections between keys, the collector given back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from readiness.tui.heap import RARE_FULL, HeapKeeper


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keeper(clock: Clock) -> Iterator[HeapKeeper]:
    before = gc.get_threshold()
    keeper = HeapKeeper(quiet_s=1.0, min_gap_s=5.0, at_most_s=30.0, clock=clock)
    try:
        yield keeper
    finally:
        keeper.stop()
        assert gc.get_threshold() == before


def promote() -> None:
    """What the app does all the time: a young collection moves survivors to the old one."""
    gc.collect(1)
    assert gc.get_count()[2] > 0


def test_start_leaves_full_collections_to_tick_and_stop_gives_all_back(clock: Clock) -> None:
    before = gc.get_threshold()
    gc.disable()  # as the CLI does while the app starts
    keeper = HeapKeeper(clock=clock)
    keeper.start()
    try:
        assert gc.isenabled()
        assert gc.get_threshold() == (before[0], before[1], RARE_FULL)
        keeper.settle(collect=True)
        assert gc.get_freeze_count() > 0
        assert keeper.full_collections == 1
    finally:
        keeper.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_full_collection_waits_for_a_quiet_moment(keeper: HeapKeeper, clock: Clock) -> None:
    keeper.start()
    clock.now += 10  # the last full collection is old enough
    keeper.saw_input()
    promote()
    assert not keeper.tick()  # a key just came: not now
    clock.now += 0.5
    assert not keeper.tick()
    clock.now += 0.6  # 1.1 s without a key
    assert keeper.tick()
    assert keeper.full_collections == 1
    assert gc.get_count()[2] == 0


def test_quiet_moments_collect_at_most_every_min_gap(keeper: HeapKeeper, clock: Clock) -> None:
    keeper.start()
    clock.now += 10
    promote()
    assert keeper.tick()
    clock.now += 2  # quiet, but the last one was 2 s ago
    promote()
    assert not keeper.tick()
    clock.now += 3.1
    assert keeper.tick()
    assert keeper.full_collections == 2


def test_nothing_promoted_means_nothing_to_collect(keeper: HeapKeeper, clock: Clock) -> None:
    keeper.start()
    gc.collect()  # the old generation has nothing new
    clock.now += 100
    assert not keeper.tick()
    assert keeper.full_collections == 0


def test_someone_who_never_stops_typing_still_gets_a_collection(keeper: HeapKeeper, clock: Clock) -> None:
    keeper.start()
    for _ in range(29):
        clock.now += 1
        keeper.saw_input()
        promote()
        assert not keeper.tick()
    clock.now += 1.1
    keeper.saw_input()
    promote()
    assert keeper.tick()  # 30 s since the last one: overdue, keys or not


def test_tick_before_start_does_nothing(keeper: HeapKeeper, clock: Clock) -> None:
    clock.now += 100
    promote()
    assert not keeper.tick()


def test_a_settle_asked_for_waits_for_a_quiet_moment_then_frees_and_freezes(
    keeper: HeapKeeper, clock: Clock
) -> None:
    keeper.start()
    keeper.settle_when_quiet()
    keeper.saw_input()
    assert not keeper.tick()  # a key just came
    assert gc.get_freeze_count() == 0
    clock.now += 1.1
    assert keeper.tick()  # quiet: now, though the last full collection is recent
    assert keeper.full_collections == 1
    assert gc.get_freeze_count() > 0
    gc.collect()  # nothing new in the old generation: only the settle could make tick run
    clock.now += 10
    assert not keeper.tick()  # asked once, done once
    assert keeper.full_collections == 1
