"""Config loading: defaults, overrides, and one-line errors naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.config import Config, load_config
from readiness.errors import InputError


def test_defaults_without_a_file() -> None:
    cfg = load_config()
    assert cfg == Config()
    assert len(cfg.endpoints.anchors) >= 3


def test_user_file_overrides(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[endpoints]\nanchors = ["198.18.0.10"]\n[power]\nnut_hosts = ["192.168.1.5:3493"]\n')
    cfg = load_config(path)
    assert cfg.endpoints.anchors == ["198.18.0.10"]
    assert cfg.power.nut_hosts == ["192.168.1.5:3493"]
    assert cfg.endpoints.echo_urls == Config().endpoints.echo_urls


@pytest.mark.parametrize(
    ("text", "field", "needle"),
    [
        ("[timeouts]\nprobe_s = -1\n", "timeouts.probe_s", "greater than"),
        ("[endpoints]\nanchors = 5\n", "endpoints.anchors", "list"),
        ("[nonsense]\nx = 1\n", "nonsense", "Extra inputs"),
        ("[endpoints\n", None, "not valid TOML"),
    ],
)
def test_bad_config_is_one_line_with_field(tmp_path: Path, text: str, field: str | None, needle: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_config(path)
    assert info.value.field == field
    assert needle in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_config(tmp_path / "missing.toml")
