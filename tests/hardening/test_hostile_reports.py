"""What reports print cannot be broken by what they print (issue 19, point 5): a technician,
an address, or a summary, conflict, check id, level text or replayed_from read from a saved
audit is escaped for Markdown; terminal escape sequences never reach the terminal through
`report` or `diff`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from readiness.cli import main

REPO = Path(__file__).resolve().parents[2]
FACTS = str(REPO / "examples" / "dual-office.json")
SINGLE = str(REPO / "examples" / "single-office.json")
ANSWERS = str(REPO / "examples" / "answers.toml")
ESC = "\x1b]0;pwned\x07\x1b[2J"
HOSTILE = f"Eve\n```\n# Owned\n| a | b |\n|---|---|\n<script>alert(1)</script> [x](http://evil) {ESC}\u202e"


def _structure(markdown: str) -> list[str]:
    """Each line's first two characters: what makes it a heading, a table row, a fence..."""
    return [line[:2] for line in markdown.splitlines()]


def _saved(tmp_path: Path, name: str = "a.json") -> Path:
    path = tmp_path / name
    argv = ["audit", "--replay", SINGLE, "--answers", ANSWERS, "--format", "json", "-o", str(path)]
    assert main(argv) == 0
    return path


def _assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert len(text.splitlines()) == text.count("\n")  # no carriage return or other line break


def _assert_inert(text: str) -> None:
    _assert_terminal_safe(text)
    # raw HTML and links only as escaped text (a backslash before "<" and "]")
    assert not re.search(r"(?<!\\)<script>|(?<!\\)\]\(http://evil\)", text)


def test_technician_and_address_cannot_restructure_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(f"[site]\nname = \"Office\"\naddress = {json.dumps(HOSTILE)}\n")
    capsys.readouterr()
    assert main(["audit", "--replay", FACTS, "--answers", str(answers), "--technician", HOSTILE]) == 0
    hostile = capsys.readouterr().out
    answers.write_text("[site]\nname = \"Office\"\naddress = \"Plain\"\n")
    assert main(["audit", "--replay", FACTS, "--answers", str(answers), "--technician", "Eve"]) == 0
    plain = capsys.readouterr().out
    assert _structure(hostile) == _structure(plain)
    _assert_inert(hostile)


def test_a_saved_audits_fields_are_escaped_in_report_and_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _saved(tmp_path)
    plain = path.read_text()

    def edited(value: str, name: str) -> tuple[Path, dict[str, object]]:
        data = json.loads(plain)
        failing = next(f for f in data["findings"] if f["verdict"] in ("fail", "warn"))
        for key in ("summary", "conflict", "title"):
            failing[key] = value
        data["score"]["level_text"] = value
        data["facts"]["replayed_from"] = value
        data["site"]["name"] = "Office" + (ESC if value != "Plain" else "")
        out = tmp_path / name
        out.write_text(json.dumps(data))
        return out, failing

    good, _ = edited("Plain", "good.json")
    bad, failing = edited(HOSTILE, "bad.json")
    capsys.readouterr()
    assert main(["report", str(good)]) == 0
    before = capsys.readouterr().out
    assert main(["report", str(bad)]) == 0
    after = capsys.readouterr().out
    assert _structure(after) == _structure(before)
    _assert_inert(after)
    old = json.loads(plain)
    old["site"]["name"] = "Office" + ESC
    next(f for f in old["findings"] if f["check_id"] == failing["check_id"])["verdict"] = "pass"
    older = tmp_path / "old.json"
    older.write_text(json.dumps(old))
    assert main(["diff", str(older), str(bad)]) == 0
    diff = capsys.readouterr().out
    _assert_terminal_safe(diff)
    assert len(diff.splitlines()) == 6  # site, score, counts, blank, heading, the one change


def test_a_check_id_from_a_saved_audit_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    data["findings"][0]["check_id"] = "X\n# injected <b>" + ESC
    path.write_text(json.dumps(data))
    capsys.readouterr()
    rc = main(["report", str(path)])
    out, err = capsys.readouterr()
    if rc == 0:
        _assert_inert(out)
        assert "\n# injected" not in out
    else:  # refused on load as not a check id: one line, nothing printed
        assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1
