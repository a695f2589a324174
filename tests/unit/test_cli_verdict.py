"""`readiness audit` leads with the verdict an owner acts on (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def audit_md(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, str, str]:
    code = cli.main(["audit", "--replay", str(EXAMPLES / "single-office.json"), *argv])
    out, err = capsysbinary.readouterr()
    return code, out.decode(), err.decode()


def test_the_low_need_cafe_hears_first_that_a_backup_does_not_pay(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    code, out, _ = audit_md(["--answers", str(EXAMPLES / "low-need-cafe.toml")], capsysbinary)
    assert code == 0
    first = "\n".join(out.splitlines()[:16])
    assert "Adequate for this office's needs" in first
    assert "A backup line would cost more than it saves" in first
    assert "never pays for itself at these figures" in first
    assert "Still worth doing" in first and "UPS" in first


def test_config_overrides_the_cost_of_an_action(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[plan.costs.ups]\none_off = [40, 60]\n")
    code, out, _ = audit_md(
        ["--answers", str(EXAMPLES / "low-need-cafe.toml"), "--config", str(config)], capsysbinary
    )
    assert code == 0
    assert "EUR 40-60 once" in out and "EUR 80-250 once" not in out


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("[plan.costs.gold_plating]\none_off = [1, 2]\n", "plan.costs.gold_plating"),
        ("[plan.costs.ups]\none_off = [60, 40]\n", "plan.costs.ups"),
    ],
)
def test_bad_plan_costs_name_the_file_and_field(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], content: str, field: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    code, out, err = audit_md(["--config", str(config)], capsysbinary)
    assert code == 2 and out == ""
    assert str(config) in err and field in err
    assert len(err.strip().splitlines()) == 1
