"""The lab router's own agents: Debian's snmpd (v2c read-only ``public`` on the LAN address,
and a v3 user) and miniupnpd (UPnP IGD on the LAN side), so the router probe has a real
router to ask. Both listen on the router's LAN address only."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.lab import scenarios as S

SNMPD = "/usr/sbin/snmpd"
MINIUPNPD = "/usr/sbin/miniupnpd"
# The v3 user the lab's config gives the probe (the config is then owner-only).
V3_USER = "labmonitor"
V3_AUTH = "lab-auth-passphrase"
V3_PRIV = "lab-priv-passphrase"
SYS_NAME = "office-gw"
SYS_DESCR = "LabNet LabRouter DualWAN 2.1 (Linux)"
MODEL = "LabRouter DualWAN"
SERIAL = "LSN42X7Q1"  # miniupnpd keeps 9 characters


def available() -> tuple[bool, str]:
    missing = [p for p in (SNMPD, MINIUPNPD) if not Path(p).exists()]
    if missing or shutil.which("nft") is None:
        return False, f"needs {', '.join(missing) or 'nft'} (make deps installs snmpd and miniupnpd)"
    return True, ""


def snmpd_argv(folder: Path) -> list[str]:
    conf = folder / "snmpd.conf"
    conf.write_text(
        f"""agentAddress udp:{S.LAN_ROUTER}:161
rocommunity public {S.LAN_NET}
createUser {V3_USER} SHA "{V3_AUTH}" AES "{V3_PRIV}"
rouser {V3_USER} priv
sysName {SYS_NAME}
sysDescr {SYS_DESCR}
sysObjectID .1.3.6.1.4.1.8072.3.2.10
sysLocation office lab
"""
    )
    conf.chmod(0o600)
    state = folder / "snmp-state"
    state.mkdir(exist_ok=True)
    # -f foreground, -Lo log to stdout, -C only this config (not the host's /etc/snmp).
    pid = folder / "snmpd.pid"
    # Started under another name: the office shares the host's process list, and the
    # operations probe would take a process named `snmpd` for the office's own monitoring.
    exe = folder / "lab-router-snmpd"
    if not exe.exists():
        exe.symlink_to(SNMPD)
    return [str(exe), "-f", "-Lo", "-C", "-c", str(conf), f"--persistentDir={state}", "-p", str(pid)]


def miniupnpd_argv(folder: Path, ext_if: str) -> list[str]:
    """miniupnpd 2.3 refuses a documentation-range ext_ip (the lab's internet), so its
    GetExternalIPAddress stays empty; the probe then joins its line to the default route's."""
    conf = folder / "miniupnpd.conf"
    conf.write_text(
        f"""ext_ifname={ext_if}
listening_ip=lan0
port=5000
enable_natpmp=no
enable_upnp=yes
secure_mode=yes
system_uptime=yes
uuid=3c2ee6a1-0000-4000-8000-3ca62f500001
friendly_name=Office router
manufacturer_name=LabNet
model_name={MODEL}
model_number=2.1
serial={SERIAL}
bitrate_up=50000000
bitrate_down=250000000
notify_interval=900
lease_file={folder / "upnp.leases"}
allow 1024-65535 {S.LAN_NET} 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
"""
    )
    return [MINIUPNPD, "-d", "-f", str(conf), "-P", str(folder / "miniupnpd.pid")]
