"""Rendering the reports: time, peak memory and size of the HTML (and the Markdown, for scale).

    .venv/bin/python -m bench report

Two audits, each judged once and then rendered in a fresh child process (so one figure's
memory never inflates another's):

- ``office``: the recorded office examples/dual-office.json with examples/answers.toml.
- ``drill``: the same office holding a 10-minute failover drill (bench/memory.py's
  ``long_drill``: 30,000 samples), whose timeline the HTML draws from a few hundred columns.

Figures: the first render (templates compiled, modules imported) and the median of the
next RENDERS; peak RSS of the child after rendering (ru_maxrss); the HTML's size (goal,
issue 16: under 300 kB for the drilled audit). Printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RENDERS = 5
SIZE_GOAL_KB = 300


def _audit(kind: str) -> Any:
    from bench.memory import long_drill
    from readiness.answers_file import apply_answers, load_answers
    from readiness.catalogue import default_catalogue
    from readiness.judgement.engine import evaluate
    from readiness.replay import load_facts
    from readiness.store import new_audit

    catalogue = default_catalogue()
    audit = new_audit("Bench office").model_copy(
        update={"facts": load_facts(REPO / "examples" / "dual-office.json")}
    )
    answers = load_answers(REPO / "examples" / "answers.toml", catalogue)
    audit = apply_answers(audit, answers, audit.started_at)
    if kind == "drill":
        audit = audit.model_copy(update={"drills": [long_drill()]})
    return evaluate(audit, catalogue)


def run_child(kind: str) -> dict[str, Any]:
    from readiness.catalogue import default_catalogue
    from readiness.export.html import render_html
    from readiness.export.markdown import render_markdown

    audit = _audit(kind)
    catalogue = default_catalogue()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    out: dict[str, Any] = {"rss_before_render_mb": round(rss_before, 1)}
    for name, render in (("html", render_html), ("md", render_markdown)):
        times = []
        text = ""
        for _ in range(RENDERS + 1):
            start = time.perf_counter()
            text = render(audit, catalogue)
            times.append(time.perf_counter() - start)
        out[f"{name}_first_ms"] = round(times[0] * 1000, 1)
        out[f"{name}_median_ms"] = round(statistics.median(times[1:]) * 1000, 1)
        out[f"{name}_kb"] = round(len(text.encode()) / 1024, 1)
    out["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
    out["samples"] = sum(len(d.timeline) for d in audit.drills)
    return out


def measure(kind: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.report", "--child", kind],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        p = argparse.ArgumentParser()
        p.add_argument("--child", required=True, choices=["office", "drill"])
        print(json.dumps(run_child(p.parse_args(argv).child)))
        return 0
    columns = f"{'audit':<34} {'HTML first':>10} {'median':>8} {'size':>9} {'peak RSS':>9}"
    print(columns + "  Markdown (first/median/size)")
    worst = 0
    for kind, title in (("office", "recorded office (dual)"), ("drill", "with a 10-minute drill")):
        res = measure(kind)
        if "error" in res:
            print(f"{title:<34} error: {res['error']}")
            worst = 1
            continue
        goal = f" (goal < {SIZE_GOAL_KB} kB)" if kind == "drill" else ""
        print(
            f"{title:<34} {res['html_first_ms']:>7.1f} ms {res['html_median_ms']:>5.1f} ms "
            f"{res['html_kb']:>6.1f} kB {res['rss_mb']:>6.1f} MB  "
            f"{res['md_first_ms']:.1f} / {res['md_median_ms']:.1f} ms / {res['md_kb']:.1f} kB; "
            f"{res['samples']} samples; RSS before rendering {res['rss_before_render_mb']} MB{goal}"
        )
    print(f"\nfirst = the first render in a fresh process; median of the next {RENDERS}; "
          "peak RSS = ru_maxrss of that process (python -m bench.report --child ...)")  # fmt: skip
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
