"""Numbers and edited audits (issue 19, points 4, 6 and 7): NaN and infinities refused
everywhere so both exports agree and the tool's own JSON reads back; impossible figures
(negative speeds, more received than sent, stable_s = inf, unknown service ids, a score of
1000) refused with one line; a failover test dated in the future does not pass; an expired
waiver is said; `readiness open` refuses a newer or invalid file without touching it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from readiness.catalogue import default_catalogue
from readiness.cli import main
from readiness.judgement.engine import evaluate
from readiness.model import Answer
from readiness.replay import load_facts
from readiness.store import load_audit, new_audit

REPO = Path(__file__).resolve().parents[2]
FACTS = REPO / "examples" / "dual-office.json"
SINGLE = REPO / "examples" / "single-office.json"
ANSWERS = REPO / "examples" / "answers.toml"


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def _facts(tmp_path: Path, edit: Any) -> Path:
    data = json.loads(FACTS.read_text())
    edit(data)
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data))
    return path


def _audit_json(tmp_path: Path) -> Path:
    path = tmp_path / "audit.json"
    argv = ["audit", "--replay", str(SINGLE), "--answers", str(ANSWERS), "--format", "json", "-o", str(path)]
    assert main(argv) == 0
    return path


def test_nan_as_an_answer_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\nhourly_cost_per_person = nan\n")  # a question that takes fractions
    assert main(["audit", "--replay", str(FACTS), "--answers", str(answers)]) == 2
    assert "hourly_cost_per_person" in _one_line(capsys.readouterr().err)


def _set_rtts(value: object) -> Any:
    def edit(d: dict[str, Any]) -> None:
        d["path"]["quality"][0]["rtts_ms"][0] = value
    return edit


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("NaN round trip", _set_rtts(float("nan"))),
        ("infinite round trip", _set_rtts(float("inf"))),
        ("negative speed", lambda d: d["interfaces"][0].update(speed_mbps=-5)),
        ("more received than sent", lambda d: d["path"]["quality"][0].update(sent=3, received=13)),
        ("UPS charge over 100 %", lambda d: d["power"]["ups"][0].update(charge_pct=250)),
    ],
)
def test_impossible_figures_in_facts_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edit: Any
) -> None:
    path = _facts(tmp_path, edit)  # json.dumps writes NaN and Infinity, as Python's json reads them
    assert main(["audit", "--replay", str(path)]) == 2, name
    assert "facts.json" in _one_line(capsys.readouterr().err)


def test_the_tools_own_json_always_reads_back(tmp_path: Path) -> None:
    path = _audit_json(tmp_path)
    assert main(["report", str(path), "--format", "json", "-o", str(tmp_path / "again.json")]) == 0
    assert load_audit(tmp_path / "again.json") == load_audit(path)


@pytest.mark.parametrize(
    ("text", "field"),
    [("[drill]\nstable_s = inf\n", "stable_s"), ("services = [\"no-such-service\"]\n", "services")],
)
def test_impossible_config_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, field: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    assert main(["audit", "--replay", str(FACTS), "--config", str(config)]) == 2
    assert field in _one_line(capsys.readouterr().err)


def test_a_failover_test_dated_in_the_future_does_not_pass() -> None:
    catalogue = default_catalogue()
    audit = new_audit("Office").model_copy(update={"facts": load_facts(SINGLE)})
    answers = {
        "backup_line": Answer(value=True),
        "failover_tested_ever": Answer(value=True),
        "last_failover_test": Answer(value="2999-01-01"),
    }
    judged = evaluate(audit.model_copy(update={"answers": answers}), catalogue)
    fo2 = next(f for f in judged.findings if f.check_id == "FO-002")
    assert fo2.verdict.value == "unknown"
    assert "2999-01-01" in fo2.summary


def test_an_expired_waiver_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[waivers.OPS-003]\nreason = "old"\nexpires = 2001-01-01\n')
    assert main(["audit", "--replay", str(FACTS), "--answers", str(answers)]) == 0
    err = capsys.readouterr().err
    assert "waivers.OPS-003.expires: expired on 2001-01-01" in err


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d["score"].update(overall=1000), "score.overall"),
        (lambda d: d["score"].update(overall=-50), "score.overall"),
        (lambda d: d["score"].update(overall=float("nan")), "score.overall"),
        (lambda d: d["score"].update(overall=99.0, uncapped=99.0), "score"),
        (lambda d: d["score"].update(level="Bulletproof"), "score.level"),
        (lambda d: d["findings"][0].update(points=50, max_points=1), "findings[0].points"),
        (lambda d: d["findings"][0].update(verdict="great"), "findings[0].verdict"),
    ],
)
def test_an_edited_audit_is_validated_on_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Any, field: str
) -> None:
    path = _audit_json(tmp_path)
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    capsys.readouterr()
    for argv in (["report", str(path)], ["diff", str(path), str(path)]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == "" and field in _one_line(err)


def test_diff_json_never_prints_nan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _audit_json(tmp_path)
    capsys.readouterr()
    assert main(["diff", str(path), str(path), "--format", "json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))


def _open(path: Path) -> int:
    return main(["open", str(path)])


def test_open_refuses_a_newer_schema_and_leaves_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _audit_json(tmp_path)
    data = json.loads(path.read_text())
    data["schema_version"] = 99
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    capsys.readouterr()
    assert _open(path) == 2
    assert "99" in _one_line(capsys.readouterr().err)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["audit.json"]


def test_open_refuses_an_invalid_file_and_leaves_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _audit_json(tmp_path)
    data = json.loads(path.read_text())
    data["score"]["overall"] = 1000
    path.write_text(json.dumps(data))
    capsys.readouterr()
    assert _open(path) == 2
    _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.json"]


def test_open_moves_only_an_unparseable_file_aside_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "audit.json"
    path.write_text("{ not json")
    assert _open(path) == 2
    assert "kept as audit.json.corrupt-1" in _one_line(capsys.readouterr().err)
    assert (tmp_path / "audit.json.corrupt-1").read_text() == "{ not json"


def test_today_is_not_the_future() -> None:
    """Guard for the FO-002 test: a test dated today is recent, not in the future."""
    catalogue = default_catalogue()
    audit = new_audit("Office").model_copy(update={"facts": load_facts(SINGLE)})
    today = datetime.now(UTC).date().isoformat()
    answers = {"backup_line": Answer(value=True), "failover_tested_ever": Answer(value=True),
               "last_failover_test": Answer(value=today)}
    judged = evaluate(audit.model_copy(update={"answers": answers}), catalogue)
    assert next(f for f in judged.findings if f.check_id == "FO-002").verdict.value == "pass"


def test_the_start_screen_list_leaves_a_newer_audit_where_it_is(tmp_path: Path) -> None:
    from readiness.tui.screens.start import saved_rows

    folder = tmp_path / "audits"
    folder.mkdir()
    newer = folder / "newer.json"
    data = json.loads(_audit_json(tmp_path).read_text())
    data["schema_version"] = 99
    newer.write_text(json.dumps(data))
    (folder / "broken.json").write_text("{ not json")
    rows = {path.name: error for path, _, error in saved_rows(folder)}
    assert "99" in (rows["newer.json"] or "") and newer.exists()
    assert "broken.json.corrupt-1" in rows  # only the unparseable one is moved aside


def test_a_ups_reporting_an_impossible_charge_is_read_as_unknown() -> None:
    """The model now refuses a charge over 100 %: the probe must drop it, not fail on it."""
    from readiness.probes.nut import unit_from_vars

    unit = unit_from_vars("ups", "127.0.0.1", {"battery.charge": "150", "ups.load": "120"})
    assert unit.charge_pct is None and unit.load_pct == 120
