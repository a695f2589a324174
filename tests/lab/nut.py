"""NUT for the lab: the real upsd plus the dummy-ups driver, configured in a private folder.

dummy-ups runs in ``dummy-once`` mode: it re-reads its .dev file whenever the file changes,
so switching the UPS to battery is a file rewrite (visible to clients within ~1 s).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

UPSD = Path("/lib/nut/upsd")
DRIVER = Path("/lib/nut/dummy-ups")

ON_LINE = "OL"
ON_BATTERY = "OB DISCHRG"


def nut_available() -> tuple[bool, str]:
    for exe in (UPSD, DRIVER):
        if not os.access(exe, os.X_OK):
            return False, f"{exe} not found: install Debian's nut-server"
    return True, ""


def dev_text(status: str, charge: int = 100, runtime_s: int = 1800) -> str:
    return (
        "ups.mfr: LabPower\n"
        "ups.model: Lab UPS 1500\n"
        "device.type: ups\n"
        f"ups.status: {status}\n"
        f"battery.charge: {charge}\n"
        f"battery.runtime: {runtime_s}\n"
        "ups.load: 23\n"
        "battery.mfr.date: 2024-01-15\n"
    )


def write_config(folder: Path, ups_name: str, listen: str, port: int) -> dict[str, str]:
    """Write ups.conf, upsd.conf, upsd.users, nut.conf and the .dev file; return the environment."""
    conf = folder / "nut-conf"
    state = folder / "nut-state"
    conf.mkdir(parents=True, exist_ok=True)
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    dev = conf / f"{ups_name}.dev"
    dev.write_text(dev_text(ON_LINE))
    (conf / "ups.conf").write_text(
        f"[{ups_name}]\n  driver = dummy-ups\n  port = {dev}\n  mode = dummy-once\n"
        f'  pollinterval = 1\n  desc = "office lab UPS"\n'
    )
    (conf / "upsd.conf").write_text(f"LISTEN {listen} {port}\n")
    (conf / "upsd.users").write_text("")
    (conf / "nut.conf").write_text("MODE=netserver\n")
    for f in conf.iterdir():
        os.chmod(f, 0o640)
    return {"NUT_CONFPATH": str(conf), "NUT_STATEPATH": str(state)}


def driver_argv(ups_name: str) -> list[str]:
    return [str(DRIVER), "-a", ups_name, "-u", "root", "-F"]


def upsd_argv() -> list[str]:
    return [str(UPSD), "-u", "root", "-F"]


def set_status(folder: Path, ups_name: str, status: str, charge: int = 100, runtime_s: int = 1800) -> None:
    dev = folder / "nut-conf" / f"{ups_name}.dev"
    tmp = dev.with_suffix(".tmp")
    tmp.write_text(dev_text(status, charge, runtime_s))
    os.chmod(tmp, 0o640)
    # dummy-ups notices a change by the file's mtime in whole seconds: make sure it moves even
    # when two changes fall within the same second.
    try:
        previous = int(dev.stat().st_mtime)
    except OSError:
        previous = 0
    stamp = max(int(time.time()), previous + 1)
    os.utime(tmp, (stamp, stamp))
    tmp.replace(dev)
