"""The README's first command, `make run`, on a fresh clone (issue 21).

What gets installed is decided by stamps inside the virtual environment tied to pyproject.toml,
never by an import that the source tree in the current folder satisfies. These tests read make's
plan (`make -n`) in a scratch folder holding the project's Makefile and pyproject.toml next to the
real `readiness/` package, so `import readiness.cli` would succeed there: the old check's trap.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


def _make(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "readiness").symlink_to(ROOT / "readiness")
    return tmp_path


def _fake_venv(checkout: Path) -> Path:
    """A .venv whose python exists, as after a first `make run`."""
    bin_dir = checkout / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    return checkout / ".venv"


def test_a_fresh_clone_builds_the_environment_and_installs_the_app_even_when_the_source_imports(
    checkout: Path,
) -> None:
    imports = subprocess.run(
        [sys.executable, "-c", "import readiness.cli"], cwd=checkout, capture_output=True, check=False
    )
    assert imports.returncode == 0, "the scratch checkout must reproduce the trap: the source imports"
    plan = _make(checkout, "-n", "run")
    assert plan.returncode == 0, plan.stderr
    assert "-m venv .venv" in plan.stdout
    assert "pip install -q -e ." in plan.stdout
    assert ".venv/bin/readiness" in plan.stdout


def test_an_installed_environment_starts_the_app_without_installing(checkout: Path) -> None:
    venv = _fake_venv(checkout)
    stamp = venv / ".installed-run"
    stamp.touch()
    later = (checkout / "pyproject.toml").stat().st_mtime + 10
    os.utime(stamp, (later, later))
    plan = _make(checkout, "-n", "run")
    assert plan.returncode == 0, plan.stderr
    assert "pip install" not in plan.stdout
    assert "-m venv" not in plan.stdout
    assert ".venv/bin/readiness" in plan.stdout


def test_changed_dependencies_are_installed_again(checkout: Path) -> None:
    venv = _fake_venv(checkout)
    stamp = venv / ".installed-run"
    stamp.touch()
    earlier = (checkout / "pyproject.toml").stat().st_mtime - 10
    os.utime(stamp, (earlier, earlier))
    plan = _make(checkout, "-n", "run")
    assert "pip install -q -e ." in plan.stdout
    assert "-m venv" not in plan.stdout


def _fake_python(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / name
    script.write_text(f"#!/bin/sh\n{body}\nexec {sys.executable} \"$@\"\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("body", "as_uid", "says"),
    [
        (
            'case "$*" in *version_info*) exit 1;; -V) echo "Python 3.9.2"; exit 0;; esac',
            "0",
            "readiness needs Python 3.11 or newer, and {py} is 3.9.2",
        ),
        ('case "$*" in *ensurepip*) exit 1;; esac', "1000", "install Debian's python3-venv"),
    ],
    ids=["python-too-old", "no-venv-module-not-root"],
)
def test_a_machine_lacking_what_make_run_needs_gets_one_line_saying_what_to_install(
    checkout: Path, tmp_path: Path, body: str, as_uid: str, says: str
) -> None:
    python = _fake_python(tmp_path, "python-under-test", body)
    done = _make(checkout, "run", f"PYTHON={python}", f"AS_UID={as_uid}")
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says.format(py=python) in lines[0]
    assert "Traceback" not in done.stderr
    assert not (checkout / ".venv").exists()


def test_no_python_at_all_is_one_line_too(checkout: Path) -> None:
    done = _make(checkout, "run", "PYTHON=no-such-python3")
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and len(lines) == 1, done.stderr
    assert "install Python 3.11 or newer" in lines[0]


def test_ci_runs_the_readme_commands_in_order_make_run_before_make_test() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip().startswith("make ")]
    assert commands[0].startswith('make run ARGS="--version"')
    assert any("audit --replay" in c for c in commands[:-1])
    assert commands[-1] == "make test"
