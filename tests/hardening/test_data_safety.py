"""Autosave survives kill -9; concurrent saves of one audit never interleave.

The walkthrough runs in a child process (autosave_child.py) through the TUI's own
AuditSession, which saves after every answer. The test kills it with SIGKILL at seeded
random moments, checks the saved file, and resumes the walkthrough from it.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from readiness.catalogue import default_catalogue
from readiness.errors import InputError
from readiness.store import dump_audit, load_audit, new_audit, save_audit
from tests.hardening.autosave_child import step

REPO = Path(__file__).resolve().parents[2]
KILLS = 10
SEED = 20261126


def _expected(n: int) -> dict[str, object]:
    """Answers after steps 0..n, as the child set them."""
    catalogue = default_catalogue()
    state: dict[str, object] = {}
    for i in range(n + 1):
        qid, value = step(catalogue, i)
        state[qid] = value
    return state


def _run_until_killed(path: Path, start: int, delay: float) -> int | None:
    """Start the child at ``start``, SIGKILL it ``delay`` s after its first save; last ack."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening.autosave_child", str(path), str(start)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acks: list[int] = []
    first = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("saved "):
                acks.append(int(line.split()[1]))
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not first.wait(30):
            raise AssertionError(
                f"the walkthrough never saved: {child.stderr.read() if child.stderr else ''}"
            )
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    reader.join(10)
    assert child.returncode == -signal.SIGKILL
    return max(acks) if acks else None


def test_autosave_survives_kill_minus_9_at_random_moments(tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    path = tmp_path / "audit.json"
    start = 0
    for kill in range(KILLS):
        acked = _run_until_killed(path, start, rnd.uniform(0.02, 0.6))
        assert acked is not None and acked >= start
        try:
            saved = load_audit(path)  # strict: a torn file would fail here
        except InputError as exc:  # pragma: no cover - the failure this test exists for
            raise AssertionError(f"kill {kill}: the saved audit is unreadable: {exc}") from exc
        answers = {qid: a.value for qid, a in saved.answers.items()}
        # Killed between a save and its acknowledgement, the file may hold one step more.
        assert answers in (_expected(acked), _expected(acked + 1)), (
            f"kill {kill}: answers lost after step {acked}"
        )
        assert saved.findings, "the autosaved audit was evaluated"
        assert oct(path.stat().st_mode & 0o777) == oct(0o600)
        # Resume right after what the file holds, so the steps stay one contiguous walkthrough.
        start = acked + 2 if answers == _expected(acked + 1) else acked + 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in {"audit.json", ".audit.json.lock"}]
    # SIGKILL in the middle of a save can leave its temp file (nothing can clean up then);
    # it never has the audit's name and is never listed as a saved audit.
    assert all(name.startswith(".audit.json.") and name.endswith(".tmp") for name in leftovers), leftovers


# --- concurrent saves -------------------------------------------------------------------------


def _writer(path: str, who: int, rounds: int) -> None:
    audit = new_audit(f"Writer {who}")
    audit.site.address = str(who) * 400_000  # large, so that unlocked writes would overlap
    for _ in range(rounds):
        save_audit(audit, Path(path))


def _reader(path: str, stop: float, bad: multiprocessing.Queue[str]) -> None:
    while time.monotonic() < stop:
        try:
            audit = load_audit(Path(path))
        except InputError as exc:
            bad.put(str(exc))
            return
        digits = set(audit.site.address or "")
        if len(digits) != 1 or audit.site.name != f"Writer {next(iter(digits))}":
            bad.put(f"mixed content: {audit.site.name} with {sorted(digits)}")
            return


@pytest.mark.parametrize("writers", [4])
def test_concurrent_saves_from_several_processes_never_interleave(tmp_path: Path, writers: int) -> None:
    path = tmp_path / "shared.json"
    save_audit(new_audit("Writer 0").model_copy(update={}), path)
    seed = load_audit(path)
    seed.site.address = "0" * 400_000
    path.write_bytes(dump_audit(seed))
    ctx = multiprocessing.get_context("spawn")
    bad: multiprocessing.Queue[str] = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(path), w, 15)) for w in range(1, writers + 1)]
    reader = ctx.Process(target=_reader, args=(str(path), time.monotonic() + 60, bad))
    reader.start()
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    reader.terminate()
    reader.join(10)
    assert bad.empty(), bad.get()
    final = load_audit(path)
    assert final.site.name in {f"Writer {w}" for w in range(1, writers + 1)}
    assert set(final.site.address or "") == {final.site.name.split()[-1]}
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
