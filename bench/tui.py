"""TUI responsiveness: first frame and key latency while (slow, recorded) probes run.

    .venv/bin/python -m bench tui

1. First frame: the real `python -m readiness --replay ... --site ...` in a private tmux
   server; the time from launching the process to the first screen that shows the
   discovery screen (interpreter start and imports included). Target: <= 0.8 s.
2. Key latency: in-process with Pilot, while a discovery whose probes each take 0.5 s runs
   in its worker, the time from sending a key to the first frame that shows its result
   (navigation, list movement, typing). Target: < 50 ms.

Recorded facts only: nothing is probed on this machine. Prints figures; never fails on them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tests" / "tui" / "fixtures" / "office_facts.json"
FIRST_FRAME_TARGET_S = 0.8
KEY_TARGET_MS = 50.0
WORST_KEY: dict[str, str] = {}  # bucket -> the key that was slowest ("f3 #1": the first key)


def first_frame(runs: int = 5) -> list[float]:
    tmux = shutil.which("tmux")
    if tmux is None:
        print("first frame: skipped (tmux is not installed)")
        return []
    times: list[float] = []
    for _ in range(runs):
        socket = f"readiness-bench-{uuid.uuid4().hex[:8]}"
        data = tempfile.mkdtemp(prefix="readiness-bench-")
        env = [
            "-e",
            f"READINESS_DATA_DIR={data}",
            "-e",
            f"XDG_CONFIG_HOME={data}/config",
            "-e",
            "TERM=xterm-256color",
            "-e",
            f"PYTHONPATH={ROOT}",
        ]
        argv = [sys.executable, "-m", "readiness", "--replay", str(FACTS), "--site", "Bench"]
        try:
            start = time.perf_counter()
            subprocess.run(
                [
                    tmux,
                    "-L",
                    socket,
                    "new-session",
                    "-d",
                    "-x",
                    "100",
                    "-y",
                    "30",
                    *env,
                    "-c",
                    str(ROOT),
                    *argv,
                ],
                check=True,
            )
            while time.perf_counter() - start < 10:
                screen = subprocess.run(
                    [tmux, "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
                if "Probes" in screen and "Discovery" in screen:
                    times.append(time.perf_counter() - start)
                    break
                time.sleep(0.005)
        finally:
            subprocess.run([tmux, "-L", socket, "kill-server"], capture_output=True)
            shutil.rmtree(data, ignore_errors=True)
    return times


async def key_latency() -> tuple[dict[str, list[float]], bool]:
    """Key sent -> the app has handled it and composed the frame that shows the result."""
    os.environ.setdefault("READINESS_DATA_DIR", tempfile.mkdtemp(prefix="readiness-bench-"))
    from textual import events
    from textual.widgets import Input, Tree

    from readiness.replay import load_facts
    from readiness.tui.app import ReadinessApp
    from readiness.tui.runner import replay_discover

    facts = load_facts(FACTS)
    slow = replay_discover(facts, step_s=1.0)  # eight probes, a second each
    app = ReadinessApp(replay=facts, site="Bench", discover=slow)
    out: dict[str, list[float]] = {"navigate (F2/F3)": [], "move in a list": [], "type in a field": []}
    worst: dict[str, tuple[float, str]] = {}  # bucket -> (ms, which key: "f3 #1" is the 1st key)
    # Each frame, with whether it already shows the result of the key being timed: a frame
    # drawn for something else (a probe finishing) before the key is handled does not count.
    frames: list[tuple[float, bool]] = []
    shows_result: list[Callable[[], bool]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        display = app._display

        def timed_display(*args: object, **kwargs: object) -> None:
            frames.append((time.perf_counter(), bool(shows_result) and shows_result[0]()))
            display(*args, **kwargs)  # type: ignore[arg-type]

        app._display = timed_display  # type: ignore[method-assign]
        await pilot.pause(0.2)
        driver = app._driver
        assert driver is not None

        async def timed(bucket: str, key: str, done: Callable[[], bool], char: str | None = None) -> None:
            await asyncio.sleep(0.02)  # let earlier frames go out first
            n = len(frames)
            shows_result[:] = [done]
            start = time.perf_counter()
            driver.send_message(events.Key(key, char))
            while not any(ok for _, ok in frames[n:]) and time.perf_counter() - start < 2:
                await asyncio.sleep(0.0005)
            shows_result.clear()
            first = next((t for t, ok in frames[n:] if ok), None)
            if first is None:
                print(f"({bucket}: no frame showed {key!r} within 2 s)")
                return
            ms = (first - start) * 1000
            out[bucket].append(ms)
            if ms > worst.get(bucket, (-1.0, ""))[0]:
                worst[bucket] = (ms, f"{key} #{len(out[bucket])}")

        def on_screen(name: str) -> Callable[[], bool]:
            return lambda: app.screen.id == name

        for _ in range(6):
            await timed("navigate (F2/F3)", "f3", on_screen("checklist"))
            await timed("navigate (F2/F3)", "f2", on_screen("discovery"))
        await timed("navigate (F2/F3)", "f3", on_screen("checklist"))
        tree: Tree[str] = app.screen.query_one("#checks", Tree)
        tree.focus()
        for _ in range(10):
            line = tree.cursor_line
            await timed("move in a list", "down", lambda line=line: tree.cursor_line != line)  # type: ignore[misc]
        note = app.screen.query_one("#note", Input)
        note.focus()
        for ch in "cable runs under the stairs":
            value = note.value
            await timed(
                "type in a field",
                "space" if ch == " " else ch,
                lambda value=value: note.value != value,  # type: ignore[misc]
                ch,
            )
        running = app.discovery_running
        await app.workers.wait_for_complete()
    WORST_KEY.update({bucket: which for bucket, (_, which) in worst.items()})
    return out, running


def main() -> int:
    frames = first_frame()
    if frames:
        print(
            f"first frame: median {statistics.median(frames):.3f} s, worst {max(frames):.3f} s "
            f"over {len(frames)} runs (target <= {FIRST_FRAME_TARGET_S} s)"
        )
    latencies, running = asyncio.run(key_latency())
    print(f"(discovery with 1 s probes was {'still' if running else 'no longer'} running after the last key)")
    for name, values in latencies.items():
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(
            f"key latency, {name}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, "
            f"worst {max(values):.1f} ms ({WORST_KEY.get(name, '?')}) over {len(values)} keys "
            f"(target < {KEY_TARGET_MS:.0f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
