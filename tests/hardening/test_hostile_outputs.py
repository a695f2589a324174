"""`-o` never replaces what it should not, cleans up on signals and reads like one line.

Issue 19, point 1. A tool run as root must not turn /dev/null, a FIFO or a /proc link into
a plain file; SIGTERM or SIGHUP while writing must not leave hidden staged copies; a long
name, an empty `-o`, a folder that cannot be entered or a name too long for the file
system are one-line errors with exit 2, and they are found before anything is judged.
"""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pytest

import readiness.export.write as write_mod
from readiness.cli import main

REPO = Path(__file__).resolve().parents[2]
FACTS = str(REPO / "examples" / "dual-office.json")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


def _audit(tmp_path: Path, *extra: str) -> int:
    return main(["audit", "--replay", FACTS, *extra])


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@needs_root
def test_a_device_node_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    assert _audit(tmp_path, "-o", str(node)) == 2
    assert "device" in _one_line(capsys.readouterr().err)
    assert stat.S_ISCHR(node.lstat().st_mode)


def test_a_fifo_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert _audit(tmp_path, "-o", str(fifo)) == 2
    assert "FIFO" in _one_line(capsys.readouterr().err)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_link_such_as_proc_self_fd_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "out.md"
    link.symlink_to("/proc/self/fd/1")
    assert _audit(tmp_path, "-o", str(link)) == 2
    line = _one_line(capsys.readouterr().err)
    assert "symbolic link" in line and "-o -" in line
    assert link.is_symlink()


def test_both_formats_refuse_a_fifo_for_either_file_before_judging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "r.json")
    assert _audit(tmp_path, "--format", "both", "-o", str(tmp_path / "r")) == 2
    err = capsys.readouterr().err
    assert "replaying" not in err  # refused before the facts were even read
    assert "FIFO" in _one_line(err)
    assert not (tmp_path / "r.md").exists()


def test_a_long_name_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / ("r" * 240 + ".md")
    assert _audit(tmp_path, "-o", str(target)) == 0
    assert target.read_text().startswith("# ")
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_name_too_long_for_the_file_system_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _audit(tmp_path, "-o", str(tmp_path / ("r" * 300 + ".md"))) == 2
    assert "too long" in _one_line(capsys.readouterr().err)


def test_an_empty_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _audit(tmp_path, "-o", "") == 2
    assert "empty" in _one_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_entered_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A path through a regular file cannot be entered even by root (ENOTDIR).
    (tmp_path / "file").write_text("x")
    assert _audit(tmp_path, "-o", str(tmp_path / "file" / "sub" / "r.md")) == 2
    _one_line(capsys.readouterr().err)


def test_a_folder_the_user_cannot_enter_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Path.is_dir() raised PermissionError for an ordinary user. Root ignores folder modes
    and an unprivileged child cannot run this venv (it lives under /root), so the one
    thing that cannot run here, the kernel saying EACCES, is stood in for."""
    private = tmp_path / "private"
    real_stat = Path.stat

    def stat_as_a_stranger(self: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        if private in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", stat_as_a_stranger)
    assert _audit(tmp_path, "-o", str(private / "sub" / "r.md")) == 2
    assert "Permission denied" in _one_line(capsys.readouterr().err)


def test_an_unwritable_output_folder_is_refused_before_judging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import readiness.export.outputs as outputs

    # Root ignores folder modes; a read-only bind mount is tested elsewhere. Here the
    # permission answer is what is under test: that it is asked before the facts are read.
    monkeypatch.setattr(outputs.os, "access", lambda path, mode: False)
    assert _audit(tmp_path, "-o", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "replaying" not in err and "not writable" in _one_line(err)


def test_dash_writes_to_stdout(capsys: pytest.CaptureFixture[bytes]) -> None:
    assert main(["audit", "--replay", FACTS, "--format", "json", "-o", "-"]) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_writing_leaves_no_staged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], signum: int
) -> None:
    real = write_mod.write_atomic
    calls = []

    def write_then_signal(path: Path, data: bytes, mode: int = 0o600) -> None:
        real(path, data, mode)
        calls.append(path)
        if len(calls) == 2:  # both files staged, none placed yet
            os.kill(os.getpid(), signum)

    monkeypatch.setattr(write_mod, "write_atomic", write_then_signal)
    before = signal.getsignal(signum)
    assert _audit(tmp_path, "--format", "both", "-o", str(tmp_path / "r")) == 128 + signum
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signum) == before
    assert "terminated" in capsys.readouterr().err
