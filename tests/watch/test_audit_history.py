"""`readiness audit --history DB` and `readiness watch --summary/--print-unit/--install-unit`:
the measured history beats the answers in the checks and the cost model, with both shown."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import readiness.cli as cli
from readiness.catalogue import load_catalogue
from readiness.errors import InputError
from readiness.model import Answer, Facts, History, HistoryFailover, HistoryOutage, Verdict
from readiness.paths import checks_dir
from readiness.rules.base import RULES, RuleInput
from tests.watch.history_db import fourteen_days

REPO = Path(__file__).resolve().parents[2]


def _audit(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    rc = cli.main(
        [
            "audit",
            "--replay",
            str(REPO / "examples/dual-office.json"),
            "--answers",
            str(REPO / "examples/answers.toml"),
            "--format",
            "json",
            *extra,
        ]
    )
    assert rc == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _finding(audit: dict[str, object], check: str) -> dict[str, object]:
    return next(f for f in audit["findings"] if f["check_id"] == check)  # type: ignore[attr-defined,index]


def test_audit_with_history_measures_what_the_answers_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fourteen_days(tmp_path / "w.sqlite3")
    before = _audit(tmp_path, capsys)
    after = _audit(tmp_path, capsys, "--history", str(db))
    assert before["history"] is None
    hist = after["history"]
    assert hist["primary_failures"] == 3  # type: ignore[index]
    # OPS-004: measured, the answer shown beside it, and the disagreement named.
    ops4 = _finding(after, "OPS-004")
    sources = {(e["source"], e["key"]) for e in ops4["evidence"]}  # type: ignore[attr-defined]
    assert ("watch", "watch.outages_per_year") in sources
    assert ("answer", "answers.outages_per_year") in sources
    assert ops4["verdict"] == "pass" and "Measured over 14 days" in ops4["summary"]  # type: ignore[operator]
    assert ops4["conflict"] and "Answered about 3 outages a year" in ops4["conflict"]  # type: ignore[operator]
    # OPS-001: answered "users notice", but the watcher posts to a webhook.
    ops1 = _finding(after, "OPS-001")
    assert _finding(before, "OPS-001")["verdict"] == "fail"
    assert ops1["verdict"] == "pass" and "webhook" in (ops1["conflict"] or "")  # type: ignore[operator]
    # FO-001: a real failover is a measurement.
    fo1 = _finding(after, "FO-001")
    assert "seen by the watcher" in fo1["summary"]  # type: ignore[operator]
    # The cost model: the watcher's yearly figure and typical length replace the answers.
    cost = after["cost"]
    assert cost["outages_per_year"] == hist["outages_per_year"]  # type: ignore[index]
    assert cost["outage_hours"] == pytest.approx(0.5)  # type: ignore[index]
    assert cost["outages_basis"].startswith("measured by the watcher over 14 days")  # type: ignore[index]
    assert "watcher" in cost["failover_basis"]  # type: ignore[index]
    assert before["cost"]["outages_basis"] == "answered"  # type: ignore[index]


def test_audit_history_unreadable_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "w.sqlite3"
    bad.write_bytes(b"nope" * 100)
    rc = cli.main(["audit", "--replay", str(REPO / "examples/dual-office.json"), "--history", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "w.sqlite3" in err and "not a readable watch database" in err


def _inp(history: History | None, **answers: object) -> RuleInput:
    return RuleInput(
        facts=Facts(),
        answers={k: Answer(value=v) for k, v in answers.items()},  # type: ignore[arg-type]
        drills=(),
        as_of=date(2026, 12, 4),
        history=history,
    )


def _outages(*outages: HistoryOutage, failovers: list[HistoryFailover] | None = None) -> History:
    return History(
        source="w",
        first_seen=datetime(2026, 10, 1, tzinfo=UTC),
        last_seen=datetime(2026, 12, 1, tzinfo=UTC),
        span_s=61 * 86400,
        observed_s=61 * 86400,
        gaps_s=0,
        down_s=sum(o.length_s or 0 for o in outages),
        outages=list(outages),
        failovers=failovers or [],
    )


def _history(failover_on: datetime) -> History:
    return _outages(
        failovers=[
            HistoryFailover(
                at=failover_on, kind="failover", from_ip="198.51.100.10", to_ip="203.0.113.10", blackout_s=4.0
            )
        ]
    )


def test_a_real_failover_counts_as_a_test_with_its_date() -> None:
    h = _history(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    never = RULES["FO-002"](_inp(h, failover_tested_ever=False))
    assert never.verdict is Verdict.PASS
    assert "2026-11-02" in never.summary and "watcher" in never.summary
    assert never.conflict and "never tested" in never.conflict
    assert any(e.source == "watch" for e in never.evidence)
    # Without the history the same answers fail the check.
    assert RULES["FO-002"](_inp(None, failover_tested_ever=False)).verdict is Verdict.FAIL
    # A declared test newer than the watched failover keeps the declared date.
    newer = RULES["FO-002"](_inp(h, last_failover_test="2026-11-20"))
    assert "2026-11-20" in newer.summary


def test_a_slow_real_failover_fails_the_tolerance() -> None:
    h = _history(datetime(2026, 11, 2, tzinfo=UTC)).model_copy()
    h.failovers[0].blackout_s = 1200.0
    r = RULES["FO-001"](_inp(h, max_outage_minutes=15, failover_mode="automatic"))
    assert r.verdict is Verdict.FAIL and "20 min" in r.summary


def test_watch_summary_formats_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = fourteen_days(tmp_path / "w.sqlite3")
    assert cli.main(["watch", "--summary", "--db", str(db)]) == 0
    assert "Outages: 3" in capsys.readouterr().out
    assert cli.main(["watch", "--summary", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["primary_failures"] == 3
    assert cli.main(["watch", "--summary", "--db", str(db), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# Line history")
    assert cli.main(["watch", "--summary", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "watch database not found" in capsys.readouterr().err
    assert cli.main(["watch", "--summary", "--db", str(db), "--since", "a while"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--since" in err


def test_unit_printed_and_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.main(["watch", "--print-unit", "--webhook", "http://127.0.0.1:9/hook"]) == 0
    text = capsys.readouterr().out
    assert "Restart=on-failure" in text and "--webhook http://127.0.0.1:9/hook" in text
    assert "User=" not in text and "NoNewPrivileges=yes" in text  # a user unit: never root
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert cli.main(["watch", "--install-unit"]) == 0
    unit = tmp_path / "systemd/user/readiness-watch.service"
    assert "ExecStart=" in unit.read_text()
    assert "systemctl --user" in capsys.readouterr().err


def test_redacted_audit_masks_the_historys_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fourteen_days(tmp_path / "w.sqlite3")
    out = json.dumps(_audit(tmp_path, capsys, "--history", str(db), "--redact"))
    assert "198.51.100.10" not in out and "203.0.113.10" not in out
    assert '"primary_failures": 3' in out


def test_report_annex_shows_the_outages_and_the_real_failover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fourteen_days(tmp_path / "w.sqlite3")
    rc = cli.main(
        ["audit", "--replay", str(REPO / "examples/dual-office.json"), "--history", str(db), "--format", "md"]
    )
    assert rc == 0
    md = capsys.readouterr().out
    annex = md[md.index("## Line history (watched)") : md.index("## Answers and notes")]
    assert "| 2026-05-31 08:26 UTC | 1800 s | the line or provider |" in annex
    assert "| 2026-06-06 22:50 UTC | 600 s | the router or office network |" in annex
    assert "| primary | 198.51.100.10 | LAB-FIBRE-A AS64500 |" in annex
    assert "counts as a failover test (latest: 2026-06-08" in annex
    assert "·" * 15 + "███▁█████▆█████" in annex


LOOPBACK_ONLY = """
[endpoints]
anchors = ["127.0.0.1"]
tcp_anchors = ["127.0.0.1:9"]
echo_urls = ["http://127.0.0.1:9/"]
dns_echo = [{ name = "myip.invalid", server = "127.0.0.1:9" }]
[drill]
dns_server = "127.0.0.1:9"
[watch]
gateway = "127.0.0.1"
"""


def test_watch_refuses_recorded_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every endpoint on loopback: were the refusal missing, nothing would leave this machine.
    config = tmp_path / "c.toml"
    config.write_text(LOOPBACK_ONLY)
    argv = ["--replay", str(REPO / "examples/dual-office.json"), "watch", "--duration", "1"]
    argv += ["--config", str(config), "--db", str(tmp_path / "w.sqlite3")]
    assert cli.main(argv) == 2
    assert "cannot run on recorded facts" in capsys.readouterr().err
    assert not (tmp_path / "w.sqlite3").exists()


def test_a_watched_failover_is_in_the_test_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = fourteen_days(tmp_path / "w.sqlite3")
    rc = cli.main(
        ["audit", "--replay", str(REPO / "examples/dual-office.json"), "--history", str(db), "--format", "md"]
    )
    assert rc == 0
    md = capsys.readouterr().out
    row = next(line for line in md.splitlines() if "the line watcher |" in line)
    assert row.startswith("| 2026-06-08 |") and "| watched |" in row
    assert "traffic moved from 198.51.100.10 to 203.0.113.10 (3 s offline)" in row


def _outage(
    start: datetime, minutes: float, cause: str = "upstream", cut_short: bool = False
) -> HistoryOutage:
    return HistoryOutage.model_validate(
        {
            "start": start,
            "end": start + timedelta(minutes=minutes),
            "length_s": minutes * 60,
            "cause": cause,
            "cut_short": cut_short,
        }
    )


NOV_14 = datetime(2026, 11, 14, 9, 0, tzinfo=UTC)
DECLARED_AUTOMATIC = {"backup_line": True, "failover_mode": "automatic"}


def test_declared_automatic_switching_passes_without_a_history() -> None:
    """The control for the tests below: these answers alone pass FO-001 (declared)."""
    r = RULES["FO-001"](_inp(None, **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.PASS and "declared" in r.summary


def test_a_long_outage_of_the_line_with_no_switch_fails_declared_automatic_switching() -> None:
    h = _outages(_outage(NOV_14, 3), _outage(NOV_14 + timedelta(days=2), 25))
    r = RULES["FO-001"](_inp(h, **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.FAIL
    assert "2026-11-16" in r.summary and "25 min" in r.summary and "watcher" in r.summary
    assert r.conflict and "automatic" in r.conflict and "25 min" in r.conflict
    outage = next(e for e in r.evidence if e.key == "watch.outage")
    assert outage.source == "watch" and outage.value == "25 min from 2026-11-16 09:00 UTC"


def test_with_no_backup_line_the_check_says_so_and_follows_wan_001() -> None:
    h = _outages(_outage(NOV_14, 25))
    r = RULES["FO-001"](_inp(h, backup_line=False, failover_mode="none"))
    assert r.verdict is Verdict.FAIL and "no backup line" in r.summary
    assert r.follows == "WAN-001" and not any(e.key == "watch.outage" for e in r.evidence)


def test_an_outage_cut_short_is_a_lower_bound() -> None:
    h = _outages(_outage(NOV_14, 40, cut_short=True))
    r = RULES["FO-001"](_inp(h, **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.FAIL and "at least 40 min" in r.summary


@pytest.mark.parametrize(
    ("outage", "why"),
    [
        (_outage(NOV_14, 25, cause="gateway"), "the router itself was down: no line to switch from"),
        (_outage(NOV_14, 25, cause="unknown"), "no gateway to tell the line from the router"),
        (_outage(NOV_14, 9), "shorter than [failover] unswitched_outage_minutes (10)"),
    ],
)
def test_outages_that_say_nothing_about_switching_leave_the_answer(outage: HistoryOutage, why: str) -> None:
    r = RULES["FO-001"](_inp(_outages(outage), **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.PASS, why
    assert not any(e.key == "watch.outage" for e in r.evidence), why


def test_a_slow_switch_during_the_outage_is_a_switch_not_a_stuck_line() -> None:
    slow = HistoryFailover(
        at=NOV_14, kind="failover", from_ip="198.51.100.10", to_ip="203.0.113.10", blackout_s=25 * 60.0
    )
    r = RULES["FO-001"](_inp(_outages(_outage(NOV_14, 25), failovers=[slow]), **DECLARED_AUTOMATIC))
    assert not any(e.key == "watch.outage" for e in r.evidence)
    assert r.verdict is Verdict.PASS and "seen by the watcher" in r.summary  # no tolerance answered
    # Dated a few seconds before the outage (SWITCH_SLACK_S), the switch still belongs to it.
    just_before = slow.model_copy(update={"at": NOV_14 - timedelta(seconds=3)})
    r = RULES["FO-001"](_inp(_outages(_outage(NOV_14, 25), failovers=[just_before]), **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.PASS and not any(e.key == "watch.outage" for e in r.evidence)


def test_a_switch_seen_after_the_stuck_outage_is_the_newer_word() -> None:
    later = HistoryFailover(
        at=NOV_14 + timedelta(days=5),
        kind="failover",
        from_ip="198.51.100.10",
        to_ip="203.0.113.10",
        blackout_s=4.0,
    )
    r = RULES["FO-001"](_inp(_outages(_outage(NOV_14, 25), failovers=[later]), **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.PASS and "2026-11-19" in r.summary
    # The other way round, the stuck outage is the newer word.
    earlier = later.model_copy(update={"at": NOV_14 - timedelta(days=5)})
    r = RULES["FO-001"](_inp(_outages(_outage(NOV_14, 25), failovers=[earlier]), **DECLARED_AUTOMATIC))
    assert r.verdict is Verdict.FAIL and "2026-11-14" in r.summary


def test_the_outage_length_that_says_nothing_switched_is_data(tmp_path: Path) -> None:
    folder = tmp_path / "checks"
    shutil.copytree(checks_dir(), folder)
    toml = folder / "checks.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "unswitched_outage_minutes = 10", "unswitched_outage_minutes = 30"
        ),
        encoding="utf-8",
    )
    thresholds = load_catalogue(folder).thresholds
    assert thresholds.failover.unswitched_outage_minutes == 30
    inp = _inp(_outages(_outage(NOV_14, 25)), **DECLARED_AUTOMATIC)
    assert RULES["FO-001"](inp).verdict is Verdict.FAIL  # the shipped 10 minutes
    assert RULES["FO-001"](replace(inp, thresholds=thresholds)).verdict is Verdict.PASS
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "unswitched_outage_minutes = 30", "unswitched_outage_minutes = 0"
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_catalogue(folder)
    assert "checks.toml" in str(err.value) and "failover.unswitched_outage_minutes" in str(err.value)
