"""Thin wrappers over `ip`, `nft` and `ip netns exec`: the only place the lab shells out."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence

IP = shutil.which("ip") or "/usr/sbin/ip"
NFT = shutil.which("nft") or "/usr/sbin/nft"


class LabError(RuntimeError):
    """A lab command failed; the message carries the command and its stderr."""


class LabUnavailable(LabError):
    """This machine cannot run the lab (or this scenario): not root, a tool is missing..."""


def run(
    argv: Sequence[str], *, input: str | None = None, check: bool = True, timeout: float = 10.0
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(argv), input=input, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise LabError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def ip_batch(commands: Sequence[str], netns: str | None = None) -> None:
    """Run many `ip` commands in one process (fast bring-up)."""
    if not commands:
        return
    argv = [IP] + (["-n", netns] if netns else []) + ["-batch", "-"]
    run(argv, input="\n".join(commands) + "\n")


def ns_argv(netns: str, argv: Sequence[str]) -> list[str]:
    return [IP, "netns", "exec", netns, *argv]


def ns_run(
    netns: str, argv: Sequence[str], *, input: str | None = None, check: bool = True, timeout: float = 10.0
) -> subprocess.CompletedProcess[str]:
    return run(ns_argv(netns, argv), input=input, check=check, timeout=timeout)


def nft(netns: str, ruleset: str) -> None:
    ns_run(netns, [NFT, "-f", "-"], input=ruleset)


def sysctl(netns: str, settings: Mapping[str, str]) -> None:
    ns_run(netns, ["sysctl", "-q", "-w", *(f"{k}={v}" for k, v in settings.items())])


def list_netns() -> list[str]:
    out = run([IP, "netns", "list"], check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def netns_pids(netns: str) -> list[int]:
    out = run([IP, "netns", "pids", netns], check=False).stdout
    return [int(x) for x in out.split() if x.isdigit()]
