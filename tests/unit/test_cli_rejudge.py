"""Judging a recorded visit again (issue 15, item 7), end to end through the CLI:
`readiness audit --replay AUDIT.json --answers A.toml` keeps the audit's drills, notes,
waivers and answers, puts the file's answers over them and notes each change; a drill that
saw no failover still beats an answer of "automatic"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import readiness.cli as cli
from readiness.export.json_export import render_json
from readiness.model import Answer, Audit, DrillOutcome, Note, Site, Verdict, Waiver
from readiness.replay import load_facts
from readiness.store import parse_audit
from tests.unit import audit_fixtures as fx

ON_SITE = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

ANSWERS = """
technician = "Owner"

[answers]
failover_mode = "automatic"
responder = "Anna (office manager)"
max_outage_minutes = 30

[waivers.PWR-001]
reason = "UPS ordered"
expires = 2099-01-31
"""


@pytest.fixture(autouse=True)
def _no_real_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real discovery would probe this host's network: every run here replays."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("reached real discovery")

    import readiness.discovery

    monkeypatch.setattr(readiness.discovery, "discover_sync", refuse)


@pytest.fixture
def recorded(tmp_path: Path, repo_root: Path) -> Path:
    """A visit saved on site: facts, a drill in which the office stayed offline, a note,
    a waiver and the technician's answers."""
    drill = fx.drill().model_copy(
        update={"outcome": DrillOutcome.NO_FAILOVER, "blackout_s": None, "failover_s": None, "backup": None}
    )
    audit = Audit(
        id="visit0001",
        site=Site(name="Corner Shop"),
        technician="Alex Tester",
        started_at=ON_SITE,
        updated_at=ON_SITE,
        tool_version="0.1.0",
        facts=load_facts(repo_root / "examples" / "single-office.json").model_copy(
            update={"replayed_from": None}
        ),
        answers={
            "failover_mode": Answer(value="manual", answered_at=ON_SITE, by="Alex Tester"),
            "backup_line": Answer(value=True, answered_at=ON_SITE, by="Alex Tester"),
            "responder": Answer(value="Anna (office manager)", answered_at=ON_SITE, by="Alex Tester"),
        },
        waivers={"OPS-003": Waiver(reason="Procedure being written", expires=date(2099, 1, 1), by="Alex")},
        drills=[drill],
        notes=[Note(text="The 4G box is in the cupboard.", at=ON_SITE, by="Alex Tester")],
    )
    path = tmp_path / "visit.json"
    path.write_bytes(render_json(audit))
    return path


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "later.toml"
    path.write_text(ANSWERS)
    return path


def _rejudge(recorded: Path, answers: Path, out: Path) -> tuple[Audit, str]:
    stem = out / "rejudged"
    argv = ["audit", "--replay", str(recorded), "--answers", str(answers), "--format", "both"]
    assert cli.main([*argv, "-o", str(stem)]) == 0
    audit = parse_audit(stem.with_suffix(".json").read_bytes(), "rejudged.json")
    return audit, stem.with_suffix(".md").read_text()


def test_a_whole_audit_keeps_its_drills_notes_and_waivers(
    recorded: Path, answers: Path, tmp_path: Path
) -> None:
    before = parse_audit(recorded.read_bytes(), recorded)
    audit, _ = _rejudge(recorded, answers, tmp_path)
    assert audit.id == before.id and audit.site.name == "Corner Shop" and audit.started_at == ON_SITE
    assert [d.id for d in audit.drills] == [d.id for d in before.drills]
    assert len(audit.drills[0].timeline) == len(before.drills[0].timeline) == 80
    assert audit.notes[0].text == "The 4G box is in the cupboard."
    assert set(audit.waivers) == {"OPS-003", "PWR-001"}
    assert audit.facts.replayed_from == str(recorded)
    assert audit.facts.gateways == before.facts.gateways
    # the file's answers go over the audit's; those it does not name stay as they were
    mode = audit.answers["failover_mode"]
    assert mode.value == "automatic" and mode.by == "Owner"
    assert audit.answers["backup_line"].by == "Alex Tester"
    assert audit.answers["max_outage_minutes"].value == 30
    assert audit.technician == "Owner"


def test_each_change_is_noted_and_shown_in_the_report(recorded: Path, answers: Path, tmp_path: Path) -> None:
    audit, md = _rejudge(recorded, answers, tmp_path)
    texts = [n.text for n in audit.notes[1:]]
    assert texts == [
        'Changed from later.toml: "When the main line fails, how does the office switch to the backup?"'
        ' was "Someone does it by hand" (Alex Tester), now "Automatically".',
        "Answered for the first time from later.toml: How long can the office be offline before it"
        " really hurts the business?.",
        'Waiver set from later.toml: "The network equipment is on a UPS" accepted until 2099-01-31'
        " (UPS ordered).",
        "Technician now Owner (before: Alex Tester), from later.toml.",
    ]
    assert all(n.by == "Owner" and n.at is not None for n in audit.notes[1:])
    # the unchanged responder is no change
    assert not any("office manager" in t for t in texts)
    notes = md.split("## Answers and notes", 1)[1]
    assert '- Changed from later.toml: "When the main line fails' in notes
    assert "- The 4G box is in the cupboard." in notes


def test_a_drill_that_saw_no_failover_beats_automatic(recorded: Path, answers: Path, tmp_path: Path) -> None:
    audit, md = _rejudge(recorded, answers, tmp_path)
    fo1 = next(f for f in audit.findings if f.check_id == "FO-001")
    assert fo1.verdict is Verdict.FAIL
    assert fo1.conflict is not None and "automatic" in fo1.conflict
    assert {e.key for e in fo1.evidence} >= {"answers.failover_mode", "drill.outcome"}
    assert (
        "> Declared and measured disagree: Answered that switching is automatic, but in the drill the"
        " office stayed offline until the main line came back. The verdict follows the measurement." in md
    )
    # the drill is in the report and in the test log
    assert "### Failover drill d1" in md
    log = md.split("## Test log", 1)[1].split("## Answers", 1)[0]
    assert "| 2026-11-20 | Alex Tester | Switching:" in log and "| failed:" in log


def test_without_answers_a_saved_audit_is_judged_again_as_it_was(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    assert cli.main(["audit", "--replay", str(recorded), "--format", "json", "-o", str(out)]) == 0
    audit = parse_audit(out.read_bytes(), out)
    assert audit.answers["failover_mode"].value == "manual" and len(audit.notes) == 1
    assert [d.outcome for d in audit.drills] == [DrillOutcome.NO_FAILOVER]
    assert next(f for f in audit.findings if f.check_id == "FO-001").verdict is Verdict.FAIL


def test_through_python_dash_m(recorded: Path, answers: Path, tmp_path: Path) -> None:
    """The installed entry point, in a process of its own: what an owner's technician runs."""
    proc = subprocess.run(
        [sys.executable, "-m", "readiness", "audit", "--replay", str(recorded), "--answers", str(answers),
         "--format", "json"],
        capture_output=True,
        check=False,
        env={**os.environ, "READINESS_DATA_DIR": str(tmp_path / "data")},
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [d["outcome"] for d in doc["drills"]] == ["no_failover"]
    fo1 = next(f for f in doc["findings"] if f["check_id"] == "FO-001")
    assert fo1["verdict"] == "fail" and "automatic" in fo1["conflict"]
    assert b"a whole audit judged again with its drills, notes and waivers" in proc.stderr
