"""The headless CLI end to end on recorded (fixture) facts: never real discovery here."""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import readiness.cli as cli
from readiness.catalogue import default_catalogue
from readiness.export.json_export import render_json
from readiness.model import Severity, Verdict
from readiness.schema import validation_errors
from readiness.store import parse_audit
from readiness.version import __version__
from tests.leaks import MAC, public_addresses
from tests.unit import audit_fixtures as fx


@pytest.fixture(autouse=True)
def _no_real_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real discovery would probe this host's gateway and resolvers: every test here replays."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a CLI test reached real discovery; pass --replay")

    import readiness.discovery

    monkeypatch.setattr(readiness.discovery, "discover_sync", refuse)


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(fx.facts().model_dump_json(indent=2))
    return path


@pytest.fixture
def answers_file(repo_root: Path) -> Path:
    return repo_root / "examples" / "answers.toml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "work"
    out.mkdir()
    monkeypatch.chdir(out)
    return out


def run(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, str]:
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


PROGRESS = ("readiness: replaying recorded facts", "readiness: wrote ")


def one_error_line(err: str) -> str:
    """The error: exactly one line on stderr besides progress messages."""
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(PROGRESS)]
    assert len(lines) == 1, err
    assert lines[0].startswith("readiness: ")
    return lines[0]


# ---------------------------------------------------------------- audit


def test_audit_both_writes_md_and_a_schema_valid_json(
    facts_file: Path, answers_file: Path, workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(
        [
            "audit",
            "--replay",
            str(facts_file),
            "--answers",
            str(answers_file),
            "--format",
            "both",
            "-o",
            str(workdir / "site"),
        ],
        capsysbinary,
    )
    assert code == 0, err
    assert out == b""  # data went to the files, diagnostics to stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["site.json", "site.md"]
    doc = json.loads((workdir / "site.json").read_text())
    assert validation_errors(doc) == []
    audit = parse_audit((workdir / "site.json").read_bytes(), "site.json")
    assert audit.site.name == "Example Dental Practice" and audit.technician == "Alex Martin"
    assert audit.facts.replayed_from == str(facts_file)
    assert audit.answers["max_outage_minutes"].value == 15
    assert {f.check_id for f in audit.findings} == {c.id for c in default_catalogue().checks}
    assert audit.score is not None
    md = (workdir / "site.md").read_text()
    assert md.startswith("# Internet continuity report: Example Dental Practice")
    assert f"what the setup survives | {audit.score.level}" in md.split("# Technician's annex")[0]
    assert "wrote " in err


def test_audit_both_without_output_uses_the_default_stem_here(
    facts_file: Path, workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, _, err = run(
        ["audit", "--replay", str(facts_file), "--site", "Corner Shop", "--format", "both"], capsysbinary
    )
    assert code == 0, err
    names = sorted(p.name for p in workdir.iterdir())
    assert len(names) == 2
    assert all(re.fullmatch(r"readiness-corner-shop-\d{8}-\d{4}\.(md|json)", n) for n in names)


def test_audit_single_format_goes_to_stdout_or_a_folder(
    facts_file: Path, workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, _ = run(["audit", "--replay", str(facts_file), "--format", "json"], capsysbinary)
    assert code == 0
    assert parse_audit(out, "<stdout>").site.name == "Unnamed site"
    assert list(workdir.iterdir()) == []
    folder = workdir / "reports"
    folder.mkdir()
    code, out, _ = run(["audit", "--replay", str(facts_file), "-o", str(folder)], capsysbinary)
    assert code == 0 and out == b""
    [written] = list(folder.iterdir())
    assert written.suffix == ".md" and written.read_text().startswith("# Internet continuity report")


def test_audit_redact_masks_both_outputs(
    facts_file: Path, answers_file: Path, workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, _, err = run(
        [
            "audit",
            "--replay",
            str(facts_file),
            "--answers",
            str(answers_file),
            "--redact",
            "--format",
            "both",
            "-o",
            "r",
        ],
        capsysbinary,
    )
    assert code == 0, err
    for name in ("r.md", "r.json"):
        text = (workdir / name).read_text()
        assert public_addresses(text) == []
        assert MAC.findall(text) == []
        assert "ws-07.office.lan" not in text and "nas.office.lan" not in text
    assert json.loads((workdir / "r.json").read_text())["redacted"] is True


@pytest.mark.parametrize("threshold", ["critical", "high", "medium", "low", "info"])
def test_fail_on_exit_code_matches_the_failed_findings(
    threshold: str, facts_file: Path, answers_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(
        [
            "audit",
            "--replay",
            str(facts_file),
            "--answers",
            str(answers_file),
            "--format",
            "json",
            "--fail-on",
            threshold,
        ],
        capsysbinary,
    )
    audit = parse_audit(out, "<stdout>")
    floor = Severity(threshold).rank
    failing = [f for f in audit.findings if f.verdict is Verdict.FAIL and f.severity.rank >= floor]
    assert code == (1 if failing else 0)
    if failing:
        assert f"failed at {threshold} or above" in err


def test_fail_on_ignores_warnings_unknowns_and_waivers() -> None:
    audit = fx.audit()  # WAN-001 critical fail, PWR-001 high warn, OPS-001 unknown, OPS-002 waived
    assert cli.failing_at(audit, "info") == ["WAN-001"]
    no_fail = audit.model_copy(
        update={"findings": [f for f in audit.findings if f.verdict is not Verdict.FAIL]}
    )
    assert cli.failing_at(no_fail, "info") == []


# ---------------------------------------------------------------- bad input, no partial output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[answers]\nmax_outage_minutes = "abc"\n',
            "answers.max_outage_minutes: expected a number, got 'abc'",
        ),
        ("[answers]\nno_such = 1\n", "answers.no_such: unknown question id"),
        ('[waivers.WAN-001]\nreason = "r"\nexpires = "never"\n', "waivers.WAN-001.expires: expected a date"),
    ],
)
def test_bad_answers_file_is_one_line_exit_2_and_writes_nothing(
    content: str, expected: str, facts_file: Path, workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    bad = workdir.parent / "answers.toml"
    bad.write_text(content)
    code, out, err = run(
        ["audit", "--replay", str(facts_file), "--answers", str(bad), "--format", "both"], capsysbinary
    )
    assert code == 2 and out == b""
    assert one_error_line(err).startswith(f"readiness: {bad}: {expected}")
    assert list(workdir.iterdir()) == []


def test_bad_replay_file(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    bad = workdir.parent / "facts.json"
    bad.write_text('{"gateways": [{"address": "192.168.1.1", "family": 5}]}')
    code, _, err = run(["audit", "--replay", str(bad)], capsysbinary)
    assert code == 2
    assert one_error_line(err).startswith(f"readiness: {bad}: gateways[0].family: ")


def test_unwritable_output_leaves_nothing(
    facts_file: Path, workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, _, err = run(
        ["audit", "--replay", str(facts_file), "-o", str(workdir / "no" / "such" / "r.md")], capsysbinary
    )
    assert code == 2
    assert "cannot write here" in one_error_line(err)
    # the second file of a pair cannot be written (a folder is in the way): the first is not left behind
    (workdir / "pair.json").mkdir()
    code, _, err = run(["audit", "--replay", str(facts_file), "--format", "both", "-o", "pair"], capsysbinary)
    assert code == 2
    assert "pair.json: is a folder" in one_error_line(err)
    assert sorted(p.name for p in workdir.iterdir()) == ["pair.json"]


def test_interrupt_mid_write_removes_what_this_run_wrote(
    facts_file: Path,
    workdir: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C cannot be timed into the gap between two renames, so os.replace raises it (a stand-in)."""
    calls: list[str] = []
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append(str(dst))
        if str(dst).endswith("out.json"):
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr("readiness.export.write.os.replace", replace)
    code, _, err = run(["audit", "--replay", str(facts_file), "--format", "both", "-o", "out"], capsysbinary)
    assert code == 130
    assert one_error_line(err) == "readiness: interrupted"
    assert any(c.endswith("out.md") for c in calls)  # the Markdown file had been put in place...
    assert list(workdir.iterdir()) == []  # ...and was removed again, with every staged file


def test_usage_errors_are_one_line(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(["audit", "--format", "pdf"], capsysbinary)
    assert code == 2
    assert "invalid choice: 'pdf'" in one_error_line(err)
    # refused before anything is probed: the guard above would fail the test otherwise
    code, _, err = run(["audit", "--format", "both", "-o", "-"], capsysbinary)
    assert code == 2 and "give -o a path stem" in one_error_line(err)
    code, _, err = run(["nonsense"], capsysbinary)
    assert code == 2
    one_error_line(err)


def test_missing_config_file(
    tmp_path: Path, facts_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, _, err = run(
        ["audit", "--replay", str(facts_file), "--config", str(tmp_path / "nope.toml")], capsysbinary
    )
    assert code == 2
    assert one_error_line(err) == f"readiness: {tmp_path / 'nope.toml'}: config file not found"


# ---------------------------------------------------------------- report, checks, diff, version


def test_report_renders_a_saved_audit_without_rejudging(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    saved = tmp_path / "audit.json"
    saved.write_bytes(render_json(fx.audit()))
    code, out, _ = run(["report", str(saved), "--format", "json"], capsysbinary)
    assert code == 0 and out == saved.read_bytes()  # the same document, findings untouched
    code, out, _ = run(["report", str(saved)], capsysbinary)
    assert code == 0 and "#### WAN-001 - The office has a second internet line" in out.decode()
    code, out, _ = run(["report", str(saved), "--redact", "--format", "json"], capsysbinary)
    assert code == 0 and public_addresses(out.decode()) == []


def test_report_on_a_bad_audit(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    doc = json.loads(render_json(fx.audit()))
    doc["findings"][0]["verdict"] = "maybe"
    bad = tmp_path / "audit.json"
    bad.write_text(json.dumps(doc))
    code, _, err = run(["report", str(bad)], capsysbinary)
    assert code == 2
    assert one_error_line(err).startswith(f"readiness: {bad}: findings[0].verdict: ")
    code, _, err = run(["report", str(tmp_path / "none.json")], capsysbinary)
    assert code == 2 and "cannot read" in one_error_line(err)


def test_checks_lists_the_catalogue(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    catalogue = default_catalogue()
    code, out, _ = run(["checks", "--format", "json"], capsysbinary)
    assert code == 0
    doc = json.loads(out)
    assert [c["id"] for c in doc["checks"]] == [c.id for c in catalogue.checks]
    assert {q["id"] for q in doc["questions"]} == {q.id for q in catalogue.questions}
    code, out, _ = run(["checks"], capsysbinary)
    text = out.decode()
    assert all(c.id in text for c in catalogue.checks)
    assert all(q.id in text for q in catalogue.questions)


def test_diff_command(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    old = fx.audit()
    fixed = [
        f.model_copy(update={"verdict": Verdict.PASS}) if f.check_id == "WAN-001" else f for f in old.findings
    ]
    new = old.model_copy(update={"id": "test0003", "findings": fixed})
    (tmp_path / "old.json").write_bytes(render_json(old))
    (tmp_path / "new.json").write_bytes(render_json(new))
    code, out, _ = run(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")], capsysbinary)
    assert code == 0
    assert "WAN-001 [critical] The office has a second internet line: fail -> pass" in out.decode()
    code, out, _ = run(
        ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--format", "json"], capsysbinary
    )
    assert json.loads(out)["fixed"][0]["check_id"] == "WAN-001"
    other = new.model_copy(update={"site": new.site.model_copy(update={"name": "Elsewhere"})})
    (tmp_path / "other.json").write_bytes(render_json(other))
    code, _, err = run(["diff", str(tmp_path / "old.json"), str(tmp_path / "other.json")], capsysbinary)
    assert code == 2 and "use --force" in one_error_line(err)
    code, _, _ = run(
        ["diff", str(tmp_path / "old.json"), str(tmp_path / "other.json"), "--force"], capsysbinary
    )
    assert code == 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"readiness {__version__}"


# ---------------------------------------------------------------- TUI and drill wiring


def test_no_command_and_open_start_the_tui(
    tmp_path: Path, facts_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []

    def fake_run_tui(**kwargs: object) -> int:
        """Stands in for the Textual app, which the TUI's own Pilot tests drive."""
        seen.append(kwargs)
        return 0

    import readiness.tui.app as tui_app

    monkeypatch.setattr(tui_app, "run_tui", fake_run_tui)
    assert cli.main(["--replay", str(facts_file), "--offline", "--site", "Shop"]) == 0
    assert seen[-1]["replay"] == facts_file and seen[-1]["offline"] is True and seen[-1]["site"] == "Shop"
    assert seen[-1]["audit_path"] is None
    from readiness.store import new_audit, save_audit

    save_audit(new_audit("Shop"), tmp_path / "a.json")  # `open` checks the file before the TUI starts
    assert cli.main(["open", str(tmp_path / "a.json")]) == 0
    assert seen[-1]["audit_path"] == tmp_path / "a.json" and seen[-1]["replay"] is None


@pytest.mark.parametrize("argv", [["drill", "--help"], ["--offline", "drill", "--help"]])
def test_drill_is_delegated_to_its_own_parser(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from readiness.drill import cli as drill_cli

    registered: list[object] = []
    real_register = drill_cli.register

    def register(subparsers: object) -> object:
        registered.append(subparsers)
        return real_register(subparsers)

    monkeypatch.setattr(drill_cli, "register", register)
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 0
    assert registered, "the drill's own parser was not used"
    assert capsys.readouterr().out.startswith("usage: readiness drill")


def test_other_commands_do_not_load_the_drill(monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness.drill import cli as drill_cli

    def register(subparsers: object) -> object:
        raise AssertionError("the drill parser was built for another command")

    monkeypatch.setattr(drill_cli, "register", register)
    assert cli.main(["checks", "--format", "json"]) == 0


def test_global_options_reach_the_audit(facts_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    argv = ["--replay", str(facts_file), "--site", "Shop", "audit", "--format", "json"]
    code, out, _ = run(argv, capsysbinary)
    assert code == 0
    audit = parse_audit(out, "<stdout>")
    assert audit.site.name == "Shop" and audit.facts.replayed_from == str(facts_file)


# ---------------------------------------------------------------- in a fresh interpreter


def test_headless_audit_never_imports_textual(facts_file: Path, tmp_path: Path) -> None:
    argv = ["audit", "--replay", str(facts_file), "--format", "json", "-o", str(tmp_path / "a.json")]
    code = (
        "import sys, readiness.cli as c\n"
        f"rc = c.main({argv!r})\n"
        "gui = ('textual', 'textual.', 'readiness.tui')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(gui))\n"
        "print(rc, bad)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "READINESS_DATA_DIR": str(tmp_path / "data")},
    )
    assert proc.stdout.strip() == "0 []", proc.stderr


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "readiness", "checks", "--format", "json"], capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["checks"]
    proc = subprocess.run(
        [sys.executable, "-m", "readiness", "report", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "cannot read" in proc.stderr


def test_a_failed_run_gives_back_the_files_it_replaced(
    facts_file: Path,
    workdir: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (workdir / "out.md").write_text("last week's report\n")
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if str(dst).endswith("out.json") and ".staged-" in str(src):
            raise OSError(28, "No space left on device")  # a full disk cannot be arranged here
        real_replace(src, dst)

    monkeypatch.setattr("readiness.export.write.os.replace", replace)
    code, _, err = run(["audit", "--replay", str(facts_file), "--format", "both", "-o", "out"], capsysbinary)
    assert code == 2
    assert "out.json: write failed: No space left on device" in one_error_line(err)
    assert [p.name for p in workdir.iterdir()] == ["out.md"]
    assert (workdir / "out.md").read_text() == "last week's report\n"


def test_the_tui_path_turns_the_collector_back_on_whatever_happens(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The CLI turns garbage collection off while the app starts (tui/heap.py turns it on
    at the first frame); an app that never gets there must not leave it off."""
    assert gc.isenabled()
    code, _, err = run(["--replay", str(tmp_path / "missing.json")], capsysbinary)
    assert code == 2 and "missing.json" in err
    assert gc.isenabled()


def test_no_drill_on_recorded_facts(
    facts_file: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drill on replayed facts would cut and measure this machine's own line. Should the
    refusal ever go, the stand-in below fails the test instead of letting the real drill run
    here, against this host's gateway."""

    def refuse(*args: object) -> int:
        raise AssertionError("a drill started on recorded facts")

    import readiness.drill.cli

    monkeypatch.setattr(readiness.drill.cli, "run", refuse)
    for replay in ("--replay", "--rep"):  # argparse takes an abbreviated option too
        code, out, err = run([replay, str(facts_file), "drill", "--unattended"], capsysbinary)
        assert code == 2 and out == b""
        assert "--replay" in one_error_line(err) and "recorded facts" in err


def test_global_options_with_a_value_may_come_before_drill(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`readiness --config FILE drill --unattended` reaches the drill with its own options
    (it used to stop at '--unattended': the drill's parser was not loaded when a global
    option's value stood between the program and `drill`). The drill itself is a stand-in
    that records its arguments: a real one would cut this host's line."""
    seen: list[argparse.Namespace] = []
    import readiness.drill.cli

    monkeypatch.setattr(readiness.drill.cli, "run", lambda args: seen.append(args) or 0)
    config = tmp_path / "readiness.toml"
    config.write_text("")
    code, _, err = run(["--config", str(config), "--site", "Bakery", "drill", "--unattended"], capsysbinary)
    assert code == 0, err
    assert len(seen) == 1 and seen[0].unattended is True
