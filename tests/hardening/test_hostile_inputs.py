"""Ordinary and crafted inputs that used to end in a traceback or a hang (issue 19, points 3
and 8): each is now one line on stderr naming the file (or option) and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.cli import main

REPO = Path(__file__).resolve().parents[2]
FACTS = REPO / "examples" / "dual-office.json"
LATIN1 = b"Caf\xe9 du Port".decode("utf-8", "surrogateescape")  # what Python makes of Latin-1 argv


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def audit_json(tmp_path: Path) -> Path:
    path = tmp_path / "audit.json"
    assert main(["audit", "--replay", str(FACTS), "--format", "json", "-o", str(path)]) == 0
    return path


@pytest.mark.parametrize("option", ["--site", "--technician"])
def test_latin1_text_options_are_one_line(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--replay", str(FACTS), option, LATIN1]) == 2
    assert "UTF-8" in _one_line(capsys.readouterr().err)


def _deep(depth: int) -> bytes:
    return b'{"a": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("command", ["replay", "report", "diff"])
def test_deep_json_is_one_line(
    command: str, tmp_path: Path, audit_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "deep.json"
    bad.write_bytes(_deep(100_000))
    capsys.readouterr()
    argv = {
        "replay": ["audit", "--replay", str(bad)],
        "report": ["report", str(bad)],
        "diff": ["diff", str(audit_json), str(bad)],
    }[command]
    assert main(argv) == 2
    assert "deep.json" in _one_line(capsys.readouterr().err)


def test_a_5000_digit_integer_in_json_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "big.json"
    bad.write_text('{"hostname": ' + "9" * 5000 + "}")
    assert main(["audit", "--replay", str(bad)]) == 2
    assert "big.json" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("kind", ["answers", "config"])
def test_a_5000_digit_integer_in_toml_is_one_line(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "big.toml"
    bad.write_text("x = " + "9" * 5000 + "\n")
    assert main(["audit", "--replay", str(FACTS), f"--{kind}", str(bad)]) == 2
    assert "big.toml" in _one_line(capsys.readouterr().err)


def test_a_lone_surrogate_is_one_line(
    tmp_path: Path, audit_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(audit_json.read_text())
    data["site"]["name"] = "Caf\ud800"
    bad = tmp_path / "surrogate.json"
    bad.write_text(json.dumps(data))  # ensure_ascii: written as the escape \ud800
    capsys.readouterr()
    assert main(["report", str(bad)]) == 2
    assert "surrogate" in _one_line(capsys.readouterr().err)


def test_a_surrogate_pair_is_text(
    tmp_path: Path, audit_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(audit_json.read_text())
    data["site"]["name"] = "Caf\U0001f600"
    good = tmp_path / "emoji.json"
    good.write_text(json.dumps(data))  # the emoji as the pair \ud83d\ude00
    capsys.readouterr()
    assert main(["report", str(good)]) == 0


def test_dev_zero_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--replay", "/dev/zero"]) == 2
    assert "not a regular file" in _one_line(capsys.readouterr().err)


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import readiness.files as files

    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    assert main(["audit", "--replay", str(FACTS)]) == 2
    assert "too large" in _one_line(capsys.readouterr().err)


def test_a_fifo_with_no_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "facts.json"
    os.mkfifo(fifo)
    # In a child so that the old behaviour (waiting forever for a writer) fails the test
    # instead of hanging the suite; the bound is generous, the fixed code returns at once.
    run = subprocess.run(
        [sys.executable, "-m", "readiness", "audit", "--replay", str(fifo)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 2
    assert "not a regular file" in _one_line(run.stderr)


def test_toml_with_a_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_bytes(b"\xef\xbb\xbf" + (REPO / "examples" / "answers.toml").read_bytes())
    assert main(["audit", "--replay", str(FACTS), "--answers", str(answers)]) == 0


def test_a_replay_error_is_the_only_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["audit", "--replay", str(bad)]) == 2
    assert "bad.json" in _one_line(capsys.readouterr().err)
