"""The office's test rhythm: answered per office, or a house default from the config file
(`[drill] test_cadence_months`) that new audits start with; 12 months when neither."""

from __future__ import annotations

from pathlib import Path

import pytest

import readiness.cli as cli
from readiness.config import CONFIG_SOURCE, Config, config_answers, load_config
from readiness.errors import InputError
from readiness.store import parse_audit
from tests.unit import audit_fixtures as fx


@pytest.fixture(autouse=True)
def _no_real_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("reached real discovery")

    import readiness.discovery

    monkeypatch.setattr(readiness.discovery, "discover_sync", refuse)


def _run(tmp_path: Path, config: str, answers: str | None = None) -> tuple[dict[str, object], str]:
    facts = tmp_path / "facts.json"
    facts.write_text(fx.facts().model_dump_json())
    conf = tmp_path / "config.toml"
    conf.write_text(config)
    argv = ["audit", "--replay", str(facts), "--config", str(conf), "--format", "both"]
    argv += ["-o", str(tmp_path / "r")]
    if answers is not None:
        (tmp_path / "a.toml").write_text(answers)
        argv += ["--answers", str(tmp_path / "a.toml")]
    assert cli.main(argv) == 0
    audit = parse_audit((tmp_path / "r.json").read_bytes(), "r.json")
    cadence = audit.answers.get("test_cadence_months")
    return ({"value": cadence.value, "from": cadence.prefilled_from} if cadence else {}), (
        tmp_path / "r.md"
    ).read_text()


def test_the_config_sets_the_rhythm_of_new_audits(tmp_path: Path) -> None:
    cadence, md = _run(
        tmp_path, "[drill]\ntest_cadence_months = 6\n", "[answers]\nlast_failover_test = 2026-01-10\n"
    )
    assert cadence == {"value": 6, "from": CONFIG_SOURCE}
    assert "6 months after the last test on 2026-01-10" in md
    assert "(suggested by the config file)" in md


def test_the_offices_answer_wins_over_the_config(tmp_path: Path) -> None:
    cadence, md = _run(
        tmp_path,
        "[drill]\ntest_cadence_months = 6\n",
        "[answers]\nlast_failover_test = 2026-01-10\ntest_cadence_months = 3\n",
    )
    assert cadence == {"value": 3, "from": None}
    assert "3 months after the last test on 2026-01-10" in md


def test_without_either_it_is_twelve_months(tmp_path: Path) -> None:
    cadence, md = _run(tmp_path, "", "[answers]\nlast_failover_test = 2026-01-10\n")
    assert cadence == {}
    assert "12 months after the last test on 2026-01-10 (once a year" in md
    assert config_answers(Config()) == {}


def test_a_rhythm_out_of_range_names_the_field(tmp_path: Path) -> None:
    conf = tmp_path / "config.toml"
    conf.write_text("[drill]\ntest_cadence_months = 0\n")
    with pytest.raises(InputError) as err:
        load_config(conf)
    assert err.value.field == "drill.test_cadence_months"
