"""The wheel carries checks/ and reports/, and an installed copy finds them."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wheel(repo_root_module: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(repo_root_module),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [built] = out.glob("readiness-*.whl")
    return built


@pytest.fixture(scope="module")
def repo_root_module() -> Path:
    return Path(__file__).resolve().parent.parent.parent


def test_wheel_ships_the_data(wheel: Path, repo_root_module: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("checks", "reports"):
        shipped = sorted(p.name for p in (repo_root_module / folder).iterdir() if p.is_file())
        assert shipped, f"{folder}/ is empty"
        for name in shipped:
            assert f"readiness/_data/{folder}/{name}" in names
    assert "readiness/_data/reports/report.md.j2" in names
    assert "readiness/_data/reports/audit.schema.json" in names
    assert "readiness/cli.py" in names and "readiness/py.typed" in names


def test_installed_copy_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    """Unzip the wheel (what an installer does) and import from there, ahead of the checkout."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import readiness, readiness.paths as p\n"
        "from readiness.catalogue import default_catalogue\n"
        "from readiness.export.markdown import render_markdown\n"
        "from readiness.store import new_audit\n"
        "md = render_markdown(new_audit('Wheel Office'))\n"
        "print(json.dumps({'pkg': readiness.__file__, 'checks': str(p.checks_dir()),\n"
        "  'reports': str(p.reports_dir()), 'n': len(default_catalogue().checks),\n"
        "  'md': md.splitlines()[0]}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen["pkg"].startswith(str(site))
    assert seen["checks"] == str(site / "readiness" / "_data" / "checks")
    assert seen["reports"] == str(site / "readiness" / "_data" / "reports")
    assert seen["n"] > 0
    assert seen["md"] == "# Internet continuity report: Wheel Office"
