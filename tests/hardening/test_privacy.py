"""Privacy and safety without the lab: no shell, owner-only files, redaction of recorded
offices, an unprivileged run on replayed facts. (The lab half is test_privacy_lab.py.)"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readiness.catalogue import default_catalogue
from readiness.export.redact import is_kept_ip
from readiness.model import Facts
from readiness.replay import load_facts
from readiness.store import new_audit
from tests.leaks import MAC, public_addresses

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "readiness"
EXAMPLES = sorted((REPO / "examples").glob("*-office.json"))

# --- (c) no shell, no untrusted argv ---------------------------------------------------------

# Every program the product may start, and where. A new call site must be added here on
# purpose (and reviewed): the first element of its argv must be a literal from this set.
# Arguments are code literals or local names (interface names from the kernel), never a
# string the network sent us.
EXPECTED_PROGRAMS = {"ip", "iw", "resolvectl"}
SUBPROCESS_FUNCS = {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"}
FORBIDDEN_OS = {"system", "popen", "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp",
                "execvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
                "spawnvpe", "posix_spawn", "posix_spawnp"}  # fmt: skip
ASYNC_FUNCS = {"create_subprocess_exec", "create_subprocess_shell"}
# Reviewed call sites whose program is, by design, the owner's own command: the line
# watcher's alert (`--alert-command` / `[watch] alert_command`, split by shlex, run without
# a shell, bounded in time). Nothing the network sends ever reaches it.
OWNER_COMMAND_SITES = {"readiness/watch/alerts.py"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _program(argv: ast.AST, assigns: dict[str, ast.AST]) -> str | None:
    """The literal program name of an argv list (following one local assignment), else None."""
    if isinstance(argv, ast.Name) and argv.id in assigns:
        argv = assigns[argv.id]
    if isinstance(argv, ast.List | ast.Tuple) and argv.elts:
        first = argv.elts[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return None
    if isinstance(argv, ast.BinOp) and isinstance(argv.op, ast.Add):  # ["ip", "-j"] + args
        return _program(argv.left, assigns)
    return None


def scan_subprocess_calls(root: Path) -> tuple[list[str], dict[str, set[str]]]:
    """(problems, program -> call sites) for every process started under ``root``."""
    problems: list[str] = []
    sites: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        rel = path.relative_to(root.parent)
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            assigns = {
                t.id: n.value
                for n in ast.walk(func)
                if isinstance(n, ast.Assign)
                for t in n.targets
                if isinstance(t, ast.Name)
            }
            for node in ast.walk(func):
                if not isinstance(node, ast.Call):
                    continue
                name = _dotted(node.func)
                where = f"{rel}:{node.lineno}"
                last = name.rsplit(".", 1)[-1]
                if name.startswith("os.") and last in FORBIDDEN_OS:
                    problems.append(f"{where}: {name} (runs through a shell or replaces the process)")
                    continue
                is_subprocess = name.startswith("subprocess.") and last in SUBPROCESS_FUNCS
                is_async = last in ASYNC_FUNCS
                if not (is_subprocess or is_async):
                    continue
                if last in {"getoutput", "getstatusoutput", "create_subprocess_shell"}:
                    problems.append(f"{where}: {name} always uses a shell")
                    continue
                for kw in node.keywords:
                    if kw.arg == "shell" and not (
                        isinstance(kw.value, ast.Constant) and kw.value.value is False
                    ):
                        problems.append(f"{where}: shell= is not False")
                if not node.args:
                    problems.append(f"{where}: {name} without a positional argv")
                    continue
                if is_async:
                    first = node.args[0]
                    program = (
                        first.value
                        if isinstance(first, ast.Constant) and isinstance(first.value, str)
                        else None
                    )
                else:
                    if isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp) and not isinstance(
                        node.args[0], ast.BinOp
                    ):
                        problems.append(f"{where}: {name} with a string command")
                        continue
                    program = _program(node.args[0], assigns)
                if program is None:
                    problems.append(f"{where}: {name}: the program is not a literal")
                    continue
                sites.setdefault(program, set()).add(where)
    # Dedupe: a call inside a function is seen from the module node too.
    return sorted(set(problems)), sites


def test_no_shell_and_only_the_expected_programs() -> None:
    problems, sites = scan_subprocess_calls(PACKAGE)
    owner = [p for p in problems if p.split(":")[0] in OWNER_COMMAND_SITES and p.endswith("is not a literal")]
    assert len(owner) == len(OWNER_COMMAND_SITES)  # each reviewed site is still there, and only once
    problems = [p for p in problems if p not in owner]
    assert problems == []
    assert sites, "the scan found no subprocess call at all: the scanner is broken"
    assert set(sites) == EXPECTED_PROGRAMS, sites


def test_the_scanner_catches_what_it_must(tmp_path: Path) -> None:
    pkg = tmp_path / "bad"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        "import os, subprocess, asyncio\n"
        "def f(host):\n"
        "    os.system('ping ' + host)\n"
        "    subprocess.run('ping ' + host, shell=True)\n"
        "    subprocess.run(f'ping {host}')\n"
        "    subprocess.check_output([host, '-c', '1'])\n"
        "    os.popen('ls')\n"
        "async def g(h):\n"
        "    await asyncio.create_subprocess_shell('ls ' + h)\n"
        "def ok():\n"
        "    subprocess.run(['nc', '-z'], check=False)\n"
    )
    problems, sites = scan_subprocess_calls(pkg)
    text = "\n".join(problems)
    for needle in (
        "os.system",
        "shell= is not False",
        "string command",
        "not a literal",
        "os.popen",
        "always uses a shell",
    ):
        assert needle in text, needle
    assert set(sites) == {"nc"}


# --- (d) owner-only files ---------------------------------------------------------------------


@pytest.fixture
def wide_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: files would be world-readable
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("fmt", ["md", "json", "both"])
def test_exports_are_owner_only(tmp_path: Path, wide_umask: None, fmt: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "audit", "--replay", str(EXAMPLES[0]), "--format", fmt,
         "-o", str(out / "report")],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = sorted(out.iterdir())
    assert written
    for path in written:
        assert _mode(path) == 0o600, f"{path.name} is {oct(_mode(path))}"


def test_saved_audits_are_owner_only_also_when_replacing_a_wider_file(
    tmp_path: Path, wide_umask: None
) -> None:
    from readiness.audit_session import AuditSession

    path = tmp_path / "audit.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    session = AuditSession(new_audit("Owner only"), path, default_catalogue())
    session.set_answer(default_catalogue().questions[0].id, "unknown")
    session.save()
    assert _mode(path) == 0o600
    from readiness.store import audits_dir

    folder = audits_dir()
    assert _mode(folder) & 0o077 == 0, oct(_mode(folder))


# --- (b) redaction of every recorded office (lab recordings) ------------------------------



def sensitive_values(facts: Facts) -> set[str]:
    """Host names, SSIDs and MACs of the site, read from its facts."""
    values: set[str] = set()
    if facts.hostname:
        values.add(facts.hostname)
    for iface in facts.interfaces or []:
        values.update(v for v in (iface.mac, iface.ssid) if v)
    for gw in facts.gateways or []:
        values.update(v for v in (gw.mac,) if v)
    for ident in facts.wan or []:
        values.update(v for v in (ident.reverse_dns, ident.public_ip) if v)
    return {v for v in values if v and not _is_kept(v)}


def _is_kept(value: str) -> bool:
    try:
        return is_kept_ip(value)
    except ValueError:
        return False


def scan_leaks(text: str, facts: Facts) -> list[str]:
    leaks = [f"public address {a}" for a in sorted(public_addresses(text))]
    leaks += [f"MAC {m}" for m in MAC.findall(text)]
    for value in sorted(sensitive_values(facts)):
        # As a whole token: a host called "vm" must not match inside "vmware".
        if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text, re.IGNORECASE):
            leaks.append(f"site value {value}")
    return leaks


def _export(replay: Path, out: Path, *extra: str) -> tuple[str, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "audit", "--replay", str(replay), "--format", "all",
         "-o", str(out), *extra],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    md, js, html = (out.with_suffix(ext).read_text() for ext in (".md", ".json", ".html"))
    return md, js, html


@pytest.mark.parametrize("recorded", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_redact_removes_every_public_address_mac_and_name_of_a_recorded_office(
    recorded: Path, tmp_path: Path
) -> None:
    facts = load_facts(recorded)
    plain_md, plain_json, plain_html = _export(recorded, tmp_path / "plain")
    # The scanner must see the leaks in the unredacted exports, or it proves nothing.
    assert scan_leaks(plain_md, facts) and scan_leaks(plain_json, facts) and scan_leaks(plain_html, facts)
    red_md, red_json, red_html = _export(recorded, tmp_path / "red", "--redact")
    assert scan_leaks(red_md, facts) == []
    assert scan_leaks(red_json, facts) == []
    assert scan_leaks(red_html, facts) == []
    assert json.loads(red_json)["redacted"] is True



def test_redact_removes_the_watched_historys_addresses_from_every_export(tmp_path: Path) -> None:
    """The line watcher's record (--history) holds both lines' public addresses: every export
    of the audit, the HTML annex's history tables and chart included, masks them."""
    from tests.watch.history_db import BACKUP, PRIMARY, fourteen_days

    db = fourteen_days(tmp_path / "w.sqlite3")
    recorded = REPO / "examples/dual-office.json"
    facts = load_facts(recorded)
    plain = _export(recorded, tmp_path / "plain", "--history", str(db))
    assert all(PRIMARY in text and BACKUP in text for text in plain)  # or the scan proves nothing
    assert "Line history (watched)" in plain[2]
    for text in _export(recorded, tmp_path / "red", "--history", str(db), "--redact"):
        assert scan_leaks(text, facts) == []
        assert PRIMARY not in text and BACKUP not in text

# --- (e) unprivileged -------------------------------------------------------------------------

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def can_drop_privileges() -> tuple[bool, str]:
    if os.geteuid() != 0:
        return False, "needs root to switch to the nobody user"
    if shutil.which("setpriv") is None:
        return False, "setpriv (util-linux) is not installed"
    probe = subprocess.run([*NOBODY, sys.executable, "-c", "import readiness"], capture_output=True, cwd=REPO)
    if probe.returncode != 0:
        return False, f"nobody cannot run this interpreter: {probe.stderr.decode()[-200:]}"
    return True, ""


def world_readable_copy(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)
    dst = folder / src.name
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o644)
    return dst


def nobody_env(tmp: Path) -> dict[str, Any]:
    home = tmp / "nobody-home"
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, 0o755)
    shutil.chown(home, 65534, 65534)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"READINESS_DATA_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}
    }
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               READINESS_DATA_DIR=str(home / "audits"))  # fmt: skip
    return env


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A folder the nobody user can enter (pytest's own tmp folder is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="readiness-nobody-", dir="/tmp"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_replayed_audit_runs_as_nobody(public_tmp: Path) -> None:
    ok, why = can_drop_privileges()
    if not ok:
        pytest.skip(why)
    tmp_path = public_tmp
    facts_file = world_readable_copy(REPO / "examples" / "dual-office.json", tmp_path / "pub")
    done = subprocess.run(
        [*NOBODY, sys.executable, "-m", "readiness", "audit", "--replay", str(facts_file), "--format",
         "json"],
        capture_output=True, text=True, timeout=60, cwd=REPO, env=nobody_env(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    audit = json.loads(done.stdout)
    assert audit["findings"] and audit["facts"]["replayed_from"] == str(facts_file)
