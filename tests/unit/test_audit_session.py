"""The session saves every change as it happens, and the engine re-judges after each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from readiness.audit_session import AuditSession
from readiness.catalogue import default_catalogue
from readiness.model import Verdict
from readiness.store import load_audit, new_audit

FROZEN = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # as the TUI tests have it: before the waivers expire


def frozen_clock() -> datetime:
    return FROZEN


def make(tmp_path: Path) -> AuditSession:
    audit = new_audit("Test Office", "Ann")
    return AuditSession(audit, tmp_path / f"{audit.id}.json", default_catalogue(), clock=frozen_clock)


def test_each_change_is_on_disk_at_once(tmp_path: Path) -> None:
    s = make(tmp_path)
    s.set_answer("backup_line", True)
    assert load_audit(s.path).answers["backup_line"].value is True
    assert load_audit(s.path).answers["backup_line"].by == "Ann"
    s.set_note("WAN-001", "  cable in the cellar ")
    assert [(n.check_id, n.text) for n in load_audit(s.path).notes] == [("WAN-001", "cable in the cellar")]
    s.set_note("WAN-001", "")
    assert load_audit(s.path).notes == []
    s.waive("WAN-002", "accepted by the owner", date(2026, 9, 1))
    assert load_audit(s.path).waivers["WAN-002"].expires == date(2026, 9, 1)
    finding = s.finding("WAN-002")
    assert finding is not None and finding.verdict == Verdict.WAIVED  # the engine's word
    s.unwaive("WAN-002")
    assert "WAN-002" not in load_audit(s.path).waivers
    s.clear_answer("backup_line")
    assert "backup_line" not in load_audit(s.path).answers


def test_answers_are_judged_and_counted(tmp_path: Path) -> None:
    s = make(tmp_path)
    before = s.progress()
    s.set_answer("backup_line", False)
    after = s.progress()
    # No backup line: the questions about the backup's provider, entry and bandwidth no
    # longer count (readiness.judgement.progress).
    assert after.answered == before.answered + 1 and after.questions < before.questions
    assert s.audit.score is not None and s.audit.findings
    assert load_audit(s.path).findings == s.audit.findings


def test_unchanged_answer_is_not_rewritten(tmp_path: Path) -> None:
    calls: list[int] = []
    s = make(tmp_path)
    s.on_change = lambda: calls.append(1)
    s.set_answer("backup_line", True)
    s.set_answer("backup_line", True)
    assert calls == [1]
