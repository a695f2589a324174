"""`--redact` on large recorded facts: time, and linearity as the input doubles.

    .venv/bin/python -m bench redact

The facts are examples/dual-office.json grown to SIZE with NAMES host names (half
without a dot, as a Windows office names its machines) that the UPS probe tried, and
probe diagnostics that mention those names, public addresses in three spellings, MAC
addresses, a person, phone numbers, e-mail addresses, a contract number and a date and
time that must stay, and (one in ten) runs of 30 and 40 digits that start like a phone
number and are not one: every string has to be scanned for every kind of identifier.
``redact()`` runs on an audit whose answers also name the responder, the deputy, a
contract and a fault line (PERSONAL_ANSWERS), which it then looks for in every string. Issue 19
measured the old redaction at over 300 s for 600 names and 270 kB (one regular
expression per known name, for every string).

Printed: for each size, `redact()` alone (the median of 3 runs) and the whole command
`readiness audit --replay F --redact --format json -o OUT` in a child process, with the
same command without --redact for scale, and the ratio to the previous size (2.0 is
linear, 4.0 quadratic). Goal: the 1 MB / 2,000-name file under 2 s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "examples" / "dual-office.json"
GOAL_S = 2.0
BASE_BYTES = 1_000_000
BASE_NAMES = 2_000
FACTORS = (0.5, 1, 2, 4)


# What the owner answered about people and contracts: masked by type, then in every string.
PERSONAL_ANSWERS = {
    "responder": "Anna Kowalczyk",
    "responder_deputy": "Marc (reception) 06 12 34 56 78",
    "primary_contract": "FP1-204-5567",
    "primary_support_phone": "+33 1 45 67 89 01",
}


def make_facts(size: int, names: int) -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(FACTS.read_text())
    hosts = [
        f"ws{i:05d}.office{i % 7}.lan" if i % 2 else f"poste{chr(97 + i % 26)}{i:05d}x" for i in range(names)
    ]
    facts["power"]["hosts_tried"] = hosts
    lines = []
    i = 0
    while sum(len(line) + 4 for line in lines) < size:
        h = hosts[i % names]
        lines.append(
            f"ups probe {i}: {h} refused from 81.2.{i % 250}.{(i * 7) % 250} "
            f"(static81-2-{i % 250}-9.isp.example, 081.002.{i % 250:03d}.017) "
            f"via 3c:97:0e:50:{i % 100:02d}:0c and note about {h}, "
            f"ask Anna Kowalczyk on 0{i % 9 + 1} 12 34 {i % 100:02d} 78 or it{i % 50}@office{i % 7}.example "
            f"about contract FP1-204-{i % 10_000:04d} before 2026-12-04 09:30"
            # digits that only start like a phone number: given up at once, not re-split
            + (f" serial +{i:030d}x 0{i:040d}y" if i % 10 == 0 else "")
        )
        i += 1
    facts["probes"]["power"]["diagnostics"] = lines
    return facts


def _redact_seconds(path: Path) -> float:
    from readiness.export.redact import redact
    from readiness.model import Answer
    from readiness.replay import load_facts
    from readiness.store import new_audit

    answers = {qid: Answer(value=value) for qid, value in PERSONAL_ANSWERS.items()}
    audit = new_audit("Bench office").model_copy(update={"facts": load_facts(path), "answers": answers})
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        redact(audit)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _command_seconds(path: Path, out: Path, *extra: str) -> float:
    argv = [sys.executable, "-m", "readiness", "audit", "--replay", str(path), "--format", "json",
            "-o", str(out), *extra]
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    print(f"{'facts':>9} {'names':>6} {'redact()':>9} {'x prev':>7} {'audit --redact':>15} {'audit':>7}")
    worst = 0
    previous: float | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for factor in FACTORS:
            size, names = int(BASE_BYTES * factor), int(BASE_NAMES * factor)
            path = Path(tmp) / f"facts-{factor}.json"
            path.write_text(json.dumps(make_facts(size, names)))
            alone = _redact_seconds(path)
            with_redact = _command_seconds(path, Path(tmp) / "r.json", "--redact")
            without = _command_seconds(path, Path(tmp) / "p.json")
            ratio = f"{alone / previous:.2f}" if previous else "-"
            print(f"{path.stat().st_size / 1e6:7.2f}MB {names:6d} {alone:8.2f}s {ratio:>7} "
                  f"{with_redact:14.2f}s {without:6.2f}s")
            if factor == 1 and with_redact > GOAL_S:
                worst = 1
            previous = alone
    print(f"goal: the 1 MB file with {BASE_NAMES:,} names redacted under {GOAL_S:.0f} s (whole command): "
          + ("met" if worst == 0 else "NOT met"))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
