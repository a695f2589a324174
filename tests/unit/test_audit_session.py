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


def test_evaluated_later_only_the_newest_result_is_taken_and_a_note_stays(tmp_path: Path) -> None:
    """With ``evaluate_later`` set (the TUI), a change is saved at once and judged
    elsewhere; an older evaluation's result is dropped, the newest one's judged parts
    are taken without undoing what changed meanwhile, and the file ends as a synchronous
    evaluation leaves it."""
    from readiness.audit_session import JUDGED
    from readiness.judgement.engine import evaluate

    s = make(tmp_path)
    asked: list[tuple[int, object]] = []
    s.evaluate_later = lambda generation, inputs: asked.append((generation, inputs))
    s.set_answer("backup_line", True)
    assert load_audit(s.path).answers["backup_line"].value is True  # saved before judged
    s.set_answer("backup_line", False)
    s.set_note("WAN-001", "cable in the cellar")  # no evaluation for a note
    assert [g for g, _ in asked] == [1, 2]
    (old_gen, old_inputs), (new_gen, new_inputs) = asked
    assert old_inputs.answers["backup_line"].value is True  # type: ignore[attr-defined]
    s.audit.answers["other"] = s.audit.answers["backup_line"]  # the live dict moves on...
    assert "other" not in new_inputs.answers  # type: ignore[attr-defined]  # ...the snapshot does not
    del s.audit.answers["other"]

    assert not s.apply_evaluation(old_gen, evaluate(old_inputs, s.catalogue))  # type: ignore[arg-type]
    assert s.apply_evaluation(new_gen, evaluate(new_inputs, s.catalogue))  # type: ignore[arg-type]
    expected = evaluate(s.audit, s.catalogue)
    on_disk = load_audit(s.path)
    for name in JUDGED:
        assert getattr(s.audit, name) == getattr(expected, name) == getattr(on_disk, name), name
    assert [n.text for n in on_disk.notes] == ["cable in the cellar"]
