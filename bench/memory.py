"""Peak memory (RSS) of a full headless audit and of a ten-minute drill.

    sudo .venv/bin/python -m bench.memory      # lab audit too when root and the lab can run
    .venv/bin/python -m bench.memory           # replayed audit and the drill only

Each figure is measured in a fresh child process (``resource.getrusage`` ru_maxrss, the
peak resident set of that process alone), so one figure's garbage never inflates another:

- ``interpreter + imports``: Python with readiness, pydantic, jinja2, httpx... imported
  and nothing done, for scale.
- ``audit (replay)``: judge a recorded office (examples/dual-office.json), evaluate, save
  the audit, render Markdown and JSON.
- ``audit (lab, live)``: real discovery in the office lab's namespace with the lab config,
  then the same steps (root and the lab only).
- ``drill 10 min``: a DrillResult of 10 minutes at 100 ms x 5 probe kinds (30,000
  samples), stored in an audit, evaluated, saved, rendered to Markdown and JSON.

Target (issue #7): <= 100 MB RSS for each audit and for the drill.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_MB = 100.0
FACTS = REPO / "examples" / "dual-office.json"
DRILL_SECONDS = 600
INTERVAL_MS = 100
PROBE_KINDS = (
    "icmp:198.18.10.1",
    "tcp:198.18.20.1:443",
    "dns:www.lab.test",
    "echo:https://echo.lab.test/ip",
    "vpn:wg0",
)


# --- children: each does one job and prints {"rss_mb": ..., ...} -----------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _finish(audit: Any, folder: Path) -> dict[str, Any]:
    """Evaluate, save, render both exports: what every audit ends with."""
    from readiness.catalogue import default_catalogue
    from readiness.export.json_export import render_json
    from readiness.export.markdown import render_markdown
    from readiness.judgement.engine import evaluate
    from readiness.store import save_audit

    audit = evaluate(audit, default_catalogue())
    save_audit(audit, folder / "audit.json")
    md = render_markdown(audit, default_catalogue()).encode()
    js = render_json(audit)
    return {"saved_kb": round((folder / "audit.json").stat().st_size / 1024), "md_kb": len(md) // 1024,
            "json_kb": len(js) // 1024}  # fmt: skip


def child_imports() -> dict[str, Any]:
    import readiness.export.json_export
    import readiness.export.markdown
    import readiness.judgement.engine
    import readiness.store  # noqa: F401

    return {}


def child_replay(folder: Path) -> dict[str, Any]:
    from readiness.replay import load_facts
    from readiness.store import new_audit

    audit = new_audit("Bench office").model_copy(update={"facts": load_facts(FACTS)})
    return _finish(audit, folder)


def child_live(folder: Path, config: Path) -> dict[str, Any]:
    from readiness.config import load_config
    from readiness.discovery import discover_sync
    from readiness.store import new_audit

    start = time.perf_counter()
    facts = discover_sync(load_config(config))
    took = time.perf_counter() - start
    audit = new_audit("Bench office").model_copy(update={"facts": facts})
    out = _finish(audit, folder)
    out["discovery_s"] = round(took, 2)
    out["probes"] = {n: r.status.value for n, r in facts.probes.items()}
    return out


def long_drill() -> Any:
    """A 10-minute failover drill: primary cut at 120 s, 3 s blackout, back at 480 s."""
    from readiness.model import DrillEvent, DrillOutcome, DrillResult, DrillSample, WanSnapshot

    samples: list[DrillSample] = []
    steps = DRILL_SECONDS * 1000 // INTERVAL_MS
    for i in range(steps):
        t = round(i * INTERVAL_MS / 1000, 3)
        down = 120.0 <= t < 123.0 or 480.0 <= t < 480.8
        on_backup = 123.0 <= t < 480.0
        for kind in PROBE_KINDS:
            ok = not down
            detail = None
            if kind.startswith("echo:") and ok:
                detail = "203.0.113.10" if on_backup else "198.51.100.10"
            elif not ok:
                detail = "timeout"
            samples.append(
                DrillSample(t=t, probe=kind, ok=ok, rtt_ms=None if not ok else 12.5 + (i % 7), detail=detail)
            )
    start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    return DrillResult(
        id="bench-drill",
        started_at=start,
        ended_at=start + timedelta(seconds=DRILL_SECONDS),
        unattended=True,
        interval_ms=INTERVAL_MS,
        outcome=DrillOutcome.FAILOVER_OK,
        time_to_first_loss_s=0.1,
        blackout_s=3.0,
        failover_s=3.2,
        failback_s=0.8,
        returned_to_primary=True,
        primary=WanSnapshot(public_ip="198.51.100.10", asn=64500, as_name="LAB-FIBRE-A", rtt_ms=12.0),
        backup=WanSnapshot(public_ip="203.0.113.10", asn=64501, as_name="LAB-MOBILE-B", rtt_ms=35.0),
        same_provider=False,
        dns_during_blackout=False,
        probes_sent=len(samples),
        events=[DrillEvent(t=120.0, kind="cut_requested"), DrillEvent(t=123.2, kind="address_changed"),
                DrillEvent(t=480.0, kind="restore_requested"), DrillEvent(t=480.8, kind="failback")],
        timeline=samples,
    )  # fmt: skip


def child_drill(folder: Path) -> dict[str, Any]:
    from readiness.replay import load_facts
    from readiness.store import new_audit

    drill = long_drill()
    audit = new_audit("Bench office").model_copy(update={"facts": load_facts(FACTS), "drills": [drill]})
    out = _finish(audit, folder)
    out["samples"] = len(drill.timeline)
    return out


def run_child(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--child", required=True, choices=["imports", "replay", "live", "drill"])
    p.add_argument("--config", type=Path)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        if args.child == "imports":
            out = child_imports()
        elif args.child == "replay":
            out = child_replay(folder)
        elif args.child == "live":
            out = child_live(folder, args.config)
        else:
            out = child_drill(folder)
        out["wall_s"] = round(time.perf_counter() - start, 2)
    out["rss_mb"] = round(_peak_mb(), 1)
    print(json.dumps(out))
    return 0


# --- the parent: run each child, print the table ----------------------------------------------


def measure(argv: list[str], runner: Any = None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.memory", *argv]
    done = (
        runner(cmd)
        if runner is not None
        else subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=300)
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def lab_figure() -> tuple[str, dict[str, Any]] | None:
    if os.geteuid() != 0:
        return None
    try:
        from tests.lab import Lab, lab_available
    except ImportError:
        return None
    ok, why = lab_available()
    if not ok:
        print(f"(lab audit skipped: {why})")
        return None
    with Lab.up("dual") as lab:
        return "audit (lab dual, live)", measure(
            ["--child", "live", "--config", str(lab.config_path)],
            runner=lambda cmd: lab.exec(cmd, timeout=300),
        )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        return run_child(argv)
    rows: list[tuple[str, dict[str, Any], float | None]] = [
        ("interpreter + imports", measure(["--child", "imports"]), None),
        ("audit (replay dual-office)", measure(["--child", "replay"]), TARGET_MB),
    ]
    live = lab_figure()
    if live is not None:
        rows.append((live[0], live[1], TARGET_MB))
    samples = DRILL_SECONDS * 1000 // INTERVAL_MS * len(PROBE_KINDS)
    drill = measure(["--child", "drill"])
    rows.append((f"drill {DRILL_SECONDS // 60} min ({samples} samples)", drill, TARGET_MB))

    print(f"{'figure':<40} {'peak RSS':>10} {'target':>8} {'ratio':>6}  notes")
    worst = 0
    for name, res, target in rows:
        if "error" in res:
            print(f"{name:<40} {'error':>10}  {res['error']}")
            worst = 1
            continue
        rss = res["rss_mb"]
        ratio = f"{rss / target:.2f}" if target else "-"
        notes = ", ".join(f"{k}={v}" for k, v in res.items() if k not in {"rss_mb", "probes"})
        print(f"{name:<40} {rss:>7.1f} MB {(f'{target:.0f} MB' if target else '-'):>8} {ratio:>6}  {notes}")
        if target and rss > target:
            worst = 1
    print("\npeak RSS = ru_maxrss of a fresh child process per figure (python -m bench.memory --child ...)")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
