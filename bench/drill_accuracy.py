"""How close the drill's numbers come to the lab's truth, over repeated cuts (root only).

    sudo .venv/bin/python bench/drill_accuracy.py [--runs 5] [--scenario dual]

Each run: ``readiness drill --unattended`` in the office namespace, a cut of the primary
after the baseline, a restore a few seconds later. Truth: the cut time ``lab.cut`` returns
and the router's failover switch time (``lab.router_events``). Prints, per run, the error
of the blackout start, of ``blackout_s`` and of ``failover_s`` (measured minus truth), then
the mean and the largest absolute error, the probes sent and the drill's peak RSS (psutil,
polled every 50 ms). Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from readiness.model.drill import DrillResult
from tests.lab import Lab, lab_available


def peak_rss_while(proc: subprocess.Popen[str], until: float) -> int:
    """Poll the process tree's RSS until ``until`` or until it exits; the largest seen, in bytes."""
    peak = 0
    try:
        root = psutil.Process(proc.pid)
    except psutil.NoSuchProcess:
        return 0
    while proc.poll() is None and time.time() < until:
        try:
            procs = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.05)
    return peak


def one_run(lab: Lab, config: Path, hold_s: float) -> dict[str, float]:
    out = config.with_name("bench-result.json")
    out.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "readiness", "drill", "--unattended", "--quiet"]
    argv += ["--max-duration", "40", "--config", str(config), "-o", str(out)]
    proc = lab.popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = peak_rss_while(proc, time.time() + 4.0)  # the baseline
    cut = lab.cut("primary")
    peak = max(peak, peak_rss_while(proc, time.time() + hold_s))
    lab.restore("primary")
    peak = max(peak, peak_rss_while(proc, time.time() + 45))
    _, err = proc.communicate(timeout=60)
    if proc.returncode != 0:
        raise SystemExit(f"drill failed: {err}")
    r = DrillResult.model_validate_json(out.read_text())
    switch = next(e["wall"] for e in lab.router_events() if e["event"] == "failover" and e["wall"] > cut)
    start = next(e.t for e in r.events if e.kind == "blackout_start") + r.started_at.timestamp()
    truth = switch - cut
    return {
        "truth_s": truth,
        "start_err": start - cut,
        "blackout_err": (r.blackout_s or float("nan")) - truth,
        "failover_err": (r.failover_s or float("nan")) - truth,
        "probes": float(r.probes_sent),
        "duration_s": (r.ended_at - r.started_at).total_seconds() if r.ended_at else float("nan"),
        "rss_mb": peak / 2**20,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scenario", default="dual")
    ap.add_argument("--hold", type=float, default=3.0, help="seconds between cut and restore")
    args = ap.parse_args()
    ok, why = lab_available()
    if not ok:
        print(f"skipped: office lab unavailable ({why})")
        return 0
    rows = []
    with Lab.up(args.scenario) as lab:
        config = lab.config_path  # the lab's [drill] stable_s is short
        print(
            f"{'run':>3} {'truth s':>8} {'start err':>10} {'blackout err':>13} {'failover err':>13} "
            f"{'probes':>7} {'probes/s':>8} {'peak RSS MB':>11}"
        )
        for i in range(args.runs):
            row = one_run(lab, config, args.hold)
            rows.append(row)
            print(
                f"{i + 1:>3} {row['truth_s']:>8.3f} {row['start_err']:>+10.3f} {row['blackout_err']:>+13.3f} "
                f"{row['failover_err']:>+13.3f} {row['probes']:>7.0f} "
                f"{row['probes'] / row['duration_s']:>8.1f} {row['rss_mb']:>11.1f}"
            )
            time.sleep(1.0)
    for key in ("start_err", "blackout_err", "failover_err"):
        vals = [r[key] for r in rows]
        print(f"{key:>13}: mean {statistics.fmean(vals):+.3f} s, max |err| {max(abs(v) for v in vals):.3f} s")
    print(f"peak RSS of a drill: {max(r['rss_mb'] for r in rows):.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
