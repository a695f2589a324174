"""Control command for the office lab.

python -m tests.lab up dual            # build a scenario and leave it running
python -m tests.lab status
python -m tests.lab cut primary [--link]
python -m tests.lab restore primary
python -m tests.lab switch backup      # manual scenario: the technician's switch
python -m tests.lab ups battery|line
python -m tests.lab exec -- readiness audit --config /run/readiness-lab/.../readiness.toml
python -m tests.lab shell              # an interactive shell inside the office
python -m tests.lab down
python -m tests.lab cleanup [--all]    # remove leftovers of crashed runs (--all: every lab)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tests.lab.cleanup import cleanup_stale
from tests.lab.lab import CURRENT, REPO, Lab
from tests.lab.netns import LabError
from tests.lab.scenarios import SCENARIOS


def record(scenario: str, folder: Path) -> Path:
    """Run `readiness audit` in a fresh ``scenario`` and keep its facts (a recorded office).

    The audit runs with the host name ``office-pc`` (a private UTS namespace), so no
    recording carries the name of the machine that made it.
    """
    with Lab.up(scenario) as lab:
        out = lab.dir / "record.json"
        script = 'hostname office-pc && exec "$@"'
        readiness = str(REPO / ".venv" / "bin" / "readiness")
        argv = [
            "unshare",
            "--uts",
            "sh",
            "-c",
            script,
            "sh",
            readiness,
            "audit",
            "--config",
            str(lab.config_path),
            "--format",
            "json",
            "-o",
            str(out),
        ]
        proc = lab.exec(argv, timeout=120)
        if proc.returncode != 0:
            raise LabError(f"readiness audit failed in {scenario}: {proc.stderr.strip()}")
        facts = json.loads(out.read_text())["facts"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{scenario}-office.json"
    path.write_text(json.dumps(facts, indent=2) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.lab", description="The readiness office lab.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="build a scenario and leave it running")
    up.add_argument("scenario", choices=sorted(SCENARIOS))
    sub.add_parser("down", help="tear the running lab down")
    sub.add_parser("status", help="show the running lab")
    sub.add_parser("truth", help="print the running lab's ground truth as JSON")
    for name in ("cut", "restore"):
        p = sub.add_parser(name, help=f"{name} a line (prints the exact time)")
        p.add_argument("line", choices=["primary", "backup", "tether"])
        if name == "cut":
            p.add_argument("--link", action="store_true", help="take the link down instead of dropping")
    sw = sub.add_parser("switch", help="point the router at a line (what a technician does by hand)")
    sw.add_argument("line", choices=["primary", "backup"])
    ups = sub.add_parser("ups", help="put the UPS on battery or back on line")
    ups.add_argument("state", choices=["battery", "line"])
    ex = sub.add_parser("exec", help="run a command inside the office namespace")
    ex.add_argument("argv", nargs=argparse.REMAINDER)
    sub.add_parser("shell", help="an interactive shell inside the office namespace")
    rec = sub.add_parser("record", help="record each scenario's facts into examples/<scenario>-office.json")
    rec.add_argument("scenarios", nargs="*", choices=[[], *sorted(SCENARIOS)], default=[])
    rec.add_argument("--out", type=Path, default=REPO / "examples", help="folder (default: examples/)")
    cl = sub.add_parser("cleanup", help="remove labs left by crashed runs")
    cl.add_argument("--all", action="store_true", help="remove every lab, running or not")
    args = ap.parse_args(argv)
    try:
        return _run(args)
    except LabError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.cmd == "up":
        if CURRENT.exists():
            try:
                Lab.attach().down()
            except LabError:
                CURRENT.unlink(missing_ok=True)
        lab = Lab.up(args.scenario, persistent=True)
        CURRENT.write_text(lab.prefix + "\n")
        print(f"lab {lab.prefix} up: scenario {args.scenario} in {lab.bringup_s:.2f} s")
        print(f"office namespace: {lab.office_ns}")
        print(f"readiness config: {lab.config_path}")
        print(f"try: ip netns exec {lab.office_ns} .venv/bin/readiness --config {lab.config_path}")
        return 0
    if args.cmd == "record":
        for name in args.scenarios or sorted(SCENARIOS):
            path = record(name, args.out)
            print(f"{name}: {path}")
        return 0
    if args.cmd == "cleanup":
        removed = cleanup_stale(everything=args.all)
        print("removed: " + (", ".join(removed) if removed else "nothing"))
        return 0
    lab = Lab.attach()
    if args.cmd == "down":
        lab.down()
        print(f"lab {lab.prefix} down")
    elif args.cmd == "status":
        print(json.dumps(lab.status(), indent=2))
    elif args.cmd == "truth":
        print(json.dumps(lab.truth, indent=2))
    elif args.cmd == "cut":
        lab.cut(args.line, how="link" if args.link else "drop")
    elif args.cmd == "restore":
        lab.restore(args.line)
    elif args.cmd == "switch":
        lab.switch(args.line)
    elif args.cmd == "ups":
        (lab.ups_on_battery if args.state == "battery" else lab.ups_on_line)()
    elif args.cmd == "exec":
        argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
        if not argv:
            print("exec needs a command: python -m tests.lab exec -- CMD ...", file=sys.stderr)
            return 2
        os.execvp("ip", ["ip", "netns", "exec", lab.office_ns, *argv])  # noqa: S606
    elif args.cmd == "shell":
        os.execvp("ip", ["ip", "netns", "exec", lab.office_ns, os.environ.get("SHELL", "/bin/bash")])  # noqa: S606
    return 0


if __name__ == "__main__":
    sys.exit(main())
