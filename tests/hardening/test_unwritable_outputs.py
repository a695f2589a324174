"""Exports and saves into a full disk, a read-only folder or /proc fail cleanly.

Clean means: exit code 2, one line on stderr naming the file, no partial or temp file
left, and the previous file (if any) byte-for-byte intact. The full disk is a 64 kB
tmpfs mounted for the test and filled up; the read-only folder is a read-only bind mount
(root ignores file modes, so a chmod would prove nothing). Both need root.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness.errors import OutputError
from readiness.judgement.engine import evaluate
from readiness.replay import load_facts
from readiness.store import new_audit, save_audit

REPO = Path(__file__).resolve().parents[2]
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs or a bind mount needs root")
PREVIOUS = b"# the previous report, which must survive\n"


@pytest.fixture
def audit_file(tmp_path: Path) -> Path:
    audit = new_audit("Full disk office").model_copy(
        update={"facts": load_facts(REPO / "examples" / "dual-office.json")}
    )
    path = tmp_path / "audit.json"
    save_audit(evaluate(audit), path)
    return path


def _fill(folder: Path) -> None:
    """Write until the file system says it is full."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        chunk = b"\0" * 4096
        with contextlib.suppress(OSError):
            while True:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
    with contextlib.suppress(OSError):  # the last inodes too, so even an empty file may fail
        for i in range(10_000):
            (folder / f"inode-{i}").touch()


@contextlib.contextmanager
def _mounted(folder: Path, *options: str) -> Iterator[Path]:
    folder.mkdir(exist_ok=True)
    subprocess.run(["mount", *options, str(folder)], check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    with _mounted(tmp_path / "full", "-t", "tmpfs", "-o", "size=64k,nr_inodes=64", "tmpfs") as folder:
        (folder / "report.md").write_bytes(PREVIOUS)
        (folder / "stem.md").write_bytes(PREVIOUS)
        _fill(folder)
        yield folder


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "report.md").write_bytes(PREVIOUS)
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True, capture_output=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def _readiness(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readiness", *argv], capture_output=True, text=True, timeout=60, cwd=REPO
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "filler"}


def _assert_clean_failure(done: subprocess.CompletedProcess[str], target: Path) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    # Progress lines ("replaying recorded facts ...") may come first; the error is one line.
    lines = [ln for ln in done.stderr.strip().splitlines() if "replaying recorded facts" not in ln]
    assert len(lines) == 1, done.stderr
    assert str(target) in lines[0]
    assert "Traceback" not in done.stderr


def _export_argv(audit_file: Path, fmt: str, target: Path) -> list[str]:
    if fmt == "both":  # `report` writes one format; `audit --replay` writes both at once
        return ["audit", "--replay", str(audit_file), "--format", "both", "-o", str(target)]
    return ["report", str(audit_file), "--format", fmt, "-o", str(target)]


@needs_root
@pytest.mark.parametrize(("fmt", "name"), [("md", "report.md"), ("json", "report.json"), ("both", "stem")])
def test_export_into_a_full_disk(audit_file: Path, full_disk: Path, fmt: str, name: str) -> None:
    before = _snapshot(full_disk)
    done = _readiness(*_export_argv(audit_file, fmt, full_disk / name))
    _assert_clean_failure(done, full_disk)
    assert _snapshot(full_disk) == before, "a partial or temp file was left, or the previous file changed"
    assert (full_disk / "report.md").read_bytes() == PREVIOUS


@needs_root
def test_export_into_a_read_only_folder(audit_file: Path, read_only: Path) -> None:
    before = _snapshot(read_only)
    done = _readiness("report", str(audit_file), "-o", str(read_only / "report.md"))
    _assert_clean_failure(done, read_only / "report.md")
    assert _snapshot(read_only) == before


def test_export_into_proc(audit_file: Path) -> None:
    done = _readiness("report", str(audit_file), "-o", "/proc/readiness-test-report.md")
    _assert_clean_failure(done, Path("/proc/readiness-test-report.md"))
    assert not Path("/proc/readiness-test-report.md").exists()


@needs_root
def test_saving_an_audit_onto_a_full_disk_keeps_the_previous_save(audit_file: Path, full_disk: Path) -> None:
    from readiness.store import load_audit

    audit = load_audit(audit_file)
    for leftover in full_disk.iterdir():  # room again, then fill it around the saved audit
        if leftover.name == "filler" or leftover.name.startswith("inode-"):
            leftover.unlink()
    save_audit(audit, full_disk / "audit.json")  # fits while there is room
    previous = (full_disk / "audit.json").read_bytes()
    _fill(full_disk)
    before = _snapshot(full_disk)
    bigger = audit.model_copy(update={"notes": []}, deep=True)
    bigger.site.address = "x" * 200_000  # cannot fit whatever is left
    with pytest.raises(OutputError) as err:
        save_audit(bigger, full_disk / "audit.json")
    assert "\n" not in str(err.value) and str(full_disk / "audit.json") in str(err.value)
    assert (full_disk / "audit.json").read_bytes() == previous
    assert _snapshot(full_disk) == before
