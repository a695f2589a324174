"""The line rules judge by the figures in checks.toml, not by constants in the code.

Each test copies the shipped catalogue, changes one figure in its data and runs the engine:
the verdict must follow the data.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from readiness.catalogue import Catalogue, load_catalogue
from readiness.errors import InputError
from readiness.judgement.engine import evaluate
from readiness.model import Answer, Audit, Facts, Site, Verdict
from readiness.paths import checks_dir

UPDATED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _catalogue(tmp_path: Path, old: str, new: str) -> Catalogue:
    folder = tmp_path / "checks"
    shutil.copytree(checks_dir(), folder)
    toml = folder / "checks.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    toml.write_text(text.replace(old, new), encoding="utf-8")
    return load_catalogue(folder)


def _verdict(
    cat: Catalogue, check_id: str, answers: dict[str, Any] | None = None, facts: dict[str, Any] | None = None
) -> Verdict:
    audit = Audit(
        id="a1",
        site=Site(name="Test office"),
        started_at=UPDATED,
        updated_at=UPDATED,
        tool_version="0.0.0",
        answers={k: Answer.model_validate({"value": v}) for k, v in (answers or {}).items()},
        facts=Facts.model_validate(facts or {}),
    )
    return next(f.verdict for f in evaluate(audit, cat).findings if f.check_id == check_id)


# 2% loss, 20 ms round trip, no jitter: between the shipped loss limits (warn from 1%, fail from 3%).
TWO_PCT_LOSS = {
    "path": {
        "quality": [
            {"target": "198.18.0.10", "method": "icmp", "sent": 100, "received": 98, "rtts_ms": [20.0] * 98}
        ]
    }
}


def test_the_shipped_line_quality_figures_are_the_catalogues() -> None:
    cat = load_catalogue()
    q = cat.line_quality
    assert (q.loss_pct.warn_from, q.loss_pct.fail_from) == (1.0, 3.0)
    assert (q.jitter_ms.warn_from, q.jitter_ms.fail_from) == (30.0, 60.0)
    assert (q.round_trip_ms.warn_from, q.round_trip_ms.fail_from) == (100.0, 200.0)
    assert _verdict(cat, "WAN-007", facts=TWO_PCT_LOSS) is Verdict.WARN


@pytest.mark.parametrize(
    ("new", "verdict"),
    [
        ("loss_pct = { warn_from = 5.0, fail_from = 8.0 }", Verdict.PASS),
        ("loss_pct = { warn_from = 0.5, fail_from = 1.5 }", Verdict.FAIL),
    ],
)
def test_a_changed_loss_threshold_in_data_changes_the_verdict(
    tmp_path: Path, new: str, verdict: Verdict
) -> None:
    cat = _catalogue(tmp_path, "loss_pct = { warn_from = 1.0, fail_from = 3.0 }", new)
    assert _verdict(cat, "WAN-007", facts=TWO_PCT_LOSS) is verdict


def test_a_changed_round_trip_threshold_in_data_changes_the_verdict(tmp_path: Path) -> None:
    cat = _catalogue(
        tmp_path,
        "round_trip_ms = { warn_from = 100.0, fail_from = 200.0 }",
        "round_trip_ms = { warn_from = 10.0, fail_from = 15.0 }",
    )
    clean = {
        "path": {
            "quality": [
                {"target": "198.18.0.10", "method": "icmp", "sent": 4, "received": 4, "rtts_ms": [20.0] * 4}
            ]
        }
    }
    assert _verdict(load_catalogue(), "WAN-007", facts=clean) is Verdict.PASS
    assert _verdict(cat, "WAN-007", facts=clean) is Verdict.FAIL


def test_a_changed_jitter_threshold_in_data_changes_the_verdict(tmp_path: Path) -> None:
    cat = _catalogue(
        tmp_path,
        "jitter_ms = { warn_from = 30.0, fail_from = 60.0 }",
        "jitter_ms = { warn_from = 50.0, fail_from = 60.0 }",
    )
    jittery = {
        "path": {
            "quality": [
                {
                    "target": "198.18.0.10",
                    "method": "icmp",
                    "sent": 4,
                    "received": 4,
                    "rtts_ms": [20.0, 60.0, 20.0, 60.0],
                }
            ]
        }
    }  # jitter 40 ms
    assert _verdict(load_catalogue(), "WAN-007", facts=jittery) is Verdict.WARN
    assert _verdict(cat, "WAN-007", facts=jittery) is Verdict.PASS


def test_a_changed_bandwidth_per_person_in_data_changes_the_verdict(tmp_path: Path) -> None:
    answers = {
        "backup_line": True,
        "backup_bandwidth_mbps": 12,
        "users_on_backup": 10,
        "workloads_on_backup": ["mail"],
    }
    assert _verdict(load_catalogue(), "WAN-005", answers) is Verdict.PASS  # needs 10 Mbit/s
    cat = _catalogue(tmp_path, "mbps_per_user = 1.0", "mbps_per_user = 3.0")
    assert _verdict(cat, "WAN-005", answers) is Verdict.FAIL  # needs 30 Mbit/s


def test_a_changed_workload_figure_in_data_changes_the_verdict(tmp_path: Path) -> None:
    answers = {
        "backup_line": True,
        "backup_bandwidth_mbps": 40,
        "users_on_backup": 10,
        "workloads_on_backup": ["large_files"],
    }
    assert _verdict(load_catalogue(), "WAN-005", answers) is Verdict.PASS  # 10 + 20 Mbit/s
    cat = _catalogue(tmp_path, "large_files = 20.0", "large_files = 60.0")
    assert _verdict(cat, "WAN-005", answers) is Verdict.WARN  # 10 + 60 Mbit/s


def test_a_band_that_fails_before_it_warns_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        _catalogue(
            tmp_path,
            "jitter_ms = { warn_from = 30.0, fail_from = 60.0 }",
            "jitter_ms = { warn_from = 60.0, fail_from = 30.0 }",
        )
    assert "checks.toml" in str(err.value) and "line_quality.jitter_ms" in str(err.value)


def test_an_unknown_workload_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        _catalogue(tmp_path, "cctv = 4.0", "cctv = 4.0, drones = 9.0")
    assert "backup_bandwidth.mbps_fixed_by_workload" in str(err.value) and "drones" in str(err.value)


def test_missing_line_quality_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "checks"
    shutil.copytree(checks_dir(), folder)
    toml = folder / "checks.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[line_quality]")
    end = text.index("# The backup's estimated need")
    toml.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_catalogue(folder)
    assert "checks.toml" in str(err.value) and "line_quality" in str(err.value)
