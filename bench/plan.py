"""What the verdict and the action plan cost on every change (issue 15).

    .venv/bin/python -m bench plan

``evaluate`` now judges the office, then runs the same engine again on a copy for each
action of the plan (a what-if). The TUI calls it after every answer, on the UI thread, so
it must stay well under the 50 ms a key may take. Three recorded offices with the example
answers files, each evaluated 30 times after a warm-up; printed: median and worst of the
whole evaluation, of the readiness part alone, and the number of what-ifs the plan ran.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from readiness.answers_file import apply_answers, load_answers
from readiness.catalogue import default_catalogue
from readiness.judgement.engine import evaluate, evaluate_readiness
from readiness.model import Answer
from readiness.replay import load_facts
from readiness.store import new_audit

ROOT = Path(__file__).resolve().parents[1]
RUNS = 30
CASES = [
    ("café, one line, low need", "single-office", "low-need-cafe.toml", {}),
    ("practice, one line, high need", "single-office", "answers.toml", {"backup_line": False}),
    ("practice, two lines", "dual-office", "answers.toml", {}),
]


def main() -> int:
    cat = default_catalogue()
    print(f"{'office':32} {'evaluate median/worst':>24} {'readiness only':>16} {'what-ifs':>9}")
    for label, facts, answers, changes in CASES:
        audit = new_audit(label).model_copy(update={"facts": load_facts(ROOT / "examples" / f"{facts}.json")})
        audit = apply_answers(audit, load_answers(ROOT / "examples" / answers, cat), datetime.now(UTC))
        audit.answers.update({k: Answer(value=v) for k, v in changes.items()})
        evaluate(audit, cat)
        whole, alone = [], []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            evaluate(audit, cat)
            t1 = time.perf_counter()
            evaluate_readiness(audit, cat)
            t2 = time.perf_counter()
            whole.append((t1 - t0) * 1000)
            alone.append((t2 - t1) * 1000)
        calls = _what_ifs(audit, cat)
        print(
            f"{label:32} {statistics.median(whole):9.1f} / {max(whole):5.1f} ms"
            f" {statistics.median(alone):12.1f} ms {calls:9d}"
        )
    return 0


def _what_ifs(audit: object, cat: object) -> int:
    """How many times the plan ran the engine on a changed copy."""
    import readiness.judgement.engine as engine

    count = 0
    real = engine.what_if

    def counting(a, c):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        return real(a, c)

    engine.what_if = counting
    try:
        evaluate(audit, cat)  # type: ignore[arg-type]
    finally:
        engine.what_if = real
    return count


if __name__ == "__main__":
    raise SystemExit(main())
