"""Discovery speed in the office lab, against the standard tools run one after another.

    sudo .venv/bin/python -m bench.discovery [--runs N] [--scenarios dual,dead]

For each scenario: full discovery run inside the office namespace (inner wall time as
measured by the process, and the whole process including Python start-up), then the same
facts gathered by hand with ip, dig, upsc, tracepath, ping and curl, one after another,
with their default settings (each capped at CAP_S so a dead line cannot stall the bench).
Targets (issue #3): <= 3 s on a healthy network, <= 6 s with the internet gone.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from typing import Any

from tests.lab import Lab, lab_available

CAP_S = 20.0
TARGETS = {"dual": 3.0, "dead": 6.0}
DISCOVER = (
    "import sys, time; t = time.perf_counter(); from pathlib import Path; "
    "from readiness.config import load_config; from readiness.discovery import discover_sync; "
    "t1 = time.perf_counter(); f = discover_sync(load_config(Path(sys.argv[1]))); "
    "print(f'{time.perf_counter() - t1:.3f} {t1 - t:.3f}'); "
    "print(' '.join(f'{n}={r.status.value}:{r.duration_s:.2f}' for n, r in f.probes.items()))"
)


def manual_commands(lab: Lab) -> list[list[str]]:
    """What a technician would type to learn the same things."""
    t: dict[str, Any] = lab.truth
    office = t["office"]
    dns_auth = t["dns"]["authoritative"]
    public = t["lines"]["primary"]["public_ip"]
    rev = ".".join(reversed(public.split(".")))
    asn = t["lines"]["primary"]["asn"]
    cmds = [
        ["ip", "-j", "addr"],
        ["ip", "-j", "route"],
        ["ip", "-j", "-6", "route"],
        ["ip", "-j", "neigh"],
        ["ping", "-c", "3", "-i", "0.05", office["gateway"]],
        ["dig", f"@{office['resolver']}", t["dns"]["test_name"]],
        ["dig", f"@{dns_auth[0]}", t["dns"]["echo_a"]],
        ["dig", f"@{dns_auth[1]}", "TXT", t["dns"]["echo_txt"]],
        ["curl", "-s", f"http://{t['echo']['address']}/ip"],
        ["dig", "TXT", f"{rev}.origin.asn.cymru-lab.test"],
        ["dig", "TXT", f"AS{asn}.asn.cymru-lab.test"],
        ["dig", "-x", public],
        ["tracepath", "-n", "-m", "8", t["anchors"][0]],
    ]
    cmds += [["ping", "-c", "10", "-i", "0.06", a] for a in t["anchors"]]
    if t.get("ups"):
        ups = t["ups"]
        cmds.append(["upsc", f"{ups['name']}@{ups['host']}:{ups['port']}"])
    return cmds


def time_manual(lab: Lab) -> tuple[float, list[str]]:
    notes: list[str] = []
    start = time.perf_counter()
    for argv in manual_commands(lab):
        t0 = time.perf_counter()
        try:
            lab.exec(argv, timeout=CAP_S)
        except subprocess.TimeoutExpired:
            notes.append(f"{argv[0]} capped at {CAP_S:g} s")
        notes.append(f"{' '.join(argv[:3])}: {time.perf_counter() - t0:.2f} s")
    return time.perf_counter() - start, notes


def time_discovery(lab: Lab) -> tuple[float, float, str]:
    """(discovery wall inside the process, whole process wall, per-probe summary)."""
    t0 = time.perf_counter()
    done = lab.exec([sys.executable, "-c", DISCOVER, str(lab.config_path)], timeout=120)
    process = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    first, second = done.stdout.splitlines()[:2]
    return float(first.split()[0]), process, second


def bench_scenario(scenario: str, runs: int) -> dict[str, Any]:
    with Lab.up(scenario) as lab:
        time_discovery(lab)  # warm-up: page cache, imports compiled
        inner: list[float] = []
        whole: list[float] = []
        summary = ""
        for _ in range(runs):
            a, b, summary = time_discovery(lab)
            inner.append(a)
            whole.append(b)
        manual, notes = time_manual(lab)
    return {"scenario": scenario, "inner": inner, "whole": whole, "summary": summary,
            "manual": manual, "notes": notes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.discovery", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scenarios", default="dual,dead")
    args = ap.parse_args(argv)
    ok, why = lab_available()
    if not ok:
        print(f"bench.discovery: skipped, the office lab is unavailable: {why}")
        return 0
    for scenario in args.scenarios.split(","):
        r = bench_scenario(scenario, args.runs)
        med = statistics.median(r["inner"])
        med_whole = statistics.median(r["whole"])
        target = TARGETS.get(scenario)
        verdict = ""
        if target is not None:
            verdict = f" (target <= {target:.0f} s: {'met' if med <= target else 'MISSED'})"
        print(f"\n== discovery, lab scenario '{scenario}', {args.runs} runs")
        print(f"  discovery wall      median {med:.2f} s  max {max(r['inner']):.2f} s{verdict}")
        print(f"  whole process       median {med_whole:.2f} s  (Python start-up and imports included)")
        print(f"  probes (last run)   {r['summary']}")
        print(f"  standard tools, one after another: {r['manual']:.2f} s")
        for note in r["notes"]:
            print(f"      {note}")
        ratio, ratio_whole = r["manual"] / med, r["manual"] / med_whole
        print(f"  ratio tools / discovery: {ratio:.1f}x  (whole process: {ratio_whole:.1f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
