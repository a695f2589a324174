"""The router probe's time: in the office lab against real snmpd and miniupnpd, and against
the hostile peers of tests/probes/router_peers.py (bounded by its own budget).

    sudo .venv/bin/python -m bench router [--runs N]

Lab (root only): ``probe_router`` run N times in one process inside the office namespace of
``dual`` (the first run apart: it includes loading pysnmp, httpx and defusedxml), with the
lab's v3 user and with the default v2c community; then its time inside a full discovery.
Hostile peers: one fresh process per peer on loopback, the probe's time with its default
budget (1.5 s) and the process's peak RSS against a process that only imported everything.
Goal (issue #20): under 0.5 s in the lab, inside the discovery's budget.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GOAL_S = 0.5

LAB_RUNS = """
import asyncio, json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from readiness.config import load_config
from readiness.model import Facts, Gateway
from readiness.probes.base import ProbeContext
from readiness.probes.router import probe_router
config = load_config(Path(sys.argv[1]))
if sys.argv[3] == "v2c":
    config.router.snmp_v3 = []
ctx = ProbeContext(config=config, facts=Facts(gateways=[Gateway(address=sys.argv[2], family=4)]))
times, statuses = [], []
for _ in range(int(sys.argv[4]) + 1):
    t = time.perf_counter()
    o = asyncio.run(probe_router(ctx))
    times.append(time.perf_counter() - t)
    statuses.append(o.status.value)
print(json.dumps({"times": times, "statuses": statuses}))
"""

DISCOVERY = """
import json, sys
from pathlib import Path
from readiness.config import load_config
from readiness.discovery import discover_sync
f = discover_sync(load_config(Path(sys.argv[1])))
print(json.dumps({n: [r.status.value, r.duration_s] for n, r in f.probes.items()}))
"""

HOSTILE = """
import asyncio, json, resource, sys, time
from readiness.config import Config, Router
from readiness.model import Facts, Gateway
from readiness.probes.base import ProbeContext
from readiness.probes.router import probe_router
import readiness.probes.router_igd, readiness.probes.router_snmp, readiness.probes.router_tr064
from tests.probes import router_peers as peers

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def main(name):
    base = rss()
    kind, _, how = name.partition(":")
    ctx_for = lambda **kw: ProbeContext(config=Config(router=Router(**kw)),
                                        facts=Facts(gateways=[Gateway(address=peers.HOST, family=4)]))
    if kind == "igd":
        peer = peers.hostile_igd(getattr(peers, "igd_" + how))
        async with peer as (port, stats):
            t = time.perf_counter()
            o = await probe_router(ctx_for(ssdp_port=port, snmp=False))
            took = time.perf_counter() - t
    else:
        peer = peers.hostile_snmp(getattr(peers, "snmp_" + how))
        async with peer as (port, stats):
            t = time.perf_counter()
            o = await probe_router(ctx_for(snmp_port=port, igd=False))
            took = time.perf_counter() - t
    print(json.dumps({"took": took, "status": o.status.value, "reason": o.reason, "base_mb": base,
                      "peak_mb": rss(), "sent": stats.sent, "requests": stats.requests}))

asyncio.run(main(sys.argv[1]))
"""

PEERS = (
    "igd:huge",
    "igd:slow",
    "igd:malformed",
    "igd:bomb",
    "snmp:garbage",
    "snmp:looping_walk",
    "snmp:endless_table",
)


def _child(code: str, *args: str, ns_exec: Any = None) -> dict[str, Any]:
    argv = [sys.executable, "-c", code, *args]
    done = (
        ns_exec(argv)
        if ns_exec
        else subprocess.run(argv, capture_output=True, text=True, cwd=REPO, timeout=120)
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def lab(runs: int) -> None:
    from tests.lab import Lab, lab_available, router_agents

    ok, why = lab_available()
    agents, why_agents = router_agents.available()
    if not ok or not agents:
        print(f"lab: skipped ({why or why_agents})")
        return
    with Lab.up("dual") as built:
        gw = built.truth["office"]["gateway"]

        def run(argv: list[str]) -> Any:
            return built.exec(argv, timeout=120)

        for how in ("v3", "v2c"):
            r = _child(LAB_RUNS, str(built.config_path), gw, how, str(runs), ns_exec=run)
            first, rest = r["times"][0], r["times"][1:]
            statuses = sorted(set(r["statuses"]))
            print(
                f"lab dual, {how:<3}: first run {first * 1000:.0f} ms (with imports); "
                f"then median {statistics.median(rest) * 1000:.0f} ms, max {max(rest) * 1000:.0f} ms "
                f"over {len(rest)} runs; status {', '.join(statuses)}; goal < {GOAL_S * 1000:.0f} ms"
            )
        probes = _child(DISCOVERY, str(built.config_path), ns_exec=run)
        status, took = probes["router"]
        slowest = max(v[1] for v in probes.values())
        print(f"lab dual, inside a full discovery: router {took:.2f} s ({status}); slowest {slowest:.2f} s")


def hostile() -> None:
    for name in PEERS:
        r = _child(HOSTILE, name)
        extra = (
            f"peer sent {r['sent'] / 1e6:.1f} MB" if name.startswith("igd") else f"{r['requests']} requests"
        )
        print(
            f"hostile {name:<20} {r['took']:.2f} s  {r['status']:<7} peak RSS {r['peak_mb']:.1f} MB "
            f"(+{r['peak_mb'] - r['base_mb']:.1f} MB over the imports); {extra}; {r['reason']}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench router")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    lab(args.runs)
    hostile()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
