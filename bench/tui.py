"""TUI responsiveness: first frame and key latency while (slow, recorded) probes run.

    .venv/bin/python -m bench tui

1. First frame: the real `python -m readiness --replay ... --site ...` (a new audit: the
   discovery screen), `python -m readiness open SAVED.json` (the checklist) and
   `python -m readiness` (the start screen, ten saved audits with a long drill each) in a
   private tmux server; the time from launching the process to the first screen that
   shows it (interpreter start and imports included). Target: <= 0.8 s.
2. Key latency: in-process with Pilot, while a discovery whose probes each take 1 s runs
   in its worker, the time from sending a key to the first frame that shows its result
   (a screen counts once every widget in it is laid out: see KeyTimer.on_screen): the
   first visit of every screen (F3-F7) pressed with the first frame, 0.25 s and 0.5 s
   after it (a fresh process each) and a second after it (as a person would), switching back and forth,
   moving in a list, typing a note, typing a cost figure (the figures are recomputed
   0.3 s after the last key; the key's own echo is what is timed), and switching to the
   drill screen and back on a saved audit that holds a 10-minute drill. Times run from the
   app's first frame, not from when Pilot finds it idle. Targets: a first visit of a
   screen, even typed with the first frame, < 200 ms; every other key median < 50 ms and
   95th percentile < 100 ms.

Recorded facts only: nothing is probed on this machine. Prints figures; never fails on them.
"""

from __future__ import annotations

import asyncio
import compileall
import gc
import math
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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

    from readiness.tui.app import ReadinessApp

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tests" / "tui" / "fixtures" / "office_facts.json"
FIRST_FRAME_TARGET_S = 0.8
KEY_TARGET_MS = 50.0  # the median of the keys typed after the first frame
KEY_P95_TARGET_MS = 100.0  # and their 95th percentile
FIRST_VISIT_TARGET_MS = 200.0  # a screen's first visit, even typed with the first frame
Samples = dict[str, list[tuple[float, str]]]  # bucket -> (ms, which key: "f3 #1, walk 2")


AUDIT = ROOT / "tests" / "tui" / "fixtures" / "audit_midway.json"


SAVED_WITH_DRILLS = 10  # the start screen's case: audits kept from earlier visits, each drilled


def first_frame(mode: str, runs: int = 5) -> tuple[list[float], list[float]]:
    """From the launch of the process to its first screen in tmux, and to the screen whole.

    ``new``: a new audit (``--replay --site``: the discovery screen). ``saved``: a saved
    one (``open``: the checklist). ``start``: ``readiness`` with no arguments, with
    SAVED_WITH_DRILLS saved audits that each hold a 10-minute drill (30,000 samples): the
    form first, then the list of them once it is read.
    """
    tmux = shutil.which("tmux")
    if tmux is None:
        print("first frame: skipped (tmux is not installed)")
        return [], []
    # As an installed package has it (pip compiles on install; `make run` does too): with
    # PYTHONDONTWRITEBYTECODE set and no bytecode yet, each run would compile every
    # module of readiness first, ~50 ms more.
    compileall.compile_dir(ROOT / "readiness", quiet=1)
    times: list[float] = []
    whole: list[float] = []
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
        complete: tuple[str, ...] = ()
        if mode == "saved":
            saved = Path(data) / "saved.json"
            shutil.copyfile(AUDIT, saved)
            argv = [sys.executable, "-m", "readiness", "open", str(saved)]
            shown: tuple[str, ...] = ("Checklist", "Internet lines")
        elif mode == "start":
            save_drilled_audits(Path(data), SAVED_WITH_DRILLS)
            argv = [sys.executable, "-m", "readiness"]
            shown = ("New audit", "Saved audits")
            complete = (f"Office {SAVED_WITH_DRILLS - 1}",)
        else:
            argv = [sys.executable, "-m", "readiness", "--replay", str(FACTS), "--site", "Bench"]
            shown = ("Discovery", "Probes")
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
            first: float | None = None
            while time.perf_counter() - start < 10:
                screen = subprocess.run(
                    [tmux, "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
                now = time.perf_counter() - start
                if first is None and all(text in screen for text in shown):
                    first = now
                    times.append(first)
                if first is not None and all(text in screen for text in complete):
                    whole.append(now)
                    break
                time.sleep(0.005)
        finally:
            subprocess.run([tmux, "-L", socket, "kill-server"], capture_output=True)
            shutil.rmtree(data, ignore_errors=True)
    return times, whole


class KeyTimer:
    """Times keys on a running app: key sent -> the first frame that shows its result."""

    def __init__(self, app: ReadinessApp, tag: str) -> None:
        self.app = app
        self.tag = tag  # which app run, to find the worst key again
        self.out: Samples = {}
        # Each frame, with whether it already shows the result of the key being timed: a
        # frame drawn for something else (a probe finishing) before the key is handled
        # does not count.
        self.frames: list[tuple[float, bool]] = []
        self._shows_result: list[Callable[[], bool]] = []
        display = app._display

        def timed_display(*args: object, **kwargs: object) -> None:
            self.frames.append((time.perf_counter(), bool(self._shows_result) and self._shows_result[0]()))
            display(*args, **kwargs)  # type: ignore[arg-type]

        app._display = timed_display  # type: ignore[method-assign]

    async def press(
        self, bucket: str, key: str, done: Callable[[], bool], char: str | None = None, *, settle: bool = True
    ) -> None:
        from textual import events

        driver = self.app._driver
        assert driver is not None
        if settle:
            await asyncio.sleep(0.02)  # let earlier frames go out first
        n = len(self.frames)
        self._shows_result[:] = [done]
        start = time.perf_counter()
        driver.send_message(events.Key(key, char))
        while not any(ok for _, ok in self.frames[n:]) and time.perf_counter() - start < 2:
            await asyncio.sleep(0.0005)
        self._shows_result.clear()
        first = next((t for t, ok in self.frames[n:] if ok), None)
        if first is None:
            print(f"({bucket}: no frame showed {key!r} within 2 s)")
            return
        ms = (first - start) * 1000
        values = self.out.setdefault(bucket, [])
        values.append((ms, f"{key} #{len(values) + 1}, {self.tag}"))
        if os.environ.get("BENCH_VERBOSE"):
            print(f"  {bucket} {key}: {ms:.1f} ms")

    def on_screen(self, name: str) -> Callable[[], bool]:
        """The screen is the one shown, built, and whole: not a first, empty frame of it,
        nor one drawn before the widgets it mounts after its own (the checklist's
        questions) were laid out."""

        def shown() -> bool:
            screen = self.app.screen
            return screen.id == name and bool(getattr(screen, "_ready", False)) and laid_out(screen)

        return shown


def laid_out(screen: Screen[object]) -> bool:
    """Every widget of the screen that is displayed was placed by its last layout, so the
    frame drawn from that layout shows it (a widget mounted since is not placed yet).

    The one private read in the project, and only in this instrument: the public
    `Screen.find_widget` rebuilds the whole layout map when it is stale, which would
    slow the very frames being timed; the app itself uses public Textual only."""
    placed = screen._compositor.widgets
    pending: list[DOMNode] = [screen]
    while pending:
        for child in pending.pop().children:
            if not child.display:
                continue  # nor anything in it
            if child not in placed:
                return False
            pending.append(child)
    return True


PACED_RUNS = 3  # the paced walk is run on this many fresh apps, for enough keys per line
IMPATIENT = (  # first visits pressed soon after the first frame, a fresh process each
    (0.0, "first visit, with the first frame"),
    (0.25, "first visit, 0.25 s after it"),
    (0.5, "first visit, 0.5 s after it"),
)
MAIN_SCREENS = {"f3": "checklist", "f4": "impact", "f5": "findings", "f6": "export", "f7": "drill"}


def bench_app() -> ReadinessApp:
    if "READINESS_DATA_DIR" not in os.environ:  # main() sets one for every app it runs
        os.environ["READINESS_DATA_DIR"] = tempfile.mkdtemp(prefix="readiness-bench-")
    from readiness.replay import load_facts
    from readiness.tui.app import ReadinessApp
    from readiness.tui.runner import replay_discover

    facts = load_facts(FACTS)
    slow = replay_discover(facts, step_s=1.0)  # eight probes, a second each
    # The apps of this bench share one process; the real app has its own. Free the
    # garbage of the previous app first, or this one's collections would walk it.
    gc.collect()
    app = ReadinessApp(replay=facts, site="Bench", discover=slow)
    # As live discovery does: its worker imports the probes' libraries (~180 ms) while the
    # first screens are built (see readiness/tui/discovery_control.py). Without it, a
    # replay costs the UI less than the real thing.
    app.discovery.import_probes = True
    return app


def impatient_first_visits(after_s: float, bucket: str) -> Samples:
    """Each screen's first visit, its key pressed ``after_s`` after the first frame.

    At 0 the key lands with the first frame, typed ahead before anyone could have read it;
    at 0.25 s, as fast as a person who knows the key could react to it. Each app runs
    in a fresh process, as the real one does: in a process that already ran an app, the
    screens' modules would be imported already, and a first visit would look cheaper.
    """
    out: Samples = {}
    for key in MAIN_SCREENS:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.tui", "--first-visit", str(after_s), key],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            timeout=120,
        )
        if proc.returncode != 0 or not proc.stdout.strip():
            print(f"({bucket}, {key}: the app failed: {proc.stderr.strip()[-300:]})")
            continue
        out.setdefault(bucket, []).append((float(proc.stdout.split()[-1]), f"{key}, after {after_s} s"))
    return out


async def one_first_visit(after_s: float, key: str) -> float | None:
    """In a fresh process (see impatient_first_visits): one app, one key, timed from the
    app's first frame (``pilot.pause()`` would wait until the app is idle)."""
    app = bench_app()
    timer = KeyTimer(app, key)  # before the app runs: its first frame is timed too
    async with app.run_test(size=(100, 30)):
        while not timer.frames:
            await asyncio.sleep(0.001)
        await asyncio.sleep(max(0.0, timer.frames[0][0] + after_s - time.perf_counter()))
        await timer.press("first visit", key, timer.on_screen(MAIN_SCREENS[key]), settle=False)
        app.workers.cancel_all()
    values = timer.out.get("first visit")
    return values[0][0] if values else None


async def key_latency(tag: str) -> tuple[Samples, bool]:
    """Keys on one app while its discovery runs, a person's pace apart."""
    from textual.widgets import Input, Tree

    app = bench_app()
    timer = KeyTimer(app, tag)
    async with app.run_test(size=(100, 30)) as pilot:
        while not timer.frames:
            await asyncio.sleep(0.001)
        # A person reads the first screen for a second before pressing a key.
        await asyncio.sleep(max(0.0, timer.frames[0][0] + 1.0 - time.perf_counter()))
        for key, name in MAIN_SCREENS.items():
            await timer.press("first visit, after 1 s", key, timer.on_screen(name))
        bucket = "navigate (F2/F3)"
        await timer.press(bucket, "f2", timer.on_screen("discovery"))
        for _ in range(6):
            await timer.press(bucket, "f3", timer.on_screen("checklist"))
            await timer.press(bucket, "f2", timer.on_screen("discovery"))
        await timer.press(bucket, "f3", timer.on_screen("checklist"))
        tree: Tree[str] = app.screen.query_one("#checks", Tree)
        tree.focus()
        await pilot.pause(0.1)
        for _ in range(10):
            line = tree.cursor_line
            await timer.press("move in a list", "down", lambda line=line: tree.cursor_line != line)  # type: ignore[misc]
        note = app.screen.query_one("#note", Input)
        note.focus()
        await pilot.pause(0.1)
        for ch in "cable runs under the stairs":
            value = note.value
            await timer.press(
                "type in a field",
                "space" if ch == " " else ch,
                lambda value=value: note.value != value,  # type: ignore[misc]
                ch,
            )
        await timer.press(bucket, "f4", timer.on_screen("impact"))
        staff = app.screen.query_one("#cost-inputs Input", Input)
        staff.focus()
        staff.value = ""
        await pilot.pause(0.4)
        for ch in "1234":
            value = staff.value
            await timer.press(
                "type a cost figure",
                ch,
                lambda value=value: staff.value != value,  # type: ignore[misc]
                ch,
            )
            await pilot.pause(0.4)  # past the debounce: the answer is saved, the figures redrawn
        running = app.discovery_running
        await app.workers.wait_for_complete()
    return timer.out, running


async def drilled_audit_keys() -> Samples:
    """F7 and back on a saved audit that holds a 10-minute drill (30,000 samples), once
    both screens were visited: the drill screen shows that drill's chart."""
    from readiness.tui.app import ReadinessApp

    folder = Path(os.environ["READINESS_DATA_DIR"]) / f"drilled-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    save_drilled_audits(folder, 1)
    gc.collect()
    app = ReadinessApp(audit_path=next(folder.glob("*.json")), data_dir=folder)
    timer = KeyTimer(app, "drilled")
    async with app.run_test(size=(100, 30)):
        while not timer.frames:
            await asyncio.sleep(0.01)
        await asyncio.sleep(1.0)
        await timer.press("first visit, after 1 s", "f7", timer.on_screen("drill"))
        await timer.press("first visit, after 1 s", "f3", timer.on_screen("checklist"))
        await asyncio.sleep(0.5)
        bucket = "F7 and back, a 10-minute drill recorded"
        for _ in range(5):
            await timer.press(bucket, "f7", timer.on_screen("drill"))
            await timer.press(bucket, "f3", timer.on_screen("checklist"))
    shutil.rmtree(folder, ignore_errors=True)
    return timer.out


def main() -> int:
    # One data folder for every app of the run, child processes included, removed after.
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as data:
        os.environ["READINESS_DATA_DIR"] = data
        try:
            return run_all()
        finally:
            del os.environ["READINESS_DATA_DIR"]


def save_drilled_audits(folder: Path, count: int) -> None:
    from bench.memory import long_drill
    from readiness.replay import load_facts
    from readiness.store import new_audit, save_audit

    facts, drill = load_facts(FACTS), long_drill()
    for i in range(count):
        audit = new_audit(f"Office {i}").model_copy(update={"facts": facts, "drills": [drill]})
        save_audit(audit, folder / f"{audit.id}.json")


def run_all() -> int:
    modes = (
        ("new", "a new audit"),
        ("saved", "a saved audit"),
        ("start", f"the start screen, {SAVED_WITH_DRILLS} saved audits with a 10-minute drill each"),
    )
    for mode, what in modes:
        frames, whole = first_frame(mode)
        if frames:
            print(
                f"first frame, {what}: median {statistics.median(frames):.3f} s, worst {max(frames):.3f} s "
                f"over {len(frames)} runs (target <= {FIRST_FRAME_TARGET_S} s)"
            )
        if mode == "start" and whole:
            print(
                f"  ... and the saved audits listed: median {statistics.median(whole):.3f} s, "
                f"worst {max(whole):.3f} s"
            )
    samples: Samples = {}
    for _ in range(PACED_RUNS):
        for after_s, bucket in IMPATIENT:
            for name, values in impatient_first_visits(after_s, bucket).items():
                samples.setdefault(name, []).extend(values)
    still_running = 0
    for run in range(1, PACED_RUNS + 1):
        paced, running = asyncio.run(key_latency(f"walk {run}"))
        still_running += running
        for bucket, values in paced.items():
            samples.setdefault(bucket, []).extend(values)
    for bucket, values in asyncio.run(drilled_audit_keys()).items():
        samples.setdefault(bucket, []).extend(values)
    print(f"(discovery, 1 s a probe, still running at the last key of {still_running}/{PACED_RUNS} walks)")
    for name, values in samples.items():
        ms = sorted(v for v, _ in values)
        worst, which = max(values)
        limit = FIRST_VISIT_TARGET_MS if name.startswith("first visit") else KEY_P95_TARGET_MS
        over = sum(v >= limit for v in ms)
        print(
            f"key latency, {name}: median {statistics.median(ms):.1f} ms, p95 {p95(ms):.1f} ms, "
            f"worst {worst:.1f} ms ({which}); {over} of {len(ms)} keys >= {limit:.0f} ms"
        )
    first = sorted(v for name, vs in samples.items() if name.startswith("first visit") for v, _ in vs)
    other = sorted(v for name, vs in samples.items() if not name.startswith("first visit") for v, _ in vs)
    if first:
        met = first[-1] < FIRST_VISIT_TARGET_MS
        print(
            f"target, first visits (all {len(first)}): median {statistics.median(first):.1f} ms, "
            f"p95 {p95(first):.1f} ms, worst {first[-1]:.1f} ms (target: each < "
            f"{FIRST_VISIT_TARGET_MS:.0f} ms): {'met' if met else 'MISSED'}"
        )
    if other:
        median, high = statistics.median(other), p95(other)
        met = median < KEY_TARGET_MS and high < KEY_P95_TARGET_MS
        print(
            f"target, other keys after the first frame (all {len(other)}): median {median:.1f} ms "
            f"(target < {KEY_TARGET_MS:.0f}), p95 {high:.1f} ms (target < {KEY_P95_TARGET_MS:.0f}): "
            f"{'met' if met else 'MISSED'}"
        )
    return 0


def p95(ms: list[float]) -> float:
    """The 95th percentile of sorted figures (the nearest rank)."""
    return ms[max(0, math.ceil(len(ms) * 0.95) - 1)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first-visit"]:
        # The CLI keeps the collector off while the app starts (readiness/cli.py cmd_tui).
        gc.disable()
        ms = asyncio.run(one_first_visit(float(sys.argv[2]), sys.argv[3]))
        if ms is not None:
            print(f"{ms:.3f}")
        raise SystemExit(0)
    raise SystemExit(main())
